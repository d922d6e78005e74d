//! Writers: serialise a planned feed as RSS 2.0 or Atom 1.0.

pub mod atom;
mod markup;
pub mod rss;

use chrono::{DateTime, FixedOffset};

use crate::config::SiteConfig;
use crate::entry::EntryMeta;
use crate::render::Rendered;

/// The generator name and version written into every feed.
pub const GENERATOR: &str = "frontfeed";
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// A feed document without its items: the bytes before them and the bytes after.
pub type Frame = (Vec<u8>, Vec<u8>);

/// One output format. A feed is written either whole (`write`), or as `frame`'s prefix, the
/// `fragment` of each item (serialised once per entry and reused in every feed that carries
/// it), then `frame`'s suffix: both give the same bytes (tested below).
#[derive(Debug, Clone, Copy)]
pub struct Format {
    pub file_name: &'static str,
    pub write: fn(&FeedHead<'_>, &[FeedItem<'_>]) -> Vec<u8>,
    pub frame: fn(&FeedHead<'_>, &FeedItem<'_>) -> Option<Frame>,
    pub fragment: fn(&FeedItem<'_>) -> Fragment,
}

/// One item as it sits in a feed: from the line break before its opening tag to its closing
/// tag. Its content, the entry's HTML as one CDATA section, is left out of `bytes` when it
/// can be (a `]]>` in it splits the section): the hole at `hole` is filled from the entry's
/// own HTML as the item is written, so that the HTML is not copied into each format's bytes
/// before it is copied into each feed file.
#[derive(Debug, Default)]
pub struct Fragment {
    bytes: Vec<u8>,
    hole: Option<usize>,
}

impl Fragment {
    /// The item's bytes, in order, with `content` (the HTML it was written for) in the hole.
    pub fn slices<'a>(&'a self, content: &'a str) -> [&'a [u8]; 3] {
        match self.hole {
            Some(at) => [&self.bytes[..at], content.as_bytes(), &self.bytes[at..]],
            None => [&self.bytes, &[], &[]],
        }
    }

    /// The item's bytes in one piece.
    pub fn to_vec(&self, content: &str) -> Vec<u8> {
        self.slices(content).concat()
    }
}

/// The item of a serialised one-item document, between `open` and `close`, as
/// [`fragment_bounds`] finds it.
#[cfg(test)]
fn cut(document: &[u8], open: &[u8], close: &[u8]) -> Fragment {
    let (start, end) = fragment_bounds(document, open, close).unwrap_or_default();
    Fragment {
        bytes: document[start..end].to_vec(),
        hole: None,
    }
}

/// The index in [`FORMATS`] of jekyll-feed's Atom (its entry ids), written only for the
/// feeds that replace jekyll-feed's.
pub const JEKYLL_FORMAT: usize = 2;

/// Every format we write.
pub const FORMATS: [Format; 3] = [
    Format {
        file_name: "rss.xml",
        write: rss::write,
        frame: rss::frame,
        fragment: rss::fragment,
    },
    Format {
        file_name: "atom.xml",
        write: atom::write,
        frame: atom::frame,
        fragment: atom::fragment,
    },
    Format {
        file_name: "feed.xml",
        write: atom::write_jekyll,
        frame: atom::frame_jekyll,
        fragment: atom::fragment_jekyll,
    },
];

/// How many formats a site's entries are serialised in: jekyll-feed's only when its feeds
/// are written.
pub fn format_count(site: &SiteConfig) -> usize {
    if site.jekyll_feed.is_some() {
        FORMATS.len()
    } else {
        JEKYLL_FORMAT
    }
}

/// Where one item sits in a serialised one-item document: from the line break before its
/// opening tag (so the indentation comes along) to the end of its closing tag. The opening
/// tag is the first occurrence (everything before it is escaped text); the closing tag the
/// last (content written as CDATA may contain the text `</item>`, nothing after it can).
fn fragment_bounds(document: &[u8], open: &[u8], close: &[u8]) -> Option<(usize, usize)> {
    let tag = memchr::memmem::find(document, open)?;
    let mut start = tag;
    while start > 0 && document[start - 1] == b' ' {
        start -= 1;
    }
    if start > 0 && document[start - 1] == b'\n' {
        start -= 1;
    }
    let end = memchr::memmem::rfind(document, close)? + close.len();
    (end > tag).then_some((start, end))
}

/// Feed-level facts shared by both formats.
#[derive(Debug, Clone)]
pub struct FeedHead<'a> {
    pub site: &'a SiteConfig,
    pub title: String,
    pub description: String,
    /// The page the feed stands for.
    pub alternate_url: String,
    /// The feed's own absolute URL in this format.
    pub self_url: String,
    /// The newest entry's updated time (never the clock).
    pub updated: DateTime<FixedOffset>,
}

/// One entry as a feed writes it.
#[derive(Debug, Clone, Copy)]
pub struct FeedItem<'a> {
    pub meta: &'a EntryMeta,
    pub rendered: &'a Rendered,
}

impl FeedItem<'_> {
    /// Category names, then tag names not already among them.
    pub fn category_names(&self) -> Vec<&str> {
        let terms = self.meta.categories.iter().chain(&self.meta.tags);
        let count = self.meta.categories.len() + self.meta.tags.len();
        // A post has a few of each: a look through the names kept so far costs less than
        // building a set for every entry written. Past a few dozen, a set.
        if count > 32 {
            let mut seen = std::collections::HashSet::new();
            return terms
                .map(|t| t.name.as_str())
                .filter(|name| seen.insert(*name))
                .collect();
        }
        let mut names: Vec<&str> = Vec::with_capacity(count);
        for term in terms {
            if !names.contains(&term.name.as_str()) {
                names.push(&term.name);
            }
        }
        names
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, Overrides, Person};
    use crate::entry::{BodyFormat, Term};

    fn site() -> SiteConfig {
        let yaml = "base_url: https://w.example.org/\nauthor: Desk <desk@w.example.org>\n";
        Config::from_yaml(yaml, std::path::Path::new("f.yaml"))
            .unwrap()
            .resolve(&Overrides::default())
            .unwrap()
            .0
    }

    fn meta(i: usize, author: Option<Person>) -> EntryMeta {
        let date = DateTime::parse_from_rfc3339("2024-01-02T03:04:05+08:00").unwrap();
        let term = |name: &str| Term {
            name: name.to_string(),
            slug: name.to_lowercase(),
        };
        EntryMeta {
            source: format!("{i}.md"),
            title: format!("Title {i} <b>&</b> ]]>"),
            link: format!("https://w.example.org/{i}.html"),
            id: format!("https://w.example.org/{i}.html"),
            guid: format!("guid-{i}"),
            guid_is_permalink: false,
            published: date,
            updated: date,
            categories: vec![term("News"), term("新闻")],
            tags: vec![term("t")],
            author,
            excerpt: None,
            excerpt_separator: None,
            body_format: BodyFormat::Html,
            source_hash: 0,
            source_is_xml_safe: false,
            date_line: None,
            jekyll_date: date,
            uses_liquid: false,
            jekyll_id: String::new(),
        }
    }

    /// Categories, then tags not among them, each name once, in order: for a few terms and
    /// for many (a set then).
    #[test]
    fn category_names_are_each_name_once_in_order() {
        let term = |name: String| Term {
            name,
            slug: String::new(),
        };
        for many in [3, 40] {
            let mut meta = meta(0, None);
            meta.categories = (0..many).map(|i| term(format!("c{}", i % 2))).collect();
            meta.tags = (0..many).map(|i| term(format!("t{}", i % 3))).collect();
            meta.tags.push(term("c1".into()));
            let rendered = Rendered {
                html: String::new(),
                summary: String::new(),
            };
            let item = FeedItem {
                meta: &meta,
                rendered: &rendered,
            };
            assert_eq!(item.category_names(), ["c0", "c1", "t0", "t1", "t2"]);
        }
    }

    /// The streamed form (frame prefix, one fragment per item, frame suffix) is byte for byte
    /// the whole document the crates write, for awkward content too (Atom content compared
    /// as the text its CDATA holds).
    #[test]
    fn spliced_feeds_equal_whole_feeds() {
        let site = site();
        let metas = [
            meta(1, None),
            meta(
                2,
                Some(Person {
                    name: "Ann".into(),
                    email: Some("ann@w.example.org".into()),
                    uri: None,
                }),
            ),
            meta(
                3,
                Some(Person {
                    name: "Bo".into(),
                    email: None,
                    uri: None,
                }),
            ),
        ];
        let bodies = [
            Rendered {
                html: "<p>x</p>".into(),
                summary: "x".into(),
            },
            Rendered {
                html: "<p>]]> </item> </entry> <item> <entry> &amp;</p>".into(),
                summary: "</item> ]]>".into(),
            },
            Rendered {
                html: String::new(),
                summary: String::new(),
            },
        ];
        let items: Vec<FeedItem<'_>> = metas
            .iter()
            .zip(&bodies)
            .map(|(meta, rendered)| FeedItem { meta, rendered })
            .collect();
        for format in FORMATS {
            for n in 1..=items.len() {
                let head = FeedHead {
                    site: &site,
                    title: "Feed & <co>".into(),
                    description: "d".into(),
                    alternate_url: "https://w.example.org/".into(),
                    self_url: format!("https://w.example.org/{}", format.file_name),
                    updated: items[0].meta.updated,
                };
                let whole = (format.write)(&head, &items[..n]);
                let (prefix, suffix) = (format.frame)(&head, &items[0]).unwrap();
                let mut spliced = prefix;
                for item in &items[..n] {
                    spliced.extend((format.fragment)(item).to_vec(&item.rendered.html));
                }
                spliced.extend(suffix);
                let spliced = content_as_crate_writes_it(&spliced);
                assert_eq!(
                    String::from_utf8(spliced).unwrap(),
                    String::from_utf8(whole).unwrap(),
                    "{} with {n} items",
                    format.file_name
                );
            }
        }
    }

    /// Atom content as the crate writes it: each `<content type="html">` written as CDATA
    /// sections (split at `]]>`) becomes the escaped text the sections hold.
    fn content_as_crate_writes_it(document: &[u8]) -> Vec<u8> {
        const OPEN: &[u8] = b"<content type=\"html\">";
        const CLOSE: &[u8] = b"</content>";
        let mut out = Vec::new();
        let mut rest = document;
        while let Some(at) = memchr::memmem::find(rest, OPEN) {
            let start = at + OPEN.len();
            out.extend_from_slice(&rest[..start]);
            rest = &rest[start..];
            let mut text = Vec::new();
            while let Some(section) = rest.strip_prefix(b"<![CDATA[".as_slice()) {
                let end = memchr::memmem::find(section, b"]]>").unwrap();
                text.extend_from_slice(&section[..end]);
                rest = &section[end + 3..];
            }
            assert!(rest.starts_with(CLOSE), "content is CDATA only");
            let text = String::from_utf8(text).unwrap();
            out.extend_from_slice(quick_xml::escape::escape(text.as_str()).as_bytes());
        }
        out.extend_from_slice(rest);
        out
    }

    /// Items written by hand are the bytes the crates write for them (Atom content compared as
    /// the text its CDATA holds), over generated entries
    /// with every field the writers read: text dense in what XML escapes, `]]>` in CDATA,
    /// empty values, authors with and without e-mail and home page, categories repeated among
    /// tags, both kinds of guid, dates with odd offsets.
    /// An RSS item with content has a description, even an empty one (a post that is one
    /// picture has no summary): readers and the W3C validator look for one before
    /// `content:encoded`.
    #[test]
    fn items_with_content_have_a_description() {
        let meta = meta(0, None);
        for (html, summary, has_description) in [
            ("<p><img src=\"https://x.example/a.png\"></p>", "", true),
            ("<p>Text.</p>", "Text.", true),
            ("", "", false),
        ] {
            let rendered = Rendered {
                html: html.to_string(),
                summary: summary.to_string(),
            };
            let item = FeedItem {
                meta: &meta,
                rendered: &rendered,
            };
            let bytes = rss::fragment(&item).to_vec(html);
            let text = String::from_utf8_lossy(&bytes);
            assert_eq!(text.contains("<description>"), has_description, "{text}");
        }
    }

    #[test]
    fn items_written_by_hand_are_the_crates() {
        let pieces = [
            "<", ">", "&", "'", "\"", "]]>", "]]", "a", "新闻", " ", "\n", "&amp;", "<p>", "\t",
            "\u{1}", "",
        ];
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let text = |next: &mut dyn FnMut() -> u64| {
            let n = next() % 9;
            (0..n)
                .map(|_| pieces[(next() % pieces.len() as u64) as usize])
                .collect::<String>()
        };
        let dates = [
            "2024-01-02T03:04:05+08:00",
            "1999-12-31T23:59:59-09:30",
            "2020-02-29T00:00:00.123456789+00:00",
            "0101-06-15T12:00:00+14:00",
        ];
        let mut compared = 0;
        for _ in 0..3_000 {
            let mut meta = meta(0, None);
            meta.title = text(&mut next);
            meta.link = text(&mut next);
            meta.id = text(&mut next);
            meta.jekyll_id = text(&mut next);
            meta.guid = text(&mut next);
            meta.guid_is_permalink = next() % 2 == 0;
            meta.published = DateTime::parse_from_rfc3339(dates[(next() % 4) as usize]).unwrap();
            meta.updated = DateTime::parse_from_rfc3339(dates[(next() % 4) as usize]).unwrap();
            meta.author = match next() % 4 {
                0 => None,
                kind => Some(Person {
                    name: text(&mut next),
                    email: (kind != 1).then(|| text(&mut next)),
                    uri: (kind == 3).then(|| text(&mut next)),
                }),
            };
            let names = ["a", "b", "<&>", "新闻", "\u{1}x"];
            let terms = |next: &mut dyn FnMut() -> u64| {
                (0..next() % 3)
                    .map(|_| Term {
                        name: names[(next() % 5) as usize].to_string(),
                        slug: String::new(),
                    })
                    .collect::<Vec<_>>()
            };
            meta.categories = terms(&mut next);
            meta.tags = terms(&mut next);
            let rendered = Rendered {
                html: text(&mut next).repeat((next() % 3) as usize),
                summary: text(&mut next),
            };
            let item = FeedItem {
                meta: &meta,
                rendered: &rendered,
            };
            let html = &rendered.html;
            let pairs = [
                (rss::fragment(&item), rss::fragment_by_crate(&item)),
                (
                    atom::fragment(&item),
                    atom::fragment_by_crate(&item, &meta.id),
                ),
                (
                    atom::fragment_jekyll(&item),
                    atom::fragment_by_crate(&item, &meta.jekyll_id),
                ),
            ];
            for (by_hand, by_crate) in pairs {
                let (by_hand, by_crate) = (by_hand.to_vec(html), by_crate.to_vec(html));
                assert!(!by_crate.is_empty());
                assert_eq!(
                    String::from_utf8_lossy(&content_as_crate_writes_it(&by_hand)),
                    String::from_utf8_lossy(&by_crate),
                    "{meta:?} {rendered:?}"
                );
                compared += 1;
            }
        }
        assert_eq!(compared, 9_000);
    }
}
