//! Slugs: Jekyll's slugify for post URLs, and the file-system and URL-safe names of the
//! category and tag feeds.

use std::sync::LazyLock;

use regex::Regex;
use unicode_normalization::UnicodeNormalization;

use crate::text::is_nfc;

/// The longest feed slug, in characters; keeps file names well under the 255-byte limit.
pub const MAX_SLUG_CHARS: usize = 80;

/// Jekyll's `Utils.slugify` modes that post URLs use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JekyllSlugMode {
    /// Keeps letters, marks and decimal digits (`:slug`, `:name`, `:slugified_categories`).
    Default,
    /// Also keeps `._~!$&'()+,;=@` (`:title`).
    Pretty,
}

/// Jekyll's `Utils.slugify(string, mode:, cased:)`: every run of characters the mode does not
/// keep becomes one `-`, one leading and one trailing `-` are removed, and the result is
/// lowercased unless `cased`. Ruby's `\p{L}`, `\p{M}` and `\p{Nd}` are the same Unicode
/// classes as the regex crate's.
pub fn jekyll_slugify(s: &str, mode: JekyllSlugMode, cased: bool) -> String {
    // ASCII letters and digits in words joined by single dashes are a slug already: no
    // regex runs for the common slug (`000123`, `my-first-post`).
    let bytes = s.as_bytes();
    if !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && bytes
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b == b'-')
    {
        return if cased {
            s.to_string()
        } else {
            s.to_ascii_lowercase()
        };
    }
    jekyll_slugify_regex(s, mode, cased)
}

/// [`jekyll_slugify`] by the regular expressions, for any text.
fn jekyll_slugify_regex(s: &str, mode: JekyllSlugMode, cased: bool) -> String {
    static DEFAULT: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"[^\p{M}\p{L}\p{Nd}]+").expect("valid regex"));
    static PRETTY: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"[^\p{M}\p{L}\p{Nd}._~!$&'()+,;=@]+").expect("valid regex"));
    let re = match mode {
        JekyllSlugMode::Default => &DEFAULT,
        JekyllSlugMode::Pretty => &PRETTY,
    };
    let replaced = re.replace_all(s, "-");
    let trimmed = replaced.strip_prefix('-').unwrap_or(&replaced);
    let trimmed = trimmed.strip_suffix('-').unwrap_or(trimmed);
    if cased {
        trimmed.to_string()
    } else {
        trimmed.to_lowercase()
    }
}

/// A category or tag name as frontfeed compares names: Unicode NFC (`Café` typed with a
/// combining accent is `Café`), lowercased, so `Tech` and `tech` are one name.
pub fn term_key(name: &str) -> String {
    // Most names are ASCII or already NFC: they skip the normalizing copy.
    if name.is_ascii() {
        return name.to_ascii_lowercase();
    }
    if is_nfc(name) {
        name.to_lowercase()
    } else {
        name.nfc().collect::<String>().to_lowercase()
    }
}

/// The slug of a category or tag feed: lowercase (after NFC), Unicode letters and digits kept
/// (`财经` stays `财经`), `+` `#` `&` `@` spelled as words so that `C++` (`c-plus-plus`) and `C#`
/// (`c-sharp`) stay apart, every other run of characters one `-`, trimmed at both ends. It
/// holds only letters, digits and `-`, so it can never name a path outside the output folder.
/// It may be empty.
pub fn slugify(s: &str) -> String {
    fn push_part(out: &mut String, pending_dash: &mut bool, part: &str) {
        if *pending_dash && !out.is_empty() {
            out.push('-');
        }
        *pending_dash = false;
        out.push_str(part);
    }
    let mut out = String::with_capacity(s.len().min(4 * MAX_SLUG_CHARS));
    let mut pending_dash = false;
    // Text already in NFC (ASCII, most CJK) is read as it is, without the normalizer.
    let chars: &mut dyn Iterator<Item = char> = if is_nfc(s) {
        &mut s.chars()
    } else {
        &mut s.nfc()
    };
    for c in chars {
        // Enough to hold MAX_SLUG_CHARS characters; the rest of a huge name is not read.
        if out.len() > 4 * MAX_SLUG_CHARS + 8 {
            break;
        }
        let word = match c {
            '+' => Some("plus"),
            '#' => Some("sharp"),
            '&' => Some("and"),
            '@' => Some("at"),
            _ => None,
        };
        match word {
            Some(word) => {
                pending_dash = true;
                push_part(&mut out, &mut pending_dash, word);
                pending_dash = true;
            }
            None if c.is_alphanumeric() => {
                push_part(&mut out, &mut pending_dash, "");
                out.extend(c.to_lowercase());
            }
            None => pending_dash = true,
        }
    }
    if let Some((cut, _)) = out.char_indices().nth(MAX_SLUG_CHARS) {
        out.truncate(cut);
    }
    out.truncate(out.trim_end_matches('-').len());
    out
}

/// A slug that is never empty: names with no letters or digits (`!!!`, `..`) get a stable
/// name derived from their text, so distinct names keep distinct feeds.
pub fn slugify_nonempty(s: &str) -> String {
    let slug = slugify(s);
    if slug.is_empty() {
        let id = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, s.as_bytes());
        format!("x{}", &id.simple().to_string()[..8])
    } else {
        slug
    }
}

/// Percent-encodes a slug for use as one URL path segment.
pub fn url_segment(slug: &str) -> String {
    url::form_urlencoded::byte_serialize(slug.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shortcut for slugs that are slugs already gives what the regular expressions give.
    #[test]
    fn jekyll_slugify_shortcut_agrees_with_the_regex() {
        let mut rng = crate::render::markdown::Rng(0x0123_4567_89AB_CDEF);
        let parts = [
            "a", "Z", "0", "9", "-", "--", "_", ".", " ", "é", "中", "~", "!",
        ];
        for _ in 0..20_000 {
            let s: String = (0..rng.below(8)).map(|_| rng.pick(&parts)).collect();
            for mode in [JekyllSlugMode::Default, JekyllSlugMode::Pretty] {
                for cased in [false, true] {
                    assert_eq!(
                        jekyll_slugify(&s, mode, cased),
                        jekyll_slugify_regex(&s, mode, cased),
                        "{s:?} {mode:?} {cased}"
                    );
                }
            }
        }
    }

    #[test]
    fn slugs() {
        assert_eq!(slugify("Hello, World!"), "hello-world");
        assert_eq!(slugify("财经"), "财经");
        assert_eq!(slugify("  Rust & Go  "), "rust-and-go");
        assert_eq!(slugify("C++"), "c-plus-plus");
        assert_eq!(slugify("C#"), "c-sharp");
        assert_eq!(slugify("Café"), slugify("Cafe\u{301}"));
        assert_eq!(slugify("dajiangwang"), "dajiangwang");
        assert_eq!(slugify("Ünïcödé Straße"), "ünïcödé-straße");
        assert_eq!(slugify("a_b.c"), "a-b-c");
        assert_eq!(slugify("../../etc/passwd"), "etc-passwd");
        assert_eq!(slugify("C:\\x"), "c-x");
        assert_eq!(slugify("..."), "");
        assert_eq!(slugify("a\0b"), "a-b");
    }

    #[test]
    fn jekyll_slugs() {
        use JekyllSlugMode::*;
        // Each pair was printed by Jekyll 4.3.1's Utils.slugify.
        for (input, pretty_cased, default) in [
            (
                "JavaScript-function",
                "JavaScript-function",
                "javascript-function",
            ),
            ("escape_html", "escape_html", "escape-html"),
            (
                "jekyll-sass-converter-3.0-released",
                "jekyll-sass-converter-3.0-released",
                "jekyll-sass-converter-3-0-released",
            ),
            ("Hello World!", "Hello-World!", "hello-world"),
            ("C++ & C#", "C++-&-C", "c-c"),
            ("财经新闻", "财经新闻", "财经新闻"),
            ("a--b", "a-b", "a-b"),
            ("--x--", "x", "x"),
            ("\u{b2}\u{b3}", "", ""),
            ("a.b.", "a.b.", "a-b"),
            ("don't", "don't", "don-t"),
            ("a/b", "a-b", "a-b"),
            ("(paren)", "(paren)", "paren"),
            ("\u{1c4}", "\u{1c4}", "\u{1c6}"),
        ] {
            assert_eq!(jekyll_slugify(input, Pretty, true), pretty_cased, "{input}");
            assert_eq!(jekyll_slugify(input, Default, false), default, "{input}");
        }
    }

    #[test]
    fn slugs_are_bounded() {
        let long = "字".repeat(1000);
        assert_eq!(slugify(&long).chars().count(), MAX_SLUG_CHARS);
    }

    #[test]
    fn nonempty_slugs_are_stable_and_distinct() {
        assert_eq!(slugify_nonempty("..."), slugify_nonempty("..."));
        assert_ne!(slugify_nonempty("..."), slugify_nonempty("!!!"));
        assert!(slugify_nonempty("...").starts_with('x'));
        assert_eq!(slugify_nonempty("News"), "news");
    }

    #[test]
    fn segments_are_percent_encoded() {
        assert_eq!(url_segment("财经"), "%E8%B4%A2%E7%BB%8F");
        assert_eq!(url_segment("rust-go"), "rust-go");
    }
}
