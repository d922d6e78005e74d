//! The fragment layer of the cache: each entry's serialised `<item>` and `<entry>` (one part
//! per format) with the diagnostics rendering gave, in one append-only pack; and the feed
//! layer: each feed file's fingerprint and length.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::pack::{part_len, split_parts, PackFile, Place};
use crate::diagnostics::Diagnostic;

/// `fragments.json`: where each fragment is in `fragments.pack`.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct FragmentIndex {
    /// Bytes of the pack the index covers; anything after (a killed build's) is ignored.
    pub(crate) pack_len: u64,
    /// Key (hex) → place in the pack. Ordered, so that the same cache is the same bytes.
    pub(crate) fragments: BTreeMap<String, Place>,
}

/// A fragment read back from the cache: one byte string per format, and the diagnostics
/// rendering gave.
pub struct CachedFragment {
    pub bytes: Vec<Vec<u8>>,
    pub diagnostics: Vec<Diagnostic>,
}

/// The fragment layer during a build.
#[derive(Debug)]
pub(crate) struct Fragments {
    pack: PackFile,
    index: HashMap<u128, Place>,
    /// Fragments some feed of this build wants; the others are dropped at the end.
    wanted: HashSet<u128>,
}

impl Fragments {
    pub(crate) fn new(index: FragmentIndex, pack: PackFile, pack_valid: bool) -> Fragments {
        let index = if pack_valid {
            index
                .fragments
                .iter()
                .filter_map(|(k, v)| Some((u128::from_str_radix(k, 16).ok()?, *v)))
                .collect()
        } else {
            HashMap::new()
        };
        Fragments {
            pack,
            index,
            wanted: HashSet::new(),
        }
    }

    pub(crate) fn want(&mut self, keys: impl IntoIterator<Item = u128>) {
        self.wanted.extend(keys);
    }

    pub(crate) fn get(&mut self, key: u128, formats: usize) -> Option<CachedFragment> {
        let at = *self.index.get(&key)?;
        let record = self.pack.read(at)?;
        let parts = split_parts(&record, formats + 1)?;
        Some(CachedFragment {
            diagnostics: serde_json::from_slice(parts[0]).ok()?,
            bytes: parts[1..].iter().map(|p| p.to_vec()).collect(),
        })
    }

    pub(crate) fn store(&mut self, key: u128, parts: &[Vec<u8>], diagnostics: &[Diagnostic]) {
        let diagnostics = serde_json::to_vec(diagnostics).unwrap_or_else(|_| b"[]".to_vec());
        let lens: Vec<[u8; 8]> = std::iter::once(&diagnostics)
            .chain(parts)
            .map(|p| part_len(p))
            .collect();
        let mut pieces: Vec<&[u8]> = Vec::with_capacity(2 * lens.len());
        for (len, part) in lens.iter().zip(std::iter::once(&diagnostics).chain(parts)) {
            pieces.push(len);
            pieces.push(part);
        }
        if let Some(at) = self.pack.append(&pieces) {
            self.index.insert(key, at);
        }
    }

    /// The index to save, or `None` when it would say what the saved one says.
    pub(crate) fn finish(mut self) -> std::io::Result<Option<FragmentIndex>> {
        let before = self.index.len();
        let wanted = &self.wanted;
        self.index.retain(|key, _| wanted.contains(key));
        if !self.pack.grew && self.index.len() == before {
            return Ok(None);
        }
        let mut keys: Vec<u128> = self.index.keys().copied().collect();
        keys.sort_by_key(|k| self.index[k].0);
        let live: Vec<Place> = keys.iter().map(|k| self.index[k]).collect();
        if let Some(moved) = self.pack.compact(&live)? {
            self.index = keys.into_iter().zip(moved).collect();
        }
        self.pack.flush()?;
        Ok(Some(FragmentIndex {
            pack_len: self.pack.end,
            fragments: self
                .index
                .iter()
                .map(|(k, v)| (format!("{k:032x}"), *v))
                .collect(),
        }))
    }
}

/// A feed file as the cache remembers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct FeedRecord {
    pub(crate) fingerprint: u64,
    pub(crate) len: u64,
}

/// `feeds.json`: each feed file (inside `out/`) and what it was written from.
pub(crate) type FeedsIndex = BTreeMap<String, FeedRecord>;
