//! Regeneration for CI and the command line: `check`, stale feeds, safe concurrent and
//! interrupted builds, incremental rebuilds.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::harness::{
    build_options, entry_title, files_under, fixture, frontfeed, output_tree, parse_feed,
    send_sigint, stderr, stdout, Site,
};

fn hostile() -> PathBuf {
    fixture("hostile")
}

fn check_hostile(format: &str) -> std::process::Output {
    frontfeed()
        .current_dir(hostile())
        .args(["check", "--format", format])
        .env("SOURCE_DATE_EPOCH", "1735689600")
        .output()
        .unwrap()
}

#[test]
fn check_reports_broken_posts_in_text() {
    let output = check_hostile("text");
    assert_eq!(output.status.code(), Some(1));
    let out = stdout(&output);
    // rustc style: the message, the place, the offending line.
    assert!(
        out.contains("warning: `title` is written twice; using the last value, as Jekyll does"),
        "{out}"
    );
    assert!(out.contains("posts/duplicate-keys.md:3"), "{out}");
    assert!(out.contains("title: Two"), "{out}");
    assert!(out.contains("posts/year-99999.md:3"), "{out}");
    assert!(out.contains("date: 99999-01-01 00:00:00 +0000"), "{out}");
    assert!(
        out.lines()
            .last()
            .unwrap()
            .starts_with("frontfeed check: 21 post files and 222 feeds checked, "),
        "{out}"
    );
    // Nothing was written.
    assert!(!hostile().join("out").exists());
}

#[test]
fn check_reports_json_lines_with_stable_fields() {
    let output = check_hostile("json");
    assert_eq!(output.status.code(), Some(1));
    let out = stdout(&output);
    let objects: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect();
    assert!(objects.len() >= 10);
    for o in &objects {
        for field in [
            "severity", "rule", "file", "line", "column", "message", "text",
        ] {
            assert!(o.get(field).is_some(), "{field} in {o}");
        }
    }
    let tabs = objects
        .iter()
        .find(|o| o["file"].as_str().is_some_and(|f| f.ends_with("tabs.md")))
        .unwrap();
    assert_eq!(tabs["severity"], "error");
    assert_eq!(tabs["line"], 3);
    assert!(stderr(&output).contains("frontfeed check:"));
}

#[test]
fn check_reports_github_annotations() {
    let output = check_hostile("github");
    assert_eq!(output.status.code(), Some(1));
    let out = stdout(&output);
    assert!(
        out.lines()
            .any(|l| l.starts_with("::error file=posts/tabs.md,line=3::")),
        "{out}"
    );
    assert!(out.lines().all(|l| l.starts_with("::")), "{out}");
}

#[test]
fn check_warns_about_future_posts_and_empty_categories() {
    let site = Site::new("base_url: https://example.org/\n");
    site.post("now.md", "---\ntitle: Now\ndate: 2024-01-01\n---\nx\n");
    site.post(
        "later.md",
        "---\ntitle: Later\ndate: 2999-01-01\ncategories: [\"\", news]\n---\nx\n",
    );
    let check = |extra: &[&str]| {
        frontfeed()
            .current_dir(site.path())
            .arg("check")
            .args(extra)
            .env("SOURCE_DATE_EPOCH", "1735689600")
            .output()
            .unwrap()
    };
    let output = check(&[]);
    let out = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{out}");
    assert!(out.contains("note: dated in the future"), "{out}");
    assert!(out.contains("held back until then"), "{out}");
    assert!(out.contains("posts/later.md:3"), "{out}");
    assert!(out.contains("1 empty category name(s) ignored"), "{out}");
    assert_eq!(check(&["--deny-warnings"]).status.code(), Some(1));
    assert_eq!(check(&["--format", "yaml"]).status.code(), Some(2));

    // A build holds the future post back, as Jekyll does: "now" is SOURCE_DATE_EPOCH.
    let build = |epoch: &str| {
        frontfeed()
            .current_dir(site.path())
            .arg("build")
            .env("SOURCE_DATE_EPOCH", epoch)
            .output()
            .unwrap()
    };
    let output = build("1735689600");
    assert!(
        stdout(&output).contains("1 entry (1 future post held back)"),
        "{}",
        stdout(&output)
    );
    let titles: Vec<String> = site
        .feed("atom.xml")
        .entries
        .iter()
        .map(entry_title)
        .collect();
    assert_eq!(titles, ["Now"]);
    // Once that day has come, the post is published.
    let output = build("32503680000");
    assert!(
        stdout(&output).contains("2 entries,"),
        "{}",
        stdout(&output)
    );
    // `future: true` publishes it whatever the date.
    std::fs::write(
        site.path().join("frontfeed.yaml"),
        "base_url: https://example.org/\nfuture: true\n",
    )
    .unwrap();
    let output = build("1735689600");
    assert!(
        stdout(&output).contains("2 entries,"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn check_lints_existing_feed_files() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("bad.xml");
    std::fs::write(
        &bad,
        "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel>\n<title>T</title><link>https://e.org/</link>\n<description>d</description><language>en</language>\n<lastBuildDate>Thu, 10 Feb 2022 17:07:04 +0800</lastBuildDate>\n<item><title>a</title><link>/a.html</link><guid>x</guid>\n<pubDate>2022-02-10</pubDate></item>\n</channel></rss>\n",
    )
    .unwrap();
    let output = frontfeed()
        .args(["check", "--format", "json", "--feed"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let found: Vec<serde_json::Value> = stdout(&output)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let rules: Vec<(&str, u64, u64)> = found
        .iter()
        .map(|o| {
            (
                o["rule"].as_str().unwrap(),
                o["line"].as_u64().unwrap(),
                o["column"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(rules.contains(&("self-link", 2, 20)), "{rules:?}");
    assert!(rules.contains(&("absolute-url", 6, 23)), "{rules:?}");
    assert!(
        rules.contains(&("absolute-url", 6, 43)),
        "a permalink guid is a URL: {rules:?}"
    );
    assert!(rules.contains(&("rss-date", 7, 1)), "{rules:?}");
    let date = found.iter().find(|o| o["rule"] == "rss-date").unwrap();
    assert_eq!(date["text"], "<pubDate>2022-02-10</pubDate></item>");

    // Our own feeds pass.
    let site = Site::new("base_url: https://example.org/\n");
    site.post(
        "a.md",
        "---\ntitle: A\ndate: 2024-01-01\ncategories: x\n---\n[l](/x)\n",
    );
    assert!(site.build(&[]).status.success());
    let output = frontfeed()
        .args(["check", "--deny-warnings", "--feed"])
        .arg(site.out().join("rss.xml"))
        .arg(site.out().join("category/x/atom.xml"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
}

#[test]
fn stale_category_feeds_go_and_the_users_files_stay() {
    let site = Site::new("base_url: https://example.org/\n");
    site.post(
        "a.md",
        "---\ntitle: A\ndate: 2024-01-01\ncategories: old\n---\nx\n",
    );
    assert!(site.build(&[]).status.success());
    assert!(site.out().join("category/old/rss.xml").exists());
    // The user's own files, beside and among ours.
    std::fs::write(site.out().join("robots.txt"), "mine").unwrap();
    std::fs::write(site.out().join("category/old/notes.txt"), "mine").unwrap();
    std::fs::create_dir_all(site.out().join("category/new")).unwrap();
    std::fs::write(site.out().join("category/new/rss.xml"), "my own rss.xml").unwrap();

    site.post(
        "a.md",
        "---\ntitle: A\ndate: 2024-01-01\ncategories: new\n---\nx\n",
    );
    let output = site.build(&[]);
    // The user's category/new/rss.xml is in the way: not replaced, and the build says so.
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(
        err.contains("category/new/rss.xml: cannot write feed: a file frontfeed did not write"),
        "{err}"
    );
    assert!(stdout(&output).contains("2 removed"), "{}", stdout(&output));
    assert_eq!(
        std::fs::read_to_string(site.out().join("category/new/rss.xml")).unwrap(),
        "my own rss.xml"
    );
    assert_eq!(
        std::fs::read_to_string(site.out().join("robots.txt")).unwrap(),
        "mine"
    );
    assert_eq!(
        std::fs::read_to_string(site.out().join("category/old/notes.txt")).unwrap(),
        "mine"
    );
    assert!(!site.out().join("category/old/rss.xml").exists());
    assert!(!site.out().join("category/old/atom.xml").exists());
    assert!(site.out().join("category/new/atom.xml").exists());

    // Once the user moves the file away, the feed is written; an empty folder of ours goes.
    std::fs::remove_file(site.out().join("category/new/rss.xml")).unwrap();
    assert!(site.build(&[]).status.success());
    site.post("a.md", "---\ntitle: A\ndate: 2024-01-01\n---\nx\n");
    let output = site.build(&[]);
    assert!(output.status.success());
    assert!(!site.out().join("category/new").exists());
    assert_eq!(
        files_under(&site.out())
            .into_iter()
            .filter(|p| !p.starts_with(".frontfeed"))
            .collect::<Vec<_>>(),
        [
            PathBuf::from("atom.xml"),
            PathBuf::from("category/old/notes.txt"),
            PathBuf::from("robots.txt"),
            PathBuf::from("rss.xml"),
        ]
    );
}

fn mtime(path: &Path) -> SystemTime {
    std::fs::metadata(path).unwrap().modified().unwrap()
}

#[test]
fn a_one_post_change_rewrites_exactly_the_feeds_that_hold_it() {
    let site = Site::new("base_url: https://example.org/\nlimit: 0\n");
    for (i, category) in ["a", "b", "c", "a", "b", "c"].iter().enumerate() {
        site.post(
            &format!("p{i}.md"),
            &format!(
                "---\ntitle: P{i}\ndate: 2024-01-0{}\ncategories: {category}\n---\nbody {i}\n",
                i + 1
            ),
        );
    }
    assert!(site.build(&[]).status.success());
    let feeds = [
        "rss.xml",
        "atom.xml",
        "category/a/rss.xml",
        "category/a/atom.xml",
        "category/b/rss.xml",
        "category/b/atom.xml",
        "category/c/rss.xml",
        "category/c/atom.xml",
    ];
    let before: Vec<SystemTime> = feeds.iter().map(|f| mtime(&site.out().join(f))).collect();
    std::thread::sleep(Duration::from_millis(50));

    site.post(
        "p1.md",
        "---\ntitle: P1 edited\ndate: 2024-01-02\ncategories: b\n---\nnew body\n",
    );
    let output = site.build(&[]);
    assert!(
        stdout(&output).contains("(4 files written, 4 unchanged, 0 removed)"),
        "{}",
        stdout(&output)
    );
    for (feed, old) in feeds.iter().zip(&before) {
        let changed = mtime(&site.out().join(feed)) != *old;
        let should = !feed.starts_with("category/a") && !feed.starts_with("category/c");
        assert_eq!(changed, should, "{feed}");
    }
    assert_eq!(
        site.feed("category/b/atom.xml").entries[1]
            .title
            .as_ref()
            .unwrap()
            .content,
        "P1 edited"
    );

    // No change at all: nothing is written, not a feed, not the cache or the manifest, and no
    // folder under out/ changes (not even by a temporary file made and removed).
    std::thread::sleep(Duration::from_millis(1100));
    let _ = site.build(&[]);
    let snapshot = || -> Vec<(PathBuf, SystemTime)> {
        let mut all: Vec<PathBuf> = walkdir::WalkDir::new(site.out())
            .into_iter()
            .map(|e| e.unwrap().into_path())
            .collect();
        all.sort();
        all.into_iter().map(|p| (p.clone(), mtime(&p))).collect()
    };
    let before = snapshot();
    assert!(
        before.iter().any(|(p, _)| p.ends_with("posts.index")),
        "{before:?}"
    );
    std::thread::sleep(Duration::from_millis(50));
    let output = site.build(&[]);
    assert!(
        stdout(&output).contains("(0 files written, 8 unchanged, 0 removed)"),
        "{}",
        stdout(&output)
    );
    assert_eq!(snapshot(), before, "an unchanged build wrote something");
}

/// The feeds are the cache's fragment store. A rebuild that copies entries from the old
/// feed files gives the bytes of a build without a cache, also when a feed file was changed
/// by hand since (same length, so only its mtime tells): it is then not read from.
#[test]
fn rebuilds_from_old_feed_files_equal_builds_from_scratch() {
    let site = Site::new("base_url: https://example.org/\nlimit: 0\n");
    many_posts(&site, 60);
    assert!(site.build(&[]).status.success());
    let fresh = |site: &Site| {
        let scratch = site.path().join("scratch");
        let _ = std::fs::remove_dir_all(&scratch);
        let out = scratch.to_str().unwrap().to_string();
        let built = site.build(&["--no-cache", "--out", &out]);
        assert!(built.status.success(), "{}", stderr(&built));
        output_tree(&scratch)
    };
    let ours = |site: &Site| {
        let mut tree = output_tree(&site.out());
        tree.retain(|(p, _)| !p.starts_with(".frontfeed"));
        tree
    };

    // One post edited: its feeds are rewritten around it from the old files.
    site.post(
        "05/p5.md",
        "---\ntitle: Post 5, edited\ndate: 2024-02-06 10:00:00 +0800\ncategories: c5\n---\nnew\n",
    );
    let output = site.build(&[]);
    assert!(
        stdout(&output).contains("4 files written"),
        "{}",
        stdout(&output)
    );
    assert_eq!(ours(&site), fresh(&site));

    // The site-wide RSS feed tampered with, keeping its length: an entry's bytes in it are
    // wrong now. Another edit makes the build rewrite every feed that holds that entry.
    let rss = site.out().join("rss.xml");
    let text = std::fs::read_to_string(&rss).unwrap();
    std::thread::sleep(Duration::from_millis(20));
    std::fs::write(&rss, text.replace("Paragraph of text", "PARAGRAPH OF TEXT")).unwrap();
    site.post(
        "05/p5.md",
        "---\ntitle: Post 5, edited again\ndate: 2024-02-06 10:00:00 +0800\ncategories: c5\n---\nnew\n",
    );
    assert!(site.build(&[]).status.success());
    let rebuilt = ours(&site);
    assert!(!String::from_utf8_lossy(&std::fs::read(&rss).unwrap()).contains("PARAGRAPH"));
    assert_eq!(rebuilt, fresh(&site));
}

/// Random sequences of edits (bodies, titles, categories, dates, posts added and deleted,
/// mtimes touched, feed files tampered with), each followed by a cached rebuild: its output
/// is always the bytes of a build from scratch, with a limit that moves entries in and out of
/// feeds and with every post in every feed.
#[test]
fn random_edit_sequences_rebuild_to_the_bytes_of_builds_from_scratch() {
    for (seed, limit) in [(7u64, 3), (11, 0), (23, 2)] {
        let site = Site::new("");
        let yaml =
            format!("base_url: https://example.org/\nlimit: {limit}\nfeeds: {{tags: true}}\n");
        let post = |i: u64, version: u64, category: u64, day: u64| {
            format!(
                "---\ntitle: Post {i} v{version}\ndate: 2024-03-{day:02} 10:00:00 +0800\n\
                 categories: c{category}\ntags: [t{}]\n---\n{}\n",
                i % 2,
                format!("<p>Body {i} version {version}.</p>\n").repeat(1 + (version % 5) as usize)
            )
        };
        let mut state = seed;
        let mut next = |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        let mut live: Vec<u64> = (0..12).collect();
        for &i in &live {
            site.post(&format!("p{i}.md"), &post(i, 0, i % 3, 1 + i));
        }
        let options = build_options(site.posts(), site.out(), &yaml);
        frontfeed::build(&options).unwrap();
        for round in 1..=15u64 {
            for _ in 0..=next(3) {
                let i = live[next(live.len() as u64) as usize];
                let name = format!("p{i}.md");
                match next(7) {
                    0 => {
                        site.post(&name, &post(i, round, i % 3, 1 + i));
                    }
                    1 => {
                        site.post(&name, &post(i, round, next(4), 1 + next(28)));
                    }
                    2 if live.len() > 3 => {
                        std::fs::remove_file(site.posts().join(&name)).unwrap();
                        live.retain(|&j| j != i);
                    }
                    3 => {
                        let new = 100 + round;
                        site.post(
                            &format!("p{new}.md"),
                            &post(new, round, next(3), 1 + next(28)),
                        );
                        live.push(new);
                    }
                    4 => {
                        // Same bytes, new mtime.
                        let path = site.posts().join(&name);
                        let bytes = std::fs::read(&path).unwrap();
                        std::fs::write(&path, bytes).unwrap();
                    }
                    5 => {
                        // A feed file changed by hand, its length kept.
                        let rss = site.out().join("rss.xml");
                        let text = std::fs::read_to_string(&rss).unwrap();
                        std::fs::write(&rss, text.replace("Body", "BODY")).unwrap();
                    }
                    _ => {
                        let rss = site.out().join("category/c1/atom.xml");
                        if let Ok(mut text) = std::fs::read_to_string(&rss) {
                            text.push('\n');
                            std::fs::write(&rss, text).unwrap();
                        }
                    }
                }
            }
            frontfeed::build(&options).unwrap();
            let scratch = tempfile::tempdir().unwrap();
            let mut clean = build_options(site.posts(), scratch.path().join("out"), &yaml);
            clean.use_cache = false;
            frontfeed::build(&clean).unwrap();
            let ours = output_tree(&site.out());
            let theirs = output_tree(&scratch.path().join("out"));
            assert_eq!(
                ours.iter().map(|(p, _)| p).collect::<Vec<_>>(),
                theirs.iter().map(|(p, _)| p).collect::<Vec<_>>(),
                "seed {seed}, round {round}: the same files"
            );
            for ((path, a), (_, b)) in ours.iter().zip(&theirs) {
                assert!(
                    a == b,
                    "seed {seed}, round {round}: {} differs from a build from scratch",
                    path.display()
                );
            }
        }
    }
}

fn many_posts(site: &Site, n: usize) {
    for i in 0..n {
        site.post(
            &format!("{:02}/p{i}.md", i % 20),
            &format!(
                "---\ntitle: Post {i}\ndate: 2024-02-{:02} 10:00:00 +0800\ncategories: c{}\n---\n{}\n",
                1 + i % 28,
                i % 7,
                "<p>Paragraph of text for the body.</p>\n".repeat(40)
            ),
        );
    }
}

#[test]
fn readers_never_see_a_torn_feed_while_builds_run() {
    let site = Site::new("base_url: https://example.org/\nlimit: 0\n");
    many_posts(&site, 300);
    assert!(site.build(&[]).status.success());
    let feed = site.out().join("rss.xml");
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let reader = {
        let stop = stop.clone();
        let feed = feed.clone();
        std::thread::spawn(move || {
            let mut reads = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let bytes = std::fs::read(&feed).unwrap();
                let parsed = feed_rs::parser::parse(&bytes[..]).expect("a whole feed, every time");
                assert_eq!(parsed.entries.len(), 300);
                reads += 1;
            }
            reads
        })
    };
    for round in 0..6 {
        // Each round changes every body, so every feed is rewritten.
        site.post("00/p0.md", &format!("---\ntitle: Post 0\ndate: 2024-02-01 10:00:00 +0800\ncategories: c0\n---\nround {round}\n"));
        assert!(site.build(&[]).status.success());
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    assert!(reader.join().unwrap() > 0);
}

#[test]
fn a_killed_build_leaves_the_old_feeds_and_the_next_build_is_clean() {
    let site = Site::new("base_url: https://example.org/\nlimit: 0\n");
    many_posts(&site, 1500);
    assert!(site.build(&[]).status.success());
    let before = std::fs::read(site.out().join("rss.xml")).unwrap();
    site.post(
        "00/p0.md",
        "---\ntitle: Changed\ndate: 2024-02-01 10:00:00 +0800\ncategories: c0\n---\nchanged\n",
    );
    for delay in [5, 40, 120] {
        let mut child = frontfeed()
            .current_dir(site.path())
            .arg("build")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        // Whatever moment it died, every feed is whole: the old one or the new one.
        let now = std::fs::read(site.out().join("rss.xml")).unwrap();
        assert!(feed_rs::parser::parse(&now[..]).is_ok());
        assert!(now == before || String::from_utf8_lossy(&now).contains("Changed"));
    }
    let output = site.build(&[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let leftovers: Vec<_> = files_under(&site.out())
        .into_iter()
        .filter(|p| p.to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let feed = parse_feed(&site.out().join("category/c0/rss.xml"));
    assert!(feed.entries.iter().any(|e| entry_title(e) == "Changed"));
}

#[test]
fn two_builds_at_once_do_not_corrupt_the_output() {
    let site = Site::new("base_url: https://example.org/\nlimit: 0\n");
    many_posts(&site, 400);
    let spawn = || frontfeed().current_dir(site.path()).arg("build").output();
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(spawn);
        let b = s.spawn(spawn);
        (a.join().unwrap().unwrap(), b.join().unwrap().unwrap())
    });
    assert!(a.status.success() && b.status.success());
    let waited = [&a, &b]
        .iter()
        .filter(|o| stderr(o).contains("waited for another frontfeed build"))
        .count();
    assert!(waited <= 1);
    let reference = Site::new("base_url: https://example.org/\nlimit: 0\n");
    many_posts(&reference, 400);
    assert!(reference.build(&[]).status.success());
    for feed in ["rss.xml", "atom.xml", "category/c3/atom.xml"] {
        assert_eq!(
            std::fs::read(site.out().join(feed)).unwrap(),
            std::fs::read(reference.out().join(feed)).unwrap(),
            "{feed}"
        );
    }
}

fn library_options(site: &Site) -> frontfeed::BuildOptions {
    build_options(
        site.posts(),
        site.out(),
        "base_url: https://example.org/\nlimit: 0\nfeeds: {tags: true}\n",
    )
}

#[test]
fn an_incremental_rebuild_parses_and_renders_only_the_changed_post() {
    let site = Site::new("");
    many_posts(&site, 200);
    let options = library_options(&site);
    let first = frontfeed::build(&options).unwrap();
    assert_eq!((first.posts_parsed, first.entries_rendered), (200, 200));

    // Nothing changed: nothing parsed, nothing rendered, nothing written.
    let again = frontfeed::build(&options).unwrap();
    assert_eq!(
        (
            again.posts_parsed,
            again.entries_rendered,
            again.files_written
        ),
        (0, 0, 0)
    );

    // One post changed (and its file's mtime with it): that post only.
    std::thread::sleep(Duration::from_millis(1100));
    site.post(
        "03/p3.md",
        "---\ntitle: Post 3 edited\ndate: 2024-02-04 10:00:00 +0800\ncategories: c3\n---\nedited\n",
    );
    let one = frontfeed::build(&options).unwrap();
    assert_eq!(one.posts_parsed, 1);
    assert_eq!(one.entries_rendered, 1);
    assert_eq!(
        one.files_written, 4,
        "the global feed and c3's, in both formats"
    );

    // Deleting the cache, or a cache from another version, gives the same bytes.
    let with_cache = output_tree(&site.out());
    let cache_dir = site.out().join(".frontfeed/cache");
    // The index starts with frontfeed's version (a length byte, then the text).
    let mut posts_index = std::fs::read(cache_dir.join("posts.index")).unwrap();
    let version = env!("CARGO_PKG_VERSION").as_bytes();
    assert_eq!(&posts_index[1..1 + version.len()], version);
    posts_index[1] = b'9';
    std::fs::write(cache_dir.join("posts.index"), posts_index).unwrap();
    std::fs::write(cache_dir.join("feeds.index"), "not an index").unwrap();
    let other_version = frontfeed::build(&options).unwrap();
    assert_eq!(other_version.posts_parsed, 200);
    assert_eq!(output_tree(&site.out()), with_cache);
    std::fs::remove_dir_all(&cache_dir).unwrap();
    let no_cache = frontfeed::build(&options).unwrap();
    assert_eq!(no_cache.posts_parsed, 200);
    assert_eq!(no_cache.files_written, 0);
    assert_eq!(output_tree(&site.out()), with_cache);

    // And a clean build elsewhere, without any cache, agrees byte for byte.
    let clean = tempfile::tempdir().unwrap();
    let mut clean_options = library_options(&site);
    clean_options.out_dir = clean.path().join("out");
    clean_options.use_cache = false;
    frontfeed::build(&clean_options).unwrap();
    assert_eq!(output_tree(&clean.path().join("out")), with_cache);
    assert!(!clean.path().join("out/.frontfeed/cache").exists());
}

/// Waits until `check` holds, for at most 20 s.
fn eventually(what: &str, check: impl Fn() -> bool) {
    let start = std::time::Instant::now();
    while !check() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "timed out waiting: {what}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn titles(path: &Path) -> Vec<String> {
    std::fs::read(path)
        .ok()
        .and_then(|b| feed_rs::parser::parse(&b[..]).ok())
        .map(|f| f.entries.iter().map(entry_title).collect())
        .unwrap_or_default()
}

#[cfg(unix)]
#[test]
fn watch_rebuilds_on_edits_breakage_fixes_and_deletes() {
    let site = Site::new("base_url: https://example.org/\n");
    site.post("a.md", "---\ntitle: A\ndate: 2024-01-01\n---\nx\n");
    let child = frontfeed()
        .current_dir(site.path())
        .arg("watch")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let rss = site.out().join("rss.xml");
    eventually("first build", || titles(&rss) == ["A"]);

    site.post("b.md", "---\ntitle: B\ndate: 2024-01-02\n---\ny\n");
    eventually("a new post", || titles(&rss) == ["B", "A"]);

    // Saved half-written: reported, and the other entries stay.
    site.post("b.md", "---\ntitle: [B\ndate: 2024-01-02\n");
    eventually("the broken post left out", || titles(&rss) == ["A"]);

    site.post("b.md", "---\ntitle: B fixed\ndate: 2024-01-02\n---\ny\n");
    eventually("the fixed post back", || titles(&rss) == ["B fixed", "A"]);

    std::fs::rename(site.posts().join("b.md"), site.posts().join("c.md")).unwrap();
    std::fs::remove_file(site.posts().join("a.md")).unwrap();
    eventually("a delete and a rename", || {
        std::fs::read_to_string(&rss).is_ok_and(|t| t.contains("/c.html") && !t.contains("/a.html"))
    });

    // The config is watched too.
    std::fs::write(
        site.path().join("frontfeed.yaml"),
        "base_url: https://other.example.org/\n",
    )
    .unwrap();
    eventually("a config change", || {
        std::fs::read_to_string(&rss).is_ok_and(|t| t.contains("https://other.example.org/"))
    });

    // Ctrl-C stops it cleanly.
    send_sigint(child.id());
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{:?}", output.status);
    let err = stderr(&output);
    assert!(
        err.contains("b.md:2: invalid YAML") || err.contains("b.md"),
        "{err}"
    );
    assert!(err.contains("stopped watching"), "{err}");
}

/// A warning found while rendering (here an unknown Liquid tag) fails `--strict` on every
/// build, also when the feeds are unchanged and nothing is rendered again.
#[test]
fn render_warnings_fail_strict_on_every_rebuild() {
    let site = Site::new("base_url: https://example.org/\n");
    site.post(
        "a.md",
        "---\ntitle: A\ndate: 2024-01-01\n---\nText {% gist 42 %} more.\n",
    );
    for round in 0..3 {
        let output = site.build(&["--strict"]);
        assert_eq!(output.status.code(), Some(1), "round {round}");
        assert!(
            stderr(&output).contains("posts/a.md:5: Liquid tag `gist` is unknown"),
            "round {round}: {}",
            stderr(&output)
        );
    }
}
