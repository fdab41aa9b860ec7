//! The local store: a directory, one folder per incident with human-readable files.
//!
//! ```text
//! <root>/incidents/<id>/meta.json    what the store knows of it (sentinel.bundle/v1)
//! <root>/incidents/<id>/raw.txt      the text as given, credentials masked
//! <root>/incidents/<id>/report.json  the latest report (sentinel.report/v1)
//! <root>/.lock                       held only while one bundle is written
//! ```
//!
//! Every file is written to a temporary name, synced and renamed over the old one, and the folder
//! is synced, so a crash mid-write leaves the previous version. Folders are created 0700 and files
//! 0600: pastes hold internal names and addresses even with credentials masked.

use super::{Meta, StoreError, Stored};
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

/// A store in a directory.
#[derive(Clone, Debug)]
pub struct LocalStore {
    root: PathBuf,
}

/// A bundle file that could not be read, and why; the others still load.
#[derive(Clone, Debug)]
pub struct Unreadable {
    /// The file.
    pub path: PathBuf,
    /// Why.
    pub reason: String,
}

impl LocalStore {
    /// Open (creating when missing) the store at `root`.
    pub fn open(root: &Path) -> Result<LocalStore, StoreError> {
        let s = LocalStore {
            root: root.to_path_buf(),
        };
        mkdir(&s.incidents())?;
        Ok(s)
    }

    /// Open the store at `root` only if it exists (for readers that must not create it).
    pub fn existing(root: &Path) -> Option<LocalStore> {
        root.join("incidents").is_dir().then(|| LocalStore {
            root: root.to_path_buf(),
        })
    }

    /// Its directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn incidents(&self) -> PathBuf {
        self.root.join("incidents")
    }

    fn dir(&self, id: &str) -> PathBuf {
        self.incidents().join(id)
    }

    /// Is there an incident with this id?
    pub fn contains(&self, id: &str) -> bool {
        super::valid_id(id) && self.dir(id).join("meta.json").is_file()
    }

    /// Store a new incident under `base` (or `base-2`, `base-3`, … when taken), unless one with
    /// the same text is stored already. Returns its id and whether it is new. The lookup and the
    /// write happen under the store's lock, so two processes never take the same id.
    pub fn insert(
        &self,
        mut meta: Meta,
        base: &str,
        text: &str,
        report: impl FnOnce(&str) -> Option<String>,
    ) -> Result<(String, bool), StoreError> {
        let _lock = self.lock()?;
        if let Some(id) = self.find_hash(&meta.hash) {
            return Ok((id, false));
        }
        let mut id = base.to_string();
        let mut n = 2;
        while self.dir(&id).exists() {
            id = format!("{base}-{n}");
            n += 1;
        }
        meta.id.clone_from(&id);
        self.write(&meta, text, report(&id).as_deref())?;
        Ok((id, true))
    }

    /// Write a bundle: its meta, its masked text and (when given) its latest report. Files of
    /// the bundle not named here (evidence, audit log, postmortem) are kept.
    pub fn save(&self, meta: &Meta, text: &str, report: Option<&str>) -> Result<(), StoreError> {
        let _lock = self.lock()?;
        self.write(meta, text, report)
    }

    fn write(&self, meta: &Meta, text: &str, report: Option<&str>) -> Result<(), StoreError> {
        if !super::valid_id(&meta.id) {
            return Err(StoreError::BadId(meta.id.clone()));
        }
        let dir = self.dir(&meta.id);
        mkdir(&dir)?;
        remove_leftovers(&dir);
        let meta_json = serde_json::to_string_pretty(meta).map_err(|e| StoreError::Io {
            path: dir.join("meta.json"),
            source: std::io::Error::other(e),
        })?;
        // the text first: a bundle is listed by its meta, so it never points at a missing text
        write_atomic(&dir.join("raw.txt"), text.as_bytes())?;
        if let Some(r) = report {
            write_atomic(&dir.join("report.json"), r.as_bytes())?;
        }
        write_atomic(&dir.join("meta.json"), format!("{meta_json}\n").as_bytes())?;
        sync_dir(&self.incidents())
    }

    /// One incident.
    pub fn load(&self, id: &str) -> Result<Stored, StoreError> {
        if !self.contains(id) {
            return Err(StoreError::NotFound(id.to_string()));
        }
        read_bundle(&self.dir(id))
    }

    /// Every incident that reads, sorted by id, and the files that do not.
    pub fn load_all(&self) -> (Vec<Stored>, Vec<Unreadable>) {
        let mut ok = Vec::new();
        let mut bad = Vec::new();
        for d in self.bundle_dirs() {
            match read_bundle(&d) {
                Ok(s) => ok.push(s),
                Err(StoreError::Corrupt { path, reason }) => bad.push(Unreadable { path, reason }),
                Err(StoreError::Io { path, source }) => bad.push(Unreadable {
                    path,
                    reason: source.to_string(),
                }),
                Err(e) => bad.push(Unreadable {
                    path: d,
                    reason: e.to_string(),
                }),
            }
        }
        (ok, bad)
    }

    /// The stored ids, sorted.
    pub fn ids(&self) -> Vec<String> {
        self.bundle_dirs()
            .iter()
            .filter_map(|d| d.file_name()?.to_str().map(str::to_string))
            .collect()
    }

    /// When an incident happened, in Unix seconds: the date its text gives, else when it was
    /// stored.
    pub fn incident_time(&self, id: &str) -> Option<i64> {
        let meta_path = self.dir(id).join("meta.json");
        let dated = fs::read(&meta_path)
            .ok()
            .and_then(|raw| serde_json::from_slice::<Meta>(&raw).ok())
            .and_then(|m| m.date)
            .and_then(|d| d.parse::<jiff::civil::Date>().ok())
            .and_then(|d| d.to_zoned(jiff::tz::TimeZone::UTC).ok())
            .map(|z| z.timestamp().as_second());
        dated.or_else(|| {
            let m = fs::metadata(&meta_path).ok()?.modified().ok()?;
            let secs = m.duration_since(std::time::UNIX_EPOCH).ok()?.as_secs();
            i64::try_from(secs).ok()
        })
    }

    /// The incident whose text hashes to `hash`, if one is stored.
    pub fn find_hash(&self, hash: &str) -> Option<String> {
        self.bundle_dirs().into_iter().find_map(|d| {
            let raw = fs::read(d.join("meta.json")).ok()?;
            let meta: Meta = serde_json::from_slice(&raw).ok()?;
            (meta.hash == hash).then_some(meta.id)
        })
    }

    /// The bundle folders, sorted: those with a `meta.json` (a folder without one is a write
    /// that never finished, and holds no incident).
    fn bundle_dirs(&self) -> Vec<PathBuf> {
        let Ok(entries) = fs::read_dir(self.incidents()) else {
            return Vec::new();
        };
        let mut dirs: Vec<PathBuf> = entries
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(super::valid_id)
                    && p.join("meta.json").is_file()
            })
            .collect();
        dirs.sort();
        dirs
    }

    /// Remove one incident.
    pub fn remove(&self, id: &str) -> Result<(), StoreError> {
        if !self.contains(id) {
            return Err(StoreError::NotFound(id.to_string()));
        }
        let _lock = self.lock()?;
        let dir = self.dir(id);
        // rename first, so a crash halfway leaves no half-deleted bundle under its id
        let gone = self
            .incidents()
            .join(format!(".rm-{id}-{}", std::process::id()));
        fs::rename(&dir, &gone).map_err(|source| StoreError::Io {
            path: dir.clone(),
            source,
        })?;
        sync_dir(&self.incidents())?;
        fs::remove_dir_all(&gone).map_err(|source| StoreError::Io { path: gone, source })
    }

    /// The store-wide write lock, held until the guard drops.
    fn lock(&self) -> Result<File, StoreError> {
        let path = self.root.join(".lock");
        let f = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .mode(0o600)
            .open(&path)
            .map_err(|source| StoreError::Io {
                path: path.clone(),
                source,
            })?;
        f.lock().map_err(|source| StoreError::Io { path, source })?;
        Ok(f)
    }
}

fn read_bundle(dir: &Path) -> Result<Stored, StoreError> {
    let meta_path = dir.join("meta.json");
    let raw = fs::read(&meta_path).map_err(|source| StoreError::Io {
        path: meta_path.clone(),
        source,
    })?;
    let meta: Meta = serde_json::from_slice(&raw).map_err(|e| StoreError::Corrupt {
        path: meta_path.clone(),
        reason: format!("line {}, column {}: {e}", e.line(), e.column()),
    })?;
    let want = dir.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    if meta.id != want {
        return Err(StoreError::Corrupt {
            path: meta_path,
            reason: format!("its id {:?} is not its folder's name {want:?}", meta.id),
        });
    }
    let text_path = dir.join("raw.txt");
    let text = fs::read(&text_path).map_err(|source| StoreError::Io {
        path: text_path,
        source,
    })?;
    Ok(Stored {
        meta,
        text: String::from_utf8_lossy(&text).into_owned(),
    })
}

/// Temporary files of writers that were killed before their rename (the lock is held, so no
/// live writer owns one).
fn remove_leftovers(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.filter_map(|e| e.ok()) {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') && name.contains(".tmp-") {
            let _ = fs::remove_file(e.path());
        }
    }
}

fn mkdir(dir: &Path) -> Result<(), StoreError> {
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|source| StoreError::Io {
            path: dir.to_path_buf(),
            source,
        })
}

/// Write `bytes` to `path` so that a reader sees the old file or the new one, never a part.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let io = |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    };
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let tmp = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    let mut f = OpenOptions::new()
        .create(true)
        .truncate(true)
        .write(true)
        .mode(0o600)
        .open(&tmp)
        .map_err(io)?;
    f.write_all(bytes).map_err(io)?;
    f.sync_all().map_err(io)?;
    drop(f);
    fs::rename(&tmp, path).map_err(io)?;
    if let Some(parent) = path.parent() {
        sync_dir(parent)?;
    }
    Ok(())
}

fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|source| StoreError::Io {
            path: dir.to_path_buf(),
            source,
        })
}
