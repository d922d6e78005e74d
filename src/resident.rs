//! What a long-running process (`frontfeed watch`) keeps between builds of one site: the last
//! build's phase-1 result for every post file, and the listing of the posts folder.
//!
//! A build from the command line must list the posts folder and stat every post to learn what
//! changed; on 10,000 posts that alone is most of a rebuild. A watcher is told by the kernel
//! which paths changed, so a rebuild reads only those files and reuses the rest as they were.
//! The reuse is only as good as the events: [`Changes::Unknown`] (the first build, an event
//! queue that overflowed, a change outside the posts folder) makes an ordinary build, which
//! refreshes what is kept.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostics::Diagnostic;
use crate::entry::EntryMeta;
use crate::options::BuildOptions;
use crate::source::SourcePath;

/// What changed since the last build, as a file watcher saw it.
#[derive(Debug, Clone)]
pub enum Changes {
    /// Anything may have changed: list the posts folder and look at every file.
    Unknown,
    /// Only these paths (absolute, symlinks resolved, as the watcher names them) changed.
    Paths(Vec<PathBuf>),
}

/// What a resident process keeps between builds of one site (see the module's text). Start
/// with `Resident::default()` and give the same value to every [`crate::build::rebuild`].
#[derive(Debug, Default)]
pub struct Resident {
    last: Option<LastRead>,
}

/// What reading a post gave: its entry (shared with the build that read it, which changes a
/// copy if it must) and what was reported about it.
pub(crate) type Kept = (Option<Arc<EntryMeta>>, Vec<Diagnostic>);

/// Phase 1 of the last build, before ids were made unique and future posts held back.
#[derive(Debug)]
struct LastRead {
    /// The settings the records were read under ("now" is applied after phase 1).
    key: u64,
    /// The posts folder as listed, sorted by `relative`, with the listing's diagnostics.
    files: Vec<SourcePath>,
    walk_diagnostics: Vec<Diagnostic>,
    records: Vec<Kept>,
}

impl Resident {
    /// What this build may reuse, or `None` for an ordinary build. Takes the kept records:
    /// [`Resident::keep`] puts this build's back.
    pub(crate) fn reusable(&mut self, options: &BuildOptions, changes: &Changes) -> Option<Reuse> {
        let last = self.last.take()?;
        let Changes::Paths(paths) = changes else {
            return None;
        };
        if last.key != options.settings_fingerprint() {
            return None;
        }
        let root = crate::build::canonical_even_if_missing(&options.posts_dir);
        let mut changed = vec![false; last.files.len()];
        let mut walk = false;
        for path in paths {
            // A change outside the posts folder (the config, `_data/`, `_includes/`) is not
            // one this layer can judge.
            let relative = relative_inside(&root, path)?;
            let exists = std::fs::symlink_metadata(path).ok();
            match last.files.binary_search_by(|f| f.relative.cmp(&relative)) {
                Ok(i) => {
                    changed[i] = true;
                    // Gone, or no longer a plain file: the listing changed.
                    walk |= !exists.is_some_and(|m| m.is_file());
                }
                // A file or folder that appeared, or a folder with posts that went away;
                // a path that came and went (an editor's temporary file) changes nothing.
                Err(_) => {
                    let prefix = format!("{relative}/");
                    let under = last
                        .files
                        .partition_point(|f| f.relative.as_str() < prefix.as_str());
                    walk |= exists.is_some()
                        || last
                            .files
                            .get(under)
                            .is_some_and(|f| f.relative.starts_with(&prefix));
                }
            }
        }
        Some(Reuse {
            walk,
            changed,
            last,
        })
    }

    /// Keeps this build's phase-1 result for the next build.
    pub(crate) fn keep(
        &mut self,
        options: &BuildOptions,
        files: Vec<SourcePath>,
        walk_diagnostics: Vec<Diagnostic>,
        records: Vec<Kept>,
    ) {
        self.last = Some(LastRead {
            key: options.settings_fingerprint(),
            files,
            walk_diagnostics,
            records,
        });
    }
}

/// `path` inside `root`, with `/` separators, as [`SourcePath::relative`] spells it; `None`
/// when it is outside or cannot be spelled so.
fn relative_inside(root: &Path, path: &Path) -> Option<String> {
    let inside = path.strip_prefix(root).ok()?;
    let parts: Option<Vec<&str>> = inside
        .components()
        .map(|c| match c {
            std::path::Component::Normal(name) => name.to_str(),
            _ => None,
        })
        .collect();
    Some(parts?.join("/"))
}

/// What a rebuild takes from the last build.
pub(crate) struct Reuse {
    /// The posts folder must be listed again.
    walk: bool,
    /// Per file of the last listing: a change was reported at its path.
    changed: Vec<bool>,
    last: LastRead,
}

impl Reuse {
    /// The last listing, when it is still right.
    pub(crate) fn listing(&mut self) -> Option<(Vec<SourcePath>, Vec<Diagnostic>)> {
        if self.walk {
            return None;
        }
        Some((
            self.last.files.clone(),
            std::mem::take(&mut self.last.walk_diagnostics),
        ))
    }

    /// The last build's record of `file`, the `position`th file of this build, when nothing
    /// was reported at its path since. A symlinked post is always read again: a change to its
    /// target is reported at the target's path.
    pub(crate) fn take(&mut self, file: &SourcePath, position: usize) -> Option<Kept> {
        // Where it was last time, unless files came or went before it.
        let i = match self.last.files.get(position) {
            Some(last) if last.relative == file.relative => position,
            _ => self
                .last
                .files
                .binary_search_by(|f| f.relative.cmp(&file.relative))
                .ok()?,
        };
        let last = &self.last.files[i];
        if self.changed[i] || last.symlink || file.symlink || last.path != file.path {
            return None;
        }
        // Taken once: a second ask (there is none; files are unique) would read the file.
        self.changed[i] = true;
        Some(std::mem::take(&mut self.last.records[i]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, Overrides};

    fn options(posts: &Path) -> BuildOptions {
        let site = Config::from_yaml("base_url: https://example.org/\n", Path::new("f"))
            .unwrap()
            .resolve(&Overrides::default())
            .unwrap()
            .0;
        BuildOptions::new(posts.to_path_buf(), posts.join("../out"), site)
    }

    fn file(root: &Path, relative: &str) -> SourcePath {
        SourcePath {
            path: root.join(relative),
            relative: relative.into(),
            symlink: false,
        }
    }

    /// Keeps three files' records (`dir-x.md` sorts between `dir` and `dir/p.md`), then asks
    /// what a rebuild after changes at `changed` may reuse: (walk again, files reused).
    fn after(changed: &[&str]) -> (bool, Vec<String>) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let names = ["a.md", "dir-x.md", "dir/p.md"];
        let files: Vec<SourcePath> = names.iter().map(|n| file(&root, n)).collect();
        std::fs::create_dir(root.join("dir")).unwrap();
        for name in names {
            std::fs::write(root.join(name), "x").unwrap();
        }
        let options = options(&root);
        let mut resident = Resident::default();
        let records = files.iter().map(|_| Kept::default()).collect();
        resident.keep(&options, files.clone(), Vec::new(), records);
        std::fs::remove_dir_all(root.join("dir")).unwrap();
        let paths = changed
            .iter()
            .map(|c| match c.strip_prefix("../") {
                Some(outside) => root.parent().unwrap().join(outside),
                None => root.join(c),
            })
            .collect();
        let Some(mut reuse) = resident.reusable(&options, &Changes::Paths(paths)) else {
            return (true, Vec::new());
        };
        let walk = reuse.listing().is_none();
        let reused = files
            .iter()
            .enumerate()
            .filter(|(i, f)| reuse.take(f, *i + 1).is_some())
            .map(|(_, f)| f)
            .map(|f| f.relative.clone())
            .collect();
        (walk, reused)
    }

    #[test]
    fn rebuilds_reuse_what_no_change_was_reported_at() {
        // An edited file is read again; the listing still holds.
        assert_eq!(
            after(&["a.md"]),
            (false, vec!["dir-x.md".into(), "dir/p.md".into()])
        );
        // A file that came and went (an editor's temporary file) changes nothing.
        assert!(!after(&["gone.tmp"]).0);
        // A folder of posts that went away (moved out whole: one event, for the folder)
        // means listing again, even with `dir-x.md` sorted between it and its files.
        assert!(after(&["dir"]).0);
        // A path outside the posts folder: an ordinary build.
        assert_eq!(after(&["../elsewhere.yaml"]), (true, Vec::new()));
    }
}
