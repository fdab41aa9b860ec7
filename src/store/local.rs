//! The local store: a directory, one folder per incident with human-readable files.
//!
//! ```text
//! <root>/incidents/<id>/meta.json         what the store knows of it (sentinel.bundle/v1)
//! <root>/incidents/<id>/raw-<hash>.txt    the text as given, credentials masked
//! <root>/incidents/<id>/report.json       the latest report (sentinel.report/v1)
//! <root>/incidents/<id>/probes.json       the last probe run's outputs (sentinel.probes/v1)
//! <root>/incidents/<id>/audit.jsonl       mitigate's append-only audit trail (sentinel.audit/v1)
//! <root>/incidents/<id>/postmortem.md     the draft as last written with `postmortem -o`
//! <root>/index.bin                        derived: what similar-search pre-selects by
//! <root>/.lock                            held only while one bundle is written
//! ```
//!
//! `meta.json` is the commit point of a bundle: it names its text by the text's hash, so a
//! crash before its rename leaves the previous meta and the previous text, and one after it the
//! new ones. A new bundle is built in a hidden folder and renamed into place whole. Every file
//! is written to a temporary name, synced and renamed, and the folder synced. Folders are
//! created 0700 and files 0600: pastes hold internal names and addresses even with credentials
//! masked. The index is derived data ([`super::index`]): rebuilt from the bundles whenever it
//! is missing, stale or damaged.
//!
//! A `meta.json` changed by sentinel (a confirmed root cause, [`LocalStore::update_meta`]) updates
//! the index in the same locked write. One edited by hand is read as edited wherever the
//! incident is loaded (listing, showing, and the full scoring of similar-search's candidates),
//! but the index does not notice it (that would cost a stat of every bundle per search): a
//! changed failure mode or service moves its pre-selection only after the next write to the
//! store, or at once when `index.bin` is deleted.

use super::index::{self, Index};
use super::{Imported, Meta, StoreError, Stored, Unreadable, similar, trgm};
use crate::analyze::SimilarMatch;
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

/// A store in a directory.
#[derive(Clone, Debug)]
pub struct LocalStore {
    root: PathBuf,
}

/// The held store-wide write lock.
pub(crate) struct Lock(#[allow(dead_code)] File);

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
        text: &[u8],
        report: impl FnOnce(&str) -> Option<String>,
    ) -> Result<(String, bool), StoreError> {
        let lock = self.lock()?;
        let mut idx = self.index_locked(&lock);
        if let Some(id) = idx.find_hash(&meta.hash) {
            return Ok((id.to_string(), false));
        }
        let ids = self.names();
        let mut id = base.to_string();
        let mut n = 2;
        while ids.iter().any(|o| o.eq_ignore_ascii_case(&id)) || self.dir(&id).exists() {
            id = format!("{base}-{n}");
            n += 1;
        }
        meta.id.clone_from(&id);
        self.write(&lock, &mut idx, &meta, text, report(&id).as_deref())?;
        Ok((id, true))
    }

    /// `similar --add`: add or replace an imported incident, all under the lock.
    pub fn import(&self, meta: Meta, text: &[u8], report: &str) -> Result<Imported, StoreError> {
        if !super::valid_id(&meta.id) {
            return Err(StoreError::BadId(meta.id.clone()));
        }
        let lock = self.lock()?;
        let mut idx = self.index_locked(&lock);
        let ids = self.names();
        if let Some(existing) = super::case_clash(&meta.id, ids.iter().map(String::as_str)) {
            return Err(StoreError::CaseClash {
                id: meta.id,
                existing,
            });
        }
        if let Some(other) = idx.find_hash(&meta.hash).filter(|o| *o != meta.id) {
            return Err(StoreError::SameText {
                id: meta.id.clone(),
                existing: other.to_string(),
            });
        }
        let old = if self.contains(&meta.id) {
            Some(read_bundle(&self.dir(&meta.id))?.meta)
        } else {
            None
        };
        let (meta, what) = super::merge_import(meta, old.as_ref())?;
        if what != Imported::Unchanged {
            self.write(&lock, &mut idx, &meta, text, Some(report))?;
        }
        Ok(what)
    }

    /// Write a bundle under the held lock: its meta, its masked text and (when given) its
    /// latest report. Files of the bundle not named here (evidence, audit log, postmortem) are
    /// kept.
    fn write(
        &self,
        _lock: &Lock,
        idx: &mut Index,
        meta: &Meta,
        text: &[u8],
        report: Option<&str>,
    ) -> Result<(), StoreError> {
        if !super::valid_id(&meta.id) {
            return Err(StoreError::BadId(meta.id.clone()));
        }
        let dir = self.dir(&meta.id);
        let meta_json = meta_bytes(&dir, meta)?;
        let text_name = text_file(&meta.hash);
        // the index learns of the write before it happens: a crash in between marks it stale
        index::mark_pending(&self.root)?;
        // the text under its own name first, then the meta: until the meta is renamed, the
        // old meta still names the old text. The report (derived from the text) comes last, and
        // a replaced bundle's old one goes first, so a crash never pairs a report with the
        // other text: at worst the bundle has none until the next investigation writes it.
        let files = |into: &Path| -> Result<(), StoreError> {
            write_atomic(&into.join(&text_name), text)?;
            write_atomic(&into.join("meta.json"), &meta_json)?;
            if let Some(r) = report {
                write_atomic(&into.join(super::attachment::REPORT), r.as_bytes())?;
            }
            Ok(())
        };
        if dir.join("meta.json").is_file() {
            remove_leftovers(&dir);
            if report.is_some() {
                match fs::remove_file(dir.join(super::attachment::REPORT)) {
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                        return Err(StoreError::Io {
                            path: dir.join(super::attachment::REPORT),
                            source: e,
                        });
                    }
                    _ => {}
                }
            }
            files(&dir)?;
            remove_old_texts(&dir, &text_name);
        } else {
            // a new bundle (or a folder some killed writer left without a meta): built aside,
            // renamed into place whole
            let build = self.incidents().join(format!(".new-{}", unique()));
            mkdir(&build)?;
            files(&build)?;
            if dir.exists() {
                let _ = fs::remove_dir_all(&dir);
            }
            fs::rename(&build, &dir).map_err(|source| StoreError::Io {
                path: dir.clone(),
                source,
            })?;
        }
        sync_dir(&self.incidents())?;
        put_meta(idx, meta);
        self.save_index(idx)
    }

    /// Change a stored bundle's meta with `f` (which says whether it changed anything), under
    /// the lock; the index learns the new signature. Returns the new meta when it changed.
    pub fn update_meta(
        &self,
        id: &str,
        f: impl FnOnce(&mut Meta) -> bool,
    ) -> Result<Option<Meta>, StoreError> {
        let lock = self.lock()?;
        if !self.contains(id) {
            return Err(StoreError::NotFound(id.to_string()));
        }
        let dir = self.dir(id);
        let mut meta = read_meta(&dir)?;
        if !f(&mut meta) {
            return Ok(None);
        }
        let mut idx = self.index_locked(&lock);
        index::mark_pending(&self.root)?;
        write_atomic(&dir.join("meta.json"), &meta_bytes(&dir, &meta)?)?;
        put_meta(&mut idx, &meta);
        self.save_index(&idx)?;
        Ok(Some(meta))
    }

    /// Save the index after a write it learnt of, and clear the mark the write set.
    fn save_index(&self, idx: &Index) -> Result<(), StoreError> {
        idx.save(&self.root)?;
        index::clear_pending(&self.root)
    }

    /// Replace one file of a stored bundle (see [`super::attachment`]), under the lock.
    pub fn attach(&self, id: &str, name: &str, body: &[u8]) -> Result<(), StoreError> {
        let _lock = self.lock()?;
        if !self.contains(id) {
            return Err(StoreError::NotFound(id.to_string()));
        }
        write_atomic(&self.dir(id).join(name), body)
    }

    /// Append one entry (a line) to a log of a stored bundle: opened for appending, written in
    /// one call and synced before this returns, so an entry written before a crash is kept and
    /// one cut short by it is at worst a partial last line (which [`LocalStore::log`] skips).
    pub fn append(&self, id: &str, name: &str, entry: &str) -> Result<(), StoreError> {
        use std::io::Write;
        if !self.contains(id) {
            return Err(StoreError::NotFound(id.to_string()));
        }
        let path = self.dir(id).join(name);
        let io = |source| StoreError::Io {
            path: path.clone(),
            source,
        };
        let mut f = fs::OpenOptions::new()
            .create(true)
            .read(true)
            .append(true)
            .open(&path)
            .map_err(io)?;
        // a last line cut short by a crash is ended first, so it cannot swallow this entry
        let mut line = String::new();
        if ends_cut(&mut f).map_err(io)? {
            line.push('\n');
        }
        line.push_str(&entry.replace('\n', " "));
        line.push('\n');
        f.write_all(line.as_bytes()).map_err(io)?;
        f.sync_data().map_err(io)
    }

    /// The entries of a log of a stored bundle, in the order written (a last line cut short by
    /// a crash is left out).
    pub fn log(&self, id: &str, name: &str) -> Result<Vec<String>, StoreError> {
        let Some(bytes) = self.attachment(id, name)? else {
            return Ok(Vec::new());
        };
        let text = String::from_utf8_lossy(&bytes);
        let complete = match text.rfind('\n') {
            Some(i) => &text[..i],
            None => "",
        };
        Ok(complete
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(str::to_string)
            .collect())
    }

    /// One file of a stored bundle, if it has it.
    pub fn attachment(&self, id: &str, name: &str) -> Result<Option<Vec<u8>>, StoreError> {
        if !self.contains(id) {
            return Err(StoreError::NotFound(id.to_string()));
        }
        let path = self.dir(id).join(name);
        match fs::read(&path) {
            Ok(b) => Ok(Some(b)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(StoreError::Io { path, source }),
        }
    }

    /// Import many incidents at once (history, benchmarks): each bundle is built aside and
    /// renamed into place like any other, but the files are not synced one by one, only the
    /// folder at the end, and the index is written once. A crash mid-import can lose part of
    /// the import, never an incident stored before. Incidents whose id or text is stored
    /// already are skipped. Returns how many were added.
    pub fn import_bulk(
        &self,
        items: impl IntoIterator<Item = (Meta, String)>,
    ) -> Result<usize, StoreError> {
        let lock = self.lock()?;
        let mut idx = self.index_locked(&lock);
        let mut hashes: std::collections::HashSet<String> =
            idx.entries().map(|e| e.hash.to_string()).collect();
        // ids differ in more than letter case, as in the Postgres store (one folder on macOS)
        let mut taken: std::collections::HashSet<String> = self
            .names()
            .iter()
            .map(|n| n.to_ascii_lowercase())
            .collect();
        index::mark_pending(&self.root)?;
        let mut added = 0;
        for (meta, text) in items {
            if !super::valid_id(&meta.id) {
                return Err(StoreError::BadId(meta.id));
            }
            let dir = self.dir(&meta.id);
            if !taken.insert(meta.id.to_ascii_lowercase()) || !hashes.insert(meta.hash.clone()) {
                continue;
            }
            let meta_json = meta_bytes(&dir, &meta)?;
            let build = self.incidents().join(format!(".new-{}", unique()));
            mkdir(&build)?;
            write_plain(&build.join(text_file(&meta.hash)), text.as_bytes())?;
            write_plain(&build.join("meta.json"), &meta_json)?;
            fs::rename(&build, &dir).map_err(|source| StoreError::Io {
                path: dir.clone(),
                source,
            })?;
            put_meta(&mut idx, &meta);
            added += 1;
        }
        sync_dir(&self.incidents())?;
        self.save_index(&idx)?;
        Ok(added)
    }

    /// One incident.
    pub fn load(&self, id: &str) -> Result<Stored, StoreError> {
        if !super::valid_id(id) {
            return Err(StoreError::BadId(id.to_string()));
        }
        if !self.contains(id) {
            return Err(StoreError::NotFound(id.to_string()));
        }
        read_bundle(&self.dir(id))
    }

    /// Every incident that reads, sorted by id, and the folders and files that do not.
    pub fn load_all(&self) -> (Vec<Stored>, Vec<Unreadable>) {
        let (dirs, mut bad) = self.scan();
        let mut ok = Vec::new();
        for d in dirs {
            match read_bundle(&d) {
                Ok(s) => ok.push(s),
                Err(e) => bad.push(unreadable(&d, e)),
            }
        }
        (ok, bad)
    }

    /// The stored ids, sorted.
    pub fn ids(&self) -> Vec<String> {
        self.scan()
            .0
            .iter()
            .filter_map(|d| d.file_name()?.to_str().map(str::to_string))
            .collect()
    }

    /// The names in `incidents/` that could be ids (no check for a `meta.json`: cheap).
    fn names(&self) -> Vec<String> {
        let Ok(entries) = fs::read_dir(self.incidents()) else {
            return Vec::new();
        };
        entries
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|n| super::valid_id(n))
            .collect()
    }

    /// The bundle whose newest file was written last (see [`super::Store::last_worked_on`]).
    pub fn last_worked_on(&self) -> Option<String> {
        let newest = |id: &str| -> Option<std::time::SystemTime> {
            fs::read_dir(self.dir(id))
                .ok()?
                .filter_map(|e| e.ok()?.metadata().ok()?.modified().ok())
                .max()
        };
        self.ids()
            .into_iter()
            .filter_map(|id| Some((newest(&id)?, id)))
            .max()
            .map(|(_, id)| id)
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
            // when the bundle was first stored: its folder's birth (a replaced text does not
            // make an incident younger), else its meta's last write
            let m = fs::metadata(self.dir(id))
                .and_then(|m| m.created())
                .or_else(|_| fs::metadata(&meta_path).and_then(|m| m.modified()))
                .ok()?;
            let secs = m.duration_since(std::time::UNIX_EPOCH).ok()?.as_secs();
            i64::try_from(secs).ok()
        })
    }

    /// The bundle folders, sorted, and the entries of `incidents/` that are not bundles (a
    /// folder with a name no id can have, or without a `meta.json`). Hidden entries are
    /// sentinel's own work in progress.
    fn scan(&self) -> (Vec<PathBuf>, Vec<Unreadable>) {
        let Ok(entries) = fs::read_dir(self.incidents()) else {
            return (Vec::new(), Vec::new());
        };
        let mut dirs = Vec::new();
        let mut bad = Vec::new();
        for e in entries.filter_map(|e| e.ok()) {
            let p = e.path();
            let name = e.file_name();
            let name = name.to_string_lossy();
            if name.starts_with('.') {
                continue;
            }
            if !super::valid_id(&name) {
                bad.push(Unreadable {
                    path: p,
                    reason: "not an incident folder: its name is not a valid incident id".into(),
                });
            } else if !p.join("meta.json").is_file() {
                bad.push(Unreadable {
                    reason: "no meta.json in it: not a bundle sentinel wrote".into(),
                    path: p,
                });
            } else {
                dirs.push(p);
            }
        }
        dirs.sort();
        bad.sort_by(|a, b| a.path.cmp(&b.path));
        (dirs, bad)
    }

    /// Remove one incident.
    pub fn remove(&self, id: &str) -> Result<(), StoreError> {
        if !super::valid_id(id) {
            return Err(StoreError::BadId(id.to_string()));
        }
        let lock = self.lock()?;
        let mut idx = self.index_locked(&lock);
        let dir = self.dir(id);
        if !dir.join("meta.json").is_file() {
            return Err(StoreError::NotFound(id.to_string()));
        }
        index::mark_pending(&self.root)?;
        // renamed first, so a crash halfway leaves no half-deleted bundle under its id
        let gone = self.incidents().join(format!(".rm-{}", unique()));
        fs::rename(&dir, &gone).map_err(|source| match source.kind() {
            std::io::ErrorKind::NotFound => StoreError::NotFound(id.to_string()),
            _ => StoreError::Io {
                path: dir.clone(),
                source,
            },
        })?;
        sync_dir(&self.incidents())?;
        // a bundle is a few files: deleting them keeps the lock for milliseconds (and a crash
        // now leaves a hidden folder the next writer clears)
        let _ = fs::remove_dir_all(&gone);
        idx.delete(id);
        self.save_index(&idx)?;
        drop(lock);
        Ok(())
    }

    /// Remove the incidents older than `age` seconds, one at a time, each under the lock only
    /// for its own removal; goes on past a failure.
    pub fn prune(&self, age: i64, now: i64) -> (Vec<String>, Vec<StoreError>) {
        let mut removed = Vec::new();
        let mut failed = Vec::new();
        for id in self.ids() {
            let Some(when) = self.incident_time(&id) else {
                continue;
            };
            if now - when > age {
                match self.remove(&id) {
                    Ok(()) => removed.push(id),
                    // removed meanwhile by someone else: what was asked is done
                    Err(StoreError::NotFound(_)) => {}
                    Err(e) => failed.push(e),
                }
            }
        }
        (removed, failed)
    }

    /// The `limit` stored incidents most like a query: the nearest [`similar::CANDIDATES`] by
    /// the index, then scored in full from their bundles.
    pub fn similar(
        &self,
        query: &Meta,
        text: &str,
        limit: usize,
    ) -> Result<(Vec<SimilarMatch>, Vec<Unreadable>), StoreError> {
        let idx = self.index()?;
        let q_sig = trgm::trigrams(&similar::signature_doc(query));
        let picked = similar::preselect(
            &q_sig,
            idx.entries()
                .filter(|e| e.id != query.id && e.hash != query.hash)
                .map(|e| (e.id, e.sig)),
        );
        let q = trgm::TrigramSet::new(&trgm::trigrams(similar::compared(text)));
        let mut bad = Vec::new();
        let mut candidates = Vec::new();
        for id in picked {
            let d = self.dir(id);
            match read_bundle(&d) {
                Ok(stored) => candidates.push(similar::Candidate::scored(stored, &q)),
                // removed or replaced since the index was read: gone, not broken
                Err(StoreError::Io { source, .. })
                    if source.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => bad.push(unreadable(&d, e)),
            }
        }
        Ok((similar::rank_candidates(query, candidates, limit), bad))
    }

    /// The index, current with the bundles (rebuilt under the lock when it is not).
    pub fn index(&self) -> Result<Index, StoreError> {
        if !index::pending(&self.root)
            && let Some(idx) = Index::load(&self.root)
        {
            return Ok(idx);
        }
        match self.lock() {
            Ok(lock) => Ok(self.index_locked(&lock)),
            // a store this user may only read: an index in memory, for this query only
            Err(StoreError::Io { source, .. })
                if matches!(
                    source.kind(),
                    std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
                ) =>
            {
                Ok(self.rebuild().0)
            }
            Err(e) => Err(e),
        }
    }

    /// The index, with the lock held: loaded, or rebuilt from the bundles when it is missing,
    /// damaged or stale (a write that never finished, folders changed behind its back).
    fn index_locked(&self, _lock: &Lock) -> Index {
        if !index::pending(&self.root)
            && let Some(idx) = Index::load(&self.root)
        {
            return idx;
        }
        let (idx, complete) = self.rebuild();
        // a failure to save costs the next reader a rebuild, never an incident; a meta that
        // could not be read for a passing reason (too many open files) leaves it pending
        if complete && idx.save(&self.root).is_ok() {
            let _ = index::clear_pending(&self.root);
        }
        idx
    }

    /// The index made from the bundles' metas (their texts are not needed), and whether every
    /// meta read or failed for good (damaged: such a bundle is reported by `incidents list`).
    fn rebuild(&self) -> (Index, bool) {
        let mut metas = Vec::new();
        let mut complete = true;
        for d in self.scan().0 {
            match read_meta(&d) {
                Ok(m) => metas.push(m),
                Err(StoreError::Corrupt { .. }) => {}
                Err(_) => complete = false,
            }
        }
        let idx = Index::build(metas.iter().map(|m| {
            (
                m.id.as_str(),
                m.hash.as_str(),
                trgm::trigrams(&similar::signature_doc(m)),
            )
        }));
        (idx, complete)
    }

    /// The store-wide write lock, held until the guard drops. Taking it also clears what
    /// writers killed while holding it left behind.
    pub(crate) fn lock(&self) -> Result<Lock, StoreError> {
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
        remove_leftovers(&self.incidents());
        remove_leftovers(&self.root);
        Ok(Lock(f))
    }
}

/// The file a bundle's text is kept in: named by its hash, so that `meta.json` alone says which
/// text is current.
fn text_file(hash: &str) -> String {
    format!("raw-{}.txt", &hash[..hash.len().min(16)])
}

fn unreadable(dir: &Path, e: StoreError) -> Unreadable {
    match e {
        StoreError::Corrupt { path, reason } => Unreadable { path, reason },
        StoreError::Io { path, source } => Unreadable {
            path,
            reason: source.to_string(),
        },
        e => Unreadable {
            path: dir.to_path_buf(),
            reason: e.to_string(),
        },
    }
}

/// Put a bundle's entry (its signature's trigrams) into the index.
fn put_meta(idx: &mut Index, meta: &Meta) {
    idx.put(
        &meta.id,
        &meta.hash,
        &trgm::trigrams(&similar::signature_doc(meta)),
    );
}

/// A meta as `meta.json` holds it.
fn meta_bytes(dir: &Path, meta: &Meta) -> Result<Vec<u8>, StoreError> {
    let mut json = serde_json::to_vec_pretty(meta).map_err(|e| StoreError::Io {
        path: dir.join("meta.json"),
        source: std::io::Error::other(e),
    })?;
    json.push(b'\n');
    Ok(json)
}

fn read_bundle(dir: &Path) -> Result<Stored, StoreError> {
    let meta = read_meta(dir)?;
    let mut text_path = dir.join(text_file(&meta.hash));
    if !text_path.is_file() {
        // bundles written before texts were named by their hash
        text_path = dir.join("raw.txt");
    }
    let text = fs::read(&text_path).map_err(|source| StoreError::Io {
        path: text_path,
        source,
    })?;
    Ok(Stored {
        meta,
        text: String::from_utf8_lossy(&text).into_owned(),
    })
}

/// A bundle's `meta.json`, checked: its schema, its id against the folder, its hash.
fn read_meta(dir: &Path) -> Result<Meta, StoreError> {
    let meta_path = dir.join("meta.json");
    let raw = fs::read(&meta_path).map_err(|source| StoreError::Io {
        path: meta_path.clone(),
        source,
    })?;
    let meta: Meta = serde_json::from_slice(&raw).map_err(|e| StoreError::Corrupt {
        path: meta_path.clone(),
        reason: e.to_string(),
    })?;
    if meta.schema != super::BUNDLE_SCHEMA {
        return Err(StoreError::Corrupt {
            path: meta_path,
            reason: format!(
                "schema {:?} is not {:?}, the one this sentinel reads (a newer sentinel wrote it?)",
                meta.schema,
                super::BUNDLE_SCHEMA
            ),
        });
    }
    let want = dir.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    if meta.id != want {
        return Err(StoreError::Corrupt {
            path: meta_path,
            reason: format!("its id {:?} is not its folder's name {want:?}", meta.id),
        });
    }
    if meta.hash.len() != 64 || !meta.hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(StoreError::Corrupt {
            path: meta_path,
            reason: format!("its hash {:?} is not a SHA-256 in hex", meta.hash),
        });
    }
    Ok(meta)
}

/// What writers killed while holding the lock left behind (the lock is held, so no live writer
/// owns any of it): temporary files, half-built bundles, renamed-away bundles not yet deleted.
fn remove_leftovers(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.filter_map(|e| e.ok()) {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if !name.starts_with('.') {
            continue;
        }
        if name.contains(".tmp-") {
            let _ = fs::remove_file(e.path());
        } else if name.starts_with(".new-") || name.starts_with(".rm-") {
            let _ = fs::remove_dir_all(e.path());
        }
    }
}

/// Texts a bundle no longer names (the meta now names `keep`).
fn remove_old_texts(dir: &Path, keep: &str) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.filter_map(|e| e.ok()) {
        let name = e.file_name();
        let name = name.to_string_lossy();
        let is_text = name == "raw.txt" || (name.starts_with("raw-") && name.ends_with(".txt"));
        if is_text && name != keep {
            let _ = fs::remove_file(e.path());
        }
    }
}

/// A name no other writer uses at the same time: pid, time and a counter.
fn unique() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!(
        "{}-{nanos}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

pub(crate) fn mkdir(dir: &Path) -> Result<(), StoreError> {
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|source| StoreError::Io {
            path: dir.to_path_buf(),
            source,
        })
}

/// Write a new file (owner-only), unsynced: for bundles built aside.
fn write_plain(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let io = |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut f = OpenOptions::new()
        .create_new(true)
        .write(true)
        .mode(0o600)
        .open(path)
        .map_err(io)?;
    f.write_all(bytes).map_err(io)
}

/// Write `bytes` to `path` so that a reader sees the old file or the new one, never a part.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let io = |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    };
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let tmp = path.with_file_name(format!(".{name}.tmp-{}", unique()));
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

pub(crate) fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|source| StoreError::Io {
            path: dir.to_path_buf(),
            source,
        })
}

/// Does the file end inside a line (its last byte is not a newline)?
fn ends_cut(f: &mut fs::File) -> std::io::Result<bool> {
    use std::io::{Read, Seek, SeekFrom};
    let len = f.metadata()?.len();
    if len == 0 {
        return Ok(false);
    }
    f.seek(SeekFrom::Start(len - 1))?;
    let mut last = [0u8; 1];
    f.read_exact(&mut last)?;
    Ok(last[0] != b'\n')
}
