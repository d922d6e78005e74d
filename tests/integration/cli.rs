//! Command-line conventions and messages (issue 11 §5): problems said in the user's terms,
//! one wording for build/check/watch, plurals, colour only where it belongs, completions,
//! man pages, exit codes in every --help, and `frontfeed init`.

use crate::harness::{entry_title, frontfeed, parse_feed, run_in, stderr, stdout, Site};

const CONFIG: &str = "base_url: https://example.org/\n";

fn post(title: &str, date: &str) -> String {
    format!("---\ntitle: {title}\ndate: {date}\ncategories: [local]\n---\nBody of {title}.\n")
}

#[test]
fn impossible_dates_say_what_does_not_exist() {
    let site = Site::new(CONFIG);
    site.post("a.md", &post("A", "2022-13-01"))
        .post("b.md", &post("B", "2022-02-32"))
        .post("c.md", &post("C", "2022-02-31"))
        .post("d.md", &post("D", "2022-02-10 25:00"));
    let output = site.build(&[]);
    let err = stderr(&output);
    for expected in [
        "error: posts/a.md:3: date \"2022-13-01\" cannot be read: month 13 does not exist",
        "error: posts/b.md:3: date \"2022-02-32\" cannot be read: February 32 does not exist",
        "error: posts/d.md:3: date \"2022-02-10 25:00\" cannot be read: hour 25 does not exist",
        // A day past the month's end is read as Jekyll reads it, with a warning.
        "warning: posts/c.md:3: date \"2022-02-31\" is not in a standard form; February 31 does \
         not exist, so it runs into March 3",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
    assert!(
        stdout(&output).contains(" 1 entry, "),
        "{}",
        stdout(&output)
    );
}

#[test]
fn a_file_where_a_folder_must_go_is_named_as_such() {
    let site = Site::new(CONFIG);
    site.post("a.md", &post("A", "2022-02-10"));
    std::fs::create_dir_all(site.out().join("category")).unwrap();
    std::fs::write(site.out().join("category/local"), "mine").unwrap();
    let output = site.build(&[]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(
        err.contains(
            "error: out/category/local/rss.xml: cannot write feed: `out/category/local` is a \
             file, but a folder is needed there"
        ),
        "{err}"
    );
    assert!(
        !err.contains("os error") && !err.contains("File exists"),
        "{err}"
    );
    // The output folder itself.
    let site = Site::new(CONFIG);
    site.post("a.md", &post("A", "2022-02-10"));
    std::fs::write(site.out(), "mine").unwrap();
    let output = site.build(&[]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("error: `out` is a file, but a folder is needed there"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn no_message_names_a_config_file_that_is_not_there() {
    let site = Site::new("");
    std::fs::remove_file(site.path().join("frontfeed.yaml")).unwrap();
    site.post("a.md", &post("A", "2022-02-10"));
    for args in [
        &["build", "-v"][..],
        &["check"],
        &["check", "--format", "json"],
        &["check", "--format", "github"],
    ] {
        let output = run_in(site.path(), args);
        let all = format!("{}{}", stdout(&output), stderr(&output));
        assert!(
            all.contains("no `base_url` configured"),
            "{args:?}: the warning is still given: {all}"
        );
        assert!(!all.contains("frontfeed.yaml"), "{args:?}: {all}");
    }
    // With the file there, the warning names it.
    std::fs::write(site.path().join("frontfeed.yaml"), "title: T\n").unwrap();
    let output = site.build(&[]);
    assert!(
        stderr(&output).contains(
            "warning: frontfeed.yaml: no `base_url` configured: links use the placeholder"
        ),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_missing_posts_folder_is_said_the_same_way_by_build_check_and_watch() {
    let site = Site::new(CONFIG);
    let expected = "error: the posts folder `drafts` does not exist: create it (`frontfeed init` \
                    writes one with an example post), or name yours with --posts DIR\n";
    for command in ["build", "check", "watch"] {
        let output = run_in(site.path(), &[command, "--posts", "drafts"]);
        assert_eq!(output.status.code(), Some(2), "{command}");
        assert_eq!(stderr(&output), expected, "{command}");
    }
    std::fs::write(site.path().join("drafts"), "a file").unwrap();
    for command in ["build", "check", "watch"] {
        let output = run_in(site.path(), &[command, "--posts", "drafts"]);
        assert_eq!(output.status.code(), Some(2), "{command}");
        assert_eq!(
            stderr(&output),
            "error: the posts folder `drafts` is a file, but a folder of posts is needed; name \
             the folder with --posts DIR\n",
            "{command}"
        );
    }
}

#[test]
fn counts_are_singular_for_one() {
    let site = Site::new("base_url: https://example.org/\nfeeds: {categories: false}\n");
    site.post("a.md", "---\ntitle: A\ndate: 2022-02-10\n---\nx\n");
    let output = site.build(&[]);
    assert_eq!(
        stdout(&output),
        "frontfeed: 1 file read, 1 entry, 1 feed (2 files written, 0 unchanged, 0 removed), \
         0 warnings, 0 errors\n"
    );
    std::fs::remove_file(site.out().join("atom.xml")).unwrap();
    site.post("b.md", "---\ntitle: B\ndate: 2030-01-01\n---\n");
    let output = frontfeed()
        .current_dir(site.path())
        .arg("build")
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .unwrap();
    assert_eq!(
        stdout(&output),
        "frontfeed: 2 files read, 1 entry (1 future post held back), 1 feed (1 file written, 1 \
         unchanged, 0 removed), 0 warnings, 0 errors\n"
    );
    let output = run_in(site.path(), &["check", "--posts", "posts"]);
    assert!(
        stdout(&output)
            .ends_with("frontfeed check: 2 post files and 2 feeds checked, 0 errors, 0 warnings\n"),
        "{}",
        stdout(&output)
    );
    std::fs::remove_file(site.posts().join("b.md")).unwrap();
    let output = run_in(site.path(), &["check", "--feed", "out/rss.xml"]);
    assert_eq!(
        stdout(&output),
        "frontfeed check: 1 feed checked, 0 errors, 0 warnings\n"
    );
    let output = run_in(site.path(), &["check", "--feed", "out", "missing.xml"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stdout(&output),
        "error: this is a folder: name the feed files in it (`DIR/*.xml`)\n--> out\n\n\
         error: there is no such file\n--> missing.xml\n\n\
         frontfeed check: 0 feeds checked, 2 errors, 0 warnings\n"
    );
}

#[test]
fn source_date_epoch_zero_is_explained() {
    let site = Site::new(CONFIG);
    site.post("a.md", &post("A", "2022-02-10"));
    let output = frontfeed()
        .current_dir(site.path())
        .args(["build", "--strict"])
        .env("SOURCE_DATE_EPOCH", "0")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "a warning fails --strict");
    assert!(
        stderr(&output).contains(
            "warning: SOURCE_DATE_EPOCH is 0 (1970-01-01T00:00:00+00:00), before every post, so \
             the one post was held back as dated in the future; in CI take it from the last \
             commit: SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)"
        ),
        "{}",
        stderr(&output)
    );
}

#[test]
fn toml_front_matter_is_a_warning_so_strict_catches_it() {
    let site = Site::new(CONFIG);
    site.post("a.md", &post("A", "2022-02-10"))
        .post("hugo.md", "+++\ntitle = \"From Hugo\"\n+++\nbody\n")
        .post("notes.txt", "plain notes\n");
    let output = site.build(&["--strict"]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(
        err.contains(
            "warning: posts/hugo.md: TOML front matter (`+++`) is not read; use YAML (`---`); \
             skipped"
        ),
        "{err}"
    );
    assert!(
        err.contains("note: posts/notes.txt: no front matter"),
        "{err}"
    );
}

fn has_escape(text: &str) -> bool {
    text.contains('\u{1b}')
}

#[test]
fn colour_only_on_request_or_a_terminal_and_never_with_no_color() {
    let site = Site::new("");
    site.post("a.md", &post("A", "2022-13-01"));
    // Piped: plain, whatever the environment says about colour support.
    let plain = run_in(site.path(), &["build"]);
    assert!(!has_escape(&stderr(&plain)), "{}", stderr(&plain));
    let plain = run_in(site.path(), &["check"]);
    assert!(!has_escape(&stdout(&plain)));

    let coloured = run_in(site.path(), &["--color", "always", "build"]);
    let err = stderr(&coloured);
    assert!(has_escape(&err), "{err}");
    // Severity, then the file, each styled; the text is the same once the styles are gone.
    let styled = "\u{1b}[1m\u{1b}[91merror\u{1b}[0m: \u{1b}[1mposts/a.md:3\u{1b}[0m: date";
    assert!(err.contains(styled), "{err}");
    let coloured = run_in(site.path(), &["check", "--color", "always"]);
    let out = stdout(&coloured);
    assert!(out.contains("\u{1b}[1m\u{1b}[91merror\u{1b}[0m"), "{out}");
    assert!(out.contains("\u{1b}[1mposts/a.md:3\u{1b}[0m"), "{out}");

    // Machine formats never carry colour.
    for format in ["json", "github"] {
        let output = run_in(
            site.path(),
            &["check", "--color=always", "--format", format],
        );
        assert!(!has_escape(&stdout(&output)), "{format}");
    }
    let never = run_in(site.path(), &["--color", "never", "check"]);
    assert!(!has_escape(&stdout(&never)));
    // NO_COLOR wins over a forced terminal (CLICOLOR_FORCE) in auto mode.
    let output = frontfeed()
        .current_dir(site.path())
        .arg("check")
        .env("CLICOLOR_FORCE", "1")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!has_escape(&stdout(&output)));
    let output = frontfeed()
        .current_dir(site.path())
        .arg("check")
        .env("CLICOLOR_FORCE", "1")
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    assert!(has_escape(&stdout(&output)), "auto follows CLICOLOR_FORCE");
}

#[test]
fn every_command_names_its_exit_codes_in_its_help() {
    for command in ["build", "check", "watch", "init", "completions", "man"] {
        let output = frontfeed().args([command, "--help"]).output().unwrap();
        assert!(output.status.success(), "{command}");
        let help = stdout(&output);
        assert!(help.contains("Exit codes"), "{command}: {help}");
        assert!(
            help.contains("  0  ") && help.contains("  2  "),
            "{command}: {help}"
        );
        assert!(
            help.contains("--color <WHEN>"),
            "{command}: the global flag"
        );
    }
}

#[test]
fn shell_completions_from_the_command_definition() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let output = frontfeed().args(["completions", shell]).output().unwrap();
        assert!(output.status.success(), "{shell}");
        let script = stdout(&output);
        for word in ["build", "check", "watch", "init", "deny-warnings", "color"] {
            assert!(script.contains(word), "{shell}: {word}");
        }
    }
    // The bash script is valid bash.
    let tmp = tempfile::tempdir().unwrap();
    let script = tmp.path().join("frontfeed.bash");
    let output = frontfeed().args(["completions", "bash"]).output().unwrap();
    std::fs::write(&script, &output.stdout).unwrap();
    let syntax = std::process::Command::new("bash")
        .arg("-n")
        .arg(&script)
        .status()
        .unwrap();
    assert!(syntax.success());
    let output = frontfeed().args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn man_pages_from_the_command_definition() {
    let output = frontfeed().arg("man").output().unwrap();
    assert!(output.status.success());
    let page = stdout(&output);
    assert!(page.contains(".TH FRONTFEED 1"), "{page}");
    assert_eq!(page.matches(".ds Aq").count(), 2, "one preamble: {page}");
    for section in [
        "NAME",
        "SYNOPSIS",
        "SUBCOMMANDS",
        "\"EXIT STATUS\"",
        "ENVIRONMENT",
    ] {
        assert!(
            page.contains(&format!(".SH {section}")),
            "{section}: {page}"
        );
    }
    assert!(page.contains("SOURCE_DATE_EPOCH") && page.contains("NO_COLOR"));

    let output = frontfeed().args(["man", "check"]).output().unwrap();
    assert!(output.status.success());
    let page = stdout(&output);
    assert!(page.contains(".TH FRONTFEED-CHECK 1"), "{page}");
    assert!(page.contains("frontfeed\\-check"), "{page}");
    assert!(page.contains("\\-\\-deny\\-warnings"), "{page}");
    assert!(
        page.contains(".SH \"EXIT STATUS\"") && page.contains("errors found"),
        "{page}"
    );

    let output = frontfeed().args(["man", "publish"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("there is no command `publish`; the commands are build, check"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn init_writes_a_commented_config_and_an_example_post() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let output = frontfeed()
        .current_dir(dir)
        .arg("init")
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "frontfeed: wrote frontfeed.yaml\nfrontfeed: wrote posts/2023-11-14-welcome.md\nnext: set \
         base_url in frontfeed.yaml, then run `frontfeed build`\n"
    );
    let config = std::fs::read_to_string(dir.join("frontfeed.yaml")).unwrap();
    // Every key, commented, with its default.
    for line in [
        "# base_url: https://example.com/",
        "# language: en",
        "# timezone: UTC",
        "# permalink: date",
        "# future: false",
        "# limit: 50",
        "# summary_length: 200",
        "# feeds:\n#   global: true\n#   categories: true\n#   tags: false",
        "# sanitize: true",
        "# max_terms_per_post: 100",
        "# max_post_bytes: 33554432",
        "# title:\n",
        "# author:\n",
        "# slugs: {}",
        "# excerpt_separator:\n",
        "# description:\n",
    ] {
        assert!(config.contains(line), "{line:?} in:\n{config}");
    }
    assert!(
        config.lines().all(|l| l.is_empty() || l.starts_with('#')),
        "everything is commented:\n{config}"
    );
    let build = run_in(dir, &["build", "--base-url", "https://example.org/"]);
    assert!(build.status.success(), "{}", stderr(&build));
    assert!(
        stdout(&build).starts_with("frontfeed: 1 file read, 1 entry, 2 feeds"),
        "{}",
        stdout(&build)
    );
    let feed = parse_feed(&dir.join("out/category/notes/atom.xml"));
    assert_eq!(entry_title(&feed.entries[0]), "Welcome to frontfeed");

    // Uncommenting every default changes nothing.
    let out_commented = std::fs::read(dir.join("out/rss.xml")).unwrap();
    let uncommented: String = config
        .lines()
        .map(|l| match l.strip_prefix("# ") {
            Some(rest)
                if rest.trim_start().split_once(':').is_some_and(|(k, _)| {
                    k.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                }) =>
            {
                format!("{rest}\n")
            }
            _ => format!("{l}\n"),
        })
        .collect();
    assert!(uncommented.contains("\nlimit: 50\n") && uncommented.contains("\n  tags: false\n"));
    std::fs::write(dir.join("frontfeed.yaml"), &uncommented).unwrap();
    let build = run_in(dir, &["build", "--base-url", "https://example.org/"]);
    assert!(build.status.success(), "{}\n{uncommented}", stderr(&build));
    assert_eq!(
        std::fs::read(dir.join("out/rss.xml")).unwrap(),
        out_commented
    );

    // Never overwrites: the config is refused with exit 2, and nothing changes.
    let again = run_in(dir, &["init"]);
    assert_eq!(again.status.code(), Some(2));
    assert_eq!(
        stderr(&again),
        "error: `frontfeed.yaml` already exists, and `frontfeed init` never overwrites a file: \
         edit it, or move it away and run init again\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("frontfeed.yaml")).unwrap(),
        uncommented
    );
}

#[test]
fn init_beside_existing_posts_writes_only_the_config() {
    let site = Site::new("");
    std::fs::remove_file(site.path().join("frontfeed.yaml")).unwrap();
    site.post("mine.md", &post("Mine", "2022-02-10"));
    let output = run_in(
        site.path(),
        &["init", "--base-url", "https://blog.example.net/notes"],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "frontfeed: wrote frontfeed.yaml\nfrontfeed: posts is already there; no example post \
         written\nnext: run `frontfeed build`\n"
    );
    let posts: Vec<_> = std::fs::read_dir(site.posts()).unwrap().collect();
    assert_eq!(posts.len(), 1);
    let config = std::fs::read_to_string(site.path().join("frontfeed.yaml")).unwrap();
    assert!(
        config.contains("\nbase_url: https://blog.example.net/notes\n"),
        "{config}"
    );
    let build = site.build(&["--strict"]);
    assert!(build.status.success(), "{}", stderr(&build));

    let bad = tempfile::tempdir().unwrap();
    let output = run_in(bad.path(), &["init", "--base-url", "ftp://x"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("invalid `base_url`"),
        "{}",
        stderr(&output)
    );
    assert!(!bad.path().join("frontfeed.yaml").exists());
}

/// In a Jekyll site, `init` starts from `_config.yml`, writes no example post, and the site
/// then builds, jekyll-feed's `feed.xml` included.
#[test]
fn init_in_a_jekyll_site_reads_its_config() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("_config.yml"),
        "title: Tide Log\nurl: https://tides.example.org\nbaseurl: /log\ntheme: minima\nplugins: [jekyll-feed]\n",
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("_posts")).unwrap();
    std::fs::write(
        dir.path().join("_posts/2024-06-22-low-tide.md"),
        "---\ntitle: Low tide\n---\nNine anemones.\n",
    )
    .unwrap();
    let init = run_in(dir.path(), &["init"]);
    assert!(init.status.success(), "{}", stderr(&init));
    let written = std::fs::read_to_string(dir.path().join("frontfeed.yaml")).unwrap();
    assert!(
        written.contains("base_url: https://tides.example.org/log"),
        "{written}"
    );
    assert!(!dir.path().join("posts").exists());
    let build = run_in(dir.path(), &["build"]);
    assert!(build.status.success(), "{}", stderr(&build));
    let feed = std::fs::read_to_string(dir.path().join("out/feed.xml")).unwrap();
    assert!(
        feed.contains("https://tides.example.org/log/2024/06/22/low-tide"),
        "{feed}"
    );
}

/// `author: li` names an entry of `_data/authors.yml`, as jekyll-feed reads it.
#[test]
fn post_authors_come_from_site_data() {
    let site = Site::new("base_url: https://example.org/\n");
    std::fs::create_dir_all(site.path().join("_data")).unwrap();
    std::fs::write(
        site.path().join("_data/authors.yml"),
        "li:\n  name: Li Wei\n  email: li@example.org\n  uri: https://example.org/li\n",
    )
    .unwrap();
    site.post("2024-01-01-a.md", "---\ntitle: A\nauthor: li\n---\nText.\n");
    assert!(site.build(&[]).status.success());
    let feed = site.feed("atom.xml");
    let author = &feed.entries[0].authors[0];
    assert_eq!(author.name, "Li Wei");
    assert_eq!(author.email.as_deref(), Some("li@example.org"));
    assert_eq!(author.uri.as_deref(), Some("https://example.org/li"));
}
