//! Hostile and broken input: each case gets a clear message, stays inside `out/`, and never
//! costs a good post its entry. README.md's "Bad input" table lists the same cases.

use std::path::Path;

use crate::harness::{
    build_command, build_options, entry_content, entry_title, feed_files, files_under, fixture,
    frontfeed, parse_feed, relative_urls, stderr, stdout, Site,
};
use frontfeed::output::{FeedFile, FeedSink, FileSystem, WriteOutcome};

fn build_hostile(out: &Path, extra: &[&str]) -> std::process::Output {
    let hostile = fixture("hostile");
    build_command(&hostile.join("posts"), &hostile.join("frontfeed.yaml"), out)
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn hostile_posts_are_reported_and_the_good_ones_written() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let output = build_hostile(&out, &[]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{err}");

    // Each bad file is named, with its line where one is known, and says what is wrong.
    for (file, message) in [
        ("alias-bomb.md:", "repetition limit exceeded"),
        ("deep-nesting.md:4:", "nested more than 100 levels deep"),
        // Jekyll keeps the last value of a repeated key; so do we, with a warning.
        (
            "duplicate-keys.md:3:",
            "`title` is written twice; using the last value",
        ),
        ("tabs.md:3:", "tab character"),
        ("list-front-matter.md:1:", "must be a mapping"),
        ("string-front-matter.md:1:", "must be a mapping"),
        ("year-99999.md:3:", "out of range"),
        // Ruby's Time.parse ignores a zone it does not know; so do we, with a warning.
        ("bad-timezone.md:3:", "(ignored: Mars/Olympus)"),
        ("gbk.md:2:", "not valid UTF-8"),
        ("lone-bom.md:", "no front matter"),
        ("empty.md:", "no front matter"),
        (
            "many-categories.md:4:",
            "150 categories; only the first 100 are kept",
        ),
        (
            "javascript-permalink.md:4:",
            "neither a path nor an http(s) URL",
        ),
        ("javascript-permalink.md:5:", "is a script URL"),
        ("foreign-id.md:4:", "another host (other.example.com)"),
        ("foreign-id.md:5:", "another host (other.example.com)"),
        ("controls.md:", "control character"),
        ("nul-bytes.md:", "control character"),
    ] {
        assert!(
            err.lines().any(|l| l.contains(file) && l.contains(message)),
            "expected `{file}` … `{message}` in:\n{err}"
        );
    }

    // Every file stays inside out/ and is a feed we meant to write.
    let out_canonical = out.canonicalize().unwrap();
    let files = files_under(&out);
    assert!(files.len() > 100, "{}", files.len());
    for relative in &files {
        let file = out.join(relative);
        assert!(file.canonicalize().unwrap().starts_with(&out_canonical));
        // frontfeed's own state (manifest, lock) lives in out/.frontfeed.
        if relative.starts_with(".frontfeed") {
            continue;
        }
        let name = file.file_name().unwrap().to_str().unwrap();
        assert!(
            name == "rss.xml" || name == "atom.xml",
            "{}",
            file.display()
        );
    }
    // 100 kept categories of one post plus news, security and the escaping names; no more.
    let category_feeds = std::fs::read_dir(out.join("category")).unwrap().count();
    assert!(
        category_feeds <= 100 + 2 + 7,
        "{category_feeds} category feeds"
    );

    let global = parse_feed(&out.join("atom.xml"));
    let titles: Vec<String> = global.entries.iter().map(entry_title).collect();
    for expected in [
        "Good one",
        "Good two",
        "Scripts & frames",
        "Escaping names",
        "Nultitle",
        "Bell, escape, NUL, ]]> & & bold",
        "JS permalink",
        "Foreign id",
        "Many categories",
        "Permalink escape",
        // Published as Jekyll publishes them (see the warnings above).
        "Bad zone",
        "Two",
    ] {
        assert!(
            titles.iter().any(|t| t == expected),
            "{expected} in {titles:?}"
        );
    }
    assert_eq!(titles.len(), 12, "{titles:?}");

    let foreign = global
        .entries
        .iter()
        .find(|e| entry_title(e) == "Foreign id")
        .unwrap();
    assert_eq!(foreign.id, "https://other.example.com/posts/1");
    assert_eq!(foreign.links[0].href, "https://other.example.com/p/1.html");
    let js = global
        .entries
        .iter()
        .find(|e| entry_title(e) == "JS permalink")
        .unwrap();
    assert!(js.id.starts_with("urn:uuid:"), "{}", js.id);
    assert!(js.links[0].href.starts_with("https://hostile.example.org/"));

    // Nothing that runs code survives, in any feed, in either format.
    for path in feed_files(&out) {
        let xml = std::fs::read_to_string(&path).unwrap();
        let feed = parse_feed(&path);
        for entry in &feed.entries {
            let html = entry_content(entry).to_ascii_lowercase();
            for banned in [
                "<script",
                "<iframe",
                "<style",
                "<object",
                "<embed",
                "<form",
                "<base",
                "<meta",
                "<svg",
                "onclick",
                "onerror",
                "onload",
                "javascript:",
                "vbscript:",
                "data:text",
                "tracking comment",
            ] {
                assert!(
                    !html.contains(banned),
                    "{banned} in {}: {html}",
                    path.display()
                );
            }
            assert!(
                relative_urls(&html).is_empty(),
                "{}: {html}",
                path.display()
            );
            for link in &entry.links {
                assert!(link.href.starts_with("https://"), "{}", link.href);
            }
        }
        assert!(!xml.chars().any(|c| c < ' ' && !"\t\n\r".contains(c)));
    }
    let security = parse_feed(&out.join("category/security/atom.xml"));
    let html = entry_content(&security.entries[0]);
    assert!(html.contains("<p>Visible text.</p>"), "{html}");
    assert!(
        html.contains("srcset=\"https://hostile.example.org/img/a.png 1x, https://cdn.example.net/a@2x.png 2x\""),
        "{html}"
    );
    // 10:00 +0800 on March 1 is February 29 in New York, the site's timezone: Jekyll's page.
    assert!(
        html.contains("href=\"https://hostile.example.org/security/2024/02/relative/x.html\""),
        "{html}"
    );

    // The same input under --strict fails, and still writes the same feeds.
    let strict_out = tmp.path().join("strict");
    let strict = build_hostile(&strict_out, &["--strict"]);
    assert_eq!(strict.status.code(), Some(1));
    assert_eq!(
        std::fs::read(out.join("atom.xml")).unwrap(),
        std::fs::read(strict_out.join("atom.xml")).unwrap()
    );
}

#[test]
fn sanitization_can_be_turned_off() {
    let site = Site::new("base_url: https://example.org/\nsanitize: false\n");
    site.post(
        "a.html",
        "---\ntitle: Embed\ndate: 2024-01-01\n---\n<p>x</p><iframe src=\"/embed/1\"></iframe>\n",
    );
    let output = site.build(&[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let feed = site.feed("atom.xml");
    let html = entry_content(&feed.entries[0]);
    assert!(
        html.contains("<iframe src=\"https://example.org/embed/1\"></iframe>"),
        "{html}"
    );
}

/// A post written about HTML: a bare `<title>` in a sentence once took the rest of the post
/// with it. Now the words stay, and whatever sanitizing removes or drops is reported with the
/// file and line, so `--strict` can hold the build.
#[test]
fn sanitizing_keeps_the_authors_text_and_reports_what_it_drops() {
    let site = Site::new("base_url: https://example.org/\n");
    site.post(
        "about-html.md",
        "---\ntitle: About HTML\ndate: 2024-01-01\n---\n\
         Every page needs a <title> in its head.\n\n\
         The rest of the post stays.\n\n\
         <style>p { color: red }</style>\n\n\
         Read [the spec](URL:https://html.spec.whatwg.org/) and [this](javascript:alert(1)).\n\n\
         <iframe src=\"https://www.youtube.com/embed/x\" title=\"The talk\"></iframe>\n",
    );
    let output = site.build(&[]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{err}");
    for (at, message) in [
        (
            "about-html.md:5:",
            "`<title` is opened but never closed: it is kept as text",
        ),
        (
            "about-html.md:9:",
            "removed <style> with its 16 characters of content",
        ),
        (
            "about-html.md:11:",
            "removed href=\"URL:https://html.spec.whatwg.org/\": `URL:` is not a URL scheme",
        ),
        (
            "about-html.md:11:",
            "removed href=\"javascript:alert(1)\": `javascript:` URLs are not allowed",
        ),
        (
            "about-html.md:13:",
            "replaced <iframe> (an embedded page) with a link to https://www.youtube.com/embed/x",
        ),
    ] {
        assert!(
            err.lines()
                .any(|l| l.starts_with("warning:") && l.contains(at) && l.contains(message)),
            "expected `{at}` … `{message}` in:\n{err}"
        );
    }
    let html = entry_content(&site.feed("atom.xml").entries[0]);
    for kept in [
        "Every page needs a &lt;title> in its head.",
        "The rest of the post stays.",
        ">the spec</a>",
        "<a href=\"https://www.youtube.com/embed/x\" rel=\"noopener noreferrer\">The talk</a>",
    ] {
        assert!(html.contains(kept), "{kept} in {html}");
    }
    for gone in ["<style", "color: red", "URL:", "javascript:", "<iframe"] {
        assert!(!html.contains(gone), "{gone} in {html}");
    }

    // (A fresh output folder: an unchanged rebuild renders nothing, so it has nothing to say.)
    let strict = site.build(&["--strict", "--out", "strict"]);
    assert_eq!(strict.status.code(), Some(1), "{}", stderr(&strict));
    assert!(stderr(&strict).contains("about-html.md:5:"));
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_links_outside_are_skipped() {
    let site = Site::new("base_url: https://example.org/\n");
    site.post("good.md", "---\ntitle: Good\ndate: 2024-01-01\n---\nx\n");
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.md");
    std::fs::write(&secret, "---\ntitle: Secret\ndate: 2024-01-01\n---\nx\n").unwrap();
    let posts = site.posts();
    std::os::unix::fs::symlink(&secret, posts.join("secret.md")).unwrap();
    std::os::unix::fs::symlink(posts.join("self.md"), posts.join("self.md")).unwrap();
    std::os::unix::fs::symlink(&posts, posts.join("loop")).unwrap();
    std::os::unix::fs::symlink("/", posts.join("root")).unwrap();

    let output = site.build(&["--limit", "0"]);
    let err = stderr(&output);
    assert!(output.status.success(), "{err}");
    assert!(
        err.contains("secret.md: skipped symlink pointing outside the posts folder"),
        "{err}"
    );
    assert!(
        err.contains("self.md: skipped symlink that cannot be resolved"),
        "{err}"
    );
    let feed = site.feed("atom.xml");
    let titles: Vec<_> = feed.entries.iter().map(entry_title).collect();
    assert_eq!(titles, ["Good"]);
}

#[test]
fn huge_files_are_refused_without_being_read() {
    let site = Site::new("base_url: https://example.org/\n");
    site.post("good.md", "---\ntitle: Good\ndate: 2024-01-01\n---\nx\n");
    // Sparse files: 1 GB and one 100 MB line cost no disk and would cost the memory if read.
    for (name, size) in [("gigabyte.md", 1u64 << 30), ("long-line.md", 100 << 20)] {
        let file = std::fs::File::create(site.posts().join(name)).unwrap();
        file.set_len(size).unwrap();
    }
    let started = std::time::Instant::now();
    let output = site.build(&[]);
    let err = stderr(&output);
    assert!(output.status.success(), "{err}");
    for name in ["gigabyte.md", "long-line.md"] {
        assert!(
            err.contains(&format!(
                "{name}: file is larger than the 33554432-byte limit"
            )),
            "{err}"
        );
    }
    assert_eq!(site.feed("rss.xml").entries.len(), 1);
    // Not a performance assertion: reading 1 GB would take far longer than this on any disk.
    assert!(started.elapsed().as_secs() < 60);

    // The limit is configurable.
    let small = Site::new("base_url: https://example.org/\nmax_post_bytes: 64\n");
    small.post("short.md", "---\ntitle: S\ndate: 2024-01-01\n---\nx\n");
    small.post(
        "long.md",
        &format!(
            "---\ntitle: L\ndate: 2024-01-01\n---\n{}\n",
            "x".repeat(100)
        ),
    );
    let output = small.build(&[]);
    assert!(stderr(&output).contains("long.md: file is larger than the 64-byte limit"));
    assert_eq!(small.feed("rss.xml").entries.len(), 1);
}

#[test]
fn ten_thousand_categories_on_one_post_are_capped() {
    let site = Site::new("base_url: https://example.org/\nmax_terms_per_post: 20\n");
    let names: Vec<String> = (0..10_000).map(|i| format!("c{i}")).collect();
    site.post(
        "many.md",
        &format!(
            "---\ntitle: Many\ndate: 2024-01-01\ncategories: [{}]\n---\nx\n",
            names.join(", ")
        ),
    );
    let output = site.build(&[]);
    assert!(output.status.success());
    assert!(stderr(&output).contains("many.md:4: 10000 categories; only the first 20 are kept"));
    assert_eq!(
        std::fs::read_dir(site.out().join("category"))
            .unwrap()
            .count(),
        20
    );
    let feed = site.feed("category/c19/rss.xml");
    assert_eq!(feed.entries[0].categories.len(), 20);
}

#[test]
fn a_hundred_thousand_posts_in_one_category() {
    let site = Site::new("base_url: https://example.org/\ntimezone: Asia/Shanghai\n");
    let posts = site.posts();
    for i in 0..100_000u32 {
        let dir = posts.join(format!("{:03}", i / 1000));
        if i % 1000 == 0 {
            std::fs::create_dir_all(&dir).unwrap();
        }
        let day = 1 + i % 28;
        std::fs::write(
            dir.join(format!("p{i}.md")),
            format!(
                "---\ntitle: Post {i}\ndate: 2020-02-{day:02} {:02}:{:02}:00\ncategories: big\n---\nBody {i}.\n",
                i % 24,
                i % 60
            ),
        )
        .unwrap();
    }
    // The cache is beside the point here (and would hold 100,000 records).
    let output = site.build(&["--no-cache"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("100000 files read, 100000 entries, 2 feeds"));
    let feed = site.feed("category/big/atom.xml");
    assert_eq!(feed.entries.len(), 50);
    // Newest first: day 28 at the latest hour present.
    let newest = feed.entries[0].published.unwrap();
    for entry in &feed.entries {
        assert!(entry.published.unwrap() <= newest);
    }
}

#[test]
fn out_may_not_be_posts_inside_posts_root_or_home() {
    let site = Site::new("base_url: https://example.org/\n");
    site.post("a.md", "---\ntitle: A\ndate: 2024-01-01\n---\nx\n");
    let home = site.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    for (out, why) in [
        ("posts", "is the posts folder or inside it"),
        ("posts/feeds", "is the posts folder or inside it"),
        ("posts/../posts/x", "is the posts folder or inside it"),
        ("/", "is the file system root"),
        (home.to_str().unwrap(), "is the home folder"),
    ] {
        let output = frontfeed()
            .current_dir(site.path())
            .env("HOME", &home)
            .args(["build", "--out", out])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{out}");
        assert!(stderr(&output).contains(why), "{out}: {}", stderr(&output));
    }
    // Nothing was written into posts/.
    assert_eq!(files_under(&site.posts()).len(), 1);
}

/// A sink that fails for one feed the way a full disk does: the first bytes reach the
/// temporary file, then every write fails.
struct FullDiskFor(&'static str);

struct FillsUp {
    inner: Box<dyn FeedFile>,
    room: usize,
}

impl std::io::Write for FillsUp {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.room == 0 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::StorageFull,
                "no space left on device",
            ));
        }
        let n = buf.len().min(self.room);
        self.room -= n;
        self.inner.write(&buf[..n])
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

impl FeedFile for FillsUp {
    fn finish(self: Box<Self>) -> std::io::Result<WriteOutcome> {
        self.inner.finish()
    }
}

impl FeedSink for FullDiskFor {
    fn create(&self, path: &Path) -> std::io::Result<Box<dyn FeedFile>> {
        let inner = FileSystem.create(path)?;
        if path.to_string_lossy().contains(self.0) {
            Ok(Box::new(FillsUp { inner, room: 100 }))
        } else {
            Ok(inner)
        }
    }
}

#[test]
fn a_failing_write_is_an_error_and_keeps_the_previous_feed() {
    let site = Site::new("");
    site.post(
        "a.md",
        "---\ntitle: First\ndate: 2024-01-01\ncategories: [news]\n---\nx\n",
    );
    let options = build_options(site.posts(), site.out(), "base_url: https://example.org/\n");
    let first = frontfeed::build(&options).unwrap();
    assert_eq!(first.files_failed, 0);
    let before = std::fs::read(site.out().join("category/news/rss.xml")).unwrap();

    site.post(
        "b.md",
        "---\ntitle: Second\ndate: 2024-01-02\ncategories: [news]\n---\ny\n",
    );
    let report = frontfeed::build_into(&options, &FullDiskFor("category/news/rss.xml")).unwrap();
    assert_eq!(report.files_failed, 1);
    let error = report
        .diagnostics
        .iter()
        .find(|d| d.severity == frontfeed::Severity::Error)
        .unwrap();
    assert!(
        error.to_string().contains("category/news/rss.xml"),
        "{error}"
    );
    assert!(
        error.to_string().contains("no space left on device"),
        "{error}"
    );
    // The old feed is intact, no temporary file is left, and the other feeds moved on.
    assert_eq!(
        std::fs::read(site.out().join("category/news/rss.xml")).unwrap(),
        before
    );
    assert_eq!(
        std::fs::read_dir(site.out().join("category/news"))
            .unwrap()
            .count(),
        2
    );
    assert_eq!(site.feed("category/news/atom.xml").entries.len(), 2);
    assert_eq!(site.feed("rss.xml").entries.len(), 2);
}

#[cfg(unix)]
#[test]
fn an_unwritable_output_folder_exits_1_and_keeps_old_feeds() {
    let site = Site::new("base_url: https://example.org/\n");
    site.post("a.md", "---\ntitle: A\ndate: 2024-01-01\n---\nx\n");
    assert!(site.build(&[]).status.success());
    let before = std::fs::read(site.out().join("rss.xml")).unwrap();
    site.post("b.md", "---\ntitle: B\ndate: 2024-01-02\n---\nx\n");
    // A file where the category folder must go: fails even for root, unlike permissions.
    std::fs::write(site.out().join("category"), "user's file").unwrap();
    site.post(
        "c.md",
        "---\ntitle: C\ndate: 2024-01-03\ncategories: [news]\n---\nx\n",
    );
    let output = site.build(&[]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("category/news/rss.xml"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        std::fs::read_to_string(site.out().join("category")).unwrap(),
        "user's file"
    );
    assert_ne!(std::fs::read(site.out().join("rss.xml")).unwrap(), before);
}
