//! Atom 1.0 (RFC 4287) with the `atom_syndication` crate.

use atom_syndication::{
    Category, Content, Entry, Feed, Generator, Link, Person, Text, WriteConfig,
};

use super::{FeedHead, FeedItem, GENERATOR, VERSION};
use crate::config;
use crate::text::xml_safe;

/// Serialises one feed as Atom 1.0, the whole document at once.
pub fn write(head: &FeedHead<'_>, items: &[FeedItem<'_>]) -> Vec<u8> {
    serialize(&feed(head, items))
}

/// The feed's document around its entries: the bytes before the first and after the last.
pub fn frame(head: &FeedHead<'_>, first: &FeedItem<'_>) -> Option<super::Frame> {
    let document = serialize(&feed(head, std::slice::from_ref(first)));
    let (start, end) = super::fragment_bounds(&document, b"<entry>", b"</entry>")?;
    Some((document[..start].to_vec(), document[end..].to_vec()))
}

/// One entry's `<entry>`, with the indentation it has inside a feed.
pub fn fragment(item: &FeedItem<'_>) -> Option<super::Fragment> {
    let feed = Feed {
        entries: vec![entry(item)],
        ..Feed::default()
    };
    super::Fragment::cut(serialize(&feed), b"<entry>", b"</entry>")
}

/// An entry as jekyll-feed identifies it: its id is jekyll-feed's.
fn with_jekyll_id(item: &FeedItem<'_>) -> crate::entry::EntryMeta {
    let mut meta = item.meta.clone();
    meta.id = meta.jekyll_id.clone();
    meta
}

/// [`write`] with jekyll-feed's entry ids.
pub fn write_jekyll(head: &FeedHead<'_>, items: &[FeedItem<'_>]) -> Vec<u8> {
    let metas: Vec<_> = items.iter().map(with_jekyll_id).collect();
    let items: Vec<FeedItem<'_>> = items
        .iter()
        .zip(&metas)
        .map(|(item, meta)| FeedItem {
            meta,
            rendered: item.rendered,
        })
        .collect();
    write(head, &items)
}

/// [`frame`] with jekyll-feed's entry ids (the frame holds no entry, only its bounds).
pub fn frame_jekyll(head: &FeedHead<'_>, first: &FeedItem<'_>) -> Option<super::Frame> {
    frame(head, first)
}

/// [`fragment`] with jekyll-feed's entry id.
pub fn fragment_jekyll(item: &FeedItem<'_>) -> Option<super::Fragment> {
    let meta = with_jekyll_id(item);
    fragment(&FeedItem {
        meta: &meta,
        rendered: item.rendered,
    })
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

fn feed(head: &FeedHead<'_>, items: &[FeedItem<'_>]) -> Feed {
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
        entries: items.iter().map(entry).collect(),
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

fn entry(item: &FeedItem<'_>) -> Entry {
    let meta = item.meta;
    let summary = &item.rendered.summary;
    Entry {
        title: Text::plain(xml_safe(&meta.title)),
        id: xml_safe(&meta.id).into_owned(),
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
