//! Output: feed files streamed to a temporary file, then renamed into place only when their
//! bytes changed.

use std::fs::{self, File};
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// What writing a file did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteOutcome {
    /// The file was written (it is new or its bytes changed).
    Written,
    /// The file already held these bytes; it was left alone (its mtime too).
    Unchanged,
}

/// Where the build puts feed files. The build writes only through this, so tests can inject
/// failures (a full disk, a read-only folder) and check that nothing else is lost.
pub trait FeedSink: Sync {
    /// Starts the file at `path`; nothing is visible there until [`FeedFile::finish`].
    ///
    /// # Errors
    /// When the file (or its folder) cannot be created.
    fn create(&self, path: &Path) -> io::Result<Box<dyn FeedFile>>;
}

/// A feed file being written. Dropped without `finish`, it leaves no trace.
pub trait FeedFile: Write + Send {
    /// Makes the file visible at its path, unless it already held these bytes.
    ///
    /// # Errors
    /// When the bytes cannot be written out or the file cannot be put in place.
    fn finish(self: Box<Self>) -> io::Result<WriteOutcome>;

    /// Appends `len` bytes of `from` starting at `offset` (a run of entries an earlier build
    /// wrote). This default reads them through a buffer; a file on disk copies them inside
    /// the kernel.
    ///
    /// # Errors
    /// When `from` cannot be read (it is shorter than `offset + len`) or the bytes cannot be
    /// written.
    fn copy_range(&mut self, from: &File, offset: u64, len: u64) -> io::Result<()> {
        copy_through_buffer(from, self, offset, len)
    }
}

/// Writes every slice, in order, with vectored writes (`Write::write_all_vectored` is not
/// stable yet). A writer without vectored writes is given one slice at a time.
///
/// # Errors
/// The first write error, or `WriteZero` when the writer takes nothing.
pub fn write_all_vectored<W: Write + ?Sized>(
    to: &mut W,
    mut slices: &mut [io::IoSlice<'_>],
) -> io::Result<()> {
    io::IoSlice::advance_slices(&mut slices, 0);
    while !slices.is_empty() {
        match to.write_vectored(slices) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => io::IoSlice::advance_slices(&mut slices, n),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Appends `len` bytes of `from` at `offset` to `to`, a MiB at a time.
fn copy_through_buffer<W: Write + ?Sized>(
    from: &File,
    to: &mut W,
    offset: u64,
    len: u64,
) -> io::Result<()> {
    let mut buf = vec![0u8; len.min(1 << 20) as usize];
    let (mut offset, end) = (offset, offset + len);
    while offset < end {
        let n = (end - offset).min(buf.len() as u64) as usize;
        read_exact_at(from, &mut buf[..n], offset)?;
        to.write_all(&buf[..n])?;
        offset += n as u64;
    }
    Ok(())
}

/// The real file system, through [`AtomicFile`].
#[derive(Debug, Clone, Copy, Default)]
pub struct FileSystem;

impl FeedSink for FileSystem {
    fn create(&self, path: &Path) -> io::Result<Box<dyn FeedFile>> {
        Ok(Box::new(AtomicFile::create(path)?))
    }
}

/// Writes `bytes` to `path` unless it already holds them (see [`AtomicFile`]).
///
/// # Errors
/// When the file cannot be written or put in place (the old file is then left as it was).
pub fn write_if_changed(path: &Path, bytes: &[u8]) -> io::Result<WriteOutcome> {
    // Compared before any temporary file is made: an unchanged file costs one read, and the
    // folder is not touched either.
    if fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(WriteOutcome::Unchanged);
    }
    let mut file = AtomicFile::create(path)?;
    file.write_all(bytes)?;
    // Already known to differ: no second comparison.
    file.commit(false)
}

/// A file written as a temporary file in the same folder and renamed over `path` at the
/// end: a reader sees the old file or the new one, never a part-written one, and a build
/// killed half-way leaves the old file. When the new bytes equal the old file's, the
/// temporary file is removed instead and the old file keeps its mtime.
#[derive(Debug)]
pub struct AtomicFile {
    path: PathBuf,
    tmp: PathBuf,
    writer: Option<BufWriter<File>>,
}

/// Makes temporary names unique within one process (several feeds are written at once).
static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

impl AtomicFile {
    /// Starts writing `path` (its folder is created when missing).
    ///
    /// # Errors
    /// When the folder or the temporary file cannot be created, in the user's terms (see
    /// [`in_user_terms`]).
    pub fn create(path: &Path) -> io::Result<AtomicFile> {
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fs::create_dir_all(dir).map_err(|e| in_user_terms(e, dir))?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = dir.join(format!(
            ".{name}.{}.{}.tmp",
            std::process::id(),
            TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let file = File::create(&tmp).map_err(|e| in_user_terms(e, dir))?;
        Ok(AtomicFile {
            path: path.to_path_buf(),
            tmp,
            // Small: a run of rendered fragments longer than this skips the buffer
            // (`write_vectored`).
            writer: Some(BufWriter::with_capacity(64 * 1024, file)),
        })
    }

    /// Moves the temporary file into place; with `compare`, only when its bytes differ from the
    /// file already there (which is otherwise left alone, mtime too).
    fn commit(mut self, compare: bool) -> io::Result<WriteOutcome> {
        let writer = self
            .writer
            .take()
            .ok_or_else(|| io::Error::other("finished twice"))?;
        let result = (|| {
            writer
                .into_inner()
                .map_err(std::io::IntoInnerError::into_error)?;
            if compare && same_contents(&self.tmp, &self.path)? {
                fs::remove_file(&self.tmp)?;
                return Ok(WriteOutcome::Unchanged);
            }
            fs::rename(&self.tmp, &self.path).map_err(|e| in_user_terms(e, &self.path))?;
            Ok(WriteOutcome::Written)
        })();
        if result.is_err() {
            let _ = fs::remove_file(&self.tmp);
        }
        result
    }

    fn writer(&mut self) -> io::Result<&mut BufWriter<File>> {
        self.writer
            .as_mut()
            .ok_or_else(|| io::Error::other("file already finished"))
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer()?.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.writer()?.write_all(buf)
    }

    // A run of fragments bigger than the buffer goes to the file in one `writev`, uncopied.
    fn write_vectored(&mut self, bufs: &[io::IoSlice<'_>]) -> io::Result<usize> {
        self.writer()?.write_vectored(bufs)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.writer()?.flush()
    }
}

impl FeedFile for AtomicFile {
    fn finish(self: Box<Self>) -> io::Result<WriteOutcome> {
        self.commit(true)
    }

    fn copy_range(&mut self, from: &File, offset: u64, len: u64) -> io::Result<()> {
        let writer = self.writer()?;
        writer.flush()?;
        let done = copy_in_kernel(from, writer.get_mut(), offset, len)?;
        // Another file system, or no kernel copy: the rest through a buffer.
        copy_through_buffer(from, writer, offset + done, len - done)
    }
}

/// Copies up to `len` bytes of `from` at `offset` to the end of `to` with
/// `copy_file_range(2)`: no trip through user space, and a reflink where the file system
/// shares blocks. Returns how many bytes were copied; 0 when the kernel cannot (the caller
/// copies the rest itself).
#[cfg(target_os = "linux")]
fn copy_in_kernel(from: &File, to: &mut File, offset: u64, len: u64) -> io::Result<u64> {
    use std::os::fd::AsRawFd;
    let mut done = 0u64;
    while done < len {
        let mut off_in = i64::try_from(offset + done).map_err(io::Error::other)?;
        let chunk = usize::try_from(len - done)
            .unwrap_or(usize::MAX)
            .min(1 << 30);
        // SAFETY: both descriptors are open for the duration of the call; `off_in` is a valid
        // pointer; a null `off_out` writes at (and advances) `to`'s own position.
        let n = unsafe {
            libc::copy_file_range(
                from.as_raw_fd(),
                &raw mut off_in,
                to.as_raw_fd(),
                std::ptr::null_mut(),
                chunk,
                0,
            )
        };
        match n {
            0 => break,
            n if n > 0 => done += n as u64,
            _ => {
                let e = io::Error::last_os_error();
                match e.raw_os_error() {
                    // Interrupted: the loop tries again.
                    Some(libc::EINTR) => {}
                    // Not supported here (old kernel, other file systems, a sandbox).
                    Some(
                        libc::ENOSYS | libc::EXDEV | libc::EINVAL | libc::EOPNOTSUPP | libc::EPERM,
                    ) => break,
                    _ => return Err(e),
                }
            }
        }
    }
    Ok(done)
}

#[cfg(not(target_os = "linux"))]
fn copy_in_kernel(_: &File, _: &mut File, _: u64, _: u64) -> io::Result<u64> {
    Ok(0)
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.writer.take().is_some() {
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

/// Fills `buf` from `file` at `offset`, without moving any file position (so threads can
/// share the handle).
///
/// # Errors
/// When the file cannot be read or ends before `buf` is full.
pub fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    #[cfg(unix)]
    {
        std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
    }
    #[cfg(windows)]
    {
        let (mut done, mut offset) = (0, offset);
        while done < buf.len() {
            match std::os::windows::fs::FileExt::seek_read(file, &mut buf[done..], offset)? {
                0 => return Err(io::ErrorKind::UnexpectedEof.into()),
                n => {
                    done += n;
                    offset += n as u64;
                }
            }
        }
        Ok(())
    }
}

/// An I/O error in words, without Rust's `(os error N)`: `permission denied`.
pub fn describe(e: &io::Error) -> String {
    use io::ErrorKind as K;
    let words = match e.kind() {
        _ if e.raw_os_error().is_none() => return e.to_string(),
        K::NotFound => "not found",
        K::PermissionDenied => "permission denied",
        K::AlreadyExists => "already exists",
        K::NotADirectory => "not a folder",
        K::IsADirectory => "is a folder",
        K::StorageFull => "no space left on the device",
        K::ReadOnlyFilesystem => "the file system is read-only",
        K::QuotaExceeded => "the disk quota is used up",
        K::InvalidFilename => "the name is too long or not allowed",
        _ => {
            let text = e.to_string();
            return match text.rfind(" (os error ") {
                Some(i) => text[..i].to_string(),
                None => text,
            };
        }
    };
    words.to_string()
}

/// Says what is wrong with writing at `path` in the user's terms: a file where a folder must
/// go (instead of `File exists` or `Not a directory`), a folder where a feed must go, or the
/// reason in words instead of an OS error number.
pub fn in_user_terms(e: io::Error, path: &Path) -> io::Error {
    use io::ErrorKind as K;
    let kind = e.kind();
    let message = match kind {
        K::AlreadyExists | K::NotADirectory => {
            // The nearest part of the path that exists but is not a folder.
            let file = path
                .ancestors()
                .filter(|p| !p.as_os_str().is_empty())
                .find(|p| fs::metadata(p).is_ok_and(|m| !m.is_dir()));
            match file {
                Some(file) => format!(
                    "`{}` is a file, but a folder is needed there",
                    file.display()
                ),
                None => format!("cannot write `{}`: {}", path.display(), describe(&e)),
            }
        }
        K::IsADirectory => format!(
            "`{}` is a folder, but a file is needed there",
            path.display()
        ),
        _ => format!("cannot write `{}`: {}", path.display(), describe(&e)),
    };
    io::Error::new(kind, message)
}

/// True when `old` exists and holds exactly the bytes of `new`. A different length settles
/// it without reading either.
fn same_contents(new: &Path, old: &Path) -> io::Result<bool> {
    let (Ok(old_meta), new_meta) = (fs::metadata(old), fs::metadata(new)?) else {
        return Ok(false);
    };
    if !old_meta.is_file() || old_meta.len() != new_meta.len() {
        return Ok(false);
    }
    let (mut a, mut b) = (File::open(new)?, File::open(old)?);
    let (mut buf_a, mut buf_b) = (vec![0u8; 64 * 1024], vec![0u8; 64 * 1024]);
    loop {
        let n = a.read(&mut buf_a)?;
        if n == 0 {
            return Ok(true);
        }
        b.read_exact(&mut buf_b[..n])?;
        if buf_a[..n] != buf_b[..n] {
            return Ok(false);
        }
    }
}

/// Files kept in memory: (path, bytes).
type MemoryFiles = Arc<Mutex<Vec<(PathBuf, Vec<u8>)>>>;

/// Keeps every file in memory instead: for builds that must not touch the disk (fuzzing,
/// benchmarks of the stages before output, tests).
#[derive(Debug, Default)]
pub struct MemorySink {
    files: MemoryFiles,
}

impl MemorySink {
    /// The files written, sorted by path.
    pub fn into_files(self) -> Vec<(PathBuf, Vec<u8>)> {
        let mut files = std::mem::take(
            &mut *self
                .files
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
        files.sort_by(|a, b| a.0.cmp(&b.0));
        files
    }
}

impl FeedSink for MemorySink {
    fn create(&self, path: &Path) -> io::Result<Box<dyn FeedFile>> {
        Ok(Box::new(MemoryFile {
            files: Arc::clone(&self.files),
            path: path.to_path_buf(),
            bytes: Vec::new(),
        }))
    }
}

struct MemoryFile {
    files: MemoryFiles,
    path: PathBuf,
    bytes: Vec<u8>,
}

impl Write for MemoryFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl FeedFile for MemoryFile {
    fn finish(self: Box<Self>) -> io::Result<WriteOutcome> {
        let mut files = self
            .files
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        files.push((self.path, self.bytes));
        Ok(WriteOutcome::Written)
    }
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

    /// Runs copied from an old file land between the bytes written around them, by the
    /// kernel and through the buffer alike.
    #[test]
    fn copied_ranges_land_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join("old.xml");
        let big: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
        fs::write(&old, &big).unwrap();
        let from = File::open(&old).unwrap();
        let path = dir.path().join("new.xml");
        let mut file = AtomicFile::create(&path).unwrap();
        file.write_all(b"<a>").unwrap();
        file.copy_range(&from, 7, 2_500_000).unwrap();
        file.write_all(b"<b>").unwrap();
        file.copy_range(&from, 0, 3).unwrap();
        Box::new(file).finish().unwrap();
        let mut expected = b"<a>".to_vec();
        expected.extend_from_slice(&big[7..2_500_007]);
        expected.extend_from_slice(b"<b>");
        expected.extend_from_slice(&big[..3]);
        assert!(fs::read(&path).unwrap() == expected);

        let mut through_buffer = Vec::new();
        copy_through_buffer(&from, &mut through_buffer, 7, 2_500_000).unwrap();
        assert!(through_buffer[..] == big[7..2_500_007]);
        // Past the end of the old file is an error, not a short feed.
        assert!(copy_through_buffer(&from, &mut Vec::new(), 2_999_999, 2).is_err());
    }

    #[test]
    fn an_unfinished_file_leaves_no_trace() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("feed.xml");
        fs::write(&path, "old").unwrap();
        let mut file = AtomicFile::create(&path).unwrap();
        file.write_all(b"half of the new").unwrap();
        drop(file);
        assert_eq!(fs::read(&path).unwrap(), b"old");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
