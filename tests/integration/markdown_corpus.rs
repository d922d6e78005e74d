//! frontfeed's Markdown against Jekyll's: every tests/fixtures/markdown/NAME.md is rendered
//! and compared with NAME.kramdown.html, the HTML Jekyll 4.3's kramdown made of it (saved by
//! `scripts/kramdown_oracle.sh`, so no Ruby is needed here). The markup may differ; what a reader
//! sees may not: the same text, no kramdown or Markdown syntax left over, the same number of
//! code blocks, tables, list items and images, the same link targets and the same ids (heading,
//! footnote, attribute-list and table-of-contents ids, so in-page links work).

use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;
use std::sync::LazyLock;

use regex::Regex;

use crate::harness::{fixture, percent_decode};

static TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?s)<[^>]*>").unwrap());
/// Tags inside a line of text (kramdown's code highlighting adds `<span>`s in code).
static INLINE_TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?is)</?(?:span|em|strong|a|code|abbr|sup|sub|del|kbd|b|i|u|s|mark|small)(?:\s[^>]*)?>",
    )
    .unwrap()
});
static COMMENT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?s)<!--.*?-->").unwrap());
static CODE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?s)<pre[\s>].*?</pre>|<code[\s>].*?</code>").unwrap());
static HREF: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#"<a\s[^>]*href="([^"]*)""#).unwrap());
static ID: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#"\sid="([^"]*)""#).unwrap());

/// The corpus: tests/fixtures/markdown, or for the ignored tests the folder named by
/// `MARKDOWN_CORPUS` (NAME.md beside NAME.kramdown.html, e.g. posts of a real blog rendered by
/// `scripts/kramdown_oracle.sh`).
fn fixtures() -> Vec<PathBuf> {
    let dir =
        std::env::var_os("MARKDOWN_CORPUS").map_or_else(|| fixture("markdown"), PathBuf::from);
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no corpus in {}", dir.display());
    files
}

/// What a reader sees: tags and comments gone, entities decoded, whitespace collapsed,
/// typographic quotes straight.
fn visible_text(html: &str) -> String {
    let html = COMMENT.replace_all(html, " ");
    let html = INLINE_TAG.replace_all(&html, "");
    let text = TAG.replace_all(&html, " ");
    let text = html_escape::decode_html_entities(&text);
    let text: String = text
        .chars()
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' => '\'',
            '\u{201C}' | '\u{201D}' => '"',
            '\u{A0}' => ' ',
            c => c,
        })
        .collect();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Leftover syntax in the text outside code.
fn syntax_outside_code(html: &str) -> BTreeMap<&'static str, usize> {
    let html = CODE.replace_all(html, " ");
    let text = visible_text(&html);
    ["{:", "{::", "**", "](", "[^"]
        .into_iter()
        .map(|marker| (marker, text.matches(marker).count()))
        .collect()
}

fn count(html: &str, tags: &[&str]) -> usize {
    tags.iter().map(|t| html.matches(t).count()).sum()
}

fn hrefs(html: &str) -> Vec<String> {
    let mut out: Vec<String> = HREF
        .captures_iter(html)
        .map(|c| {
            let raw = html_escape::decode_html_entities(&c[1]).into_owned();
            percent_decode(&raw)
        })
        .collect();
    out.sort();
    out
}

fn ids(html: &str) -> Vec<String> {
    let mut out: Vec<String> = ID
        .captures_iter(html)
        .map(|c| percent_decode(&html_escape::decode_html_entities(&c[1])))
        .collect();
    out.sort();
    out
}

/// Every difference a reader would notice between frontfeed's HTML and kramdown's.
fn differences(ours: &str, oracle: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let (a, b) = (syntax_outside_code(ours), syntax_outside_code(oracle));
    for (marker, n) in &a {
        if *n > b[marker] {
            problems.push(format!(
                "`{marker}` left in the text {n} times (kramdown: {})",
                b[marker]
            ));
        }
    }
    let (ta, tb) = (visible_text(ours), visible_text(oracle));
    if ta != tb {
        problems.push(format!(
            "text differs:\n    ours:     {ta}\n    kramdown: {tb}"
        ));
    }
    let checks: [(&str, &[&str]); 4] = [
        ("<pre>", &["<pre>", "<pre "]),
        ("<table>", &["<table>", "<table "]),
        ("<li>", &["<li>", "<li "]),
        ("<img>", &["<img "]),
    ];
    for (name, tags) in checks {
        let (na, nb) = (count(ours, tags), count(oracle, tags));
        if na != nb {
            problems.push(format!("{name}: {na} (kramdown: {nb})"));
        }
    }
    let (ha, hb) = (hrefs(ours), hrefs(oracle));
    if ha != hb {
        problems.push(format!("link targets: {ha:?} (kramdown: {hb:?})"));
    }
    let (ia, ib) = (ids(ours), ids(oracle));
    if ia != ib {
        problems.push(format!("ids: {ia:?} (kramdown: {ib:?})"));
    }
    problems
}

#[test]
fn corpus_reads_as_kramdown_does() {
    let mut failures = Vec::new();
    let files = fixtures();
    assert!(files.len() >= 30 || std::env::var_os("MARKDOWN_CORPUS").is_some());
    for md_path in files {
        let md = fs::read_to_string(&md_path).unwrap();
        let oracle_path = md_path.with_extension("kramdown.html");
        let oracle = fs::read_to_string(&oracle_path).unwrap_or_else(|_| {
            panic!(
                "{} is missing: run scripts/kramdown_oracle.sh",
                oracle_path.display()
            )
        });
        let (ours, _warnings) = frontfeed::render::markdown::to_html(&md);
        let problems = differences(&ours, &oracle);
        if !problems.is_empty() {
            failures.push(format!(
                "{}:\n  {}\n  --- ours:\n{ours}",
                md_path.file_name().unwrap().to_string_lossy(),
                problems.join("\n  ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} fixtures differ:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// frontfeed's HTML and warnings for each file of the corpus, to read beside the oracle's:
/// `cargo test --test integration markdown_corpus::print_frontfeed_html -- --ignored --nocapture`.
#[test]
#[ignore = "prints the HTML to read beside the oracle's; nothing to check"]
fn print_frontfeed_html() {
    for md_path in fixtures() {
        let md = fs::read_to_string(&md_path).unwrap();
        let (ours, warnings) = frontfeed::render::markdown::to_html(&md);
        println!("=== {}\n{ours}{warnings:?}", md_path.display());
    }
}

/// Plain CommonMark as frontfeed rendered it before (pulldown-cmark with tables, footnotes,
/// strikethrough and task lists).
fn pulldown_cmark(md: &str) -> String {
    use pulldown_cmark::{Options, Parser};
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS;
    let md = frontfeed::render::markdown::join_html_blocks(md);
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, Parser::new_ext(&md, options));
    html
}

/// comrak alone, with every option that brings it nearer kramdown and nothing around it.
fn comrak_alone(md: &str) -> String {
    let mut options = comrak::Options::default();
    options.extension.strikethrough = true;
    options.extension.table = true;
    options.extension.tasklist = true;
    options.extension.footnotes = true;
    options.extension.description_lists = true;
    options.extension.math_dollars = true;
    options.extension.cjk_friendly_emphasis = true;
    options.extension.header_id_prefix = Some(String::new());
    options.parse.smart = true;
    options.render.r#unsafe = true;
    let md = frontfeed::render::markdown::join_html_blocks(md);
    comrak::markdown_to_html(&md, &options)
}

/// How many fixtures each engine gets right on its own: `cargo test --test integration
/// markdown_corpus::engine_comparison -- --ignored --nocapture`.
#[test]
#[ignore = "a comparison to print, not a check; compiles and runs three engines"]
fn engine_comparison() {
    type Engine = (&'static str, fn(&str) -> String);
    let engines: [Engine; 3] = [
        ("pulldown-cmark", pulldown_cmark),
        ("comrak", comrak_alone),
        ("frontfeed", |md| frontfeed::render::markdown::to_html(md).0),
    ];
    for (name, render) in engines {
        let mut passed = 0;
        let mut problems = 0;
        let mut failed = Vec::new();
        let files = fixtures();
        for md_path in &files {
            let md = fs::read_to_string(md_path).unwrap();
            let oracle = fs::read_to_string(md_path.with_extension("kramdown.html")).unwrap();
            let found = differences(&render(&md), &oracle);
            if found.is_empty() {
                passed += 1;
            } else {
                problems += found.len();
                failed.push(md_path.file_stem().unwrap().to_string_lossy().into_owned());
            }
        }
        failed.truncate(40);
        println!(
            "{name}: {passed}/{} fixtures as kramdown, {problems} differences; differ: {}",
            files.len(),
            failed.join(" ")
        );
    }
}
