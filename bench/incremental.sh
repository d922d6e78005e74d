#!/usr/bin/env bash
# Full build against incremental rebuilds, side by side (hyperfine medians), on a generated
# corpus (default 10,000 posts), twice: with every post in every feed (`limit: 0`, the feeds
# are 3.5 times the corpus) and with the default limit of 50 entries per feed.
#
#   bench/incremental.sh [N]
#
# "one post changed" edits the post in the middle of the corpus (its body changes, so with
# `limit: 0` the site-wide feeds and its category's are rewritten); "newest post changed"
# edits the newest post (with the default limit, the only edit that changes a feed).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
n=${1:-10000}
work=${BENCH_DIR:-$root/target/bench}/incremental-$n
. "$root/bench/edit_corpus.sh"

for limit in limit0 limit50; do
  common="--posts $work/posts --config $work/$limit.yaml"
  out=$work/out-$limit
  "$ff" build -q $common --out "$out-incremental"
  hyperfine --style basic --warmup 1 --runs 7 --export-json "$work/times-$limit.json" \
    --prepare "rm -rf $out-full" --prepare "rm -rf $out-full-nocache" \
    --prepare "echo '<p>edit '\$RANDOM'</p>' >> $middle" \
    --prepare "echo '<p>edit '\$RANDOM'</p>' >> $newest" --prepare true \
    -n "full build" -n "full build --no-cache" -n "one post changed" -n "newest post changed" \
    -n "nothing changed" \
    "$ff build -q $common --out $out-full" \
    "$ff build -q --no-cache $common --out $out-full-nocache" \
    "$ff build -q $common --out $out-incremental" \
    "$ff build -q $common --out $out-incremental" \
    "$ff build -q $common --out $out-incremental" >"$work/hyperfine-$limit.log"
  # The incremental output must be the bytes of a build from scratch.
  rm -rf "$out-check" && "$ff" build -q --no-cache $common --out "$out-check"
  diff -r -x .frontfeed "$out-incremental" "$out-check" >/dev/null ||
    { echo "incremental output differs from a build from scratch ($limit)"; exit 1; }
  echo "== $n posts, $limit"
  python3 - "$work/times-$limit.json" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
full = next(r["median"] for r in results if r["command"] == "full build")
print("| build | median s | min s | max s | vs full build |")
print("|---|---|---|---|---|")
for r in results:
    print(f"| {r['command']} | {r['median']:.3f} | {r['min']:.3f} | {r['max']:.3f} | {r['median'] / full:.3f} |")
PY
done
