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

/// Parsed front matter: the mapping, plus the YAML text to find the line of a key.
#[derive(Debug, Clone)]
pub struct FrontMatter {
    pub map: Mapping,
    yaml_lines: Vec<String>,
    first_line: usize,
    duplicate_keys: Vec<(String, Option<usize>)>,
}

impl FrontMatter {
    /// Parses the YAML of a [`Split`].
    pub fn parse(split: &Split<'_>) -> Result<FrontMatter, FrontMatterError> {
        if let Some(line) = too_deep_flow_line(split.yaml) {
            return Err(FrontMatterError::Yaml {
                line: Some(line + split.yaml_first_line - 1),
                message: format!(
                    "lists or mappings nested more than {MAX_FLOW_DEPTH} levels deep; refused"
                ),
            });
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
        let yaml_lines: Vec<String> = split.yaml.lines().map(str::to_owned).collect();
        let duplicate_keys = duplicates
            .into_iter()
            .map(|key| {
                let line = nth_key_line(&yaml_lines, &key, 1).map(|i| i + split.yaml_first_line);
                (key, line)
            })
            .collect();
        Ok(FrontMatter {
            map,
            yaml_lines,
            first_line: split.yaml_first_line,
            duplicate_keys,
        })
    }

    /// Keys written more than once (and the line of the second), whose last value was kept.
    pub fn duplicate_keys(&self) -> &[(String, Option<usize>)] {
        &self.duplicate_keys
    }

    /// True when `key` is present with no value (`published:`), which Jekyll reads as `nil`.
    pub fn is_null(&self, key: &str) -> bool {
        self.map.get(key).is_some_and(Value::is_null)
    }

    /// True when the value of a top-level `key` is a plain YAML scalar: not quoted, not
    /// tagged, not a block scalar. Ruby's YAML gives plain scalars types (`no` is false, a
    /// timestamp is a Time) where a quoted one stays text.
    pub fn is_plain(&self, key: &str) -> bool {
        let Some(line) = self.line_of(key) else {
            return false;
        };
        let text = &self.yaml_lines[line - self.first_line];
        let value = text.split_once(':').map_or("", |(_, v)| v.trim_start());
        !value.starts_with(['"', '\'', '!', '|', '>', '&', '*'])
    }

    /// The value of a top-level key.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.map.get(key).filter(|v| !v.is_null())
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
        self.yaml_lines
            .iter()
            .rposition(|line| is_key_line(line, key))
            .map(|i| i + self.first_line)
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

/// The index among `lines` of the `n`th (0-based) top-level `key:` line.
fn nth_key_line(lines: &[String], key: &str, n: usize) -> Option<usize> {
    lines
        .iter()
        .enumerate()
        .filter(|(_, line)| is_key_line(line, key))
        .nth(n)
        .map(|(i, _)| i)
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
