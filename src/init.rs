//! `frontfeed init`: a commented `frontfeed.yaml` with every key and its default, and, when
//! there is no posts folder yet, one with an example post.
//!
//! The file is rendered from a [`Config`]: a key the config sets is written as it is, every
//! other key is written commented out with its built-in default, so reading the file gives
//! back the same settings. A caller that knows more (a Jekyll `_config.yml`) fills the
//! [`Config`] and gets the same commented layout.

use std::io::Write;
use std::path::Path;

use super::{report_line, source_date_epoch, Failure, Outcome};
use chrono::{DateTime, FixedOffset};
use frontfeed::config::{
    AuthorConfig, Config, FeedSelection, Overrides, DEFAULT_LIMIT, DEFAULT_MAX_TERMS_PER_POST,
    DEFAULT_PERMALINK, DEFAULT_SUMMARY_LENGTH, PLACEHOLDER_BASE_URL,
};

/// The YAML of one scalar, quoted where YAML needs it (`yes`, `a: b`, `#x`).
fn scalar(text: &str) -> String {
    serde_yaml::to_string(text).map_or_else(|_| format!("{text:?}"), |s| s.trim_end().to_string())
}

/// One key: its explanation, and what follows `key:` (a scalar after a space, or indented
/// lines after a newline), as set or as the default.
struct Key {
    name: &'static str,
    doc: &'static [&'static str],
    set: Option<String>,
    default: String,
}

impl Key {
    fn render(&self, out: &mut String) {
        for line in self.doc {
            out.push_str("# ");
            out.push_str(line);
            out.push('\n');
        }
        match &self.set {
            Some(value) => out.push_str(&format!("{}:{value}\n", self.name)),
            None => {
                for line in format!("{}:{}", self.name, self.default).lines() {
                    out.push_str("# ");
                    out.push_str(line);
                    out.push('\n');
                }
            }
        }
        out.push('\n');
    }
}

fn inline(value: &str) -> String {
    format!(" {value}")
}

fn feeds_block(feeds: FeedSelection) -> String {
    format!(
        "\n  global: {}\n  categories: {}\n  tags: {}",
        feeds.global, feeds.categories, feeds.tags
    )
}

fn author_value(author: &AuthorConfig) -> String {
    match author {
        AuthorConfig::Name(name) => inline(&scalar(name)),
        AuthorConfig::Person(person) => {
            let mut block = format!("\n  name: {}", scalar(&person.name));
            if let Some(email) = &person.email {
                block.push_str(&format!("\n  email: {}", scalar(email)));
            }
            if let Some(uri) = &person.uri {
                block.push_str(&format!("\n  uri: {}", scalar(uri)));
            }
            block
        }
    }
}

/// `frontfeed.yaml` for `config`: every key, those `config` sets written out, the others
/// commented with their defaults.
pub fn render_config(config: &Config) -> String {
    let text = |v: &Option<String>| v.as_deref().map(|s| inline(&scalar(s)));
    let number = |v: Option<usize>| v.map(|n| inline(&n.to_string()));
    let keys = [
        Key {
            name: "base_url",
            doc: &[
                "Absolute http(s) URL of the site (it may carry a path: https://example.org/blog).",
                "Every link in the feeds is made absolute against it. Set it: without it, links",
                "point at the placeholder below and every build warns.",
            ],
            set: text(&config.base_url),
            default: inline(PLACEHOLDER_BASE_URL),
        },
        Key {
            name: "title",
            doc: &[
                "Feed title; category feeds add \" - <category>\".",
                "Default: the host of base_url.",
            ],
            set: text(&config.title),
            default: String::new(),
        },
        Key {
            name: "description",
            doc: &[
                "RSS channel description and Atom subtitle.",
                "Default: \"Latest posts from <title>\".",
            ],
            set: text(&config.description),
            default: String::new(),
        },
        Key {
            name: "language",
            doc: &["Language tag of the posts (en, zh-CN; en_US is read as en-US)."],
            set: text(&config.language),
            default: inline("en"),
        },
        Key {
            name: "timezone",
            doc: &["IANA timezone; dates written without an offset are read in it."],
            set: text(&config.timezone),
            default: inline("UTC"),
        },
        Key {
            name: "author",
            doc: &[
                "Feed author: a name, \"Name <email>\", or a mapping with name, email and uri.",
                "Default: the title.",
            ],
            set: config.author.as_ref().map(author_value),
            default: String::new(),
        },
        Key {
            name: "permalink",
            doc: &[
                "Jekyll permalink pattern (/:categories/:year/:month/:day/:title:output_ext) or",
                "style (date, pretty, ordinal, weekdate, none): where each post's page is.",
            ],
            set: text(&config.permalink),
            default: inline(DEFAULT_PERMALINK),
        },
        Key {
            name: "future",
            doc: &[
                "Publish posts dated after now (Jekyll's future); by default they are held",
                "back.",
            ],
            set: config.future.map(|b| inline(&b.to_string())),
            default: inline("false"),
        },
        Key {
            name: "slugs",
            doc: &[
                "Feed slugs chosen by hand for category and tag names, for example",
                "{\"C#\": csharp, 财经: caijing} (lowercase letters, digits and -).",
            ],
            set: config
                .slugs
                .as_ref()
                .filter(|s| !s.is_empty())
                .map(|slugs| {
                    slugs
                        .iter()
                        .map(|(name, slug)| format!("\n  {}: {}", scalar(name), scalar(slug)))
                        .collect()
                }),
            default: inline("{}"),
        },
        Key {
            name: "limit",
            doc: &["Entries per feed, newest first; 0 means all."],
            set: number(config.limit),
            default: inline(&DEFAULT_LIMIT.to_string()),
        },
        Key {
            name: "summary_length",
            doc: &["Characters in a summary made from the body."],
            set: number(config.summary_length),
            default: inline(&DEFAULT_SUMMARY_LENGTH.to_string()),
        },
        Key {
            name: "excerpt_separator",
            doc: &["Text that ends a post's summary, for example <!--more-->. Default: none."],
            set: text(&config.excerpt_separator),
            default: String::new(),
        },
        Key {
            name: "feeds",
            doc: &[
                "Which feeds to write: rss.xml and atom.xml (global), one pair per category,",
                "one pair per tag.",
            ],
            set: config.feeds.map(feeds_block),
            default: feeds_block(FeedSelection::default()),
        },
        Key {
            name: "sanitize",
            doc: &["Remove scripts, styles, frames and event handlers from the content."],
            set: config.sanitize.map(|b| inline(&b.to_string())),
            default: inline("true"),
        },
        Key {
            name: "max_terms_per_post",
            doc: &[
                "Categories (and, apart, tags) kept per post; the rest are dropped with a",
                "warning.",
            ],
            set: number(config.max_terms_per_post),
            default: inline(&DEFAULT_MAX_TERMS_PER_POST.to_string()),
        },
        Key {
            name: "max_post_bytes",
            doc: &["Larger post files are refused, without being read (the default is 32 MiB)."],
            set: config.max_post_bytes.map(|n| inline(&n.to_string())),
            default: inline(&frontfeed::source::DEFAULT_MAX_POST_BYTES.to_string()),
        },
    ];
    let mut out = String::from(
        "# frontfeed configuration, written by `frontfeed init`.\n\
         # Every key is optional. A commented line shows a key with its built-in default:\n\
         # remove the \"# \" to change it. README.md (Configuration) explains each key.\n\n",
    );
    for key in &keys {
        key.render(&mut out);
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

/// The example post: its file name and text, dated `now`.
pub fn example_post(now: DateTime<FixedOffset>) -> (String, String) {
    let name = format!("{}-welcome.md", now.format("%Y-%m-%d"));
    let text = format!(
        "---\n\
         title: Welcome to frontfeed\n\
         date: {}\n\
         categories: [notes]\n\
         ---\n\
         `frontfeed init` wrote this post so that the first build has something to show.\n\
         \n\
         Every file in this folder that starts with YAML front matter between `---` lines is\n\
         one entry: in `out/rss.xml` and `out/atom.xml`, and in a feed for each of its\n\
         categories (`out/category/notes/`). Write the body in Markdown, HTML or both; links\n\
         such as [the feed](/rss.xml) are made absolute against `base_url`, so that feed\n\
         readers can follow them.\n\
         \n\
         Delete this file once your own posts are here.\n",
        now.format("%Y-%m-%d %H:%M:%S %z")
    );
    (name, text)
}

/// `frontfeed init`: writes `config` (never over an existing file) and, when `posts` does not
/// exist, creates it with the example post.
pub fn run(config_path: &Path, posts: &Path, base_url: Option<String>) -> Outcome {
    let exists = |path: &Path| std::fs::symlink_metadata(path).is_ok();
    let refuse = |path: &Path| {
        Err(Failure::usage(format!(
            "`{}` already exists, and `frontfeed init` never overwrites a file: edit it, or \
             move it away and run init again",
            path.display()
        )))
    };
    if exists(config_path) {
        return refuse(config_path);
    }
    // In a Jekyll site, the settings start from its `_config.yml`: the file written shows
    // what frontfeed reads there, and what can be changed.
    let folder = config_path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let jekyll_config = if folder == Path::new(".") {
        std::path::PathBuf::from("_config.yml")
    } else {
        folder.join("_config.yml")
    };
    let jekyll = jekyll_config.is_file();
    let from_jekyll = if jekyll {
        std::fs::read_to_string(&jekyll_config)
            .map_err(|e| e.to_string())
            .and_then(|text| {
                frontfeed::config::jekyll::from_yaml(&text, &jekyll_config)
                    .map_err(|e| e.to_string())
            })
            .map_err(Failure::usage)?
    } else {
        Config::default()
    };
    let config = Config {
        base_url: base_url.or(from_jekyll.base_url),
        ..from_jekyll
    };
    config
        .clone()
        .resolve(&Overrides::default())
        .map_err(Failure::usage)?;
    let now = source_date_epoch()?.unwrap_or_else(|| chrono::Utc::now().fixed_offset());
    let write_new = |path: &Path, text: &str| {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .and_then(|mut file| file.write_all(text.as_bytes()))
    };
    let mut out = std::io::stdout().lock();
    match write_new(config_path, &render_config(&config)) {
        Ok(()) => report_line(
            &mut out,
            format_args!("frontfeed: wrote {}", config_path.display()),
        ),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return refuse(config_path),
        Err(e) => {
            return Err(Failure::problems(format!(
                "cannot write `{}`: {}",
                config_path.display(),
                frontfeed::output::describe(&e)
            )));
        }
    }
    if jekyll {
        report_line(
            &mut out,
            format_args!(
                "frontfeed: settings read from {}; the posts are the site's `_posts/`",
                jekyll_config.display()
            ),
        );
    } else if exists(posts) {
        report_line(
            &mut out,
            format_args!(
                "frontfeed: {} is already there; no example post written",
                posts.display()
            ),
        );
    } else {
        let (name, text) = example_post(now);
        let post = posts.join(name);
        std::fs::create_dir_all(posts)
            .and_then(|()| write_new(&post, &text))
            .map_err(|e| Failure::problems(frontfeed::output::in_user_terms(e, &post)))?;
        report_line(
            &mut out,
            format_args!("frontfeed: wrote {}", post.display()),
        );
    }
    let next = if config.base_url.is_none() {
        format!(
            "next: set base_url in {}, then run `frontfeed build`",
            config_path.display()
        )
    } else {
        "next: run `frontfeed build`".to_string()
    };
    report_line(&mut out, format_args!("{next}"));
    Ok(())
}
