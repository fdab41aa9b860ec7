//! The local trigram similarity against Postgres pg_trgm's own `similarity()`, on generated
//! string pairs with punctuation, digits, underscores and non-ASCII letters.

use sentinel::store::trgm;

/// The Postgres URL for tests: `SENTINEL_TEST_PG_URL` (set by `.ci/run`), else the local default
/// when it answers. None means skip (never under CI).
pub fn pg_url() -> Option<String> {
    if let Ok(u) = std::env::var("SENTINEL_TEST_PG_URL") {
        return Some(u);
    }
    let local = "postgres://postgres@127.0.0.1:5432/test";
    let answers = std::net::TcpStream::connect_timeout(
        &"127.0.0.1:5432".parse().expect("addr"),
        std::time::Duration::from_millis(300),
    )
    .is_ok();
    if answers {
        return Some(local.to_string());
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI is set but no Postgres is configured (SENTINEL_TEST_PG_URL) or answering"
    );
    eprintln!("skipped: no Postgres (set SENTINEL_TEST_PG_URL)");
    None
}

/// A runtime and a client of the test Postgres, with pg_trgm, through the store's own connect.
fn pg(url: &str) -> (tokio::runtime::Runtime, tokio_postgres::Client) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let dsn = sentinel::store::dsn::Dsn::parse(url).expect("test Postgres URL");
    let client = rt
        .block_on(sentinel::store::pg::connect(&dsn))
        .unwrap_or_else(|e| panic!("connect to {url}: {e}"));
    rt.block_on(client.batch_execute("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        .expect("pg_trgm");
    (rt, client)
}

/// A small deterministic generator (xorshift), so a failure names a reproducible pair.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[(self.next() % from.len() as u64) as usize]
    }
}

const PIECES: &[&str] = &[
    "db",
    "pool",
    "exhausted",
    "payment-svc",
    "v2.41",
    "too many clients",
    "FATAL:",
    "53300",
    "worker_timeout",
    "p99",
    "4.8s",
    "__init__",
    "x",
    "42",
    "a",
    "ab",
    "OOMKilled",
    "exit 137",
    "/var/lib/kafka",
    "Ünïcödé",
    "café",
    "Straße",
    "ÉCOLE",
    "naïve",
    "Ωmega",
    "Привет",
    "мир",
    "ошибка_БД",
    "数据库",
    "连接池耗尽",
    "東京",
    "ｆｕｌｌｗｉｄｔｈ",
    "١٢٣",
    "ﬁle",
    "İstanbul",
    "ǅemal",
    "—",
    "…",
    "!!",
    "  ",
    "\t",
    ",",
    ";",
    "(",
    ")",
    "[x]",
    "a-b-c",
    "2026-06-02T14:02:11Z",
    "10.0.3.7:5432",
    "naïve-café_42",
    "ÀÉÎÕÜ",
    "ßẞ",
    "Ꭰ",
    "𝔘𝔫𝔦",
    "emoji🙂ok",
    "ab🙂",
    "ελληνικά",
    "ŁÓDŹ",
    "dĳk",
    "Ǆ",
    "ﬀ",
    "x²",
    "½",
    "①",
    "ⅷ",
    "e\u{301}clair",
    "a\u{300}b",
    "₂",
    "㉑",
    "ⅻ",
];

fn phrase(g: &mut Gen) -> String {
    let n = 1 + g.next() % 8;
    let mut s = String::new();
    for _ in 0..n {
        let sep = g.pick(&[" ", "", "_", "-", ". ", "/"]);
        s.push_str(g.pick(PIECES));
        s.push_str(sep);
    }
    s
}

#[test]
fn local_similarity_matches_pg_trgm() {
    let Some(url) = pg_url() else { return };
    let mut g = Gen(0x9E37_79B9_7F4A_7C15);
    let mut pairs: Vec<(String, String)> = (0..1200)
        .map(|_| (phrase(&mut g), phrase(&mut g)))
        .collect();
    // pairs that share most of their text
    for i in 0..200 {
        let a = pairs[i].0.clone();
        let b = format!("{a} {}", g.pick(PIECES));
        pairs.push((a, b));
    }
    let (rt, client) = pg(&url);
    let theirs: Vec<f32> = rt.block_on(async {
        let ctype: String = client
            .query_one("SELECT datctype FROM pg_database WHERE datname = current_database()", &[])
            .await
            .expect("ctype")
            .get(0);
        eprintln!("database ctype: {ctype}");
        let a: Vec<&str> = pairs.iter().map(|p| p.0.as_str()).collect();
        let b: Vec<&str> = pairs.iter().map(|p| p.1.as_str()).collect();
        let rows = client
            .query(
                "SELECT similarity(a, b) FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(a, b, n) ORDER BY n",
                &[&a, &b],
            )
            .await
            .expect("similarity query");
        rows.iter().map(|r| r.get::<_, f32>(0)).collect()
    });
    assert_eq!(theirs.len(), pairs.len());
    let mut differ = Vec::new();
    for ((a, b), want) in pairs.iter().zip(&theirs) {
        let got = trgm::similarity(a, b);
        if (got - want).abs() > 1e-6 {
            differ.push(format!("{a:?} vs {b:?}: local {got}, pg_trgm {want}"));
        }
    }
    eprintln!(
        "{} of {} pairs agree with pg_trgm",
        pairs.len() - differ.len(),
        pairs.len()
    );
    assert!(
        differ.is_empty(),
        "{}",
        differ[..differ.len().min(20)].join("\n")
    );
}

/// How `show_trgm` prints a trigram: as its characters when all three bytes are ASCII letters,
/// digits or spaces, else as `0x` and its three bytes in hex.
fn shown(t: &trgm::Trigram) -> String {
    if t.iter().all(|b| b.is_ascii_alphanumeric() || *b == b' ') {
        String::from_utf8_lossy(t).into_owned()
    } else {
        format!("0x{:02x}{:02x}{:02x}", t[0], t[1], t[2])
    }
}

#[test]
fn local_trigrams_are_pg_trgm_trigrams() {
    // equal similarities could hide a different hash of multibyte trigrams (it only shows on a
    // collision): compare the trigrams themselves
    let Some(url) = pg_url() else { return };
    let mut g = Gen(0xD1B5_4A32_D192_ED03);
    let texts: Vec<String> = (0..400).map(|_| phrase(&mut g)).collect();
    let (rt, client) = pg(&url);
    let theirs: Vec<Vec<String>> = rt.block_on(async {
        let rows = client
            .query(
                "SELECT show_trgm(t) FROM unnest($1::text[]) WITH ORDINALITY AS u(t, n) ORDER BY n",
                &[&texts],
            )
            .await
            .expect("show_trgm query");
        rows.iter().map(|r| r.get::<_, Vec<String>>(0)).collect()
    });
    let mut differ = Vec::new();
    for (t, want) in texts.iter().zip(theirs) {
        let mut want = want;
        want.sort();
        let mut got: Vec<String> = trgm::trigrams(t).iter().map(shown).collect();
        got.sort();
        if got != want {
            differ.push(format!("{t:?}: local {got:?}, pg_trgm {want:?}"));
        }
    }
    eprintln!(
        "{} of {} texts have pg_trgm's trigrams",
        texts.len() - differ.len(),
        texts.len()
    );
    assert!(
        differ.is_empty(),
        "{}",
        differ[..differ.len().min(5)].join("\n")
    );
}
