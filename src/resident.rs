//! What a long-running process (`frontfeed watch`) keeps between builds of one site: the last
//! build's phase-1 result for every post file, and the listing of the posts folder.
//!
//! A build from the command line must list the posts folder and stat every post to learn what
//! changed; on 10,000 posts that alone is most of a rebuild. A watcher is told by the kernel
//! which paths changed, so a rebuild reads only those files and reuses the rest as they were.
//! The reuse is only as good as the events: [`Changes::Unknown`] (the first build, an event
//! queue that overflowed, a change outside the posts folder) makes an ordinary build, which
//! refreshes what is kept.
//!
//! When the files read again still give entries with the same place (the same link, ids,
//! dates, categories, tags and author: an edit of a post's text), the end of phase 1 and the
//! plan are carried over too, with only those entries replaced: ids made unique, the order and
//! every feed's selection come out as they did, so they are not worked out again.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostics::Diagnostic;
use crate::entry::EntryMeta;
use crate::options::BuildOptions;
use crate::plan::FeedPlan;
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
    /// The last build after phase 1, and per file of its listing where the file's entry is in
    /// its entries.
    finished: Option<(Finished, Vec<Option<u32>>)>,
    /// The last build's cache, being saved on its own thread after the feeds were written.
    saving: Option<std::thread::JoinHandle<std::io::Result<()>>>,
}

impl Drop for Resident {
    fn drop(&mut self) {
        // A process that stops leaves a whole cache behind.
        let _ = self.finish_saving();
    }
}

/// A build after phase 1: its entries in feed order (ids unique, future posts held back) and
/// its plan, with what finishing and planning reported.
#[derive(Debug)]
pub(crate) struct Finished {
    pub(crate) entries: Vec<Arc<EntryMeta>>,
    pub(crate) plans: Vec<FeedPlan>,
    /// The fragment keys publishing worked out for `entries`.
    pub(crate) known_keys: crate::publish::KnownKeys,
    /// What finishing phase 1 reported (shared ids, future posts), and what planning did.
    pub(crate) finish_diagnostics: Vec<Diagnostic>,
    pub(crate) plan_diagnostics: Vec<Diagnostic>,
    pub(crate) future_posts: usize,
    /// "Now" of the build (whole seconds), and the first date after it of any post: until
    /// then the same posts are held back.
    pub(crate) now: i64,
    pub(crate) next_release: Option<i64>,
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
    /// Saves the cache of the build just done with `save`, on a thread of its own: the feeds
    /// are written already, and the process waits for the next change anyway.
    pub(crate) fn save_later(
        &mut self,
        save: impl FnOnce() -> std::io::Result<()> + Send + 'static,
    ) {
        // At most one save at a time (each build waits for the last one first).
        let _ = self.finish_saving();
        self.saving = Some(std::thread::spawn(save));
    }

    /// Waits until the last build's cache is saved; gives the reason it could not be.
    pub fn finish_saving(&mut self) -> Option<std::io::Error> {
        let saved = self.saving.take()?.join();
        match saved {
            Ok(Ok(())) => None,
            Ok(Err(e)) => Some(e),
            Err(_) => Some(std::io::Error::other("the cache's save failed")),
        }
    }

    /// What this build may reuse, or `None` for an ordinary build. Takes the kept records:
    /// [`Resident::keep`] puts this build's back.
    pub(crate) fn reusable(&mut self, options: &BuildOptions, changes: &Changes) -> Option<Reuse> {
        let finished = self.finished.take();
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
            // A listing that changed renumbers the files: nothing after phase 1 carries over.
            finished: finished.filter(|_| !walk),
            last,
            listed: false,
        })
    }

    /// Keeps this build's entries and plan (with `position`, from [`Resident::positions`],
    /// unless carried over).
    pub(crate) fn keep_finished(&mut self, finished: Finished, position: Vec<Option<u32>>) {
        self.finished = Some((finished, position));
    }

    /// Where each kept file's entry is in `entries` (which came from the kept files).
    pub(crate) fn positions(&self, entries: &[Arc<EntryMeta>]) -> Vec<Option<u32>> {
        let Some(last) = &self.last else {
            return Vec::new();
        };
        let mut position = vec![None; last.files.len()];
        for (at, entry) in entries.iter().enumerate() {
            if let (Ok(i), Ok(at)) = (
                last.files
                    .binary_search_by(|f| f.relative.as_str().cmp(&entry.source)),
                u32::try_from(at),
            ) {
                position[i] = Some(at);
            }
        }
        position
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
    /// The last listing was handed on as this build's ([`Reuse::listing`]): file `i` of this
    /// build is file `i` of the last.
    listed: bool,
    finished: Option<(Finished, Vec<Option<u32>>)>,
    last: LastRead,
}

/// Whether two readings of a post put it in the same place: what ids, order, holding back and
/// every feed's selection depend on is the same.
fn same_place(a: &EntryMeta, b: &EntryMeta) -> bool {
    a.source == b.source
        && a.link == b.link
        && a.id == b.id
        && a.guid == b.guid
        && a.guid_is_permalink == b.guid_is_permalink
        && a.published == b.published
        && a.published.offset() == b.published.offset()
        && a.jekyll_date == b.jekyll_date
        && a.date_line == b.date_line
        && a.categories == b.categories
        && a.tags == b.tags
        && a.author == b.author
}

impl Reuse {
    /// The last build's entries and plan with the entries of the files read again (`fresh`,
    /// positions in this build's listing; `read` their readings) put in, when every one of
    /// them has the same place as before and "now" held back the same posts. `None` when
    /// phase 1 must be finished and the feeds planned anew.
    pub(crate) fn carry_over(
        &mut self,
        fresh: &[usize],
        read: &[Option<Arc<EntryMeta>>],
        now: i64,
    ) -> Option<(Finished, Vec<Option<u32>>)> {
        let (mut finished, position) = self.finished.take()?;
        let same_held_back =
            now >= finished.now && finished.next_release.is_none_or(|first| now < first);
        if self.walk || !same_held_back || read.len() != position.len() {
            return None;
        }
        for &i in fresh {
            let same = match (&self.last.records.get(i)?.0, read.get(i)?) {
                (None, None) => true,
                (Some(old), Some(new)) => same_place(old, new),
                _ => false,
            };
            if !same {
                return None;
            }
        }
        finished.now = now;
        for &i in fresh {
            let (Some(at), Some(new)) = (position[i], &read[i]) else {
                continue;
            };
            let at = at as usize;
            let old = &finished.entries[at];
            // What finishing changed on the old entry (an id made unique, an author from
            // `_data/`) it changes on the new one the same way.
            let entry = if old.id == new.id
                && old.guid == new.guid
                && old.guid_is_permalink == new.guid_is_permalink
                && old.author == new.author
            {
                Arc::clone(new)
            } else {
                let mut entry = EntryMeta::clone(new);
                entry.id.clone_from(&old.id);
                entry.guid.clone_from(&old.guid);
                entry.guid_is_permalink = old.guid_is_permalink;
                entry.author.clone_from(&old.author);
                Arc::new(entry)
            };
            finished.entries[at] = entry;
            finished.known_keys.forget(at);
        }
        Some((finished, position))
    }

    /// The last listing, when it is still right.
    pub(crate) fn listing(&mut self) -> Option<(Vec<SourcePath>, Vec<Diagnostic>)> {
        if self.walk {
            return None;
        }
        // Moved, not copied: `take` needs only positions then.
        self.listed = true;
        Some((
            std::mem::take(&mut self.last.files),
            std::mem::take(&mut self.last.walk_diagnostics),
        ))
    }

    /// The last build's record of `file`, the `position`th file of this build, when nothing
    /// was reported at its path since. A symlinked post is always read again: a change to its
    /// target is reported at the target's path.
    pub(crate) fn take(&mut self, file: &SourcePath, position: usize) -> Option<Kept> {
        let i = if self.listed {
            if file.symlink {
                return None;
            }
            position
        } else {
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
            if last.symlink || file.symlink || last.path != file.path {
                return None;
            }
            i
        };
        if *self.changed.get(i)? {
            return None;
        }
        // Taken once: a second ask (there is none; files are unique) would read the file.
        self.changed[i] = true;
        Some(std::mem::take(self.last.records.get_mut(i)?))
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
        // A new listing may have files before these: positions shift (the last listing,
        // handed on, has them where they were).
        let shift = usize::from(walk);
        let reused = files
            .iter()
            .enumerate()
            .filter(|(i, f)| reuse.take(f, *i + shift).is_some())
            .map(|(_, f)| f)
            .map(|f| f.relative.clone())
            .collect();
        (walk, reused)
    }

    /// A resident build saves its cache after its report, on a thread of its own: the next
    /// build waits for it and reads it, and a save that failed is reported by the next build.
    #[test]
    fn the_cache_saved_after_a_build_is_the_next_builds() {
        let dir = tempfile::tempdir().unwrap();
        let posts = dir.path().join("posts");
        std::fs::create_dir(&posts).unwrap();
        std::fs::write(posts.join("2024-01-02-a.md"), "---\ntitle: A\n---\nA.\n").unwrap();
        let options = options(&posts);
        let mut resident = Resident::default();
        let first = crate::build::rebuild(&options, &mut resident, &Changes::Unknown).unwrap();
        assert_eq!(first.entries_rendered, 1);
        assert!(resident.finish_saving().is_none());
        assert!(options
            .out_dir
            .join(".frontfeed/cache/fragments.index")
            .is_file());
        // A build from the command line finds the entry in the saved cache.
        let next = crate::build::build(&options).unwrap();
        assert_eq!(next.entries_rendered, 0);

        // The cache's folder cannot be made: the build after the failed save says so.
        let out = dir.path().join("other-out");
        std::fs::create_dir_all(out.join(".frontfeed")).unwrap();
        std::fs::write(out.join(".frontfeed/cache"), "not a folder").unwrap();
        let options = BuildOptions {
            out_dir: out,
            ..options
        };
        let mut resident = Resident::default();
        let warned = |report: &crate::options::BuildReport| {
            report
                .diagnostics
                .iter()
                .any(|d| d.message.starts_with("cannot save the cache"))
        };
        let first = crate::build::rebuild(&options, &mut resident, &Changes::Unknown).unwrap();
        assert!(!warned(&first), "reported before the save");
        let second = crate::build::rebuild(&options, &mut resident, &Changes::Unknown).unwrap();
        assert!(warned(&second), "{:?}", second.diagnostics);
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
