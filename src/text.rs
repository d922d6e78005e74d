//! Small text helpers shared by several stages: XML-safe characters, HTML to plain text.

use std::borrow::Cow;

/// True for characters that XML 1.0 forbids, plus the C1/DEL controls that it merely discourages
/// but that no reader can display.
fn is_unwanted_char(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}'
        | '\u{7F}'..='\u{9F}' | '\u{FFFE}' | '\u{FFFF}')
}

/// Bytes that start an unwanted character in UTF-8, or may (`0xC2` starts U+0080–U+00BF,
/// `0xEF` starts U+F000–U+FFFF, common in CJK punctuation).
const SUSPECT: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = !matches!(b, 0x09 | 0x0A | 0x0D);
        b += 1;
    }
    table[0x7F] = true;
    table[0xC2] = true;
    table[0xEF] = true;
    table
};

/// The byte offset of the first unwanted character. Scans bytes, not characters: every
/// post body goes through here, and decoding CJK text char by char cost 4 % of a build.
fn first_unwanted(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if SUSPECT[b as usize] {
            let unwanted = match b {
                0xC2 => matches!(bytes.get(i + 1), Some(0x80..=0x9F)),
                0xEF => {
                    bytes.get(i + 1) == Some(&0xBF) && matches!(bytes.get(i + 2), Some(0xBE | 0xBF))
                }
                _ => true,
            };
            if unwanted {
                return Some(i);
            }
        }
        i += 1;
    }
    None
}

/// `bytes` as text, if they are UTF-8. Validated with SIMD (every post is checked, and CJK
/// text is the slow case for the standard library); the standard library's error, with its
/// position, only when they are not.
pub fn utf8(bytes: &[u8]) -> Result<&str, std::str::Utf8Error> {
    match simdutf8::basic::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(_) => std::str::from_utf8(bytes),
    }
}

/// Removes every character XML 1.0 forbids. Borrows when there is nothing to remove, which is
/// the common case, so calling it on every string we write costs a scan.
pub fn xml_safe(s: &str) -> Cow<'_, str> {
    match first_unwanted(s) {
        None => Cow::Borrowed(s),
        Some(i) => {
            let mut out = String::with_capacity(s.len());
            out.push_str(&s[..i]);
            out.extend(s[i..].chars().filter(|&c| !is_unwanted_char(c)));
            Cow::Owned(out)
        }
    }
}

/// Counts characters [`xml_safe`] would remove.
pub fn count_unwanted_chars(s: &str) -> usize {
    first_unwanted(s).map_or(0, |i| {
        s[i..].chars().filter(|&c| is_unwanted_char(c)).count()
    })
}

/// [`xml_safe`] on an owned string: no copy when there is nothing to remove.
pub fn into_xml_safe(s: String) -> String {
    match xml_safe(&s) {
        Cow::Borrowed(_) => s,
        Cow::Owned(cleaned) => cleaned,
    }
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
        // CJK punctuation shares the lead byte of U+FFFF; U+00A0 shares that of U+0085.
        assert!(matches!(
            xml_safe("，。\u{FFFD}\u{A0}\u{FFEF}"),
            Cow::Borrowed(_)
        ));
        assert_eq!(xml_safe("，\u{FFFE}\u{9F}\u{7F}x\u{FFFF}"), "，x");
    }

    /// The byte scan agrees with the character test on every character.
    #[test]
    fn byte_scan_agrees_with_the_character_test() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let s = format!("a{c}b");
            assert_eq!(
                first_unwanted(&s).is_some(),
                is_unwanted_char(c),
                "{:04X}",
                c as u32
            );
        }
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
