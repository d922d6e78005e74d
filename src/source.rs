//! Source: walks the posts folder and reads post files.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostics::{Diagnostic, Severity};

/// Files larger than this are refused without being read whole.
pub const DEFAULT_MAX_POST_BYTES: u64 = 32 * 1024 * 1024;

/// A file found under the posts folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourcePath {
    /// The path to open and to show in messages (posts folder joined with `relative`).
    pub path: PathBuf,
    /// The path inside the posts folder, with `/` separators: stable across machines, used to
    /// order posts and break ties.
    pub relative: String,
    /// The file is a symlink (to a file inside the posts folder).
    pub symlink: bool,
}

/// True when `root` is the source folder of a Jekyll site: it has a `_config.yml` or a
/// `_posts` folder.
pub fn is_jekyll_site(root: &Path) -> bool {
    root.join("_posts").is_dir() || root.join("_config.yml").is_file()
}

/// The folder that holds a site's `_includes/`, `_data/` and `_config.yml`: the posts folder
/// when it is a Jekyll site, else the folder above it (`posts/` beside `frontfeed.yaml`).
pub fn site_dir(posts: &Path) -> PathBuf {
    if is_jekyll_site(posts) {
        return posts.to_path_buf();
    }
    match posts.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Folders Jekyll never reads posts from unless told to (its default `exclude`).
const JEKYLL_EXCLUDED: &[&str] = &["node_modules", "vendor", "gemfiles"];

/// True for an entry Jekyll's reader skips: under `_posts` (or `_drafts`), names starting
/// with `.`, `_`, `#` or `~`, and backups ending in `~`; elsewhere, every `_`/`.` folder but
/// `_posts` itself (and `_drafts` when drafts are read).
fn jekyll_skips(entry: &walkdir::DirEntry, inside_posts: bool, drafts: bool) -> bool {
    let name = entry.file_name().to_string_lossy();
    if inside_posts {
        return name.starts_with(['.', '_', '#', '~']) || name.ends_with('~');
    }
    entry.file_type().is_dir()
        && ((name.starts_with(['_', '.']) && name != "_posts" && !(drafts && name == "_drafts"))
            || JEKYLL_EXCLUDED.contains(&name.as_ref()))
}

/// True when a folder on the `/`-separated `relative` path (its last name excluded) is one
/// Jekyll reads posts from.
fn in_post_folder(relative: &str, drafts: bool) -> bool {
    let folders = relative.rsplit_once('/').map_or("", |(folders, _)| folders);
    folders
        .split('/')
        .any(|name| name == "_posts" || (drafts && name == "_drafts"))
}

/// `path` inside `root`, `/`-separated. The walk makes every path by joining names onto
/// `root` as given, so cutting its bytes is enough (comparing components cost a third of
/// the listing).
fn inside_root<'p>(root: &Path, path: &'p Path) -> std::borrow::Cow<'p, str> {
    let bytes = path.as_os_str().as_encoded_bytes();
    let rest = bytes
        .strip_prefix(root.as_os_str().as_encoded_bytes())
        .unwrap_or(bytes);
    let start = rest
        .iter()
        .position(|&b| !std::path::is_separator(char::from(b)))
        .unwrap_or(rest.len());
    let relative = String::from_utf8_lossy(&rest[start..]);
    if std::path::MAIN_SEPARATOR == '/' {
        relative
    } else {
        relative.replace(std::path::MAIN_SEPARATOR, "/").into()
    }
}

/// Lists the post files under `root`, sorted by relative path. Hidden files and folders are
/// skipped, symlinked folders are not entered, and a symlinked file is read only when it
/// resolves to a file inside `root`. In a Jekyll site ([`is_jekyll_site`]) only the files in
/// `_posts` folders (at any depth, as Jekyll reads `en/news/_posts/`) are posts; pages,
/// layouts, `_site` and other collections are not. Problems come back as diagnostics; the
/// walk goes on.
pub fn list_posts(root: &Path) -> (Vec<SourcePath>, Vec<Diagnostic>) {
    list_posts_and_drafts(root, false)
}

/// [`list_posts`], with a Jekyll site's `_drafts` folders too when `drafts` (Jekyll's
/// `--drafts`, `show_drafts`).
pub fn list_posts_and_drafts(root: &Path, drafts: bool) -> (Vec<SourcePath>, Vec<Diagnostic>) {
    let mut files = Vec::with_capacity(1024);
    let mut diagnostics = Vec::new();
    let canonical_root = root.canonicalize().ok();
    let jekyll = is_jekyll_site(root);
    // Unsorted: the list is sorted once at the end (sorting each folder as well cost more
    // than the walk itself).
    let walker = WalkDir::new(root)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| {
            if e.depth() == 0 {
                return true;
            }
            if !jekyll {
                return !is_hidden(e.file_name());
            }
            let inside_posts = in_post_folder(&inside_root(root, e.path()), drafts);
            !jekyll_skips(e, inside_posts, drafts)
        });
    for item in walker {
        let entry = match item {
            Ok(entry) => entry,
            Err(err) => {
                let path = err.path().map(Path::to_path_buf);
                diagnostics.push(Diagnostic::new(
                    Severity::Error,
                    path,
                    None,
                    format!("cannot read: {}", io_message(&err)),
                ));
                continue;
            }
        };
        let file_type = entry.file_type();
        if file_type.is_dir() {
            continue;
        }
        let symlink = file_type.is_symlink();
        let path = entry.into_path();
        if symlink {
            match symlink_target_inside(&path, canonical_root.as_deref()) {
                Ok(()) => {}
                Err(why) => {
                    diagnostics.push(Diagnostic::new(Severity::Note, Some(path), None, why));
                    continue;
                }
            }
        } else if !file_type.is_file() {
            continue;
        }
        let relative = inside_root(root, &path).into_owned();
        if jekyll && !in_post_folder(&relative, drafts) {
            continue;
        }
        files.push(SourcePath {
            path,
            relative,
            symlink,
        });
    }
    // The same order whatever order the walk found them in (paths are unique; two names
    // that are not UTF-8 may share a relative path, which the full path then orders).
    files.sort_unstable_by(|a, b| (&a.relative, &a.path).cmp(&(&b.relative, &b.path)));
    diagnostics.sort_by(|a, b| (&a.path, &a.message).cmp(&(&b.path, &b.message)));
    (files, diagnostics)
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}

fn io_message(err: &walkdir::Error) -> String {
    if err.loop_ancestor().is_some() {
        return "symlink loop".to_string();
    }
    err.io_error()
        .map_or_else(|| err.to_string(), ToString::to_string)
}

/// A symlink is followed only to a regular file inside the posts folder.
fn symlink_target_inside(path: &Path, root: Option<&Path>) -> Result<(), String> {
    let target = path
        .canonicalize()
        .map_err(|e| format!("skipped symlink that cannot be resolved ({e})"))?;
    let Some(root) = root else {
        return Err("skipped symlink: the posts folder cannot be resolved".into());
    };
    if !target.starts_with(root) {
        return Err(format!(
            "skipped symlink pointing outside the posts folder ({})",
            target.display()
        ));
    }
    if !target.is_file() {
        return Err("skipped symlink that does not point to a file".into());
    }
    Ok(())
}

/// Why a file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("cannot read: {0}")]
    Io(#[from] std::io::Error),
    #[error("file is larger than the {limit}-byte limit for a post; refused")]
    TooLarge { limit: u64 },
    /// A post an in-memory build was not given (it went between the two phases).
    #[error("post not found")]
    Missing,
}

/// Reads a file, refusing (without reading it whole) anything over `max_bytes`; also gives
/// the file's metadata as it was before the read (a change during the read is newer than it).
pub fn read_limited_with_metadata(
    path: &Path,
    max_bytes: u64,
) -> Result<(Vec<u8>, std::fs::Metadata), ReadError> {
    let mut file = File::open(path)?;
    let metadata = file.metadata()?;
    let mut bytes = Vec::new();
    read_rest(&mut file, &mut bytes, metadata.len(), max_bytes)?;
    Ok((bytes, metadata))
}

/// A post read again ([`read_again`]).
#[derive(Debug)]
pub struct Reread {
    pub bytes: Vec<u8>,
    /// The bytes hash to the hash given: the file is as it was read before.
    pub unchanged: bool,
}

/// First read of [`read_again`], at most: most posts fit, so they take one read and no stat.
const REREAD_FIRST: usize = 64 * 1024;

thread_local! {
    /// [`read_again`]'s first read goes here (allocated and zeroed once per thread); the
    /// post is then copied out at its own size.
    static REREAD_BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Reads a file again that an earlier read found ([`read_limited_with_metadata`]) with bytes hashing
/// ([`crate::entry::hash_source`]) to `hash`, with the same limit. A first read that ends
/// before its buffer is full and gives bytes with that hash is the whole file as it was,
/// with no stat and no second read to see the end: a file that grew since would have filled
/// more of the buffer, or hash otherwise. Anything else (a larger file, a short read, a
/// changed file) is read on as [`read_limited_with_metadata`] reads, with the stat that refuses a file
/// over the limit.
pub fn read_again(path: &Path, max_bytes: u64, hash: u64) -> Result<Reread, ReadError> {
    let mut file = File::open(path)?;
    let first = usize::try_from(max_bytes.saturating_add(1))
        .map_or(REREAD_FIRST, |limit| limit.min(REREAD_FIRST));
    let mut bytes = REREAD_BUFFER.with(|buffer| -> Result<Vec<u8>, ReadError> {
        let mut buffer = buffer.borrow_mut();
        if buffer.len() < first {
            buffer.resize(first, 0);
        }
        let n = read_some(&mut file, &mut buffer[..first])?;
        Ok(buffer[..n].to_vec())
    })?;
    if bytes.len() < first && crate::entry::hash_source(&bytes) == hash {
        return Ok(Reread {
            bytes,
            unchanged: true,
        });
    }
    let size = file.metadata()?.len();
    read_rest(&mut file, &mut bytes, size, max_bytes)?;
    let unchanged = crate::entry::hash_source(&bytes) == hash;
    Ok(Reread { bytes, unchanged })
}

/// One read, retried when interrupted.
fn read_some(reader: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    loop {
        match reader.read(buf) {
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            result => return result,
        }
    }
}

/// Reads the rest of a file whose first `bytes` are read already, that a stat just found
/// `size` bytes long, refusing it when it is over `max_bytes`.
///
/// Reads ask for one byte more than `size`. A read that ends exactly at `size` is the end of
/// the file as the stat saw it, so no further read is made to find the end (`read_to_end`
/// makes one per file); a file that shrank ends at a read of 0 bytes; one that grew fills
/// the extra byte and is read to its end, up to the limit.
fn read_rest(
    reader: &mut impl Read,
    bytes: &mut Vec<u8>,
    size: u64,
    max_bytes: u64,
) -> Result<(), ReadError> {
    let too_large = ReadError::TooLarge { limit: max_bytes };
    if size > max_bytes || bytes.len() as u64 > max_bytes {
        return Err(too_large);
    }
    // A size that does not fit in memory is over any limit that does.
    let Ok(size) = usize::try_from(size) else {
        return Err(too_large);
    };
    let mut filled = bytes.len();
    if filled <= size {
        bytes.resize(size + 1, 0);
        while filled <= size {
            match read_some(reader, &mut bytes[filled..]) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) => {
                    bytes.truncate(filled);
                    return Err(e.into());
                }
            }
            if filled == size {
                break;
            }
        }
        bytes.truncate(filled);
        if filled <= size {
            return Ok(());
        }
    }
    // Grown past the stat's size: read on, to one byte over the limit at most.
    let left = (max_bytes + 1).saturating_sub(bytes.len() as u64);
    reader.take(left).read_to_end(bytes)?;
    if bytes.len() as u64 > max_bytes {
        return Err(too_large);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_sorted_and_skips_hidden() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("b/.git")).unwrap();
        std::fs::write(root.join("b/2.md"), "x").unwrap();
        std::fs::write(root.join("a.md"), "x").unwrap();
        std::fs::write(root.join(".hidden.md"), "x").unwrap();
        std::fs::write(root.join("b/.git/config"), "x").unwrap();
        let (files, diags) = list_posts(root);
        let rel: Vec<_> = files.iter().map(|f| f.relative.as_str()).collect();
        assert_eq!(rel, ["a.md", "b/2.md"]);
        assert!(diags.is_empty());
    }

    #[test]
    fn relative_paths_whatever_form_the_root_takes() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("posts/2024/_posts")).unwrap();
        std::fs::write(dir.path().join("posts/2024/_posts/a.md"), "x").unwrap();
        std::fs::write(dir.path().join("posts/b.md"), "x").unwrap();
        let posts = dir.path().join("posts");
        let spelled = |tail: &str| PathBuf::from(format!("{}{tail}", posts.display()));
        for root in [
            posts.clone(),
            spelled("/"),
            spelled("//"),
            spelled("/."),
            posts.join("."),
        ] {
            let (files, _) = list_posts(&root);
            let rel: Vec<_> = files.iter().map(|f| f.relative.as_str()).collect();
            assert_eq!(rel, ["2024/_posts/a.md", "b.md"], "root {}", root.display());
            assert!(files.iter().all(|f| f.path.starts_with(&root)));
        }
        // The folder of a post counts, not its own name.
        assert!(in_post_folder("en/_posts/a.md", false));
        assert!(!in_post_folder("_posts", false));
        assert!(!in_post_folder("a/_posts.md", false));
        assert!(in_post_folder("_drafts/a.md", true));
        assert!(!in_post_folder("_drafts/a.md", false));
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_stay_inside() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("real.md"), "x").unwrap();
        std::fs::write(outside.path().join("secret.md"), "x").unwrap();
        std::os::unix::fs::symlink(root.join("real.md"), root.join("inside.md")).unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret.md"), root.join("out.md")).unwrap();
        std::os::unix::fs::symlink(root, root.join("loop")).unwrap();
        let (files, diags) = list_posts(root);
        let rel: Vec<_> = files.iter().map(|f| f.relative.as_str()).collect();
        assert_eq!(rel, ["inside.md", "real.md"]);
        assert!(
            diags.iter().any(|d| d.message.contains("outside")),
            "{diags:?}"
        );
    }

    #[test]
    fn refuses_large_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.md");
        std::fs::write(&path, vec![b'a'; 100]).unwrap();
        assert!(matches!(
            read_limited_with_metadata(&path, 10),
            Err(ReadError::TooLarge { limit: 10 })
        ));
        assert_eq!(read_limited_with_metadata(&path, 100).unwrap().0.len(), 100);
    }

    /// A file's bytes given `chunk` at most per read, counting the reads.
    struct Chunked<'a> {
        bytes: &'a [u8],
        chunk: usize,
        reads: usize,
    }

    impl Read for Chunked<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            self.reads += 1;
            let n = buf.len().min(self.chunk).min(self.bytes.len());
            buf[..n].copy_from_slice(&self.bytes[..n]);
            self.bytes = &self.bytes[n..];
            Ok(n)
        }
    }

    /// `read_rest` from nothing on a file of `content` that a stat found `size` bytes long:
    /// the bytes (or the error) and the number of reads.
    fn rest(content: &[u8], chunk: usize, size: u64, max: u64) -> (Result<Vec<u8>, String>, usize) {
        let mut reader = Chunked {
            bytes: content,
            chunk,
            reads: 0,
        };
        let mut bytes = Vec::new();
        let result = read_rest(&mut reader, &mut bytes, size, max)
            .map(|()| bytes)
            .map_err(|e| e.to_string());
        (result, reader.reads)
    }

    #[test]
    fn a_file_as_the_stat_saw_it_takes_one_read() {
        let content = b"0123456789";
        assert_eq!(rest(content, 1 << 20, 10, 100), (Ok(content.to_vec()), 1));
        // Short reads go on to the stat's size, and no further.
        assert_eq!(rest(content, 3, 10, 100), (Ok(content.to_vec()), 4));
        // An empty file still reads once: it may have grown.
        assert_eq!(rest(b"", 1 << 20, 0, 100), (Ok(Vec::new()), 1));
        assert_eq!(rest(b"abc", 1 << 20, 0, 100).0, Ok(b"abc".to_vec()));
    }

    #[test]
    fn a_file_that_shrank_or_grew_is_read_as_it_is() {
        let content = b"0123456789";
        // Shrank since the stat: ends at a read of 0 bytes.
        assert_eq!(rest(content, 1 << 20, 20, 100), (Ok(content.to_vec()), 2));
        // Grew since the stat: read to its end.
        assert_eq!(rest(content, 1 << 20, 4, 100).0, Ok(content.to_vec()));
        assert_eq!(rest(content, 3, 4, 100).0, Ok(content.to_vec()));
        // Unless a short read stops exactly at the stat's size: that is the file as it was
        // then (a local file system fills the extra byte of a file that grew).
        assert_eq!(rest(content, 2, 4, 100).0, Ok(content[..4].to_vec()));
        // Grew past the limit: refused, having read one byte over it at most.
        let too_large = Err(ReadError::TooLarge { limit: 6 }.to_string());
        assert_eq!(rest(content, 1 << 20, 4, 6).0, too_large);
        assert_eq!(rest(content, 1 << 20, 6, 6).0, too_large);
        assert_eq!(rest(content, 1 << 20, 10, 10).0, Ok(content.to_vec()));
        // Over the limit by the stat: refused without a read.
        let (result, reads) = rest(content, 1 << 20, 10, 9);
        assert_eq!(
            (result, reads),
            (Err(ReadError::TooLarge { limit: 9 }.to_string()), 0)
        );
    }

    #[test]
    fn reads_again_with_the_hash_of_the_first_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("post.md");
        let hash = crate::entry::hash_source;
        for len in [
            0,
            10,
            REREAD_FIRST - 1,
            REREAD_FIRST,
            REREAD_FIRST + 1,
            3 * REREAD_FIRST,
        ] {
            let content: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
            std::fs::write(&path, &content).unwrap();
            let reread = read_again(&path, 1 << 20, hash(&content)).unwrap();
            assert_eq!((reread.bytes.len(), reread.unchanged), (len, true), "{len}");
            assert_eq!(reread.bytes, content);
            // Changed (grown) since the hash: the whole new file, not the start it shares.
            let mut grown = content.clone();
            grown.extend_from_slice(b"more");
            std::fs::write(&path, &grown).unwrap();
            let reread = read_again(&path, 1 << 20, hash(&content)).unwrap();
            assert_eq!((reread.bytes, reread.unchanged), (grown, false), "{len}");
        }
        // Over the limit: refused, whether the first read holds it or not.
        std::fs::write(&path, vec![b'a'; 100]).unwrap();
        let hash_100 = hash(&[b'a'; 100]);
        assert!(matches!(
            read_again(&path, 10, hash_100),
            Err(ReadError::TooLarge { limit: 10 })
        ));
        assert!(read_again(&path, 100, hash_100).unwrap().unchanged);
        std::fs::write(&path, vec![b'a'; 2 * REREAD_FIRST]).unwrap();
        assert!(matches!(
            read_again(&path, REREAD_FIRST as u64 + 10, 0),
            Err(ReadError::TooLarge { .. })
        ));
        assert!(matches!(
            read_again(&dir.path().join("gone.md"), 100, 0),
            Err(ReadError::Io(_))
        ));
    }
}
