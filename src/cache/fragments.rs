//! The fragment layer of the cache: where each entry's serialised `<item>` and `<entry>` (one
//! per format) already sit in the feed files an earlier build wrote, with the diagnostics
//! rendering gave; and the feed layer: each feed file's fingerprint and identity.
//!
//! The feeds themselves are the store: a build from scratch writes no second copy of the
//! rendered entries (that copy cost more than a quarter of the build), and a rebuild copies
//! unchanged runs of entries from the old feed file to the new one inside the kernel.

use std::collections::{BTreeMap, HashMap};
use std::fs::{self, File};
use std::path::Path;
use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;
use crate::hashed::{HashedMap, HashedSet};

/// Where one fragment is: (file number in [`FragmentIndex::files`], offset, length).
pub(crate) type Spot = (u32, u64, u64);

/// One entry's fragments, one spot per format (`None`: not written in that format).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct FragmentRecord {
    spots: Vec<Option<Spot>>,
    diagnostics: Vec<Diagnostic>,
}

impl FragmentRecord {
    /// Takes `spot` for `format` unless the record already has one (the first offered wins).
    fn offer(&mut self, format: usize, spot: Spot) {
        if self.spots.len() <= format {
            self.spots.resize(format + 1, None);
        }
        self.spots[format].get_or_insert(spot);
    }
}

/// `fragments.index`.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct FragmentIndex {
    /// The feed files spots point into, as paths inside `out/`.
    files: Vec<String>,
    /// Key → record. Ordered, so that the same cache is the same bytes.
    fragments: BTreeMap<u128, FragmentRecord>,
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

/// Old feed files held open at once, at most. Entries only in files past this are rendered
/// again, which costs time, never correctness.
const MAX_OPEN_SOURCES: usize = 128;

/// The fragment layer during a build.
#[derive(Debug)]
pub(crate) struct Fragments {
    out: std::path::PathBuf,
    files: Vec<String>,
    by_name: HashMap<String, u32>,
    /// Each old feed file, opened on first use (or before this build replaces it) and only
    /// if it is still the file the index describes.
    opened: Vec<OnceLock<Option<Arc<File>>>>,
    /// How many old files are held open: at most [`MAX_OPEN_SOURCES`], so that the feeds
    /// being written (up to `max_open_feeds` at once) never lack a file descriptor.
    open_count: std::sync::atomic::AtomicUsize,
    records: HashedMap<FragmentRecord>,
    previous_feeds: FeedsIndex,
}

/// What this build adds, behind the cache's lock.
#[derive(Debug, Default)]
pub(crate) struct NewFragments {
    /// Fragments some feed of this build wants; the others are dropped at the end.
    wanted: HashedSet,
    diagnostics: HashedMap<Vec<Diagnostic>>,
    /// Feed file → the spots written into it.
    written: BTreeMap<String, WrittenSpots>,
}

impl Fragments {
    pub(crate) fn new(out: &Path, index: FragmentIndex, previous_feeds: FeedsIndex) -> Fragments {
        let records = index.fragments.into_iter().collect();
        let by_name = index
            .files
            .iter()
            .enumerate()
            .map(|(i, name)| (name.clone(), i as u32))
            .collect();
        Fragments {
            out: out.to_path_buf(),
            opened: index.files.iter().map(|_| OnceLock::new()).collect(),
            open_count: std::sync::atomic::AtomicUsize::new(0),
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
            let held = self
                .open_count
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if held >= MAX_OPEN_SOURCES {
                return None;
            }
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

    /// The feed index the last build saved.
    pub(crate) fn previous_feeds(&self) -> &FeedsIndex {
        &self.previous_feeds
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
        let mut order: Vec<(&String, &WrittenSpots)> = written.iter().collect();
        order.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(b.0)));
        let mut files: Vec<String> = Vec::new();
        let mut numbers: HashMap<String, u32> = HashMap::new();
        let mut number = |name: &str, files: &mut Vec<String>| -> u32 {
            *numbers.entry(name.to_string()).or_insert_with(|| {
                files.push(name.to_string());
                (files.len() - 1) as u32
            })
        };
        // At most one record per wanted key: sized once, not grown on the way.
        let mut records: HashedMap<FragmentRecord> = crate::hashed::map_with_capacity(wanted.len());
        for (name, spots) in &order {
            // Only a file this build really wrote (or found equal) is in `feeds`.
            if !feeds.contains_key(*name) {
                continue;
            }
            let id = number(name, &mut files);
            for &(key, format, offset, len) in spots.iter() {
                if wanted.contains(&key) {
                    records
                        .entry(key)
                        .or_default()
                        .offer(format, (id, offset, len));
                }
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
                if let Some(Some(id)) = untouched.get(file_id as usize).copied() {
                    records
                        .entry(*key)
                        .or_default()
                        .offer(format, (id, offset, len));
                }
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
            fragments: records.into_iter().collect(),
        })
    }
}

impl NewFragments {
    pub(crate) fn want(&mut self, keys: impl IntoIterator<Item = u128>) {
        self.wanted.extend(keys);
        // Only wanted entries are rendered (and report here): room for all of them at once.
        self.diagnostics
            .reserve(self.wanted.len().saturating_sub(self.diagnostics.len()));
    }

    pub(crate) fn rendered(&mut self, key: u128, diagnostics: &[Diagnostic]) {
        self.diagnostics.insert(key, diagnostics.to_vec());
    }

    pub(crate) fn written(&mut self, relative: &str, spots: WrittenSpots) {
        self.written.insert(relative.to_string(), spots);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record_of(path: &Path) -> FeedRecord {
        FeedRecord::of(1, &fs::metadata(path).unwrap()).unwrap()
    }

    /// A build that wrote nothing keeps every spot in the files it left alone, and its index
    /// is the saved one (so it is not written again); a rewritten file's old spots go.
    #[test]
    fn untouched_files_keep_their_spots_and_the_index() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["a.xml", "b.xml"] {
            fs::write(dir.path().join(name), "0123456789").unwrap();
        }
        let feeds: FeedsIndex = ["a.xml", "b.xml"]
            .iter()
            .map(|n| (n.to_string(), record_of(&dir.path().join(n))))
            .collect();
        let record = |file: u32| FragmentRecord {
            spots: vec![Some((file, 2, 3))],
            diagnostics: Vec::new(),
        };
        let index = FragmentIndex {
            files: vec!["a.xml".into(), "b.xml".into()],
            fragments: [(1, record(0)), (2, record(1))].into_iter().collect(),
        };
        let stored = |index: &FragmentIndex| postcard::to_stdvec(index).unwrap();
        let before = stored(&index);
        let reload = || postcard::from_bytes::<FragmentIndex>(&before).unwrap();

        let layer = Fragments::new(dir.path(), reload(), feeds.clone());
        let got = layer.get(1, 1).expect("a.xml is as written");
        assert_eq!((got.sources[0].offset, got.sources[0].len), (2, 3));
        let mut new = NewFragments::default();
        new.want([1, 2]);
        assert!(layer.finish(new, &feeds).is_none(), "nothing changed");

        // b.xml rewritten by this build without entry 2: entry 2's spot goes.
        let layer = Fragments::new(dir.path(), reload(), feeds.clone());
        let mut new = NewFragments::default();
        new.want([1, 2]);
        new.written("b.xml", Vec::new());
        let index = layer.finish(new, &feeds).expect("changed");
        assert_eq!(index.fragments.len(), 1);
        assert_eq!(
            index.files[index.fragments[&1].spots[0].unwrap().0 as usize],
            "a.xml"
        );

        // A file changed by hand since is not read from.
        fs::write(dir.path().join("a.xml"), "0123456789x").unwrap();
        let layer = Fragments::new(dir.path(), reload(), feeds.clone());
        assert!(layer.get(1, 1).is_none());
    }

    /// What every wanted entry reports fits without growing the map.
    #[test]
    fn room_for_what_wanted_entries_report() {
        let mut new = NewFragments::default();
        new.want(0..1000);
        let room = new.diagnostics.capacity();
        assert!(room >= 1000, "{room}");
        for key in 0..1000 {
            new.rendered(key, &[]);
        }
        assert_eq!(new.diagnostics.capacity(), room);
    }

    /// Past [`MAX_OPEN_SOURCES`] old files, fragments are rendered again instead of holding
    /// more files open.
    #[test]
    fn old_files_held_open_are_capped() {
        let dir = tempfile::tempdir().unwrap();
        let count = MAX_OPEN_SOURCES as u32 + 5;
        let names: Vec<String> = (0..count).map(|i| format!("f{i}.xml")).collect();
        for name in &names {
            fs::write(dir.path().join(name), "xyz").unwrap();
        }
        let feeds: FeedsIndex = names
            .iter()
            .map(|n| (n.clone(), record_of(&dir.path().join(n))))
            .collect();
        let index = FragmentIndex {
            files: names.clone(),
            fragments: (0..count)
                .map(|i| {
                    let record = FragmentRecord {
                        spots: vec![Some((i, 0, 3))],
                        diagnostics: Vec::new(),
                    };
                    (u128::from(i), record)
                })
                .collect(),
        };
        let layer = Fragments::new(dir.path(), index, feeds);
        let found = (0..count)
            .filter(|&i| layer.get(u128::from(i), 1).is_some())
            .count();
        assert_eq!(found, MAX_OPEN_SOURCES);
    }
}
