//! Maps and sets keyed by 128-bit hashes (xxh3 of a link, an id, an entry): such a key is a
//! hash already, so hashing it again with SipHash, std's default, is wasted work. Flooding is
//! no concern: the keys come from the site's own posts.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// Folds a `u128` key into 64 bits; anything else is mixed in 8 bytes at a time.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word))
                .wrapping_mul(0x517c_c1b7_2722_0a95);
        }
    }

    fn write_u128(&mut self, key: u128) {
        // Truncation on purpose: both halves of a good hash are.
        #[allow(clippy::cast_possible_truncation)]
        let folded = (key as u64) ^ ((key >> 64) as u64);
        self.0 ^= folded;
    }
}

/// A map keyed by a 128-bit hash.
pub(crate) type HashedMap<V> = HashMap<u128, V, BuildHasherDefault<KeyHasher>>;
/// A set of 128-bit hashes.
pub(crate) type HashedSet = HashSet<u128, BuildHasherDefault<KeyHasher>>;

/// Hashes short names from the site itself (a post's path inside the posts folder, a
/// category): mixed as [`KeyHasher`] mixes any bytes, a fraction of SipHash's cost per key.
pub(crate) type NameHasher = BuildHasherDefault<KeyHasher>;

/// A map keyed by a short name from the site itself ([`NameHasher`]).
pub(crate) type NameMap<V> = HashMap<String, V, NameHasher>;

/// An empty map with room for `n` keys.
pub(crate) fn map_with_capacity<V>(n: usize) -> HashedMap<V> {
    HashedMap::with_capacity_and_hasher(n, BuildHasherDefault::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_that_differ_in_either_half_hash_apart() {
        let mut map: HashedMap<u32> = map_with_capacity(4);
        for (i, key) in [1u128, 1 << 64, (1 << 64) | 1, u128::MAX]
            .iter()
            .enumerate()
        {
            map.insert(*key, i as u32);
        }
        assert_eq!(map.len(), 4);
        assert_eq!(map[&(1 << 64)], 1);
        let hash = |key: u128| {
            let mut h = KeyHasher::default();
            h.write_u128(key);
            h.finish()
        };
        assert_ne!(hash(1), hash(2));
        assert_ne!(hash(1 << 64), hash(2 << 64));
    }

    #[test]
    fn post_names_hash_apart() {
        let hashes: HashSet<u64> = (0..10_000)
            .map(|i| {
                let mut h = KeyHasher::default();
                std::hash::Hash::hash(&format!("{:03}/{i:05}.md", i % 100), &mut h);
                h.finish()
            })
            .collect();
        assert_eq!(hashes.len(), 10_000);
        let mut map: NameMap<usize> = NameMap::default();
        map.insert("a.md".into(), 1);
        assert_eq!(map.get("a.md"), Some(&1));
    }
}
