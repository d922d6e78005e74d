//! Slugs: the file-system and URL-safe names of categories, tags and posts.

/// The longest slug, in characters; keeps file names well under the 255-byte limit.
pub const MAX_SLUG_CHARS: usize = 80;

/// Lowercases, keeps Unicode letters and digits (`财经` stays `财经`) and turns every other run
/// of characters into one `-`, trimmed at both ends. The result can only hold letters, digits
/// and `-`, so it can never name a path outside the output folder. It may be empty.
pub fn slugify(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = 0;
    let mut pending_dash = false;
    for c in s.chars() {
        if c.is_alphanumeric() {
            if pending_dash && !out.is_empty() {
                out.push('-');
                chars += 1;
            }
            pending_dash = false;
            for lower in c.to_lowercase() {
                out.push(lower);
                chars += 1;
            }
            if chars >= MAX_SLUG_CHARS {
                break;
            }
        } else {
            pending_dash = true;
        }
    }
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

    #[test]
    fn slugs() {
        assert_eq!(slugify("Hello, World!"), "hello-world");
        assert_eq!(slugify("财经"), "财经");
        assert_eq!(slugify("  Rust & Go  "), "rust-go");
        assert_eq!(slugify("dajiangwang"), "dajiangwang");
        assert_eq!(slugify("Ünïcödé Straße"), "ünïcödé-straße");
        assert_eq!(slugify("a_b.c"), "a-b-c");
        assert_eq!(slugify("../../etc/passwd"), "etc-passwd");
        assert_eq!(slugify("C:\\x"), "c-x");
        assert_eq!(slugify("..."), "");
        assert_eq!(slugify("a\0b"), "a-b");
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
