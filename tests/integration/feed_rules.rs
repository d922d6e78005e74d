//! The rules feed readers and the W3C validator judge us by (DEVELOPERS.md, "Feeds that readers
//! accept"), checked element by element on every file the sample posts and the fixtures
//! produce. The XML is parsed with roxmltree, which also rejects anything not well-formed.

use std::collections::HashSet;
use std::path::Path;

use crate::harness::*;
use roxmltree::{Document, Node};

const CONTENT_NS: &str = "http://purl.org/rss/1.0/modules/content/";

fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children()
        .find(|n| n.is_element() && n.tag_name().name() == name)
}

fn children<'a, 'i>(node: Node<'a, 'i>, name: &'static str) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children()
        .filter(move |n| n.is_element() && n.tag_name().name() == name)
}

fn text(node: Node<'_, '_>, name: &str) -> String {
    child(node, name)
        .and_then(|n| n.text())
        .unwrap_or_else(|| panic!("<{}> has no <{name}>", node.tag_name().name()))
        .to_string()
}

// The same date rules `frontfeed check` applies.
use frontfeed::lint::{is_rfc3339, is_rfc822};

fn is_absolute_http(s: &str) -> bool {
    (s.starts_with("http://") || s.starts_with("https://"))
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || ";/?:@&=+$.-_!~*'()%,#".contains(c))
}

fn check_rss(path: &Path, doc: &Document<'_>) {
    let rss = doc.root_element();
    assert_eq!(rss.tag_name().name(), "rss");
    assert_eq!(rss.attribute("version"), Some("2.0"));
    let channel = child(rss, "channel").expect("channel");
    for required in ["title", "link", "description", "language", "lastBuildDate"] {
        assert!(
            !text(channel, required).trim().is_empty(),
            "{}: {required}",
            path.display()
        );
    }
    assert!(is_absolute_http(&text(channel, "link")));
    assert!(
        is_rfc822(&text(channel, "lastBuildDate")),
        "{}",
        text(channel, "lastBuildDate")
    );
    let self_link = channel
        .children()
        .find(|n| n.tag_name().namespace() == Some(ATOM_NS) && n.tag_name().name() == "link")
        .expect("atom:link");
    assert_eq!(self_link.attribute("rel"), Some("self"));
    let href = self_link.attribute("href").unwrap();
    assert!(
        is_absolute_http(href) && href.ends_with("/rss.xml"),
        "{href}"
    );

    let mut guids = HashSet::new();
    for item in children(channel, "item") {
        let title = text(item, "title");
        assert!(!title.trim().is_empty());
        assert!(
            is_absolute_http(&text(item, "link")),
            "{}",
            text(item, "link")
        );
        let guid = child(item, "guid").expect("guid");
        let value = guid.text().unwrap().to_string();
        if guid.attribute("isPermaLink") != Some("false") {
            assert!(
                is_absolute_http(&value),
                "a permalink guid is a URL: {value}"
            );
        }
        assert!(guids.insert(value), "{}: guids are unique", path.display());
        let pub_date = text(item, "pubDate");
        assert!(is_rfc822(&pub_date), "{pub_date}");
        let content = item
            .children()
            .find(|n| n.tag_name().namespace() == Some(CONTENT_NS))
            .expect("content:encoded");
        let html = content.text().unwrap_or("");
        assert!(relative_urls(html).is_empty(), "{}: {html}", path.display());
    }
}

fn check_atom(path: &Path, doc: &Document<'_>) {
    let feed = doc.root_element();
    assert_eq!(feed.tag_name().name(), "feed");
    assert_eq!(feed.tag_name().namespace(), Some(ATOM_NS));
    assert!(is_absolute_http(&text(feed, "id")));
    assert!(!text(feed, "title").trim().is_empty());
    assert!(is_rfc3339(&text(feed, "updated")));
    let author = child(feed, "author").expect("feed author");
    assert!(!text(author, "name").trim().is_empty());
    let rels: Vec<(&str, &str)> = children(feed, "link")
        .map(|l| {
            (
                l.attribute("rel").unwrap_or(""),
                l.attribute("href").unwrap_or(""),
            )
        })
        .collect();
    assert!(rels
        .iter()
        .any(|(r, h)| *r == "self" && is_absolute_http(h) && h.ends_with("/atom.xml")));
    assert!(rels
        .iter()
        .any(|(r, h)| *r == "alternate" && is_absolute_http(h)));

    let mut ids = HashSet::new();
    for entry in children(feed, "entry") {
        let id = text(entry, "id");
        assert!(
            id.starts_with("http") || id.starts_with("urn:") || id.starts_with("tag:"),
            "{id}"
        );
        assert!(id.is_ascii() && !id.contains(' '), "{id}");
        assert!(ids.insert(id), "{}: ids are unique", path.display());
        let title = child(entry, "title").expect("title");
        assert!(
            title.attribute("type").is_none_or(|t| t == "text"),
            "titles are text"
        );
        let updated = text(entry, "updated");
        let published = text(entry, "published");
        assert!(is_rfc3339(&updated) && is_rfc3339(&published));
        let (u, p) = (
            chrono::DateTime::parse_from_rfc3339(&updated).unwrap(),
            chrono::DateTime::parse_from_rfc3339(&published).unwrap(),
        );
        assert!(u >= p, "updated is never before published");
        let alternate = children(entry, "link")
            .find(|l| l.attribute("rel") == Some("alternate"))
            .expect("alternate link");
        assert!(is_absolute_http(alternate.attribute("href").unwrap()));
        let content = child(entry, "content").expect("content");
        assert_eq!(content.attribute("type"), Some("html"));
        let html = content.text().unwrap_or("");
        assert!(relative_urls(html).is_empty(), "{}: {html}", path.display());
    }
}

fn check_folder(out: &Path) -> usize {
    let files = feed_files(out);
    assert!(!files.is_empty());
    for file in &files {
        let xml = std::fs::read_to_string(file).unwrap();
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"));
        let doc = Document::parse(&xml)
            .unwrap_or_else(|e| panic!("{} is not well-formed XML: {e}", file.display()));
        match file.file_name().and_then(|n| n.to_str()) {
            Some("rss.xml") => check_rss(file, &doc),
            Some("atom.xml") => check_atom(file, &doc),
            other => panic!("unexpected file {other:?}"),
        }
    }
    files.len()
}

#[test]
fn every_feed_we_write_follows_the_rules() {
    let mut checked = 0;
    for site in [
        Path::new(REPO).to_path_buf(),
        fixture("reference"),
        fixture("tricky"),
    ] {
        let out = tempfile::tempdir().unwrap();
        let output = build_site(&site, out.path(), &[]);
        assert!(output.status.success(), "{}", stderr(&output));
        checked += check_folder(out.path());
    }
    assert!(checked >= 30, "{checked} files checked");
}
