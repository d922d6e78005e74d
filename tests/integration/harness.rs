//! Helpers for the integration tests: run the real binary, parse its feeds back with feed-rs.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use feed_rs::model::Feed;

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

pub fn frontfeed() -> Command {
    let mut cmd = Command::cargo_bin("frontfeed").unwrap();
    cmd.env_remove("SOURCE_DATE_EPOCH");
    // Output is compared as plain text: no colour forced in from the environment.
    cmd.env_remove("CLICOLOR_FORCE");
    cmd
}

pub fn parse_feed(path: &Path) -> Feed {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    feed_rs::parser::parse(&bytes[..]).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
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

/// All XML feed files under `dir`, sorted.
pub fn feed_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "xml"))
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}

pub fn entry_title(entry: &feed_rs::model::Entry) -> String {
    entry
        .title
        .as_ref()
        .map(|t| t.content.clone())
        .unwrap_or_default()
}

pub fn entry_link(entry: &feed_rs::model::Entry) -> String {
    entry
        .links
        .first()
        .map(|l| l.href.clone())
        .unwrap_or_default()
}

pub fn entry_content(entry: &feed_rs::model::Entry) -> String {
    entry
        .content
        .as_ref()
        .and_then(|c| c.body.clone())
        .unwrap_or_default()
}

pub fn entry_terms(entry: &feed_rs::model::Entry) -> Vec<String> {
    entry.categories.iter().map(|c| c.term.clone()).collect()
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

/// The `href` of an Atom `<entry>`'s `rel="alternate"` link (a link without `rel` is one).
pub fn alternate_link(entry: roxmltree::Node<'_, '_>) -> String {
    const ATOM: &str = "http://www.w3.org/2005/Atom";
    entry
        .children()
        .find(|n| {
            n.has_tag_name((ATOM, "link"))
                && n.attribute("rel").unwrap_or("alternate") == "alternate"
        })
        .and_then(|n| n.attribute("href"))
        .unwrap_or_default()
        .to_string()
}
