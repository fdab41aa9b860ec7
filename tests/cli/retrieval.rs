//! Retrieval quality: a second, independently worded account of each fixture incident
//! (`fixtures/similar/`) finds the original first among all of them.

use crate::util::root;
use sentinel::analyze::{Targets, analyze};
use sentinel::playbook::Library;
use sentinel::store::{self, Stored, similar};

fn stored(lib: &Library, id: &str, text: &str) -> Stored {
    let r = analyze(text, &Default::default(), lib, &Targets::default());
    let masked = sentinel::ingest::Masked::new(text).into_text();
    Stored {
        meta: store::meta_for(&r, &masked, "import", id.to_string()),
        text: masked,
    }
}

#[test]
fn a_reworded_account_finds_its_incident() {
    let lib = Library::builtin().expect("playbooks");
    let dir = root().join("fixtures/similar");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("fixtures/similar")
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.ends_with(".txt"))
        .collect();
    names.sort();
    assert!(names.len() >= 20, "only {} reworded accounts", names.len());
    let history: Vec<Stored> = names
        .iter()
        .map(|n| {
            let t = std::fs::read_to_string(root().join("fixtures/incidents").join(n))
                .unwrap_or_else(|e| panic!("{n} has no original in fixtures/incidents: {e}"));
            stored(&lib, n.trim_end_matches(".txt"), &t)
        })
        .collect();
    let (mut at1, mut at3, mut misses) = (0, 0, Vec::new());
    for n in &names {
        let want = n.trim_end_matches(".txt");
        let t = std::fs::read_to_string(dir.join(n)).expect("read");
        let q = stored(&lib, "query", &t);
        let got = similar::rank(&q.meta, &q.text, &history, 3);
        let ids: Vec<&str> = got.iter().map(|m| m.id.as_str()).collect();
        if ids.first() == Some(&want) {
            at1 += 1;
        } else {
            misses.push(format!("{want}: got {ids:?}"));
        }
        at3 += usize::from(ids.contains(&want));
    }
    let n = names.len();
    eprintln!("retrieval: recall@1 {at1}/{n}, recall@3 {at3}/{n}");
    for m in &misses {
        eprintln!("  miss {m}");
    }
    assert_eq!(at1, n, "recall@1 {at1}/{n}:\n{}", misses.join("\n"));
}
