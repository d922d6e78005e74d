//! Front matter: the YAML block between `---` lines at the top of a post, as Jekyll reads it.

use serde_yaml::{Mapping, Value};
use thiserror::Error;

/// A post's text cut into its front matter and its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the fences.
    pub yaml: &'a str,
    /// 1-based line of the file on which the YAML starts.
    pub yaml_first_line: usize,
    /// Everything after the closing fence.
    pub body: &'a str,
}

/// Why front matter could not be read. Lines are 1-based lines of the file.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum FrontMatterError {
    #[error("front matter opened on line 1 is never closed with `---`")]
    Unclosed,
    #[error("invalid YAML in front matter: {message}")]
    Yaml {
        line: Option<usize>,
        message: String,
    },
    #[error("front matter must be a mapping of keys to values, found {found}")]
    NotAMapping { found: &'static str },
}

impl FrontMatterError {
    /// The file line the problem is on, where known.
    pub fn line(&self) -> Option<usize> {
        match self {
            FrontMatterError::Unclosed | FrontMatterError::NotAMapping { .. } => Some(1),
            FrontMatterError::Yaml { line, .. } => *line,
        }
    }
}

/// True when the bytes start with a front matter fence (after an optional BOM). Checked before
/// decoding, so that images and other files in the posts folder are skipped, not reported.
pub fn starts_with_fence(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let Some(rest) = bytes.strip_prefix(b"---") else {
        return false;
    };
    let line_end = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
    rest[..line_end].iter().all(u8::is_ascii_whitespace)
}

fn is_fence(line: &str, closing: bool) -> bool {
    let line = line.trim_end_matches(['\n', '\r']);
    let trimmed = line.trim_end_matches([' ', '\t']);
    trimmed == "---" || (closing && trimmed == "...")
}

/// Splits `text` (BOM already removed) into front matter and body. `Ok(None)` when the text
/// does not open with a `---` line: such a file is not a post.
pub fn split(text: &str) -> Result<Option<Split<'_>>, FrontMatterError> {
    let mut lines = text.split_inclusive('\n');
    let Some(first) = lines.next() else {
        return Ok(None);
    };
    if !is_fence(first, false) {
        return Ok(None);
    }
    let yaml_start = first.len();
    let mut pos = yaml_start;
    for line in lines {
        if is_fence(line, true) {
            return Ok(Some(Split {
                yaml: &text[yaml_start..pos],
                yaml_first_line: 2,
                body: &text[pos + line.len()..],
            }));
        }
        pos += line.len();
    }
    Err(FrontMatterError::Unclosed)
}

/// Parsed front matter: the mapping, plus the YAML text (borrowed from the post) to find the
/// line of a key.
#[derive(Debug, Clone)]
pub struct FrontMatter<'a> {
    pub map: Mapping,
    yaml: &'a str,
    first_line: usize,
    duplicate_keys: Vec<(String, Option<usize>)>,
}

impl<'a> FrontMatter<'a> {
    /// Parses the YAML of a [`Split`].
    pub fn parse(split: &Split<'a>) -> Result<FrontMatter<'a>, FrontMatterError> {
        Self::parse_with(split, true)
    }

    /// [`FrontMatter::parse`], with or without the fast path ([`parse_simple`]) for simple
    /// front matter (the tests compare both).
    fn parse_with(split: &Split<'a>, fast: bool) -> Result<FrontMatter<'a>, FrontMatterError> {
        if let Some(line) = too_deep_flow_line(split.yaml) {
            return Err(FrontMatterError::Yaml {
                line: Some(line + split.yaml_first_line - 1),
                message: format!(
                    "lists or mappings nested more than {MAX_FLOW_DEPTH} levels deep; refused"
                ),
            });
        }
        if fast {
            if let Some((map, duplicates)) = parse_simple(split.yaml) {
                return Ok(Self::new(split, map, duplicates));
            }
        }
        let mut duplicates = Vec::new();
        let value: Value = if split.yaml.trim().is_empty() {
            Value::Null
        } else {
            let deserializer = serde_yaml::Deserializer::from_str(split.yaml);
            let seed = LenientValue {
                duplicates: &mut duplicates,
            };
            serde::de::DeserializeSeed::deserialize(seed, deserializer).map_err(|e| {
                let message = e.to_string();
                FrontMatterError::Yaml {
                    line: e.location().map(|l| l.line() + split.yaml_first_line - 1),
                    message: relocate_lines(&message, split.yaml_first_line - 1),
                }
            })?
        };
        let map = match value {
            Value::Null => Mapping::new(),
            Value::Mapping(m) => m,
            Value::Sequence(_) => return Err(FrontMatterError::NotAMapping { found: "a list" }),
            Value::Tagged(_) => {
                return Err(FrontMatterError::NotAMapping {
                    found: "a tagged value",
                })
            }
            _ => {
                return Err(FrontMatterError::NotAMapping {
                    found: "a single value",
                })
            }
        };
        Ok(Self::new(split, map, duplicates))
    }

    /// The front matter of `split` read as `map`, with the keys that were written twice.
    fn new(split: &Split<'a>, map: Mapping, duplicates: Vec<String>) -> FrontMatter<'a> {
        let duplicate_keys = duplicates
            .into_iter()
            .map(|key| {
                // The line of its second writing.
                let line = key_lines(split.yaml, &key)
                    .nth(1)
                    .map(|(i, _)| i + split.yaml_first_line);
                (key, line)
            })
            .collect();
        FrontMatter {
            map,
            yaml: split.yaml,
            first_line: split.yaml_first_line,
            duplicate_keys,
        }
    }

    /// Keys written more than once (and the line of the second), whose last value was kept.
    pub fn duplicate_keys(&self) -> &[(String, Option<usize>)] {
        &self.duplicate_keys
    }

    /// True when `key` is present with no value (`published:`), which Jekyll reads as `nil`.
    pub fn is_null(&self, key: &str) -> bool {
        self.lookup(key).is_some_and(Value::is_null)
    }

    /// True when the value of a top-level `key` is a plain YAML scalar: not quoted, not
    /// tagged, not a block scalar. Ruby's YAML gives plain scalars types (`no` is false, a
    /// timestamp is a Time) where a quoted one stays text.
    pub fn is_plain(&self, key: &str) -> bool {
        // The last line that writes it: with a duplicate key, the last value is the one used.
        let Some((_, text)) = key_lines(self.yaml, key).last() else {
            return false;
        };
        let value = text.split_once(':').map_or("", |(_, v)| v.trim_start());
        !value.starts_with(['"', '\'', '!', '|', '>', '&', '*'])
    }

    /// The value of a top-level key.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.lookup(key).filter(|v| !v.is_null())
    }

    /// `self.map.get(key)`: the value of the text key `key`. A post looks up some twenty keys
    /// in a mapping of a handful, where comparing them one by one is cheaper than hashing
    /// (`serde_yaml`'s mapping hashes with SipHash); a large mapping is hashed.
    fn lookup(&self, key: &str) -> Option<&Value> {
        if self.map.len() > 16 {
            return self.map.get(key);
        }
        self.map.iter().find_map(|(k, v)| match k {
            Value::String(k) if k == key => Some(v),
            _ => None,
        })
    }

    /// The value of the first of `keys` that is present.
    pub fn get_first(&self, keys: &[&'static str]) -> Option<(&'static str, &Value)> {
        keys.iter().find_map(|k| self.get(k).map(|v| (*k, v)))
    }

    /// A scalar value as text (numbers and booleans too); `None` for lists and mappings.
    pub fn get_text(&self, key: &str) -> Option<String> {
        self.get(key).and_then(scalar_text)
    }

    /// The file line on which a top-level key is written.
    pub fn line_of(&self, key: &str) -> Option<usize> {
        // The last one: with a duplicate key, the last value is the one used.
        key_lines(self.yaml, key)
            .last()
            .map(|(i, _)| i + self.first_line)
    }
}

/// True when `line` writes the top-level `key` (bare or quoted). No allocation: it runs for
/// every line of every post's front matter, for each key looked up.
fn is_key_line(line: &str, key: &str) -> bool {
    let rest = line.strip_prefix(key).or_else(|| {
        let quote = line.chars().next().filter(|c| matches!(c, '"' | '\''))?;
        line[1..].strip_prefix(key)?.strip_prefix(quote)
    });
    rest.is_some_and(|rest| rest.trim_start().starts_with(':'))
}

/// The top-level `key:` lines of `yaml`, each with its index among the lines.
fn key_lines<'y>(yaml: &'y str, key: &'y str) -> impl Iterator<Item = (usize, &'y str)> + 'y {
    yaml.lines()
        .enumerate()
        .filter(move |(_, line)| is_key_line(line, key))
}

/// The fast path of [`FrontMatter::parse`]: front matter written only in the simple subset of
/// YAML that nearly every post uses, read without the YAML parser. `None` for anything outside
/// that subset (and so for everything that could be an error), which then goes to `serde_yaml`.
///
/// The subset, one construct per line: `key: value` with a plain word for a key (ASCII letters,
/// digits, `_`, `-`; starting with a letter or `_`), the value empty (null), plain text, a
/// double-quoted string without escapes, a single-quoted string, or a one-line flow list
/// (`[a, "b", 'c']`) of such scalars; an empty `key:` followed by a block list (`- item`, every
/// item at the same indentation); blank lines and full-line comments (`#` in column 1). No
/// tabs, no carriage returns, no control characters. A plain scalar is taken only when
/// `serde_yaml` would read it as text, null (`~`, `null`, `Null`, `NULL`) or a boolean
/// (`true`/`false` in three spellings): anything that could be a number is left to it.
/// The answer is the mapping (duplicate keys keep their first place and last value) and the
/// repeated keys, as [`LenientValue`] gives them.
fn parse_simple(yaml: &str) -> Option<(Mapping, Vec<String>)> {
    if !yaml.chars().all(is_simple_char) {
        return None;
    }
    let mut map = Mapping::new();
    let mut duplicates = Vec::new();
    let mut lines = yaml.split_terminator('\n').peekable();
    while let Some(line) = lines.next() {
        if line.starts_with('#') || line.bytes().all(|b| b == b' ') {
            continue;
        }
        let (key, rest) = line.split_once(':')?;
        if !is_simple_key(key) {
            return None;
        }
        let value = match rest.strip_prefix(' ') {
            None if !rest.is_empty() => return None,
            _ => rest.trim_start_matches(' '),
        };
        let value = if value.is_empty() {
            // Null, unless a block list follows. After a blank line, the end or another key,
            // it is null: an indented line further on is refused in the loop.
            match lines.peek().and_then(|next| next.bytes().next()) {
                None => Value::Null,
                Some(b) if b.is_ascii_alphabetic() || b == b'_' => Value::Null,
                Some(b' ' | b'-') => block_list(&mut lines)?,
                Some(_) => return None,
            }
        } else if value.starts_with('[') {
            flow_list(value)?
        } else {
            block_scalar(value)?
        };
        let key = Value::String(key.to_owned());
        if let Some(old) = map.get_mut(&key) {
            if let Value::String(k) = key {
                duplicates.push(k);
            }
            *old = value;
        } else {
            map.insert(key, value);
        }
    }
    if map.is_empty() {
        return None;
    }
    Some((map, duplicates))
}

/// Characters the fast path reads: printable ones, which YAML takes as they are. Tabs,
/// carriage returns, controls, the byte order mark, non-characters and the line and paragraph
/// separators (line breaks in YAML 1.1) are left to the YAML parser.
fn is_simple_char(c: char) -> bool {
    matches!(
        c,
        '\n' | ' '..='~'
            | '\u{a0}'..='\u{2027}'
            | '\u{202a}'..='\u{d7ff}'
            | '\u{e000}'..='\u{fefe}'
            | '\u{ff00}'..='\u{fffd}'
            | '\u{10000}'..
    )
}

/// A key the fast path takes: a plain word that YAML reads as text.
fn is_simple_key(key: &str) -> bool {
    let bytes = key.as_bytes();
    matches!(bytes.first(), Some(b) if b.is_ascii_alphabetic() || *b == b'_')
        && bytes.len() <= 128
        && bytes
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        && keyword(key).is_none()
}

/// The plain scalars that `serde_yaml` reads as null or a boolean.
fn keyword(plain: &str) -> Option<Value> {
    match plain {
        "~" | "null" | "Null" | "NULL" => Some(Value::Null),
        "true" | "True" | "TRUE" => Some(Value::Bool(true)),
        "false" | "False" | "FALSE" => Some(Value::Bool(false)),
        _ => None,
    }
}

/// The value of a plain scalar, when it is sure: `None` for anything `serde_yaml` could read
/// as a number (an integer in any base, a float, `.inf`, `.nan`). A number starts with a digit,
/// a sign or a dot, holds only letters, digits, `.`, `_` and signs, and has a sign only first
/// or after an exponent's `e`; what breaks one of these rules is text.
fn resolve_plain(plain: &str) -> Option<Value> {
    if let Some(value) = keyword(plain) {
        return Some(value);
    }
    let bytes = plain.as_bytes();
    let could_be_number = matches!(bytes.first(), Some(b'0'..=b'9' | b'+' | b'-' | b'.'))
        && bytes
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.' | b'_'))
        && bytes
            .windows(2)
            .all(|w| !matches!(w[1], b'+' | b'-') || matches!(w[0], b'e' | b'E'));
    (!could_be_number).then(|| Value::String(plain.to_owned()))
}

/// Characters that give a scalar's first character a meaning other than text.
fn is_indicator(b: u8) -> bool {
    matches!(
        b,
        b'-' | b'?'
            | b':'
            | b','
            | b'['
            | b']'
            | b'{'
            | b'}'
            | b'#'
            | b'&'
            | b'*'
            | b'!'
            | b'|'
            | b'>'
            | b'\''
            | b'"'
            | b'%'
            | b'@'
            | b'`'
    )
}

/// A whole value in block context, written on one line: a quoted string or plain text.
fn block_scalar(text: &str) -> Option<Value> {
    match text.as_bytes()[0] {
        b'"' | b'\'' => match quoted(text)? {
            (value, "") => Some(value),
            _ => None,
        },
        b if is_indicator(b) => None,
        _ => {
            if text.ends_with([' ', ':']) || text.contains(": ") || text.contains(" #") {
                return None;
            }
            resolve_plain(text)
        }
    }
}

/// A quoted string at the start of `text` (which starts with its quote), ended on the same
/// line, and the rest of `text` after it. Double-quoted strings with escapes are not taken.
fn quoted(text: &str) -> Option<(Value, &str)> {
    if let Some(inner) = text.strip_prefix('"') {
        let end = inner.find(['"', '\\'])?;
        if inner.as_bytes()[end] != b'"' {
            return None;
        }
        return Some((Value::String(inner[..end].to_owned()), &inner[end + 1..]));
    }
    let inner = text.strip_prefix('\'')?;
    let mut value = String::new();
    let mut rest = inner;
    loop {
        let end = rest.find('\'')?;
        value.push_str(&rest[..end]);
        rest = &rest[end + 1..];
        match rest.strip_prefix('\'') {
            Some(after) => {
                value.push('\'');
                rest = after;
            }
            None => return Some((Value::String(value), rest)),
        }
    }
}

/// A flow list on one line, `[a, "b", 'c']`, of scalars; `[]` is an empty list.
fn flow_list(text: &str) -> Option<Value> {
    let inner = text.strip_prefix('[')?.strip_suffix(']')?;
    let mut items = Vec::new();
    let mut rest = inner.trim_start_matches(' ');
    if rest.is_empty() {
        return Some(Value::Sequence(items));
    }
    loop {
        let after = match rest.as_bytes()[0] {
            b'"' | b'\'' => {
                let (value, after) = quoted(rest)?;
                items.push(value);
                after.trim_start_matches(' ')
            }
            b if is_indicator(b) => return None,
            _ => {
                let end = rest.find(',').unwrap_or(rest.len());
                let item = rest[..end].trim_end_matches(' ');
                if item.contains([':', '#', '[', ']', '{', '}']) {
                    return None;
                }
                items.push(resolve_plain(item)?);
                &rest[end..]
            }
        };
        if after.is_empty() {
            return Some(Value::Sequence(items));
        }
        rest = after.strip_prefix(',')?.trim_start_matches(' ');
        if rest.is_empty() {
            return None;
        }
    }
}

/// The block list that follows an empty `key:`, every item `- scalar` at one indentation.
fn block_list<'a>(lines: &mut std::iter::Peekable<impl Iterator<Item = &'a str>>) -> Option<Value> {
    let first: &str = lines.peek()?;
    let indent = first.len() - first.trim_start_matches(' ').len();
    let mut items = Vec::new();
    while let Some(line) = lines.peek() {
        let Some(item) = line
            .strip_prefix(&first[..indent])
            .and_then(|l| l.strip_prefix("- "))
        else {
            break;
        };
        let item = item.trim_start_matches(' ');
        if item.is_empty() || item.starts_with('[') {
            return None;
        }
        items.push(block_scalar(item)?);
        lines.next();
    }
    (!items.is_empty()).then_some(Value::Sequence(items))
}

/// Deserializes a YAML value as Ruby's YAML (and so Jekyll) reads it: a key written twice
/// keeps its last value, in the place of the first, where `serde_yaml`'s own `Value` refuses
/// the document. The repeated keys are collected for a warning.
struct LenientValue<'a> {
    duplicates: &'a mut Vec<String>,
}

impl<'de> serde::de::DeserializeSeed<'de> for LenientValue<'_> {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for LenientValue<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        serde::de::DeserializeSeed::deserialize(self, d)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(LenientValue {
            duplicates: &mut *self.duplicates,
        })? {
            items.push(item);
        }
        Ok(Value::Sequence(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut mapping = Mapping::new();
        while let Some(key) = map.next_key_seed(LenientValue {
            duplicates: &mut *self.duplicates,
        })? {
            let value = map.next_value_seed(LenientValue {
                duplicates: &mut *self.duplicates,
            })?;
            if let Some(old) = mapping.get_mut(&key) {
                self.duplicates
                    .push(scalar_text(&key).unwrap_or_else(|| format!("{key:?}")));
                *old = value;
            } else {
                mapping.insert(key, value);
            }
        }
        Ok(Value::Mapping(mapping))
    }
    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        use serde::de::VariantAccess;
        let (tag, contents): (String, _) = data.variant()?;
        let value = contents.newtype_variant_seed(LenientValue {
            duplicates: &mut *self.duplicates,
        })?;
        Ok(Value::Tagged(Box::new(serde_yaml::value::TaggedValue {
            tag: serde_yaml::value::Tag::new(tag),
            value,
        })))
    }
}

/// Deeper `[`/`{` nesting is refused before YAML parsing: the YAML parser takes time
/// quadratic in the depth (8 KB of `[` took over a second), and `serde_yaml` refuses more than
/// 128 levels anyway.
const MAX_FLOW_DEPTH: usize = 100;

/// The line (1-based within the YAML) where `[`/`{` nesting first passes [`MAX_FLOW_DEPTH`].
/// Quotes are not tracked, so brackets inside quoted text count too; only more than 100
/// unclosed ones in a row would be refused, which no real front matter has.
fn too_deep_flow_line(yaml: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut line = 1;
    for b in yaml.bytes() {
        match b {
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_FLOW_DEPTH {
                    return Some(line);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b'\n' => line += 1,
            _ => {}
        }
    }
    None
}

/// `serde_yaml` counts lines from the start of the YAML; users count them from the top of the
/// file. Shifts every "line N" in a message by `offset`.
fn relocate_lines(message: &str, offset: usize) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(i) = rest.find("line ") {
        out.push_str(&rest[..i + 5]);
        rest = &rest[i + 5..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        match rest[..digits].parse::<usize>() {
            Ok(n) => out.push_str(&(n + offset).to_string()),
            Err(_) => out.push_str(&rest[..digits]),
        }
        rest = &rest[digits..];
    }
    out.push_str(rest);
    out
}

/// A scalar YAML value as text.
pub fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Tagged(t) => scalar_text(&t.value),
        _ => None,
    }
}

/// A list of names, as Jekyll reads `categories`/`tags`: a YAML list (each item whole) or a
/// string of whitespace-separated names.
pub fn name_list(value: &Value) -> Vec<String> {
    match value {
        // Nested lists are flattened, as Jekyll does.
        Value::Sequence(items) => items
            .iter()
            .flat_map(|item| match item {
                Value::Sequence(_) => name_list(item),
                other => scalar_text(other).into_iter().collect(),
            })
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
        // Jekyll splits on whitespace; a comma-separated string (`a, b`) is a common slip
        // that Jekyll would turn into the name `a,`, so commas separate names too.
        Value::String(s) => s
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|name| !name.is_empty())
            .map(str::to_owned)
            .collect(),
        other => scalar_text(other).into_iter().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast path's front matter when it takes `yaml`, after checking that it is the one
    /// `serde_yaml` gives (the same mapping in the same order, the same repeated keys and
    /// lines); panics when it is not.
    fn check_fast_path(yaml: &str) -> Option<FrontMatter<'_>> {
        let split = Split {
            yaml,
            yaml_first_line: 2,
            body: "",
        };
        let (map, duplicates) = parse_simple(yaml)?;
        let quick = FrontMatter::new(&split, map, duplicates);
        let slow = FrontMatter::parse_with(&split, false)
            .unwrap_or_else(|e| panic!("fast path read an error:\n{yaml}\n{e}"));
        assert!(
            quick.map.iter().eq(slow.map.iter())
                && quick.duplicate_keys == slow.duplicate_keys
                && quick.yaml == slow.yaml
                && quick.first_line == slow.first_line,
            "fast path differs:\n{yaml}\nfast: {quick:?}\nserde_yaml: {slow:?}"
        );
        Some(quick)
    }

    /// Looking keys up one by one finds what the hashed lookup finds, in small and large
    /// mappings with keys of every kind.
    #[test]
    fn lookup_is_the_mapping_lookup() {
        for n in [0, 1, 5, 16, 17, 40] {
            let mut yaml: String = (0..n).map(|i| format!("k{i}: v{i}\n")).collect();
            yaml.push_str("true: b\n1: n\n\"q\": s\n!!str t: u\n? [x]\n: l\nnull: z\n");
            let split = Split {
                yaml: &yaml,
                yaml_first_line: 2,
                body: "",
            };
            let fm = FrontMatter::parse(&split).unwrap();
            for key in [
                "k0", "k4", "k16", "k39", "true", "1", "q", "t", "x", "null", "", "z",
            ] {
                assert_eq!(fm.lookup(key), fm.map.get(key), "{key} in {n}");
            }
        }
    }

    /// Long lines (past libyaml's 1024-character limit on simple keys) and the longest keys.
    #[test]
    fn fast_path_on_long_lines() {
        let long = "长".repeat(1500);
        for yaml in [
            format!("title: {long}\n"),
            format!("title: \"{long}\"\n"),
            format!("title: '{long}'\n"),
            format!("tags: [{long}, b]\n"),
            format!("tags:\n  - {long}\n"),
            format!("{}: x\n", "k".repeat(128)),
        ] {
            assert!(check_fast_path(&yaml).is_some(), "{yaml}");
        }
        assert!(check_fast_path(&format!("{}: x\n", "k".repeat(129))).is_none());
        assert!(check_fast_path(&format!("{}: x\n", "k".repeat(2000))).is_none());
    }

    /// The front matter of every post in the repository's fixtures and `posts/`.
    #[test]
    fn fast_path_on_the_fixtures() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let (mut posts, mut fast) = (0, 0);
        for dir in ["posts", "tests/fixtures"] {
            for file in walkdir::WalkDir::new(root.join(dir)) {
                let file = file.unwrap();
                let Ok(text) = std::fs::read_to_string(file.path()) else {
                    continue;
                };
                let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
                if let Ok(Some(split)) = split(text) {
                    posts += 1;
                    fast += usize::from(check_fast_path(split.yaml).is_some());
                }
            }
        }
        assert!(posts > 100 && fast * 4 > posts * 3, "{fast} of {posts}");
    }

    /// Differential test of the fast path: generated front matter, simple and hostile lines
    /// mixed; wherever [`parse_simple`] answers, it must answer as `serde_yaml` does.
    #[test]
    fn fast_path_agrees_with_serde_yaml() {
        use crate::render::markdown::Rng;
        #[rustfmt::skip]
        const KEYS: &[&str] = &[
            "title", "date", "tags", "tags", "categories", "layout", "permalink", "author",
            "a-b", "_x", "x_1", "Title", "published", "excerpt",
        ];
        #[rustfmt::skip]
        const ODD_KEYS: &[&str] = &[
            "true", "True", "null", "NULL", "false", "yes", "no", "inf", "nan", "y", "1a",
            "1", "0x1", "-a", "a b", "\"title\"", "'title'", "title ", "tïtle", "a.b", "a/b",
            "~", "? a", "<<", "&a title", "*a", "!!str t", "[a]", "{a: b}", "-", "", " title",
            "标题",
        ];
        #[rustfmt::skip]
        const VALUES: &[&str] = &[
            "a", "hello world", "于半边格即称界却年极，向全又年解空那见适、成八火",
            "2020-12-16 21:00:19 +0800", "2024-01-02", "2022-02-10 10:00", "post", "fangchan",
            "地方新闻", "\"quoted\"", "\"于半边格，即称界\"", "'single'", "'it''s'", "[a, b]",
            "[a, \"b c\", 'd']", "[]", "/:year/:title/", "http://example.com/x?a=1#top", "C#",
            "C++", "a [b] c", "\"Review: x\"", "'Issue #42'", "Wait, what?", "a'b", "a\"b",
            "true", "false", "True", "FALSE", "~", "null", "Jane Doe <jane@example.com>",
            "pretty", "none", "a - b", "é", "1:30", "12 monkeys", "v1.2", "x-1", "inf", "nan",
        ];
        #[rustfmt::skip]
        const ODD_VALUES: &[&str] = &[
            "Null", "NULL", "TRUE", "False", "yes", "no", "on", "off", "y", "n", "0", "1",
            "-1", "+1", "01", "007", "-01", "+01", "1_000", "1e3", "1E3", "1e-3", "1e+3",
            "1.5", ".5", "1.", "-.5", "+.5", "0x1F", "0x", "0o17", "0o8", "0b101", "0b2",
            "-0x1F", "+0x1F", "0x-1", "0x+1", "-0o7", "-0b1", "1.0.0", "1-2", "1+2", "2e",
            "e2", "E2", "-inf", "+inf", ".inf", "-.inf", "+.inf", ".Inf", ".INF", ".nan",
            ".NaN", ".NAN", "+.nan", "-.nan", "infinity", "Infinity", "+infinity", "NaN",
            "123456789012345678901234567890", "-9223372036854775809", "18446744073709551616",
            "-170141183460469231731687303715884105729", "1e400", "-1e400", "+", ".", "..",
            "+-1", "--1", "-+1", "1__0", "0.", "0e0", "00", "0.0", "-0", "+0", "1,000",
            "2024-01-02T10:00:00Z", "20240102", "1e", "0xg", "0_1", "_1", "1_", "1e1.5",
            "a: b", "a:", "a #c", "a#c", "a ", "a  ", "'unclosed", "\"unclosed", "\"a\\nb\"",
            "\"a\\\"b\"", "\"a\" b", "'a' b", "'a'b'", "'a' #c", "\"a\" #c", "&anchor x",
            "*alias", "!!str 1", "!!int 1", "!tag x", "|", ">", "|-", "- x", "-x", "? x",
            ": x", ":x", ", x", "{a: b}", "{}", "[a, [b]]", "[a,]", "[a,,b]", "[,a]",
            "[a: b]", "[a:b]", "[a#b]", "[a #b]", "[a, 'b'", "[a] b", "[a] ", "[\"a, b\"]",
            "['a'' b']", "[1, 2]", "[true, x]", "[~]", "[ a , b ]", "[a,b]", "[ ]",
            "[\"a\" , 'b' ]", "[\"a\"b]", "['a'b]", "[a b, c]", "[-a]", "[a-]", "[?a]",
            "[a'b]", "[a\"b]", "[&a x]", "[*a]", "[!t x]", "[\"\"]", "['']", "%x", "@x",
            "`x", "a\tb", "\ta", "a\u{85}b", "a\u{2028}b", "a\u{2029}b", "a\u{feff}b",
            "a\u{7f}b", "a\u{1}b", "a\u{9f}b", "a\u{a0}", "\u{a0}a", "a\u{fffe}", "a\u{fffd}",
            "a\u{e000}", "a  b", "'  spaced  '", "\"  spaced  \"", "\"\"", "''", "'''",
            "''''", "a'", "a]", "a}", "a,", "x ... y", "--- x", "...", "---", "a --- b",
            "a\r", "\"a\"\r", "'a\\b'", "\"a'b\"", "'a\"b'", "\"#\"", "' #'", "a: b: c",
            "a :b", "a:b:c", "a?", "a!", "a&b", "a*b", "a|b", "a>b", "a%", "a@b", "a`b",
            "<<", "= x", "=",
        ];
        #[rustfmt::skip]
        const LINES: &[&str] = &[
            "", "  ", "# a comment", "#", "  # indented comment", "\t", "  more text", "---",
            "...", "%YAML 1.2", "%TAG ! tag:x,2000:", "- a", "-", "- ", "  - a", "    - b",
            " - c", "  -", "  -  spaced", "  - a: b", "  - [a]", "  - - a", "? a", ": b",
            "&a x: y", "x: &a y", "y: *a", "  key: nested", "    deeper: x", "{a: b}",
            "[a, b]", "just text", "a:b", "a :b", "\u{feff}x: y", "x: |", "x: >-", "  line",
            "x:\r", "a:\tb", "a: b\t",
        ];
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let (mut fast, mut total, mut ok) = (0usize, 0usize, 0usize);
        // Fast answers with repeated keys, lists, booleans, nulls: each part of it is tried.
        let mut kinds = [0usize; 4];
        for _ in 0..30_000 {
            let hostile = [1, 4, 12, 1000][rng.below(4)];
            let mut yaml = String::new();
            for _ in 0..1 + rng.below(9) {
                let odd = rng.below(hostile) == 0;
                match rng.below(10) {
                    0 if odd => yaml.push_str(rng.pick(LINES)),
                    0..=1 => {
                        // A block list under an empty key.
                        yaml.push_str(rng.pick(KEYS));
                        yaml.push(':');
                        let indent = ["", " ", "  ", "    "][rng.below(4)];
                        for _ in 0..rng.below(4) {
                            yaml.push('\n');
                            yaml.push_str(if odd && rng.below(3) == 0 {
                                ["", " ", "  ", "    ", "\t"][rng.below(5)]
                            } else {
                                indent
                            });
                            yaml.push_str(if odd && rng.below(3) == 0 {
                                ["-", "-  ", "-\t", "- - ", "? "][rng.below(5)]
                            } else {
                                "- "
                            });
                            yaml.push_str(if odd {
                                rng.pick(ODD_VALUES)
                            } else {
                                rng.pick(VALUES)
                            });
                        }
                    }
                    _ => {
                        yaml.push_str(if odd && rng.below(3) == 0 {
                            rng.pick(ODD_KEYS)
                        } else {
                            rng.pick(KEYS)
                        });
                        yaml.push_str(if odd && rng.below(3) == 0 {
                            [":", ":  ", ": ", " : ", ":\t", ":x"][rng.below(6)]
                        } else {
                            ": "
                        });
                        yaml.push_str(if odd {
                            rng.pick(ODD_VALUES)
                        } else {
                            rng.pick(VALUES)
                        });
                    }
                }
                yaml.push('\n');
            }
            if rng.below(20) == 0 {
                yaml.pop();
            }
            let split = Split {
                yaml: &yaml,
                yaml_first_line: 2,
                body: "",
            };
            total += 1;
            ok += usize::from(FrontMatter::parse_with(&split, false).is_ok());
            let Some(quick) = check_fast_path(&yaml) else {
                continue;
            };
            fast += 1;
            kinds[0] += usize::from(!quick.duplicate_keys.is_empty());
            for (i, kind) in [Value::is_sequence, Value::is_bool, Value::is_null]
                .iter()
                .enumerate()
            {
                kinds[i + 1] += usize::from(quick.map.values().any(kind));
            }
        }
        // A good share of the documents, and most of those without hostile lines, take it.
        eprintln!("{fast} of {total} ({ok} valid) took the fast path; {kinds:?}");
        assert!(fast * 3 > total && kinds.iter().all(|&n| n > total / 100));
    }

    #[test]
    fn key_lines_bare_and_quoted() {
        for line in ["title: x", "title : x", "\"title\": x", "'title' :x"] {
            assert!(is_key_line(line, "title"), "{line}");
        }
        for line in [
            "titles: x",
            "\"title': x",
            "'title\": x",
            " title: x",
            "x: title",
        ] {
            assert!(!is_key_line(line, "title"), "{line}");
        }
    }

    #[test]
    fn deep_flow_nesting_is_refused_quickly() {
        let yaml = format!(
            "title: a\nx: {}{}\n",
            "[".repeat(1_000_000),
            "]".repeat(1_000_000)
        );
        let split = Split {
            yaml: &yaml,
            yaml_first_line: 2,
            body: "",
        };
        let err = FrontMatter::parse(&split).unwrap_err();
        assert_eq!(err.line(), Some(3));
        assert!(err.to_string().contains("nested more than 100 levels"));
        let fine = "x: [[1, 2], {a: [b]}]\ntitle: \"[not] {nested}\"\n";
        let split = Split {
            yaml: fine,
            yaml_first_line: 2,
            body: "",
        };
        assert!(FrontMatter::parse(&split).is_ok());
    }

    #[test]
    fn splits_lf_and_crlf() {
        let s = split("---\ntitle: a\n---\nbody\n").unwrap().unwrap();
        assert_eq!(s.yaml, "title: a\n");
        assert_eq!(s.body, "body\n");
        let s = split("---\r\ntitle: a\r\n---\r\nbody\r\n")
            .unwrap()
            .unwrap();
        assert_eq!(s.yaml, "title: a\r\n");
        assert_eq!(s.body, "body\r\n");
    }

    #[test]
    fn empty_front_matter_and_dots_fence() {
        let s = split("---\n---\nbody").unwrap().unwrap();
        assert_eq!(s.yaml, "");
        assert_eq!(s.body, "body");
        let s = split("--- \ntitle: x\n...\n").unwrap().unwrap();
        assert_eq!(s.yaml, "title: x\n");
        assert_eq!(s.body, "");
    }

    #[test]
    fn no_front_matter_and_unclosed() {
        assert_eq!(split("# just markdown\n").unwrap(), None);
        assert_eq!(split("").unwrap(), None);
        assert_eq!(split("----\n").unwrap(), None);
        assert_eq!(
            split("---\ntitle: x\n").unwrap_err(),
            FrontMatterError::Unclosed
        );
        assert!(starts_with_fence(b"\xEF\xBB\xBF---\r\n"));
        assert!(!starts_with_fence(b"\x89PNG\r\n"));
        assert!(!starts_with_fence(b"---x\n"));
    }

    #[test]
    fn yaml_errors_carry_the_file_line() {
        let s = split("---\ntitle: ok\ndate: [unclosed\n---\n")
            .unwrap()
            .unwrap();
        let err = FrontMatter::parse(&s).unwrap_err();
        assert!(
            matches!(err, FrontMatterError::Yaml { line: Some(l), .. } if l >= 3),
            "{err:?}"
        );
        assert!(err.to_string().contains("line 3 column 7"), "{err}");
    }

    #[test]
    fn duplicate_keys_keep_the_last_value() {
        let s = split("---\ntitle: first\ndate: 2022-01-01\ntitle: second\nx: {a: 1, a: 2}\n---\n")
            .unwrap()
            .unwrap();
        let fm = FrontMatter::parse(&s).unwrap();
        assert_eq!(fm.get_text("title").as_deref(), Some("second"));
        assert_eq!(fm.line_of("title"), Some(4));
        let keys: Vec<&str> = fm
            .duplicate_keys()
            .iter()
            .map(|(k, _)| k.as_str())
            .collect();
        assert_eq!(keys, ["title", "a"]);
        assert_eq!(fm.duplicate_keys()[0].1, Some(4));
        // The first key keeps its place, as in a Ruby hash.
        assert_eq!(fm.map.keys().next().and_then(Value::as_str), Some("title"));
    }

    #[test]
    fn plain_and_quoted_scalars() {
        let s = split("---\na: 2016-08-25 09:50:00\nb: '2016-08-25 09:50:00'\nc: \"x\"\nd: !!str no\ne:\n---\n")
            .unwrap()
            .unwrap();
        let fm = FrontMatter::parse(&s).unwrap();
        assert!(fm.is_plain("a"));
        assert!(!fm.is_plain("b") && !fm.is_plain("c") && !fm.is_plain("d"));
        assert!(fm.is_null("e") && !fm.is_null("a") && !fm.is_null("zzz"));
        assert_eq!(fm.get_text("d").as_deref(), Some("no"));
    }

    #[test]
    fn non_mappings_are_refused() {
        let s = split("---\n- a\n- b\n---\n").unwrap().unwrap();
        assert_eq!(
            FrontMatter::parse(&s).unwrap_err(),
            FrontMatterError::NotAMapping { found: "a list" }
        );
        let s = split("---\njust text\n---\n").unwrap().unwrap();
        assert!(FrontMatter::parse(&s).is_err());
    }

    #[test]
    fn lines_of_keys_and_lists() {
        let s =
            split("---\ntitle: \"江西\"\ndate: 2022-02-10\ncategories: a b\ntags: [x, y z]\n---\n")
                .unwrap()
                .unwrap();
        let fm = FrontMatter::parse(&s).unwrap();
        assert_eq!(fm.line_of("date"), Some(3));
        assert_eq!(fm.line_of("title"), Some(2));
        assert_eq!(fm.get_text("title").as_deref(), Some("江西"));
        assert_eq!(name_list(fm.get("categories").unwrap()), ["a", "b"]);
        assert_eq!(name_list(fm.get("tags").unwrap()), ["x", "y z"]);
        assert_eq!(
            name_list(&Value::String("a, b,c  d".into())),
            ["a", "b", "c", "d"]
        );
        let nested: Value = serde_yaml::from_str("[a, [b, [c]], 3, {k: v}]").unwrap();
        assert_eq!(name_list(&nested), ["a", "b", "c", "3"]);
    }
}
