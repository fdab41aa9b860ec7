//! Checks a compiled playbook beyond its structure: ids, read-only probes, known template
//! variables, priorities, categories. Every problem is located as `file:line:column`.

use super::{Playbook, PlaybookError, locate};
use crate::model::ProbeKind;
use crate::{safety, template};
use std::collections::BTreeSet;

const CATEGORIES: &[&str] = &[
    "database",
    "compute",
    "kubernetes",
    "storage",
    "network",
    "dependency",
    "change",
    "operator",
    "platform",
    "security",
];

fn kebab(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
}

/// Every problem in one playbook. `deep` also compiles every line regex on its own (for `playbook
/// lint`; loading relies on the library's pattern set to reject a bad one).
pub fn check(file: &str, text: &str, pb: &Playbook, deep: bool) -> Vec<PlaybookError> {
    let mut out = Vec::new();
    let mut err = |needle: &str, message: String| {
        let (line, column) = locate(text, needle);
        out.push(PlaybookError {
            file: file.to_string(),
            line,
            column,
            message,
        });
    };
    let s = &pb.spec;
    if !kebab(&s.id) {
        err(&s.id, format!("id `{}` must be lowercase kebab-case", s.id));
    }
    if !CATEGORIES.contains(&s.category.as_str()) {
        err(
            &s.category,
            format!(
                "unknown category `{}` (one of {})",
                s.category,
                CATEGORIES.join(", ")
            ),
        );
    }
    if s.signals.is_empty() {
        err("signals", "a playbook needs at least one signal".into());
    }
    if s.title.trim().is_empty() || s.summary.trim().is_empty() {
        err("title", "title and summary must not be empty".into());
    }
    for sig in s.signals.iter().chain(&s.counter).filter(|_| deep) {
        for p in sig.any.iter().chain(&sig.all) {
            if let Err(e) = super::line_regex(p) {
                err(
                    p,
                    format!(
                        "signal `{}`: bad regex `{p}`: {}",
                        sig.id,
                        e.to_string().lines().last().unwrap_or("").trim()
                    ),
                );
            }
        }
    }
    let mut ids = BTreeSet::new();
    for sig in s.signals.iter().chain(&s.counter) {
        if !ids.insert(sig.id.as_str()) {
            err(
                &format!("id: {}", sig.id),
                format!("signal id `{}` is used twice", sig.id),
            );
        }
    }
    let mut pids = BTreeSet::new();
    for p in &s.probes {
        if !pids.insert(p.id.as_str()) {
            err(
                &format!("id: {}", p.id),
                format!("probe id `{}` is used twice", p.id),
            );
        }
        let at = format!("id: {}", p.id);
        let mut vars: Vec<String> = Vec::new();
        match p.kind {
            ProbeKind::Kubectl | ProbeKind::Host => {
                let Some(argv) = &p.argv else {
                    err(
                        &at,
                        format!("probe `{}` ({}) needs `argv`", p.id, p.kind.as_str()),
                    );
                    continue;
                };
                let check = if p.kind == ProbeKind::Kubectl {
                    safety::kubectl_read_only(argv)
                } else {
                    safety::host_read_only(argv)
                };
                if let Err(e) = check {
                    err(&at, format!("probe `{}`: {e}", p.id));
                }
                for a in argv {
                    vars.extend(template::used(a));
                }
            }
            ProbeKind::Sql | ProbeKind::Http => {
                let Some(q) = &p.query else {
                    err(
                        &at,
                        format!("probe `{}` ({}) needs `query`", p.id, p.kind.as_str()),
                    );
                    continue;
                };
                if p.kind == ProbeKind::Sql
                    && let Err(e) = safety::sql_read_only(q)
                {
                    err(&at, format!("probe `{}`: {e}", p.id));
                }
                vars.extend(template::used(q));
            }
            ProbeKind::Log => {
                let Some(pat) = &p.pattern else {
                    err(&at, format!("probe `{}` (log) needs `pattern`", p.id));
                    continue;
                };
                if let Err(e) = regex::Regex::new(pat) {
                    err(
                        pat,
                        format!(
                            "probe `{}`: bad regex: {}",
                            p.id,
                            e.to_string().lines().last().unwrap_or("")
                        ),
                    );
                }
                vars.extend(template::used(pat));
            }
        }
        for v in vars {
            if !template::VARIABLES.contains(&v.as_str()) {
                err(
                    &format!("{{{v}}}"),
                    format!("probe `{}`: unknown template variable `{{{v}}}`", p.id),
                );
            }
        }
    }
    let mut mids = BTreeSet::new();
    for m in &s.mitigations {
        if !kebab(&m.id) {
            err(
                &format!("id: {}", m.id),
                format!("mitigation id `{}` must be lowercase kebab-case", m.id),
            );
        }
        if !mids.insert(m.id.as_str()) {
            err(
                &format!("id: {}", m.id),
                format!("mitigation id `{}` is used twice", m.id),
            );
        }
        for v in template::used(&m.command) {
            if !template::VARIABLES.contains(&v.as_str()) {
                err(
                    &format!("{{{v}}}"),
                    format!("mitigation `{}`: unknown template variable `{{{v}}}`", m.id),
                );
            }
        }
    }
    for (id, message) in crate::mitigate::lint(pb) {
        err(&format!("id: {id}"), message);
    }
    for f in &s.follow_ups {
        if !matches!(f.priority.as_str(), "P0" | "P1" | "P2") {
            err(
                &f.priority,
                format!("follow-up priority `{}` must be P0, P1 or P2", f.priority),
            );
        }
        if !matches!(f.kind.as_str(), "prevent" | "detect" | "mitigate") {
            err(
                &f.kind,
                format!(
                    "follow-up kind `{}` must be prevent, detect or mitigate",
                    f.kind
                ),
            );
        }
    }
    out
}
