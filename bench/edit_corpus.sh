# Sourced by bench/incremental.sh and bench/watch.sh: with `root`, `n` (posts) and `work` (a
# folder it empties) set, builds frontfeed and the corpus generator, generates `n` posts into
# $work/posts (edited by the benchmark, so never shared), writes $work/limit0.yaml (every post
# in every feed) and $work/limit50.yaml (the default limit), and sets `ff` (the binary),
# `middle` (the post in the middle of the corpus) and `newest` (the newest post).
command -v hyperfine >/dev/null || { sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo; $sudo apt-get install -y hyperfine >/dev/null; }
cargo build --release --quiet --bin frontfeed --example gen_corpus
ff=$root/target/release/frontfeed
rm -rf "$work" && mkdir -p "$work"
"$root/target/release/examples/gen_corpus" "$n" "$work/posts"
site='title: Benchmark\nbase_url: https://news.example.org/\nlanguage: zh-CN\ntimezone: Asia/Shanghai\n'
printf "${site}limit: 0\n" >"$work/limit0.yaml"
printf "$site" >"$work/limit50.yaml"
middle=$(find "$work/posts" -name '*.md' | sort | sed -n "$((n / 2))p")
[ -n "$middle" ] || middle=$(find "$work/posts" -name '*.md' | sort | head -1)
# File names start with the date: the last one sorted is the newest post.
newest=$(find "$work/posts" -name '*.md' | awk -F/ '{print $NF "\t" $0}' | sort | tail -1 | cut -f2)
