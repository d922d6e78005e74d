//! The parallel, chunked, streaming build writes exactly the bytes of a sequential one, and
//! of serialising every feed whole, whatever the thread count, chunk size or number of feeds
//! open at once.

use std::path::{Path, PathBuf};

use frontfeed::BuildOptions;
use frontfeed::Tuning;

use crate::harness::{build_options, fixture, output_tree};

/// 700 posts (more than two chunks) in 40 categories and 300 tags (more feeds than one pass
/// opens), with the fixtures' tricky and hostile posts among them.
fn write_posts(posts: &Path) {
    for (i, day) in (0..700).zip((1..=28).cycle()) {
        let dir = posts.join(format!("{:02}", i % 13));
        std::fs::create_dir_all(&dir).unwrap();
        let body = if i % 3 == 0 {
            format!("<p>HTML {i} <img src=\"/i/{i}.png\"> <a href=\"../x\">x</a></p>\n<script>x()</script>\n")
        } else {
            format!("Markdown *{i}* [link](/p/{i}/) and ]]> text.\n\nSecond paragraph {i}.\n")
        };
        std::fs::write(
            dir.join(format!("p{i}.md")),
            format!(
                "---\ntitle: Post {i} & co\ndate: 2023-03-{day:02} {:02}:30:00{}\ncategories: [c{}]\ntags: [t{}, t{}]\n---\n{body}",
                i % 24,
                if i % 10 == 0 { "" } else { " +0800" },
                i % 40,
                i % 300,
                (i * 7) % 300,
            ),
        )
        .unwrap();
    }
    for name in ["tricky", "hostile", "reference"] {
        let from = fixture(name).join("posts");
        for entry in walkdir::WalkDir::new(&from) {
            let entry = entry.unwrap();
            if entry.file_type().is_file() {
                let to = posts
                    .join(name)
                    .join(entry.path().strip_prefix(&from).unwrap());
                std::fs::create_dir_all(to.parent().unwrap()).unwrap();
                std::fs::copy(entry.path(), to).unwrap();
            }
        }
    }
}

fn options(posts: &Path, out: PathBuf, tuning: Tuning) -> BuildOptions {
    let yaml = "base_url: https://par.example.org/\ntimezone: Asia/Shanghai\nlimit: 0\nfeeds: {tags: true}\n";
    let mut options = build_options(posts.to_path_buf(), out, yaml);
    options.tuning = tuning;
    options
}

#[test]
fn parallel_streaming_build_equals_sequential_build() {
    let tmp = tempfile::tempdir().unwrap();
    let posts = tmp.path().join("posts");
    write_posts(&posts);

    let runs = [
        (
            "sequential",
            1,
            Tuning {
                chunk: 1,
                max_open_feeds: 1,
            },
        ),
        ("parallel", 4, Tuning::default()),
        (
            "odd chunks",
            3,
            Tuning {
                chunk: 37,
                max_open_feeds: 100,
            },
        ),
    ];
    let mut trees = Vec::new();
    for (name, threads, tuning) in runs {
        let out = tmp.path().join(name.replace(' ', "-"));
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let report = pool
            .install(|| frontfeed::build(&options(&posts, out.clone(), tuning)))
            .unwrap();
        assert_eq!(report.files_failed, 0);
        assert!(report.feeds > 300, "{} feeds", report.feeds);
        trees.push((name, output_tree(&out), report.diagnostics));
    }
    let (_, first_tree, first_diagnostics) = &trees[0];
    assert!(first_tree.len() > 600);
    for (name, tree, diagnostics) in &trees[1..] {
        assert_eq!(tree.len(), first_tree.len(), "{name}");
        for ((path_a, a), (path_b, b)) in first_tree.iter().zip(tree) {
            assert_eq!(path_a, path_b, "{name}");
            assert!(a == b, "{name}: {} differs", path_a.display());
        }
        assert_eq!(
            diagnostics
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>(),
            first_diagnostics
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>(),
            "{name}"
        );
    }

    // The in-memory build (used by the fuzz target) gives the same files too.
    let in_memory: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(&posts)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(&posts)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    let (files, _) = frontfeed::build_in_memory(
        &in_memory,
        &options(&posts, PathBuf::new(), Tuning::default()),
    );
    assert_eq!(files.len(), first_tree.len());
    for ((path_a, a), (path_b, b)) in files.iter().zip(first_tree) {
        assert_eq!(path_a, path_b);
        assert!(a == b, "in memory: {} differs", path_a.display());
    }
}
