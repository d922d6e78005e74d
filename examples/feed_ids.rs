//! Prints, as JSON, the entry ids that feed-rs (our round-trip parser) reads from every feed
//! under a folder: `{"rss.xml": ["id", …], …}`. `.ci/run` hands it to
//! `scripts/check_feeds.py --expect`, so Python's feedparser must see the same entries.
//!
//! `cargo run --example feed_ids -- out > ids.json`

use std::path::Path;

fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: feed_ids DIR");
        std::process::exit(2);
    };
    let dir = Path::new(&dir);
    let mut files: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "xml"))
        .map(walkdir::DirEntry::into_path)
        .collect();
    files.sort();
    let mut parts = Vec::new();
    for path in files {
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let feed = feed_rs::parser::parse(&bytes[..])
            .unwrap_or_else(|e| panic!("{}: feed-rs cannot parse it: {e}", path.display()));
        let relative = path.strip_prefix(dir).unwrap_or(&path).to_string_lossy();
        let ids: Vec<String> = feed.entries.iter().map(|e| json_string(&e.id)).collect();
        parts.push(format!("{}: [{}]", json_string(&relative), ids.join(", ")));
    }
    println!("{{{}}}", parts.join(",\n "));
}
