//! What the integration tests share: run the real binary on a scratch site or a fixture, read
//! its feeds back with feed-rs or roxmltree, list what a build wrote, run Jekyll beside it,
//! and (for the few tests that need more than the binary shows) the library's build.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use feed_rs::model::{Entry, Feed};

/// The package root: the sample site (`frontfeed.yaml`, `posts/`), `tests/fixtures`,
/// `tests/golden`, `examples/`.
pub const REPO: &str = env!("CARGO_MANIFEST_DIR");

/// The `frontfeed` binary cargo built for these tests.
pub const BIN: &str = env!("CARGO_BIN_EXE_frontfeed");

pub const ATOM_NS: &str = "http://www.w3.org/2005/Atom";

/// `tests/fixtures/NAME`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(REPO).join("tests/fixtures").join(name)
}

// ---------------------------------------------------------------------------------------------
// Running the binary

/// `frontfeed`, with nothing from the environment that changes its output: "now" is the real
/// time (no `SOURCE_DATE_EPOCH`) and output is plain text (no `CLICOLOR_FORCE`).
pub fn frontfeed() -> Command {
    let mut cmd = Command::new(BIN);
    cmd.env_remove("SOURCE_DATE_EPOCH");
    // Output is compared as plain text: no colour forced in from the environment.
    cmd.env_remove("CLICOLOR_FORCE");
    cmd
}

/// `frontfeed ARGS` in `dir`.
pub fn run_in(dir: &Path, args: &[&str]) -> Output {
    frontfeed().current_dir(dir).args(args).output().unwrap()
}

/// `frontfeed build --out OUT EXTRA…` in the site folder `dir` (its `frontfeed.yaml` and
/// `posts/`).
pub fn build_site(dir: &Path, out: &Path, extra: &[&str]) -> Output {
    frontfeed()
        .current_dir(dir)
        .args(["build", "--out"])
        .arg(out)
        .args(extra)
        .output()
        .unwrap()
}

/// `frontfeed build --posts POSTS --config CONFIG --out OUT`, to add to and run.
pub fn build_command(posts: &Path, config: &Path, out: &Path) -> Command {
    let mut cmd = frontfeed();
    cmd.arg("build")
        .arg("--posts")
        .arg(posts)
        .arg("--config")
        .arg(config)
        .arg("--out")
        .arg(out);
    cmd
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Sends SIGINT (Ctrl-C) with the `kill` command (no libc dependency in the tests).
pub fn send_sigint(pid: u32) {
    let status = Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

/// A scratch site: a posts folder, a config file and an output folder.
pub struct Site {
    pub dir: tempfile::TempDir,
}

impl Site {
    pub fn new(config: &str) -> Site {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("posts")).unwrap();
        std::fs::write(dir.path().join("frontfeed.yaml"), config).unwrap();
        Site { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn posts(&self) -> PathBuf {
        self.dir.path().join("posts")
    }

    pub fn out(&self) -> PathBuf {
        self.dir.path().join("out")
    }

    pub fn post(&self, name: &str, text: &str) -> &Site {
        self.post_bytes(name, text.as_bytes())
    }

    pub fn post_bytes(&self, name: &str, bytes: &[u8]) -> &Site {
        let path = self.posts().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
        self
    }

    /// Runs `frontfeed build` in the site's folder with extra arguments.
    pub fn build(&self, args: &[&str]) -> Output {
        frontfeed()
            .current_dir(self.path())
            .arg("build")
            .args(args)
            .output()
            .unwrap()
    }

    pub fn feed(&self, relative: &str) -> Feed {
        parse_feed(&self.out().join(relative))
    }
}

// ---------------------------------------------------------------------------------------------
// Reading what a build wrote

pub fn parse_feed(path: &Path) -> Feed {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    feed_rs::parser::parse(&bytes[..]).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn entry_title(entry: &Entry) -> String {
    entry
        .title
        .as_ref()
        .map(|t| t.content.clone())
        .unwrap_or_default()
}

pub fn entry_link(entry: &Entry) -> String {
    entry
        .links
        .first()
        .map(|l| l.href.clone())
        .unwrap_or_default()
}

pub fn entry_content(entry: &Entry) -> String {
    entry
        .content
        .as_ref()
        .and_then(|c| c.body.clone())
        .unwrap_or_default()
}

pub fn entry_terms(entry: &Entry) -> Vec<String> {
    entry.categories.iter().map(|c| c.term.clone()).collect()
}

/// All XML feed files under `dir`, sorted.
pub fn feed_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "xml"))
        .map(walkdir::DirEntry::into_path)
        .collect();
    files.sort();
    files
}

/// Every file below `dir`, as a path relative to it, sorted.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(dir).unwrap().to_path_buf())
        .collect();
    files.sort();
    files
}

/// What a build wrote into `dir`: every file but frontfeed's own state (manifest, lock, cache
/// in `.frontfeed/`), as (relative path, bytes), sorted by path.
pub fn output_tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    files_under(dir)
        .into_iter()
        .filter(|p| !p.starts_with(".frontfeed"))
        .map(|p| {
            let bytes = std::fs::read(dir.join(&p)).unwrap();
            (p, bytes)
        })
        .collect()
}

/// Whether XML 1.0 allows `c` in a document.
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Every `href`/`src`/`srcset` URL in `html` that is not absolute.
pub fn relative_urls(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attr in ["href=\"", "src=\"", "srcset=\"", "poster=\"", "cite=\""] {
        let mut rest = html;
        while let Some(start) = rest.find(attr) {
            // Skip `data-src="…"` and the like: only real attributes count.
            let before = rest[..start].chars().last();
            rest = &rest[start + attr.len()..];
            let end = rest.find('"').unwrap_or(rest.len());
            let value = &rest[..end];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '-') {
                continue;
            }
            let urls: Vec<&str> = if attr == "srcset=\"" {
                value
                    .split(',')
                    .filter_map(|c| c.split_whitespace().next())
                    .collect()
            } else {
                vec![value]
            };
            for url in urls {
                let has_scheme = url.split_once(':').is_some_and(|(s, _)| {
                    !s.is_empty()
                        && s.chars()
                            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                });
                if !has_scheme {
                    found.push(url.to_string());
                }
            }
        }
    }
    found
}

/// `%XX` sequences decoded to bytes (and nothing else: `+` stays `+`), read as UTF-8.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    let hex = |b: u8| (b as char).to_digit(16);
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `f` of every `<entry>` of the Atom document `text`; panics naming `what` when `text` is not
/// well-formed XML.
pub fn map_atom_entries<T>(
    text: &str,
    what: &str,
    f: impl FnMut(roxmltree::Node<'_, '_>) -> T,
) -> Vec<T> {
    let doc = roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("{what}: not XML: {e}"));
    doc.root_element()
        .children()
        .filter(|n| n.has_tag_name((ATOM_NS, "entry")))
        .map(f)
        .collect()
}

/// The `href` of an Atom `<entry>`'s `rel="alternate"` link (a link without `rel` is one).
pub fn alternate_link(entry: roxmltree::Node<'_, '_>) -> String {
    entry
        .children()
        .find(|n| {
            n.has_tag_name((ATOM_NS, "link"))
                && n.attribute("rel").unwrap_or("alternate") == "alternate"
        })
        .and_then(|n| n.attribute("href"))
        .unwrap_or_default()
        .to_string()
}

// ---------------------------------------------------------------------------------------------
// Jekyll, for the differential tests

/// Whether `jekyll` runs here (asked once).
pub fn jekyll_installed() -> bool {
    static INSTALLED: OnceLock<bool> = OnceLock::new();
    *INSTALLED.get_or_init(|| {
        Command::new("jekyll")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

/// Whether a test that needs Jekyll (and the jekyll-feed plugin) must stop here: without them
/// it prints a loud SKIPPED line and passes, unless `FRONTFEED_REQUIRE_JEKYLL` is set (CI sets it
/// once it has installed Jekyll), in which case it fails.
pub fn skip_without_jekyll() -> bool {
    if jekyll_installed() {
        return false;
    }
    let message = "SKIPPED: jekyll not installed; apt-get install -y jekyll ruby-jekyll-feed";
    assert!(
        std::env::var_os("FRONTFEED_REQUIRE_JEKYLL").is_none(),
        "{message} (and FRONTFEED_REQUIRE_JEKYLL is set)"
    );
    // Straight to the stderr handle: the test harness captures `eprintln!`, and a skip must be
    // seen even when the test passes.
    let bang = "!".repeat(90);
    let _ = writeln!(std::io::stderr(), "\n{bang}\n!!! {message}\n{bang}\n");
    true
}

/// `jekyll build` of the site `site` into `dest`, as production builds it, to add to and run.
pub fn jekyll_build(site: &Path, dest: &Path) -> Command {
    let mut cmd = Command::new("jekyll");
    cmd.current_dir(site)
        .arg("build")
        .arg("--disable-disk-cache")
        .arg("-s")
        .arg(site)
        .arg("-d")
        .arg(dest)
        .env("JEKYLL_ENV", "production");
    cmd
}

/// The Jekyll site `from`, without anything a build left in it, copied into `to`.
pub fn copy_site(from: &Path, to: &Path) {
    let walk = walkdir::WalkDir::new(from)
        .min_depth(1)
        .into_iter()
        .filter_entry(|e| e.file_name() != "_site" && e.file_name() != ".jekyll-cache");
    for entry in walk {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Whether the text after a `&` makes it an entity or character reference (`amp;`, `#38;`,
/// `#x26;`). jekyll-feed writes bare `&`s into its feeds; the tests repair them before parsing.
pub fn starts_reference(after_ampersand: &str) -> bool {
    after_ampersand.split_once(';').is_some_and(|(name, _)| {
        let name = name
            .strip_prefix('#')
            .map_or(name, |n| n.strip_prefix(['x', 'X']).unwrap_or(n));
        !name.is_empty() && name.len() <= 32 && name.chars().all(|c| c.is_ascii_alphanumeric())
    })
}

// ---------------------------------------------------------------------------------------------
// The library, for the tests that look at more than the binary shows (a build's report, a
// failing file system, thread counts and chunk sizes, the Markdown renderer alone)

/// The site configuration a `frontfeed.yaml` holding `yaml` resolves to, nothing overridden.
pub fn site_config(yaml: &str) -> frontfeed::SiteConfig {
    frontfeed::Config::from_yaml(yaml, Path::new("frontfeed.yaml"))
        .unwrap()
        .resolve(&frontfeed::config::Overrides::default())
        .unwrap()
        .0
}

/// A library build of `posts` into `out` with the configuration `yaml`.
pub fn build_options(posts: PathBuf, out: PathBuf, yaml: &str) -> frontfeed::BuildOptions {
    frontfeed::BuildOptions::new(posts, out, site_config(yaml))
}
