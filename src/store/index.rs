//! The local store's index: for every bundle, its id, its text's hash and the trigrams of its
//! [`signature_doc`](super::similar::signature_doc), in one file read whole per query, so a
//! similar-search over 100,000 incidents reads one file instead of 100,000 folders.
//!
//! It is derived data. It records the modification time of `incidents/` it was written for;
//! a folder added or removed behind sentinel's back changes that time, and a writer marks the
//! index pending (`index.pending`) before it touches a bundle and clears the mark after it
//! saved the index. A missing, damaged (checksum), stale or pending index is rebuilt from the
//! bundles under the store's lock: a crash can cost a rebuild, never an incident. A `meta.json`
//! edited by hand inside a bundle changes no folder time: the next write to the store, or
//! deleting `index.bin`, brings the index up to date with it.
//!
//! ```text
//! "SNTLIDX1"  u32 count  i64 mtime-seconds  u32 mtime-nanos
//! count × { u16 id length, id, 64 hex hash, u16 trigram count, 3 bytes per trigram }
//! u64 checksum of everything before it
//! ```

use super::StoreError;
use super::trgm::Trigram;
use std::ops::Range;
use std::path::{Path, PathBuf};

const MAGIC: &[u8; 8] = b"SNTLIDX1";

/// One indexed bundle.
pub struct Entry<'a> {
    /// Its id.
    pub id: &'a str,
    /// Its text's hash.
    pub hash: &'a str,
    /// The trigrams of its signature doc, sorted.
    pub sig: &'a [Trigram],
}

struct Item {
    id: Range<usize>,
    hash: Range<usize>,
    sig: Range<usize>,
}

/// The index, in memory: one buffer and the places of each entry in it.
pub struct Index {
    buf: Vec<u8>,
    items: Vec<Item>,
    mtime: (i64, u32),
}

fn path(root: &Path) -> PathBuf {
    root.join("index.bin")
}

fn pending_path(root: &Path) -> PathBuf {
    root.join("index.pending")
}

/// Mark the index as about to go stale (a writer, under the lock, before it writes a bundle).
pub fn mark_pending(root: &Path) -> Result<(), StoreError> {
    let p = pending_path(root);
    if p.exists() {
        return Ok(());
    }
    super::local::write_atomic(&p, b"a bundle is being written; the index may be stale\n")
}

/// The index matches the bundles again.
pub fn clear_pending(root: &Path) -> Result<(), StoreError> {
    match std::fs::remove_file(pending_path(root)) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(source) => Err(StoreError::Io {
            path: pending_path(root),
            source,
        }),
    }
}

/// Is a write in progress, or did one die before it saved the index?
pub fn pending(root: &Path) -> bool {
    pending_path(root).exists()
}

/// The modification time of `incidents/`: any folder added, renamed or removed changes it.
pub fn dir_mtime(root: &Path) -> (i64, u32) {
    std::fs::metadata(root.join("incidents"))
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| {
            (
                i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
                d.subsec_nanos(),
            )
        })
        .unwrap_or((0, 0))
}

/// A fast checksum: FNV-style over 8-byte words.
fn checksum(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let (words, rest) = bytes.as_chunks::<8>();
    for w in words {
        h = (h ^ u64::from_le_bytes(*w)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    for &b in rest {
        h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

impl Index {
    /// An index of these bundles (id, hash, signature trigrams).
    pub fn build<'a>(entries: impl IntoIterator<Item = (&'a str, &'a str, Vec<Trigram>)>) -> Index {
        let mut idx = Index {
            buf: Vec::new(),
            items: Vec::new(),
            mtime: (0, 0),
        };
        for (id, hash, sig) in entries {
            idx.push(id, hash, &sig);
        }
        idx
    }

    fn push(&mut self, id: &str, hash: &str, sig: &[Trigram]) {
        let start = self.buf.len();
        self.buf.extend_from_slice(id.as_bytes());
        let id_end = self.buf.len();
        self.buf.extend_from_slice(hash.as_bytes());
        let hash_end = self.buf.len();
        self.buf.extend_from_slice(sig.as_flattened());
        self.items.push(Item {
            id: start..id_end,
            hash: id_end..hash_end,
            sig: hash_end..self.buf.len(),
        });
    }

    /// How many bundles it holds.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Does it hold none?
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Its entries.
    pub fn entries(&self) -> impl Iterator<Item = Entry<'_>> {
        self.items.iter().map(|it| Entry {
            // the ranges were made from &str and checked when loaded
            id: std::str::from_utf8(&self.buf[it.id.clone()]).unwrap_or_default(),
            hash: std::str::from_utf8(&self.buf[it.hash.clone()]).unwrap_or_default(),
            sig: self.buf[it.sig.clone()].as_chunks::<3>().0,
        })
    }

    /// The id of the bundle whose text hashes to `hash`.
    pub fn find_hash(&self, hash: &str) -> Option<&str> {
        self.entries().find(|e| e.hash == hash).map(|e| e.id)
    }

    /// Add or replace a bundle's entry.
    pub fn put(&mut self, id: &str, hash: &str, sig: &[Trigram]) {
        self.delete(id);
        self.push(id, hash, sig);
    }

    /// Forget a bundle.
    pub fn delete(&mut self, id: &str) {
        let buf = &self.buf;
        self.items.retain(|it| &buf[it.id.clone()] != id.as_bytes());
    }

    /// Write it (atomically), recording the current time of `incidents/`.
    pub fn save(&self, root: &Path) -> Result<(), StoreError> {
        let mtime = dir_mtime(root);
        let mut out = Vec::with_capacity(self.buf.len() + self.items.len() * 4 + 32);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(
            &u32::try_from(self.items.len())
                .unwrap_or(u32::MAX)
                .to_le_bytes(),
        );
        out.extend_from_slice(&mtime.0.to_le_bytes());
        out.extend_from_slice(&mtime.1.to_le_bytes());
        for e in self.entries() {
            // ids are at most 100 bytes; a signature doc has a few hundred trigrams at most
            let n = u16::try_from(e.sig.len()).unwrap_or(u16::MAX);
            out.extend_from_slice(&(e.id.len() as u16).to_le_bytes());
            out.extend_from_slice(e.id.as_bytes());
            out.extend_from_slice(e.hash.as_bytes());
            out.extend_from_slice(&n.to_le_bytes());
            out.extend_from_slice(e.sig[..usize::from(n)].as_flattened());
        }
        let sum = checksum(&out);
        out.extend_from_slice(&sum.to_le_bytes());
        super::local::write_atomic(&path(root), &out)
    }

    /// The saved index, if it reads, its checksum holds, and it was written for the current
    /// state of `incidents/`.
    pub fn load(root: &Path) -> Option<Index> {
        let buf = std::fs::read(path(root)).ok()?;
        let idx = Index::parse(buf)?;
        (idx.mtime == dir_mtime(root)).then_some(idx)
    }

    fn parse(buf: Vec<u8>) -> Option<Index> {
        let body_len = buf.len().checked_sub(8)?;
        let (body, sum) = buf.split_at(body_len);
        if checksum(body) != u64::from_le_bytes(sum.try_into().ok()?) || !body.starts_with(MAGIC) {
            return None;
        }
        let mut at = MAGIC.len();
        let mut take = |n: usize| -> Option<Range<usize>> {
            let r = at..at.checked_add(n)?;
            (r.end <= body_len).then(|| {
                at = r.end;
                r
            })
        };
        let count = u32::from_le_bytes(buf[take(4)?].try_into().ok()?) as usize;
        let secs = i64::from_le_bytes(buf[take(8)?].try_into().ok()?);
        let nanos = u32::from_le_bytes(buf[take(4)?].try_into().ok()?);
        let mut items = Vec::with_capacity(count.min(body_len / 70));
        for _ in 0..count {
            let n = u16::from_le_bytes(buf[take(2)?].try_into().ok()?) as usize;
            let id = take(n)?;
            let hash = take(64)?;
            let t = u16::from_le_bytes(buf[take(2)?].try_into().ok()?) as usize;
            let sig = take(t * 3)?;
            // the checksum held: the ids and hashes are those written (ASCII, checked then)
            if !buf[id.clone()].is_ascii() || !buf[hash.clone()].is_ascii() {
                return None;
            }
            items.push(Item { id, hash, sig });
        }
        (at == body_len).then_some(Index {
            buf,
            items,
            mtime: (secs, nanos),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::trgm::trigrams;

    #[test]
    fn round_trip_and_damage_is_detected() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("incidents")).unwrap();
        let h1 = "a".repeat(64);
        let h2 = "b".repeat(64);
        let mut idx = Index::build([
            ("INC-1", h1.as_str(), trigrams("pool exhausted")),
            ("INC-2", h2.as_str(), trigrams("disk full")),
        ]);
        idx.put("INC-1", &h1, &trigrams("pool exhausted again"));
        idx.delete("INC-2");
        idx.put("INC-3", &h2, &trigrams("oom killed"));
        idx.save(dir.path()).unwrap();
        let back = Index::load(dir.path()).expect("loads");
        let got: Vec<(String, usize)> = back
            .entries()
            .map(|e| (e.id.to_string(), e.sig.len()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("INC-1".into(), trigrams("pool exhausted again").len()),
                ("INC-3".into(), trigrams("oom killed").len())
            ]
        );
        assert_eq!(back.find_hash(&h2), Some("INC-3"));
        // one flipped byte, a truncation: not an index
        let p = path(dir.path());
        let mut raw = std::fs::read(&p).unwrap();
        raw[20] ^= 1;
        assert!(Index::parse(raw.clone()).is_none());
        raw[20] ^= 1;
        raw.truncate(raw.len() - 3);
        assert!(Index::parse(raw).is_none());
        // a folder added behind its back: stale
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::create_dir(dir.path().join("incidents").join("INC-9")).unwrap();
        assert!(Index::load(dir.path()).is_none());
    }
}
