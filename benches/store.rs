//! Similar-search over a large history, local store vs Postgres, side by side:
//! `cargo bench --bench store [-- N]` (default 100,000 incidents; targets: local under 100 ms a
//! query, Postgres under 1 s). Needs the Postgres of `SENTINEL_TEST_PG_URL` (default
//! `postgres://postgres@127.0.0.1:5432/test`); it creates and drops a database of its own.
//!
//! The incidents are synthetic, ~840 characters each from one vocabulary (the hard case for a
//! trigram index: every text shares most trigrams with every other), with the facts the
//! analysis would find (failure modes, service, error signatures, title). The queries are
//! ~500-character texts of the same kind. Both stores must return the same top 5; the bench
//! checks it. The peer is Postgres's plain `ORDER BY similarity(body, $1) DESC LIMIT 5` scan,
//! timed once, with the ratio to each store printed.

use sentinel::store::dsn::Dsn;
use sentinel::store::local::LocalStore;
use sentinel::store::pg::PgStore;
use sentinel::store::{BUNDLE_SCHEMA, Meta, Store, similar};
use std::time::{Duration, Instant};

const MODES: &[&str] = &[
    "db-connection-pool-exhaustion",
    "disk-full",
    "oom-killed",
    "certificate-expired",
    "dns-resolution-failure",
    "bad-config-push",
    "retry-storm",
    "cpu-saturation",
    "lock-contention",
    "k8s-crashloop-bad-config",
    "memory-leak",
    "rate-limited-upstream",
];
const SERVICES: &[&str] = &[
    "payment-svc",
    "orders-api",
    "ledger",
    "search",
    "edge-proxy",
    "checkout",
    "inventory",
    "notify-sms",
    "auth",
    "billing-api",
    "catalog",
    "kafka",
];
const SIGNATURES: &[&str] = &[
    "too_many_clients",
    "connection_timeout",
    "no_space_left",
    "oomkilled",
    "x509_expired",
    "nxdomain",
    "http_5xx",
    "crashloopbackoff",
    "lock_timeout",
    "rate_limited",
    "deadline_exceeded",
    "connection_refused",
];
const WORDS: &[&str] = &[
    "latency",
    "p99",
    "errors",
    "deploy",
    "rollback",
    "pods",
    "restart",
    "connections",
    "pool",
    "timeout",
    "database",
    "primary",
    "replica",
    "queue",
    "consumer",
    "lag",
    "cache",
    "miss",
    "upstream",
    "gateway",
    "alert",
    "paged",
    "oncall",
    "customers",
    "checkout",
    "failed",
    "requests",
    "retries",
    "cpu",
    "memory",
    "disk",
    "node",
    "cluster",
    "region",
    "traffic",
    "spike",
    "config",
    "flag",
    "migration",
    "index",
    "query",
    "slow",
    "lock",
    "held",
    "batch",
    "cron",
    "job",
    "certificate",
    "expired",
    "dns",
    "resolver",
    "throttled",
    "quota",
    "limit",
];

/// xorshift: the same history on every run.
struct Gen(u64);
impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[(self.next() % from.len() as u64) as usize]
    }
}

fn incident(g: &mut Gen, id: String, chars: usize) -> (Meta, String) {
    let mode = g.pick(MODES);
    let service = g.pick(SERVICES);
    let sig = g.pick(SIGNATURES);
    let mut text = format!(
        "2026-{:02}-{:02} {:02}:{:02} UTC {service}: {} alert fired; {sig} in the logs.",
        1 + g.next() % 12,
        1 + g.next() % 28,
        g.next() % 24,
        g.next() % 60,
        mode.replace('-', " ")
    );
    while text.len() < chars {
        text.push(' ');
        text.push_str(g.pick(WORDS));
        if g.next().is_multiple_of(9) {
            text.push_str(&format!(" {}ms", g.next() % 5000));
        }
        if g.next().is_multiple_of(23) {
            text.push_str(&format!(" {}-{}", g.pick(SERVICES), g.next() % 100));
        }
    }
    let meta = Meta {
        schema: BUNDLE_SCHEMA.into(),
        id,
        title: format!("{service} {} {}", g.pick(WORDS), g.pick(WORDS)),
        date: None,
        hash: sentinel::store::hash(&text),
        source: "import".into(),
        service: Some(service.into()),
        failure_modes: vec![mode.into(), g.pick(MODES).into()],
        failure_title: None,
        signatures: vec![sig.into(), g.pick(SIGNATURES).into()],
        root_cause: None,
        resolution: None,
        confirmed: false,
        confirmed_by: None,
    };
    (meta, text)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let admin = std::env::var("SENTINEL_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let db = "sentinel_bench_store";
    let admin_store = PgStore::connect(&Dsn::parse(&admin).expect("admin url")).expect("connect");
    admin_store
        .batch(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"))
        .expect("drop");
    admin_store
        .batch(&format!(
            "CREATE DATABASE {db} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
        ))
        .expect("create database");
    let url = format!(
        "{}/{db}",
        admin.rsplit_once('/').map_or(admin.as_str(), |(h, _)| h)
    );
    let dir = tempfile::tempdir().expect("temp dir");

    let mut g = Gen(0x2545_F491_4F6C_DD1D);
    let history: Vec<(Meta, String)> = (0..n)
        .map(|i| incident(&mut g, format!("INC-{i:06}"), 840))
        .collect();
    let queries: Vec<(Meta, String)> = (0..20)
        .map(|i| {
            let (mut m, t) = incident(&mut g, format!("Q-{i}"), 500);
            m.id = String::new();
            (m, t)
        })
        .collect();

    let t = Instant::now();
    let local = LocalStore::open(dir.path()).expect("local store");
    let added = local
        .import_bulk(history.iter().cloned())
        .expect("local import");
    println!(
        "built local store: {added} incidents in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let pg = PgStore::connect(&Dsn::parse(&url).expect("url")).expect("connect");
    pg.migrate().expect("migrate");
    let added = pg.import_bulk(history.iter().cloned()).expect("pg import");
    pg.batch("ANALYZE sentinel_incidents").expect("analyze");
    println!(
        "built Postgres store: {added} incidents in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    drop(history);

    let local = Store::Local(local);
    let pg = Store::Postgres(std::sync::Arc::new(pg));
    let (mut tl, mut tp) = (Vec::new(), Vec::new());
    let mut agree = 0;
    for (i, (q, text)) in queries.iter().enumerate() {
        let t = Instant::now();
        let a = local.similar(q, text, 5).expect("local similar").0;
        tl.push(t.elapsed());
        let t = Instant::now();
        let b = pg.similar(q, text, 5).expect("pg similar").0;
        tp.push(t.elapsed());
        let same = a.len() == b.len()
            && a.iter()
                .zip(&b)
                .all(|(x, y)| x.id == y.id && (x.score - y.score).abs() <= 1e-6);
        if same {
            agree += 1;
        } else {
            eprintln!("query {i}: local {a:?}\n  postgres {b:?}");
        }
    }
    let (ml, mp) = (median(tl.clone()), median(tp.clone()));
    // the peer: Postgres ranking every row by similarity() over the full text
    let peer_store = PgStore::connect(&Dsn::parse(&url).expect("url")).expect("connect");
    let t = Instant::now();
    let q = queries[0].1.replace('\'', "''");
    peer_store
        .batch(&format!(
            "SELECT id FROM sentinel_incidents ORDER BY similarity(body, '{q}') DESC, id LIMIT 5"
        ))
        .expect("peer scan");
    let peer = t.elapsed();
    println!(
        "similar-search over {n} incidents, top 5, {} queries:",
        queries.len()
    );
    println!(
        "  local store     median {:8.1} ms  max {:8.1} ms  (target < 100 ms)",
        ms(ml),
        ms(*tl.iter().max().expect("times"))
    );
    println!(
        "  Postgres store  median {:8.1} ms  max {:8.1} ms  (target < 1000 ms)",
        ms(mp),
        ms(*tp.iter().max().expect("times"))
    );
    println!(
        "  peer: plain similarity() scan of every row  {:8.1} ms",
        ms(peer)
    );
    println!(
        "  ratios: Postgres/local {:.1}x, peer/local {:.1}x, peer/Postgres {:.1}x",
        ms(mp) / ms(ml),
        ms(peer) / ms(ml),
        ms(peer) / ms(mp)
    );
    println!(
        "  the two stores returned the same top 5 with the same scores for {agree} of {} queries",
        queries.len()
    );
    // the index: GiST nearest-neighbour order against GIN's `%` filter then a sort, on the
    // candidate query alone
    let knn = |q: &str| {
        format!(
            "SELECT id FROM sentinel_incidents ORDER BY sig <-> '{q}' LIMIT {}",
            similar::CANDIDATES * 2
        )
    };
    let gin = |q: &str| {
        format!(
            "SELECT id FROM sentinel_incidents WHERE sig % '{q}' ORDER BY sig <-> '{q}' LIMIT {}",
            similar::CANDIDATES * 2
        )
    };
    let sigs: Vec<String> = queries
        .iter()
        .take(5)
        .map(|(m, _)| similar::signature_doc(m).replace('\'', "''"))
        .collect();
    let time_all = |sql: &dyn Fn(&str) -> String| {
        let t = Instant::now();
        for q in &sigs {
            peer_store.batch(&sql(q)).expect("candidate query");
        }
        t.elapsed() / u32::try_from(sigs.len()).unwrap_or(1)
    };
    let gist_t = time_all(&knn);
    peer_store
        .batch(
            "DROP INDEX sentinel_incidents_sig_trgm;
             CREATE INDEX sentinel_incidents_sig_gin ON sentinel_incidents USING gin (sig gin_trgm_ops);
             ANALYZE sentinel_incidents",
        )
        .expect("gin index");
    let gin_t = time_all(&gin);
    println!(
        "  candidate query: GiST `ORDER BY sig <-> q` {:.1} ms, GIN `WHERE sig % q ORDER BY …` {:.1} ms ({:.1}x): {} is the index `store migrate` creates",
        ms(gist_t),
        ms(gin_t),
        ms(gin_t) / ms(gist_t),
        if gist_t <= gin_t {
            "GiST"
        } else {
            "GIN would be faster; GiST"
        }
    );
    drop(pg);
    drop(peer_store);
    let _ = admin_store.batch(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"));
}
