//! Filling probe and mitigation templates with values from the incident and the flags. Every
//! value must pass the name rules of its kind before it is used; one that fails is never
//! substituted (the `<name>` placeholder is shown instead). Text from the paste can therefore
//! never change what a probe runs. Values are shell-quoted when a command is displayed. Pure.

use crate::re::Re;
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// The variables playbooks may use.
pub const VARIABLES: &[&str] = &[
    "service",
    "deployment",
    "namespace",
    "selector",
    "pod",
    "node",
    "host",
    "unit",
    "container",
    "version",
    "previous_version",
    "table",
    "column",
    "database",
    "job",
    "since",
    "pid",
];

static K8S_NAME: LazyLock<Re> =
    LazyLock::new(|| crate::re::compile(r"^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$").expect("valid"));
static SELECTOR: LazyLock<Re> = LazyLock::new(|| {
    crate::re::compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,252}(=|==|!=)[A-Za-z0-9._-]{0,63}(,[A-Za-z0-9][A-Za-z0-9._/-]{0,252}(=|==|!=)[A-Za-z0-9._-]{0,63})*$").expect("valid")
});
static SQL_IDENT: LazyLock<Re> = LazyLock::new(|| {
    crate::re::compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62})?$")
        .expect("valid")
});
static HOSTNAME: LazyLock<Re> = LazyLock::new(|| {
    crate::re::compile(r"^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$").expect("valid")
});
static UNIT: LazyLock<Re> =
    LazyLock::new(|| crate::re::compile(r"^[A-Za-z0-9][A-Za-z0-9@._:-]{0,254}$").expect("valid"));
static VERSION: LazyLock<Re> =
    LazyLock::new(|| crate::re::compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$").expect("valid"));
static SINCE: LazyLock<Re> =
    LazyLock::new(|| crate::re::compile(r"^[0-9]{1,5}[smhd]$").expect("valid"));
static VAR: LazyLock<Re> = LazyLock::new(|| crate::re::compile(r"\{([a-z_]+)\}").expect("valid"));

/// Does `value` pass the name rules for `var`?
pub fn valid(var: &str, value: &str) -> bool {
    match var {
        "service" | "deployment" | "namespace" | "pod" | "node" | "container" | "job" => {
            K8S_NAME.is_match(value) && !value.contains("..")
        }
        "selector" => SELECTOR.is_match(value),
        "table" | "database" => SQL_IDENT.is_match(value),
        "column" => SQL_IDENT.is_match(value) && !value.contains('.'),
        "host" => HOSTNAME.is_match(value) && !value.starts_with('-'),
        "unit" => UNIT.is_match(value),
        "version" | "previous_version" => VERSION.is_match(value),
        "since" => SINCE.is_match(value),
        "pid" => {
            (2..=10).contains(&value.len())
                && value.bytes().all(|b| b.is_ascii_digit())
                && !value.starts_with('0')
        }
        _ => false,
    }
}

/// Values for the template variables; only valid ones are kept.
#[derive(Clone, Debug, Default)]
pub struct Vars {
    values: BTreeMap<&'static str, String>,
    /// Values that were offered but refused, with the variable.
    pub refused: Vec<(String, String)>,
}

impl Vars {
    /// Offer a value; it is kept only if it passes its rules and no value is set yet.
    pub fn offer(&mut self, var: &'static str, value: &str) {
        if self.values.contains_key(var) {
            return;
        }
        if valid(var, value) {
            self.values.insert(var, value.to_string());
        } else {
            self.refused.push((var.to_string(), value.to_string()));
        }
    }
    /// Set a value that was validated already (in another form: `regex::escape` of a valid
    /// name); only for the template module's own callers.
    pub(crate) fn offer_unchecked(&mut self, var: &'static str, value: &str) {
        self.values.entry(var).or_insert_with(|| value.to_string());
    }
    /// Set a value over any earlier one (a target the user named wins over the paste); refused,
    /// like [`Vars::offer`], when it fails its rules.
    pub fn set(&mut self, var: &'static str, value: &str) {
        if valid(var, value) {
            self.values.insert(var, value.to_string());
        } else {
            self.refused.push((var.to_string(), value.to_string()));
        }
    }
    /// The value of a variable.
    pub fn get(&self, var: &str) -> Option<&str> {
        self.values.get(var).map(String::as_str)
    }
}

/// The variables a template uses.
pub fn used(template: &str) -> Vec<String> {
    VAR.captures_iter(template)
        .map(|c| c[1].to_string())
        .collect()
}

/// Fill a template for display: `{var}` becomes its (shell-quoted) value, or `<var>` when unknown.
/// Returns the text and the variables that had no value.
pub fn fill_display(template: &str, vars: &Vars) -> (String, Vec<String>) {
    let mut missing = Vec::new();
    let out = VAR.replace_all(template, |c: &crate::re::Caps<'_>| match vars.get(&c[1]) {
        Some(v) => quote(v),
        None => {
            missing.push(c[1].to_string());
            format!("<{}>", &c[1])
        }
    });
    (out.into_owned(), missing)
}

/// Fill one argv element (no quoting: it is passed to the program as is).
pub fn fill_arg(arg: &str, vars: &Vars, missing: &mut Vec<String>) -> String {
    VAR.replace_all(arg, |c: &crate::re::Caps<'_>| match vars.get(&c[1]) {
        Some(v) => v.to_string(),
        None => {
            missing.push(c[1].to_string());
            format!("<{}>", &c[1])
        }
    })
    .into_owned()
}

/// Quote a word for a POSIX shell, only when it needs it.
pub fn quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "@%+=:,./_-".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// Split a command line as a POSIX shell splits words (single quotes, double quotes,
/// backslash), with no expansion of any kind: how an edited command becomes an argv again.
pub fn split_words(s: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut any = false;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                any = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(x) => cur.push(x),
                        None => return Err("a single quote is not closed".into()),
                    }
                }
            }
            '"' => {
                any = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(x) => cur.push(x),
                            None => return Err("a double quote is not closed".into()),
                        },
                        Some(x) => cur.push(x),
                        None => return Err("a double quote is not closed".into()),
                    }
                }
            }
            '\\' => match chars.next() {
                Some(x) => {
                    any = true;
                    cur.push(x);
                }
                None => return Err("a backslash ends the line".into()),
            },
            c if c.is_whitespace() => {
                if any || !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            c => cur.push(c),
        }
    }
    if any || !cur.is_empty() {
        out.push(cur);
    }
    Ok(out)
}

/// An argv as a copyable command line.
pub fn display_argv(argv: &[String]) -> String {
    argv.iter()
        .map(|a| {
            if a.starts_with('<') && a.ends_with('>') && !a.contains(' ') {
                a.clone()
            } else {
                quote(a)
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Compile this module's fixed patterns now (see [`crate::warm`]).
pub(crate) fn warm() {
    std::sync::LazyLock::force(&K8S_NAME);
    std::sync::LazyLock::force(&SELECTOR);
    std::sync::LazyLock::force(&SQL_IDENT);
    std::sync::LazyLock::force(&HOSTNAME);
    std::sync::LazyLock::force(&UNIT);
    std::sync::LazyLock::force(&VERSION);
    std::sync::LazyLock::force(&SINCE);
    std::sync::LazyLock::force(&VAR);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_injection() {
        let mut v = Vars::default();
        v.offer("service", "api; rm -rf /");
        v.offer("namespace", "$(curl evil)");
        v.offer("table", "x; DROP TABLE y");
        assert_eq!(v.get("service"), None);
        assert_eq!(v.get("namespace"), None);
        assert_eq!(v.get("table"), None);
        assert_eq!(v.refused.len(), 3);
        let (cmd, missing) = fill_display(
            "kubectl -n {namespace} rollout undo deployment/{service}",
            &v,
        );
        assert_eq!(
            cmd,
            "kubectl -n <namespace> rollout undo deployment/<service>"
        );
        assert_eq!(missing, vec!["namespace", "service"]);
    }

    #[test]
    fn fills_and_quotes() {
        let mut v = Vars::default();
        v.offer("service", "payment-svc");
        v.offer("selector", "app=payment-svc");
        assert_eq!(
            fill_display("deployment/{service}", &v).0,
            "deployment/payment-svc"
        );
        assert_eq!(quote("it's"), "'it'\\''s'");
        assert_eq!(
            display_argv(&["kubectl".into(), "logs".into(), "a b".into()]),
            "kubectl logs 'a b'"
        );
    }
}
