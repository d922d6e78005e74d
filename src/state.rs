//! State kept between builds in `out/.frontfeed/`: the manifest of the files frontfeed
//! wrote (so that it removes only its own stale feeds and never overwrites a file it did not
//! write), the lock that keeps two builds of one folder apart, and the incremental cache.

use std::collections::BTreeSet;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};

use crate::output::{self, FeedFile, FeedSink};

/// The folder inside `out/` that holds frontfeed's own state. Exclude it when deploying.
pub const STATE_DIR: &str = ".frontfeed";
const MANIFEST: &str = "manifest";
const MANIFEST_HEADER: &str = "# frontfeed manifest 1: files frontfeed wrote in this folder";

/// Held for the whole build; two builds of one `out/` never interleave.
#[derive(Debug)]
pub struct Lock {
    _file: File,
}

/// Takes the build lock of `out`, waiting for another build that holds it. Returns whether
/// it had to wait.
pub fn lock(out: &Path) -> io::Result<(Lock, bool)> {
    let dir = out.join(STATE_DIR);
    fs::create_dir_all(&dir)?;
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join("lock"))?;
    match file.try_lock() {
        Ok(()) => Ok((Lock { _file: file }, false)),
        Err(std::fs::TryLockError::WouldBlock) => {
            file.lock()?;
            Ok((Lock { _file: file }, true))
        }
        Err(std::fs::TryLockError::Error(e)) => Err(e),
    }
}

/// Removes temporary files a killed build left behind (`.rss.xml.<pid>.<n>.tmp`). Called
/// with the lock held, so no other build is writing them.
pub fn sweep_temporary_files(out: &Path) -> usize {
    let mut removed = 0;
    for entry in walkdir::WalkDir::new(out)
        .max_depth(4)
        .into_iter()
        .filter_entry(|e| e.file_name() != STATE_DIR)
        .filter_map(Result::ok)
    {
        let name = entry.file_name().to_string_lossy();
        let ours = (name.starts_with(".rss.xml.") || name.starts_with(".atom.xml."))
            && name.ends_with(".tmp");
        if ours && entry.file_type().is_file() && fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        }
    }
    // The cache's own half-written files (`.posts.index.<pid>.<n>.tmp`, `*.pack.new`).
    if let Ok(listing) = fs::read_dir(out.join(STATE_DIR).join("cache")) {
        for item in listing.flatten() {
            let name = item.file_name().to_string_lossy().into_owned();
            if (name.ends_with(".tmp") || name.ends_with(".new"))
                && fs::remove_file(item.path()).is_ok()
            {
                removed += 1;
            }
        }
    }
    removed
}

/// A manifest line names a feed file inside `out/`; anything else (a hand-edited line that
/// would point elsewhere) is ignored, so the manifest can never make frontfeed delete a file
/// outside `out/` or one that is not a feed.
fn is_feed_path(relative: &str) -> bool {
    let path = Path::new(relative);
    !relative.is_empty()
        && path.components().all(|c| matches!(c, Component::Normal(_)))
        && matches!(
            path.file_name().and_then(|n| n.to_str()),
            Some("rss.xml" | "atom.xml")
        )
        && !relative.starts_with(STATE_DIR)
}

/// The files the previous build wrote (relative to `out/`, `/`-separated).
pub fn read_manifest(out: &Path) -> Option<BTreeSet<String>> {
    let text = fs::read_to_string(out.join(STATE_DIR).join(MANIFEST)).ok()?;
    Some(
        text.lines()
            .filter(|l| !l.starts_with('#'))
            .filter(|l| is_feed_path(l))
            .map(str::to_owned)
            .collect(),
    )
}

pub fn write_manifest(out: &Path, files: &BTreeSet<String>) -> io::Result<()> {
    let mut text = String::from(MANIFEST_HEADER);
    text.push('\n');
    for file in files {
        text.push_str(file);
        text.push('\n');
    }
    output::write_if_changed(&out.join(STATE_DIR).join(MANIFEST), text.as_bytes()).map(|_| ())
}

/// `/`-separated, as the manifest stores it.
pub fn manifest_name(relative: &Path) -> String {
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Removes the files of `old` that are not in `new`, then the folders that leaves empty.
/// Returns how many files went, and the files that could not be removed.
pub fn remove_stale(
    out: &Path,
    old: &BTreeSet<String>,
    new: &BTreeSet<String>,
) -> (usize, Vec<(PathBuf, io::Error)>) {
    let mut removed = 0;
    let mut failed = Vec::new();
    for relative in old.difference(new) {
        let path = out.join(relative);
        match fs::remove_file(&path) {
            Ok(()) => removed += 1,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => {
                failed.push((path, e));
                continue;
            }
        }
        // Folders frontfeed made for the feed go too, but only while empty.
        let mut dir = path.parent();
        while let Some(d) = dir {
            if d == out || !d.starts_with(out) || fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
    }
    (removed, failed)
}

/// True when the file's first bytes name frontfeed as its generator: a feed written before
/// the manifest existed, which frontfeed may replace.
fn written_by_frontfeed(path: &Path) -> bool {
    let mut head = [0u8; 4096];
    let Ok(mut file) = File::open(path) else {
        return false;
    };
    let n = file.read(&mut head).unwrap_or(0);
    let head = String::from_utf8_lossy(&head[..n]);
    head.contains("<generator>frontfeed ") || head.contains(">frontfeed</generator>")
}

/// Writes through `inner`, but refuses to replace a file in `out/` that frontfeed did not
/// write: one not in the manifest and not generated by frontfeed.
pub struct GuardedSink<'a, S: FeedSink> {
    pub inner: &'a S,
    pub out: &'a Path,
    pub ours: &'a BTreeSet<String>,
}

impl<S: FeedSink> FeedSink for GuardedSink<'_, S> {
    fn create(&self, path: &Path) -> io::Result<Box<dyn FeedFile>> {
        let relative = path.strip_prefix(self.out).unwrap_or(path);
        if path.exists()
            && !self.ours.contains(&manifest_name(relative))
            && !written_by_frontfeed(path)
        {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                "a file frontfeed did not write is in the way; frontfeed does not replace it \
                 (move it, or choose another --out)",
            ));
        }
        self.inner.create(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_lines_that_leave_out_are_ignored() {
        for ok in ["rss.xml", "category/news/atom.xml", "tag/c/rss.xml"] {
            assert!(is_feed_path(ok), "{ok}");
        }
        for bad in [
            "../rss.xml",
            "/etc/rss.xml",
            "category/../../rss.xml",
            "index.html",
            "category/news/",
            "",
            ".frontfeed/rss.xml",
        ] {
            assert!(!is_feed_path(bad), "{bad}");
        }
    }

    #[test]
    fn a_second_lock_waits_for_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let (first, waited) = lock(dir.path()).unwrap();
        assert!(!waited);
        let path = dir.path().to_path_buf();
        let second = std::thread::spawn(move || lock(&path).unwrap().1);
        std::thread::sleep(std::time::Duration::from_millis(200));
        assert!(!second.is_finished(), "the second build waits");
        drop(first);
        assert!(second.join().unwrap(), "and says it waited");
    }
}
