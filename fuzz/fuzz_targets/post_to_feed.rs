//! The whole path from a post file to feed files, in memory: any bytes as a post beside a good
//! one; every feed is well-formed XML with only XML characters, and the good post is kept.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use frontfeed::config::{Config, Overrides};
use frontfeed::BuildOptions;
use libfuzzer_sys::fuzz_target;

fn options() -> &'static BuildOptions {
    static OPTIONS: OnceLock<BuildOptions> = OnceLock::new();
    OPTIONS.get_or_init(|| {
        let yaml = "base_url: https://fuzz.example.org/blog/\ntimezone: America/New_York\nlimit: 0\nfeeds: {tags: true}\n";
        let (site, _) = Config::from_yaml(yaml, Path::new("frontfeed.yaml"))
            .unwrap()
            .resolve(&Overrides::default())
            .unwrap();
        BuildOptions::new(PathBuf::from("posts"), PathBuf::from("out"), site)
    })
}

const GOOD: &str = "---\ntitle: Good\ndate: 2024-05-01 08:00:00 +0800\n---\nFine.\n";

fuzz_target!(|data: &[u8]| {
    let posts = vec![
        ("good.md".to_string(), GOOD.as_bytes().to_vec()),
        ("fuzz.md".to_string(), data.to_vec()),
        ("fuzz.html".to_string(), data.to_vec()),
    ];
    let (files, _report) = frontfeed::build_in_memory(&posts, options());
    assert!(files.len() >= 2);
    let atom = options().out_dir.join("atom.xml");
    assert!(files.iter().any(|(path, _)| *path == atom), "atom.xml is written");
    for (path, bytes) in &files {
        assert!(!path.is_absolute());
        assert!(path
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_))));
        let text = std::str::from_utf8(bytes).expect("feeds are UTF-8");
        assert!(text.chars().all(|c| matches!(c,
            '\t' | '\n' | '\r' | ' '..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)));
        let doc = roxmltree::Document::parse(text)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if *path == atom {
            assert!(text.contains("<title>Good</title>"));
            assert!(doc.root_element().has_tag_name(("http://www.w3.org/2005/Atom", "feed")));
        }
    }
});
