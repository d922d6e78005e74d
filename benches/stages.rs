//! Per-stage benchmarks (criterion): `cargo bench`. Whole-build figures beside Hugo and `cat`
//! come from bench/run.sh.

use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

use frontfeed::config::{Config, Overrides};
use frontfeed::diagnostics::FileDiagnostics;
use frontfeed::entry::{self, PostOutcome};
use frontfeed::front_matter::{self, FrontMatter};
use frontfeed::render::Renderer;
use frontfeed::source::SourcePath;
use frontfeed::writers::{FeedHead, FeedItem, FORMATS};

/// A post shaped like the reference post: Chinese HTML paragraphs, an image, Markdown links.
fn sample_post() -> String {
    let paragraph = "春节后上班第一天，全省召开发展和改革推进大会，对深入推进数字经济作出部署。会议指出，数字经济正成为推动产业升级的关键力量。";
    let mut body = String::new();
    for i in 0..12 {
        body.push_str(&format!(" <p>{paragraph}{i}</p>\n"));
        if i == 2 {
            body.push_str(" <p><img src=\"/uploads/2022/02/a.jpg\" alt=\"图\"></p>\n");
        }
    }
    body.push_str("\n<http://www.example-news.cn/a.html>\n\n[返回](//www.example-news.cn/c/)｜[首页](//www.example-news.cn/)\n");
    format!("---\nlayout: post\ntitle: \"江西布局建设数字经济集聚区\"\ndate: 2022-02-10 17:07:04 +0800\ncategories: dajiangwang\ntags: 大江网新闻\n---\n{body}")
}

fn site() -> frontfeed::SiteConfig {
    let yaml = "base_url: https://news.example.org/\ntimezone: Asia/Shanghai\nlanguage: zh-CN\n";
    Config::from_yaml(yaml, Path::new("frontfeed.yaml"))
        .unwrap()
        .resolve(&Overrides::default())
        .unwrap()
        .0
}

fn stages(c: &mut Criterion) {
    let post = sample_post();
    let site = site();
    let source = SourcePath {
        path: "posts/a.md".into(),
        relative: "a.md".into(),
        symlink: false,
    };

    let mut group = c.benchmark_group("stages");
    group.throughput(Throughput::Bytes(post.len() as u64));

    group.bench_function("front matter (split + YAML)", |b| {
        b.iter(|| {
            let split = front_matter::split(black_box(&post)).unwrap().unwrap();
            FrontMatter::parse(&split).unwrap()
        })
    });

    group.bench_function("normalize (front matter, dates, permalink)", |b| {
        b.iter(|| {
            let mut diag = FileDiagnostics::new("posts/a.md".into());
            let bytes = black_box(post.as_bytes());
            entry::normalize(&source, bytes, entry::hash_source(bytes), &site, &mut diag)
        })
    });

    let dates = [
        "2022-02-10 17:07:04 +0800",
        "2022-02-10 17:07:04",
        "2022-02-10T17:07:04Z",
        "Thu, 10 Feb 2022 17:07:04 +0800",
        "2021-11-07 01:30:00",
    ];
    group.bench_function("dates (5 forms, America/New_York)", |b| {
        b.iter(|| {
            for d in dates {
                let _ =
                    frontfeed::dates::parse_post_date(black_box(d), chrono_tz::America::New_York);
            }
        })
    });

    let PostOutcome::Entry(meta) = ({
        let mut diag = FileDiagnostics::new("posts/a.md".into());
        entry::normalize(
            &source,
            post.as_bytes(),
            entry::hash_source(post.as_bytes()),
            &site,
            &mut diag,
        )
    }) else {
        panic!("the sample post is a post")
    };
    let body = entry::post_text(post.as_bytes(), false).unwrap().body;

    group.bench_function("markdown (HTML blocks + Markdown)", |b| {
        b.iter(|| frontfeed::render::markdown::to_html(black_box(&body)))
    });

    let base = frontfeed::html::Base::new(&meta.link);
    let urls = [
        "/img/a.png",
        "//cdn.example.net/x",
        "../x",
        "a.png",
        "#f",
        "https://e.org/",
    ];
    group.bench_function("URL resolution (6 URLs)", |b| {
        b.iter(|| {
            for u in urls {
                black_box(frontfeed::html::absolutize(black_box(u), &base));
            }
        })
    });

    let renderer = Renderer::new(&site);
    let post = frontfeed::entry::PostText {
        front_matter: String::new(),
        body: body.clone(),
        body_line: 1,
    };
    let path = std::path::Path::new("posts/bench.md");
    group.bench_function("render (Markdown, sanitize, URL rewriting, summary)", |b| {
        b.iter(|| renderer.render(&meta, black_box(&post), path).unwrap())
    });

    let (rendered, _) = renderer.render(&meta, &post, path).unwrap();
    let item = FeedItem {
        meta: &meta,
        rendered: &rendered,
    };
    for format in FORMATS {
        group.bench_function(
            format!("{} entry (serialised once)", format.file_name),
            |b| b.iter(|| (format.fragment)(black_box(&item))),
        );
    }
    group.finish();

    // A whole feed of 50 entries, written at once.
    let items = vec![item; 50];
    let head = FeedHead {
        site: &site,
        title: "Benchmark".into(),
        description: "d".into(),
        alternate_url: "https://news.example.org/".into(),
        self_url: "https://news.example.org/rss.xml".into(),
        updated: meta.updated,
    };
    let mut group = c.benchmark_group("feeds");
    for format in FORMATS {
        group.bench_function(format!("{} with 50 entries", format.file_name), |b| {
            b.iter(|| (format.write)(black_box(&head), black_box(&items)))
        });
    }
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
