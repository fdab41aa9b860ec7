//! The log probe: a grep over files and folders (recursively, in name order) for a probe's
//! pattern, with the count, the first and last matching lines and a few examples. Reads only.

use std::path::{Path, PathBuf};

/// Most bytes read from one file.
const FILE_CAP: u64 = 1 << 30;
/// Example lines kept.
const EXAMPLES: usize = 3;

/// What a grep found.
#[derive(Debug, Default)]
pub struct Grep {
    /// Files searched.
    pub files: usize,
    /// Matching lines.
    pub count: usize,
    /// The first matches (file, 1-based line, text).
    pub first: Vec<(PathBuf, usize, String)>,
    /// The last match.
    pub last: Option<(PathBuf, usize, String)>,
    /// Files that could not be read, with the reason.
    pub unreadable: Vec<(PathBuf, String)>,
}

/// Every regular file under `paths` (a file is itself; a folder is walked), sorted within each
/// folder, hidden entries skipped.
pub fn files(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        walk(p, &mut out, 0);
    }
    out
}

fn walk(p: &Path, out: &mut Vec<PathBuf>, depth: usize) {
    if p.is_file() {
        out.push(p.to_path_buf());
        return;
    }
    if depth > 16 {
        return;
    }
    let Ok(rd) = std::fs::read_dir(p) else { return };
    let mut entries: Vec<PathBuf> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|e| {
            !e.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'))
        })
        .collect();
    entries.sort();
    for e in entries {
        walk(&e, out, depth + 1);
    }
}

/// Grep `files` for `re`.
pub fn grep(files: &[PathBuf], re: &regex::bytes::Regex) -> Grep {
    use std::io::Read;
    let mut g = Grep::default();
    for f in files {
        let mut buf = Vec::new();
        let read = std::fs::File::open(f).and_then(|h| h.take(FILE_CAP).read_to_end(&mut buf));
        if let Err(e) = read {
            g.unreadable.push((f.clone(), e.to_string()));
            continue;
        }
        g.files += 1;
        for (i, line) in buf.split(|b| *b == b'\n').enumerate() {
            if !re.is_match(line) {
                continue;
            }
            g.count += 1;
            let text = String::from_utf8_lossy(line).trim_end().to_string();
            if g.first.len() < EXAMPLES {
                g.first.push((f.clone(), i + 1, text.clone()));
            }
            g.last = Some((f.clone(), i + 1, text));
        }
    }
    g
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_keeps_first_and_last() {
        let dir = tempfile::tempdir().expect("tmp");
        std::fs::write(dir.path().join("a.log"), "ok\nERROR too many clients\nok\n").expect("w");
        std::fs::create_dir(dir.path().join("sub")).expect("d");
        std::fs::write(
            dir.path().join("sub/b.log"),
            "too many clients again\nfine\n",
        )
        .expect("w");
        std::fs::write(dir.path().join(".hidden"), "too many clients\n").expect("w");
        let fs = files(&[dir.path().to_path_buf()]);
        assert_eq!(fs.len(), 2);
        let g = grep(
            &fs,
            &regex::bytes::Regex::new("too many clients").expect("re"),
        );
        assert_eq!(g.count, 2);
        assert_eq!(g.first[0].1, 2);
        assert_eq!(
            g.last.as_ref().map(|l| l.2.as_str()),
            Some("too many clients again")
        );
    }
}
