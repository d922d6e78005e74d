#!/usr/bin/env bash
# Full build against a one-post incremental rebuild, side by side (hyperfine medians), on a
# generated corpus (default 10,000 posts; every post in every feed).
#
#   bench/incremental.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
n=${1:-10000}
work=${BENCH_DIR:-$root/target/bench}/incremental-$n
command -v hyperfine >/dev/null || { sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo; $sudo apt-get install -y hyperfine >/dev/null; }
cargo build --release --quiet --bin frontfeed --example gen_corpus
ff=$root/target/release/frontfeed
rm -rf "$work" && mkdir -p "$work"
"$root/target/release/examples/gen_corpus" "$n" "$work/posts"
printf 'title: Benchmark\nbase_url: https://news.example.org/\nlanguage: zh-CN\ntimezone: Asia/Shanghai\nlimit: 0\n' >"$work/frontfeed.yaml"
post=$(find "$work/posts" -name '*.md' | sort | sed -n 5000p)
[ -n "$post" ] || post=$(find "$work/posts" -name '*.md' | sort | head -1)
common="--posts $work/posts --config $work/frontfeed.yaml"
"$ff" build -q $common --out "$work/out-incremental"
# Each incremental run first edits the same post (its body changes, so its feeds change).
hyperfine --style basic --warmup 1 --runs 7 --export-json "$work/times.json" \
  --prepare "rm -rf $work/out-full" --prepare "rm -rf $work/out-full-nocache" \
  --prepare "echo '<p>edit '\$RANDOM'</p>' >> $post" --prepare true \
  -n "full build" -n "full build --no-cache" -n "one post changed" -n "nothing changed" \
  "$ff build -q $common --out $work/out-full" \
  "$ff build -q --no-cache $common --out $work/out-full-nocache" \
  "$ff build -q $common --out $work/out-incremental" \
  "$ff build -q $common --out $work/out-incremental"
python3 - "$work/times.json" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
full = next(r["median"] for r in results if r["command"] == "full build")
print("| build | median s | min s | max s | vs full build |")
print("|---|---|---|---|---|")
for r in results:
    print(f"| {r['command']} | {r['median']:.3f} | {r['min']:.3f} | {r['max']:.3f} | {r['median'] / full:.2f} |")
PY
