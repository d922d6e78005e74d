//! Publish: renders the entries the feeds selected and streams them into every feed file.
//!
//! Entries are taken newest first in chunks. Each chunk is rendered in parallel and every
//! entry is serialised once per format (its `<item>` and its `<entry>`); those bytes are then
//! appended to each feed that carries the entry, while the next chunk renders. Only one or
//! two chunks of bodies are in memory at a time, whatever the corpus size, and the output is
//! the same bytes as serialising each feed whole (tested in `writers` and `tests/`).

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::cache::{Cache, FragmentSource, WrittenSpots};
use crate::diagnostics::{Diagnostic, FileDiagnostics, Severity};
use crate::entry::{self, EntryMeta};
use crate::options::{BuildOptions, BuildReport};
use crate::output::{FeedFile, FeedSink, WriteOutcome};
use crate::plan::FeedPlan;
use crate::render::{self, Rendered, Renderer};
use crate::source;
use crate::text::{normalize_whitespace, truncate_chars, xml_safe};
use crate::writers::{FeedHead, FeedItem, FORMATS};

/// Where the posts come from: the posts folder, or posts held in memory (`(path inside the
/// posts folder, bytes)`). Both phases read through it: phase 1 reads every post, phase 2
/// reads a selected entry's body again (phase 1 keeps no bodies).
pub enum PostSource<'a> {
    /// The files of [`BuildOptions::posts_dir`].
    Files,
    /// Posts given to an in-memory build, and each one's bytes by path.
    Memory {
        /// The posts, in the order given.
        posts: &'a [(String, Vec<u8>)],
        /// Each post's bytes by its path.
        by_path: HashMap<&'a str, &'a [u8]>,
    },
}

impl<'a> PostSource<'a> {
    /// Posts held in memory.
    pub fn memory(posts: &'a [(String, Vec<u8>)]) -> Self {
        PostSource::Memory {
            posts,
            by_path: posts
                .iter()
                .map(|(relative, bytes)| (relative.as_str(), bytes.as_slice()))
                .collect(),
        }
    }

    /// An entry's post file, and whether it still has the bytes phase 1 read.
    fn load(
        &self,
        entry: &EntryMeta,
        options: &BuildOptions,
    ) -> Result<(Cow<'_, [u8]>, bool), source::ReadError> {
        match self {
            PostSource::Files => source::read_again(
                &options.posts_dir.join(&entry.source),
                options.site.max_post_bytes,
                entry.source_hash,
            )
            .map(|reread| (Cow::Owned(reread.bytes), reread.unchanged)),
            PostSource::Memory { by_path, .. } => by_path
                .get(entry.source.as_str())
                .map(|bytes| {
                    let unchanged = entry::hash_source(bytes) == entry.source_hash;
                    (Cow::Borrowed(*bytes), unchanged)
                })
                .ok_or(source::ReadError::Missing),
        }
    }
}

/// One entry, serialised in every format (in `FORMATS` order).
struct Fragments {
    index: usize,
    /// The entry's cache key, when there is a cache.
    key: Option<u128>,
    pieces: Vec<Piece>,
    /// The rendered HTML, which the pieces rendered now leave out (see
    /// [`crate::writers::Fragment`]).
    html: String,
}

/// One entry in one format: rendered now, or where an earlier build wrote it.
enum Piece {
    Bytes(crate::writers::Fragment),
    Cached(FragmentSource),
}

/// One feed file being written.
struct OpenFile {
    /// Its format's index in `FORMATS`.
    format: usize,
    path: PathBuf,
    /// The path inside `out/`, `/`-separated, as the cache and the manifest name it.
    relative: String,
    /// The cache's fingerprint of what the file holds.
    fingerprint: Option<u64>,
    /// Bytes written so far.
    written: u64,
    /// `None` once a write failed (the error is in `error`) or for an empty feed written whole.
    file: Option<Box<dyn FeedFile>>,
    error: Option<std::io::Error>,
    /// Bytes that close the document.
    suffix: Vec<u8>,
    /// Where each entry's fragment went in this file, for the cache.
    spots: WrittenSpots,
    /// A run of fragments to copy from an old feed file, grown while they are adjacent there.
    pending: Option<FragmentSource>,
}

impl OpenFile {
    /// Notes where an entry's fragment of `len` bytes goes (at the end of what is written so
    /// far), for the cache, and counts it as written.
    fn note_spot(&mut self, key: Option<u128>, len: u64) {
        if let (Some(key), Some(_)) = (key, self.fingerprint) {
            self.spots.push((key, self.format, self.written, len));
        }
        self.written += len;
    }

    /// Appends an entry's fragment as an earlier build wrote it (copied from the old file,
    /// together with the fragments adjacent to it there), and notes where it went.
    fn append_cached(&mut self, key: Option<u128>, source: &FragmentSource) {
        self.note_spot(key, source.len);
        if let Some(run) = &mut self.pending {
            if run.file_id == source.file_id && run.offset + run.len == source.offset {
                run.len += source.len;
                return;
            }
        }
        self.copy_pending();
        self.pending = Some(source.clone());
    }

    /// Appends fragments rendered now, noting where each went, with as few writes as the
    /// file takes: one vectored write instead of a copy of each into the file's buffer.
    fn append_rendered(&mut self, fragments: &[(Option<u128>, [&[u8]; 3])]) {
        if fragments.is_empty() {
            return;
        }
        self.copy_pending();
        let mut slices = Vec::with_capacity(fragments.len() * 3);
        for (key, pieces) in fragments {
            self.note_spot(*key, pieces.iter().map(|p| p.len() as u64).sum());
            slices.extend(
                pieces
                    .iter()
                    .filter(|p| !p.is_empty())
                    .map(|p| std::io::IoSlice::new(p)),
            );
        }
        if let Some(file) = &mut self.file {
            if let Err(e) = crate::output::write_all_vectored(file.as_mut(), &mut slices) {
                self.error = Some(e);
                self.file = None;
            }
        }
    }

    fn append(&mut self, bytes: &[u8]) {
        self.copy_pending();
        self.written += bytes.len() as u64;
        if let Some(file) = &mut self.file {
            if let Err(e) = file.write_all(bytes) {
                self.error = Some(e);
                self.file = None;
            }
        }
    }

    /// Copies the pending run of old fragments.
    fn copy_pending(&mut self) {
        let Some(run) = self.pending.take() else {
            return;
        };
        if let Some(file) = &mut self.file {
            if let Err(e) = file.copy_range(&run.file, run.offset, run.len) {
                self.error = Some(e);
                self.file = None;
            }
        }
    }

    fn finish(mut self, cache: Option<&Cache>) -> (PathBuf, std::io::Result<WriteOutcome>) {
        let suffix = std::mem::take(&mut self.suffix);
        self.append(&suffix);
        if let Some(cache) = cache {
            // Later feeds may still copy fragments from the file this one replaces.
            cache.keep_open(&self.relative);
        }
        let outcome = match (self.error, self.file) {
            (Some(e), _) => Err(e),
            (None, Some(file)) => file.finish(),
            (None, None) => Err(std::io::Error::other("internal error: file was not opened")),
        };
        if let (Some(cache), Some(fingerprint), Ok(_)) = (cache, self.fingerprint, &outcome) {
            cache.remember_feed(&self.relative, &self.path, fingerprint, self.spots);
        }
        (self.path, outcome)
    }
}

/// Renders the selected entries and writes every planned feed in every format through
/// `sink`. Outcomes and diagnostics go into `report`.
pub fn publish(
    planned: Planned<'_>,
    posts: &PostSource<'_>,
    options: &BuildOptions,
    sink: &dyn FeedSink,
    cache: Option<&Cache>,
    report: &mut BuildReport,
) {
    let Planned {
        plans,
        entries,
        known_keys,
    } = planned;
    let site_dir = Some(crate::source::site_dir(&options.posts_dir));
    // `site.posts` and the `post_url`/`link` index cost memory per post: only a site with a
    // post that has Liquid needs them.
    let liquid_reads = if entries.iter().any(|e| e.uses_liquid) {
        entries
    } else {
        &[]
    };
    let liquid = crate::render::liquid::LiquidEngine::new(
        &options.site,
        site_dir.as_deref(),
        &options.posts_dir,
        liquid_reads,
    );
    let renderer = Renderer::with_liquid(&options.site, liquid);
    // Diagnostics of an entry rendered in two passes are reported once.
    let mut reported = vec![false; entries.len()];
    // Every selected entry's cache key; the fragments of all of them stay in the cache.
    let mut wanted = vec![false; entries.len()];
    for plan in plans {
        for &i in &plan.entries {
            wanted[i] = true;
        }
    }
    let liquid_fingerprint = renderer.liquid_fingerprint();
    let known = (known_keys.liquid == liquid_fingerprint && known_keys.keys.len() == entries.len())
        .then_some(known_keys.keys.as_slice());
    let keys: Vec<Option<u128>> = entries
        .par_iter()
        .zip(&wanted)
        .enumerate()
        .map(|(i, (entry, &wanted))| {
            let cache = cache.filter(|_| wanted)?;
            known
                .and_then(|known| known[i])
                .or_else(|| Some(cache.fragment_key(entry, liquid_fingerprint)))
        })
        .collect();
    *known_keys = KnownKeys {
        liquid: liquid_fingerprint,
        keys,
    };
    let keys = &known_keys.keys;
    if let Some(cache) = cache {
        cache.want_fragments(keys.iter().flatten().copied());
    }
    let context = Context {
        entries,
        posts,
        options,
        sink,
        renderer: &renderer,
        cache,
        keys,
        rendered: std::sync::atomic::AtomicUsize::new(0),
    };
    for batch in plans.chunks(options.tuning.max_open_feeds.max(1)) {
        publish_batch(batch, &context, &mut reported, report);
    }
    report.entries_rendered += context.rendered.into_inner();
}

/// What [`publish`] writes: the feeds' plans over the entries, and the entries' fragment keys
/// as far as an earlier build of the same entries knew them (this build's are left there).
pub(crate) struct Planned<'a> {
    pub(crate) plans: &'a [FeedPlan],
    pub(crate) entries: &'a [Arc<EntryMeta>],
    pub(crate) known_keys: &'a mut KnownKeys,
}

/// Each entry's fragment key (`None`: not worked out) and the Liquid fingerprint they were
/// worked out under, kept by a resident process between builds: an entry carried over
/// unchanged (the same value) has the same key, which then costs no look at its fields, most
/// of them far apart in memory by then. [`KnownKeys::forget`] the key of an entry replaced.
#[derive(Debug, Default)]
pub(crate) struct KnownKeys {
    liquid: u64,
    keys: Vec<Option<u128>>,
}

impl KnownKeys {
    /// The entry at `at` was replaced.
    pub(crate) fn forget(&mut self, at: usize) {
        if let Some(key) = self.keys.get_mut(at) {
            *key = None;
        }
    }
}

/// What every step of publishing reads.
struct Context<'a> {
    entries: &'a [Arc<EntryMeta>],
    posts: &'a PostSource<'a>,
    options: &'a BuildOptions,
    sink: &'a dyn FeedSink,
    renderer: &'a Renderer,
    cache: Option<&'a Cache>,
    /// Each entry's fragment key, for selected entries when there is a cache.
    keys: &'a [Option<u128>],
    rendered: std::sync::atomic::AtomicUsize,
}

/// A feed's fingerprint in one format: everything its bytes depend on (the settings are in
/// the cache's own key).
fn fingerprint(plan: &FeedPlan, file_name: &str, ctx: &Context<'_>) -> u64 {
    use std::hash::{Hash, Hasher};
    let site = &ctx.options.site;
    // Hashed field by field: formatting ten thousand 128-bit keys as text for each feed and
    // format cost more than the rest of a rebuild's planning.
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    (
        file_name,
        plan.dir(),
        plan.title(site),
        plan.description(site),
    )
        .hash(&mut hasher);
    // The instant and its offset (see `instant_parts`).
    plan.entries
        .iter()
        .map(|&i| ctx.entries[i].updated)
        .max()
        .map(|t| entry::instant_parts(&t))
        .hash(&mut hasher);
    for &i in &plan.entries {
        ctx.keys[i].hash(&mut hasher);
    }
    hasher.finish()
}

fn publish_batch(
    plans: &[FeedPlan],
    ctx: &Context<'_>,
    reported: &mut [bool],
    report: &mut BuildReport,
) {
    let (entries, options) = (ctx.entries, ctx.options);
    // With a cache, a feed whose fingerprints match the files already there is left alone,
    // and its entries are not even rendered for it.
    let fingerprints: Vec<Option<Vec<u64>>> = plans
        .par_iter()
        .map(|plan| {
            ctx.cache.map(|_| {
                plan.outputs()
                    .iter()
                    .map(|(_, relative)| fingerprint(plan, &relative.to_string_lossy(), ctx))
                    .collect()
            })
        })
        .collect();
    let mut live: Vec<(&FeedPlan, Option<Vec<u64>>)> = Vec::new();
    for (plan, fingerprints) in plans.iter().zip(fingerprints) {
        let relatives: Vec<PathBuf> = plan.outputs().into_iter().map(|(_, r)| r).collect();
        let unchanged = match (ctx.cache, &fingerprints) {
            (Some(cache), Some(fps)) => relatives.iter().zip(fps).all(|(relative, &fp)| {
                cache.feed_unchanged(
                    &crate::state::manifest_name(relative),
                    &options.out_dir.join(relative),
                    fp,
                )
            }),
            _ => false,
        };
        report.outputs.extend(relatives.iter().cloned());
        if unchanged {
            report.files_unchanged += relatives.len();
            // The entries are not rendered again, but what rendering them reported still
            // stands (a warning must fail `--strict` on every build, not only the first).
            if let Some(cache) = ctx.cache {
                for &i in &plan.entries {
                    if reported[i] {
                        continue;
                    }
                    if let Some(diagnostics) =
                        ctx.keys[i].and_then(|key| cache.fragment_diagnostics(key))
                    {
                        reported[i] = true;
                        report.diagnostics.extend(diagnostics);
                    }
                }
            }
        } else {
            live.push((plan, fingerprints));
        }
    }

    // Which live feeds carry each entry, in feed order.
    let mut carriers: Vec<Vec<usize>> = vec![Vec::new(); entries.len()];
    for (feed, (plan, _)) in live.iter().enumerate() {
        for &i in &plan.entries {
            carriers[i].push(feed);
        }
    }
    let selected: Vec<usize> = (0..entries.len())
        .filter(|&i| !carriers[i].is_empty())
        .collect();

    let mut files: Vec<Vec<OpenFile>> = live
        .par_iter()
        .map(|(plan, fps)| open_feed(plan, fps.as_deref(), ctx))
        .collect();
    let mut diagnostics = Vec::new();
    let mut pending: Vec<Fragments> = Vec::new();
    let mut done = 0;
    for chunk in selected.chunks(options.tuning.chunk.max(1)) {
        if let Some(progress) = &options.progress {
            progress.report(done, selected.len());
        }
        done += chunk.len();
        // Render this chunk while the previous one is appended to the files.
        let (next, ()) = rayon::join(
            || {
                let mut diagnostics = Vec::new();
                let rendered = render_chunk(chunk, ctx, &mut diagnostics);
                (rendered, diagnostics)
            },
            || append_chunk(&pending, &carriers, &mut files),
        );
        pending = next.0;
        diagnostics.extend(next.1);
    }
    append_chunk(&pending, &carriers, &mut files);

    let outcomes: Vec<(PathBuf, std::io::Result<WriteOutcome>)> = files
        .into_par_iter()
        .flatten()
        .map(|f| f.finish(ctx.cache))
        .collect();
    for (path, outcome) in outcomes {
        match outcome {
            Ok(WriteOutcome::Written) => report.files_written += 1,
            Ok(WriteOutcome::Unchanged) => report.files_unchanged += 1,
            Err(e) => {
                report.files_failed += 1;
                report.diagnostics.push(Diagnostic::new(
                    Severity::Error,
                    Some(path),
                    None,
                    format!("cannot write feed: {e}"),
                ));
            }
        }
    }
    for (index, items) in diagnostics {
        if !std::mem::replace(&mut reported[index], true) {
            report.diagnostics.extend(items);
        }
    }
}

/// Renders and serialises a chunk of entries in parallel, in chunk order.
fn render_chunk(
    chunk: &[usize],
    ctx: &Context<'_>,
    diagnostics: &mut Vec<(usize, Vec<Diagnostic>)>,
) -> Vec<Fragments> {
    let format_count = crate::writers::format_count(&ctx.options.site);
    let results: Vec<(Fragments, Vec<Diagnostic>)> = chunk
        .par_iter()
        .map(|&index| {
            let key = ctx.keys[index];
            if let (Some(cache), Some(key)) = (ctx.cache, key) {
                if let Some(hit) = cache.fragment(key, format_count) {
                    let fragments = Fragments {
                        index,
                        key: Some(key),
                        pieces: hit.sources.into_iter().map(Piece::Cached).collect(),
                        html: String::new(),
                    };
                    return (fragments, hit.diagnostics);
                }
            }
            let entry = &ctx.entries[index];
            ctx.rendered
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let (rendered, diags) = render_one(entry, ctx.posts, ctx.options, ctx.renderer);
            let item = FeedItem {
                meta: entry,
                rendered: &rendered,
            };
            let pieces: Vec<Piece> = FORMATS[..format_count]
                .iter()
                .map(|format| Piece::Bytes((format.fragment)(&item)))
                .collect();
            if let (Some(cache), Some(key)) = (ctx.cache, key) {
                cache.rendered(key, &diags);
            }
            let fragments = Fragments {
                index,
                key,
                pieces,
                html: rendered.html,
            };
            (fragments, diags)
        })
        .collect();
    results
        .into_iter()
        .map(|(fragments, diags)| {
            diagnostics.push((fragments.index, diags));
            fragments
        })
        .collect()
}

/// Appends each entry's fragments to every feed file that carries it. Feeds are independent,
/// so they are filled in parallel; within a feed the order is the chunk's (newest first).
fn append_chunk(chunk: &[Fragments], carriers: &[Vec<usize>], files: &mut [Vec<OpenFile>]) {
    if chunk.is_empty() {
        return;
    }
    files
        .par_iter_mut()
        .enumerate()
        .for_each(|(feed, formats)| {
            for file in formats.iter_mut() {
                // Fragments rendered now go out together; a cached one ends the run.
                let mut run: Vec<(Option<u128>, [&[u8]; 3])> = Vec::new();
                for fragments in chunk {
                    if !carriers[fragments.index].contains(&feed) {
                        continue;
                    }
                    match fragments.pieces.get(file.format) {
                        Some(Piece::Bytes(fragment)) => {
                            run.push((fragments.key, fragment.slices(&fragments.html)));
                        }
                        Some(Piece::Cached(source)) => {
                            file.append_rendered(&run);
                            run.clear();
                            file.append_cached(fragments.key, source);
                        }
                        None => {}
                    }
                }
                file.append_rendered(&run);
            }
        });
}

/// Opens one feed's files (one per format) and writes their opening part.
fn open_feed(plan: &FeedPlan, fingerprints: Option<&[u64]>, ctx: &Context<'_>) -> Vec<OpenFile> {
    let (entries, options, sink) = (ctx.entries, ctx.options, ctx.sink);
    let site = &options.site;
    let updated = plan
        .entries
        .iter()
        .map(|&i| entries[i].updated)
        .max()
        .unwrap_or(options.empty_feed_time);
    // The frame (everything but the items) does not depend on the items' bodies: it is
    // built around the first entry with an empty body.
    let placeholder = Rendered {
        html: String::new(),
        summary: String::new(),
    };
    let first = plan.entries.first().map(|&i| FeedItem {
        meta: &entries[i],
        rendered: &placeholder,
    });
    plan.outputs()
        .into_iter()
        .enumerate()
        .map(|(n, (format_index, relative))| {
            let format = &FORMATS[format_index];
            let url_path: String = relative
                .components()
                .map(|c| crate::slug::url_segment(&c.as_os_str().to_string_lossy()))
                .collect::<Vec<_>>()
                .join("/");
            let head = FeedHead {
                site,
                title: plan.title(site),
                description: plan.description(site),
                alternate_url: site.base_url.to_string(),
                self_url: site.url_for(&url_path).to_string(),
                updated,
            };
            let path = options.out_dir.join(&relative);
            let (prefix, suffix) = match &first {
                Some(first) => (format.frame)(&head, first).unwrap_or_default(),
                // An empty feed is its whole document.
                None => ((format.write)(&head, &[]), Vec::new()),
            };
            let mut file = OpenFile {
                format: format_index,
                path: path.clone(),
                relative: crate::state::manifest_name(&relative),
                fingerprint: fingerprints.and_then(|f| f.get(n).copied()),
                written: 0,
                file: None,
                error: None,
                suffix,
                spots: Vec::new(),
                pending: None,
            };
            match sink.create(&path) {
                Ok(created) => file.file = Some(created),
                Err(e) => file.error = Some(e),
            }
            file.append(&prefix);
            file
        })
        .collect()
}

/// Reads an entry's body again and renders it. Problems cost the body, never the entry.
fn render_one(
    entry: &EntryMeta,
    posts: &PostSource<'_>,
    options: &BuildOptions,
    renderer: &Renderer,
) -> (Rendered, Vec<Diagnostic>) {
    let diag_path = options.posts_dir.join(&entry.source);
    let mut diag = FileDiagnostics::new(diag_path.clone());
    let body = match posts.load(entry, options) {
        Ok((bytes, unchanged)) => {
            if !unchanged {
                diag.warn(
                    None,
                    "changed while the feeds were built; its new body is used with the front \
                     matter read before (build again to pick up both)",
                );
            }
            entry::post_text(&bytes, unchanged && entry.source_is_xml_safe).unwrap_or_default()
        }
        Err(e) => {
            diag.error(None, format!("{e}; the entry is written without its body"));
            entry::PostText::default()
        }
    };
    let rendered = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        renderer.render(entry, &body, &diag_path)
    }))
    .unwrap_or_else(|_| Err(render::RenderError::Internal));
    match rendered {
        Ok((rendered, notes)) => {
            for note in notes {
                match note.severity {
                    crate::diagnostics::Severity::Error => diag.error(note.line, note.message),
                    crate::diagnostics::Severity::Warning => diag.warn(note.line, note.message),
                    crate::diagnostics::Severity::Note => diag.note(note.line, note.message),
                }
            }
            (rendered, diag.items)
        }
        Err(e) => {
            // Keep the entry: its text, escaped, is better than losing it.
            diag.error(None, format!("{e}; the body is included as plain text"));
            let text = html_escape::encode_text(&body.body);
            (
                Rendered {
                    html: format!("<pre>{}</pre>", xml_safe(&text)),
                    summary: truncate_chars(
                        &normalize_whitespace(&body.body),
                        options.site.summary_length,
                    ),
                },
                diag.items,
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, Overrides};
    use crate::entry::PostOutcome;
    use crate::source::SourcePath;

    /// Phase 1 found the post clean; the file then changed to hold a character XML forbids.
    /// Phase 2 trusts phase 1's finding only for the bytes phase 1 read, so it cleans them
    /// before Markdown reads them (a line tabulation before `#` would make the heading a
    /// paragraph).
    #[test]
    fn a_post_changed_between_the_phases_is_cleaned_again() {
        let site = Config::from_yaml("base_url: https://w.example.org/\n", "f.yaml".as_ref())
            .unwrap()
            .resolve(&Overrides::default())
            .unwrap()
            .0;
        let before = "---\ntitle: a\ndate: 2024-01-01\n---\n# Heading\n";
        let after = "---\ntitle: a\ndate: 2024-01-01\n---\n\u{b}# Heading\n";
        let source = SourcePath {
            path: "p.md".into(),
            relative: "p.md".into(),
            symlink: false,
        };
        let mut diag = FileDiagnostics::new("p.md".into());
        let PostOutcome::Entry(entry) = entry::normalize(
            &source,
            before.as_bytes(),
            entry::hash_source(before.as_bytes()),
            &site,
            &mut diag,
        ) else {
            panic!("not a post: {:?}", diag.items);
        };
        assert!(entry.source_is_xml_safe);
        let posts = vec![("p.md".to_string(), after.as_bytes().to_vec())];
        let options = BuildOptions::new(PathBuf::new(), PathBuf::new(), site.clone());
        let (rendered, diagnostics) = render_one(
            &entry,
            &PostSource::memory(&posts),
            &options,
            &Renderer::new(&site),
        );
        assert!(rendered.html.contains("<h1"), "{:?}", rendered.html);
        assert!(diagnostics
            .iter()
            .any(|d| d.message.contains("changed while")));
    }
}
