//! What a build is asked to do and what it did: the types every stage shares, low in the
//! module graph so that the stages depend on them and never on the orchestrator.

use std::path::PathBuf;

use chrono::{DateTime, FixedOffset};

use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Severity};

/// What to build, from where, to where.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The posts folder (or the Jekyll site's folder).
    pub posts_dir: PathBuf,
    /// The output folder.
    pub out_dir: PathBuf,
    /// The validated settings.
    pub site: SiteConfig,
    /// The `updated` time of a feed with no entries (from `SOURCE_DATE_EPOCH`, else 1970):
    /// never the clock, so rebuilds stay byte-identical.
    pub empty_feed_time: DateTime<FixedOffset>,
    /// Chunk sizes of the publish stage; the output does not depend on them.
    pub tuning: Tuning,
    /// Keep and use the incremental cache in `out/.frontfeed/cache` (the `cache` module).
    pub use_cache: bool,
    /// Fill [`BuildReport::links`] (`frontfeed check --links`).
    pub report_links: bool,
    /// Called as entries are rendered: (done, total).
    pub progress: Option<ProgressHook>,
    /// "Now" for Jekyll's `future` rule: posts dated after it are held back unless the site
    /// sets `future: true`. The command line takes it from `SOURCE_DATE_EPOCH`, else the
    /// clock at the start of the build, so the output is a function of the posts and it.
    pub now: DateTime<FixedOffset>,
}

impl BuildOptions {
    /// Options with the defaults: the cache on, "now" from the clock, no progress hook.
    pub fn new(posts_dir: PathBuf, out_dir: PathBuf, site: SiteConfig) -> Self {
        BuildOptions {
            posts_dir,
            out_dir,
            site,
            empty_feed_time: DateTime::UNIX_EPOCH.fixed_offset(),
            tuning: Tuning::default(),
            now: chrono::Utc::now().fixed_offset(),
            progress: None,
            use_cache: true,
            report_links: false,
        }
    }
}

impl BuildOptions {
    /// A hash of every setting what a build reads and renders depends on ("now", the
    /// progress hook and the tuning aside): equal hashes, equal readings.
    pub(crate) fn settings_fingerprint(&self) -> u64 {
        // Debug output of the whole configuration: every setting is in it. A change of its
        // format between versions only makes a cache miss (the cache also keys by binary).
        let text = format!(
            "{:?}|{:?}|{}",
            self.site,
            self.empty_feed_time,
            // Diagnostics name files by the posts folder as given.
            self.posts_dir.display()
        );
        xxhash_rust::xxh3::xxh3_64(text.as_bytes())
    }
}

/// A progress callback: (entries rendered, entries to render).
#[derive(Clone)]
pub struct ProgressHook(std::sync::Arc<dyn Fn(usize, usize) + Send + Sync>);

impl ProgressHook {
    /// A hook calling `f(done, total)`.
    pub fn new(f: impl Fn(usize, usize) + Send + Sync + 'static) -> Self {
        ProgressHook(std::sync::Arc::new(f))
    }

    /// Tells the hook how far rendering is.
    pub fn report(&self, done: usize, total: usize) {
        (self.0)(done, total);
    }
}

impl std::fmt::Debug for ProgressHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ProgressHook")
    }
}

/// What a build did.
#[derive(Debug, Default)]
pub struct BuildReport {
    /// Files found under the posts folder.
    pub files_read: usize,
    /// Posts that became entries.
    pub entries: usize,
    /// Posts left out because they are dated after [`BuildOptions::now`] (Jekyll's `future`).
    pub future_posts: usize,
    /// Feeds planned (each is written as RSS and as Atom).
    pub feeds: usize,
    /// Feed files whose bytes changed and were written.
    pub files_written: usize,
    /// Feed files that already held the same bytes.
    pub files_unchanged: usize,
    /// Feed files that could not be written (also reported as errors).
    pub files_failed: usize,
    /// Feed files of an earlier build that no feed writes any more, removed.
    pub files_removed: usize,
    /// Every feed file this build planned, relative to the output folder.
    pub outputs: Vec<PathBuf>,
    /// Post files read and parsed (the others came from the cache).
    pub posts_parsed: usize,
    /// Entries rendered (the others came from the cache, or no changed feed needed them).
    pub entries_rendered: usize,
    /// Every note, warning and error, ordered by file and line.
    pub diagnostics: Vec<Diagnostic>,
    /// With [`BuildOptions::report_links`]: each entry's post (inside the posts folder) and
    /// link, ordered by post.
    pub links: Vec<(String, String)>,
}

impl BuildReport {
    /// How many diagnostics have `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }

    /// True when `--strict` must fail: any warning or error.
    pub fn has_problems(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_problem)
    }
}

/// How the work is cut up. Any setting gives the same bytes (a test checks it); these only
/// trade memory and open files for speed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tuning {
    /// Entries rendered per step: enough to keep every core busy, few enough to keep memory
    /// flat (a chunk of reference-sized posts is a few MB).
    pub chunk: usize,
    /// Feeds open at once (two files each). Sites with more feeds are written in several
    /// passes; an entry carried by feeds of two passes is rendered twice.
    pub max_open_feeds: usize,
}

impl Default for Tuning {
    fn default() -> Self {
        Tuning {
            chunk: 256,
            max_open_feeds: 256,
        }
    }
}
