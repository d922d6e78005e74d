//! Small text helpers shared by several stages: XML-safe characters, HTML to plain text.

use std::borrow::Cow;

/// True for characters that XML 1.0 forbids, plus the C1/DEL controls that it merely discourages
/// but that no reader can display.
fn is_unwanted_char(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}'
        | '\u{7F}'..='\u{9F}' | '\u{FFFE}' | '\u{FFFF}')
}

/// The byte offset of the first unwanted character. Every post goes through here several
/// times, so it scans blocks of bytes at a time for the one-byte and two-byte ones (C0 controls
/// but tab and line breaks, DEL, and U+0080–U+009F, which start with 0xC2), and with memchr's
/// SIMD search for U+FFFE and U+FFFF (one search for their first two bytes, `EF BF`, which
/// few other characters share, instead of one per character).
fn first_unwanted(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let control = first_control(bytes);
    let limit = control.unwrap_or(bytes.len());
    let mut from = 0;
    while let Some(at) = EF_BF.find(&bytes[from..limit]) {
        let at = from + at;
        if matches!(bytes.get(at + 2), Some(0xBE | 0xBF)) && at + 2 < limit {
            return Some(at);
        }
        from = at + 2;
    }
    control
}

/// The first two bytes of U+FFC0–U+FFFF in UTF-8: the searcher is built once.
static EF_BF: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"\xEF\xBF"));

/// The first C0 control (but tab, LF and CR), DEL or C1 control in `bytes`. Blocks of 32 bytes
/// are tested at once, in a loop the compiler turns into vector instructions; a block with a
/// C0 control, DEL or 0xC2 (the lead byte of U+0080–U+00BF, a C1 control only before
/// 0x80–0x9F) is then looked at byte by byte.
fn first_control(bytes: &[u8]) -> Option<usize> {
    const BLOCK: usize = 32;
    let unwanted_at = |i: usize| match bytes[i] {
        0x09 | 0x0A | 0x0D => false,
        0x00..=0x1F | 0x7F => true,
        0xC2 => matches!(bytes.get(i + 1), Some(0x80..=0x9F)),
        _ => false,
    };
    let mut start = 0;
    for chunk in bytes.chunks_exact(BLOCK) {
        let mut suspect = false;
        for &b in chunk {
            suspect |=
                (b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r') | (b == 0x7F) | (b == 0xC2);
        }
        if suspect {
            if let Some(i) = (start..start + BLOCK).find(|&i| unwanted_at(i)) {
                return Some(i);
            }
        }
        start += BLOCK;
    }
    (start..bytes.len()).find(|&i| unwanted_at(i))
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

/// True when `s` is surely in Unicode NFC already (ASCII, most CJK text): the quick check,
/// which needs no copy. `false` may also mean "maybe".
pub fn is_nfc(s: &str) -> bool {
    use unicode_normalization::{is_nfc_quick, IsNormalized};
    s.is_ascii() || matches!(is_nfc_quick(s.chars()), IsNormalized::Yes)
}

/// `s` in Unicode NFC, without a copy when it already is.
pub fn into_nfc(s: String) -> String {
    use unicode_normalization::UnicodeNormalization;
    if is_nfc(&s) {
        s
    } else {
        s.nfc().collect()
    }
}

/// `s` in Unicode NFKC, without a copy when it already is.
pub fn into_nfkc(s: String) -> String {
    use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};
    if s.is_ascii() || matches!(is_nfkc_quick(s.chars()), IsNormalized::Yes) {
        s
    } else {
        s.nfkc().collect()
    }
}

/// Collapses every run of whitespace (Unicode's `White_Space`, as `char::is_whitespace`) into
/// one space and trims the ends. Every summary's text goes through here: the bytes between
/// whitespace are copied as runs, and only the lead bytes whitespace can start with are looked
/// at closer, instead of decoding each character.
pub fn normalize_whitespace(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    // Start of the current run of non-whitespace; whether whitespace came before it.
    let mut run = 0;
    let mut space_before = false;
    let mut i = 0;
    while i < bytes.len() {
        let width = if MAY_START_WHITESPACE[usize::from(bytes[i])] {
            whitespace_width(&bytes[i..])
        } else {
            0
        };
        if width == 0 {
            i += 1;
            continue;
        }
        if run < i {
            if space_before && !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&s[run..i]);
        }
        space_before = true;
        i += width;
        run = i;
    }
    if run < bytes.len() {
        if space_before && !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&s[run..]);
    }
    out
}

/// Bytes a whitespace character can start with in UTF-8: ASCII's, and the lead bytes of
/// U+0085, U+00A0 (`C2`), U+1680 (`E1`), U+2000–U+205F (`E2`) and U+3000 (`E3`).
static MAY_START_WHITESPACE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0x09;
    while b <= 0x0D {
        table[b] = true;
        b += 1;
    }
    table[0x20] = true;
    table[0xC2] = true;
    table[0xE1] = true;
    table[0xE2] = true;
    table[0xE3] = true;
    table
};

/// The length in bytes of the whitespace character `bytes` starts with, or 0.
fn whitespace_width(bytes: &[u8]) -> usize {
    match *bytes {
        [0x09..=0x0D | 0x20, ..] => 1,
        [0xC2, 0x85 | 0xA0, ..] => 2,
        [0xE1, 0x9A, 0x80, ..]
        | [0xE2, 0x80, 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF, ..]
        | [0xE2, 0x81, 0x9F, ..]
        | [0xE3, 0x80, 0x80, ..] => 3,
        _ => 0,
    }
}

/// Cuts `s` to at most `max_chars` characters, on a character boundary, adding an ellipsis when
/// it cut. Text with spaces is cut at the last word boundary in the final fifth; CJK text, which
/// has no spaces, is cut at the character.
pub fn truncate_chars(s: &str, max_chars: usize) -> String {
    if max_chars == 0 || s.chars().count() <= max_chars {
        return s.to_string();
    }
    let cut = s.char_indices().nth(max_chars).map_or(s.len(), |(i, _)| i);
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
    // One pass for `{` (rare in prose) instead of a search per marker.
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'{', bytes).any(|at| matches!(bytes.get(at + 1), Some(b'{' | b'%')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn liquid_markup_is_a_brace_then_a_brace_or_percent() {
        for text in ["{{ x }}", "a {% if %}", "{{", "中文{%", "{ {{"] {
            assert!(has_liquid_markup(text), "{text}");
        }
        for text in ["", "{", "a { b } %}", "{ {", "}}", "{\n{", "x{"] {
            assert!(!has_liquid_markup(text), "{text}");
        }
    }

    /// The byte scan collapses exactly what `split_whitespace` splits on: every character
    /// (each whitespace one alone and in runs), and generated text mixing them.
    #[test]
    fn normalize_whitespace_is_split_whitespace_joined() {
        let reference = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        for c in (0..=0x0010_FFFF_u32).filter_map(char::from_u32) {
            for s in [format!("a{c}b"), format!("{c}"), format!(" {c}{c}x{c}")] {
                assert_eq!(
                    normalize_whitespace(&s),
                    reference(&s),
                    "U+{:04X}",
                    c as u32
                );
            }
        }
        let pieces = [
            "a", "中文", "，", "。", "、", " ", "  ", "\t", "\n", "\r\n", "\u{3000}", "\u{A0}",
            "\u{85}", "\u{2028}", "\u{205F}", "\u{200B}", "\u{FEFF}", "é", "\u{1680}", "x y",
        ];
        let mut rng = crate::render::markdown::Rng(0x5EED_5A1D);
        for _ in 0..20_000 {
            let s: String = (0..rng.below(12)).map(|_| rng.pick(&pieces)).collect();
            assert_eq!(normalize_whitespace(&s), reference(&s), "{s:?}");
        }
    }

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
        for c in (0..=0x0010_FFFF_u32).filter_map(char::from_u32) {
            let s = format!("a{c}b");
            assert_eq!(
                first_unwanted(&s).is_some(),
                is_unwanted_char(c),
                "{:04X}",
                c as u32
            );
            // Across the boundary of the 32-byte blocks the scan reads.
            let s = format!("1234567{c}中文，\n中文；\t");
            let expected = is_unwanted_char(c).then_some(7);
            assert_eq!(first_unwanted(&s), expected, "{:04X}", c as u32);
            let s = format!("{}{c}中文，\n中文；\t中文，\n中文；\t", "x".repeat(31));
            let expected = is_unwanted_char(c).then_some(31);
            assert_eq!(first_unwanted(&s), expected, "{:04X}", c as u32);
        }
        // Every position in a block, and the tail after the last whole block.
        for c in [
            '\u{0}', '\u{1F}', '\u{7F}', '\u{80}', '\u{9F}', '\u{FFFE}', '\u{FFFF}',
        ] {
            for at in 0..100 {
                let s = format!("{}{c}{}", "x".repeat(at), "，y".repeat(at % 3));
                assert_eq!(first_unwanted(&s), Some(at), "{:04X} at {at}", c as u32);
            }
        }
        // The first of several.
        assert_eq!(first_unwanted("abcdefghij\u{FFFF}kl\u{1}"), Some(10));
        assert_eq!(first_unwanted("abcdefghij\u{1}kl\u{FFFF}"), Some(10));
    }

    /// The scan finds what a search character by character finds, in generated text.
    #[test]
    fn byte_scan_agrees_with_a_character_search() {
        let mut rng = crate::render::markdown::Rng(0x2545_F491_4F6C_DD1D);
        let chars = [
            "a", " ", "\n", "\t", "\r", "中", "，", "·", "\u{A0}", "\u{FFFD}", "\u{FFEF}", "é",
            "\u{0}", "\u{1F}", "\u{7F}", "\u{80}", "\u{85}", "\u{9F}", "\u{FFFE}", "\u{FFFF}",
        ];
        for _ in 0..20_000 {
            let len = rng.below(200);
            let hostile = 1 + rng.below(400);
            let s: String = (0..len)
                .map(|_| {
                    let i = rng.below(chars.len());
                    if i >= 12 && rng.below(hostile) != 0 {
                        "x"
                    } else {
                        chars[i]
                    }
                })
                .collect();
            let expected = s.char_indices().find(|&(_, c)| is_unwanted_char(c));
            assert_eq!(first_unwanted(&s), expected.map(|(i, _)| i), "{s:?}");
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
