//! Untrusted text (the paste, probe output) is neutralised before it reaches a terminal: ANSI
//! escapes, control characters and bidi overrides are replaced. Pure.

/// Replace control, escape and bidi characters with a visible placeholder.
pub fn clean(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\t' => ' ',
            c if c.is_control() => '\u{FFFD}',
            '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{061C}' => '\u{FFFD}',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn strips_escapes() {
        let s = super::clean("a\x1b[31mred\u{202E}x\u{7}");
        assert!(!s.contains('\x1b') && !s.contains('\u{202E}') && !s.contains('\u{7}'));
        assert!(s.contains("red"));
    }
}
