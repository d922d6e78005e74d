#!/usr/bin/env bash
# One-post edits under `frontfeed watch` against full builds, on a generated corpus (default
# 10,000 posts), with the default limit of 50 entries per feed and with `limit: 0`.
#
#   bench/watch.sh [N] [EDITS]
#
# A full build is `frontfeed build` into an empty out/ (hyperfine median). The watch is
# started once per limit; each edit appends a paragraph to a post (the middle post of the
# corpus, then the newest, in turn) and the rebuild's own time is read from `--verbose`
# ("built in X s": from reading the config to the last file written; the 250 ms the watch
# waits for a quiet moment after a change is not part of it). At the end the watch's feeds
# must be the bytes of a build from scratch.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
n=${1:-10000}
edits=${2:-20}
work=${BENCH_DIR:-$root/target/bench}/watch-$n
. "$root/bench/edit_corpus.sh"

for limit in limit50 limit0; do
  common="--posts $work/posts --config $work/$limit.yaml"
  hyperfine --style basic --warmup 1 --runs 7 --export-json "$work/full-$limit.json" \
    --prepare "rm -rf $work/out-full" -n "full build" \
    "$ff build -q $common --out $work/out-full" >"$work/hyperfine-$limit.log"
  rm -rf "$work/out-watch"
  python3 - "$ff" "$work" "$limit" "$middle" "$newest" "$edits" <<'PY'
import json, re, signal, statistics, subprocess, sys, threading, time
ff, work, limit, middle, newest, edits = sys.argv[1:7]
edits = int(edits)
cmd = [ff, "watch", "--verbose", "--posts", f"{work}/posts", "--config", f"{work}/{limit}.yaml",
       "--out", f"{work}/out-watch"]
child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
built, watching = [], threading.Event()
def read():
    for line in child.stderr:
        m = re.search(r"built in ([0-9.]+) s", line)
        if m:
            built.append(float(m.group(1)))
        if "watching" in line:
            watching.set()
threading.Thread(target=read, daemon=True).start()
if not watching.wait(120):
    sys.exit("the watch did not start")
def wait_for(count):
    deadline = time.time() + 30
    while len(built) < count:
        if time.time() > deadline:
            sys.exit("no rebuild after an edit")
        time.sleep(0.01)
times = {"middle": [], "newest": []}
for i in range(edits):
    which = "middle" if i % 2 == 0 else "newest"
    before = len(built)
    with open(middle if which == "middle" else newest, "a") as f:
        f.write(f"<p>edit {i}</p>\n")
    wait_for(before + 1)
    times[which].append(built[-1])
    time.sleep(0.4)  # a second build would show here
child.send_signal(signal.SIGINT)
child.wait(30)
full = json.load(open(f"{work}/full-{limit}.json"))["results"][0]["median"]
print(f"== {limit}: full build (CLI, empty out/) median {full:.3f} s; first watch build {built[0]:.3f} s")
print("| build | median s | min s | max s | vs full build |")
print("|---|---|---|---|---|")
for which, label in [("middle", "watch: middle post edited"), ("newest", "watch: newest post edited")]:
    t = times[which]
    med = statistics.median(t)
    print(f"| {label} ({len(t)}) | {med:.3f} | {min(t):.3f} | {max(t):.3f} | {med / full:.3f} (1/{full / med:.0f}) |")
if len(built) != edits + 1:
    sys.exit(f"expected {edits + 1} builds, saw {len(built)}")
PY
  rm -rf "$work/out-check" && "$ff" build -q --no-cache $common --out "$work/out-check"
  diff -r -x .frontfeed "$work/out-watch" "$work/out-check" >/dev/null ||
    { echo "the watch's output differs from a build from scratch ($limit)"; exit 1; }
done
