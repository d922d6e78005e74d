//! Post URLs exactly as Jekyll 4.3 makes them (`Jekyll::URL` with a `UrlDrop`): a permalink
//! template, its placeholders, Jekyll's escaping of each value and its clean-up of the result.
//! The link frontfeed writes is the page Jekyll writes for that URL.

use std::fmt::Write;

use chrono::{Datelike, NaiveDateTime, Timelike};

use crate::slug::{jekyll_slugify, JekyllSlugMode};

/// What a post's URL is made from, as Jekyll sees the post.
#[derive(Debug, Clone, Copy)]
pub struct UrlInputs<'a> {
    /// The post's date as Jekyll reads it, in the site's timezone.
    pub time: NaiveDateTime,
    /// Jekyll's `data["slug"]`: front-matter `slug`, else the slug part of the file name.
    pub slug: &'a str,
    /// The file name without its extension.
    pub basename: &'a str,
    /// The post's categories in Jekyll's order (folder categories first).
    pub categories: &'a [String],
    /// `.html` for Markdown and HTML posts, else the file's own extension.
    pub output_ext: &'a str,
    /// Jekyll's `:path`: the relative path without its extension and without `_posts`.
    pub path: &'a str,
}

/// The template of a site's `permalink` setting: Jekyll's named styles, or the pattern itself.
/// (A post's own front-matter `permalink` is always a pattern: `pretty` there means `/pretty`.)
pub fn site_template(permalink: &str) -> &str {
    match permalink {
        "date" => "/:categories/:year/:month/:day/:title:output_ext",
        "pretty" => "/:categories/:year/:month/:day/:title/",
        "ordinal" => "/:categories/:year/:y_day/:title:output_ext",
        "weekdate" => "/:categories/:year/W:week/:short_day/:title:output_ext",
        "none" => "/:categories/:title:output_ext",
        other => other,
    }
}

/// A template filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expanded {
    /// The URL path as Jekyll writes it (`/c%23/2016/08/24/Post.html`).
    pub url: String,
    /// Placeholders that Jekyll does not know (it stops the whole build on them); they are
    /// kept as written.
    pub unknown: Vec<String>,
}

/// Fills `template` as Jekyll's `URL#to_s` does: every `:name` (`[a-z_]+`, where `:month_`
/// falls back to `:month`) is replaced by its value escaped with [`escape_path`], then the
/// result gets a leading `/`, `..` becomes `/`, `./` is removed and runs of `/` collapse.
pub fn expand(template: &str, inputs: &UrlInputs<'_>) -> Expanded {
    let mut out = String::with_capacity(template.len() + 48);
    let mut unknown = Vec::new();
    let mut rest = template;
    while let Some(colon) = rest.find(':') {
        out.push_str(&rest[..colon]);
        let after = &rest[colon + 1..];
        let name_len = after
            .bytes()
            .take_while(|b| b.is_ascii_lowercase() || *b == b'_')
            .count();
        if name_len == 0 {
            out.push(':');
            rest = after;
            continue;
        }
        let name = &after[..name_len];
        let resolved = placeholder(name, inputs)
            .map(|value| (name, value))
            .or_else(|| {
                let shorter = name.strip_suffix('_')?;
                placeholder(shorter, inputs).map(|value| (shorter, value))
            });
        match resolved {
            Some((used, value)) => {
                out.push_str(&escape_path(&value));
                rest = &after[used.len()..];
            }
            None => {
                unknown.push(format!(":{name}"));
                out.push(':');
                out.push_str(name);
                rest = &after[name.len()..];
            }
        }
    }
    out.push_str(rest);
    Expanded {
        url: sanitize_url(&out),
        unknown,
    }
}

/// The value of one of Jekyll's `UrlDrop` placeholders; `None` for a name it does not have.
fn placeholder(name: &str, inputs: &UrlInputs<'_>) -> Option<String> {
    let time = |format: &str| inputs.time.format(format).to_string();
    // The common numbers are written directly, as chrono writes them (`%Y` has a sign only
    // outside 0–9999), without reading a format string for each post.
    let t = &inputs.time;
    Some(match name {
        "year" if (0..=9999).contains(&t.year()) => format!("{:04}", t.year()),
        "year" => time("%Y"),
        "month" => format!("{:02}", t.month()),
        "day" => format!("{:02}", t.day()),
        "hour" => format!("{:02}", t.hour()),
        "minute" => format!("{:02}", t.minute()),
        // A leap second (nanoseconds past 10⁹) is `60` in chrono's `%S`.
        "second" if t.nanosecond() < 1_000_000_000 => format!("{:02}", t.second()),
        "second" => time("%S"),
        "i_day" => t.day().to_string(),
        "i_month" => t.month().to_string(),
        "short_month" => time("%b"),
        "long_month" => time("%B"),
        "short_year" => time("%y"),
        "w_year" => time("%G"),
        "week" => time("%V"),
        "w_day" => time("%u"),
        "short_day" => time("%a"),
        "long_day" => time("%A"),
        "y_day" => time("%j"),
        "title" => jekyll_slugify(inputs.slug, JekyllSlugMode::Pretty, true),
        "slug" => jekyll_slugify(inputs.slug, JekyllSlugMode::Default, false),
        "name" => jekyll_slugify(inputs.basename, JekyllSlugMode::Default, false),
        "categories" => joined_set(inputs.categories.iter().map(|c| c.to_lowercase())),
        "slugified_categories" => joined_set(
            inputs
                .categories
                .iter()
                .map(|c| jekyll_slugify(c, JekyllSlugMode::Default, false)),
        ),
        "output_ext" => inputs.output_ext.to_string(),
        "path" => inputs.path.to_string(),
        "collection" => "posts".to_string(),
        _ => return None,
    })
}

/// Ruby's `Set#to_a.join("/")`: first occurrences, in order.
fn joined_set(items: impl Iterator<Item = String>) -> String {
    let mut seen: Vec<String> = Vec::new();
    for item in items {
        if !seen.contains(&item) {
            seen.push(item);
        }
    }
    seen.join("/")
}

/// Characters `Addressable::URI.encode` leaves alone in a path (RFC 3986 `pchar` and `/`).
pub(crate) fn is_path_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@/".contains(c)
}

/// Jekyll's `URL.escape_path`: `Addressable::URI.encode(value)` with the first `#` then
/// written `%23`. Addressable reads the value as a URI, so `?` starts a query and stays as
/// it is, and the first `#` starts a fragment; everything outside the path characters
/// (`%`, spaces, non-ASCII, `[`, …) is percent-encoded byte by byte.
pub fn escape_path(value: &str) -> String {
    if value.is_empty()
        || value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"./-".contains(&b))
    {
        return value.to_string();
    }
    let (before_fragment, fragment) = match value.split_once('#') {
        Some((a, b)) => (a, Some(b)),
        None => (value, None),
    };
    let (path, query) = match before_fragment.split_once('?') {
        Some((a, b)) => (a, Some(b)),
        None => (before_fragment, None),
    };
    let mut out = String::with_capacity(value.len() * 2);
    percent_encode_into(&mut out, path, is_path_char);
    let query_char = |c: char| is_path_char(c) || c == '?';
    if let Some(query) = query {
        out.push('?');
        percent_encode_into(&mut out, query, query_char);
    }
    if let Some(fragment) = fragment {
        out.push_str("%23");
        percent_encode_into(&mut out, fragment, query_char);
    }
    out
}

/// `text` with every character `keep` refuses percent-encoded byte by byte (`%C3%A9`).
pub(crate) fn percent_encode_into(out: &mut String, text: &str, keep: impl Fn(char) -> bool) {
    for c in text.chars() {
        if keep(c) {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
}

/// Jekyll's `URL#sanitize_url`.
fn sanitize_url(url: &str) -> String {
    let with_slash = format!("/{url}").replace("..", "/").replace("./", "");
    let mut out = String::with_capacity(with_slash.len());
    for c in with_slash.chars() {
        if !(c == '/' && out.ends_with('/')) {
            out.push(c);
        }
    }
    out
}

/// Jekyll's `URL.unescape_path`: the path of the file Jekyll writes for `url` (relative to the
/// site), with every `%XX` decoded.
pub fn unescape_path(url: &str) -> String {
    let bytes = url.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The link path for a Jekyll URL: the page Jekyll writes ([`unescape_path`]) in strict
/// RFC 3986 form. Jekyll's own URL can be broken (`/what?/` asks for `/what`); this one always
/// names the page.
pub fn link_path(url: &str) -> String {
    let page = unescape_path(url);
    let mut out = String::with_capacity(page.len() + 8);
    // `&` is kept out of paths (see `uri::strict_uri`), so every reader sees the same URL.
    percent_encode_into(&mut out, &page, |c| c != '&' && is_path_char(c));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn inputs<'a>(categories: &'a [String], slug: &'a str) -> UrlInputs<'a> {
        UrlInputs {
            time: NaiveDate::from_ymd_opt(2022, 2, 10)
                .unwrap()
                .and_hms_opt(17, 7, 4)
                .unwrap(),
            slug,
            basename: "2022-02-10-digital-economy",
            categories,
            output_ext: ".html",
            path: "_posts/2022-02-10-digital-economy",
        }
    }

    fn url(template: &str, categories: &[&str], slug: &str) -> String {
        let categories: Vec<String> = categories.iter().map(ToString::to_string).collect();
        expand(site_template(template), &inputs(&categories, slug)).url
    }

    #[test]
    fn styles() {
        let cats = ["a", "b"];
        assert_eq!(
            url("date", &cats, "digital-economy"),
            "/a/b/2022/02/10/digital-economy.html"
        );
        assert_eq!(
            url("pretty", &cats, "digital-economy"),
            "/a/b/2022/02/10/digital-economy/"
        );
        assert_eq!(
            url("none", &cats, "digital-economy"),
            "/a/b/digital-economy.html"
        );
        assert_eq!(
            url("ordinal", &[], "digital-economy"),
            "/2022/041/digital-economy.html"
        );
        assert_eq!(
            url("weekdate", &[], "digital-economy"),
            "/2022/W06/Thu/digital-economy.html"
        );
    }

    #[test]
    fn numeric_placeholders_are_chronos_formats() {
        let times = [
            (2022, 2, 10, 17, 7, 4, 0),
            (1, 1, 1, 0, 0, 0, 0),
            (0, 12, 31, 23, 59, 59, 0),
            (-44, 3, 15, 12, 0, 0, 0),
            (9999, 12, 31, 23, 59, 59, 999_999_999),
            (10000, 1, 1, 0, 0, 0, 0),
            (2016, 12, 31, 23, 59, 59, 1_500_000_000),
        ];
        let cats = Vec::new();
        for (y, mo, d, h, mi, s, ns) in times {
            let mut inputs = inputs(&cats, "x");
            inputs.time = NaiveDate::from_ymd_opt(y, mo, d)
                .unwrap()
                .and_hms_nano_opt(h, mi, s, ns)
                .unwrap();
            for (name, format) in [
                ("year", "%Y"),
                ("month", "%m"),
                ("day", "%d"),
                ("hour", "%H"),
                ("minute", "%M"),
                ("second", "%S"),
                ("i_day", "%-d"),
                ("i_month", "%-m"),
            ] {
                let chrono = inputs.time.format(format).to_string();
                assert_eq!(
                    placeholder(name, &inputs),
                    Some(chrono),
                    "{name} {inputs:?}"
                );
            }
        }
    }

    #[test]
    fn placeholders() {
        assert_eq!(
            url(
                "blog/:short_year/:i_month/:i_day/:hour:minute:second-:slug",
                &[],
                "Digital Economy"
            ),
            "/blog/22/2/10/170704-digital-economy"
        );
        assert_eq!(
            url("/:month_:day/:w_year-:w_day/:name", &[], "x"),
            "/02_10/2022-4/2022-02-10-digital-economy"
        );
        let e = expand("/:unknown/:title", &inputs(&[], "JavaScript-function"));
        assert_eq!(e.url, "/:unknown/JavaScript-function");
        assert_eq!(e.unknown, vec![":unknown".to_string()]);
    }

    #[test]
    fn categories_are_downcased_and_escaped_not_slugified() {
        assert_eq!(
            url("/:categories/:title/", &["Edge Case", "C++"], "x"),
            "/edge%20case/c++/x/"
        );
        assert_eq!(url("/:categories/", &["C#"], "x"), "/c%23/");
        assert_eq!(url("/:categories/", &["Tech", "tech"], "x"), "/tech/");
        assert_eq!(
            url("/:slugified_categories/", &["Edge Case", "C++"], "x"),
            "/edge-case/c/"
        );
        assert_eq!(url("/:categories/", &["财经"], "x"), "/%E8%B4%A2%E7%BB%8F/");
    }

    #[test]
    fn escape_path_matches_jekyll() {
        // Each pair was printed by Jekyll 4.3.1's URL.escape_path.
        for (input, escaped) in [
            ("edge case", "edge%20case"),
            ("c++", "c++"),
            ("c#/c#", "c%23/c%23"),
            ("what?", "what?"),
            ("a?b#c", "a?b%23c"),
            ("100%", "100%25"),
            ("a%20b", "a%2520b"),
            ("café", "caf%C3%A9"),
            ("a:b", "a:b"),
            ("[x]", "%5Bx%5D"),
            ("a|b", "a%7Cb"),
            ("~tilde", "~tilde"),
            ("!$&'()*,;=@", "!$&'()*,;=@"),
        ] {
            assert_eq!(escape_path(input), escaped, "{input}");
        }
    }

    #[test]
    fn sanitized_like_jekyll() {
        assert_eq!(sanitize_url("a..b"), "/a/b");
        assert_eq!(sanitize_url("../x/"), "/x/");
        assert_eq!(sanitize_url("./a"), "/a");
        assert_eq!(sanitize_url("//a///b"), "/a/b");
    }

    #[test]
    fn links_name_the_page_jekyll_writes() {
        assert_eq!(link_path("/what?/"), "/what%3F/");
        assert_eq!(link_path("/c%23/x.html"), "/c%23/x.html");
        assert_eq!(link_path("/a%2520b/"), "/a%2520b/");
        assert_eq!(link_path("/edge%20case/c++/"), "/edge%20case/c++/");
        assert_eq!(link_path("/caf%C3%A9/"), "/caf%C3%A9/");
        assert_eq!(link_path("/a&b/"), "/a%26b/");
    }
}
