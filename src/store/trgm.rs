//! Trigram similarity exactly as Postgres pg_trgm computes it (`similarity(a, b)`), so the local
//! store and the Postgres store score and rank alike. Pure.
//!
//! pg_trgm (with its default build flags `KEEPONLYALNUM` and `IGNORECASE`):
//! 1. lower-cases the text (`towlower` under the database's ctype);
//! 2. splits it into words: runs of characters the ctype calls alphanumeric (`iswalnum`);
//!    everything else, `_` included, separates words;
//! 3. pads each word with two spaces before and one after and takes every run of three
//!    characters: `"  ab "` gives `"  a"`, `" ab"`, `"ab "`;
//! 4. keeps a trigram of three single-byte characters as its three bytes, and any other trigram
//!    (one with a multibyte character) as the low three bytes of Postgres's legacy CRC-32 of its
//!    UTF-8 bytes, stored little-endian, so two such trigrams can collide and count as one;
//! 5. scores `shared / (|A| + |B| - shared)` over the two sets of distinct trigrams, in `float4`.
//!
//! The character classes follow Rust's Unicode tables (letters, marks that are alphabetic,
//! decimal digits and letter numbers; not superscripts, fractions or circled numbers). Under the
//! C.UTF-8 ctype that `sentinel store migrate` checks they agree with glibc's on every class the
//! parity test generates (ASCII, accented and precomposed Latin, ligatures, Greek, Cyrillic,
//! CJK, full-width forms, Arabic-Indic digits, combining accents, emoji, mathematical letters,
//! superscripts, fractions, circled numbers). Classes not tested may still differ: glibc's
//! tables follow its own Unicode version.

/// One trigram as pg_trgm stores it: three bytes.
pub type Trigram = [u8; 3];

/// A trigram as one number that sorts as the trigram does.
pub fn key(t: &Trigram) -> u32 {
    u32::from(t[0]) << 16 | u32::from(t[1]) << 8 | u32::from(t[2])
}

/// A set of trigrams to test others against in constant time: one bit per possible trigram.
pub struct TrigramSet {
    bits: Vec<u64>,
    len: usize,
}

impl TrigramSet {
    /// The set of a sorted, distinct trigram list.
    pub fn new(grams: &[Trigram]) -> TrigramSet {
        let mut bits = vec![0u64; (1 << 24) / 64];
        for t in grams {
            let k = key(t) as usize;
            bits[k / 64] |= 1 << (k % 64);
        }
        TrigramSet {
            bits,
            len: grams.len(),
        }
    }

    /// `similarity_of(self, other)` for a sorted, distinct `other`, without a merge.
    pub fn similarity(&self, other: &[Trigram]) -> f32 {
        if self.len == 0 || other.is_empty() {
            return 0.0;
        }
        let shared = other
            .iter()
            .filter(|t| {
                let k = key(t) as usize;
                self.bits[k / 64] >> (k % 64) & 1 == 1
            })
            .count();
        shared as f32 / (self.len + other.len() - shared) as f32
    }
}

/// The distinct trigrams of `text`, sorted.
pub fn trigrams(text: &str) -> Vec<Trigram> {
    let mut out: Vec<Trigram> = Vec::new();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut Vec<Trigram>| {
        if !word.is_empty() {
            word_trigrams(word, out);
            word.clear();
        }
    };
    for c in text.chars() {
        if is_word_char(c) {
            word.push(lower(c));
        } else {
            flush(&mut word, &mut out);
        }
    }
    flush(&mut word, &mut out);
    out.sort_unstable();
    out.dedup();
    out
}

/// pg_trgm's `similarity()` of two texts.
pub fn similarity(a: &str, b: &str) -> f32 {
    similarity_of(&trigrams(a), &trigrams(b))
}

/// `similarity()` of two sorted, distinct trigram sets (as [`trigrams`] returns them).
pub fn similarity_of(a: &[Trigram], b: &[Trigram]) -> f32 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let shared = shared(a, b);
    // the same float4 arithmetic as pg_trgm's cnt_sml
    shared as f32 / (a.len() + b.len() - shared) as f32
}

/// How many trigrams two sorted sets share.
pub fn shared(a: &[Trigram], b: &[Trigram]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// Is `c` part of a word (`iswalnum`)?
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        c.is_alphabetic() || (c.is_numeric() && !is_other_number(c))
    }
}

/// Unicode "other numbers" (superscripts, fractions, circled numbers): glibc does not count
/// them as alphanumeric, while `char::is_numeric` does.
fn is_other_number(c: char) -> bool {
    matches!(c as u32,
        0xB2..=0xB3 | 0xB9 | 0xBC..=0xBE | 0x2070..=0x2079 | 0x2080..=0x2089 | 0x2150..=0x215F
        | 0x2189 | 0x2460..=0x249B | 0x24EA..=0x24FF | 0x2776..=0x2793 | 0x3192..=0x3195
        | 0x3220..=0x3229 | 0x3248..=0x324F | 0x3251..=0x325F | 0x3280..=0x3289
        | 0x32B1..=0x32BF | 0x1F100..=0x1F10C)
}

/// `towlower`: the simple, one-character lower-case mapping.
fn lower(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let mut l = c.to_lowercase();
    match (l.next(), l.next()) {
        (Some(one), None) => one,
        // full mappings that expand (U+0130 'İ' -> "i̇"): the simple mapping is the first
        (Some(first), Some(_)) => first,
        _ => c,
    }
}

fn word_trigrams(word: &str, out: &mut Vec<Trigram>) {
    if word.is_ascii() {
        // every trigram is its three bytes: no allocation, no hashing
        let b = word.as_bytes();
        let at = |i: usize| {
            if i < 2 || i >= b.len() + 2 {
                b' '
            } else {
                b[i - 2]
            }
        };
        for i in 0..b.len() + 1 {
            out.push([at(i), at(i + 1), at(i + 2)]);
        }
        return;
    }
    // "  word ": two spaces before, one after
    let padded: Vec<char> = [' ', ' ']
        .into_iter()
        .chain(word.chars())
        .chain([' '])
        .collect();
    let mut buf = [0u8; 12];
    for w in padded.windows(3) {
        let mut n = 0;
        for c in w {
            n += c.encode_utf8(&mut buf[n..]).len();
        }
        out.push(if n == 3 {
            [buf[0], buf[1], buf[2]]
        } else {
            let crc = crc32(&buf[..n]).to_le_bytes();
            [crc[0], crc[1], crc[2]]
        });
    }
}

/// Postgres's "legacy" CRC-32 (`COMP_LEGACY_CRC32`), which pg_trgm keeps for compatibility with
/// indexes built long ago: the table of the reflected 0xEDB88320 polynomial, stepped the
/// non-reflected way (`T[((crc >> 24) ^ b) & 0xff] ^ (crc << 8)`). It is not zlib's crc32.
fn crc32(bytes: &[u8]) -> u32 {
    static TABLE: std::sync::LazyLock<[u32; 256]> = std::sync::LazyLock::new(|| {
        let mut t = [0u32; 256];
        for (i, slot) in t.iter_mut().enumerate() {
            let mut c = i as u32;
            for _ in 0..8 {
                c = if c & 1 != 0 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
            *slot = c;
        }
        t
    });
    let mut crc = !0u32;
    for &b in bytes {
        crc = TABLE[(((crc >> 24) ^ u32::from(b)) & 0xff) as usize] ^ (crc << 8);
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(t: &Trigram) -> String {
        String::from_utf8_lossy(t).into_owned()
    }

    #[test]
    fn words_are_padded_and_split_on_non_alphanumerics() {
        let t: Vec<String> = trigrams("Hello, x_42").iter().map(shown).collect();
        assert_eq!(
            t,
            vec![
                "  4", "  h", "  x", " 42", " he", " x ", "42 ", "ell", "hel", "llo", "lo "
            ]
        );
    }

    #[test]
    fn known_scores() {
        // values printed by Postgres 15's pg_trgm
        assert_eq!(similarity("Hello world", "hello wor"), 0.692_307_7);
        assert_eq!(similarity("", "abc"), 0.0);
        assert_eq!(similarity("abc", "abc"), 1.0);
        assert_eq!(trigrams("wörld").len(), 6);
    }

    #[test]
    fn multibyte_trigrams_are_postgres_legacy_crcs() {
        // Postgres 15: select show_trgm('wörld дом 日本') prints the ten multibyte trigrams as
        // their three stored bytes in memory order, and "  w", "ld ", "rld" (0x202077, …)
        let shown: Vec<String> = trigrams("wörld дом 日本")
            .iter()
            .map(|t| format!("0x{:02x}{:02x}{:02x}", t[0], t[1], t[2]))
            .collect();
        let mut want = vec![
            "0x81c9a7", "0x836e53", "0x8fa667", "0xc04ec8", "0xff08eb", "0x066ec6", "0x1e22e9",
            "0x203d17", "0x61da89", "0x753921", "0x202077", "0x6c6420", "0x726c64",
        ];
        want.sort_unstable();
        let mut got = shown.clone();
        got.sort_unstable();
        assert_eq!(got, want);
    }
}
