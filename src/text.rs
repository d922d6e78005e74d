//! Small text helpers shared by several stages: XML-safe characters, HTML to plain text.

use std::borrow::Cow;

/// True for characters that XML 1.0 forbids, plus the C1/DEL controls that it merely discourages
/// but that no reader can display.
fn is_unwanted_char(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}'
        | '\u{7F}'..='\u{9F}' | '\u{FFFE}' | '\u{FFFF}')
}

/// Removes every character XML 1.0 forbids. Borrows when there is nothing to remove, which is
/// the common case, so calling it on every string we write costs a scan.
pub fn xml_safe(s: &str) -> Cow<'_, str> {
    if s.chars().any(is_unwanted_char) {
        Cow::Owned(s.chars().filter(|&c| !is_unwanted_char(c)).collect())
    } else {
        Cow::Borrowed(s)
    }
}

/// Counts characters [`xml_safe`] would remove.
pub fn count_unwanted_chars(s: &str) -> usize {
    s.chars().filter(|&c| is_unwanted_char(c)).count()
}

/// Collapses every run of whitespace into one space and trims the ends.
pub fn normalize_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Cuts `s` to at most `max_chars` characters, on a character boundary, adding an ellipsis when
/// it cut. Text with spaces is cut at the last word boundary in the final fifth; CJK text, which
/// has no spaces, is cut at the character.
pub fn truncate_chars(s: &str, max_chars: usize) -> String {
    if max_chars == 0 || s.chars().count() <= max_chars {
        return s.to_string();
    }
    let cut = s
        .char_indices()
        .nth(max_chars)
        .map(|(i, _)| i)
        .unwrap_or(s.len());
    let head = &s[..cut];
    let min_keep = head.len() * 4 / 5;
    let head = match head.rfind(' ') {
        Some(space) if space >= min_keep => &head[..space],
        _ => head,
    };
    let head = head.trim_end_matches(|c: char| c.is_whitespace() || c == ',' || c == '，');
    format!("{head}…")
}

/// The first character upper case, the rest lower case: Ruby's and Liquid's `capitalize`
/// (`hello` → `Hello`, `TECH` → `Tech`).
pub fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first
            .to_uppercase()
            .chain(chars.flat_map(char::to_lowercase))
            .collect(),
        None => String::new(),
    }
}

/// True when `text` has Liquid markup (`{{` or `{%`): its rendering depends on more than the
/// post.
pub fn has_liquid_markup(text: &str) -> bool {
    memchr::memmem::find(text.as_bytes(), b"{{").is_some()
        || memchr::memmem::find(text.as_bytes(), b"{%").is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_safe_removes_controls_and_keeps_text() {
        assert_eq!(xml_safe("a\u{1}b\tc\nd\u{7}\u{FFFF}é"), "ab\tc\ndé");
        assert!(matches!(xml_safe("plain 中文"), Cow::Borrowed(_)));
        assert_eq!(count_unwanted_chars("\u{0}\u{85}x"), 2);
    }

    #[test]
    fn truncate_counts_characters_not_bytes() {
        let cjk = "数字经济正成为重组要素资源";
        let cut = truncate_chars(cjk, 4);
        assert_eq!(cut, "数字经济…");
        assert_eq!(truncate_chars("short", 10), "short");
    }

    #[test]
    fn truncate_prefers_word_boundaries() {
        let cut = truncate_chars("the quick brown fox jumps over", 17);
        assert_eq!(cut, "the quick brown…");
    }

    #[test]
    fn whitespace_is_collapsed() {
        assert_eq!(normalize_whitespace("  a \n\t b  "), "a b");
    }
}
