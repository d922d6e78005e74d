#!/usr/bin/env bash
# Whole-process benchmark: frontfeed beside Hugo and `cat`, on generated corpora shaped like the
# reference post. Prints median wall times (hyperfine), ratios, and peak memory
# (/usr/bin/time -v), measured side by side in one run.
#
#   bench/run.sh                 # 1,000, 10,000 and 100,000 posts
#   bench/run.sh 1000 10000      # chosen sizes
#
# frontfeed runs with `limit: 0` (every post in every feed) with and without its incremental
# cache (a from-scratch build also writes the cache), and with the default limit of 50.
# Corpora and outputs go to $BENCH_DIR (default target/bench); a corpus is generated once and
# reused. Installs hyperfine, hugo and time from Debian's packages when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 100000)
work=${BENCH_DIR:-$root/target/bench}
mkdir -p "$work"

missing=()
command -v hyperfine >/dev/null || missing+=(hyperfine)
command -v hugo >/dev/null || missing+=(hugo)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing ${missing[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get install -y "${missing[@]}" >/dev/null 2>&1 ||
    { $sudo apt-get update >/dev/null && $sudo apt-get install -y "${missing[@]}" >/dev/null; }
fi

echo "== building"
cargo build --release --quiet --bin frontfeed --example gen_corpus
frontfeed=$root/target/release/frontfeed
hugo version | head -1

# How many timed runs per size: fewer for the big corpora.
runs_for() { if [ "$1" -le 1000 ]; then echo 10; elif [ "$1" -le 10000 ]; then echo 5; else echo 3; fi; }

# Peak resident memory in MiB of one run of a command (after its prepare step).
peak_mib() {
  local prepare=$1; shift
  bash -c "$prepare"
  /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}'
}

for n in "${sizes[@]}"; do
  corpus=$work/corpus-$n
  if [ ! -f "$corpus.done" ]; then
    echo "== generating $n posts"
    rm -rf "$corpus"
    "$root/target/release/examples/gen_corpus" "$n" "$corpus"
    touch "$corpus.done"
  fi
  site=$work/site-$n
  mkdir -p "$site"
  # The same settings as Hugo's: every post in every feed, full content.
  printf 'title: Benchmark\nbase_url: https://news.example.org/\nlanguage: zh-CN\ntimezone: Asia/Shanghai\nlimit: 0\n' >"$site/all.yaml"
  printf 'title: Benchmark\nbase_url: https://news.example.org/\nlanguage: zh-CN\ntimezone: Asia/Shanghai\n' >"$site/limit50.yaml"
  ff_all="$frontfeed build --posts $corpus --config $site/all.yaml --out $site/out-all"
  ff_50="$frontfeed build --posts $corpus --config $site/limit50.yaml --out $site/out-50"
  ff_nocache="$frontfeed build --no-cache --posts $corpus --config $site/all.yaml --out $site/out-nocache"
  hugo_cmd="hugo --quiet --noBuildLock --source $root/bench/hugo-site --contentDir $corpus --destination $site/out-hugo"
  cat_cmd="find $corpus -type f -exec cat {} +"
  size=$(du -sm "$corpus" | cut -f1)
  echo "== $n posts ($size MiB)"
  runs=$(runs_for "$n")
  # Outputs are removed before every run: each run is a full build, not an unchanged one.
  hyperfine --style basic --warmup 1 --runs "$runs" --export-json "$site/times.json" \
    --prepare true --prepare "rm -rf $site/out-all" --prepare "rm -rf $site/out-nocache" \
    --prepare "rm -rf $site/out-50" --prepare "rm -rf $site/out-hugo" \
    -n cat -n frontfeed -n frontfeed-no-cache -n frontfeed-limit50 -n hugo \
    "$cat_cmd" "$ff_all" "$ff_nocache" "$ff_50" "$hugo_cmd" >"$site/hyperfine.log"
  {
    echo "cat $(peak_mib true $cat_cmd)"
    echo "frontfeed $(peak_mib "rm -rf $site/out-all" $ff_all)"
    echo "frontfeed-no-cache $(peak_mib "rm -rf $site/out-nocache" $ff_nocache)"
    echo "frontfeed-limit50 $(peak_mib "rm -rf $site/out-50" $ff_50)"
    echo "hugo $(peak_mib "rm -rf $site/out-hugo" $hugo_cmd)"
  } >"$site/memory.txt"
  python3 - "$n" "$site/times.json" "$site/memory.txt" <<'EOF'
import json, sys
n, times, memory = sys.argv[1], sys.argv[2], sys.argv[3]
results = {r["command"]: r for r in json.load(open(times))["results"]}
peak = dict(line.split() for line in open(memory))
median = {name: r["median"] for name, r in results.items()}
print(f"| N | command | median s | min s | max s | vs hugo | vs cat | peak MiB |")
print(f"|---|---|---|---|---|---|---|---|")
for name in ["frontfeed", "frontfeed-no-cache", "frontfeed-limit50", "hugo", "cat"]:
    r = results[name]
    print(f"| {int(n):,} | {name} | {r['median']:.3f} | {r['min']:.3f} | {r['max']:.3f} "
          f"| {r['median'] / median['hugo']:.3f} | {r['median'] / median['cat']:.2f} | {peak[name]} |")
EOF
done
