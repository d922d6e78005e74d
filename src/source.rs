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

/// True when a component of `path` is a folder Jekyll reads posts from.
fn in_post_folder(components: &[std::borrow::Cow<'_, str>], drafts: bool) -> bool {
    components
        .iter()
        .any(|c| c == "_posts" || (drafts && c == "_drafts"))
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
    let mut files = Vec::new();
    let mut diagnostics = Vec::new();
    let canonical_root = root.canonicalize().ok();
    let jekyll = is_jekyll_site(root);
    let walker = WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() == 0 {
                return true;
            }
            if !jekyll {
                return !is_hidden(e.file_name());
            }
            let inside_posts = e
                .path()
                .strip_prefix(root)
                .ok()
                .and_then(Path::parent)
                .is_some_and(|p| {
                    p.components().any(|c| {
                        c.as_os_str() == "_posts" || (drafts && c.as_os_str() == "_drafts")
                    })
                });
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
        let path = entry.path().to_path_buf();
        if file_type.is_symlink() {
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
        let components: Vec<_> = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect();
        if jekyll && !in_post_folder(&components[..components.len().saturating_sub(1)], drafts) {
            continue;
        }
        let relative = components.join("/");
        files.push(SourcePath {
            path,
            relative,
            symlink: file_type.is_symlink(),
        });
    }
    files.sort_by(|a, b| a.relative.cmp(&b.relative));
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

/// Reads a file, refusing (without reading it whole) anything over `max_bytes`.
pub fn read_limited(path: &Path, max_bytes: u64) -> Result<Vec<u8>, ReadError> {
    read_limited_with_metadata(path, max_bytes).map(|(bytes, _)| bytes)
}

/// [`read_limited`], also giving the file's metadata as it was before the read (a change
/// during the read is newer than it).
pub fn read_limited_with_metadata(
    path: &Path,
    max_bytes: u64,
) -> Result<(Vec<u8>, std::fs::Metadata), ReadError> {
    let file = File::open(path)?;
    let metadata = file.metadata()?;
    let len = metadata.len();
    if len > max_bytes {
        return Err(ReadError::TooLarge { limit: max_bytes });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    file.take(max_bytes + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max_bytes {
        return Err(ReadError::TooLarge { limit: max_bytes });
    }
    Ok((bytes, metadata))
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
            read_limited(&path, 10),
            Err(ReadError::TooLarge { limit: 10 })
        ));
        assert_eq!(read_limited(&path, 100).unwrap().len(), 100);
    }
}
