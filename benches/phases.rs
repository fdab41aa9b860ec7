//! Where offline investigate spends its time: `cargo bench --bench phases [-- FILE]`.
//! Prints the wall time of each stage (library build, ingest, rank, full analyze) on a paste
//! (default: a generated 1 MB log mix).

use std::time::Instant;

fn main() {
    let text = match std::env::args().nth(1).filter(|a| !a.starts_with('-')) {
        Some(path) => {
            String::from_utf8_lossy(&std::fs::read(&path).expect("read paste")).into_owned()
        }
        None => {
            let mut t =
                String::from("13:50 UTC deploy payment-svc v2.41 shipped (cron: */30 * * * *)\n");
            let mut i = 0u64;
            while t.len() < 1 << 20 {
                i += 1;
                let line = match i % 50 {
                    0 => format!(
                        "2026-04-30T00:{:02}:{:02}Z worker-5d8f7-abcde ERROR FATAL: sorry, too many clients already\n",
                        i % 60,
                        i % 59
                    ),
                    1..=6 => format!(
                        "2026-04-30T00:{:02}:{:02}Z api-7f9c6d5b4-x2x9q WARN slow request POST /api/checkout {}ms\n",
                        i % 60,
                        i % 59,
                        i % 900
                    ),
                    _ => format!(
                        "2026-04-30T00:{:02}:{:02}.{:03}Z api-7f9c6d5b4-x2x9q INFO GET /api/orders/{i} 200 {}ms user={}\n",
                        i % 60,
                        i % 59,
                        i % 1000,
                        i % 90,
                        i % 100_000
                    ),
                };
                t.push_str(&line);
            }
            t
        }
    };
    let settings = sentinel::ingest::Settings::default();
    let ty = Instant::now();
    for (n, t) in sentinel::playbook::embedded::FILES {
        drop(sentinel::playbook::parse_spec(n, t).expect("parse"));
    }
    println!(
        "yaml parse   {:8.1} ms",
        (Instant::now() - ty).as_secs_f64() * 1000.0
    );
    let t0 = Instant::now();
    let lib = sentinel::playbook::Library::builtin().expect("playbooks");
    let t1 = Instant::now();
    let inc = sentinel::ingest::parse(&text, &settings);
    let t2 = Instant::now();
    let hyps = sentinel::rank::rank(&inc, &lib);
    let t3 = Instant::now();
    let r = sentinel::analyze::analyze(&text, &settings, &lib, &Default::default());
    let t4 = Instant::now();
    let ms = |a: Instant, b: Instant| (b - a).as_secs_f64() * 1000.0;
    // ingest's parts, each over every line
    let lines: Vec<&str> = text.lines().collect();
    let part = |name: &str, f: &dyn Fn()| {
        let t = Instant::now();
        f();
        println!(
            "  ingest:{name:<10} {:8.1} ms",
            (Instant::now() - t).as_secs_f64() * 1000.0
        );
    };
    use sentinel::ingest::*;
    part("redact", &|| drop(redact::redact(&text)));
    part("time", &|| drop(time::resolve(&lines, &settings.time)));
    part("signature", &|| {
        lines.iter().for_each(|l| drop(signature::scan(l)));
    });
    part("metric", &|| {
        lines.iter().for_each(|l| drop(metric::extract(l, 1, &[])));
    });
    part("change", &|| {
        lines.iter().for_each(|l| drop(change::scan(l)));
    });
    part("hedge", &|| {
        lines.iter().for_each(|l| {
            std::hint::black_box(text::is_hedged(l));
        });
    });
    part("entity", &|| drop(entity::extract(&lines, &[], &[])));
    part("blocks", &|| drop(blocks::read(&lines)));
    println!(
        "paste        {} bytes, {} lines",
        text.len(),
        inc.lines.len()
    );
    println!(
        "library      {:8.1} ms  ({} playbooks)",
        ms(t0, t1),
        lib.playbooks.len()
    );
    println!("ingest       {:8.1} ms", ms(t1, t2));
    println!(
        "rank         {:8.1} ms  (top: {})",
        ms(t2, t3),
        hyps.first().map_or("-", |h| h.id.as_str())
    );
    println!("analyze      {:8.1} ms  (ingest + rank + plan)", ms(t3, t4));
    assert_eq!(r.hypotheses.len(), hyps.len());
}
