//! `frontfeed check --feed` is fair to feeds other tools write: the samples in
//! `tests/fixtures/third-party-feeds/` (Hugo, jekyll-feed, Pelican, WordPress, and an old-style
//! feed with every kind of RFC 822 zone) have no errors, only the warnings asserted here; the
//! same shortcuts in a feed that says frontfeed wrote it are errors.

use std::path::{Path, PathBuf};

use crate::harness::{self, frontfeed, stdout, Site};

/// `tests/fixtures/third-party-feeds/NAME`.
fn fixture(name: &str) -> PathBuf {
    harness::fixture("third-party-feeds").join(name)
}

/// (exit code, findings as JSON objects) of `check --format json --feed FILE`.
fn check_json(file: &Path) -> (Option<i32>, Vec<serde_json::Value>) {
    let output = frontfeed()
        .args(["check", "--format", "json", "--feed"])
        .arg(file)
        .output()
        .unwrap();
    let found = stdout(&output)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect();
    (output.status.code(), found)
}

/// Each expected warning is (rule, a piece of its message); the findings must be exactly
/// these warnings, in any order, and no error.
fn assert_only_warnings(name: &str, expected: &[(&str, &str)]) {
    let (code, found) = check_json(&fixture(name));
    let summary: Vec<String> = found
        .iter()
        .map(|o| format!("{} [{}] {}", o["severity"], o["rule"], o["message"]))
        .collect();
    assert_eq!(code, Some(0), "{name}: {summary:#?}");
    assert!(
        found.iter().all(|o| o["severity"] == "warning"),
        "{name}: {summary:#?}"
    );
    let mut unmatched: Vec<&serde_json::Value> = found.iter().collect();
    for (rule, piece) in expected {
        let at = unmatched
            .iter()
            .position(|o| o["rule"] == *rule && o["message"].as_str().unwrap().contains(piece))
            .unwrap_or_else(|| panic!("{name}: no {rule} warning with {piece:?} in {summary:#?}"));
        unmatched.remove(at);
    }
    assert!(
        unmatched.is_empty(),
        "{name}: warnings not expected: {unmatched:#?}"
    );
}

#[test]
fn hugo_rss() {
    // Hugo's default RSS template: no <language> unless languageCode is set, the summary in
    // <description> and no full content.
    assert_only_warnings(
        "hugo-0.111.xml",
        &[
            (
                "required",
                "<channel> has no <language> (optional in RSS 2.0",
            ),
            (
                "text-title",
                "\"Barnacles <and> the splash zone\" is markup",
            ),
            ("required", "<item> has no <content:encoded>"),
            ("required", "<item> has no <content:encoded>"),
        ],
    );
}

#[test]
fn jekyll_feed_atom() {
    // jekyll-feed 0.17: titles type="html" (fine: no markup in them), content with the
    // post's relative links and xml:base.
    assert_only_warnings(
        "jekyll-feed-0.17.xml",
        &[
            (
                "absolute-url",
                "relative URL \"/notes/2022/05/10/pests.html\" in content; xml:base",
            ),
            (
                "absolute-url",
                "relative URL \"/assets/trench.jpg\" in content; xml:base",
            ),
        ],
    );
}

#[test]
fn pelican_atom_and_rss() {
    assert_only_warnings(
        "pelican-4.12.atom.xml",
        &[(
            "absolute-url",
            "relative URL \"/images/tiles.jpg\" in content",
        )],
    );
    // Pelican's RSS: an empty channel description without SITESUBTITLE, no language, tag:
    // guids without isPermaLink="false", the whole post in <description>.
    assert_only_warnings(
        "pelican-4.12.rss.xml",
        &[
            ("required", "<description> is empty"),
            ("required", "<channel> has no <language>"),
            ("absolute-url", "guid \"tag:kiln.example.org,2024-03-02:"),
            ("absolute-url", "guid \"tag:kiln.example.org,2024-02-11:"),
            ("required", "<item> has no <content:encoded>"),
            ("required", "<item> has no <content:encoded>"),
            (
                "absolute-url",
                "relative URL \"/images/tiles.jpg\" in content",
            ),
        ],
    );
}

#[test]
fn wordpress_rss_with_its_modules() {
    // dc:creator, content:encoded, slash:comments, wfw:commentRss, sy:*, <image>.
    assert_only_warnings("wordpress-6.xml", &[]);
}

#[test]
fn every_rfc_822_zone_and_two_digit_years_are_warnings() {
    assert_only_warnings(
        "classic-rfc822-dates.xml",
        &[
            (
                "rss-date",
                "\"Tue, 09 Jan 96 08:00:00 GMT\" is valid RFC 822, but readers handle \
                 `Thu, 10 Feb 2022 17:07:04 +0800` best: use a four-digit year (`96` is read as \
                 1996), a numeric offset (`+0000`) instead of `GMT`",
            ),
            ("rss-date", "a numeric offset (`-0500`) instead of `EST`"),
            (
                "rss-date",
                "a two-digit day (`02`), a numeric offset (`+0000`) instead of `Z`",
            ),
            ("rss-date", "instead of the military zone `N`"),
            ("required", "<channel> has no <language>"),
            ("self-link", "<channel> has no <atom:link rel=\"self\">"),
            ("required", "<item> has no <content:encoded>"),
            ("required", "<item> has no <content:encoded>"),
            ("required", "<item> has no <content:encoded>"),
        ],
    );
}

/// `(file, line, column)` of each `-->` line of the text report.
fn text_places(file: &Path) -> Vec<(String, u64, Option<u64>)> {
    let output = frontfeed()
        .args(["check", "--feed"])
        .arg(file)
        .output()
        .unwrap();
    stdout(&output)
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("--> "))
        .map(|place| {
            let mut parts = place.rsplitn(3, ':');
            let column = parts.next().unwrap().parse().unwrap();
            let line = parts.next().unwrap().parse().unwrap();
            (parts.next().unwrap().to_string(), line, Some(column))
        })
        .collect()
}

#[test]
fn text_columns_equal_json_columns_on_long_lines() {
    // Pelican writes each feed on one long line; findings far into it are shown in a window
    // of the line, but the column named is the column in the file.
    let tmp = tempfile::tempdir().unwrap();
    let long = tmp.path().join("long.xml");
    let filler = "长".repeat(300);
    std::fs::write(
        &long,
        format!(
            "<rss version=\"2.0\"><channel><title>{filler}</title><link>https://e.org/</link>\
             <description>d</description><language>en</language><item><title>a</title>\
             <link>https://e.org/a</link><guid>https://e.org/a</guid>\
             <pubDate>2022-02-10</pubDate><description>{filler} &lt;a href=\"/x\"&gt;</description>\
             </item></channel></rss>"
        ),
    )
    .unwrap();
    for file in [
        long,
        fixture("pelican-4.12.rss.xml"),
        fixture("pelican-4.12.atom.xml"),
        fixture("jekyll-feed-0.17.xml"),
    ] {
        let (_, found) = check_json(&file);
        let json: Vec<(String, u64, Option<u64>)> = found
            .iter()
            .map(|o| {
                (
                    o["file"].as_str().unwrap().to_string(),
                    o["line"].as_u64().unwrap(),
                    o["column"].as_u64(),
                )
            })
            .collect();
        assert!(!json.is_empty());
        assert!(
            json.iter().any(|(_, _, c)| c.unwrap() > 100),
            "a finding far into a line: {json:?}"
        );
        assert_eq!(text_places(&file), json, "{}", file.display());
    }
}

#[test]
fn the_same_shortcuts_are_errors_in_a_feed_frontfeed_wrote() {
    let site = Site::new("base_url: https://example.org/\nlanguage: en\n");
    site.post("a.md", "---\ntitle: A\ndate: 2024-01-01\n---\nbody\n");
    assert!(site.build(&[]).status.success());
    let ours = std::fs::read_to_string(site.out().join("rss.xml")).unwrap();
    assert!(ours.contains("<generator>frontfeed"));
    let (code, found) = check_json(&site.out().join("rss.xml"));
    assert_eq!((code, found.len()), (Some(0), 0), "{found:?}");

    // Without its language and with GMT dates (the item's and, the same, lastBuildDate):
    // errors, since frontfeed promises both.
    let date = ours
        .split("<pubDate>")
        .nth(1)
        .unwrap()
        .split("</pubDate>")
        .next()
        .unwrap()
        .to_string();
    let gmt = date.replace("+0000", "GMT");
    let shortcut = ours
        .replace("<language>en</language>", "")
        .replace(&date, &gmt);
    let edited = site.path().join("edited.xml");
    std::fs::write(&edited, &shortcut).unwrap();
    let (code, found) = check_json(&edited);
    assert_eq!(code, Some(1), "{found:?}");
    let errors: Vec<&str> = found
        .iter()
        .filter(|o| o["severity"] == "error")
        .map(|o| o["rule"].as_str().unwrap())
        .collect();
    assert_eq!(errors, ["required", "rss-date", "rss-date"], "{found:?}");

    // The same file from another generator: warnings only.
    let theirs = shortcut.replace("<generator>frontfeed", "<generator>Other");
    std::fs::write(&edited, theirs).unwrap();
    let (code, found) = check_json(&edited);
    assert_eq!(code, Some(0), "{found:?}");
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(found.iter().all(|o| o["severity"] == "warning"));
}
