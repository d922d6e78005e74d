//! Cache: what an earlier build learned, in `out/.frontfeed/cache/`, so that a rebuild after
//! one post changed reads and renders only that post.
//!
//! Three layers, each keyed so that a stale record can never be used:
//! - `posts.index` and `posts.pack`: each post file's normalized entry and its diagnostics,
//!   keyed by the file's size and modification time; a file whose mtime changed, or changed within a second of
//!   the cache being written (as git treats its index), is read and hashed, and parsed again
//!   only when its bytes differ;
//! - `fragments.index`: where each entry's serialised `<item>` and `<entry>` already are in
//!   the feed files (file, offset, length), with what rendering it reported, keyed by a hash
//!   of the whole entry (which includes its file's content hash) and the settings. The feeds
//!   are the store: no second copy of the rendered entries is written, and a rebuild copies
//!   unchanged runs of entries from the old feed file into the new one;
//! - `feeds.index`: each feed file's fingerprint (the hash of its settings and of its entries'
//!   keys), length, mtime and inode: a feed whose fingerprint is unchanged and whose file is
//!   still as written is not written at all, and a feed file changed since it was written
//!   (by hand, by another tool) is never read from.
//!
//! Indexes and records are postcard (a compact binary serde format): a rebuild decodes every
//! post's record, and JSON cost several times as much. Every index starts with one header, frontfeed's version and a fingerprint of the
//! configuration and of the binary: a cache from another version, configuration or build of
//! frontfeed is ignored. An index is written only when it changed, so a build that changed
//! nothing writes no file at all. Deleting the cache gives the same output, only slower.
//!
//! Modules: [`pack`] (the append-only record file of the post layer), [`posts`],
//! [`fragments`].

use std::fs;
use std::hash::Hash;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use rayon::prelude::*;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;
use crate::entry::EntryMeta;
use crate::options::BuildOptions;
use crate::output;
use crate::state::STATE_DIR;

mod fragments;
mod pack;
mod posts;

pub use fragments::{CachedFragment, FragmentSource, WrittenSpots};
use fragments::{FeedRecord, FeedsIndex, FragmentIndex, Fragments, NewFragments};
use pack::PackFile;
pub(crate) use posts::{FileStamp, PostRecord};
use posts::{Posts, PostsIndex};

/// What every index file starts with: a cache is used only by the frontfeed and the settings
/// that wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Header {
    version: String,
    config: String,
}

/// An index file: the header, then what it indexes.
#[derive(Serialize, Deserialize)]
struct Stored<T> {
    header: Header,
    body: T,
}

impl Header {
    /// The settings every cached record depends on.
    fn for_build(options: &BuildOptions) -> Header {
        let settings = options.settings_fingerprint();
        // A rebuilt frontfeed may render differently under the same version number: its own
        // binary (size and time) is part of the key, so a new build never reuses old renderings.
        let binary = std::env::current_exe()
            .and_then(std::fs::metadata)
            .map(|m| format!("{}|{:?}", m.len(), m.modified().ok()))
            .unwrap_or_default();
        let text = format!("{settings:016x}|{binary}");
        Header {
            version: crate::writers::VERSION.to_string(),
            config: format!("{:016x}", xxhash_rust::xxh3::xxh3_64(text.as_bytes())),
        }
    }

    /// The index at `path`, if it was written under this header.
    fn load<T: DeserializeOwned>(&self, path: &Path) -> Option<T> {
        let bytes = fs::read(path).ok()?;
        let stored: Stored<T> = postcard::from_bytes(&bytes).ok()?;
        (stored.header == *self).then_some(stored.body)
    }

    fn store<T: Serialize>(&self, path: &Path, body: T) -> io::Result<()> {
        let stored = Stored {
            header: self.clone(),
            body,
        };
        let bytes = postcard::to_stdvec(&stored).map_err(io::Error::other)?;
        output::write_if_changed(path, &bytes).map(|_| ())
    }
}

/// The cache of one output folder, loaded at the start of a build and saved at its end.
/// One lock per layer: posts are looked up in phase 1, fragments and feeds in phase 2.
#[derive(Debug)]
pub struct Cache {
    dir: PathBuf,
    header: Header,
    posts: Mutex<Posts>,
    /// The last build's post layer has records: without any (a build from scratch), asking
    /// for one takes no lock.
    posts_known: bool,
    posts_reader: pack::PackReader,
    /// What earlier builds wrote: read-only during a build.
    fragments: Fragments,
    new_fragments: Mutex<NewFragments>,
    feeds: Mutex<FeedsIndex>,
}

thread_local! {
    /// [`Cache::remember_post`] serialises a record here, then copies it into the pack.
    static RECORD_BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding the lock (caught per post) leaves data that is still consistent:
    // every update is a single insert.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// What a mutex holds, poisoned or not (see [`lock`]).
fn into_inner<T>(mutex: Mutex<T>) -> T {
    mutex.into_inner().unwrap_or_else(PoisonError::into_inner)
}

impl Cache {
    /// Loads the cache of `out`; a missing, unreadable, other-version or other-config cache
    /// is an empty one. Without `with_posts`, the post layer is left on disk, unread and
    /// unchanged (a resident process knows the posts already).
    pub fn load(out: &Path, options: &BuildOptions, with_posts: bool) -> Cache {
        let dir = out.join(STATE_DIR).join("cache");
        let header = Header::for_build(options);
        let posts_index: Option<PostsIndex> = if with_posts {
            Some(header.load(&dir.join("posts.index")).unwrap_or_default())
        } else {
            None
        };
        let fragment_index: FragmentIndex = header
            .load(&dir.join("fragments.index"))
            .unwrap_or_default();
        let previous_feeds: FeedsIndex = header.load(&dir.join("feeds.index")).unwrap_or_default();
        let dir_made = fs::create_dir_all(&dir).is_ok();
        let posts = match posts_index {
            Some(posts_index) if dir_made => {
                let (posts_pack, posts_valid) =
                    PackFile::open(&dir.join("posts.pack"), posts_index.pack_len);
                Posts::new(posts_index, posts_pack, posts_valid)
            }
            _ => Posts::new(PostsIndex::default(), PackFile::none(), false),
        };
        Cache {
            dir,
            header,
            posts_reader: posts.reader(),
            posts_known: posts.knows_any(),
            posts: Mutex::new(posts),
            fragments: Fragments::new(out, fragment_index, previous_feeds),
            new_fragments: Mutex::new(NewFragments::default()),
            feeds: Mutex::new(FeedsIndex::new()),
        }
    }

    /// The file's stamp, and where its remembered record is when the file's size and mtime
    /// are those the cache saw. Read the records with [`Cache::read_posts`]; give the stamp
    /// (or, without one, the stamp taken when the file is read) to [`Cache::remember_post`].
    pub fn post_place(
        &self,
        relative: &str,
        path: &Path,
    ) -> (Option<FileStamp>, Option<pack::Place>) {
        // A file the last build did not see needs no stat here: reading it gives its stamp.
        if !self.posts_known || !lock(&self.posts).knows(relative) {
            return (None, None);
        }
        let Some(stamp) = fs::metadata(path).ok().as_ref().and_then(FileStamp::of) else {
            return (None, None);
        };
        (Some(stamp), lock(&self.posts).by_mtime(relative, stamp))
    }

    /// The records at `places`, each decoded (`None` where there is no place or the record is
    /// unreadable). The pack is read in order, a few MiB at a time, not one read per post: on
    /// a rebuild that changed little, a system call per post was most of the time.
    /// Boxed: a slot without a record costs a pointer, not an entry's size (on a build from
    /// scratch of 100,000 posts every slot is empty).
    pub fn read_posts(&self, places: &[Option<pack::Place>]) -> Vec<Option<Box<PostRecord>>> {
        const WINDOW: u64 = 4 << 20;
        let mut records: Vec<Option<Box<PostRecord>>> = places.iter().map(|_| None).collect();
        let mut order: Vec<(pack::Place, usize)> = places
            .iter()
            .enumerate()
            .filter_map(|(i, place)| Some(((*place)?, i)))
            .collect();
        order.sort_unstable();
        let mut rest = order.as_slice();
        while let Some(&((start, _), _)) = rest.first() {
            // The records that fit in one window from `start` (at least one).
            let count = rest
                .iter()
                .take_while(|((offset, len), _)| offset + len <= start + WINDOW)
                .count()
                .max(1);
            let (batch, after) = rest.split_at(count);
            rest = after;
            let end = batch.iter().map(|((o, l), _)| o + l).max().unwrap_or(start);
            let Some(window) = self.posts_reader.read((start, end - start)) else {
                continue;
            };
            let decoded: Vec<(usize, Option<Box<PostRecord>>)> = batch
                .par_iter()
                .map(|&((offset, len), i)| {
                    let at = usize::try_from(offset - start).ok();
                    let bytes = at.and_then(|a| window.get(a..a + usize::try_from(len).ok()?));
                    (
                        i,
                        bytes.and_then(|b| postcard::from_bytes(b).ok().map(Box::new)),
                    )
                })
                .collect();
            for (i, record) in decoded {
                records[i] = record;
            }
        }
        records
    }

    /// The remembered entry of a post file whose bytes hash to `hash`.
    pub fn post_with_hash(&self, relative: &str, hash: u64) -> Option<PostRecord> {
        if !self.posts_known {
            return None;
        }
        let at = lock(&self.posts).by_hash(relative, hash)?;
        self.read_post(at)
    }

    /// Reads and decodes a post record outside the lock: the other threads look up theirs
    /// meanwhile.
    fn read_post(&self, at: pack::Place) -> Option<PostRecord> {
        postcard::from_bytes(&self.posts_reader.read(at)?).ok()
    }

    /// Remembers what reading a post file gave. `before_read` is the file's metadata taken
    /// before it was read.
    pub fn remember_post(
        &self,
        relative: &str,
        before_read: FileStamp,
        hash: u64,
        entry: Option<&EntryMeta>,
        diagnostics: &[Diagnostic],
    ) {
        // Serialised outside the lock (the other threads go on reading posts meanwhile), into
        // a buffer each thread keeps: no allocation, and no growing, per record.
        RECORD_BUFFER.with(|buffer| {
            let mut buffer = buffer.borrow_mut();
            buffer.clear();
            if postcard::to_io(&(entry, diagnostics), &mut *buffer).is_ok() {
                lock(&self.posts).remember(relative, before_read, hash, &buffer);
            }
        });
    }

    /// Makes room for `count` post records: a build from scratch then adds them without
    /// growing the index on the way.
    pub fn expect_posts(&self, count: usize) {
        lock(&self.posts).expect(count);
    }

    /// The key of an entry's fragments: every field of the entry as finally numbered (ids
    /// after collision resolution, its file's content hash), the settings, and for a post
    /// with Liquid everything its Liquid can read (`liquid`, see
    /// [`crate::render::liquid::LiquidEngine::fingerprint`]).
    pub fn fragment_key(&self, entry: &EntryMeta, liquid: u64) -> u128 {
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        self.header.config.hash(&mut hasher);
        (if entry.uses_liquid { liquid } else { 0 }).hash(&mut hasher);
        entry.hash(&mut hasher);
        hasher.digest128()
    }

    /// Marks fragments as wanted by this build (the others are forgotten at the end).
    pub fn want_fragments(&self, keys: impl IntoIterator<Item = u128>) {
        lock(&self.new_fragments).want(keys);
    }

    /// An entry's fragments in `formats` formats, as earlier builds wrote them into feed
    /// files that are still as written.
    pub fn fragment(&self, key: u128, formats: usize) -> Option<CachedFragment> {
        self.fragments.get(key, formats)
    }

    /// What rendering an entry reported when an earlier build rendered it.
    pub fn fragment_diagnostics(&self, key: u128) -> Option<Vec<Diagnostic>> {
        self.fragments.diagnostics(key).map(<[Diagnostic]>::to_vec)
    }

    /// Remembers what rendering an entry reported.
    pub fn rendered(&self, key: u128, diagnostics: &[Diagnostic]) {
        lock(&self.new_fragments).rendered(key, diagnostics);
    }

    /// Called before the feed file at `relative` is replaced: fragments in it stay readable
    /// for the feeds written after it.
    pub fn keep_open(&self, relative: &str) {
        self.fragments.keep_open(relative);
    }

    /// True when the feed file at `relative` was written from the same fingerprint and is
    /// still there as written: it need not be written again.
    pub fn feed_unchanged(&self, relative: &str, path: &Path, fingerprint: u64) -> bool {
        let Some(record) = self.fragments.previous_feeds().get(relative) else {
            return false;
        };
        let same = record.fingerprint == fingerprint
            && fs::metadata(path).is_ok_and(|m| record.matches(&m));
        if same {
            lock(&self.feeds).insert(relative.to_string(), *record);
        }
        same
    }

    /// Remembers a feed file this build wrote (or found already equal) at `path`, and where
    /// in it each entry's fragment is.
    pub fn remember_feed(
        &self,
        relative: &str,
        path: &Path,
        fingerprint: u64,
        spots: WrittenSpots,
    ) {
        let Some(record) = fs::metadata(path)
            .ok()
            .and_then(|meta| FeedRecord::of(fingerprint, &meta))
        else {
            return;
        };
        lock(&self.feeds).insert(relative.to_string(), record);
        lock(&self.new_fragments).written(relative, spots);
    }

    /// Writes what this build learned, and only that: an index that would say what the saved
    /// one says is left alone. Fragments no feed wants any more are removed.
    pub fn save(self) -> io::Result<()> {
        let Cache {
            dir,
            header,
            posts,
            fragments,
            new_fragments,
            feeds,
            ..
        } = self;
        let (posts, new_fragments, feeds) = (
            into_inner(posts),
            into_inner(new_fragments),
            into_inner(feeds),
        );
        // The two layers are independent: each is finished, written and dropped on its own
        // thread, while the build has nothing else to do.
        let (saved_posts, saved_fragments) = rayon::join(
            || -> io::Result<()> {
                if let Some(index) = posts.finish()? {
                    header.store(&dir.join("posts.index"), index)?;
                }
                Ok(())
            },
            || -> io::Result<()> {
                let feeds_changed = feeds != *fragments.previous_feeds();
                if let Some(index) = fragments.finish(new_fragments, &feeds) {
                    header.store(&dir.join("fragments.index"), index)?;
                }
                if feeds_changed {
                    header.store(&dir.join("feeds.index"), feeds)?;
                }
                Ok(())
            },
        );
        saved_posts?;
        saved_fragments?;
        // What earlier versions kept: JSON indexes, and a second copy of every fragment.
        for old in [
            "fragments.pack",
            "posts.json",
            "fragments.json",
            "feeds.json",
        ] {
            let _ = fs::remove_file(dir.join(old));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, Overrides};
    use crate::diagnostics::Severity;

    fn options(out: &Path) -> BuildOptions {
        let site = Config::from_yaml("base_url: https://example.org/\n", Path::new("f"))
            .unwrap()
            .resolve(&Overrides::default())
            .unwrap()
            .0;
        BuildOptions::new(out.join("posts"), out.to_path_buf(), site)
    }

    /// Records serialised one after the other through a thread's buffer come back each as it
    /// was (a long one leaves nothing of itself in a short one), and both layers, saved on
    /// two threads, load as they were saved.
    #[test]
    fn what_a_build_remembers_loads_again() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        let options = options(out);
        let feed = out.join("feed.xml");
        fs::write(&feed, "<rss/>").unwrap();
        let stamp = FileStamp::of(&fs::metadata(&feed).unwrap()).unwrap();
        let long = vec![Diagnostic::new(
            Severity::Warning,
            Some("posts/a.md".into()),
            Some(3),
            "x".repeat(500),
        )];
        let short = vec![Diagnostic::new(Severity::Note, None, None, "y".into())];

        let cache = Cache::load(out, &options, true);
        cache.expect_posts(2);
        cache.remember_post("a.md", stamp, 1, None, &long);
        cache.remember_post("b.md", stamp, 2, None, &short);
        cache.want_fragments([7]);
        cache.rendered(7, &short);
        cache.remember_feed("feed.xml", &feed, 42, vec![(7, 0, 1, 4)]);
        cache.save().unwrap();

        let cache = Cache::load(out, &options, true);
        let (entry, diagnostics) = cache.post_with_hash("a.md", 1).expect("a.md");
        assert!(entry.is_none());
        assert_eq!(diagnostics, long);
        let (entry, diagnostics) = cache.post_with_hash("b.md", 2).expect("b.md");
        assert!(entry.is_none());
        assert_eq!(diagnostics, short);
        assert!(cache.post_with_hash("b.md", 3).is_none());
        assert!(cache.feed_unchanged("feed.xml", &feed, 42));
        assert_eq!(cache.fragment_diagnostics(7), Some(short));
        let fragment = cache.fragment(7, 1).expect("in feed.xml");
        assert_eq!(
            (fragment.sources[0].offset, fragment.sources[0].len),
            (1, 4)
        );
    }
}
