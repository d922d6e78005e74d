//! Differential CONTENT test against the real Jekyll: `tests/fixtures/jekyll-content` (one short
//! post per Liquid tag or filter and per kramdown construct, in English and in Chinese) is built
//! by Jekyll 4.3 with jekyll-feed and by frontfeed, the entries are paired by link, and for every
//! entry frontfeed's `<content>` must
//!
//! - (a) show no Liquid source (`{%`, `{{`) and no kramdown source (`{:`, `{::`) outside
//!   `<pre>`/`<code>` (beyond what jekyll-feed's own content shows there);
//! - (b) read as the same visible text as jekyll-feed's: tags stripped, comments, scripts and
//!   line-number gutters left out, entities decoded, typographic quotes, dashes and ellipses
//!   written plainly, whitespace collapsed. Equal, or at least `MIN_RATIO` similar (an LCS ratio,
//!   always reported). For a post in `KNOWN_DIFFERENT`, where frontfeed is better than Jekyll
//!   on purpose, Jekyll's text is first given that documented difference: the allow-list
//!   excuses exactly that, never a loss of text beside it;
//! - (c) hold as many `<pre>` blocks (outermost ones: a highlighted block with line numbers is
//!   one block, whatever tables and `<pre>`s it nests);
//! - (d) link the same targets: every `href` and `src`, resolved against the entry's link
//!   (jekyll-feed writes them relative to the site), compared percent-decoded.
//!
//! Every warning frontfeed prints must name a file and line, and an entry that fails (a) or (b)
//! must be named by one (no silent loss). On failure the message is a table, one row per post,
//! followed by the details of each failing post.
//!
//! Needs `jekyll` and the jekyll-feed plugin (`apt-get install -y jekyll ruby-jekyll-feed`).
//! Without them the test prints a loud SKIPPED line and passes, unless `FRONTFEED_REQUIRE_JEKYLL`
//! is set (CI sets it once it has installed Jekyll), in which case it fails.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::PathBuf;

use crate::harness::{
    alternate_link, build_command, copy_site, fixture, is_xml_char, jekyll_build, map_atom_entries,
    percent_decode, skip_without_jekyll, starts_reference, stderr, stdout, ATOM_NS,
};

/// `url` + `baseurl` of `_config.yml`, and `base_url` of `frontfeed.yaml`.
const SITE: &str = "https://content.example.org";
/// The least text similarity accepted for a post that is not known to differ.
const MIN_RATIO: f64 = 0.99;
/// Liquid and kramdown source that must not reach a reader as text.
const SOURCE_MARKERS: [&str; 3] = ["{%", "{{", "{:"];

/// A post where frontfeed differs from Jekyll on purpose, and how.
struct Known {
    /// The post's file name without its extension.
    post: &'static str,
    why: &'static str,
    /// Replacements that turn Jekyll's visible text into what frontfeed is meant to show; the
    /// text is compared after them, and held to `MIN_RATIO` like any other.
    fix: &'static [(&'static str, &'static str)],
}

/// Kept small: each entry says why frontfeed differs from Jekyll there (better on purpose, or
/// a documented limit).
const KNOWN_DIFFERENT: &[Known] = &[
    Known {
        post: "2021-01-18-text-filters",
        why: "a documented limit: liquid-rust's objects keep no key order, so `jsonify` writes a \
              hash's keys sorted (the same in every build); Jekyll keeps the data file's order",
        fix: &[(
            "{\"version\":\"1.0.0\",\"date\":\"2019-05-02\",\"stable\":true,\"codename\":\"Acorn\"}",
            "{\"codename\":\"Acorn\",\"date\":\"2019-05-02\",\"stable\":true,\"version\":\"1.0.0\"}",
        )],
    },
    Known {
        post: "2022-02-15-zh-text-filters",
        why: "the same `jsonify` key order",
        fix: &[(
            "{\"name\":\"Lin Qiao\",\"role\":\"editor\",\"city\":\"Hangzhou\",\"since\":2017}",
            "{\"city\":\"Hangzhou\",\"name\":\"Lin Qiao\",\"role\":\"editor\",\"since\":2017}",
        )],
    },
    Known {
        post: "2021-01-28-html-title",
        why: "kramdown passes a bare `<title>` in prose through and closes it at the end of the \
              paragraph; `<title>` is raw text to an HTML parser, so a reader of jekyll-feed \
              loses the rest of the sentence. frontfeed keeps it all, `<title>` as text",
        fix: &[(
            "the text of the The rest",
            "the text of the <title> element in the tab, and search engines use it as the \
             headline of a result, so keep it short and specific. The rest",
        )],
    },
    Known {
        post: "2022-02-25-zh-html-title",
        why: "the same bare `<title>`, in Chinese prose",
        fix: &[(
            "浏览器把 头部",
            "浏览器把 <title> 的文字显示在标签页上，搜索引擎也用它作结果的标题，所以要简短明确。 头部",
        )],
    },
];

#[test]
fn content_matches_jekyll() {
    if skip_without_jekyll() {
        return;
    }

    let site = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let dest = tempfile::tempdir().unwrap();
    copy_site(&site_fixture(), site.path());

    // frontfeed first: it walks the whole site folder, which must not hold `_site` yet.
    let ff = build_command(site.path(), &site.path().join("frontfeed.yaml"), out.path())
        .output()
        .unwrap();
    let ff_stderr = stderr(&ff);
    assert!(
        ff.status.success(),
        "frontfeed build failed ({}):\n{ff_stderr}",
        ff.status
    );

    let jk = jekyll_build(site.path(), dest.path()).output().unwrap();
    let jk_log = format!("{}{}", stdout(&jk), stderr(&jk));
    assert!(
        jk.status.success(),
        "jekyll build failed ({}); is jekyll-feed installed (ruby-jekyll-feed)?\n{jk_log}",
        jk.status
    );
    assert!(
        !jk_log.contains("Error:") && !jk_log.contains("Liquid Exception"),
        "Jekyll reported a problem with the fixture:\n{jk_log}"
    );

    let jekyll_xml = std::fs::read_to_string(dest.path().join("feed.xml")).unwrap();
    let (jekyll_xml, repairs) = repair_xml(&jekyll_xml);
    let jekyll = atom_entries(&jekyll_xml, "Jekyll's feed.xml");
    let frontfeed_xml = std::fs::read_to_string(out.path().join("atom.xml")).unwrap();
    let frontfeed = atom_entries(&frontfeed_xml, "frontfeed's atom.xml");

    // The fixture itself: jekyll-feed must carry every post, or the comparison is short.
    let posts = fixture_posts();
    assert_eq!(
        jekyll.len(),
        posts.len(),
        "jekyll-feed's feed.xml does not hold every post of the fixture ({} of {}); \
         keep the fixture's posts in the past and published",
        jekyll.len(),
        posts.len()
    );

    let warnings = parse_warnings(&ff_stderr);
    let comparison = compare(&jekyll, &frontfeed, &posts, &warnings);

    let located = warnings.iter().filter(|w| w.location.is_some()).count();
    let mut summary = format!(
        "jekyll-content: Jekyll {} entries, frontfeed {}; {} of {} posts pass; \
         frontfeed printed {} warnings ({located} naming a file:line)",
        jekyll.len(),
        frontfeed.len(),
        comparison.passed,
        comparison.rows.len(),
        warnings.len(),
    );
    if repairs > 0 {
        let _ = write!(
            summary,
            "; note: {repairs} repairs to jekyll-feed's XML (bare `&`, control characters)"
        );
    }
    eprintln!("{summary}");

    let mut failures = comparison.failures;
    let unlocated: Vec<&Warning> = warnings.iter().filter(|w| w.location.is_none()).collect();
    if !unlocated.is_empty() {
        let _ = writeln!(
            failures,
            "\nfrontfeed warnings that name no file:line ({}):",
            unlocated.len()
        );
        for w in unlocated {
            let _ = writeln!(failures, "  {}", w.text);
        }
    }
    assert!(
        failures.is_empty(),
        "frontfeed's content differs from Jekyll's\n{summary}\n\n{}\n{failures}",
        comparison.table
    );
}

/// The fixture: `tests/fixtures/jekyll-content`.
fn site_fixture() -> PathBuf {
    fixture("jekyll-content")
}

/// The fixture's posts (`_posts/YYYY-MM-DD-slug.ext`), by file name without the extension.
fn fixture_posts() -> BTreeSet<String> {
    std::fs::read_dir(site_fixture().join("_posts"))
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let stem = name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s);
            let dated = stem.len() > 11
                && stem.as_bytes()[..10].iter().enumerate().all(|(i, b)| {
                    if i == 4 || i == 7 {
                        *b == b'-'
                    } else {
                        b.is_ascii_digit()
                    }
                })
                && stem.as_bytes()[10] == b'-';
            dated.then(|| stem.to_string())
        })
        .collect()
}

/// The post a link names: `…/YYYY/MM/DD/slug.html` is `YYYY-MM-DD-slug` (the fixture uses
/// Jekyll's default permalink), or the link's path when no post matches.
fn post_of(link: &str, posts: &BTreeSet<String>) -> String {
    let path = percent_decode(link.strip_prefix(SITE).unwrap_or(link));
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if let [.., year, month, day, last] = segments.as_slice() {
        let slug = last.strip_suffix(".html").unwrap_or(last);
        let name = format!("{year}-{month}-{day}-{slug}");
        if posts.contains(&name) {
            return name;
        }
    }
    path
}

// ---------------------------------------------------------------------------------------------
// Feeds

/// One Atom entry: its alternate link, the base its content's URLs are relative to, and the
/// content as HTML.
struct Entry {
    link: String,
    key: String,
    base: String,
    html: String,
}

/// `xml` with every `&` outside CDATA that starts no entity or character reference written
/// `&amp;`, and every character XML 1.0 forbids removed; and how many repairs that took.
/// jekyll-feed writes both into its feed as it finds them.
fn repair_xml(xml: &str) -> (String, usize) {
    let mut out = String::with_capacity(xml.len());
    let mut count = 0;
    let mut rest = xml;
    while !rest.is_empty() {
        if rest.starts_with("<![CDATA[") {
            let end = rest.find("]]>").map_or(rest.len(), |i| i + 3);
            for c in rest[..end].chars() {
                if is_xml_char(c) {
                    out.push(c);
                } else {
                    count += 1;
                }
            }
            rest = &rest[end..];
            continue;
        }
        let c = rest.chars().next().unwrap();
        rest = &rest[c.len_utf8()..];
        if !is_xml_char(c) {
            count += 1;
        } else if c == '&' {
            if starts_reference(rest) {
                out.push('&');
            } else {
                out.push_str("&amp;");
                count += 1;
            }
        } else {
            out.push(c);
        }
    }
    (out, count)
}

fn atom_entries(text: &str, what: &str) -> Vec<Entry> {
    map_atom_entries(text, what, |entry| {
        let link = alternate_link(entry);
        let content = entry
            .children()
            .find(|n| n.has_tag_name((ATOM_NS, "content")));
        let html = content.map(|c| content_html(c, text)).unwrap_or_default();
        let base = content
            .and_then(|c| c.attribute(("http://www.w3.org/XML/1998/namespace", "base")))
            .unwrap_or(&link)
            .to_string();
        Entry {
            key: percent_decode(&link),
            link,
            base,
            html,
        }
    })
}

/// An Atom `<content>` as HTML: the text of `type="html"`, or the markup inside the `<div>` of
/// `type="xhtml"` as written in the file.
fn content_html(content: roxmltree::Node, source: &str) -> String {
    if content.attribute("type") == Some("xhtml") {
        let div = content.children().find(roxmltree::Node::is_element);
        let inner = div.map(|d| {
            let first = d.first_child().map(|n| n.range().start);
            let last = d.last_child().map(|n| n.range().end);
            match (first, last) {
                (Some(a), Some(b)) => source[a..b].to_string(),
                _ => String::new(),
            }
        });
        return inner.unwrap_or_default();
    }
    content
        .children()
        .filter_map(|n| n.text())
        .collect::<String>()
}

// ---------------------------------------------------------------------------------------------
// Comparison

struct Comparison {
    table: String,
    failures: String,
    passed: usize,
    rows: Vec<Row>,
}

struct Row {
    post: String,
    /// `None` when the post has no entry in frontfeed's feed.
    ratio: Option<f64>,
    equal: bool,
    known: Option<&'static Known>,
    pre: (usize, usize),
    missing: Vec<String>,
    extra: Vec<String>,
    raw: Vec<String>,
    warnings: usize,
    problems: Vec<&'static str>,
    detail: String,
}

fn compare(
    jekyll: &[Entry],
    frontfeed: &[Entry],
    posts: &BTreeSet<String>,
    warnings: &[Warning],
) -> Comparison {
    let by_key: BTreeMap<&str, &Entry> = frontfeed.iter().map(|e| (e.key.as_str(), e)).collect();
    let jekyll_keys: BTreeSet<&str> = jekyll.iter().map(|e| e.key.as_str()).collect();
    let mut rows = Vec::new();
    for j in jekyll {
        let post = post_of(&j.link, posts);
        let warned = warnings.iter().filter(|w| names(w, &post)).count();
        match by_key.get(j.key.as_str()) {
            Some(f) => rows.push(compare_entry(post, j, f, warned)),
            None => rows.push(Row {
                post,
                ratio: None,
                equal: false,
                known: None,
                pre: (read_html(&j.html).pre_blocks, 0),
                missing: Vec::new(),
                extra: Vec::new(),
                raw: Vec::new(),
                warnings: warned,
                problems: vec!["no frontfeed entry with this link"],
                detail: format!("  Jekyll's link: {}\n", j.link),
            }),
        }
    }
    let extra: Vec<&Entry> = frontfeed
        .iter()
        .filter(|e| !jekyll_keys.contains(e.key.as_str()))
        .collect();

    let mut table = String::new();
    let _ = writeln!(
        table,
        "{:<32} {:>7} {:>7} {:>9} {:>4} {:>5}  status",
        "post", "text", "pre J/F", "links -/+", "raw", "warn"
    );
    let mut failures = String::new();
    let mut passed = 0;
    for row in &rows {
        let text = match row.ratio {
            None => "-".to_string(),
            Some(_) if row.equal => "=".to_string(),
            Some(r) => format!("{r:.3}"),
        };
        let status = if row.problems.is_empty() {
            passed += 1;
            match row.known {
                Some(_) => "ok (known difference, see below)".to_string(),
                None => "ok".to_string(),
            }
        } else {
            format!("FAIL: {}", row.problems.join(", "))
        };
        let _ = writeln!(
            table,
            "{:<32} {:>7} {:>7} {:>9} {:>4} {:>5}  {status}",
            row.post,
            text,
            format!("{}/{}", row.pre.0, row.pre.1),
            format!("{}/{}", row.missing.len(), row.extra.len()),
            row.raw.len(),
            row.warnings,
        );
        if !row.problems.is_empty() {
            let _ = write!(
                failures,
                "\n== {} ({})\n{}",
                row.post,
                row.problems.join(", "),
                row.detail
            );
        }
    }
    if !extra.is_empty() {
        let _ = writeln!(
            failures,
            "\nentries only in frontfeed's feed ({}):",
            extra.len()
        );
        for e in extra {
            let _ = writeln!(failures, "  {}", e.link);
        }
    }
    let notes: Vec<String> = rows
        .iter()
        .filter_map(|r| r.known.map(|k| format!("  {}: {}", k.post, k.why)))
        .collect();
    if !notes.is_empty() {
        let _ = writeln!(
            table,
            "known differences (compared after applying them):\n{}",
            notes.join("\n")
        );
    }
    Comparison {
        table,
        failures,
        passed,
        rows,
    }
}

fn compare_entry(post: String, j: &Entry, f: &Entry, warned: usize) -> Row {
    let jr = read_html(&j.html);
    let fr = read_html(&f.html);
    let known = KNOWN_DIFFERENT.iter().find(|k| k.post == post);
    let mut expected = jr.text.clone();
    let mut stale = Vec::new();
    for (from, to) in known.map_or(&[][..], |k| k.fix) {
        if !expected.contains(from) {
            stale.push(*from);
        }
        expected = expected.replace(from, to);
    }
    let equal = expected == fr.text;
    let ratio = if equal {
        1.0
    } else {
        similarity(&expected, &fr.text)
    };

    let raw = new_source(&markers(&jr.outside_code), markers(&fr.outside_code));
    let jekyll_links = resolve_all(&jr.links, &j.base);
    let frontfeed_links = resolve_all(&fr.links, &f.base);
    let missing: Vec<String> = jekyll_links.difference(&frontfeed_links).cloned().collect();
    let extra: Vec<String> = frontfeed_links.difference(&jekyll_links).cloned().collect();

    let mut problems = Vec::new();
    let mut detail = String::new();
    if !stale.is_empty() {
        problems.push("stale known difference");
        for from in &stale {
            let _ = writeln!(
                detail,
                "  KNOWN_DIFFERENT expects {from:?} in Jekyll's text; it is not there"
            );
        }
    }
    if !raw.is_empty() {
        problems.push("raw syntax");
        let _ = writeln!(detail, "  source outside <pre>/<code>:");
        for r in &raw {
            let _ = writeln!(detail, "    {r}");
        }
    }
    if !equal {
        if ratio < MIN_RATIO {
            problems.push("text");
        }
        if let Some(k) = known {
            let _ = writeln!(
                detail,
                "  (Jekyll's text with the known difference: {})",
                k.why
            );
        }
        let _ = write!(detail, "{}", first_difference(&expected, &fr.text));
    }
    if jr.pre_blocks != fr.pre_blocks {
        problems.push("pre count");
        let _ = writeln!(
            detail,
            "  <pre> blocks: Jekyll {}, frontfeed {}",
            jr.pre_blocks, fr.pre_blocks
        );
    }
    if !missing.is_empty() || !extra.is_empty() {
        problems.push("links");
        for l in &missing {
            let _ = writeln!(detail, "  link missing: {l}");
        }
        for l in &extra {
            let _ = writeln!(detail, "  link extra:   {l}");
        }
    }
    let lost = problems.contains(&"raw syntax") || problems.contains(&"text");
    if lost && warned == 0 {
        problems.push("silent (no warning names this post)");
    }
    Row {
        post,
        ratio: Some(ratio),
        equal,
        known,
        pre: (jr.pre_blocks, fr.pre_blocks),
        missing,
        extra,
        raw,
        warnings: warned,
        problems,
        detail,
    }
}

/// Whether a warning names the post's file (with a line or not: a missing line is reported
/// on its own).
fn names(warning: &Warning, post: &str) -> bool {
    let file_is_post = |file: &str| {
        let name = file.rsplit(['/', '\\']).next().unwrap_or(file);
        name.rsplit_once('.').map_or(name, |(stem, _)| stem) == post
    };
    match &warning.location {
        Some((file, _)) => file_is_post(file),
        None => warning
            .text
            .split(|c: char| c.is_whitespace() || c == ':')
            .any(file_is_post),
    }
}

/// Every Liquid or kramdown marker in `text`, each with the text that follows it.
fn markers(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (i, _) in text.char_indices() {
        if SOURCE_MARKERS.iter().any(|m| text[i..].starts_with(m)) {
            let snippet: String = text[i..]
                .chars()
                .take_while(|c| *c != '\n')
                .take(40)
                .collect();
            found.push(snippet);
        }
    }
    found
}

/// The markers of frontfeed's content that jekyll-feed's content does not show as well.
fn new_source(jekyll: &[String], mut frontfeed: Vec<String>) -> Vec<String> {
    for j in jekyll {
        if let Some(i) = frontfeed.iter().position(|f| f == j) {
            frontfeed.remove(i);
        }
    }
    frontfeed
}

/// `attr=url` for every link, resolved against `base` and percent-decoded, without the site.
fn resolve_all(links: &[(String, String)], base: &str) -> BTreeSet<String> {
    let base = url::Url::parse(base).ok();
    links
        .iter()
        .map(|(attr, link)| {
            let resolved = match base.as_ref().map(|b| b.join(link.trim())) {
                Some(Ok(u)) => percent_decode(u.as_str()),
                _ => format!("{link} (unresolvable)"),
            };
            let shown = resolved
                .strip_prefix(SITE)
                .map_or(resolved.clone(), |r| format!("~{r}"));
            format!("{attr}={shown}")
        })
        .collect()
}

/// Both texts around the first character where they part, for the details.
fn first_difference(jekyll: &str, frontfeed: &str) -> String {
    let a: Vec<char> = jekyll.chars().collect();
    let b: Vec<char> = frontfeed.chars().collect();
    let at = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let from = at.saturating_sub(40);
    let excerpt = |t: &[char]| -> String {
        let end = (at + 80).min(t.len());
        let mut s: String = t[from.min(t.len())..end].iter().collect();
        if from > 0 {
            s.insert(0, '…');
        }
        if end < t.len() {
            s.push('…');
        }
        s
    };
    format!(
        "  text differs at character {at} (Jekyll {} characters, frontfeed {}):\n    \
         Jekyll:    {:?}\n    frontfeed: {:?}\n",
        a.len(),
        b.len(),
        excerpt(&a),
        excerpt(&b)
    )
}

/// 2 × (longest common subsequence of characters) / (total characters), as Python's
/// `difflib` ratio; 1.0 for equal texts.
fn similarity(a: &str, b: &str) -> f64 {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let middle = lcs(&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    2.0 * (prefix + suffix + middle) as f64 / (a.len() + b.len()) as f64
}

fn lcs(a: &[char], b: &[char]) -> usize {
    let mut previous = vec![0usize; b.len() + 1];
    let mut current = vec![0usize; b.len() + 1];
    for x in a {
        for (j, y) in b.iter().enumerate() {
            current[j + 1] = if x == y {
                previous[j] + 1
            } else {
                current[j].max(previous[j + 1])
            };
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

// ---------------------------------------------------------------------------------------------
// Reading HTML

/// What the test reads out of one entry's HTML.
#[derive(Default)]
struct Reading {
    /// The text a reader sees, normalised (see `normalise`).
    text: String,
    /// Text and attribute values outside `<pre>` and `<code>`, decoded: where template or
    /// kramdown source would show.
    outside_code: String,
    /// Outermost `<pre>` elements.
    pre_blocks: usize,
    /// `(attribute, value)` of every `href` and `src`, entity-decoded.
    links: Vec<(String, String)>,
}

/// Elements that end a line of text: their tags count as whitespace.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "caption",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

/// Elements whose content a reader does not see (`title` is raw text up to `</title>` in an
/// HTML body, so a stray one hides the rest of the post).
const UNSEEN: &[&str] = &["script", "style", "template", "title", "noscript"];

/// Class names of line-number gutters (Rouge's table, Pygments, Chroma): their digits are not
/// part of the code.
const GUTTERS: &[&str] = &[
    "gutter",
    "gl",
    "lineno",
    "linenos",
    "line-number",
    "line-numbers",
    "lnt",
    "ln",
];

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

struct Tag {
    name: String,
    closing: bool,
    self_closing: bool,
    attrs: Vec<(String, String)>,
}

fn read_html(html: &str) -> Reading {
    let mut reading = Reading::default();
    let mut text = String::new();
    let (mut pre, mut code) = (0usize, 0usize);
    // Inside an element whose content is not seen: its name and how deep it nests.
    let mut hidden: Option<(String, usize)> = None;
    let mut rest = html;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |i| &after[i + 3..]);
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            rest = rest.find('>').map_or("", |i| &rest[i + 1..]);
            continue;
        }
        if let Some((tag, after)) = parse_tag(rest) {
            rest = after;
            if let Some((name, depth)) = &mut hidden {
                if *name == tag.name && !tag.self_closing {
                    if tag.closing {
                        *depth -= 1;
                    } else {
                        *depth += 1;
                    }
                    if *depth == 0 {
                        hidden = None;
                    }
                }
                continue;
            }
            let name = tag.name.as_str();
            if BLOCKS.contains(&name) {
                text.push(' ');
            }
            if tag.closing {
                match name {
                    "pre" => pre = pre.saturating_sub(1),
                    "code" => code = code.saturating_sub(1),
                    _ => {}
                }
                continue;
            }
            let gutter = tag
                .attrs
                .iter()
                .any(|(k, v)| k == "class" && v.split_whitespace().any(|c| GUTTERS.contains(&c)));
            if (UNSEEN.contains(&name) || gutter) && !tag.self_closing && !VOID.contains(&name) {
                hidden = Some((tag.name.clone(), 1));
                continue;
            }
            for (k, v) in &tag.attrs {
                if k == "href" || k == "src" {
                    reading.links.push((k.clone(), v.clone()));
                }
                if pre == 0 && code == 0 {
                    reading.outside_code.push(' ');
                    reading.outside_code.push_str(&percent_decode(v));
                }
            }
            if tag.self_closing || VOID.contains(&name) {
                continue;
            }
            match name {
                "pre" => {
                    if pre == 0 {
                        reading.pre_blocks += 1;
                    }
                    pre += 1;
                }
                "code" => code += 1,
                _ => {}
            }
            continue;
        }
        // Text, up to the next `<` (a `<` that starts no tag is text too).
        let first = rest.chars().next().map_or(1, char::len_utf8);
        let end = rest[first..].find('<').map_or(rest.len(), |i| i + first);
        let chunk = html_escape::decode_html_entities(&rest[..end]);
        rest = &rest[end..];
        if hidden.is_none() {
            text.push_str(&chunk);
            if pre == 0 && code == 0 {
                reading.outside_code.push_str(&chunk);
            }
        }
    }
    reading.text = normalise(&text);
    reading
}

/// The tag at the start of `s` and the text after it; `None` when `s` starts no tag.
fn parse_tag(s: &str) -> Option<(Tag, &str)> {
    let mut rest = s.strip_prefix('<')?;
    let closing = rest.starts_with('/');
    if closing {
        rest = &rest[1..];
    }
    if !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let name_end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == ':'))
        .unwrap_or(rest.len());
    let name = rest[..name_end].to_ascii_lowercase();
    rest = &rest[name_end..];
    let mut attrs = Vec::new();
    loop {
        rest = rest.trim_start();
        if let Some(after) = rest.strip_prefix("/>") {
            return Some((
                Tag {
                    name,
                    closing,
                    self_closing: true,
                    attrs,
                },
                after,
            ));
        }
        if let Some(after) = rest.strip_prefix('>') {
            return Some((
                Tag {
                    name,
                    closing,
                    self_closing: false,
                    attrs,
                },
                after,
            ));
        }
        if let Some(after) = rest.strip_prefix('/') {
            rest = after;
            continue;
        }
        if rest.is_empty() {
            return None;
        }
        let key_end = rest
            .find(|c: char| c.is_whitespace() || c == '=' || c == '>' || c == '/')
            .unwrap_or(rest.len());
        if key_end == 0 {
            // A stray `=` or quote: skip it.
            rest = &rest[rest.chars().next()?.len_utf8()..];
            continue;
        }
        let key = rest[..key_end].to_ascii_lowercase();
        rest = rest[key_end..].trim_start();
        let mut value = String::new();
        if let Some(after) = rest.strip_prefix('=') {
            rest = after.trim_start();
            if let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') {
                let body = &rest[1..];
                let end = body.find(quote)?;
                value = body[..end].to_string();
                rest = &body[end + 1..];
            } else {
                let end = rest
                    .find(|c: char| c.is_whitespace() || c == '>')
                    .unwrap_or(rest.len());
                value = rest[..end].to_string();
                rest = &rest[end..];
            }
        }
        attrs.push((key, html_escape::decode_html_entities(&value).into_owned()));
    }
}

/// Typographic quotes, dashes and ellipses written plainly (kramdown makes them of `'`, `"`,
/// `--`, `---`, `...`, `<<`, `>>`), whitespace collapsed.
fn normalise(text: &str) -> String {
    let text = text
        .replace(['\u{2018}', '\u{2019}'], "'")
        .replace(['\u{201c}', '\u{201d}'], "\"")
        .replace('\u{2026}', "...")
        .replace('\u{2013}', "--")
        .replace('\u{2014}', "---")
        .replace('\u{ab}', "<<")
        .replace('\u{bb}', ">>");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

// ---------------------------------------------------------------------------------------------
// Warnings

/// One warning frontfeed printed: its first line, and the file and line it names, if any.
struct Warning {
    text: String,
    location: Option<(String, u32)>,
}

/// Every `warning…` line of stderr with the `path.ext:LINE` it names, in that line or in the
/// indented lines after it (the rustc-style ` --> file:line:col`).
fn parse_warnings(stderr: &str) -> Vec<Warning> {
    let location = regex::Regex::new(r#"([^\s:'"`()<>]+\.[A-Za-z0-9]+):(\d+)"#).unwrap();
    let find = |line: &str| {
        location
            .captures(line)
            .map(|c| (c[1].to_string(), c[2].parse().unwrap_or(0)))
    };
    let mut warnings: Vec<Warning> = Vec::new();
    let mut in_warning = false;
    for line in stderr.lines() {
        if line.starts_with("warning") {
            warnings.push(Warning {
                text: line.to_string(),
                location: find(line),
            });
            in_warning = true;
        } else if in_warning && line.starts_with([' ', '\t', '|']) {
            let last = warnings.last_mut().unwrap();
            if last.location.is_none() {
                last.location = find(line);
            }
        } else {
            in_warning = false;
        }
    }
    warnings
}
