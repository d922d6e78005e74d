//! The Markdown engines side by side (criterion): `cargo bench --bench markdown_engines`.
//! pulldown-cmark as frontfeed used it before, comrak alone with the options nearest kramdown,
//! and frontfeed's renderer (comrak plus the kramdown passes), each on the whole
//! tests/fixtures/markdown corpus and on a post shaped like the reference post.

use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn corpus() -> String {
    // The benchmarks' package is benches/, beside tests/.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/markdown");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Chinese paragraphs with emphasis, headings, a list, a table, links, an image, footnotes.
fn post() -> String {
    let mut body = String::new();
    for i in 0..12 {
        body.push_str(&format!(
            "## 第{i}节\n\n春节后上班第一天，**备注：**全省召开发展和改革推进大会，对深入推进*数字经济*作出部署[^n{i}]。\
             会议指出，\"数字经济\"正成为推动产业升级的关键力量 -- 见[报告](/a/b{i}.html)。\n\n\
             - 第一点\n- 第二点\n\n| 项目 | 数值 |\n|---|---|\n| 甲 | {i} |\n\n![图](/img/{i}.png)\n\n"
        ));
    }
    for i in 0..12 {
        body.push_str(&format!("[^n{i}]: 注释{i}。\n"));
    }
    body
}

fn pulldown(md: &str) -> String {
    use pulldown_cmark::{Options, Parser};
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS;
    let md = frontfeed::render::markdown::join_html_blocks(md);
    let mut html = String::with_capacity(md.len() * 5 / 4);
    pulldown_cmark::html::push_html(&mut html, Parser::new_ext(&md, options));
    html
}

fn comrak_alone(md: &str, options: &comrak::Options) -> String {
    let md = frontfeed::render::markdown::join_html_blocks(md);
    comrak::markdown_to_html(&md, options)
}

fn engines(c: &mut Criterion) {
    let mut options = comrak::Options::default();
    options.extension.strikethrough = true;
    options.extension.table = true;
    options.extension.tasklist = true;
    options.extension.footnotes = true;
    options.extension.description_lists = true;
    options.extension.math_dollars = true;
    options.extension.cjk_friendly_emphasis = true;
    options.extension.header_id_prefix = Some(String::new());
    options.parse.smart = true;
    options.render.r#unsafe = true;

    for (name, text) in [("corpus", corpus()), ("post", post())] {
        let mut group = c.benchmark_group(format!("markdown {name}"));
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function("pulldown-cmark", |b| b.iter(|| pulldown(black_box(&text))));
        group.bench_function("comrak", |b| {
            b.iter(|| comrak_alone(black_box(&text), &options))
        });
        group.bench_function("frontfeed (comrak + kramdown passes)", |b| {
            b.iter(|| frontfeed::render::markdown::to_html(black_box(&text)))
        });
        group.finish();
    }
}

criterion_group!(benches, engines);
criterion_main!(benches);
