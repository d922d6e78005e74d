//! Cache: what an earlier build learned, in `out/.frontfeed/cache/`, so that a rebuild after
//! one post changed reads and renders only that post.
//!
//! Three layers, each keyed so that a stale record can never be used:
//! - `posts.json`: each post file's normalized entry and its diagnostics, keyed by the file's
//!   size and modification time; a file whose mtime changed, or changed within a second of
//!   the cache being written (as git treats its index), is read and hashed, and parsed again
//!   only when its bytes differ;
//! - `fragments.pack` (append-only) and `fragments.json` (its index): each entry's
//!   serialised `<item>` and `<entry>`, keyed by a hash of the whole entry (which includes
//!   its file's content hash) and the settings; one file, written sequentially, because ten
//!   thousand small files cost more to write than rendering saves;
//! - `feeds.json`: each feed file's fingerprint (the hash of its settings and of its entries'
//!   keys) and length: a feed whose fingerprint is unchanged and whose file is still there
//!   is not written at all.
//!
//! Everything is also keyed by frontfeed's version and a fingerprint of the configuration:
//! a cache from another version or configuration is ignored. Deleting the cache gives the
//! same output, only slower.

use std::collections::{HashMap, HashSet};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::build::BuildOptions;
use crate::diagnostics::Diagnostic;
use crate::entry::EntryMeta;
use crate::output;
use crate::state::STATE_DIR;

/// A post file as the cache remembers it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CachedPost {
    size: u64,
    mtime: (i64, u32),
    /// The content hash, for files whose mtime cannot be trusted.
    hash: u64,
    /// Where its record (entry and diagnostics, JSON) is in `posts.pack`. Records stay on
    /// disk, so the cache of a 100,000-post site costs a few MB of memory, not the corpus'
    /// metadata twice.
    at: (u64, u64),
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct PostsFile {
    version: String,
    config: String,
    written_at: (i64, u32),
    pack_len: u64,
    posts: HashMap<String, CachedPost>,
}

type PostRecord = (Option<EntryMeta>, Vec<Diagnostic>);

/// An append-only file of records: a build appends what it learned; an index (kept
/// elsewhere) says where each record is. Bytes past the index's length (a killed build's)
/// are overwritten.
#[derive(Debug)]
struct PackFile {
    file: Option<File>,
    end: u64,
}

impl PackFile {
    fn open(path: &Path, indexed_len: u64) -> (PackFile, bool) {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .ok();
        let len = file
            .as_ref()
            .and_then(|f| f.metadata().ok())
            .map_or(0, |m| m.len());
        let valid = file.is_some() && indexed_len <= len;
        let end = if valid { indexed_len } else { 0 };
        (PackFile { file, end }, valid)
    }

    fn read(&mut self, (offset, len): (u64, u64)) -> Option<Vec<u8>> {
        let file = self.file.as_mut()?;
        file.seek(SeekFrom::Start(offset)).ok()?;
        let mut bytes = vec![0u8; usize::try_from(len).ok()?];
        file.read_exact(&mut bytes).ok()?;
        Some(bytes)
    }

    fn append(&mut self, bytes: &[u8]) -> Option<(u64, u64)> {
        let offset = self.end;
        let file = self.file.as_mut()?;
        let written = file
            .seek(SeekFrom::Start(offset))
            .and_then(|_| file.write_all(bytes));
        if written.is_err() {
            self.file = None;
            return None;
        }
        self.end += bytes.len() as u64;
        Some((offset, bytes.len() as u64))
    }

    /// Rewrites the pack with only `live` records once most of it is garbage; returns the
    /// new place of each record (same order as `live`).
    fn compact(&mut self, path: &Path, live: &[(u64, u64)]) -> io::Result<Option<Vec<(u64, u64)>>> {
        let live_bytes: u64 = live.iter().map(|(_, len)| len).sum();
        if self.end <= 2 * live_bytes + (1 << 20) || self.file.is_none() {
            return Ok(None);
        }
        let tmp = path.with_extension("pack.new");
        let mut out = std::io::BufWriter::new(File::create(&tmp)?);
        let mut moved = Vec::with_capacity(live.len());
        let mut end = 0u64;
        for &at in live {
            let bytes = self
                .read(at)
                .ok_or_else(|| io::Error::other("cache pack unreadable"))?;
            out.write_all(&bytes)?;
            moved.push((end, at.1));
            end += at.1;
        }
        out.into_inner().map_err(|e| e.into_error())?;
        fs::rename(&tmp, path)?;
        *self = PackFile::open(path, end).0;
        Ok(Some(moved))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct FeedRecord {
    fingerprint: u64,
    len: u64,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct FragmentIndex {
    version: String,
    config: String,
    /// Bytes of the pack the index covers; anything after (a killed build's) is ignored.
    pack_len: u64,
    /// Key (hex) → (offset, length) in the pack.
    fragments: HashMap<String, (u64, u64)>,
}

/// The fragment pack and where each fragment is in it.
#[derive(Debug)]
struct Pack {
    file: PackFile,
    index: HashMap<u128, (u64, u64)>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct FeedsFile {
    version: String,
    config: String,
    feeds: HashMap<String, FeedRecord>,
}

/// A fragment read back from the cache: one byte string per format, and the diagnostics
/// rendering gave.
pub struct CachedFragment {
    pub bytes: Vec<Vec<u8>>,
    pub diagnostics: Vec<Diagnostic>,
}

/// The cache of one output folder, loaded at the start of a build and saved at its end.
#[derive(Debug)]
pub struct Cache {
    dir: PathBuf,
    config: String,
    /// What the last build saw; a record moves from here to `posts` when it is used again.
    previous_posts: Mutex<HashMap<String, CachedPost>>,
    /// Files modified at or after this instant are read again: their mtime cannot tell a
    /// change made in the same tick as the cache was written.
    trust_before: (i64, u32),
    posts: Mutex<HashMap<String, CachedPost>>,
    posts_pack: Mutex<PackFile>,
    previous_feeds: HashMap<String, FeedRecord>,
    feeds: Mutex<HashMap<String, FeedRecord>>,
    used_fragments: Mutex<HashSet<u128>>,
    pack: Mutex<Pack>,
    /// Posts whose record was reused after hashing their bytes.
    reused_by_hash: Mutex<HashSet<String>>,
}

fn time_parts(t: SystemTime) -> (i64, u32) {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => (d.as_secs() as i64, d.subsec_nanos()),
        Err(_) => (0, 0),
    }
}

/// The settings every cached record depends on.
fn config_fingerprint(options: &BuildOptions) -> String {
    let text = format!(
        "{}|{:?}|{:?}|{}",
        crate::writers::VERSION,
        options.site,
        options.empty_feed_time,
        // Diagnostics name files by the posts folder as given.
        options.posts_dir.display()
    );
    // A rebuilt frontfeed may render differently under the same version number: its own
    // binary (size and time) is part of the key, so a new build never reuses old renderings.
    let binary = std::env::current_exe()
        .and_then(std::fs::metadata)
        .map(|m| format!("{}|{:?}", m.len(), m.modified().ok()))
        .unwrap_or_default();
    let text = format!("{text}|{binary}");
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(text.as_bytes()))
}

impl Cache {
    /// Loads the cache of `out`; a missing, unreadable, other-version or other-config cache
    /// is an empty one.
    pub fn load(out: &Path, options: &BuildOptions) -> Cache {
        let dir = out.join(STATE_DIR).join("cache");
        let config = config_fingerprint(options);
        let version = crate::writers::VERSION;
        // Streamed, not read whole: on a large site the index is megabytes.
        let posts: PostsFile = File::open(dir.join("posts.json"))
            .ok()
            .and_then(|f| serde_json::from_reader(std::io::BufReader::new(f)).ok())
            .filter(|p: &PostsFile| p.version == version && p.config == config)
            .unwrap_or_default();
        let feeds: FeedsFile = fs::read(dir.join("feeds.json"))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .filter(|f: &FeedsFile| f.version == version && f.config == config)
            .unwrap_or_default();
        let index: FragmentIndex = fs::read(dir.join("fragments.json"))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .filter(|i: &FragmentIndex| i.version == version && i.config == config)
            .unwrap_or_default();
        let _ = fs::create_dir_all(&dir);
        let (fragments_pack, index_valid) =
            PackFile::open(&dir.join("fragments.pack"), index.pack_len);
        let pack = Pack {
            file: fragments_pack,
            index: if index_valid {
                index
                    .fragments
                    .iter()
                    .filter_map(|(k, v)| Some((u128::from_str_radix(k, 16).ok()?, *v)))
                    .collect()
            } else {
                HashMap::new()
            },
        };
        let (posts_pack, posts_valid) = PackFile::open(&dir.join("posts.pack"), posts.pack_len);
        let previous_posts = if posts_valid {
            posts.posts
        } else {
            HashMap::new()
        };
        // One second of margin below the write time covers coarse file system clocks.
        let trust_before = (posts.written_at.0 - 1, posts.written_at.1);
        Cache {
            dir,
            config,
            previous_posts: Mutex::new(previous_posts),
            posts_pack: Mutex::new(posts_pack),
            trust_before,
            posts: Mutex::new(HashMap::new()),
            previous_feeds: feeds.feeds,
            feeds: Mutex::new(HashMap::new()),
            used_fragments: Mutex::new(HashSet::new()),
            pack: Mutex::new(pack),
            reused_by_hash: Mutex::new(HashSet::new()),
        }
    }

    /// The remembered entry and diagnostics of a post file, when its size and mtime are
    /// those the cache saw.
    pub fn post(
        &self,
        relative: &str,
        path: &Path,
    ) -> Option<(Option<EntryMeta>, Vec<Diagnostic>)> {
        let meta = fs::metadata(path).ok()?;
        let mtime = time_parts(meta.modified().ok()?);
        let cached = self.previous(relative)?;
        if cached.size != meta.len() || cached.mtime != mtime || mtime >= self.trust_before {
            return None;
        }
        let record = self.record(&cached)?;
        self.take_previous(relative);
        self.lock_posts().insert(relative.to_string(), cached);
        Some(record)
    }

    fn previous(&self, relative: &str) -> Option<CachedPost> {
        self.previous_posts
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(relative)
            .cloned()
    }

    fn take_previous(&self, relative: &str) {
        self.previous_posts
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(relative);
    }

    fn record(&self, cached: &CachedPost) -> Option<PostRecord> {
        let bytes = self
            .posts_pack
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .read(cached.at)?;
        serde_json::from_slice(&bytes).ok()
    }

    /// The remembered entry of a post file whose bytes hash to `hash` (its mtime changed, or
    /// is too recent to trust, but its content did not).
    pub fn post_with_hash(
        &self,
        relative: &str,
        hash: u64,
    ) -> Option<(Option<EntryMeta>, Vec<Diagnostic>)> {
        let cached = self.previous(relative).filter(|c| c.hash == hash)?;
        let record = self.record(&cached)?;
        self.take_previous(relative);
        self.reused_by_hash
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(relative.to_string());
        // Kept under its old mtime: the file is hashed again next time, never trusted blindly.
        self.lock_posts().insert(relative.to_string(), cached);
        Some(record)
    }

    /// True when [`Cache::post_with_hash`] served this post.
    pub fn was_reused(&self, relative: &str) -> bool {
        self.reused_by_hash
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains(relative)
    }

    /// Remembers what reading a post file gave. The size and mtime are taken before the read
    /// by the caller, so a change during the read makes the record stale, never wrong.
    pub fn remember_post(
        &self,
        relative: &str,
        before_read: Option<fs::Metadata>,
        hash: u64,
        entry: &Option<EntryMeta>,
        diagnostics: &[Diagnostic],
    ) {
        let Some(meta) = before_read else {
            return;
        };
        let Some(mtime) = meta.modified().ok().map(time_parts) else {
            return;
        };
        let Ok(bytes) = serde_json::to_vec(&(entry, diagnostics)) else {
            return;
        };
        let Some(at) = self
            .posts_pack
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .append(&bytes)
        else {
            return;
        };
        self.lock_posts().insert(
            relative.to_string(),
            CachedPost {
                size: meta.len(),
                mtime,
                hash,
                at,
            },
        );
    }

    fn lock_posts(&self) -> std::sync::MutexGuard<'_, HashMap<String, CachedPost>> {
        self.posts.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The key of an entry's fragments: the entry as finally numbered (ids after collision
    /// resolution), its file's content hash (inside the entry) and the settings; for a post
    /// with Liquid, also everything its Liquid can read (`liquid`, see
    /// [`crate::liquid::LiquidEngine::fingerprint`]).
    pub fn fragment_key(&self, entry: &EntryMeta, liquid: u64) -> u128 {
        let liquid = if entry.uses_liquid { liquid } else { 0 };
        let text = format!("{}|{liquid}|{entry:?}", self.config);
        xxhash_rust::xxh3::xxh3_128(text.as_bytes())
    }

    /// Marks a fragment as still wanted (fragments no build wants are removed at the end).
    pub fn keep_fragment(&self, key: u128) {
        self.used_fragments
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key);
    }

    fn lock_pack(&self) -> std::sync::MutexGuard<'_, Pack> {
        self.pack.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn fragment(&self, key: u128, formats: usize) -> Option<CachedFragment> {
        let bytes = {
            let mut pack = self.lock_pack();
            let at = *pack.index.get(&key)?;
            pack.file.read(at)?
        };
        let mut rest = bytes.as_slice();
        let mut take = || -> Option<Vec<u8>> {
            let len = usize::try_from(u64::from_le_bytes(rest.get(..8)?.try_into().ok()?)).ok()?;
            let part = rest.get(8..8usize.checked_add(len)?)?.to_vec();
            rest = &rest[8 + len..];
            Some(part)
        };
        let diagnostics = serde_json::from_slice(&take()?).ok()?;
        let parts = (0..formats).map(|_| take()).collect::<Option<Vec<_>>>()?;
        Some(CachedFragment {
            bytes: parts,
            diagnostics,
        })
    }

    pub fn store_fragment(&self, key: u128, parts: &[Vec<u8>], diagnostics: &[Diagnostic]) {
        let diagnostics = serde_json::to_vec(diagnostics).unwrap_or_else(|_| b"[]".to_vec());
        let mut bytes = Vec::with_capacity(parts.iter().map(Vec::len).sum::<usize>() + 64);
        for part in std::iter::once(&diagnostics).chain(parts) {
            bytes.extend_from_slice(&(part.len() as u64).to_le_bytes());
            bytes.extend_from_slice(part);
        }
        // A cache that cannot be written only makes the next build slower.
        let mut pack = self.lock_pack();
        if let Some(at) = pack.file.append(&bytes) {
            pack.index.insert(key, at);
        }
    }

    /// True when the feed file at `relative` was written from the same fingerprint and is
    /// still there with the same length: it need not be written again.
    pub fn feed_unchanged(&self, relative: &str, path: &Path, fingerprint: u64) -> bool {
        let Some(record) = self.previous_feeds.get(relative) else {
            return false;
        };
        let same = record.fingerprint == fingerprint
            && fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == record.len);
        if same {
            self.remember_feed(relative, fingerprint, record.len);
        }
        same
    }

    pub fn remember_feed(&self, relative: &str, fingerprint: u64, len: u64) {
        self.feeds
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(relative.to_string(), FeedRecord { fingerprint, len });
    }

    /// Writes what this build learned and removes fragments no feed wants any more.
    pub fn save(self) -> io::Result<()> {
        let version = crate::writers::VERSION.to_string();
        let written_at = time_parts(SystemTime::now());
        let mut post_records = self.posts.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut posts_pack = self
            .posts_pack
            .into_inner()
            .unwrap_or_else(|e| e.into_inner());
        let mut names: Vec<String> = post_records.keys().cloned().collect();
        names.sort_by_key(|n| post_records[n].at.0);
        let live: Vec<(u64, u64)> = names.iter().map(|n| post_records[n].at).collect();
        if let Some(moved) = posts_pack.compact(&self.dir.join("posts.pack"), &live)? {
            for (name, at) in names.iter().zip(moved) {
                if let Some(record) = post_records.get_mut(name) {
                    record.at = at;
                }
            }
        }
        let posts = PostsFile {
            version: version.clone(),
            config: self.config.clone(),
            written_at,
            pack_len: posts_pack.end,
            posts: post_records,
        };
        let feeds = FeedsFile {
            version,
            config: self.config,
            feeds: self.feeds.into_inner().unwrap_or_else(|e| e.into_inner()),
        };
        fs::create_dir_all(&self.dir)?;
        let mut file = output::AtomicFile::create(&self.dir.join("posts.json"))?;
        serde_json::to_writer(&mut file, &posts)?;
        output::FeedFile::finish(Box::new(file))?;
        output::write_if_changed(&self.dir.join("feeds.json"), &serde_json::to_vec(&feeds)?)?;
        let used = self
            .used_fragments
            .into_inner()
            .unwrap_or_else(|e| e.into_inner());
        let mut pack = self.pack.into_inner().unwrap_or_else(|e| e.into_inner());
        pack.index.retain(|key, _| used.contains(key));
        let mut keys: Vec<u128> = pack.index.keys().copied().collect();
        keys.sort_by_key(|k| pack.index[k].0);
        let live: Vec<(u64, u64)> = keys.iter().map(|k| pack.index[k]).collect();
        if let Some(moved) = pack.file.compact(&self.dir.join("fragments.pack"), &live)? {
            pack.index = keys.into_iter().zip(moved).collect();
        }
        let index = FragmentIndex {
            version: crate::writers::VERSION.to_string(),
            config: feeds.config.clone(),
            pack_len: pack.file.end,
            fragments: pack
                .index
                .iter()
                .map(|(k, v)| (format!("{k:032x}"), *v))
                .collect(),
        };
        output::write_if_changed(
            &self.dir.join("fragments.json"),
            &serde_json::to_vec(&index)?,
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pack_keeps_its_live_records_through_compaction() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.pack");
        let (mut pack, valid) = PackFile::open(&path, 0);
        assert!(valid);
        let a = pack.append(b"first").unwrap();
        let garbage = pack.append(&vec![b'g'; 2 << 20]).unwrap();
        let b = pack.append(b"second").unwrap();
        assert_eq!(pack.read(garbage).unwrap().len(), 2 << 20);
        let moved = pack
            .compact(&path, &[a, b])
            .unwrap()
            .expect("mostly garbage");
        assert_eq!(pack.read(moved[0]).unwrap(), b"first");
        assert_eq!(pack.read(moved[1]).unwrap(), b"second");
        assert_eq!(pack.end, 11);
        // Little garbage: left alone.
        assert!(pack.compact(&path, &moved).unwrap().is_none());
        // An index longer than the file it names is not trusted.
        assert!(!PackFile::open(&path, 1 << 30).1);
    }
}
