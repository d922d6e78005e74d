//! Liquid, run as Jekyll runs it, before Markdown: liquid-rust's standard tags and filters,
//! Jekyll's own (`post_url`, `link`, `highlight`, `include`, `include_relative`, and the filters
//! of [`filters`]), with `site.*` (the configuration, `site.posts`,
//! `site.categories`, `site.tags`, `site.data` from `_data/`) and `page.*` (the post's front
//! matter and what Jekyll adds to it).
//!
//! Jekyll's Liquid forgives where liquid-rust stops, and a feed must never show template
//! source, so: a variable nobody set is empty (with a warning naming it); a tag or filter no
//! engine here knows is left out (with a warning and its line); a post whose Liquid cannot be
//! parsed is shown without its markup (with a warning). One post's Liquid has a time and
//! size budget, includes nest at most `tags::MAX_INCLUDE_DEPTH` deep, and literal loops are
//! bounded: a limit hit is an error for that post only.

mod data;
pub mod filters;
mod ordered;
mod runtime;
mod scan;
mod tags;

use std::collections::HashSet;
use std::path::Path;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use liquid_core::runtime::{RuntimeBuilder, StackFrame, Template};
use liquid_core::{Language, Renderable};

use crate::config::SiteConfig;
use crate::entry::EntryMeta;

pub use tags::PostIndex;

/// How long one post's Liquid may run.
const TIME_BUDGET: Duration = Duration::from_secs(2);
/// How large one post's Liquid output may grow: this many times its source, plus a MiB.
const OUTPUT_FACTOR: usize = 16;

/// A problem, at a line of the post file when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiquidNote {
    pub line: Option<usize>,
    pub message: String,
}

/// The body after Liquid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiquidOutput {
    pub text: String,
    /// Things left out or guessed.
    pub warnings: Vec<LiquidNote>,
    /// A limit was hit: the body is shown without its Liquid markup.
    pub error: Option<LiquidNote>,
}

/// The post being rendered, as `page.*` sees it.
pub struct Page<'a> {
    pub meta: &'a EntryMeta,
    /// The front matter's YAML.
    pub front_matter: &'a str,
    /// The post file, for `include_relative`.
    pub path: &'a Path,
    /// The line of the post file on which the body starts.
    pub body_line: usize,
}

/// Names the parser knows, for the scan.
pub(crate) struct KnownNames {
    tags: HashSet<String>,
    blocks: HashSet<String>,
    filters: HashSet<String>,
}

impl KnownNames {
    fn view(&self) -> scan::Known<'_> {
        scan::Known {
            tags: &self.tags,
            blocks: &self.blocks,
            filters: &self.filters,
        }
    }
}

pub(crate) fn known_names(language: &Language) -> KnownNames {
    KnownNames {
        tags: language.tags.plugin_names().map(str::to_owned).collect(),
        blocks: language.blocks.plugin_names().map(str::to_owned).collect(),
        filters: language.filters.plugin_names().map(str::to_owned).collect(),
    }
}

/// The first line of a liquid-rust error, which says what is wrong.
pub(crate) fn short_error(error: &liquid_core::Error) -> String {
    let text = error.to_string();
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = lines
        .next()
        .unwrap_or("invalid Liquid")
        .trim_start_matches("liquid: ");
    // Parse errors point at the text (`--> 1:5`, then the line, then `^---`).
    match text.lines().find(|l| l.trim_start().starts_with('=')) {
        Some(detail) => format!("{first} ({})", detail.trim_start_matches([' ', '='])),
        None => first.to_string(),
    }
}

/// Runs Liquid on post bodies. One per build, shared by the render threads.
pub struct LiquidEngine {
    language: Arc<Language>,
    known: KnownNames,
    site_input: data::SiteInput,
    /// `{"site": …}`, made on first use: most sites' posts have no Liquid at all.
    globals: OnceLock<ordered::OrderedMap>,
    fingerprint: u64,
    /// To check that nothing keeps the include files alive after the engine.
    #[cfg(test)]
    files: std::sync::Weak<tags::IncludeFiles>,
}

impl std::fmt::Debug for LiquidEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LiquidEngine")
    }
}

impl LiquidEngine {
    /// An engine for a build: `site_dir` holds `_includes/` and `_data/` (a Jekyll site's
    /// folder), `entries` are every post of the build (for `post_url`, `link`, `site.posts`).
    pub fn new(
        site: &SiteConfig,
        site_dir: Option<&Path>,
        posts_dir: &Path,
        entries: &[Arc<EntryMeta>],
    ) -> Self {
        let index = Arc::new(data::post_index(site, site_dir, posts_dir, entries));
        let files = Arc::new(tags::IncludeFiles::new(site_dir.map(Path::to_path_buf)));
        let mut language = Language::default();
        register_standard(&mut language);
        for name in ["post_url", "link"] {
            let tag = tags::PostLinkTag {
                name,
                index: Arc::clone(&index),
            };
            language.tags.register(name.to_string(), Box::new(tag));
        }
        for relative in [false, true] {
            let tag = tags::IncludeTag {
                relative,
                files: Arc::clone(&files),
            };
            let name = if relative {
                "include_relative"
            } else {
                "include"
            };
            language.tags.register(name.to_string(), Box::new(tag));
        }
        language
            .blocks
            .register("highlight".to_string(), Box::new(tags::HighlightBlock));
        let context = filters::FilterContext {
            url: data::site_url(site),
            baseurl: data::site_baseurl(site),
            timezone: site.timezone,
            markdownify: |text| crate::render::markdown::to_html(text).0,
        };
        for filter in filters::jekyll_filters(&context) {
            let name = filter.reflection().name().to_string();
            language
                .filters
                .register(name, Box::new(runtime::BoundedFilter(filter)));
        }
        let language = Arc::new(language);
        let _ = files.language.set(Arc::downgrade(&language));
        let site_input = data::SiteInput::new(site, site_dir, entries, &index);
        let fingerprint = data::fingerprint(&site_input, site_dir, &index);
        LiquidEngine {
            known: known_names(&language),
            language,
            site_input,
            globals: OnceLock::new(),
            fingerprint,
            #[cfg(test)]
            files: Arc::downgrade(&files),
        }
    }

    /// A hash of everything a post's Liquid can read besides the post itself (other posts'
    /// links, includes, data, settings): a cached rendering of a post with Liquid is reused
    /// only while it is unchanged.
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    /// Runs the Liquid of `body`. `None` when it has no Liquid markup.
    pub fn render(&self, body: &str, page: &Page<'_>) -> Option<LiquidOutput> {
        if !crate::text::has_liquid_markup(body) {
            return None;
        }
        let at = |line: usize| Some(page.body_line + line - 1);
        let scanned = scan::scan(body, &self.known.view());
        let mut warnings: Vec<LiquidNote> = scanned
            .notes
            .iter()
            .map(|n| LiquidNote {
                line: at(n.line),
                message: n.message.clone(),
            })
            .collect();
        if let Some(refused) = scanned.refused {
            return Some(LiquidOutput {
                text: strip_markup(body),
                warnings,
                error: Some(LiquidNote {
                    line: at(refused.line),
                    message: format!("{}; the post is shown without its Liquid", refused.message),
                }),
            });
        }
        let template = match liquid_core::parser::parse(&scanned.text, &self.language) {
            Ok(elements) => Template::new(elements),
            Err(e) => {
                warnings.push(LiquidNote {
                    line: None,
                    message: format!(
                        "Liquid that cannot be read: {}; the post is shown without its Liquid \
                         markup",
                        short_error(&e)
                    ),
                });
                return Some(LiquidOutput {
                    text: strip_markup(body),
                    warnings,
                    error: None,
                });
            }
        };
        let globals = self.globals.get_or_init(|| self.site_input.globals());
        let page_object = data::page_object(page, &self.site_input);
        let max = body.len().saturating_mul(OUTPUT_FACTOR) + (1 << 20);
        runtime::begin(
            page.path.parent().map(Path::to_path_buf),
            runtime::Budget {
                deadline: Instant::now() + TIME_BUDGET,
                max_value: max,
            },
        );
        let mut writer = runtime::BudgetWriter {
            buffer: Vec::with_capacity(body.len() + 256),
            max,
        };
        let result = {
            let base = RuntimeBuilder::new().set_globals(globals).build();
            let frame = StackFrame::new(&base, &page_object);
            let arena = typed_arena::Arena::new();
            let assigned = runtime::Assigned::new(&arena);
            let lenient = runtime::Lenient {
                inner: &frame,
                assigned: Some(&assigned),
            };
            template.render_to(&mut writer, &lenient)
        };
        let state = runtime::finish();
        for message in state.warnings {
            warnings.push(LiquidNote {
                line: first_line_of(body, &message).and_then(at),
                message,
            });
        }
        for name in &state.missing {
            warnings.push(LiquidNote {
                line: first_line_of(body, name).and_then(at),
                message: format!("Liquid variable `{name}` is not set here; it renders empty"),
            });
        }
        if let Some(limit) = state.limit {
            return Some(LiquidOutput {
                text: strip_markup(body),
                warnings,
                error: Some(LiquidNote {
                    line: None,
                    message: format!("{limit}; the post is shown without its Liquid"),
                }),
            });
        }
        match result {
            Ok(()) => Some(LiquidOutput {
                text: String::from_utf8_lossy(&writer.buffer).into_owned(),
                warnings,
                error: None,
            }),
            Err(e) => {
                warnings.push(LiquidNote {
                    line: None,
                    message: format!(
                        "Liquid failed: {}; the post is shown without its Liquid markup",
                        short_error(&e)
                    ),
                });
                Some(LiquidOutput {
                    text: strip_markup(body),
                    warnings,
                    error: None,
                })
            }
        }
    }
}

/// The line (1-based in `body`) of the first `{{`/`{%` markup that mentions `needle` (for a
/// message naming a variable or a tag), else of the needle anywhere.
fn first_line_of(body: &str, needle: &str) -> Option<usize> {
    let key = needle
        .split('`')
        .nth(1)
        .and_then(|quoted| quoted.split_whitespace().nth(1))
        .unwrap_or(needle);
    let offset = body.find(key)?;
    Some(1 + body[..offset].matches('\n').count())
}

/// `text` without its Liquid markup: what the reader sees when the Liquid cannot run. The
/// inside of `{% raw %}` stays.
pub fn strip_markup(text: &str) -> String {
    let (markups, _) = scan::markups(text);
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    let mut in_raw = false;
    // Openers never closed are text, like everything between markup.
    for m in &markups {
        out.push_str(&text[pos..m.start]);
        pos = m.end;
        let whole = &text[m.start..m.end];
        if m.is_tag {
            match m.inner.split_whitespace().next() {
                Some("raw") => in_raw = true,
                Some("endraw") => in_raw = false,
                _ if in_raw => out.push_str(whole),
                _ => {}
            }
        } else if in_raw {
            out.push_str(whole);
        }
    }
    out.push_str(&text[pos..]);
    out
}

/// liquid-rust's standard tags, blocks and filters, then Jekyll's from liquid-lib.
fn register_standard(language: &mut Language) {
    use liquid_core::{ParseBlock, ParseFilter, ParseTag};
    use liquid_lib::{jekyll, stdlib};
    let tags: Vec<Box<dyn ParseTag>> = vec![
        Box::new(stdlib::AssignTag),
        Box::new(stdlib::BreakTag),
        Box::new(stdlib::ContinueTag),
        Box::new(stdlib::CycleTag),
        Box::new(stdlib::IncrementTag),
        Box::new(stdlib::DecrementTag),
    ];
    for tag in tags {
        language
            .tags
            .register(tag.reflection().tag().to_string(), tag);
    }
    let blocks: Vec<Box<dyn ParseBlock>> = vec![
        Box::new(stdlib::RawBlock),
        Box::new(stdlib::IfBlock),
        Box::new(stdlib::UnlessBlock),
        Box::new(stdlib::IfChangedBlock),
        Box::new(stdlib::ForBlock),
        Box::new(stdlib::TableRowBlock),
        Box::new(stdlib::CommentBlock),
        Box::new(stdlib::CaptureBlock),
        Box::new(stdlib::CaseBlock),
    ];
    for block in blocks {
        language
            .blocks
            .register(block.reflection().start_tag().to_string(), block);
    }
    let filters: Vec<Box<dyn ParseFilter>> = vec![
        Box::new(stdlib::Abs),
        Box::new(stdlib::Append),
        Box::new(stdlib::AtLeast),
        Box::new(stdlib::AtMost),
        Box::new(stdlib::Capitalize),
        Box::new(stdlib::Ceil),
        Box::new(stdlib::Compact),
        Box::new(stdlib::Concat),
        Box::new(stdlib::Date),
        Box::new(stdlib::Default),
        Box::new(stdlib::DividedBy),
        Box::new(stdlib::Downcase),
        Box::new(stdlib::Escape),
        Box::new(stdlib::EscapeOnce),
        Box::new(stdlib::First),
        Box::new(stdlib::Floor),
        Box::new(stdlib::Join),
        Box::new(stdlib::Last),
        Box::new(stdlib::Lstrip),
        Box::new(stdlib::Map),
        Box::new(stdlib::Minus),
        Box::new(stdlib::Modulo),
        Box::new(stdlib::NewlineToBr),
        Box::new(stdlib::Plus),
        Box::new(stdlib::Prepend),
        Box::new(stdlib::Remove),
        Box::new(stdlib::RemoveFirst),
        Box::new(stdlib::Replace),
        Box::new(stdlib::ReplaceFirst),
        Box::new(stdlib::Reverse),
        Box::new(stdlib::Round),
        Box::new(stdlib::Rstrip),
        Box::new(stdlib::Size),
        Box::new(stdlib::Slice),
        Box::new(stdlib::SortNatural),
        Box::new(stdlib::Split),
        Box::new(stdlib::Strip),
        Box::new(stdlib::StripHtml),
        Box::new(stdlib::StripNewlines),
        Box::new(stdlib::Times),
        Box::new(stdlib::Truncate),
        Box::new(stdlib::TruncateWords),
        Box::new(stdlib::Uniq),
        Box::new(stdlib::Upcase),
        Box::new(stdlib::UrlDecode),
        Box::new(stdlib::UrlEncode),
        Box::new(stdlib::Where),
        Box::new(jekyll::Sort),
        Box::new(jekyll::Push),
        Box::new(jekyll::Pop),
        Box::new(jekyll::Shift),
        Box::new(jekyll::Unshift),
        Box::new(jekyll::ArrayToSentenceString),
        Box::new(jekyll::Slugify),
    ];
    for filter in filters {
        language.filters.register(
            filter.reflection().name().to_string(),
            Box::new(runtime::BoundedFilter(filter)),
        );
    }
}

/// The engine is shared by the render threads.
const _: fn() = || {
    fn is_sync<T: Send + Sync>() {}
    is_sync::<LiquidEngine>();
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, Overrides};

    fn site() -> SiteConfig {
        Config::from_yaml(
            "base_url: https://e.org/blog\nsite: {repository: me/x}\n",
            Path::new("f"),
        )
        .unwrap()
        .resolve(&Overrides::default())
        .unwrap()
        .0
    }

    fn meta(source: &str, link: &str) -> EntryMeta {
        let date = chrono::DateTime::parse_from_rfc3339("2020-01-02T03:04:05+00:00").unwrap();
        EntryMeta {
            source: source.into(),
            title: source.into(),
            link: link.into(),
            id: link.into(),
            guid: link.into(),
            guid_is_permalink: true,
            published: date,
            updated: date,
            categories: vec![],
            tags: vec![],
            author: None,
            excerpt: None,
            excerpt_separator: None,
            body_format: crate::entry::BodyFormat::Markdown,
            source_hash: 0,
            source_is_xml_safe: false,
            date_line: None,
            jekyll_date: date,
            uses_liquid: true,
            jekyll_id: String::new(),
        }
    }

    /// Renders `body` as the post `_posts/2020-01-02-a.md` of a site in `dir`.
    fn render(dir: &Path, body: &str) -> LiquidOutput {
        let entries: Vec<Arc<EntryMeta>> = vec![
            Arc::new(meta(
                "_posts/2020-01-02-a.md",
                "https://e.org/blog/2020/01/02/a.html",
            )),
            Arc::new(meta(
                "_posts/2019-05-05-b.md",
                "https://e.org/blog/2019/05/05/b.html",
            )),
        ];
        let engine = LiquidEngine::new(&site(), Some(dir), dir, &entries);
        let path = dir.join("_posts/2020-01-02-a.md");
        engine
            .render(
                body,
                &Page {
                    meta: &entries[0],
                    front_matter: "title: A\nmood: calm\n",
                    path: &path,
                    body_line: 5,
                },
            )
            .expect("has markup")
    }

    #[test]
    fn an_engine_dropped_frees_its_language_and_includes() {
        // The include tags reach the language through their files, and parsed includes that
        // include others reach the files: neither may keep the other alive (found by the
        // `liquid` fuzz target's leak check).
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("_includes")).unwrap();
        std::fs::write(dir.path().join("_includes/x.html"), "[{{ include.a }}]").unwrap();
        std::fs::write(
            dir.path().join("_includes/y.html"),
            "{% include x.html a=2 %}",
        )
        .unwrap();
        let engine = LiquidEngine::new(&site(), Some(dir.path()), dir.path(), &[]);
        let page_meta = meta(
            "_posts/2020-01-02-a.md",
            "https://e.org/blog/2020/01/02/a.html",
        );
        let path = dir.path().join("_posts/2020-01-02-a.md");
        let page = Page {
            meta: &page_meta,
            front_matter: "title: A\n",
            path: &path,
            body_line: 1,
        };
        let out = engine.render("{% include y.html %}", &page).unwrap();
        assert_eq!(out.text, "[2]");
        let language = Arc::downgrade(&engine.language);
        let files = engine.files.clone();
        drop(engine);
        assert!(language.upgrade().is_none());
        assert!(files.upgrade().is_none());
        // Includes still work while the engine lives.
        assert!(render(dir.path(), "{% include x.html a=1 %}")
            .text
            .contains("[1]"));
    }

    #[test]
    fn long_whitespace_renders_as_it_is_and_quickly() {
        let dir = tempfile::tempdir().unwrap();
        let blank = "\n".repeat(20_000);
        let started = Instant::now();
        let out = render(dir.path(), &format!("a{{{{ 1 }}}}{blank}b{{{{ 2 }}}}"));
        let expected = format!("a1{blank}b2");
        assert!(out.text == expected, "{:?}", &out.text[..20]);
        // A run made of the text between tags the scan leaves out, and one in `raw`
        // never closed.
        let out = render(dir.path(), &"{% gist 1 %}\n".repeat(10_000));
        assert!(out.text == "\n".repeat(10_000), "{:?}", &out.text[..20]);
        let out = render(dir.path(), &"{% raw %}\n".repeat(10_000));
        assert!(out.text == "\n".repeat(10_000), "{:?}", &out.text[..20]);
        // liquid-core alone took about ten seconds over each of these.
        assert!(started.elapsed() < Duration::from_secs(5));
        // Whitespace control still trims whole runs, on both sides.
        let spaces = " ".repeat(300);
        let out = render(
            dir.path(),
            &format!(
                "a{spaces}{{%- if true -%}}{spaces}b{spaces}{{%- assign x = 1 -%}}{spaces}c{{% endif %}}"
            ),
        );
        assert_eq!(out.text, "abc");
    }

    #[test]
    fn integers_beyond_64_bits_print_as_written() {
        let dir = tempfile::tempdir().unwrap();
        let out = render(
            dir.path(),
            "{{ 99999999999999999999 }} {{ -99999999999999999999 }}",
        );
        assert_eq!(out.text, "99999999999999999999 -99999999999999999999");
        // No panic in a range either (what it renders is not Jekyll's: Ruby would loop on).
        let out = render(
            dir.path(),
            "{% for i in (1..99999999999999999999) %}x{% endfor %}",
        );
        assert!(out.text.len() < 10, "{}", out.text);
    }

    #[test]
    fn jekyll_tags_and_objects() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("_posts")).unwrap();
        std::fs::create_dir_all(dir.path().join("_includes")).unwrap();
        std::fs::write(
            dir.path().join("_includes/box.html"),
            "[{{ include.text }}|{{ page.mood }}]",
        )
        .unwrap();
        let out = render(
            dir.path(),
            "{{ site.repository }} {% post_url 2019-05-05-b %} {% link _posts/2019-05-05-b.md %}\n\
             {% include box.html text=\"hi\" %}{% for p in site.posts %}({{ p.url }}){% endfor %}\n\
             {% highlight html %}\n<b>x</b>{{ page.mood }}{% if true %}!{% endif %}\n{% endhighlight %}",
        );
        assert!(out.warnings.is_empty(), "{:?}", out.warnings);
        assert!(
            out.text.starts_with(
                "me/x /blog/2019/05/05/b.html /blog/2019/05/05/b.html\n\
             [hi|calm](/2020/01/02/a.html)(/2019/05/05/b.html)"
            ),
            "{}",
            out.text
        );
        assert!(out.text.contains(
            // Jekyll runs the Liquid inside the code too.
            "<pre><code class=\"language-html\" data-lang=\"html\">&lt;b&gt;x&lt;/b&gt;calm!</code></pre>"
        ));
    }

    #[test]
    fn what_cannot_be_resolved_is_reported_and_never_shown() {
        let dir = tempfile::tempdir().unwrap();
        let out = render(
            dir.path(),
            "a {{ site.nothing }}\n{% post_url 1999-01-01-none %}\n{% youtube abc %}\n{% include x.html %}",
        );
        assert!(
            !out.text.contains("{%") && !out.text.contains("{{"),
            "{}",
            out.text
        );
        let lines: Vec<Option<usize>> = out.warnings.iter().map(|w| w.line).collect();
        // The body starts on line 5 of the file.
        assert!(lines.contains(&Some(5)) && lines.contains(&Some(6)) && lines.contains(&Some(7)));
        assert!(out
            .warnings
            .iter()
            .any(|w| w.message.contains("site.nothing")));
        assert!(out.error.is_none());
        // Unreadable Liquid: the text without its markup.
        let out = render(dir.path(), "before {% if %} after {{ x");
        assert!(!out.text.contains("{%"), "{}", out.text);
        assert!(out.text.contains("before") && out.text.contains("after"));
    }

    #[test]
    fn hashes_are_visited_in_the_same_order_in_every_build() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("_data")).unwrap();
        let keys = "qwertyuiopasdfghjklzxcvbnm";
        let yaml: String = keys.chars().map(|c| format!("{c}: 1\n")).collect();
        std::fs::write(dir.path().join("_data/h.yml"), yaml).unwrap();
        // As written in the data file, as Jekyll does.
        let direct = render(
            dir.path(),
            "{% for p in site.data.h %}{{ p[0] }}{% endfor %}",
        );
        assert_eq!(direct.text, keys);
        // Assigned first: liquid-rust's hash has lost the order; sorted, in every build.
        for _ in 0..3 {
            let assigned = render(
                dir.path(),
                "{% assign h = site.data.h %}{% for p in h %}{{ p[0] }}{% endfor %}",
            );
            assert_eq!(assigned.text, "abcdefghijklmnopqrstuvwxyz");
        }
    }

    #[test]
    fn limits_are_errors_for_the_post() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("_includes")).unwrap();
        std::fs::write(
            dir.path().join("_includes/loop.html"),
            "x{% include loop.html %}",
        )
        .unwrap();
        let out = render(dir.path(), "start {% include loop.html %}");
        let error = out.error.expect("a limit was hit");
        assert!(
            error.message.contains("nested more than"),
            "{}",
            error.message
        );
        assert_eq!(out.text, "start ");
        let out = render(dir.path(), "{% for i in (1..100000000) %}{% endfor %}");
        assert!(out.error.is_some());
        // A big output stops at its budget, it does not fill the memory.
        let out = render(
            dir.path(),
            "{% for i in (1..1000) %}{% for j in (1..1000) %}xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx{% endfor %}{% endfor %}",
        );
        assert!(out.error.is_some_and(|e| e.message.contains("bytes")));
        // Values that double at each filter stop at the budget too, before the memory is
        // gone (found by fuzzing: 38 jsonify in a row).
        let started = Instant::now();
        let chain = " | jsonify".repeat(40);
        let out = render(dir.path(), &format!("{{{{ \"a b\"{chain} }}}}"));
        let error = out.error.expect("a limit was hit");
        assert!(error.message.contains("`jsonify`"), "{}", error.message);
        let out = render(
            dir.path(),
            "{% assign x = 'ab' %}{% for i in (1..64) %}{% assign x = x | append: x %}{% endfor %}{{ x.size }}",
        );
        assert!(out.error.is_some_and(|e| e.message.contains("`append`")));
        let out = render(
            dir.path(),
            "{% assign a = 'a,b' | split: ',' %}{% for i in (1..64) %}{% assign a = a | concat: a %}{% endfor %}",
        );
        assert!(out.error.is_some_and(|e| e.message.contains("`concat`")));
        assert!(started.elapsed() < Duration::from_secs(10));
        // Within the budget, the same filters work as before.
        let out = render(dir.path(), "{{ \"a\" | jsonify | jsonify }}");
        assert_eq!(out.text, "\"\\\"a\\\"\"");
    }
}
