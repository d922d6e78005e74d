//! `frontfeed watch`: build, then rebuild after each real change to what a build reads.
//!
//! Watched: the posts folder (recursively), the config file (through its folder, since editors
//! replace a file on save and a config may appear later), and, beside the posts folder when
//! they exist at the start, `_includes/` and `_data/` (recursively) and `_config.yml`.
//!
//! A change is a file or folder created, written, deleted or renamed. Ignored: reads (access,
//! open and close events: every build reads the posts and the config, and reacting to that
//! would rebuild forever), metadata-only changes (atime, mode, a bare `touch`), hidden files and
//! folders under the posts folder (the build skips them too: editor swap files, other tools'
//! temporary files), and everything under the out folder (the feeds, the cache, the lock and
//! the manifest in `.frontfeed/`, temporary files), even when it sits inside a watched folder.
//! Changes are debounced: a build starts once nothing changed for [`QUIET_PERIOD`].

use std::collections::BTreeSet;
use std::hash::{Hash, Hasher};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use frontfeed::build::Changes;
use notify::event::{Event, EventKind, ModifyKind};
use notify::{RecommendedWatcher, RecursiveMode, Watcher};

use super::{report_line, Failure, Outcome};

/// A build starts once no change came for this long, so that one save is one build.
const QUIET_PERIOD: Duration = Duration::from_millis(250);
/// ...or at the latest this long after the first change, when changes keep coming.
const MAX_DELAY: Duration = Duration::from_secs(2);
/// How often Ctrl-C is looked for while nothing happens.
const POLL: Duration = Duration::from_millis(200);

/// The paths `frontfeed watch` was given, as typed.
pub struct Site<'a> {
    pub posts: &'a Path,
    pub out: &'a Path,
    pub config: &'a Path,
}

/// Builds with `build`, then rebuilds after every change until Ctrl-C, telling each build what
/// changed since the last; returns the last build's outcome, or a usage error when the watch
/// cannot start.
pub fn run(site: &Site<'_>, quiet: bool, mut build: impl FnMut(&Changes) -> Outcome) -> Outcome {
    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = Arc::clone(&stop);
        if let Err(e) = ctrlc::set_handler(move || stop.store(true, Ordering::SeqCst)) {
            return Err(Failure::usage(format!("cannot catch Ctrl-C: {e}")));
        }
    }
    // Watching starts before the first build so that an edit saved during it is not missed;
    // a failure is reported after it, as before.
    let sources = Sources::new(site);
    let (tx, rx) = mpsc::channel();
    let watcher = start_watching(&sources, site.posts, tx);
    let mut last = build(&Changes::Unknown);
    let _watcher = match watcher {
        Ok((watcher, warnings)) => {
            if !quiet {
                for warning in warnings {
                    report_line(&mut std::io::stderr(), format_args!("warning: {warning}"));
                }
            }
            watcher
        }
        Err(message) => return Err(Failure::usage(message)),
    };
    if !quiet {
        report_line(
            &mut std::io::stderr(),
            format_args!(
                "frontfeed: watching {} and {} (Ctrl-C stops)",
                site.posts.display(),
                site.config.display()
            ),
        );
    }

    let mut pending = Pending::default();
    // Once the kernel's event queue has overflowed (thousands of posts read by one build can do
    // that), a fingerprint of the sources taken before each build tells whether a "rescan"
    // event hides a real change or only our own reads.
    let mut overflowed = false;
    let mut snapshot = None;
    while !stop.load(Ordering::SeqCst) {
        let timeout = pending
            .due()
            .map_or(POLL, |due| due.saturating_duration_since(Instant::now()))
            .min(POLL);
        match rx.recv_timeout(timeout) {
            Ok(Ok(event)) => {
                if event.need_rescan() {
                    pending.rescan();
                } else if is_change(event.kind) {
                    let paths: Vec<PathBuf> = event
                        .paths
                        .into_iter()
                        .filter(|p| sources.is_source(p))
                        .collect();
                    if !paths.is_empty() {
                        pending.change(paths);
                    }
                }
            }
            Ok(Err(e)) => {
                if !quiet {
                    report_line(&mut std::io::stderr(), format_args!("warning: watch: {e}"));
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
        if pending.due().is_some_and(|due| Instant::now() >= due) && !stop.load(Ordering::SeqCst) {
            let (changed, rescan) = pending.take();
            overflowed |= rescan;
            let current = overflowed.then(|| sources.fingerprint());
            if !changed.is_empty() || snapshot.is_none() || snapshot != current {
                snapshot = current;
                // Lost events (a rescan) leave only a build that looks at everything.
                let changes = if rescan || changed.is_empty() {
                    Changes::Unknown
                } else {
                    Changes::Paths(changed.into_iter().collect())
                };
                last = build(&changes);
            }
        }
    }
    if !quiet {
        report_line(
            &mut std::io::stderr(),
            format_args!("frontfeed: stopped watching"),
        );
    }
    last
}

/// Changes seen since the last build.
#[derive(Debug, Default)]
struct Pending {
    first: Option<Instant>,
    latest: Option<Instant>,
    /// The sources changes were seen at.
    changed: BTreeSet<PathBuf>,
    rescan: bool,
}

impl Pending {
    fn change(&mut self, paths: Vec<PathBuf>) {
        self.changed.extend(paths);
        self.touch();
    }

    fn rescan(&mut self) {
        self.rescan = true;
        self.touch();
    }

    fn touch(&mut self) {
        let now = Instant::now();
        self.first.get_or_insert(now);
        self.latest = Some(now);
    }

    /// When the next build should start, if one is pending.
    fn due(&self) -> Option<Instant> {
        Some((self.latest? + QUIET_PERIOD).min(self.first? + MAX_DELAY))
    }

    /// (the paths changes were seen at, the event queue overflowed), and forgets both.
    fn take(&mut self) -> (BTreeSet<PathBuf>, bool) {
        let taken = std::mem::take(self);
        (taken.changed, taken.rescan)
    }
}

/// Whether an event of this kind can change what a build reads. Reads (`Access`: open, close)
/// and metadata-only changes (atime, permissions, a bare `touch`) cannot.
fn is_change(kind: EventKind) -> bool {
    match kind {
        EventKind::Create(_) | EventKind::Remove(_) => true,
        EventKind::Modify(ModifyKind::Data(_) | ModifyKind::Name(_) | ModifyKind::Any) => true,
        EventKind::Modify(ModifyKind::Metadata(_) | ModifyKind::Other) => false,
        EventKind::Access(_) | EventKind::Other => false,
        // A backend that cannot tell what happened: rather one build too many than one missed.
        EventKind::Any => true,
    }
}

/// What a build reads, in absolute paths with symlinks resolved (the watches are set on these,
/// so events name paths under them).
#[derive(Debug)]
struct Sources {
    /// Folders whose non-hidden files and folders, at any depth, are sources.
    trees: Vec<PathBuf>,
    /// Single files, watched through their folders.
    files: Vec<PathBuf>,
    /// The out folder: nothing under it is a source, even inside a tree.
    out: PathBuf,
}

impl Sources {
    fn new(site: &Site<'_>) -> Sources {
        let posts = frontfeed::build::canonical_even_if_missing(site.posts);
        let mut trees = vec![posts.clone()];
        let mut files = vec![frontfeed::build::canonical_even_if_missing(site.config)];
        if let Some(root) = posts.parent() {
            for name in ["_includes", "_data"] {
                let dir = root.join(name);
                if dir.is_dir() {
                    trees.push(dir);
                }
            }
            let jekyll_config = root.join("_config.yml");
            if jekyll_config.is_file() {
                files.push(jekyll_config);
            }
        }
        Sources {
            trees,
            files,
            out: frontfeed::build::canonical_even_if_missing(site.out),
        }
    }

    /// The watches to set, the posts folder first: each tree recursively and each file's folder
    /// on its own, leaving out what another recursive watch covers already (watching a path
    /// again would replace its recursive watch with a flat one).
    fn watches(&self) -> Vec<(PathBuf, RecursiveMode)> {
        let mut watches: Vec<(PathBuf, RecursiveMode)> = Vec::new();
        for tree in &self.trees {
            let covered = self.trees.iter().any(|t| t != tree && tree.starts_with(t));
            if !covered && !watches.iter().any(|(w, _)| w == tree) {
                watches.push((tree.clone(), RecursiveMode::Recursive));
            }
        }
        for file in &self.files {
            let Some(dir) = file.parent() else { continue };
            let covered = self.trees.iter().any(|t| dir.starts_with(t));
            if !covered && !watches.iter().any(|(w, _)| w == dir) {
                watches.push((dir.to_path_buf(), RecursiveMode::NonRecursive));
            }
        }
        watches
    }

    /// Whether a change at `path` can change what a build reads.
    fn is_source(&self, path: &Path) -> bool {
        if self.files.iter().any(|f| f == path) {
            return true;
        }
        if self.is_ours(path) {
            return false;
        }
        self.trees.iter().any(|tree| {
            path.strip_prefix(tree)
                .is_ok_and(|inside| !inside.components().any(is_hidden))
        })
    }

    /// Whether `path` is in the out folder, which the build writes. A posts folder inside the
    /// out folder (`--out .`) is still the posts folder.
    fn is_ours(&self, path: &Path) -> bool {
        path.starts_with(&self.out)
            && !self
                .trees
                .iter()
                .any(|t| t.starts_with(&self.out) && path.starts_with(t))
    }

    /// A hash of every source's path, type, size and mtime; equal hashes mean nothing changed.
    fn fingerprint(&self) -> u64 {
        let mut hasher = std::hash::DefaultHasher::new();
        for tree in &self.trees {
            let walk = walkdir::WalkDir::new(tree)
                .follow_links(false)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|e| {
                    e.depth() == 0
                        || !(e.file_name().to_string_lossy().starts_with('.')
                            || self.is_ours(e.path()))
                });
            for entry in walk {
                match entry {
                    Ok(entry) => {
                        entry.path().hash(&mut hasher);
                        stamp(entry.metadata().ok()).hash(&mut hasher);
                    }
                    Err(e) => e.to_string().hash(&mut hasher),
                }
            }
        }
        for file in &self.files {
            file.hash(&mut hasher);
            stamp(std::fs::metadata(file).ok()).hash(&mut hasher);
        }
        hasher.finish()
    }
}

fn stamp(meta: Option<std::fs::Metadata>) -> Option<(bool, u64, Option<std::time::SystemTime>)> {
    meta.map(|m| (m.is_dir(), m.len(), m.modified().ok()))
}

fn is_hidden(component: Component<'_>) -> bool {
    matches!(component, Component::Normal(name) if name.to_string_lossy().starts_with('.'))
}

/// Sets the watches. Not being able to watch the posts folder is an error; the other watches
/// come back as warnings.
fn start_watching(
    sources: &Sources,
    posts: &Path,
    tx: mpsc::Sender<notify::Result<Event>>,
) -> Result<(RecommendedWatcher, Vec<String>), String> {
    // Symlinked folders are not followed: the build does not enter them either.
    let config = notify::Config::default().with_follow_symlinks(false);
    let mut watcher =
        RecommendedWatcher::new(tx, config).map_err(|e| format!("cannot watch: {e}"))?;
    let mut warnings = Vec::new();
    for (i, (path, mode)) in sources.watches().into_iter().enumerate() {
        if let Err(e) = watcher.watch(&path, mode) {
            if i == 0 {
                return Err(format!("cannot watch {}: {e}", posts.display()));
            }
            warnings.push(format!("cannot watch {}: {e}", path.display()));
        }
    }
    Ok((watcher, warnings))
}
