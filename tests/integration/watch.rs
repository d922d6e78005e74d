//! `frontfeed watch` rebuilds once per change to the posts or the config, and never because of
//! its own reads and writes (issue 11 §1: it used to rebuild ~8 times a second forever).
#![cfg(unix)]

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::harness::{frontfeed, output_tree, send_sigint, Site};

/// "Now" for every build here, so that the watch's builds and the builds from scratch they are
/// compared with agree on it.
const EPOCH: &str = "1800000000";

/// Generous: the first build may wait for a loaded machine.
const FIRST_BUILD: Duration = Duration::from_secs(60);
/// A rebuild is due 250 ms after a change; this leaves room for a slow build.
const REBUILD: Duration = Duration::from_secs(3);

/// A line the child printed.
#[derive(Debug)]
enum Line {
    Out(String),
    Err(String),
}

impl Line {
    /// A build's summary line, or the error line of a build that stopped early.
    fn is_build(&self) -> bool {
        match self {
            Line::Out(text) => text.starts_with("frontfeed: ") && text.contains(" files read, "),
            Line::Err(text) => text.starts_with("error: "),
        }
    }
}

/// A running `frontfeed watch`, its output collected line by line as it comes.
struct Watch {
    child: Child,
    lines: mpsc::Receiver<Line>,
    seen: Vec<Line>,
}

impl Watch {
    /// Starts `frontfeed watch ARGS` in `dir` and waits until it watches.
    fn start(dir: &Path, args: &[&str]) -> Watch {
        let mut child = frontfeed()
            .current_dir(dir)
            .env("SOURCE_DATE_EPOCH", EPOCH)
            .arg("watch")
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (tx, lines) = mpsc::channel();
        read_lines(child.stdout.take().unwrap(), tx.clone(), Line::Out);
        read_lines(child.stderr.take().unwrap(), tx, Line::Err);
        let mut watch = Watch {
            child,
            lines,
            seen: Vec::new(),
        };
        // Both lines: stdout and stderr are read apart, so they may come in either order.
        watch.wait_for("the first build and the watch", FIRST_BUILD, |seen| {
            seen.iter().any(Line::is_build)
                && seen
                    .iter()
                    .any(|l| matches!(l, Line::Err(t) if t.starts_with("frontfeed: watching ")))
        });
        watch
    }

    fn builds(&self) -> usize {
        self.seen.iter().filter(|l| l.is_build()).count()
    }

    /// Collects output until `done` holds; panics after `timeout`.
    fn wait_for(&mut self, what: &str, timeout: Duration, done: impl Fn(&[Line]) -> bool) {
        let deadline = Instant::now() + timeout;
        while !done(&self.seen) {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => self.seen.push(line),
                Err(e) => panic!("waiting for {what}: {e}; output: {:#?}", self.seen),
            }
        }
    }

    /// Collects output for `time`.
    fn collect(&mut self, time: Duration) {
        let deadline = Instant::now() + time;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            match self.lines.recv_timeout(left) {
                Ok(line) => self.seen.push(line),
                Err(mpsc::RecvTimeoutError::Timeout) => break,
                // Both pipes closed: the child is gone.
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    panic!("frontfeed watch exited early; output: {:#?}", self.seen)
                }
            }
        }
    }

    /// Expects exactly one more build, soon, and then no other for `quiet`.
    fn expect_one_build(&mut self, after: &str, quiet: Duration) {
        let before = self.builds();
        self.wait_for(&format!("a rebuild after {after}"), REBUILD, |seen| {
            seen.iter().filter(|l| l.is_build()).count() > before
        });
        self.collect(quiet);
        assert_eq!(
            self.builds(),
            before + 1,
            "one build after {after}; output: {:#?}",
            self.seen
        );
    }

    fn expect_no_build(&mut self, after: &str, time: Duration) {
        let before = self.builds();
        self.collect(time);
        assert_eq!(
            self.builds(),
            before,
            "no build after {after}; output: {:#?}",
            self.seen
        );
    }

    /// Ctrl-C: stops the child and returns its exit status and everything it printed.
    fn interrupt(mut self) -> (ExitStatus, String) {
        send_sigint(self.child.id());
        let deadline = Instant::now() + Duration::from_secs(10);
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            assert!(
                Instant::now() < deadline,
                "frontfeed watch did not stop on SIGINT"
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        while let Ok(line) = self.lines.recv_timeout(Duration::from_secs(5)) {
            self.seen.push(line);
        }
        let text = self
            .seen
            .iter()
            .map(|l| match l {
                Line::Out(t) | Line::Err(t) => t.as_str(),
            })
            .collect::<Vec<_>>()
            .join("\n");
        (status, text)
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        // A failed assertion must not leave the watcher running.
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn read_lines(pipe: impl Read + Send + 'static, tx: mpsc::Sender<Line>, wrap: fn(String) -> Line) {
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines() {
            let Ok(line) = line else { break };
            if tx.send(wrap(line)).is_err() {
                break;
            }
        }
    });
}

fn post(n: u32) -> String {
    format!("---\ntitle: Post {n}\ndate: 2024-01-0{n}\n---\nBody {n}.\n")
}

fn append(path: &Path, text: &str) {
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new().append(true).open(path).unwrap();
    file.write_all(text.as_bytes()).unwrap();
}

fn run(dir: &Path, program: &str, args: &[&str]) {
    let status = Command::new(program)
        .current_dir(dir)
        .args(args)
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "{program} {args:?}");
}

#[test]
fn one_change_one_rebuild_and_none_from_reads_or_our_own_writes() {
    let site = Site::new("base_url: https://example.org/\n");
    for n in 1..=3 {
        site.post(&format!("p{n}.md"), &post(n));
    }
    let mut watch = Watch::start(site.path(), &[]);
    assert_eq!(watch.builds(), 1, "{:#?}", watch.seen);

    // One edit: one rebuild, and then quiet (it used to rebuild forever from here).
    append(&site.posts().join("p2.md"), "One more line.\n");
    watch.expect_one_build("one append to a post", Duration::from_secs(5));
    assert!(
        std::fs::read_to_string(site.out().join("rss.xml"))
            .unwrap()
            .contains("One more line."),
        "the rebuild saw the edit"
    );

    // Reads of the posts and the config (what every build does), atime changes, and writes in
    // the out folder, its cache and state.
    run(
        site.path(),
        "cat",
        &["posts/p1.md", "posts/p2.md", "frontfeed.yaml"],
    );
    run(
        site.path(),
        "touch",
        &["-a", "posts/p3.md", "frontfeed.yaml"],
    );
    run(site.path(), "touch", &["out/rss.xml", "out/new.txt"]);
    std::fs::write(site.out().join(".frontfeed/scratch.tmp"), "x").unwrap();
    watch.expect_no_build(
        "reads, atime and writes in out/",
        Duration::from_millis(1500),
    );

    // An editor that saves the config by replacing it: one rebuild.
    std::fs::write(
        site.path().join("frontfeed.yaml.new"),
        "base_url: https://example.org/\ntitle: Renamed\n",
    )
    .unwrap();
    std::fs::rename(
        site.path().join("frontfeed.yaml.new"),
        site.path().join("frontfeed.yaml"),
    )
    .unwrap();
    watch.expect_one_build("the config replaced", Duration::from_secs(1));

    let (status, output) = watch.interrupt();
    assert!(status.success(), "{status:?}\n{output}");
    assert!(output.contains("frontfeed: stopped watching"), "{output}");
}

#[test]
fn an_out_folder_inside_the_posts_folder_triggers_nothing() {
    // Posts at `.` and the out folder at `./out`: the build refuses that pair today, which
    // still makes a build attempt (an error line) that this test can count.
    let site = tempfile::tempdir().unwrap();
    std::fs::write(
        site.path().join("frontfeed.yaml"),
        "base_url: https://example.org/\n",
    )
    .unwrap();
    std::fs::write(site.path().join("a.md"), post(1)).unwrap();
    std::fs::write(site.path().join("b.md"), post(2)).unwrap();
    let mut watch = Watch::start(site.path(), &["--posts", ".", "--out", "out"]);
    assert_eq!(watch.builds(), 1, "{:#?}", watch.seen);

    let out = site.path().join("out");
    std::fs::create_dir_all(out.join(".frontfeed/cache")).unwrap();
    std::fs::write(out.join("rss.xml"), "<rss/>").unwrap();
    std::fs::write(out.join(".frontfeed/lock"), "").unwrap();
    std::fs::write(out.join(".frontfeed/cache/.posts.index.1.1.tmp"), "{}").unwrap();
    std::fs::rename(
        out.join(".frontfeed/cache/.posts.index.1.1.tmp"),
        out.join(".frontfeed/cache/posts.index"),
    )
    .unwrap();
    watch.expect_no_build("writes in ./out", Duration::from_millis(1500));

    append(&site.path().join("a.md"), "More.\n");
    watch.expect_one_build("an append to a post", Duration::from_secs(1));

    let (_, output) = watch.interrupt();
    assert!(output.contains("frontfeed: stopped watching"), "{output}");
}

/// The feeds a build from scratch (no cache, no earlier build) writes for the site as it is now.
fn from_scratch(site: &Site) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let out = site.path().join("scratch-out");
    let _ = std::fs::remove_dir_all(&out);
    let output = frontfeed()
        .current_dir(site.path())
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .args(["build", "-q", "--no-cache", "--out", "scratch-out"])
        .output()
        .unwrap();
    assert!(output.status.code().is_some_and(|c| c <= 1), "{output:?}");
    let tree = output_tree(&out);
    std::fs::remove_dir_all(&out).unwrap();
    tree
}

/// A watch keeps each build's reading of the posts and reads again only the files it was told
/// changed: after every kind of change an editor or a user makes, its feeds must be the bytes
/// of a build from scratch.
#[test]
fn rebuilds_that_reuse_unchanged_posts_equal_builds_from_scratch() {
    let site = Site::new("base_url: https://example.org/\n");
    for n in 1..=4 {
        site.post(
            &format!("p{n}.md"),
            &format!(
                "---\ntitle: Post {n}\ndate: 2024-01-0{n}\ncategories: [c{}]\n---\nBody {n}.\n",
                n % 2
            ),
        );
    }
    site.post(
        "sub/s1.md",
        "---\ntitle: In a folder\ndate: 2024-02-01\n---\nS1.\n",
    );
    #[cfg(unix)]
    std::os::unix::fs::symlink("p2.md", site.posts().join("link.md")).unwrap();
    let mut watch = Watch::start(site.path(), &[]);
    let posts = site.posts();
    let check = |watch: &mut Watch, what: &str, change: &dyn Fn()| {
        change();
        watch.expect_one_build(what, Duration::from_millis(600));
        assert!(
            output_tree(&site.out()) == from_scratch(&site),
            "after {what}, the watch's feeds differ from a build from scratch; output: {:#?}",
            watch.seen
        );
    };
    check(&mut watch, "an append to a post", &|| {
        append(&posts.join("p1.md"), "More of post 1.\n");
    });
    check(&mut watch, "an edit of a symlinked post's target", &|| {
        append(&posts.join("p2.md"), "Seen through the link too.\n");
    });
    check(
        &mut watch,
        "a save by renaming a new file over a post",
        &|| {
            let text =
                "---\ntitle: Post 3, renamed\ndate: 2023-12-31\ncategories: [c9]\n---\nNew.\n";
            std::fs::write(posts.join("p3.md.tmp~"), text).unwrap();
            std::fs::rename(posts.join("p3.md.tmp~"), posts.join("p3.md")).unwrap();
        },
    );
    check(&mut watch, "a new post", &|| {
        std::fs::write(posts.join("p5.md"), post(5)).unwrap();
    });
    check(&mut watch, "a post deleted", &|| {
        std::fs::remove_file(posts.join("p4.md")).unwrap();
    });
    check(&mut watch, "two posts with one permalink", &|| {
        let twin = "---\ntitle: Twin\ndate: 2024-01-01\npermalink: /twin/\n---\nTwin.\n";
        std::fs::write(posts.join("p6.md"), twin).unwrap();
        std::fs::write(posts.join("p7.md"), twin).unwrap();
    });
    check(
        &mut watch,
        "an append to a post whose id was made unique",
        &|| {
            append(&posts.join("p7.md"), "More of the twin.\n");
        },
    );
    check(&mut watch, "a post's date changed in place", &|| {
        let text = "---\ntitle: Post 1\ndate: 2020-06-01\ncategories: [c1]\n---\nMoved back.\n";
        std::fs::write(posts.join("p1.md"), text).unwrap();
    });
    check(&mut watch, "a post's categories changed in place", &|| {
        let text = "---\ntitle: Post 1\ndate: 2020-06-01\ncategories: [c7, c1]\n---\nMoved back.\n";
        std::fs::write(posts.join("p1.md"), text).unwrap();
    });
    check(&mut watch, "a post dated after now", &|| {
        std::fs::write(
            posts.join("later.md"),
            "---\ntitle: Later\ndate: 2030-01-01\n---\nSoon.\n",
        )
        .unwrap();
    });
    check(&mut watch, "an append to a post held back", &|| {
        append(&posts.join("later.md"), "Still later.\n");
    });
    check(&mut watch, "a folder of posts renamed", &|| {
        std::fs::rename(posts.join("sub"), posts.join("moved")).unwrap();
    });
    check(&mut watch, "a new folder with a post", &|| {
        std::fs::create_dir(posts.join("new")).unwrap();
        std::fs::write(
            posts.join("new/n1.md"),
            "---\ntitle: New folder\ndate: 2024-03-01\n---\nN.\n",
        )
        .unwrap();
    });
    check(
        &mut watch,
        "a folder of posts moved out of the posts folder",
        &|| {
            std::fs::rename(posts.join("moved"), site.path().join("elsewhere")).unwrap();
        },
    );
    check(&mut watch, "a folder of posts removed", &|| {
        std::fs::remove_dir_all(posts.join("new")).unwrap();
    });
    check(&mut watch, "the config changed", &|| {
        std::fs::write(
            site.path().join("frontfeed.yaml"),
            "base_url: https://example.org/\ntitle: Changed\nlimit: 2\n",
        )
        .unwrap();
    });
    check(&mut watch, "an append after the config changed", &|| {
        append(&posts.join("p5.md"), "Late.\n");
    });
    let (status, output) = watch.interrupt();
    assert!(status.success(), "{status:?}\n{output}");

    // The cache the watch left (its post layer untouched since the first build) gives a build
    // from the command line the same feeds too.
    append(&posts.join("p2.md"), "After the watch.\n");
    let output = frontfeed()
        .current_dir(site.path())
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .args(["build", "-q"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert!(output_tree(&site.out()) == from_scratch(&site));
}
