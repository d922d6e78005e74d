//! The fragment layer of the cache: where each entry's serialised `<item>` and `<entry>` (one
//! per format) already sit in the feed files an earlier build wrote, with the diagnostics
//! rendering gave; and the feed layer: each feed file's fingerprint and identity.
//!
//! The feeds themselves are the store: a build from scratch writes no second copy of the
//! rendered entries (that copy cost more than a quarter of the build), and a rebuild copies
//! unchanged runs of entries from the old feed file to the new one inside the kernel.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::{self, File};
use std::path::Path;
use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;

/// Where one fragment is: (file number in [`FragmentIndex::files`], offset, length).
pub(crate) type Spot = (u32, u64, u64);

/// One entry's fragments, one spot per format (`None`: not written in that format).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct FragmentRecord {
    spots: Vec<Option<Spot>>,
    diagnostics: Vec<Diagnostic>,
}

/// `fragments.index`.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct FragmentIndex {
    /// The feed files spots point into, as paths inside `out/`.
    files: Vec<String>,
    /// Key (hex) → record. Ordered, so that the same cache is the same bytes.
    fragments: BTreeMap<String, FragmentRecord>,
}

/// A fragment's bytes in an old feed file: copied from there, never read into memory when
/// the sink can copy between files.
#[derive(Debug, Clone)]
pub struct FragmentSource {
    pub file: Arc<File>,
    /// Which file (adjacent spots of one file are copied in one go).
    pub file_id: u32,
    pub offset: u64,
    pub len: u64,
}

/// A fragment found in the cache: where each format's bytes are, and what rendering reported.
pub struct CachedFragment {
    pub sources: Vec<FragmentSource>,
    pub diagnostics: Vec<Diagnostic>,
}

/// A feed file as the cache remembers it: what it was written from, and what it was when
/// written (a file changed since, by hand or by another tool, is not read from).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct FeedRecord {
    pub(crate) fingerprint: u64,
    pub(crate) len: u64,
    pub(crate) mtime: (i64, u32),
    pub(crate) inode: u64,
}

impl FeedRecord {
    pub(crate) fn of(fingerprint: u64, meta: &fs::Metadata) -> Option<FeedRecord> {
        Some(FeedRecord {
            fingerprint,
            len: meta.len(),
            mtime: super::posts::time_parts(meta.modified().ok()?),
            inode: inode(meta),
        })
    }

    /// True when `meta` is the file this record describes, as it was written.
    pub(crate) fn matches(&self, meta: &fs::Metadata) -> bool {
        meta.is_file()
            && meta.len() == self.len
            && meta.modified().ok().map(super::posts::time_parts) == Some(self.mtime)
            && inode(meta) == self.inode
    }
}

#[cfg(unix)]
fn inode(meta: &fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::ino(meta)
}

#[cfg(not(unix))]
fn inode(_: &fs::Metadata) -> u64 {
    0
}

/// `feeds.index`: each feed file (inside `out/`) and what it was written from.
pub(crate) type FeedsIndex = BTreeMap<String, FeedRecord>;

/// The spots one feed file got in this build: (key, format, offset, length).
pub type WrittenSpots = Vec<(u128, usize, u64, u64)>;

/// The fragment layer during a build.
#[derive(Debug)]
pub(crate) struct Fragments {
    out: std::path::PathBuf,
    files: Vec<String>,
    by_name: HashMap<String, u32>,
    /// Each old feed file, opened on first use (or before this build replaces it) and only
    /// if it is still the file the index describes.
    opened: Vec<OnceLock<Option<Arc<File>>>>,
    records: HashMap<u128, FragmentRecord>,
    previous_feeds: FeedsIndex,
}

/// What this build adds, behind the cache's lock.
#[derive(Debug, Default)]
pub(crate) struct NewFragments {
    /// Fragments some feed of this build wants; the others are dropped at the end.
    wanted: HashSet<u128>,
    diagnostics: HashMap<u128, Vec<Diagnostic>>,
    /// Feed file → the spots written into it.
    written: BTreeMap<String, (usize, WrittenSpots)>,
}

impl Fragments {
    pub(crate) fn new(out: &Path, index: FragmentIndex, previous_feeds: FeedsIndex) -> Fragments {
        let records = index
            .fragments
            .into_iter()
            .filter_map(|(k, v)| Some((u128::from_str_radix(&k, 16).ok()?, v)))
            .collect();
        let by_name = index
            .files
            .iter()
            .enumerate()
            .map(|(i, name)| (name.clone(), i as u32))
            .collect();
        Fragments {
            out: out.to_path_buf(),
            opened: index.files.iter().map(|_| OnceLock::new()).collect(),
            files: index.files,
            by_name,
            records,
            previous_feeds,
        }
    }

    /// The old feed file number `id`, opened once, if it is still as written.
    fn open(&self, id: u32) -> Option<&Arc<File>> {
        let cell = self.opened.get(id as usize)?;
        cell.get_or_init(|| {
            let name = &self.files[id as usize];
            let record = self.previous_feeds.get(name)?;
            let file = File::open(self.out.join(name)).ok()?;
            // The metadata of the open handle: the file cannot be swapped in between.
            let meta = file.metadata().ok()?;
            record.matches(&meta).then(|| Arc::new(file))
        })
        .as_ref()
    }

    /// Opens the old feed file at `relative` (if fragments point into it) before the build
    /// replaces it, so that later feeds can still copy from it.
    pub(crate) fn keep_open(&self, relative: &str) {
        if let Some(&id) = self.by_name.get(relative) {
            self.open(id);
        }
    }

    /// An entry's fragments in `formats` formats, when every one is in a feed file that is
    /// still as written.
    pub(crate) fn get(&self, key: u128, formats: usize) -> Option<CachedFragment> {
        let record = self.records.get(&key)?;
        let sources = (0..formats)
            .map(|format| {
                let (file_id, offset, len) = (*record.spots.get(format)?)?;
                Some(FragmentSource {
                    file: Arc::clone(self.open(file_id)?),
                    file_id,
                    offset,
                    len,
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(CachedFragment {
            sources,
            diagnostics: record.diagnostics.clone(),
        })
    }

    /// What rendering an entry reported, when the cache knows it.
    pub(crate) fn diagnostics(&self, key: u128) -> Option<&[Diagnostic]> {
        self.records.get(&key).map(|r| r.diagnostics.as_slice())
    }

    /// The index to save, or `None` when it would say what the saved one says. `feeds` is
    /// this build's feed index: an old spot is kept only in a file this build left as it
    /// was.
    pub(crate) fn finish(self, new: NewFragments, feeds: &FeedsIndex) -> Option<FragmentIndex> {
        let NewFragments {
            wanted,
            mut diagnostics,
            written,
        } = new;
        // New spots first, from the files with the most fragments (the site-wide feeds), so
        // that a rebuild copies long runs from few files.
        let mut order: Vec<(&String, &(usize, WrittenSpots))> = written.iter().collect();
        order.sort_by(|a, b| b.1 .1.len().cmp(&a.1 .1.len()).then(a.0.cmp(b.0)));
        let mut files: Vec<String> = Vec::new();
        let mut numbers: HashMap<String, u32> = HashMap::new();
        let mut number = |name: &str, files: &mut Vec<String>| -> u32 {
            *numbers.entry(name.to_string()).or_insert_with(|| {
                files.push(name.to_string());
                (files.len() - 1) as u32
            })
        };
        let mut records: HashMap<u128, FragmentRecord> = HashMap::new();
        for (name, (_, spots)) in &order {
            // Only a file this build really wrote (or found equal) is in `feeds`.
            if !feeds.contains_key(*name) {
                continue;
            }
            let id = number(name, &mut files);
            for &(key, format, offset, len) in spots {
                if !wanted.contains(&key) {
                    continue;
                }
                let record = records.entry(key).or_default();
                if record.spots.len() <= format {
                    record.spots.resize(format + 1, None);
                }
                record.spots[format].get_or_insert((id, offset, len));
            }
        }
        // Old spots in files this build did not touch still hold; those files keep their
        // order, so that a build that changed nothing gives the same index.
        let untouched: Vec<Option<u32>> = self
            .files
            .iter()
            .map(|name| {
                let same = !written.contains_key(name)
                    && feeds.get(name).is_some()
                    && feeds.get(name) == self.previous_feeds.get(name);
                same.then(|| number(name, &mut files))
            })
            .collect();
        for (key, old) in &self.records {
            if !wanted.contains(key) {
                continue;
            }
            for (format, spot) in old.spots.iter().enumerate() {
                let Some((file_id, offset, len)) = *spot else {
                    continue;
                };
                let Some(Some(id)) = untouched.get(file_id as usize).copied() else {
                    continue;
                };
                let record = records.entry(*key).or_default();
                if record.spots.len() <= format {
                    record.spots.resize(format + 1, None);
                }
                record.spots[format].get_or_insert((id, offset, len));
            }
        }
        for (key, record) in &mut records {
            record.diagnostics = diagnostics
                .remove(key)
                .or_else(|| self.records.get(key).map(|r| r.diagnostics.clone()))
                .unwrap_or_default();
        }
        records.retain(|_, r| r.spots.iter().any(Option::is_some));
        if records == self.records && files == self.files {
            return None;
        }
        Some(FragmentIndex {
            files,
            fragments: records
                .into_iter()
                .map(|(k, v)| (format!("{k:032x}"), v))
                .collect(),
        })
    }
}

impl NewFragments {
    pub(crate) fn want(&mut self, keys: impl IntoIterator<Item = u128>) {
        self.wanted.extend(keys);
    }

    pub(crate) fn rendered(&mut self, key: u128, diagnostics: &[Diagnostic]) {
        self.diagnostics.insert(key, diagnostics.to_vec());
    }

    pub(crate) fn written(&mut self, relative: &str, format: usize, spots: WrittenSpots) {
        self.written.insert(relative.to_string(), (format, spots));
    }
}
