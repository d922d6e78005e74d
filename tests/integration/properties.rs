//! Property tests: for arbitrary titles, categories, dates and bodies a build never panics,
//! writes only well-formed feeds without characters XML 1.0 forbids, and feed-rs reads back
//! the same titles, instants and categories. Arbitrary bytes as a post cost only that post.

use std::collections::HashSet;
use std::path::Path;

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;

use crate::harness::{build_options, is_xml_char, output_tree};

/// Text as YAML's double-quoted style writes it, every character outside printable ASCII
/// escaped, so that the value read back is exactly `text`.
fn yaml_quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            ' '..='~' => out.push(c),
            c if (c as u32) <= 0xFFFF => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push_str(&format!("\\U{:08X}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// What a reader should see for a text value: the characters XML 1.0 cannot carry removed
/// (C0 and C1 controls, U+FFFE, U+FFFF) and whitespace collapsed.
fn expected_text(text: &str) -> String {
    let kept: String = text
        .chars()
        .filter(|&c| {
            !matches!(c,
                '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}'
                | '\u{7F}'..='\u{9F}' | '\u{FFFE}' | '\u{FFFF}')
        })
        .collect();
    kept.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The configuration of every build here: all posts, future ones too, in every feed.
const CONFIG: &str = "base_url: https://prop.example.org/\ntimezone: America/New_York\nlimit: 0\nfuture: true\nfeeds: {tags: true}\n";

/// Any text, weighted towards what breaks feeds.
fn hostile_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[ -~]{0,40}",
        prop::collection::vec(
            prop_oneof![
                Just("]]>".to_string()),
                Just("&amp;".to_string()),
                Just("&".to_string()),
                Just("&#0;".to_string()),
                Just("<".to_string()),
                Just("<b>".to_string()),
                Just("\u{0}".to_string()),
                Just("\u{1b}".to_string()),
                Just("\u{FFFE}".to_string()),
                Just("\u{85}".to_string()),
                Just("\r\n".to_string()),
                Just("中文".to_string()),
                Just("😀".to_string()),
                Just(" ".to_string()),
                "[a-z]{1,8}",
            ],
            0..12
        )
        .prop_map(|parts| parts.concat()),
        "x{2000,5000}",
    ]
}

/// Text without markup characters or commas, which titles and names keep as written.
fn plain_text() -> impl Strategy<Value = String> {
    hostile_text().prop_map(|s| s.replace(['<', '&', ','], "·"))
}

#[derive(Debug, Clone)]
struct PostDate {
    date: NaiveDate,
    hms: (u32, u32, u32),
    /// Minutes east of UTC; `None` writes no offset (read in the site's timezone).
    offset_minutes: Option<i32>,
}

fn post_date() -> impl Strategy<Value = PostDate> {
    (
        1u32..=9998,
        1u32..=12,
        1u32..=31,
        0u32..24,
        0u32..60,
        0u32..60,
        prop::option::of(-14 * 60..=14 * 60i32),
    )
        .prop_filter_map("real calendar day", |(y, m, d, h, mi, s, off)| {
            Some(PostDate {
                date: NaiveDate::from_ymd_opt(y as i32, m, d)?,
                hms: (h, mi, s),
                offset_minutes: off,
            })
        })
}

impl PostDate {
    fn yaml(&self) -> String {
        let (h, mi, s) = self.hms;
        let mut text = format!("{} {h:02}:{mi:02}:{s:02}", self.date.format("%Y-%m-%d"));
        if let Some(off) = self.offset_minutes {
            let sign = if off < 0 { '-' } else { '+' };
            text.push_str(&format!(
                " {sign}{:02}{:02}",
                off.abs() / 60,
                off.abs() % 60
            ));
        }
        text
    }

    /// The instant the date names, when it names exactly one (not in a DST gap or fold).
    fn instant(&self) -> Option<DateTime<Utc>> {
        let (h, mi, s) = self.hms;
        let local = self.date.and_hms_opt(h, mi, s)?;
        match self.offset_minutes {
            Some(off) => FixedOffset::east_opt(off * 60)?
                .from_local_datetime(&local)
                .single()
                .map(|t| t.with_timezone(&Utc)),
            None => chrono_tz::America::New_York
                .from_local_datetime(&local)
                .single()
                .map(|t| t.with_timezone(&Utc)),
        }
    }
}

#[derive(Debug, Clone)]
struct Post {
    title: String,
    categories: Vec<String>,
    tags: Vec<String>,
    date: PostDate,
    body: String,
    markdown: bool,
}

fn post() -> impl Strategy<Value = Post> {
    (
        plain_text(),
        prop::collection::vec(plain_text(), 0..4),
        prop::collection::vec(plain_text(), 0..3),
        post_date(),
        hostile_text(),
        any::<bool>(),
    )
        .prop_map(|(title, categories, tags, date, body, markdown)| Post {
            title,
            categories,
            tags,
            date,
            body,
            markdown,
        })
}

impl Post {
    fn file(&self) -> String {
        let list = |names: &[String]| {
            names
                .iter()
                .map(|n| yaml_quoted(n))
                .collect::<Vec<_>>()
                .join(", ")
        };
        format!(
            "---\ntitle: {}\ndate: {}\ncategories: [{}]\ntags: [{}]\n---\n{}\n",
            yaml_quoted(&self.title),
            self.date.yaml(),
            list(&self.categories),
            list(&self.tags),
            self.body
        )
    }

    /// Category and tag names as a reader sees them: cleaned, in Unicode NFC, de-duplicated
    /// ignoring case.
    fn expected_terms(&self) -> HashSet<String> {
        use unicode_normalization::UnicodeNormalization;
        let mut seen = HashSet::new();
        let mut names = HashSet::new();
        for name in self.categories.iter().chain(&self.tags) {
            let name: String = expected_text(name.trim()).nfc().collect();
            if !name.is_empty() && seen.insert(name.to_lowercase()) {
                names.insert(name);
            }
        }
        names
    }
}

/// Checks every file under `out` (but frontfeed's own state in out/.frontfeed): well-formed,
/// only XML characters, readable by feed-rs.
fn check_all_feeds(out: &Path) -> Vec<(String, feed_rs::model::Feed)> {
    let mut feeds = Vec::new();
    for (name, bytes) in output_tree(out) {
        let path = out.join(&name);
        let text = String::from_utf8(bytes.clone()).expect("UTF-8");
        assert!(text.chars().all(is_xml_char), "{}", path.display());
        roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let feed = feed_rs::parser::parse(&bytes[..])
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        feeds.push((name.to_string_lossy().into_owned(), feed));
    }
    feeds
}

proptest! {
    // 64 cases in the normal suite; `PROPTEST_CASES=5000 cargo test --test integration
    // properties::` for a longer hunt.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(64),
        // Failures found before are tried first, from properties.proptest-regressions beside
        // this file. (proptest's default would look for tests/proptest-regressions/, as it
        // finds tests/integration/main.rs.)
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("proptest-regressions"))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_post_round_trips(post in post()) {
        let dir = tempfile::tempdir().unwrap();
        let posts = dir.path().join("posts");
        std::fs::create_dir_all(&posts).unwrap();
        let name = if post.markdown { "post.md" } else { "post.html" };
        std::fs::write(posts.join(name), post.file()).unwrap();
        let out = dir.path().join("out");
        let report = frontfeed::build(&build_options(posts, out.clone(), CONFIG)).unwrap();
        prop_assert_eq!(report.files_failed, 0);

        let expected_title = expected_text(&post.title);
        let feeds = check_all_feeds(&out);
        prop_assert!(feeds.len() >= 2);
        let instant = post.date.instant();
        for (name, feed) in &feeds {
            prop_assert_eq!(feed.entries.len(), 1, "{}", name);
            let entry = &feed.entries[0];
            if !expected_title.is_empty() {
                prop_assert_eq!(&entry.title.as_ref().unwrap().content, &expected_title, "{}", name);
            }
            let categories: HashSet<String> =
                entry.categories.iter().map(|c| c.term.clone()).collect();
            prop_assert_eq!(&categories, &post.expected_terms(), "{}", name);
            if let Some(instant) = instant {
                prop_assert_eq!(entry.published, Some(instant), "{}", name);
            }
        }
    }

    #[test]
    fn arbitrary_bytes_cost_only_their_own_post(bytes in prop::collection::vec(any::<u8>(), 0..2000), fenced in any::<bool>()) {
        let dir = tempfile::tempdir().unwrap();
        let posts = dir.path().join("posts");
        std::fs::create_dir_all(&posts).unwrap();
        std::fs::write(posts.join("good.md"), "---\ntitle: Good\ndate: 2024-05-01 08:00:00 +0800\n---\nFine.\n").unwrap();
        let mut noise = if fenced { b"---\n".to_vec() } else { Vec::new() };
        noise.extend(&bytes);
        std::fs::write(posts.join("noise.md"), &noise).unwrap();
        let out = dir.path().join("out");
        let report = frontfeed::build(&build_options(posts, out.clone(), CONFIG)).unwrap();
        prop_assert_eq!(report.files_failed, 0);
        let feeds = check_all_feeds(&out);
        let (_, global) = feeds.iter().find(|(name, _)| name == "atom.xml").unwrap();
        prop_assert!(global
            .entries
            .iter()
            .any(|e| e.title.as_ref().unwrap().content == "Good"));
    }

    /// Any Liquid made of Jekyll's pieces (tags, loops, includes, filters, broken or not):
    /// the build never panics or hangs, every feed is well-formed, the good post beside it is
    /// kept, and the reader never sees the post's template source as text.
    #[test]
    fn any_liquid_is_rendered_within_bounds(pieces in prop::collection::vec(prop::sample::select(LIQUID_PIECES), 0..60)) {
        let dir = tempfile::tempdir().unwrap();
        let posts = dir.path().join("posts");
        std::fs::create_dir_all(posts.join("../_includes")).unwrap();
        std::fs::write(dir.path().join("_includes/self.html"), "again {% include self.html %}").unwrap();
        std::fs::write(dir.path().join("_includes/note.html"), "[{{ include.text }}]").unwrap();
        std::fs::write(posts.join("good.md"), "---\ntitle: Good\ndate: 2024-05-01 08:00:00 +0800\n---\nFine.\n").unwrap();
        let body: String = pieces.concat();
        std::fs::write(posts.join("liquid.md"), format!("---\ntitle: Liquid\ndate: 2024-05-02\n---\n{body}\n")).unwrap();
        let out = dir.path().join("out");
        let started = std::time::Instant::now();
        let report = frontfeed::build(&build_options(posts, out.clone(), CONFIG)).unwrap();
        // The time budget of one post's Liquid is 2 s; a debug build of the rest is far quicker.
        prop_assert!(started.elapsed() < std::time::Duration::from_secs(20));
        prop_assert_eq!(report.files_failed, 0);
        let feeds = check_all_feeds(&out);
        let (_, global) = feeds.iter().find(|(name, _)| name == "atom.xml").unwrap();
        prop_assert!(global.entries.iter().any(|e| e.title.as_ref().unwrap().content == "Good"));
        let liquid = global.entries.iter().find(|e| e.title.as_ref().unwrap().content == "Liquid").unwrap();
        let html = liquid.content.as_ref().and_then(|c| c.body.clone()).unwrap_or_default();
        // Outside `{% raw %}` (whose inside is text on purpose), no whole tag survives; an
        // opener never closed stays as text, with a warning.
        if !body.contains("raw") {
            let whole_tag = html.find("{%").is_some_and(|i| html[i..].contains("%}"));
            prop_assert!(!whole_tag, "{}", html);
            if html.contains("{%") || html.contains("{{") {
                prop_assert!(report.diagnostics.iter().any(|d| d.message.contains("never closed")));
            }
        }
    }
}

/// Pieces of Jekyll's Liquid, to be put together in any order.
const LIQUID_PIECES: &[&str] = &[
    "{% ",
    " %}",
    "{{ ",
    " }}",
    "{%- ",
    " -%}",
    "for i in (1..50)",
    "for p in site.posts",
    "endfor",
    "if page.title",
    "elsif x",
    "else",
    "endif",
    "unless x",
    "endunless",
    "case x",
    "when 1",
    "endcase",
    "assign x = 3",
    "capture c",
    "endcapture",
    "raw",
    "endraw",
    "comment",
    "endcomment",
    "highlight ruby linenos",
    "endhighlight",
    "include note.html text=\"t\"",
    "include self.html",
    "include ../secret",
    "include_relative x.md",
    "post_url 2024-05-01-good",
    "link posts/good.md",
    "gist 1",
    "site.data.none",
    "page.title",
    " | upcase",
    " | nope: 1",
    " | date: \"%Y\"",
    " | where_exp: \"i\", \"i > 1\"",
    " | jsonify",
    " | relative_url",
    "forloop.index",
    "x",
    "\"",
    "'",
    "\n",
    "\n\n",
    "text ",
    "中文 ",
    "**b**",
    "{:toc}",
    "<b>",
    "</b>",
];
