//! Runs the real `frontfeed build` on fixture folders and parses every feed back with feed-rs.

use std::path::Path;

use crate::harness::*;
use chrono::{DateTime, Utc};

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

#[test]
fn reference_shaped_posts_come_out_right() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let output = build_site(&fixture("reference"), &out, &["--strict"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("3 entries"), "{}", stdout(&output));

    for format in ["rss.xml", "atom.xml"] {
        let feed = parse_feed(&out.join(format));
        let titles: Vec<String> = feed.entries.iter().map(entry_title).collect();
        assert_eq!(
            titles,
            [
                "财经早报：股指小幅高开",
                "全省建设一百个数字产业园区",
                "春运返程客流平稳有序"
            ],
            "{format}: newest first"
        );
        let post = &feed.entries[1];
        let link = "https://finews.example.com/ganjiang/2022/02/10/000_a1b2c3d4e5f60718.html";
        assert_eq!(entry_link(post), link, "{format}");
        assert_eq!(post.id, link, "{format}: the id is the permalink");
        assert_eq!(
            post.published,
            Some(utc("2022-02-10T09:07:04Z")),
            "{format}"
        );
        assert_eq!(entry_terms(post), ["ganjiang", "赣江新闻"], "{format}");
        let content = entry_content(post);
        assert!(relative_urls(&content).is_empty(), "{format}: {content}");
        assert!(
            content.contains("href=\"https://finews.example.com/category/ganjiang.html\""),
            "{format}: protocol-relative links take the base URL's scheme: {content}"
        );
        assert!(content.contains(
            "href=\"http://share.example.com/html_News/NewsShare.html?infoCode=NW202202100001\""
        ));
        assert!(content.contains("<p><strong>打造数字产业园区</strong></p>"));
        let summary = post.summary.as_ref().unwrap().content.clone();
        assert_eq!(
            summary,
            "节后第一个工作日，全省召开数字经济推进大会，对今年的重点任务作出部署。"
        );
    }

    let ganjiang = parse_feed(&out.join("category/ganjiang/atom.xml"));
    assert_eq!(ganjiang.entries.len(), 2);
    let self_link = ganjiang
        .links
        .iter()
        .find(|l| l.rel.as_deref() == Some("self"));
    assert_eq!(
        self_link.unwrap().href,
        "https://finews.example.com/category/ganjiang/atom.xml"
    );
    assert_eq!(ganjiang.updated, Some(utc("2022-02-10T09:07:04Z")));
    let caijing = parse_feed(&out.join("category/caijing/rss.xml"));
    assert_eq!(caijing.entries.len(), 1);
}

#[test]
fn sample_posts_build_valid_feeds() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let output = build_site(Path::new(REPO), &out, &["--strict"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let files = feed_files(&out);
    assert!(files.len() >= 10, "global plus category feeds: {files:?}");
    assert!(out.join("category/本地/rss.xml").exists());

    let global = parse_feed(&out.join("rss.xml"));
    let titles: Vec<String> = global.entries.iter().map(entry_title).collect();
    assert!(
        !titles.iter().any(|t| t.contains("草稿")),
        "published: false is left out"
    );
    assert!(
        titles.contains(&"市图书馆新馆开放 首日接待读者两万人次".to_string()),
        "titles are text: {titles:?}"
    );

    for file in &files {
        let feed = parse_feed(file);
        assert!(!feed.entries.is_empty(), "{}", file.display());
        let mut previous: Option<DateTime<Utc>> = None;
        for entry in &feed.entries {
            let content = entry_content(entry);
            assert!(
                relative_urls(&content).is_empty(),
                "{}: {content}",
                file.display()
            );
            assert!(entry_link(entry).starts_with("https://news.example.org/"));
            let published = entry.published.expect("published");
            if let Some(p) = previous {
                assert!(p >= published, "{}: newest first", file.display());
            }
            previous = Some(published);
        }
        let text = std::fs::read_to_string(file).unwrap();
        assert!(!text
            .chars()
            .any(|c| c.is_control() && !"\n\t\r".contains(c)));
    }

    // The same post has the same id and link in every feed and both formats.
    let mut seen = std::collections::HashMap::new();
    for file in &files {
        for entry in parse_feed(file).entries {
            let link = entry_link(&entry);
            let previous = seen.insert(link.clone(), entry.id.clone());
            if let Some(id) = previous {
                assert_eq!(id, entry.id, "{link}");
            }
        }
    }
}

#[test]
fn rebuilds_are_byte_identical_and_independent_of_file_order() {
    let tmp = tempfile::tempdir().unwrap();
    let first = tmp.path().join("first");
    let second = tmp.path().join("second");
    assert!(build_site(Path::new(REPO), &first, &[]).status.success());

    // The same posts, written to a fresh folder in reverse order.
    let site = tmp.path().join("copy");
    std::fs::create_dir_all(site.join("posts")).unwrap();
    std::fs::copy(
        Path::new(REPO).join("frontfeed.yaml"),
        site.join("frontfeed.yaml"),
    )
    .unwrap();
    let mut names: Vec<_> = std::fs::read_dir(Path::new(REPO).join("posts"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    names.reverse();
    for name in names {
        std::fs::copy(
            Path::new(REPO).join("posts").join(&name),
            site.join("posts").join(&name),
        )
        .unwrap();
    }
    let output = frontfeed()
        .current_dir(&site)
        .args(["build", "--out"])
        .arg(&second)
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .unwrap();
    assert!(output.status.success());

    let a = feed_files(&first);
    let b = feed_files(&second);
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(
            x.strip_prefix(&first).unwrap(),
            y.strip_prefix(&second).unwrap()
        );
        assert!(
            std::fs::read(x).unwrap() == std::fs::read(y).unwrap(),
            "{} differs",
            x.display()
        );
    }

    // Building again into the same folder writes nothing.
    let again = build_site(Path::new(REPO), &first, &[]);
    assert!(
        stdout(&again).contains("(0 files written"),
        "{}",
        stdout(&again)
    );
}

#[test]
fn bad_posts_are_reported_and_the_others_still_written() {
    let site = Site::new("base_url: https://example.org\n");
    site.post(
        "good.md",
        "---\ntitle: Good\ndate: 2022-01-02 10:00 +0000\n---\nHello\n",
    )
    .post(
        "broken-yaml.md",
        "---\ntitle: Broken\ndate: [2022\n---\nx\n",
    )
    .post("unclosed.md", "---\ntitle: Unclosed\ndate: 2022-01-01\n")
    .post(
        "bad-date.md",
        "---\ntitle: Bad date\ndate: the last day of 2022\n---\nx\n",
    )
    .post("no-date.md", "---\ntitle: No date\n---\nx\n")
    .post("list.md", "---\n- a\n- b\n---\nx\n")
    .post_bytes(
        "gbk.md",
        b"---\ntitle: \xbd\xad\xce\xf7\ndate: 2022-01-01\n---\n",
    )
    .post("notes.txt", "Just some notes, no front matter.\n");
    let output = site.build(&[]);
    let err = stderr(&output);
    assert!(
        output.status.success(),
        "problems in posts alone do not fail: {err}"
    );
    for expected in [
        "error: posts/broken-yaml.md:4: invalid YAML in front matter",
        "error: posts/unclosed.md:1: front matter opened on line 1 is never closed",
        "error: posts/bad-date.md:3: date \"the last day of 2022\" cannot be read: write it like",
        "error: posts/no-date.md: no date",
        "error: posts/list.md:1: front matter must be a mapping",
        "error: posts/gbk.md:2: not valid UTF-8",
        "note: posts/notes.txt: no front matter",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
    assert!(stdout(&output).contains("1 entry,"), "{}", stdout(&output));
    let feed = site.feed("atom.xml");
    assert_eq!(feed.entries.len(), 1);
    assert_eq!(entry_title(&feed.entries[0]), "Good");

    let strict = site.build(&["--strict"]);
    assert_eq!(strict.status.code(), Some(1), "{}", stderr(&strict));
    assert!(
        site.out().join("rss.xml").exists(),
        "feeds are still written under --strict"
    );
}

#[test]
fn warnings_fail_only_under_strict() {
    let site = Site::new("base_url: https://example.org\n");
    site.post("2022-03-04-no-title.md", "---\ncategories: x\n---\nBody\n");
    let output = site.build(&[]);
    assert_eq!(output.status.code(), Some(0));
    assert!(stderr(&output).contains("warning: posts/2022-03-04-no-title.md: no title"));
    assert_eq!(entry_title(&site.feed("rss.xml").entries[0]), "No Title");
    assert_eq!(site.build(&["--strict"]).status.code(), Some(1));
}

#[test]
fn configuration_errors_exit_2_and_name_the_key() {
    for (config, key) in [
        ("titel: typo\n", "titel"),
        ("timezone: Asia/Atlantis\n", "timezone"),
        ("base_url: example.org\n", "base_url"),
        ("limit: many\n", "limit"),
    ] {
        let site = Site::new(config);
        let output = site.build(&[]);
        assert_eq!(output.status.code(), Some(2), "{config}");
        assert!(
            stderr(&output).contains(key),
            "{config}: {}",
            stderr(&output)
        );
    }
    let site = Site::new("base_url: https://example.org\n");
    assert_eq!(
        site.build(&["--timezone", "Nowhere/City"]).status.code(),
        Some(2)
    );
    assert_eq!(
        site.build(&["--config", "missing.yaml"]).status.code(),
        Some(2)
    );
    assert_eq!(site.build(&["--posts", "nope"]).status.code(), Some(2));
    assert_eq!(site.build(&["--no-such-flag"]).status.code(), Some(2));
    assert_eq!(site.build(&["--out", "posts"]).status.code(), Some(2));
}

#[test]
fn help_explains_every_option() {
    let output = frontfeed().args(["build", "--help"]).output().unwrap();
    let help = stdout(&output);
    for flag in [
        "--posts",
        "--out",
        "--config",
        "--strict",
        "--base-url",
        "--timezone",
        "--limit",
    ] {
        assert!(help.contains(flag), "{flag} in {help}");
    }
}

#[test]
fn dates_follow_the_site_timezone_with_dst() {
    let site = Site::new("base_url: https://example.org\ntimezone: America/New_York\nlimit: 0\n");
    site.post("gap.md", "---\ntitle: Gap\ndate: 2022-03-13 02:30\n---\n")
        .post("fold.md", "---\ntitle: Fold\ndate: 2022-11-06 01:30\n---\n")
        .post("summer.md", "---\ntitle: Summer\ndate: 2022-07-01\n---\n")
        .post(
            "offset.md",
            "---\ntitle: Offset\ndate: 2022-02-10 17:07:04 +0800\n---\n",
        )
        .post(
            "rfc.md",
            "---\ntitle: Rfc\ndate: Thu, 10 Feb 2022 17:07:05 +0800\n---\n",
        );
    let output = site.build(&[]);
    assert!(output.status.success());
    let err = stderr(&output);
    assert!(
        err.contains("posts/gap.md:3: ") && err.contains("does not exist"),
        "{err}"
    );
    assert!(
        err.contains("posts/fold.md:3: ") && err.contains("happens twice"),
        "{err}"
    );
    for format in ["rss.xml", "atom.xml"] {
        let feed = site.feed(format);
        let by_title = |t: &str| {
            feed.entries
                .iter()
                .find(|e| entry_title(e) == t)
                .and_then(|e| e.published)
                .unwrap()
        };
        assert_eq!(by_title("Gap"), utc("2022-03-13T07:30:00Z"), "{format}");
        assert_eq!(by_title("Fold"), utc("2022-11-06T05:30:00Z"), "{format}");
        assert_eq!(by_title("Summer"), utc("2022-07-01T04:00:00Z"), "{format}");
        assert_eq!(by_title("Offset"), utc("2022-02-10T09:07:04Z"), "{format}");
        assert_eq!(by_title("Rfc"), utc("2022-02-10T09:07:05Z"), "{format}");
    }
    let rss = std::fs::read_to_string(site.out().join("rss.xml")).unwrap();
    assert!(
        rss.contains("<pubDate>Thu, 10 Feb 2022 17:07:04 +0800</pubDate>"),
        "the written offset is kept"
    );
    assert!(
        rss.contains("<pubDate>Sun, 13 Mar 2022 03:30:00 -0400</pubDate>"),
        "{rss}"
    );
}

#[test]
fn shared_permalinks_and_ids_get_distinct_stable_ids() {
    let site = Site::new("base_url: https://example.org\n");
    let post = "---\ntitle: Same\ndate: 2022-01-01 10:00 +0000\npermalink: /same.html\n---\nx\n";
    site.post("a.md", post).post("b.md", post).post(
        "c.md",
        "---\ntitle: C\ndate: 2022-01-02\nid: https://example.org/same.html\n---\n",
    );
    let output = site.build(&[]);
    let err = stderr(&output);
    assert!(
        err.contains("posts/b.md") && err.contains("also the permalink of a.md"),
        "{err}"
    );
    for format in ["rss.xml", "atom.xml"] {
        let feed = site.feed(format);
        let mut ids: Vec<String> = feed.entries.iter().map(|e| e.id.clone()).collect();
        ids.sort();
        assert_eq!(
            ids,
            [
                "https://example.org/same.html",
                "https://example.org/same.html#b-md",
                "https://example.org/same.html#c-md",
            ],
            "{format}"
        );
    }
    let again = site.build(&[]);
    assert!(
        stdout(&again).contains("(0 files written"),
        "ids are stable across builds"
    );
}

#[test]
fn limit_tags_and_base_url_path() {
    let site = Site::new(
        "base_url: https://example.org/blog/\nlimit: 2\nfeeds: {tags: true}\npermalink: pretty\n",
    );
    for day in 1..=4 {
        site.post(
            &format!("2022-01-0{day}-post-{day}.md"),
            &format!(
                "---\ntitle: Post {day}\ncategories: [News]\ntags: [Rust Lang]\n---\n[up](../)\n"
            ),
        );
    }
    assert!(site.build(&[]).status.success());
    let feed = site.feed("rss.xml");
    let titles: Vec<String> = feed.entries.iter().map(entry_title).collect();
    assert_eq!(titles, ["Post 4", "Post 3"]);
    assert_eq!(
        entry_link(&feed.entries[0]),
        "https://example.org/blog/news/2022/01/04/post-4/"
    );
    assert!(entry_content(&feed.entries[0])
        .contains("href=\"https://example.org/blog/news/2022/01/04/\""));
    assert_eq!(site.feed("tag/rust-lang/atom.xml").entries.len(), 2);
    assert_eq!(site.feed("category/news/atom.xml").entries.len(), 2);

    assert!(site.build(&["--limit", "0"]).status.success());
    assert_eq!(site.feed("rss.xml").entries.len(), 4);
}

#[test]
fn category_names_never_leave_the_output_folder() {
    let site = Site::new("base_url: https://example.org\n");
    site.post(
        "a.md",
        "---\ntitle: A\ndate: 2022-01-01\ncategories: [\"../../escape\", \"/etc/passwd\", \"C:\\\\x\", \"..\", \"财经\"]\n---\n",
    );
    assert!(site.build(&[]).status.success());
    assert!(!site.path().join("escape").exists());
    for file in feed_files(site.path()) {
        assert!(file.starts_with(site.out()), "{}", file.display());
    }
    let rss = site.feed("category/escape/rss.xml");
    let self_link = std::fs::read_to_string(site.out().join("category/财经/rss.xml")).unwrap();
    assert!(self_link.contains("https://example.org/category/%E8%B4%A2%E7%BB%8F/rss.xml"));
    assert_eq!(rss.entries.len(), 1);
}

/// The exact bytes of one small category feed in each format, checked by hand once: every
/// required element present, the post's own +08:00 offset kept, links absolute. Any change
/// to the output shows up here first.
#[test]
fn golden_category_feeds() {
    let tmp = tempfile::tempdir().unwrap();
    let output = build_site(&fixture("reference"), tmp.path(), &[]);
    assert!(output.status.success());
    for (produced, golden) in [
        ("category/caijing/rss.xml", "reference-caijing-rss.xml"),
        ("category/caijing/atom.xml", "reference-caijing-atom.xml"),
    ] {
        let produced = std::fs::read_to_string(tmp.path().join(produced)).unwrap();
        let golden_path = Path::new(REPO).join("tests/golden").join(golden);
        let expected = std::fs::read_to_string(&golden_path).unwrap();
        assert_eq!(produced, expected, "{} changed", golden_path.display());
    }
}

#[test]
fn empty_posts_folder_writes_empty_feeds_with_a_warning() {
    let site = Site::new("base_url: https://example.org\n");
    let output = frontfeed()
        .current_dir(site.path())
        .args(["build"])
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(stderr(&output).contains("no posts became entries"));
    let feed = site.feed("atom.xml");
    assert!(feed.entries.is_empty());
    assert_eq!(feed.updated.map(|d| d.timestamp()), Some(1_700_000_000));
}

#[test]
fn unwritable_output_exits_1_naming_the_path() {
    let site = Site::new("base_url: https://example.org\n");
    site.post("a.md", "---\ntitle: A\ndate: 2022-01-01\n---\n");
    std::fs::write(site.out(), "a file where the output folder should be").unwrap();
    let output = site.build(&[]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("error: `out` is a file, but a folder is needed there"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn colliding_ids_from_unicode_paths_stay_ascii_uris() {
    let site = Site::new("base_url: https://example.org\npermalink: /same.html\n");
    site.post("财经/一.md", "---\ntitle: One\ndate: 2022-01-01\n---\n")
        .post("财经/二.md", "---\ntitle: Two\ndate: 2022-01-02\n---\n");
    assert!(site.build(&[]).status.success());
    let feed = site.feed("atom.xml");
    let mut ids: Vec<String> = feed.entries.iter().map(|e| e.id.clone()).collect();
    ids.sort();
    assert_eq!(ids[0], "https://example.org/same.html");
    assert!(
        ids[1].starts_with("https://example.org/same.html#%E8%B4%A2"),
        "{ids:?}"
    );
    assert!(ids.iter().all(|id| id.is_ascii()));
}
