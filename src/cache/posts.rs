//! The post layer of the cache: each post file's normalized entry and diagnostics, keyed by
//! the file's size and modification time, or by its content hash when the time cannot be
//! trusted.

use std::collections::BTreeMap;
use std::fs;

use serde::{Deserialize, Serialize};

use super::pack::{PackFile, PackReader, Place};
use crate::diagnostics::Diagnostic;
use crate::entry::EntryMeta;
use crate::hashed::NameMap;

/// A post file's size and modification time, taken before it is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileStamp {
    size: u64,
    mtime: (i64, u32),
}

impl FileStamp {
    pub fn of(meta: &fs::Metadata) -> Option<FileStamp> {
        Some(FileStamp {
            size: meta.len(),
            mtime: time_parts(meta.modified().ok()?),
        })
    }
}

/// What reading a post gave: its entry (if it became one) and what was reported about it.
pub(crate) type PostRecord = (Option<EntryMeta>, Vec<Diagnostic>);

/// A post file as the cache remembers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct CachedPost {
    size: u64,
    mtime: (i64, u32),
    /// The content hash, for files whose mtime cannot be trusted.
    hash: u64,
    /// Where its record (entry and diagnostics, postcard) is in `posts.pack`. Records stay on
    /// disk, so the cache of a 100,000-post site costs a few MB of memory, not the corpus'
    /// metadata twice.
    at: Place,
}

/// `posts.index`.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct PostsIndex {
    pub(crate) written_at: (i64, u32),
    pub(crate) pack_len: u64,
    pub(crate) posts: BTreeMap<String, CachedPost>,
}

/// The post layer during a build.
#[derive(Debug)]
pub(crate) struct Posts {
    /// What the last build saw; a record moves to `current` when it is used again.
    previous: NameMap<CachedPost>,
    /// Listed in the order the build adds them (a rebuild in `watch` moves every record
    /// here); ordered by name once when saved.
    current: Vec<(String, CachedPost)>,
    pack: PackFile,
    /// Files modified at or after this instant are read again: their mtime cannot tell a
    /// change made in the same tick as the cache was written.
    trust_before: (i64, u32),
    /// A record was added: the index must be written.
    changed: bool,
}

impl Posts {
    pub(crate) fn new(index: PostsIndex, pack: PackFile, pack_valid: bool) -> Posts {
        Posts {
            previous: if pack_valid {
                index.posts.into_iter().collect()
            } else {
                NameMap::default()
            },
            current: Vec::new(),
            pack,
            // One second of margin below the write time covers coarse file system clocks.
            trust_before: (index.written_at.0 - 1, index.written_at.1),
            changed: false,
        }
    }

    /// The last build left records.
    pub(crate) fn knows_any(&self) -> bool {
        !self.previous.is_empty()
    }

    /// True when the last build saw a post file at `relative`.
    pub(crate) fn knows(&self, relative: &str) -> bool {
        self.previous.contains_key(relative)
    }

    /// Where the remembered record of a post file is, when its size and mtime are those the
    /// cache saw. The record is read with [`Posts::reader`], outside the lock.
    pub(crate) fn by_mtime(&mut self, relative: &str, stamp: FileStamp) -> Option<Place> {
        let mtime = stamp.mtime;
        let cached = self.previous.get(relative)?;
        if cached.size != stamp.size || cached.mtime != mtime || mtime >= self.trust_before {
            return None;
        }
        self.reuse(relative)
    }

    /// Where the remembered record of a post file whose bytes hash to `hash` is (its mtime
    /// changed, or is too recent to trust, but its content did not). It stays under its old
    /// mtime: the file is hashed again next time, never trusted blindly.
    pub(crate) fn by_hash(&mut self, relative: &str, hash: u64) -> Option<Place> {
        if self.previous.get(relative)?.hash != hash {
            return None;
        }
        self.reuse(relative)
    }

    /// Moves a record to this build's index. If reading it then fails, the caller reads the
    /// post anew and its new record replaces this one.
    fn reuse(&mut self, relative: &str) -> Option<Place> {
        let (name, cached) = self.previous.remove_entry(relative)?;
        let at = cached.at;
        self.current.push((name, cached));
        Some(at)
    }

    /// Makes room in this build's index for `count` records in all.
    pub(crate) fn expect(&mut self, count: usize) {
        self.current
            .reserve(count.saturating_sub(self.current.len()));
    }

    /// Reads records of the pack without the lock.
    pub(crate) fn reader(&self) -> PackReader {
        self.pack.reader()
    }

    /// Remembers what reading a post file gave. The metadata is taken before the read, so a
    /// change during the read makes the record stale, never wrong.
    pub(crate) fn remember(
        &mut self,
        relative: &str,
        before_read: FileStamp,
        hash: u64,
        record: &[u8],
    ) {
        let Some(at) = self.pack.append(&[record]) else {
            return;
        };
        self.changed = true;
        let post = CachedPost {
            size: before_read.size,
            mtime: before_read.mtime,
            hash,
            at,
        };
        // Listed, not looked up: the index is sorted once when saved (a map insert under the
        // lock held the other threads up on every post).
        self.current.push((relative.to_string(), post));
    }

    /// The index to save, or `None` when it would say what the saved one says (the build
    /// read no post anew and no post went away).
    pub(crate) fn finish(mut self) -> std::io::Result<Option<PostsIndex>> {
        if !self.changed && self.previous.is_empty() {
            return Ok(None);
        }
        // Records by name, as the index keeps them. Of a name remembered twice (a file read
        // again) the later record counts: the one further on in the pack, which is only ever
        // appended to. Sorted and de-duplicated in place (no second list of 100,000 records
        // at the build's end).
        let mut posts = self.current;
        posts.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.at.0.cmp(&b.1.at.0)));
        posts.dedup_by(|later, kept| {
            let same = later.0 == kept.0;
            if same {
                std::mem::swap(later, kept);
            }
            same
        });
        let mut order: Vec<usize> = (0..posts.len()).collect();
        order.sort_unstable_by_key(|&i| posts[i].1.at.0);
        let live: Vec<Place> = order.iter().map(|&i| posts[i].1.at).collect();
        if let Some(moved) = self.pack.compact(&live)? {
            for (&i, at) in order.iter().zip(moved) {
                posts[i].1.at = at;
            }
        }
        self.pack.flush()?;
        Ok(Some(PostsIndex {
            written_at: time_parts(std::time::SystemTime::now()),
            pack_len: self.pack.end,
            // Already in order: the map's own sort finds one run.
            posts: posts.into_iter().collect(),
        }))
    }
}

pub(crate) fn time_parts(t: std::time::SystemTime) -> (i64, u32) {
    match t.duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => (d.as_secs() as i64, d.subsec_nanos()),
        Err(_) => (0, 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The index is in name order, the pack in the order records came: after a compaction
    /// each name still points at its own record.
    #[test]
    fn each_name_keeps_its_record_through_compaction() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("posts.pack");
        let (pack, valid) = PackFile::open(&path, 0);
        let mut posts = Posts::new(PostsIndex::default(), pack, valid);
        posts.expect(5);
        assert!(posts.current.capacity() >= 5);
        let stamp = FileStamp {
            size: 1,
            mtime: (1, 0),
        };
        // Replaced by a later record: garbage enough to compact the pack.
        posts.remember("b.md", stamp, 0, &vec![b'g'; 2 << 20]);
        for name in ["d.md", "b.md", "e.md", "a.md", "c.md"] {
            posts.remember(name, stamp, 0, name.as_bytes());
        }
        let index = posts.finish().unwrap().expect("records were added");
        assert_eq!(index.pack_len, 5 * 4, "compacted");
        let names: Vec<&str> = index.posts.keys().map(String::as_str).collect();
        assert_eq!(names, ["a.md", "b.md", "c.md", "d.md", "e.md"]);
        let (pack, valid) = PackFile::open(&path, index.pack_len);
        assert!(valid);
        for (name, post) in &index.posts {
            assert_eq!(pack.read(post.at).unwrap(), name.as_bytes());
        }
    }
}
