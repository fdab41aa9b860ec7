#!/usr/bin/env bash
# Benchmarks for offline investigate: a 1 MB paste (target: under 50 ms), a 50 MB paste (should
# scale linearly), peak memory of each, and `sentinel --version` startup (target: under 5 ms).
# Usage: benches/run.sh [path/to/sentinel]   (default: target/release/sentinel, built if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${1:-target/release/sentinel}"
[ -x "$BIN" ] || cargo build --release --locked
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# a realistic mix: application log noise, a few error lines, a kubectl table, a deploy line
gen() {
  local bytes="$1" out="$2"
  python3 - "$bytes" "$out" <<'PY'
import sys, random
random.seed(7)
n, out = int(sys.argv[1]), sys.argv[2]
lines = [
  "2026-04-30T00:{m:02d}:{s:02d}.{ms:03d}Z api-7f9c6d5b4-x2x9q INFO GET /api/orders/{i} 200 {lat}ms user={u}",
  "2026-04-30T00:{m:02d}:{s:02d}.{ms:03d}Z api-7f9c6d5b4-x2x9q WARN slow request POST /api/checkout {lat}ms",
  "2026-04-30T00:{m:02d}:{s:02d}.{ms:03d}Z worker-5d8f7-abcde ERROR FATAL: sorry, too many clients already",
  "{m:02d}:{s:02d} UTC p99 latency {lat}ms -> {lat2}ms, active_connections: 500 / 500",
]
with open(out, "w") as f:
  f.write("13:50 UTC deploy payment-svc v2.41 shipped (cron: */30 * * * *)\n")
  size = 0
  while size < n:
    t = random.choices(lines, weights=[80, 12, 6, 2])[0]
    s = t.format(m=random.randrange(60), s=random.randrange(60), ms=random.randrange(1000), i=random.randrange(10**6),
                 lat=random.randrange(5, 900), lat2=random.randrange(900, 5000), u=random.randrange(10**5)) + "\n"
    f.write(s); size += len(s)
PY
}

ms() { # run N times, print the best wall time in ms
  local n="$1"; shift
  local best=999999999
  for _ in $(seq "$n"); do
    local t0 t1
    t0=$(date +%s%N); "$@" >/dev/null 2>&1; t1=$(date +%s%N)
    local d=$(( (t1 - t0) / 1000 ))
    (( d < best )) && best=$d
  done
  awk -v us="$best" 'BEGIN { printf "%.2f", us / 1000 }'
}

peak() { # peak RSS in MiB
  /usr/bin/time -f "%M" "$@" 2>&1 >/dev/null | tail -n1 | awk '{ printf "%.1f", $1 / 1024 }'
}

gen $((1024 * 1024)) "$TMP/1mb.txt"
gen $((50 * 1024 * 1024)) "$TMP/50mb.txt"

v=$(ms 20 "$BIN" --version)
one=$(ms 10 "$BIN" investigate "$TMP/1mb.txt" --offline --format json)
fifty=$(ms 3 "$BIN" investigate "$TMP/50mb.txt" --offline --format json)
empty=$(ms 10 sh -c "printf 'x\n' | $BIN investigate - --offline --format json")
echo "startup   sentinel --version          ${v} ms   (target < 5 ms)"
echo "baseline  investigate (1-line paste)  ${empty} ms   (playbook library load)"
echo "1 MB      investigate --offline       ${one} ms   (target < 50 ms)"
echo "50 MB     investigate --offline       ${fifty} ms"
awk -v a="$one" -v b="$fifty" -v e="$empty" 'BEGIN { printf "scaling   (50 MB - base) / (1 MB - base) = %.1f   (linear = 50)\n", (b - e) / ((a - e) > 0.01 ? (a - e) : 0.01) }'
if [ -x /usr/bin/time ]; then
  echo "peak RSS  1 MB: $(peak "$BIN" investigate "$TMP/1mb.txt" --offline --format json) MiB, 50 MB: $(peak "$BIN" investigate "$TMP/50mb.txt" --offline --format json) MiB"
fi
if command -v rg >/dev/null 2>&1; then
  rgt=$(ms 3 rg -c "too many clients" "$TMP/50mb.txt")
  awk -v a="$rgt" -v b="$fifty" 'BEGIN { printf "peer      rg -c on 50 MB: %.2f ms; sentinel/rg = %.1fx (sentinel runs ~1,500 patterns plus parsing)\n", a, b / a }'
fi
