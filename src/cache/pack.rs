//! An append-only file of records: a build appends what it learned; an index (kept elsewhere)
//! says where each record is. Bytes past the index's length (a killed build's) are
//! overwritten.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// Where a record is: (offset, length).
pub(crate) type Place = (u64, u64);

#[derive(Debug)]
pub(crate) struct PackFile {
    path: PathBuf,
    /// Appends go through a buffer: ten thousand records are a few large writes, not ten
    /// thousand small ones. Reads flush it first.
    file: Option<BufWriter<File>>,
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
        let pack = PackFile {
            path: path.to_path_buf(),
            file: file.map(|f| BufWriter::with_capacity(1 << 20, f)),
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
            end: 0,
            grew: false,
        }
    }

    pub(crate) fn read(&mut self, (offset, len): Place) -> Option<Vec<u8>> {
        let writer = self.file.as_mut()?;
        writer.flush().ok()?;
        let file = writer.get_mut();
        file.seek(SeekFrom::Start(offset)).ok()?;
        let mut bytes = vec![0u8; usize::try_from(len).ok()?];
        file.read_exact(&mut bytes).ok()?;
        Some(bytes)
    }

    /// Appends a record made of `parts`; `None` once the pack cannot be written (the cache
    /// then only makes the next build slower).
    pub(crate) fn append(&mut self, parts: &[&[u8]]) -> Option<Place> {
        let offset = self.end;
        let writer = self.file.as_mut()?;
        let written = writer
            .seek(SeekFrom::Start(offset))
            .and_then(|_| parts.iter().try_for_each(|part| writer.write_all(part)));
        if written.is_err() {
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
        out.into_inner().map_err(|e| e.into_error())?;
        fs::rename(&tmp, &self.path)?;
        let path = self.path.clone();
        *self = PackFile::open(&path, end).0;
        self.grew = true;
        Ok(Some(moved))
    }
}

/// Splits a record written as length-prefixed parts back into its parts.
pub(crate) fn split_parts(record: &[u8], count: usize) -> Option<Vec<&[u8]>> {
    let mut rest = record;
    let mut parts = Vec::with_capacity(count);
    for _ in 0..count {
        let len = usize::try_from(u64::from_le_bytes(rest.get(..8)?.try_into().ok()?)).ok()?;
        parts.push(rest.get(8..8usize.checked_add(len)?)?);
        rest = &rest[8 + len..];
    }
    Some(parts)
}

/// The length prefix of one part of a record.
pub(crate) fn part_len(part: &[u8]) -> [u8; 8] {
    (part.len() as u64).to_le_bytes()
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

    #[test]
    fn records_split_into_the_parts_they_were_written_from() {
        let parts: [&[u8]; 3] = [b"diag", b"", b"<item/>"];
        let mut record = Vec::new();
        for part in parts {
            record.extend_from_slice(&part_len(part));
            record.extend_from_slice(part);
        }
        assert_eq!(split_parts(&record, 3).unwrap(), parts.to_vec());
        // A truncated record is refused, not read past its end.
        assert!(split_parts(&record[..record.len() - 1], 3).is_none());
        assert!(split_parts(&record, 4).is_none());
    }
}
