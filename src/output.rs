//! Output: writes files atomically, and only when their bytes change.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

/// What writing a file did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteOutcome {
    Written,
    /// The file already held these bytes; it was left alone (its mtime too).
    Unchanged,
}

/// Where the build puts feed files. The build writes only through this, so tests can inject
/// failures (a full disk, a read-only folder) and check that nothing else is lost.
pub trait FeedSink: Sync {
    fn write(&self, path: &Path, bytes: &[u8]) -> io::Result<WriteOutcome>;
}

/// The real file system, through [`write_if_changed`].
#[derive(Debug, Clone, Copy, Default)]
pub struct FileSystem;

impl FeedSink for FileSystem {
    fn write(&self, path: &Path, bytes: &[u8]) -> io::Result<WriteOutcome> {
        write_if_changed(path, bytes)
    }
}

/// Writes `bytes` to `path` unless it already holds them. The bytes go to a temporary file in
/// the same folder, which is then renamed over `path`: a reader sees the old file or the new
/// one, never a part-written one.
pub fn write_if_changed(path: &Path, bytes: &[u8]) -> io::Result<WriteOutcome> {
    write_if_changed_with(path, bytes, |file, bytes| file.write_all(bytes))
}

/// [`write_if_changed`] with the step that fills the temporary file given by the caller
/// (tests inject a write that fails half-way).
pub fn write_if_changed_with(
    path: &Path,
    bytes: &[u8],
    fill: impl FnOnce(&mut fs::File, &[u8]) -> io::Result<()>,
) -> io::Result<WriteOutcome> {
    // A different length settles it without reading the old file.
    let same_length = fs::metadata(path).is_ok_and(|m| m.len() == bytes.len() as u64);
    if same_length && fs::read(path).is_ok_and(|existing| existing == bytes) {
        return Ok(WriteOutcome::Unchanged);
    }
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = fs::File::create(&tmp)?;
        fill(&mut file, bytes)?;
        file.flush()?;
        drop(file);
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result.map(|()| WriteOutcome::Written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_then_leaves_unchanged_files_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b/feed.xml");
        assert_eq!(
            write_if_changed(&path, b"one").unwrap(),
            WriteOutcome::Written
        );
        let mtime = fs::metadata(&path).unwrap().modified().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert_eq!(
            write_if_changed(&path, b"one").unwrap(),
            WriteOutcome::Unchanged
        );
        assert_eq!(fs::metadata(&path).unwrap().modified().unwrap(), mtime);
        assert_eq!(
            write_if_changed(&path, b"two").unwrap(),
            WriteOutcome::Written
        );
        assert_eq!(fs::read(&path).unwrap(), b"two");
        let leftovers: Vec<_> = fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary files are left behind");
    }
}
