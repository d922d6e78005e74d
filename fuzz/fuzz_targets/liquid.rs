//! Liquid-heavy post bodies through the whole pipeline in memory, with a site folder that has
//! includes (one of them including itself) and data. Each input byte from 0x80 up puts in one
//! piece of Jekyll's Liquid (tags, loops, includes, filters, openers and closers), each byte
//! below is that ASCII character, so every input is Liquid-dense and the mutator can still
//! write any text. Every feed is well-formed XML with only XML characters, the good post
//! beside it is kept, and (outside `{% raw %}`, quoted strings and backslashes, which may print
//! Liquid on purpose) any opener of the post left as text is warned about, and no whole tag is
//! shown without such a warning.
//!
//!     cd fuzz && cargo +nightly fuzz run -O liquid corpus/liquid seeds/liquid -- \
//!         -dict=liquid.dict -max_total_time=300
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use frontfeed::config::{Config, Overrides};
use frontfeed::BuildOptions;
use libfuzzer_sys::fuzz_target;

/// Pieces of Jekyll's Liquid (the property test's, and more).
const PIECES: &[&str] = &[
    "{% ", " %}", "{{ ", " }}", "{%- ", " -%}", "{{- ", " -}}", "for i in (1..50)",
    "for p in site.posts", "for t in page.tags", "endfor", "break", "continue",
    "if page.title", "if x == 1", "elsif x", "else", "endif", "unless x", "endunless",
    "case x", "when 1", "endcase", "assign x = 3", "assign x = site.posts | first",
    "capture c", "endcapture", "increment n", "decrement n", "cycle 'a', 'b'", "raw",
    "endraw", "comment", "endcomment", "highlight ruby linenos", "endhighlight",
    "include note.html text=\"t\"", "include note.html text=page.title", "include self.html",
    "include ../secret", "include missing.html", "include_relative x.md", "include {{ x }}",
    "post_url 2024-05-01-good", "post_url nope", "link posts/good.md", "gist 1",
    "tablerow i in (1..3)", "endtablerow", "site.data.menu", "site.data.menu[0].title",
    "site.posts[0].url", "site.tags", "page.title", "page.date", "page.content", "forloop.index",
    "c", "x", "n", " | upcase", " | nope: 1", " | date: \"%Y\"", " | date_to_xmlschema",
    " | where_exp: \"i\", \"i > 1\"", " | where: \"title\", \"Good\"", " | jsonify",
    " | relative_url", " | absolute_url", " | markdownify", " | slugify", " | xml_escape",
    " | append: '{%'", " | split: ''", " | join: ','", " | size", " | default: 'd'",
    " | truncate: 5", " | strip_html", " | number_of_words", " | array_to_sentence_string",
    "\"", "'", "\n", "\n\n", "text ", "中文 ", "**b**", "{:toc}", "<b>", "</b>", "<div>\n\n",
    "</div>", "```\n", "    ", "{", "}", "%", "-",
];

fn options() -> &'static BuildOptions {
    static OPTIONS: OnceLock<BuildOptions> = OnceLock::new();
    OPTIONS.get_or_init(|| {
        let site = std::env::temp_dir().join(format!("frontfeed-fuzz-liquid-{}", std::process::id()));
        let files = [
            ("_includes/self.html", "again {% include self.html %}"),
            ("_includes/note.html", "[{{ include.text }}]"),
            ("_data/menu.yml", "- title: Home\n  url: /\n- title: About\n  url: /about/\n"),
            ("posts/x.md", "relative {{ page.title }}"),
        ];
        for (path, text) in files {
            let path = site.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let yaml = "base_url: https://fuzz.example.org/blog/\ntimezone: America/New_York\nlimit: 0\nfuture: true\nfeeds: {tags: true}\n";
        let (config, _) = Config::from_yaml(yaml, Path::new("frontfeed.yaml"))
            .unwrap()
            .resolve(&Overrides::default())
            .unwrap();
        BuildOptions::new(site.join("posts"), PathBuf::from("out"), config)
    })
}

const GOOD: &str = "---\ntitle: Good\ndate: 2024-05-01 08:00:00 +0800\ntags: [a, b]\n---\nFine.\n";

fn body(data: &[u8]) -> String {
    let mut body = String::new();
    for &b in data {
        if b < 0x80 {
            body.push(char::from(b));
        } else {
            body.push_str(PIECES[usize::from(b - 0x80) % PIECES.len()]);
        }
    }
    body
}

fuzz_target!(|data: &[u8]| {
    let body = body(data);
    let post = format!("---\ntitle: Liquid\ndate: 2024-05-02\ntags: [a]\n---\n{body}\n");
    let posts = vec![
        ("good.md".to_string(), GOOD.as_bytes().to_vec()),
        ("liquid.md".to_string(), post.into_bytes()),
    ];
    let (files, report) = frontfeed::build_in_memory(&posts, options());
    assert_eq!(report.files_failed, 0);
    let mut liquid_html = None;
    for (path, bytes) in &files {
        let text = std::str::from_utf8(bytes).expect("feeds are UTF-8");
        assert!(text.chars().all(|c| matches!(c,
            '\t' | '\n' | '\r' | ' '..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)));
        let doc = roxmltree::Document::parse(text)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if *path == options().out_dir.join("atom.xml") {
            assert!(text.contains("<title>Good</title>"));
            let entry = doc
                .descendants()
                .filter(|n| n.has_tag_name(("http://www.w3.org/2005/Atom", "entry")))
                .find(|e| {
                    e.children()
                        .any(|c| c.has_tag_name(("http://www.w3.org/2005/Atom", "title")) && c.text() == Some("Liquid"))
                })
                .expect("the Liquid post is in the feed");
            liquid_html = Some(
                entry
                    .children()
                    .find(|c| c.has_tag_name(("http://www.w3.org/2005/Atom", "content")))
                    .and_then(|c| c.text())
                    .unwrap_or_default()
                    .to_string(),
            );
        }
    }
    let Some(html) = liquid_html else {
        let names: Vec<_> = files.iter().map(|(p, _)| p.display().to_string()).collect();
        panic!("no atom.xml among {names:?}; {:?}", report.diagnostics);
    };
    // Tag-like text can be printed on purpose: from `{% raw %}`, from a quoted string, or
    // by Markdown from `{\%` (an escaped `%`, which Liquid does not take for an opener).
    let on_purpose = body.contains("raw") || body.contains(['"', '\'', '\\']);
    if !on_purpose {
        // An opener never closed stays as text, with a warning; with it, a tag may still be
        // seen once Markdown drops HTML between its pieces (`{% endif %</b>}`), but never one
        // written in the post as it is shown.
        let warned = report.diagnostics.iter().any(|d| d.message.contains("never closed"));
        let mut from = 0;
        while let Some(i) = html[from..].find("{%").map(|i| from + i) {
            // (`{%}` is an opener never closed, not a tag.)
            let Some(len) = html[i + 2..].find("%}") else { break };
            let tag = &html[i..i + 2 + len + 2];
            assert!(!body.contains(tag), "a tag of the post is shown: {tag}\n{html}");
            assert!(warned, "a whole tag is shown without a warning: {tag}\n{html}");
            from = i + 2;
        }
        // An opener shown as written in the post (not one that Markdown put together by
        // dropping HTML between `{` and `{`, as a browser would show Jekyll's page too).
        for opener in ["{{", "{%"] {
            for (i, _) in html.match_indices(opener) {
                let snippet: String = html[i..].chars().take(8).take_while(|&c| c != '<').collect();
                if body.contains(&snippet) {
                    assert!(warned, "an opener is shown without a warning: {snippet}\n{html}");
                }
            }
        }
    }
});
