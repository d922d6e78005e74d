//! Differential test against the real Jekyll: for every permalink style and two timezones,
//! `tests/fixtures/jekyll-site` is built by Jekyll 4.3 (with jekyll-feed) and by frontfeed, and
//! frontfeed's entry links must be exactly jekyll-feed's links (compared after percent-decoding),
//! each naming a page Jekyll wrote, with as many entries as jekyll-feed has.
//!
//! Two jekyll-feed defects are worked around, and reported as notes with every run: it writes a
//! bare `&` into `<link href>` (repaired before parsing), and its links are NFKC-normalized, so
//! a page Jekyll wrote under a decomposed name (`cafe\u{301}/`) gets a link that names no page;
//! there, frontfeed may give either jekyll-feed's link or the page's.
//!
//! Needs `jekyll` and the jekyll-feed plugin (`apt-get install -y jekyll ruby-jekyll-feed`).
//! Without them the tests print a loud SKIPPED line and pass, unless `FRONTFEED_REQUIRE_JEKYLL`
//! is set (CI sets it once it has installed Jekyll), in which case they fail.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Component, Path, PathBuf};

use crate::harness::{
    alternate_link, build_command, copy_site, fixture, frontfeed, jekyll_build, map_atom_entries,
    percent_decode, skip_without_jekyll, starts_reference, stderr, stdout, ATOM_NS,
};

/// `url` + `baseurl` of `_config.yml`, and `base_url` of `frontfeed.yaml`.
const SITE: &str = "https://blog.example.org/notes";

/// Every permalink style; `None` is Jekyll's default (`date`), set in neither config.
const STYLES: [Option<&str>; 7] = [
    None,
    Some("pretty"),
    Some("ordinal"),
    Some("weekdate"),
    Some("none"),
    Some("/:categories/:year/:i_month/:slug/:title:output_ext"),
    Some("/:slugified_categories/:short_year/:y_day/:name/"),
];

#[derive(Clone, Copy, PartialEq)]
enum Zone {
    /// `timezone: America/Los_Angeles`, as the fixture's configs have it.
    Site,
    /// The `timezone` key removed from both configs, and `TZ=UTC` in Jekyll's environment.
    Utc,
}

impl Zone {
    fn describe(self) -> &'static str {
        match self {
            Zone::Site => "timezone America/Los_Angeles (from the configs)",
            Zone::Utc => "no timezone key, TZ=UTC",
        }
    }
}

#[test]
fn links_match_jekyll_in_the_site_timezone() {
    differential(Zone::Site);
}

#[test]
fn links_match_jekyll_without_a_timezone() {
    differential(Zone::Utc);
}

fn differential(zone: Zone) {
    if skip_without_jekyll() {
        return;
    }
    let mut failures = String::new();
    for style in STYLES {
        let report = compare(style, zone);
        eprint!("{}", report.summary);
        if !report.failures.is_empty() {
            failures.push_str(&report.failures);
        }
    }
    assert!(
        failures.is_empty(),
        "frontfeed's links differ from Jekyll's ({}):\n{failures}",
        zone.describe()
    );
}

struct Report {
    /// One line, printed for every case.
    summary: String,
    /// Every difference found; empty when the case passes.
    failures: String,
}

/// One feed entry: its link as written, the comparison key (the link percent-decoded) and title.
struct Entry {
    link: String,
    key: String,
    title: String,
}

fn compare(style: Option<&str>, zone: Zone) -> Report {
    let name = style.unwrap_or("date (default, unset)");
    let case = format!("permalink {name}, {}", zone.describe());

    let site = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    copy_site(&fixture("jekyll-site"), site.path());
    configure(&site.path().join("_config.yml"), style, zone);
    configure(&site.path().join("frontfeed.yaml"), style, zone);

    // frontfeed first: it walks the whole site folder, which must not hold `_site` yet.
    let mut frontfeed = build_command(site.path(), &site.path().join("frontfeed.yaml"), out.path());
    if zone == Zone::Utc {
        frontfeed.env("TZ", "UTC");
    }
    let ff = frontfeed.output().unwrap();
    let ff_stderr = stderr(&ff);
    assert!(
        ff.status.success(),
        "{case}: frontfeed build failed ({}):\n{ff_stderr}",
        ff.status
    );

    let dest = site.path().join("_site");
    let mut jekyll = jekyll_build(site.path(), &dest);
    if zone == Zone::Utc {
        jekyll.env("TZ", "UTC");
    }
    let jk = jekyll.output().unwrap();
    let jk_log = format!("{}{}", stdout(&jk), stderr(&jk));
    assert!(
        jk.status.success(),
        "{case}: jekyll build failed ({}); is jekyll-feed installed (ruby-jekyll-feed)?\n{jk_log}",
        jk.status
    );
    assert!(
        !jk_log.contains("Error:"),
        "{case}: Jekyll reported a problem with the fixture:\n{jk_log}"
    );

    // jekyll-feed writes `post.url | absolute_url` into `<link href>` without escaping it, so a
    // category like `R&D` makes feed.xml ill-formed; its bare `&`s are repaired before parsing.
    let jekyll_xml = std::fs::read_to_string(dest.join("feed.xml")).unwrap();
    let (jekyll_xml, repaired) = escape_bare_ampersands(&jekyll_xml);
    let jekyll_entries = atom_entries(&jekyll_xml, "Jekyll's _site/feed.xml");
    // The fixture must not make Jekyll write two posts to one place (`jekyll build` overwrites
    // without a word; only `jekyll doctor` reports it): that would hide a post.
    let shared = duplicate_links(&jekyll_entries);
    assert!(
        shared.is_empty(),
        "{case}: the fixture gives two posts one URL in Jekyll:\n{shared}"
    );
    let frontfeed_xml = std::fs::read_to_string(out.path().join("atom.xml")).unwrap();
    let frontfeed_entries = atom_entries(&frontfeed_xml, "frontfeed's atom.xml");
    let (failures, accepted) = differences(&jekyll_entries, &frontfeed_entries, &dest, &ff_stderr);

    let mut summary = format!(
        "{case}: Jekyll {} entries, frontfeed {}: {}\n",
        jekyll_entries.len(),
        frontfeed_entries.len(),
        if failures.is_empty() {
            "same links"
        } else {
            "DIFFERENT"
        },
    );
    if repaired > 0 {
        let _ = writeln!(
            summary,
            "  note: jekyll-feed wrote {repaired} bare `&` (ill-formed XML), read as `&amp;`"
        );
    }
    // jekyll-feed's own links are made with Addressable's `normalize`, which applies Unicode
    // NFKC to the path: a page Jekyll wrote under a decomposed name gets a link it does not
    // answer to. Shown, so the exemptions in `differences` are never silent.
    summary.push_str(&accepted);
    for e in &jekyll_entries {
        if page_for(&dest, &e.link).is_none() {
            let _ = writeln!(
                summary,
                "  note: jekyll-feed's own link names no page in _site: {} ({:?})",
                shorten(&e.key),
                e.title
            );
        }
    }
    let failures = if failures.is_empty() {
        failures
    } else {
        format!(
            "\n== {case}: Jekyll {} entries, frontfeed {}\n{failures}",
            jekyll_entries.len(),
            frontfeed_entries.len()
        )
    };
    Report { summary, failures }
}

/// Everything that differs, as indented lines (empty when the feeds agree), and the notes on
/// differences accepted because jekyll-feed's own link names no page.
fn differences(
    jekyll: &[Entry],
    frontfeed: &[Entry],
    dest: &Path,
    ff_stderr: &str,
) -> (String, String) {
    let mut text = String::new();
    if jekyll.len() != frontfeed.len() {
        let _ = writeln!(
            text,
            "  entry count differs: Jekyll {}, frontfeed {}",
            jekyll.len(),
            frontfeed.len()
        );
    }
    let shared = duplicate_links(frontfeed);
    if !shared.is_empty() {
        let _ = write!(text, "  frontfeed gives two entries one link:\n{shared}");
    }

    let jekyll_keys: BTreeSet<&str> = jekyll.iter().map(|e| e.key.as_str()).collect();
    let frontfeed_keys: BTreeSet<&str> = frontfeed.iter().map(|e| e.key.as_str()).collect();
    let only_jekyll: Vec<&Entry> = jekyll
        .iter()
        .filter(|e| !frontfeed_keys.contains(e.key.as_str()))
        .collect();
    let only_frontfeed: Vec<&Entry> = frontfeed
        .iter()
        .filter(|e| !jekyll_keys.contains(e.key.as_str()))
        .collect();

    // Pair the differences by title, so a post whose link differs shows as one line.
    let mut unpaired_frontfeed: BTreeMap<String, Vec<&Entry>> = BTreeMap::new();
    for e in &only_frontfeed {
        unpaired_frontfeed
            .entry(plain_title(&e.title))
            .or_default()
            .push(e);
    }
    let mut paired = Vec::new();
    let mut unpaired_jekyll = Vec::new();
    for e in only_jekyll {
        match unpaired_frontfeed.get_mut(&plain_title(&e.title)) {
            Some(list) if !list.is_empty() => paired.push((e, list.remove(0))),
            _ => unpaired_jekyll.push(e),
        }
    }
    let unpaired_frontfeed: Vec<&Entry> = unpaired_frontfeed.into_values().flatten().collect();

    // jekyll-feed's link for a page written under a decomposed (NFD) name is NFKC-normalized and
    // names no page. frontfeed may then link the page itself instead: accepted when the two
    // links differ only in how their non-ASCII text is composed, frontfeed's names a page Jekyll
    // wrote, and that page is no other entry's.
    let mut accepted = String::new();
    let other_pages: BTreeSet<PathBuf> = jekyll
        .iter()
        .filter_map(|e| page_for(dest, &e.link))
        .collect();
    paired.retain(|(j, f)| {
        let page = page_for(dest, &f.link);
        let ok = page_for(dest, &j.link).is_none()
            && page.as_ref().is_some_and(|p| !other_pages.contains(p))
            && ascii_skeleton(&j.key) == ascii_skeleton(&f.key);
        if ok {
            let _ = writeln!(
                accepted,
                "  note: accepted {} for {:?}: the page Jekyll wrote; jekyll-feed's link {} names none",
                shorten(&f.key),
                j.title,
                shorten(&j.key)
            );
        }
        !ok
    });

    // Every frontfeed link must name a page Jekyll wrote. The one exemption is a link that is
    // also jekyll-feed's own (see the note in `compare`): frontfeed cannot be asked to do better
    // than the feed it replaces and still equal it. So only links that differ can name no page;
    // they are marked where they are listed.
    let no_page =
        |e: &Entry| !jekyll_keys.contains(e.key.as_str()) && page_for(dest, &e.link).is_none();
    let mark = |e: &Entry| {
        if no_page(e) {
            "  [no page in _site]"
        } else {
            ""
        }
    };
    if !paired.is_empty() {
        let _ = writeln!(text, "  link differs ({}):", paired.len());
        for (j, f) in &paired {
            let _ = writeln!(text, "    {:?}", j.title);
            let _ = writeln!(text, "        Jekyll:    {}", shorten(&j.key));
            let _ = writeln!(text, "        frontfeed: {}{}", shorten(&f.key), mark(f));
        }
    }
    if !unpaired_jekyll.is_empty() {
        let _ = writeln!(text, "  only in Jekyll's feed ({}):", unpaired_jekyll.len());
        for e in &unpaired_jekyll {
            let _ = writeln!(text, "    {:?}  {}", e.title, shorten(&e.key));
        }
    }
    if !unpaired_frontfeed.is_empty() {
        let _ = writeln!(
            text,
            "  only in frontfeed's feed ({}):",
            unpaired_frontfeed.len()
        );
        for e in &unpaired_frontfeed {
            let _ = writeln!(text, "    {:?}  {}{}", e.title, shorten(&e.key), mark(e));
        }
    }
    let missing = frontfeed.iter().filter(|e| no_page(e)).count();
    if missing > 0 {
        let _ = writeln!(
            text,
            "  frontfeed links naming no page Jekyll wrote: {missing} (marked above)"
        );
    }

    if !text.is_empty() {
        let reported: Vec<&str> = ff_stderr
            .lines()
            .filter(|l| l.starts_with("error:") || l.starts_with("warning:"))
            .collect();
        if !reported.is_empty() {
            let _ = writeln!(text, "  frontfeed's own errors and warnings:");
            for line in reported {
                let _ = writeln!(text, "    {line}");
            }
        }
    }
    (text, accepted)
}

/// `key` without its non-ASCII characters and without the letter before each combining mark,
/// so that `café` and `cafe\u{301}` give the same skeleton.
fn ascii_skeleton(key: &str) -> String {
    let mut skeleton = String::new();
    let mut last_kept = false;
    for c in key.chars() {
        if is_combining(c) {
            if last_kept {
                skeleton.pop();
            }
            last_kept = false;
        } else {
            last_kept = c.is_ascii();
            if last_kept {
                skeleton.push(c);
            }
        }
    }
    skeleton
}

/// Links that more than one entry has, one line each.
fn duplicate_links(entries: &[Entry]) -> String {
    let mut seen = BTreeMap::new();
    let mut text = String::new();
    for e in entries {
        if let Some(other) = seen.insert(e.key.as_str(), e.title.as_str()) {
            let _ = writeln!(
                text,
                "    {} is the link of {other:?} and {:?}",
                shorten(&e.key),
                e.title
            );
        }
    }
    text
}

/// Appends `permalink:` to a config (unless the style is the default), and drops its
/// `timezone:` line for the UTC run.
fn configure(path: &Path, style: Option<&str>, zone: Zone) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines: Vec<String> = text
        .lines()
        .filter(|l| zone == Zone::Site || !l.starts_with("timezone:"))
        .map(str::to_string)
        .collect();
    if let Some(style) = style {
        lines.push(format!("permalink: \"{style}\""));
    }
    std::fs::write(path, lines.join("\n") + "\n").unwrap();
}

/// `xml` with every `&` that starts no entity or character reference written `&amp;`, and
/// how many there were.
fn escape_bare_ampersands(xml: &str) -> (String, usize) {
    let mut out = String::with_capacity(xml.len());
    let mut count = 0;
    for (i, piece) in xml.split('&').enumerate() {
        if i > 0 {
            if starts_reference(piece) {
                out.push('&');
            } else {
                out.push_str("&amp;");
                count += 1;
            }
        }
        out.push_str(piece);
    }
    (out, count)
}

/// The entries of an Atom feed: each one's `rel="alternate"` link and its title.
fn atom_entries(text: &str, what: &str) -> Vec<Entry> {
    map_atom_entries(text, what, |entry| {
        let link = alternate_link(entry);
        let title = entry
            .children()
            .find(|n| n.has_tag_name((ATOM_NS, "title")))
            .map(|n| n.text().unwrap_or_default().trim().to_string())
            .unwrap_or_default();
        Entry {
            key: percent_decode(&link),
            link,
            title,
        }
    })
}

/// The file in `_site` a link names, if Jekyll wrote it: the link's path below the site URL,
/// percent-decoded; `…/` is `…/index.html`, anything else the path itself or the path + `.html`.
fn page_for(dest: &Path, link: &str) -> Option<PathBuf> {
    let rest = link.strip_prefix(SITE)?;
    let path = rest.split(['#', '?']).next().unwrap_or_default();
    let path = percent_decode(path);
    let relative = Path::new(path.trim_start_matches('/'));
    if relative
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        return None;
    }
    let base = dest.join(relative);
    let candidates = if path.ends_with('/') || path.is_empty() {
        vec![base.join("index.html")]
    } else {
        let mut with_html = base.clone().into_os_string();
        with_html.push(".html");
        vec![base, PathBuf::from(with_html)]
    };
    candidates.into_iter().find(|p| p.is_file())
}

/// A decoded link without the site URL, for shorter messages.
/// Combining marks are written `\u{301}`, so that `é` and `e\u{301}` do not look alike.
fn shorten(key: &str) -> String {
    let mut shown = String::new();
    for c in key.strip_prefix(SITE).unwrap_or(key).chars() {
        if is_combining(c) {
            let _ = write!(shown, "\\u{{{:x}}}", c as u32);
        } else {
            shown.push(c);
        }
    }
    shown
}

/// A title as text for pairing: jekyll-feed's titles are HTML (escaped twice) and smartified.
fn plain_title(title: &str) -> String {
    let mut t = title.to_string();
    for _ in 0..2 {
        t = t
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&");
    }
    t.replace(['\u{2018}', '\u{2019}'], "'")
        .replace(['\u{201c}', '\u{201d}'], "\"")
        .replace('\u{2026}', "...")
        .replace('\u{2013}', "--")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The combining diacritical mark blocks.
fn is_combining(c: char) -> bool {
    matches!(
        c,
        '\u{300}'..='\u{36f}'
            | '\u{1ab0}'..='\u{1aff}'
            | '\u{1dc0}'..='\u{1dff}'
            | '\u{20d0}'..='\u{20ff}'
            | '\u{fe20}'..='\u{fe2f}'
    )
}

/// The `<id>` of every `<entry>` of an Atom document.
fn atom_ids(text: &str, what: &str) -> Vec<String> {
    map_atom_entries(text, what, |entry| {
        entry
            .children()
            .find(|n| n.has_tag_name((ATOM_NS, "id")))
            .and_then(|n| n.text())
            .map(|t| t.trim().to_string())
    })
    .into_iter()
    .flatten()
    .collect()
}

/// Switching from jekyll-feed: in the site's folder, with no `frontfeed.yaml` and a
/// realistic `_config.yml` (theme, plugins, sass, a `feed:` block with category feeds),
/// `frontfeed build --drafts` writes `feed.xml` and `feed/<category>.xml` where jekyll-feed
/// writes them, with exactly jekyll-feed's entry ids, so a reader switched over sees no entry
/// twice and loses none; drafts in `_drafts/` are read as `jekyll build --drafts` reads them.
#[test]
fn a_jekyll_site_keeps_jekyll_feeds_ids_with_no_config_of_ours() {
    if skip_without_jekyll() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_site(&fixture("jekyll-site"), &site);
    std::fs::remove_file(site.join("frontfeed.yaml")).unwrap();
    let config = std::fs::read_to_string(site.join("_config.yml"))
        .unwrap()
        .replace(
            "plugins: [jekyll-feed]\nfeed: {posts_limit: 10000}\n",
            "plugins: [jekyll-feed, jekyll-seo-tag]\nsass: {style: compressed}\n\
             markdown: kramdown\nfeed:\n  posts_limit: 10000\n  categories: [news, Travel]\n",
        );
    std::fs::write(site.join("_config.yml"), config).unwrap();
    std::fs::create_dir_all(site.join("_drafts")).unwrap();
    std::fs::write(
        site.join("_drafts/a-draft-in-progress.md"),
        "---\ntitle: A draft in progress\ndate: 2019-03-03 10:00:00 -0800\ncategories: [news]\n---\nNot finished yet.\n",
    )
    .unwrap();

    let ours = frontfeed()
        .current_dir(&site)
        .args(["build", "--drafts", "--out", "../ff-out"])
        .output()
        .unwrap();
    assert!(ours.status.success(), "{}", stderr(&ours));
    let dest = tmp.path().join("jekyll-out");
    let jekyll = jekyll_build(&site, &dest)
        .args(["--drafts", "-q"])
        .output()
        .unwrap();
    assert!(
        jekyll.status.success(),
        "{}",
        String::from_utf8_lossy(&jekyll.stderr)
    );
    for feed in ["feed.xml", "feed/news.xml", "feed/Travel.xml"] {
        let theirs = std::fs::read_to_string(dest.join(feed)).unwrap();
        let (theirs, _) = escape_bare_ampersands(&theirs);
        let ours_text = std::fs::read_to_string(tmp.path().join("ff-out").join(feed))
            .unwrap_or_else(|e| panic!("frontfeed wrote no {feed}: {e}"));
        let theirs_ids: BTreeSet<String> = atom_ids(&theirs, feed).into_iter().collect();
        let ours_ids: BTreeSet<String> = atom_ids(&ours_text, feed).into_iter().collect();
        assert!(!theirs_ids.is_empty(), "{feed}: jekyll-feed wrote no entry");
        assert_eq!(
            ours_ids, theirs_ids,
            "{feed}: entry ids differ (left: frontfeed, right: jekyll-feed)"
        );
        if feed == "feed.xml" {
            assert!(
                ours_ids
                    .iter()
                    .any(|id| id.ends_with("/a-draft-in-progress")),
                "the draft is in the feed"
            );
        }
    }
}
