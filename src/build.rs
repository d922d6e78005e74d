//! The whole pipeline: source → front matter → entry → feeds → render → writers → output.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use thiserror::Error;

use crate::cache::Cache;
use crate::diagnostics::{Diagnostic, FileDiagnostics, Severity};
use crate::entry::{self, EntryMeta, PostOutcome};
pub use crate::options::{BuildOptions, BuildReport, ProgressHook};
use crate::output::{self, FeedSink};
use crate::plan::FeedPlan;
use crate::publish::{self, PostSource};
pub use crate::resident::{Changes, Resident};
use crate::slug::slugify;
use crate::source::{self, SourcePath};
use crate::state;

/// Problems that stop a build before it starts.
#[derive(Debug, Error)]
pub enum BuildError {
    /// The posts folder is missing, a file, or unreadable.
    #[error("the posts folder `{}` {message}", path.display())]
    PostsDir {
        /// The posts folder as given.
        path: PathBuf,
        /// What is wrong with it, in the user's terms.
        message: String,
    },
    /// The output folder cannot be used (it holds the posts, or is inside them).
    #[error("the output folder `{}` {message}", path.display())]
    OutDir {
        /// The output folder as given.
        path: PathBuf,
        /// What is wrong with it, in the user's terms.
        message: String,
    },
    /// The output folder exists (or was chosen) but cannot be written at all.
    #[error("{}", out_unwritable(path, source))]
    OutUnwritable {
        /// The output folder as given.
        path: PathBuf,
        /// Why it cannot be written.
        #[source]
        source: std::io::Error,
    },
}

/// Why `posts` cannot be read as the posts folder, in the user's terms (one wording for
/// `build`, `check` and `watch`); `None` when it is a folder.
pub fn posts_folder_problem(posts: &Path) -> Option<BuildError> {
    let message = match std::fs::metadata(posts) {
        Ok(meta) if meta.is_dir() => return None,
        Ok(_) => "is a file, but a folder of posts is needed; name the folder with --posts DIR"
            .to_string(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            "does not exist: create it (`frontfeed init` writes one with an example post), or \
             name yours with --posts DIR"
                .to_string()
        }
        Err(e) => format!("cannot be read: {}", output::describe(&e)),
    };
    Some(BuildError::PostsDir {
        path: posts.to_path_buf(),
        message,
    })
}

/// The output folder cannot be used: a file in its place, or the reason in words.
fn out_unwritable(path: &Path, source: &std::io::Error) -> String {
    let file = path
        .ancestors()
        .filter(|p| !p.as_os_str().is_empty())
        .find(|p| std::fs::metadata(p).is_ok_and(|m| !m.is_dir()));
    match file {
        Some(file) => format!(
            "`{}` is a file, but a folder is needed there (for the feeds; choose another with \
             --out DIR)",
            file.display()
        ),
        None => format!(
            "cannot write feeds into `{}`: {}",
            path.display(),
            output::describe(source)
        ),
    }
}

/// Runs the whole pipeline. Problems with single posts are reported in the report and leave
/// only those posts out; problems writing a feed are reported and counted in `files_failed`.
///
/// The output folder is locked for the whole build (a second build of it waits), files
/// frontfeed did not write are never replaced, and the feeds of an earlier build that no
/// feed writes any more (a category without posts) are removed: `out/.frontfeed/manifest`
/// lists what frontfeed wrote.
///
/// # Errors
///
/// Before anything is read: [`BuildError::PostsDir`] when the posts folder is not a readable
/// folder, [`BuildError::OutDir`] when the output folder is one frontfeed refuses, and
/// [`BuildError::OutUnwritable`] when it cannot be created or locked.
pub fn build(options: &BuildOptions) -> Result<BuildReport, BuildError> {
    build_with(options, None)
}

/// [`build`] in a process that stays up between builds (`frontfeed watch`): `resident` keeps
/// each build's reading of the posts, and `changes`, what a file watcher saw since the last
/// build, says which of it still holds, so that only the files that changed are read again
/// (see [`Resident`]). The feeds are the same as [`build`]'s.
///
/// # Errors
///
/// As [`build`].
pub fn rebuild(
    options: &BuildOptions,
    resident: &mut Resident,
    changes: &Changes,
) -> Result<BuildReport, BuildError> {
    build_with(options, Some((resident, changes)))
}

fn build_with(
    options: &BuildOptions,
    resident: Option<(&mut Resident, &Changes)>,
) -> Result<BuildReport, BuildError> {
    let (mut resident, changes) = resident.unzip();
    check_folders(&options.posts_dir, &options.out_dir)?;
    // The last build's cache must be on disk before this build reads it, and its lock let go
    // of (the save holds it).
    let last_save = resident.as_deref_mut().and_then(Resident::finish_saving);
    let out = &options.out_dir;
    let out_error = |source: std::io::Error| BuildError::OutUnwritable {
        path: out.clone(),
        source,
    };
    let (lock, waited) = state::lock(out).map_err(out_error)?;
    state::sweep_temporary_files(out);
    let previous = state::read_manifest(out).unwrap_or_default();
    let sink = state::GuardedSink {
        inner: &output::FileSystem,
        out,
        ours: &previous,
    };
    let continuing = resident
        .as_deref_mut()
        .zip(changes)
        .map(|(resident, changes)| Continuing {
            reuse: resident.reusable(options, changes),
            resident,
        });
    // A rebuild that reuses the resident reading needs no record of the cache's post layer:
    // that layer is neither read nor written (the next build from the command line finds
    // the files edited meanwhile by their mtimes and reads them).
    let with_posts = continuing.as_ref().is_none_or(|c| c.reuse.is_none());
    let cache = options
        .use_cache
        .then(|| Cache::load(out, options, with_posts));
    let (mut report, unneeded) = run_pipeline_unfreed(
        options,
        &PostSource::Files,
        &sink,
        cache.as_ref(),
        continuing,
    );
    if let Some(e) = last_save {
        report.diagnostics.push(cache_not_saved(out, &e));
    }
    if waited {
        report.diagnostics.insert(
            0,
            Diagnostic::new(
                Severity::Note,
                Some(out.clone()),
                None,
                "waited for another frontfeed build of this folder to finish".into(),
            ),
        );
    }
    let planned: BTreeSet<String> = report
        .outputs
        .iter()
        .map(|p| state::manifest_name(p))
        .collect();
    let (removed, failed) = state::remove_stale(out, &previous, &planned);
    report.files_removed = removed;
    // A stale file that could not be removed stays listed, to be tried again next time.
    let mut listed = planned;
    for (path, e) in failed {
        report.diagnostics.push(Diagnostic::new(
            Severity::Error,
            Some(path.clone()),
            None,
            format!("cannot remove stale feed: {e}"),
        ));
        report.files_failed += 1;
        if let Ok(relative) = path.strip_prefix(out) {
            listed.insert(state::manifest_name(relative));
        }
    }
    if let Err(e) = state::write_manifest(out, &listed) {
        report.diagnostics.push(Diagnostic::new(
            Severity::Error,
            Some(out.join(state::STATE_DIR)),
            None,
            format!("cannot write the manifest: {e}"),
        ));
        report.files_failed += 1;
    }
    match (cache, resident) {
        // The feeds are all written: a process that stays up saves the cache while it waits
        // for the next change, holding the lock until the save is done (the next build
        // waits for it, see `Resident::finish_saving`).
        (Some(cache), Some(resident)) => resident.save_later(move || {
            let saved = cache.save();
            drop(lock);
            saved
        }),
        (Some(cache), None) => {
            if let Err(e) = cache.save() {
                report.diagnostics.push(cache_not_saved(out, &e));
            }
        }
        (None, _) => {}
    }
    // Freed after the cache is saved: the save's two halves then have both threads.
    free_in_background(unneeded);
    Ok(report)
}

/// What is said of a cache that could not be saved, before the reason.
pub const CACHE_NOT_SAVED: &str = "cannot save the cache (the next build reads everything again)";

/// The warning for a cache that could not be saved.
fn cache_not_saved(out: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::new(
        Severity::Warning,
        Some(out.join(state::STATE_DIR)),
        None,
        format!("{CACHE_NOT_SAVED}: {e}"),
    )
}

/// [`build`], writing the feed files through `sink`.
///
/// # Errors
///
/// [`BuildError::PostsDir`] and [`BuildError::OutDir`], as [`build`] checks them.
pub fn build_into(options: &BuildOptions, sink: &dyn FeedSink) -> Result<BuildReport, BuildError> {
    check_folders(&options.posts_dir, &options.out_dir)?;
    Ok(run_pipeline(options, &PostSource::Files, sink))
}

/// The pipeline without the output-folder safety checks: for sinks that write nowhere
/// ([`crate::check()`] builds into memory).
pub(crate) fn build_unchecked(
    options: &BuildOptions,
    sink: &dyn FeedSink,
) -> Result<BuildReport, BuildError> {
    if let Some(problem) = posts_folder_problem(&options.posts_dir) {
        return Err(problem);
    }
    Ok(run_pipeline(options, &PostSource::Files, sink))
}

/// [`run_pipeline_unfreed`] for the builds without a cache or a resident state (into a sink,
/// into memory), freeing what it planned in the background.
fn run_pipeline(
    options: &BuildOptions,
    source: &PostSource<'_>,
    sink: &dyn FeedSink,
) -> BuildReport {
    let (report, unneeded) = run_pipeline_unfreed(options, source, sink, None, None);
    free_in_background(unneeded);
    report
}

/// Freeing every entry's strings takes milliseconds that the caller need not wait for (and a
/// process that exits first need not spend).
fn free_in_background(unneeded: Option<crate::resident::Finished>) {
    if let Some(finished) = unneeded {
        rayon::spawn(move || drop(finished));
    }
}

/// The one pipeline every entry point runs: read every post (phase 1), plan the feeds, render
/// the selected entries and write the feeds (phase 2). Gives back what it planned when no
/// resident state keeps it, for the caller to free.
fn run_pipeline_unfreed(
    options: &BuildOptions,
    source: &PostSource<'_>,
    sink: &dyn FeedSink,
    cache: Option<&Cache>,
    continuing: Option<Continuing<'_>>,
) -> (BuildReport, Option<crate::resident::Finished>) {
    let mut report = BuildReport::default();
    let (mut resident, mut reuse) = match continuing {
        Some(Continuing { resident, reuse }) => (Some(resident), reuse),
        None => (None, None),
    };
    let read = read_posts(options, source, cache, reuse.as_mut(), &mut report);
    let now = options.now.timestamp();
    let carried = reuse
        .as_mut()
        .filter(|_| !options.report_links)
        .and_then(|reuse| reuse.carry_over(&read.fresh, &read.entries, now));
    let ReadPosts {
        files,
        walk_diagnostics,
        mut entries,
        diagnostics,
        fresh: _,
    } = read;
    match resident.as_deref_mut() {
        Some(resident) => {
            report
                .diagnostics
                .extend(diagnostics.iter().flatten().cloned());
            // Shared, not copied: the entries are the same values next time. A carried-over
            // plan needs them no more, so they move.
            let records = if carried.is_some() {
                std::mem::take(&mut entries)
                    .into_iter()
                    .zip(diagnostics)
                    .collect()
            } else {
                entries.iter().cloned().zip(diagnostics).collect()
            };
            resident.keep(options, files, walk_diagnostics, records);
        }
        None => {
            report.diagnostics.extend(diagnostics.into_iter().flatten());
            // The file list is not needed any more; what follows is the build's peak memory.
            drop(files);
        }
    }
    let (mut finished, position) = match carried {
        Some((finished, position)) => {
            // Reported as finishing and planning reported it.
            report
                .diagnostics
                .extend(finished.finish_diagnostics.iter().cloned());
            report
                .diagnostics
                .extend(finished.plan_diagnostics.iter().cloned());
            report.future_posts = finished.future_posts;
            report.entries = finished.entries.len();
            report.feeds = finished.plans.len();
            (finished, Some(position))
        }
        None => (finish_and_plan(entries, options, &mut report), None),
    };
    publish::publish(
        publish::Planned {
            plans: &finished.plans,
            entries: &finished.entries,
            known_keys: &mut finished.known_keys,
        },
        source,
        options,
        sink,
        cache,
        &mut report,
    );
    let unneeded = match resident {
        Some(resident) => {
            let position = position.unwrap_or_else(|| resident.positions(&finished.entries));
            resident.keep_finished(finished, position);
            None
        }
        None => Some(finished),
    };
    sort_diagnostics(&mut report);
    (report, unneeded)
}

/// The end of phase 1 and the plan, with what each reported (also added to `report`).
fn finish_and_plan(
    entries: Vec<Option<Arc<EntryMeta>>>,
    options: &BuildOptions,
    report: &mut BuildReport,
) -> crate::resident::Finished {
    let mark = report.diagnostics.len();
    let (entries, next_release) = finish_entries(entries, options, report);
    let finish_diagnostics = report.diagnostics[mark..].to_vec();
    let mark = report.diagnostics.len();
    let plans = plan(&entries, options, report);
    let plan_diagnostics = report.diagnostics[mark..].to_vec();
    crate::resident::Finished {
        entries,
        plans,
        known_keys: publish::KnownKeys::default(),
        finish_diagnostics,
        plan_diagnostics,
        future_posts: report.future_posts,
        now: options.now.timestamp(),
        next_release,
    }
}

fn sort_diagnostics(report: &mut BuildReport) {
    report
        .diagnostics
        .sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
}

/// What phase 1 read: per post file, in listing order, its entry and diagnostics.
struct ReadPosts {
    files: Vec<SourcePath>,
    walk_diagnostics: Vec<Diagnostic>,
    entries: Vec<Option<Arc<EntryMeta>>>,
    diagnostics: Vec<Vec<Diagnostic>>,
    /// With a resident state, the files read (the others came from it unread); else empty.
    fresh: Vec<usize>,
}

/// Phase 1: walk, read and normalize every post in parallel. With `reuse`, files nothing was
/// reported at since the last build are taken from the resident state unread.
fn read_posts(
    options: &BuildOptions,
    source: &PostSource<'_>,
    cache: Option<&Cache>,
    mut reuse: Option<&mut crate::resident::Reuse>,
    report: &mut BuildReport,
) -> ReadPosts {
    if let PostSource::Memory { posts, .. } = source {
        report.files_read = posts.len();
        report.posts_parsed = posts.len();
        let (entries, diagnostics) = posts
            .par_iter()
            .map(|(relative, bytes)| {
                let file = SourcePath {
                    path: options.posts_dir.join(relative),
                    relative: relative.clone(),
                    symlink: false,
                };
                let hash = entry::hash_source(bytes);
                let (entry, diagnostics) = normalize_post(&file, bytes, hash, options);
                (entry.map(Arc::new), diagnostics)
            })
            .unzip();
        return ReadPosts {
            files: Vec::new(),
            walk_diagnostics: Vec::new(),
            entries,
            diagnostics,
            fresh: Vec::new(),
        };
    }
    let (files, walk_diagnostics) = reuse
        .as_deref_mut()
        .and_then(crate::resident::Reuse::listing)
        .unwrap_or_else(|| {
            source::list_posts_and_drafts(&options.posts_dir, options.site.show_drafts)
        });
    report.files_read = files.len();
    report.diagnostics.extend(walk_diagnostics.iter().cloned());

    if let Some(cache) = cache {
        cache.expect_posts(files.len());
    }
    let parsed = std::sync::atomic::AtomicUsize::new(0);
    let mut entries: Vec<Option<Arc<EntryMeta>>> = Vec::with_capacity(files.len());
    let mut diagnostics: Vec<Vec<Diagnostic>> = Vec::with_capacity(files.len());
    let mut fresh = Vec::new();
    // In slices of files, so that the records read from the cache for one slice are all that
    // is held besides the entries.
    const SLICE: usize = 4096;
    for (number, slice) in files.chunks(SLICE).enumerate() {
        // What the resident state holds unchanged needs no stat and no read.
        let kept: Vec<Option<crate::resident::Kept>> = match reuse.as_deref_mut() {
            Some(reuse) => {
                let kept: Vec<_> = slice
                    .iter()
                    .enumerate()
                    .map(|(i, file)| reuse.take(file, number * SLICE + i))
                    .collect();
                // Only a carry-over asks which files were read: without a resident state,
                // every file is.
                fresh.extend(
                    kept.iter()
                        .enumerate()
                        .filter(|(_, kept)| kept.is_none())
                        .map(|(i, _)| number * SLICE + i),
                );
                kept
            }
            None => slice.iter().map(|_| None).collect(),
        };
        // Each file's stamp (taken before it is read: a change during the read leaves a stale
        // record, never a wrong one), and the records of the files the cache knows as they
        // are, read in one pass over the pack.
        let (stamps, remembered): (Vec<_>, Vec<_>) = match cache {
            Some(cache) => {
                let (stamps, places): (Vec<_>, Vec<_>) = slice
                    .par_iter()
                    .zip(&kept)
                    .map(|(file, kept)| {
                        if kept.is_some() {
                            return (None, None);
                        }
                        cache.post_place(&file.relative, &file.path)
                    })
                    .unzip();
                (stamps, cache.read_posts(&places))
            }
            None => slice.iter().map(|_| (None, None)).unzip(),
        };
        let (slice_entries, slice_diagnostics): (Vec<_>, Vec<_>) = slice
            .par_iter()
            .zip(kept)
            .zip(stamps)
            .zip(remembered)
            .map(|(((file, kept), before), remembered)| {
                if let Some(kept) = kept {
                    return kept;
                }
                if let Some(hit) = remembered {
                    let (entry, diagnostics) = *hit;
                    return (entry.map(Arc::new), diagnostics);
                }
                let loaded = load_post_hashed(file, options, cache);
                let (entry, diagnostics) = (loaded.entry, loaded.diagnostics);
                if !loaded.from_cache {
                    parsed.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
                if let (Some(cache), Some(before), Some(hash), false) = (
                    cache,
                    before.or(loaded.stamp),
                    loaded.hash,
                    loaded.from_cache,
                ) {
                    cache.remember_post(&file.relative, before, hash, entry.as_ref(), &diagnostics);
                }
                (entry.map(Arc::new), diagnostics)
            })
            .unzip();
        entries.extend(slice_entries);
        diagnostics.extend(slice_diagnostics);
    }
    report.posts_parsed = parsed.into_inner();
    ReadPosts {
        files,
        walk_diagnostics,
        entries,
        diagnostics,
        fresh,
    }
}

/// A build in a resident process: its state, and what this build may take from it.
struct Continuing<'a> {
    resident: &'a mut Resident,
    reuse: Option<crate::resident::Reuse>,
}

/// The end of phase 1: collect, de-duplicate ids, hold back future posts, sort. Also gives
/// the first date after "now" of any post (until then the same posts are held back).
fn finish_entries(
    maybe_entries: Vec<Option<Arc<EntryMeta>>>,
    options: &BuildOptions,
    report: &mut BuildReport,
) -> (Vec<Arc<EntryMeta>>, Option<i64>) {
    let mut entries: Vec<Arc<EntryMeta>> = maybe_entries.into_iter().flatten().collect();
    report
        .diagnostics
        .extend(resolve_collisions(&mut entries, &options.posts_dir));
    apply_data_authors(
        &mut entries,
        &source::site_dir(&options.posts_dir).join("_data"),
    );
    let now = options.now;
    // Jekyll compares whole seconds: `date.to_i > site.time.to_i`.
    let in_future = |e: &EntryMeta| e.jekyll_date.timestamp() > now.timestamp();
    let next_release = entries
        .iter()
        .map(|e| e.jekyll_date.timestamp())
        .filter(|&t| t > now.timestamp())
        .min();
    for entry in entries.iter().filter(|e| in_future(e)) {
        let message = if options.site.future {
            format!(
                "dated in the future ({}); published because `future: true`",
                entry.published.to_rfc3339()
            )
        } else {
            format!(
                "dated in the future ({}); held back until then, as Jekyll does (`future: true` \
                 publishes it)",
                entry.published.to_rfc3339()
            )
        };
        report.diagnostics.push(Diagnostic::new(
            Severity::Note,
            Some(options.posts_dir.join(&entry.source)),
            entry.date_line,
            message,
        ));
    }
    if !options.site.future {
        let before = entries.len();
        entries.retain(|e| !in_future(e));
        report.future_posts = before - entries.len();
    }
    crate::plan::sort_entries(&mut entries);
    if options.report_links {
        report.links = entries
            .iter()
            .map(|e| (e.source.clone(), e.link.clone()))
            .collect();
        report.links.sort();
    }
    report.entries = entries.len();
    if entries.is_empty() {
        report.diagnostics.push(Diagnostic::new(
            Severity::Warning,
            Some(options.posts_dir.clone()),
            None,
            "no posts became entries: the feeds are empty".into(),
        ));
    }
    (entries, next_release)
}

/// The whole pipeline on posts held in memory (`(path inside posts/, bytes)`), returning
/// each feed file's path and its bytes, sorted by path, instead of writing them. The file
/// system is never touched: fuzzing, benchmarks and tests use it.
pub fn build_in_memory(
    posts: &[(String, Vec<u8>)],
    options: &BuildOptions,
) -> (Vec<(PathBuf, Vec<u8>)>, BuildReport) {
    let sink = output::MemorySink::default();
    let report = run_pipeline(options, &PostSource::memory(posts), &sink);
    (sink.into_files(), report)
}

/// `author: alice` names an entry of `_data/authors.yml` (or `.yaml`, `.json`), as jekyll-feed
/// reads it: its `name`, `email` and `uri` replace the bare name.
fn apply_data_authors(entries: &mut [Arc<EntryMeta>], data_dir: &Path) {
    if !entries.iter().any(|e| e.author.is_some()) {
        return;
    }
    let authors: Option<serde_yaml::Value> = ["authors.yml", "authors.yaml", "authors.json"]
        .iter()
        .map(|name| data_dir.join(name))
        .find(|path| path.is_file())
        .and_then(|path| std::fs::read_to_string(path).ok())
        .and_then(|text| serde_yaml::from_str(&text).ok());
    let Some(serde_yaml::Value::Mapping(authors)) = authors else {
        return;
    };
    for entry in entries.iter_mut() {
        let Some(author) = &entry.author else {
            continue;
        };
        if author.email.is_some() || author.uri.is_some() {
            continue;
        }
        let Some(serde_yaml::Value::Mapping(found)) = authors.get(author.name.as_str()) else {
            continue;
        };
        let field = |key: &str| {
            found
                .get(key)
                .and_then(crate::front_matter::scalar_text)
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
        };
        let email = field("email").filter(|e| crate::config::looks_like_email(e));
        let uri = field("uri")
            .or_else(|| field("url"))
            .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
            .map(|u| crate::uri::strict_uri(&u));
        Arc::make_mut(entry).author = Some(crate::config::Person {
            name: field("name").unwrap_or_else(|| author.name.clone()),
            email,
            uri,
        });
    }
}

/// Phase 2: decide which feeds exist and which entries each carries.
fn plan(
    entries: &[Arc<EntryMeta>],
    options: &BuildOptions,
    report: &mut BuildReport,
) -> Vec<FeedPlan> {
    let (plans, clashes) = crate::plan::plan_feeds(entries, &options.site);
    for clash in clashes {
        let folder = clash.kind.folder();
        report.diagnostics.push(Diagnostic::new(
            Severity::Warning,
            None,
            None,
            format!(
                "{:?} and {:?} would share the feed {folder}/{}/; {:?} gets {folder}/{}/ \
                 instead (choose its slug with `slugs:` in the config)",
                clash.kept.0, clash.moved.0, clash.kept.1, clash.moved.0, clash.moved.1
            ),
        ));
    }
    report.feeds = plans.len();
    plans
}

fn check_folders(posts: &Path, out: &Path) -> Result<(), BuildError> {
    if let Some(problem) = posts_folder_problem(posts) {
        return Err(problem);
    }
    let posts_abs = posts.canonicalize().map_err(|e| BuildError::PostsDir {
        path: posts.to_path_buf(),
        message: format!("cannot be read: {}", output::describe(&e)),
    })?;
    let out_abs = canonical_even_if_missing(out);
    let refuse = |message: &str| {
        Err(BuildError::OutDir {
            path: out.to_path_buf(),
            message: message.to_string(),
        })
    };
    // A Jekyll site's posts are only in its `_posts` folders, so the output may sit in the
    // site (as `_site` does), only not in a `_posts` folder.
    let inside_posts = if source::is_jekyll_site(posts) {
        out_abs.strip_prefix(&posts_abs).is_ok_and(|rest| {
            rest.as_os_str().is_empty() || rest.components().any(|c| c.as_os_str() == "_posts")
        })
    } else {
        out_abs.starts_with(&posts_abs)
    };
    if inside_posts {
        return refuse("is the posts folder or inside it; choose another with --out");
    }
    if out_abs.parent().is_none() {
        return refuse("is the file system root; choose another with --out");
    }
    if std::env::var_os("HOME").is_some_and(|home| Path::new(&home) == out_abs) {
        return refuse("is the home folder; choose another with --out");
    }
    Ok(())
}

/// Resolves `..` and symlinks through the part of `path` that exists.
pub fn canonical_even_if_missing(path: &Path) -> PathBuf {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().map_or_else(|_| path.to_path_buf(), |d| d.join(path))
    };
    let mut missing = Vec::new();
    let mut existing = absolute.as_path();
    loop {
        if let Ok(real) = existing.canonicalize() {
            let mut result = real;
            for part in missing.iter().rev() {
                result.push(part);
            }
            return result;
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                missing.push(name.to_os_string());
                existing = parent;
            }
            _ => return absolute,
        }
    }
}

/// A post file read in phase 1.
struct LoadedPost {
    entry: Option<EntryMeta>,
    diagnostics: Vec<Diagnostic>,
    /// The hash of its bytes, when they could be read.
    hash: Option<u64>,
    /// The cache knew these bytes: they were not parsed again.
    from_cache: bool,
    /// The file's size and mtime before it was read.
    stamp: Option<crate::cache::FileStamp>,
}

/// Reads and normalizes a post, also giving its content hash. With `cache`, a file whose
/// bytes hash as the cache remembers is not parsed again.
fn load_post_hashed(
    file: &SourcePath,
    options: &BuildOptions,
    cache: Option<&Cache>,
) -> LoadedPost {
    let mut diag = FileDiagnostics::new(file.path.clone());
    let (bytes, stamp) =
        match source::read_limited_with_metadata(&file.path, options.site.max_post_bytes) {
            Ok((bytes, metadata)) => (bytes, crate::cache::FileStamp::of(&metadata)),
            Err(e) => {
                diag.error(None, e.to_string());
                return LoadedPost {
                    entry: None,
                    diagnostics: diag.items,
                    hash: None,
                    from_cache: false,
                    stamp: None,
                };
            }
        };
    let hash = entry::hash_source(&bytes);
    let cached = cache.and_then(|c| c.post_with_hash(&file.relative, hash));
    let from_cache = cached.is_some();
    let (entry, diagnostics) =
        cached.unwrap_or_else(|| normalize_post(file, &bytes, hash, options));
    LoadedPost {
        entry,
        diagnostics,
        hash: Some(hash),
        from_cache,
        stamp,
    }
}

fn normalize_post(
    file: &SourcePath,
    bytes: &[u8],
    hash: u64,
    options: &BuildOptions,
) -> (Option<EntryMeta>, Vec<Diagnostic>) {
    let mut diag = FileDiagnostics::new(file.path.clone());
    // A bug in a parser must cost one post, not the build: a panic becomes that post's error.
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        entry::normalize(file, bytes, hash, &options.site, &mut diag)
    }));
    let entry = match outcome {
        // The entry holds no body: bodies are read again when rendered, and only for the
        // entries some feed selects, so the corpus is never held in memory.
        Ok(PostOutcome::Entry(entry)) => Some(*entry),
        Ok(PostOutcome::Skipped | PostOutcome::Failed) => None,
        Err(_) => {
            diag.error(
                None,
                "internal error while reading this post; it was left out",
            );
            None
        }
    };
    (entry, diag.items)
}

/// Two posts must never share an id. The post whose source path sorts first keeps it; each
/// other one gets the id plus a suffix made from its own source path, which stays the same
/// from build to build. Shared permalinks are reported (one page would overwrite the other).
fn resolve_collisions(entries: &mut [Arc<EntryMeta>], posts_dir: &Path) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.sort_by(|&a, &b| entries[a].source.cmp(&entries[b].source));

    // Keyed by a 128-bit hash, not a copy of each string: on a 100,000-post site three maps of
    // copied links, ids and guids were the build's peak memory.
    let key = |s: &str| xxhash_rust::xxh3::xxh3_128(s.as_bytes());
    // The links' keys hashed in parallel: this step runs while the other thread waits.
    let link_keys: Vec<u128> = entries.par_iter().map(|e| key(&e.link)).collect();
    let mut first_with_link: crate::hashed::HashedMap<usize> =
        crate::hashed::map_with_capacity(entries.len());
    for &i in &order {
        if let Some(&first) = first_with_link.get(&link_keys[i]) {
            diagnostics.push(Diagnostic::new(
                Severity::Warning,
                Some(posts_dir.join(&entries[i].source)),
                None,
                format!(
                    "permalink {} is also the permalink of {}",
                    entries[i].link, entries[first].source
                ),
            ));
        } else {
            first_with_link.insert(link_keys[i], i);
        }
    }
    drop(first_with_link);
    drop(link_keys);

    let (id_keys, guid_keys): (Vec<u128>, Vec<u128>) = entries
        .par_iter()
        .map(|e| (key(&e.id), key(&e.guid)))
        .unzip();
    let mut first_with_id: crate::hashed::HashedMap<usize> =
        crate::hashed::map_with_capacity(entries.len());
    let mut first_with_guid = crate::hashed::HashedSet::with_capacity_and_hasher(
        entries.len(),
        std::hash::BuildHasherDefault::default(),
    );
    for &i in &order {
        // Percent-encoded, so a path like `财经/a.md` still gives a plain-ASCII URI.
        let suffix = |source: &str| crate::slug::url_segment(&slugify(source));
        let (mut id_key, mut guid_key) = (id_keys[i], guid_keys[i]);
        let taken_by = first_with_id.get(&id_key).copied();
        if let Some(first) = taken_by {
            let new_id = with_suffix(&entries[i].id, &suffix(&entries[i].source));
            diagnostics.push(Diagnostic::new(
                Severity::Warning,
                Some(posts_dir.join(&entries[i].source)),
                None,
                format!(
                    "id {} is also the id of {}; this post's id is {new_id}",
                    entries[i].id, entries[first].source
                ),
            ));
            id_key = key(&new_id);
            Arc::make_mut(&mut entries[i]).id = new_id;
        }
        if first_with_guid.contains(&guid_key) {
            let guid = with_suffix(&entries[i].guid, &suffix(&entries[i].source));
            guid_key = key(&guid);
            let entry = Arc::make_mut(&mut entries[i]);
            entry.guid = guid;
            entry.guid_is_permalink = false;
        }
        first_with_id.insert(id_key, i);
        first_with_guid.insert(guid_key);
    }
    diagnostics
}

/// A distinct id derived from `id`: a fragment on http(s) URLs (readers and validators accept
/// those), a name-based `urn:uuid:` for anything else (URNs may not carry `#`).
fn with_suffix(id: &str, suffix: &str) -> String {
    let is_http = id.starts_with("http://") || id.starts_with("https://");
    match (is_http, id.contains('#')) {
        (true, false) => format!("{id}#{suffix}"),
        (true, true) => format!("{id}-{suffix}"),
        (false, _) => crate::uri::name_based_urn(&format!("{id}#{suffix}")),
    }
}
