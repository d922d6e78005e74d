//! An append-only file of records: a build appends what it learned; an index (kept elsewhere)
//! says where each record is. Bytes past the index's length (a killed build's) are
//! overwritten.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where a record is: (offset, length).
pub(crate) type Place = (u64, u64);

#[derive(Debug)]
pub(crate) struct PackFile {
    path: PathBuf,
    /// Appends go through a buffer, sequentially from `end`: ten thousand records are a few
    /// large writes, not ten thousand small ones.
    file: Option<BufWriter<File>>,
    /// A second handle for reads at an offset: readers on several threads need no lock and
    /// never disturb the writer's position. Only records of earlier builds (or flushed ones)
    /// are read.
    reader: PackReader,
    /// Where the next record goes; the pack's valid length.
    pub(crate) end: u64,
    /// Records were appended or the pack was compacted since it was opened.
    pub(crate) grew: bool,
}

impl PackFile {
    /// Opens the pack at `path`, of which the index covers `indexed_len` bytes; the flag is
    /// false when the file is shorter than that (the index cannot be trusted).
    pub(crate) fn open(path: &Path, indexed_len: u64) -> (PackFile, bool) {
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
        // Bytes past the index (a killed build's) are overwritten from `end` on.
        let file = file.and_then(|mut f| f.seek(SeekFrom::Start(end)).ok().map(|_| f));
        let reader = PackReader(file.as_ref().and_then(|f| f.try_clone().ok()).map(Arc::new));
        let pack = PackFile {
            path: path.to_path_buf(),
            file: file.map(|f| BufWriter::with_capacity(1 << 20, f)),
            reader,
            end,
            grew: false,
        };
        (pack, valid)
    }

    /// A pack that is never written (a build without a cache folder).
    pub(crate) fn none() -> PackFile {
        PackFile {
            path: PathBuf::new(),
            file: None,
            reader: PackReader(None),
            end: 0,
            grew: false,
        }
    }

    /// The record at `place`, if it can be read whole.
    pub(crate) fn read(&self, place: Place) -> Option<Vec<u8>> {
        self.reader.read(place)
    }

    /// A handle that reads records without the pack (and so without its lock).
    pub(crate) fn reader(&self) -> PackReader {
        self.reader.clone()
    }

    /// Appends a record made of `parts`; `None` once the pack cannot be written (the cache
    /// then only makes the next build slower).
    pub(crate) fn append(&mut self, parts: &[&[u8]]) -> Option<Place> {
        let offset = self.end;
        let writer = self.file.as_mut()?;
        if parts
            .iter()
            .try_for_each(|part| writer.write_all(part))
            .is_err()
        {
            self.file = None;
            return None;
        }
        let len: u64 = parts.iter().map(|p| p.len() as u64).sum();
        self.end += len;
        self.grew = true;
        Some((offset, len))
    }

    /// Writes out what is buffered.
    pub(crate) fn flush(&mut self) -> io::Result<()> {
        match self.file.as_mut() {
            Some(writer) => writer.flush(),
            None => Ok(()),
        }
    }

    /// Rewrites the pack with only `live` records once most of it is garbage; returns the new
    /// place of each record (same order as `live`).
    pub(crate) fn compact(&mut self, live: &[Place]) -> io::Result<Option<Vec<Place>>> {
        let live_bytes: u64 = live.iter().map(|(_, len)| len).sum();
        if self.end <= 2 * live_bytes + (1 << 20) || self.file.is_none() {
            return Ok(None);
        }
        // Records appended by this build are read back below.
        self.flush()?;
        let tmp = self.path.with_extension("pack.new");
        let mut out = BufWriter::new(File::create(&tmp)?);
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
        out.into_inner()
            .map_err(std::io::IntoInnerError::into_error)?;
        fs::rename(&tmp, &self.path)?;
        let path = self.path.clone();
        *self = PackFile::open(&path, end).0;
        self.grew = true;
        Ok(Some(moved))
    }
}

/// Reads records of a pack from any thread.
#[derive(Debug, Clone)]
pub(crate) struct PackReader(Option<Arc<File>>);

impl PackReader {
    /// The record at `place`, if it can be read whole.
    pub(crate) fn read(&self, (offset, len): Place) -> Option<Vec<u8>> {
        let file = self.0.as_ref()?;
        let mut bytes = vec![0u8; usize::try_from(len).ok()?];
        crate::output::read_exact_at(file, &mut bytes, offset).ok()?;
        Some(bytes)
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
        let a = pack.append(&[b"fir", b"st"]).unwrap();
        let garbage = pack.append(&[&vec![b'g'; 2 << 20]]).unwrap();
        let b = pack.append(&[b"second"]).unwrap();
        assert_eq!(pack.read(garbage).unwrap().len(), 2 << 20);
        let moved = pack.compact(&[a, b]).unwrap().expect("mostly garbage");
        assert_eq!(pack.read(moved[0]).unwrap(), b"first");
        assert_eq!(pack.read(moved[1]).unwrap(), b"second");
        assert_eq!(pack.end, 11);
        // Little garbage: left alone.
        assert!(pack.compact(&moved).unwrap().is_none());
        pack.flush().unwrap();
        // An index longer than the file it names is not trusted.
        assert!(!PackFile::open(&path, 1 << 30).1);
    }
}
