//! Atom 1.0 (RFC 4287) with the `atom_syndication` crate.

use atom_syndication::{
    Category, Content, Entry, Feed, Generator, Link, Person, Text, WriteConfig,
};

use super::markup::{escaped_len, Lines};
use super::{FeedHead, FeedItem, GENERATOR, VERSION};
use crate::config;
use crate::entry::EntryMeta;
use crate::text::xml_safe;

/// Serialises one feed as Atom 1.0, the whole document at once, as the crate writes it: for a
/// feed without entries. (With entries, the crate escapes content that [`fragment`] writes as
/// CDATA; the tests hold the two to the same text.)
pub fn write(head: &FeedHead<'_>, items: &[FeedItem<'_>]) -> Vec<u8> {
    serialize(&feed(head, items, own_id))
}

/// The feed's document around its entries: the bytes before the first and after the last.
pub fn frame(head: &FeedHead<'_>, first: &FeedItem<'_>) -> Option<super::Frame> {
    let document = serialize(&feed(head, std::slice::from_ref(first), own_id));
    let (start, end) = super::fragment_bounds(&document, b"<entry>", b"</entry>")?;
    Some((document[..start].to_vec(), document[end..].to_vec()))
}

/// One entry's `<entry>`, with the indentation it has inside a feed: the bytes the crate
/// writes for it (see [`super::markup`] for why it is written by hand), except the content,
/// which is CDATA as jekyll-feed writes it instead of escaped text: HTML is dense in what XML
/// escapes, and CDATA keeps it at its own length and cheap to write.
pub fn fragment(item: &FeedItem<'_>) -> super::Fragment {
    entry_fragment(item, own_id(item.meta))
}

fn entry_fragment(item: &FeedItem<'_>, id: &str) -> super::Fragment {
    let meta = item.meta;
    let summary = &item.rendered.summary;
    let html = &item.rendered.html;
    let mut out = Vec::with_capacity(1024 + escaped_len(summary));
    let mut lines = Lines {
        out: &mut out,
        indent: b"\n    ",
    };
    lines.out.extend_from_slice(b"\n  <entry>");
    lines.text("title", &xml_safe(&meta.title));
    lines.text("id", &xml_safe(id));
    lines.text("updated", &meta.updated.to_rfc3339());
    if let Some(author) = &meta.author {
        lines.open("author");
        let mut inner = Lines {
            out: lines.out,
            indent: b"\n      ",
        };
        inner.text("name", &xml_safe(&author.name));
        if let Some(email) = &author.email {
            inner.text("email", email);
        }
        if let Some(uri) = &author.uri {
            inner.text("uri", uri);
        }
        lines.close("author");
    }
    for name in item.category_names() {
        lines.empty("category", &[("term", &xml_safe(name))]);
    }
    lines.empty(
        "link",
        &[
            ("href", &meta.link),
            ("rel", "alternate"),
            ("type", "text/html"),
        ],
    );
    lines.text("published", &meta.published.to_rfc3339());
    if !summary.is_empty() {
        lines.text("summary", summary);
    }
    let hole = lines.cdata_hole_with("content", &[("type", "html")], html);
    out.extend_from_slice(b"\n  </entry>");
    super::Fragment { bytes: out, hole }
}

/// One entry's `<entry>` as the crate writes it, inside a whole feed.
#[cfg(test)]
pub fn fragment_by_crate(item: &FeedItem<'_>, id: &str) -> super::Fragment {
    let feed = Feed {
        entries: vec![entry(item, id)],
        ..Feed::default()
    };
    super::cut(&serialize(&feed), b"<entry>", b"</entry>")
}

/// The id an entry has in our feeds.
fn own_id(meta: &EntryMeta) -> &str {
    &meta.id
}

/// The id jekyll-feed gives an entry.
fn jekyll_id(meta: &EntryMeta) -> &str {
    &meta.jekyll_id
}

/// [`write`] with jekyll-feed's entry ids.
pub fn write_jekyll(head: &FeedHead<'_>, items: &[FeedItem<'_>]) -> Vec<u8> {
    serialize(&feed(head, items, jekyll_id))
}

/// [`frame`] with jekyll-feed's entry ids (the frame holds no entry, only its bounds).
pub fn frame_jekyll(head: &FeedHead<'_>, first: &FeedItem<'_>) -> Option<super::Frame> {
    frame(head, first)
}

/// [`fragment`] with jekyll-feed's entry id.
pub fn fragment_jekyll(item: &FeedItem<'_>) -> super::Fragment {
    entry_fragment(item, jekyll_id(item.meta))
}

fn serialize(feed: &Feed) -> Vec<u8> {
    // Room for every entry's content and summary as escaped (most HTML grows by less than a
    // quarter), so that the buffer is seldom grown and copied while the entries are written.
    let text_len = |text: Option<&str>| text.map_or(0, |t| t.len() + t.len() / 4);
    let entries: usize = feed
        .entries
        .iter()
        .map(|e| {
            1024 + text_len(e.content.as_ref().and_then(|c| c.value.as_deref()))
                + text_len(e.summary.as_ref().map(|s| s.value.as_str()))
        })
        .sum();
    let mut bytes = Vec::with_capacity(4096 + entries);
    // The same declaration as the RSS files, naming the encoding.
    bytes.extend_from_slice(b"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    // Writing to a Vec cannot fail.
    let _ = feed.write_with_config(
        &mut bytes,
        WriteConfig {
            write_document_declaration: false,
            indent_size: Some(2),
        },
    );
    bytes.push(b'\n');
    bytes
}

/// The feed, each entry identified by `id`.
fn feed(head: &FeedHead<'_>, items: &[FeedItem<'_>], id: fn(&EntryMeta) -> &str) -> Feed {
    let site = head.site;
    Feed {
        title: Text::plain(xml_safe(&head.title)),
        // The feed's own URL is stable and unique: a good permanent id.
        id: head.self_url.clone(),
        updated: head.updated,
        authors: vec![person(&site.author)],
        links: vec![
            link(&head.alternate_url, "alternate", "text/html"),
            link(&head.self_url, "self", "application/atom+xml"),
        ],
        generator: Some(Generator {
            value: GENERATOR.to_string(),
            uri: None,
            version: Some(VERSION.to_string()),
        }),
        subtitle: Some(Text::plain(xml_safe(&head.description))),
        lang: Some(site.language.clone()),
        entries: items
            .iter()
            .map(|item| entry(item, id(item.meta)))
            .collect(),
        ..Feed::default()
    }
}

fn link(href: &str, rel: &str, mime_type: &str) -> Link {
    Link {
        href: href.to_string(),
        rel: rel.to_string(),
        mime_type: Some(mime_type.to_string()),
        ..Link::default()
    }
}

fn person(p: &config::Person) -> Person {
    Person {
        name: xml_safe(&p.name).into_owned(),
        email: p.email.clone(),
        uri: p.uri.clone(),
        ..Person::default()
    }
}

fn entry(item: &FeedItem<'_>, id: &str) -> Entry {
    let meta = item.meta;
    let summary = &item.rendered.summary;
    Entry {
        title: Text::plain(xml_safe(&meta.title)),
        id: xml_safe(id).into_owned(),
        updated: meta.updated,
        published: Some(meta.published),
        authors: meta.author.iter().map(person).collect(),
        links: vec![link(&meta.link, "alternate", "text/html")],
        categories: item
            .category_names()
            .into_iter()
            .map(|name| Category {
                term: xml_safe(name).into_owned(),
                ..Category::default()
            })
            .collect(),
        summary: (!summary.is_empty()).then(|| Text::plain(summary.clone())),
        content: Some(Content {
            content_type: Some("html".to_string()),
            value: Some(item.rendered.html.clone()),
            ..Content::default()
        }),
        ..Entry::default()
    }
}
