//! Inputs that feed generators get wrong: CRLF and BOMs, `]]>`, control characters, markup in
//! titles, every kind of relative URL, indented HTML, empty bodies. Each feed is parsed back
//! with feed-rs and checked field by field.

use crate::harness::*;
use chrono::{DateTime, Utc};

fn build() -> (tempfile::TempDir, std::process::Output) {
    let tmp = tempfile::tempdir().unwrap();
    let output = build_site(&fixture("tricky"), tmp.path(), &[]);
    (tmp, output)
}

fn find<'a>(feed: &'a feed_rs::model::Feed, title_start: &str) -> &'a feed_rs::model::Entry {
    feed.entries
        .iter()
        .find(|e| entry_title(e).starts_with(title_start))
        .unwrap_or_else(|| panic!("no entry titled {title_start:?}"))
}

#[test]
fn tricky_posts_round_trip_in_both_formats() {
    let (out, output) = build();
    assert!(output.status.success(), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(
        err.contains("controls.txt: removed 3 control character(s)"),
        "{err}"
    );
    // Different names never share a feed: `C++` and `c#` spell their symbols out.
    assert!(!err.contains("share the feed"), "{err}");
    assert!(out.path().join("tag/c-plus-plus/atom.xml").is_file());
    assert!(out.path().join("tag/c-sharp/atom.xml").is_file());

    for format in ["rss.xml", "atom.xml"] {
        let feed = parse_feed(&out.path().join(format));
        assert_eq!(feed.entries.len(), 8, "{format}: limit 0 keeps all");
        let title = feed.title.as_ref().unwrap().content.clone();
        assert_eq!(title, "Tricky & <Odd> \"Feeds\"", "{format}");

        let cdata = find(&feed, "Ends");
        assert_eq!(
            entry_title(cdata),
            "Ends ]]> with tags & ampersands \"quoted\"",
            "{format}: markup stripped, text kept"
        );
        let content = entry_content(cdata);
        assert!(
            content.contains("Text with ]]&gt; in the middle"),
            "{format}: {content}"
        );
        // Quotes in code as the Markdown renderer escaped them (`&quot;`) or as written.
        assert!(
            content.contains("return &quot;]]&gt;&quot;;")
                || content.contains("return \"]]&gt;\";"),
            "{format}: {content}"
        );
        let mut terms = entry_terms(cdata);
        terms.sort();
        assert_eq!(
            terms,
            ["C++", "c#", "tech"],
            "{format}: tech/Tech merged, C++/c# kept"
        );

        let controls = find(&feed, "Bell");
        assert_eq!(entry_title(controls), "Bell and escapes", "{format}");
        assert!(
            entry_content(controls).contains("Verticaltab, formfeed"),
            "{format}"
        );

        let links = find(&feed, "Every kind of link");
        let html = entry_content(links);
        assert!(relative_urls(&html).is_empty(), "{format}: {html}");
        let base = "http://tricky.example.net/site/links/2022/06/01/";
        for expected in [
            format!("href=\"{base}links.html?page=2\""),
            format!("href=\"{base}links.html#top\""),
            "href=\"http://tricky.example.net/site/links/2022/06/up.html\"".to_string(),
            "href=\"http://tricky.example.net/root.html\"".to_string(),
            "href=\"http://cdn.example.com/a.js\"".to_string(),
            "href=\"mailto:desk@tricky.example.net\"".to_string(),
            format!("srcset=\"{base}img/a.png 1x, {base}img/a@2x.png 2x\""),
            "poster=\"http://tricky.example.net/p.jpg\"".to_string(),
            "cite=\"http://tricky.example.net/source\"".to_string(),
        ] {
            assert!(html.contains(&expected), "{format}: {expected} in {html}");
        }

        let indented = find(&feed, "Indented HTML");
        let html = entry_content(indented);
        assert!(
            !html.contains("<pre>"),
            "{format}: .html bodies are not Markdown"
        );
        assert!(
            html.contains("href=\"http://tricky.example.net/site/links/2022/08/01/sibling.html\"")
        );

        let windows = find(&feed, "Windows line endings");
        let expected: DateTime<Utc> = "2022-03-27T01:30:00Z".parse().unwrap();
        assert_eq!(
            windows.published,
            Some(expected),
            "{format}: London gap moves forward"
        );

        let fraction = find(&feed, "Fractional seconds");
        let published: DateTime<Utc> = "2022-10-02T11:37:04Z".parse().unwrap();
        let updated: DateTime<Utc> = "2022-10-03T03:30:00Z".parse().unwrap();
        assert_eq!(
            fraction.published.map(|d| d.timestamp()),
            Some(published.timestamp())
        );
        if format == "atom.xml" {
            assert_eq!(fraction.updated, Some(updated), "{format}");
            assert_eq!(feed.updated, Some(updated), "{format}: newest updated time");
        }

        let long = find(&feed, "很长的段落");
        let summary = long.summary.as_ref().unwrap().content.clone();
        assert_eq!(
            summary.chars().count(),
            201,
            "{format}: 200 characters and an ellipsis"
        );
        assert!(summary.ends_with('…'));

        let empty = find(&feed, "Nothing below");
        assert!(entry_content(empty).is_empty(), "{format}");
    }

    for file in feed_files(out.path()) {
        let text = std::fs::read_to_string(&file).unwrap();
        let bad: Vec<char> = text
            .chars()
            .filter(|&c| (c < ' ' && !"\t\n\r".contains(c)) || ('\u{7f}'..='\u{9f}').contains(&c))
            .collect();
        assert!(bad.is_empty(), "{}: {bad:?}", file.display());
    }
}

#[test]
fn author_and_language_reach_both_formats() {
    let (out, _) = build();
    let rss = std::fs::read_to_string(out.path().join("rss.xml")).unwrap();
    assert!(rss.contains("<language>en-GB</language>"));
    assert!(
        rss.contains("<dc:creator>Ann Author</dc:creator>"),
        "a name without email"
    );
    let atom = parse_feed(&out.path().join("atom.xml"));
    assert_eq!(atom.authors[0].name, "Tricky Desk");
    assert_eq!(find(&atom, "Every kind").authors[0].name, "Ann Author");
    assert_eq!(atom.language.as_deref(), Some("en-GB"));
}

#[test]
fn excerpt_separator_and_comma_lists() {
    let site = Site::new("base_url: https://example.org\nexcerpt_separator: <!--more-->\n");
    site.post(
        "a.md",
        "---\ntitle: A\ndate: 2022-01-01\ntags: \"rust, web\"\n---\nFirst part.\n\nSecond *part*.\n\n<!--more-->\n\nRest.\n",
    )
    .post(
        "b.md",
        "---\ntitle: B\ndate: 2022-01-02\nexcerpt_separator: \"[cut]\"\n---\nOnly this [cut] not this.\n",
    );
    assert!(site.build(&[]).status.success());
    let feed = site.feed("atom.xml");
    let summary = |t: &str| {
        feed.entries
            .iter()
            .find(|e| entry_title(e) == t)
            .and_then(|e| e.summary.as_ref())
            .map(|s| s.content.clone())
            .unwrap()
    };
    assert_eq!(summary("A"), "First part. Second part.");
    assert_eq!(summary("B"), "Only this");
    let a = feed.entries.iter().find(|e| entry_title(e) == "A").unwrap();
    assert_eq!(entry_terms(a), ["rust", "web"]);
}

#[test]
fn jekyll_site_variables_make_links_that_work() {
    let site = Site::new("base_url: https://example.org/blog\n");
    site.post(
        "a.md",
        "---\ntitle: A\ndate: 2022-01-01\n---\n![x]({{ site.baseurl }}/img/x.png) [home]({{ site.url }}{{ site.baseurl }}/) [p]({{ \"/p.html\" | relative_url }})\n\n{% raw %}{{ kept }}{% endraw %}\n",
    );
    assert!(site.build(&[]).status.success());
    let html = entry_content(&site.feed("atom.xml").entries[0]);
    for expected in [
        "src=\"https://example.org/blog/img/x.png\"",
        "href=\"https://example.org/blog/\"",
        "href=\"https://example.org/blog/p.html\"",
        "{{ kept }}",
    ] {
        assert!(html.contains(expected), "{expected} in {html}");
    }
}
