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
    rest[..line_end].iter().all(|b| b.is_ascii_whitespace())
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
        let value: Value = if split.yaml.trim().is_empty() {
            Value::Null
        } else {
            serde_yaml::from_str(split.yaml).map_err(|e| {
                let message = e.to_string();
                // serde_yaml points a duplicate key at its mapping; the second key is the
                // line to fix.
                let line = duplicate_key_line(split.yaml, &message)
                    .or(e.location().map(|l| l.line()))
                    .map(|l| l + split.yaml_first_line - 1);
                FrontMatterError::Yaml {
                    line,
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
        Ok(FrontMatter {
            map,
            yaml_lines: split.yaml.lines().map(str::to_owned).collect(),
            first_line: split.yaml_first_line,
        })
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
        self.yaml_lines
            .iter()
            .position(|line| {
                line.strip_prefix(key)
                    .is_some_and(|rest| rest.trim_start().starts_with(':'))
                    || line
                        .strip_prefix(&format!("\"{key}\""))
                        .or_else(|| line.strip_prefix(&format!("'{key}'")))
                        .is_some_and(|rest| rest.trim_start().starts_with(':'))
            })
            .map(|i| i + self.first_line)
    }
}

/// For `duplicate entry with key "k"`, the line (1-based in the YAML) of the second
/// top-level `k:`.
fn duplicate_key_line(yaml: &str, message: &str) -> Option<usize> {
    let key = message
        .strip_prefix("duplicate entry with key \"")?
        .split('"')
        .next()?;
    yaml.lines()
        .enumerate()
        .filter(|(_, l)| {
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .nth(1)
        .map(|(i, _)| i + 1)
}

/// Deeper `[`/`{` nesting is refused before YAML parsing: the YAML parser takes time
/// quadratic in the depth (8 KB of `[` took over a second), and serde_yaml refuses more than
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

/// serde_yaml counts lines from the start of the YAML; users count them from the top of the
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
