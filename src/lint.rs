//! Lint: the rules of "Feeds that readers accept" (DEVELOPERS.md), checked on feed documents —
//! ours before they are written (`frontfeed check`) or anyone's (`frontfeed check --feed`).
//!
//! Documents are parsed with roxmltree, a real XML parser: anything not well-formed, or
//! holding characters XML 1.0 forbids, is reported where the parser stopped. Every finding
//! carries the rule's name, the line and column, and the offending text.

use std::collections::HashMap;
use std::path::Path;

use chrono::DateTime;
use roxmltree::{Document, Node};

use crate::diagnostics::{Diagnostic, Severity};
use crate::uri::is_valid_feed_id;

const ATOM_NS: &str = "http://www.w3.org/2005/Atom";
const CONTENT_NS: &str = "http://purl.org/rss/1.0/modules/content/";

/// The rule names findings carry (also listed in README.md, "frontfeed check").
pub const RULES: &[(&str, &str)] = &[
    (
        "xml",
        "well-formed XML 1.0 in UTF-8, no forbidden characters",
    ),
    ("feed-kind", "an RSS 2.0 or Atom 1.0 document"),
    ("required", "a required element is missing or empty"),
    (
        "self-link",
        "the feed links to its own absolute URL (rel=\"self\")",
    ),
    ("absolute-url", "links and URLs in content are absolute"),
    (
        "rss-date",
        "RSS dates are RFC 822 with a four-digit year and a numeric offset",
    ),
    ("atom-date", "Atom dates are RFC 3339"),
    (
        "unique-id",
        "every entry's id (RSS guid) is unique in the feed",
    ),
    ("entry-id", "an Atom id is an absolute URI"),
    ("text-title", "titles are text, not markup"),
    ("content-type", "Atom content is type=\"html\""),
    (
        "dates-order",
        "an entry is not updated before it was published",
    ),
];

/// Checks one feed document. `path` is only used in the findings.
pub fn lint_feed(path: &Path, bytes: &[u8]) -> Vec<Diagnostic> {
    let mut lint = Linter {
        path,
        text: "",
        findings: Vec::new(),
    };
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let before = &bytes[..e.valid_up_to()];
            let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
            lint.findings.push(
                Diagnostic::new(
                    Severity::Error,
                    Some(path.to_path_buf()),
                    Some(line),
                    format!("not UTF-8 at byte {}", e.valid_up_to()),
                )
                .with_rule("xml"),
            );
            return lint.findings;
        }
    };
    lint.text = text;
    let doc = match Document::parse(text) {
        Ok(doc) => doc,
        Err(e) => {
            let pos = e.pos();
            lint.push_at(
                Severity::Error,
                "xml",
                pos.row as usize,
                pos.col as usize,
                format!("not well-formed XML: {e}"),
            );
            return lint.findings;
        }
    };
    let root = doc.root_element();
    match (root.tag_name().namespace(), root.tag_name().name()) {
        (None, "rss") => lint.rss(&doc, root),
        (Some(ATOM_NS), "feed") => lint.atom(&doc, root),
        (_, name) => lint.push(
            &doc,
            root,
            Severity::Error,
            "feed-kind",
            format!("the root element is <{name}>, not an RSS 2.0 <rss> or an Atom <feed>"),
        ),
    }
    lint.findings
}

struct Linter<'p, 't> {
    path: &'p Path,
    text: &'t str,
    findings: Vec<Diagnostic>,
}

fn child<'a, 'i>(node: Node<'a, 'i>, ns: Option<&str>, name: &str) -> Option<Node<'a, 'i>> {
    node.children()
        .find(|n| n.is_element() && n.tag_name().name() == name && n.tag_name().namespace() == ns)
}

fn children<'a, 'i>(
    node: Node<'a, 'i>,
    ns: Option<&'a str>,
    name: &'a str,
) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
    node.children().filter(move |n| {
        n.is_element() && n.tag_name().name() == name && n.tag_name().namespace() == ns
    })
}

fn text_of<'a>(node: Node<'a, '_>) -> &'a str {
    node.text().unwrap_or("").trim()
}

/// `Thu, 10 Feb 2022 17:07:04 +0800`: weekday, two-digit day, four-digit year, numeric offset.
pub fn is_rfc822(s: &str) -> bool {
    let parts: Vec<&str> = s.split(' ').collect();
    parts.len() == 6
        && ["Mon,", "Tue,", "Wed,", "Thu,", "Fri,", "Sat,", "Sun,"].contains(&parts[0])
        && parts[1].len() == 2
        && parts[3].len() == 4
        && parts[3].chars().all(|c| c.is_ascii_digit())
        && parts[4].len() == 8
        && (parts[5].starts_with('+') || parts[5].starts_with('-'))
        && parts[5].len() == 5
        && DateTime::parse_from_rfc2822(s).is_ok()
}

/// RFC 3339 with a full date, time and offset.
pub fn is_rfc3339(s: &str) -> bool {
    s.len() >= 20 && DateTime::parse_from_rfc3339(s).is_ok()
}

/// An absolute http(s) URL of plain RFC 3986 characters.
pub fn is_absolute_http(s: &str) -> bool {
    (s.starts_with("http://") || s.starts_with("https://"))
        && s.len() > "https://".len()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || ";/?:@&=+$.-_!~*'()%,#[]".contains(c))
}

impl Linter<'_, '_> {
    fn push_at(
        &mut self,
        severity: Severity,
        rule: &'static str,
        line: usize,
        column: usize,
        message: String,
    ) {
        let excerpt = self
            .text
            .lines()
            .nth(line.saturating_sub(1))
            .map(|l| {
                l.chars()
                    .skip(column.saturating_sub(1))
                    .take(80)
                    .collect::<String>()
            })
            .unwrap_or_default();
        self.findings.push(
            Diagnostic::new(severity, Some(self.path.to_path_buf()), Some(line), message)
                .with_column(Some(column))
                .with_rule(rule)
                .with_excerpt(excerpt),
        );
    }

    fn push(
        &mut self,
        doc: &Document<'_>,
        node: Node<'_, '_>,
        severity: Severity,
        rule: &'static str,
        message: String,
    ) {
        let pos = doc.text_pos_at(node.range().start);
        self.push_at(severity, rule, pos.row as usize, pos.col as usize, message);
    }

    /// The element's text, or a `required` finding when it is missing or empty.
    fn required<'a>(
        &mut self,
        doc: &Document<'_>,
        parent: Node<'a, '_>,
        ns: Option<&str>,
        name: &str,
    ) -> Option<&'a str> {
        match child(parent, ns, name) {
            Some(node) if !text_of(node).is_empty() => Some(text_of(node)),
            Some(node) => {
                self.push(
                    doc,
                    node,
                    Severity::Error,
                    "required",
                    format!("<{name}> is empty"),
                );
                None
            }
            None => {
                self.push(
                    doc,
                    parent,
                    Severity::Error,
                    "required",
                    format!("<{}> has no <{name}>", parent.tag_name().name()),
                );
                None
            }
        }
    }

    fn absolute(&mut self, doc: &Document<'_>, node: Node<'_, '_>, what: &str, url: &str) {
        if !is_absolute_http(url) {
            self.push(
                doc,
                node,
                Severity::Error,
                "absolute-url",
                format!("{what} {url:?} is not an absolute http(s) URL"),
            );
        }
    }

    fn content_urls(&mut self, doc: &Document<'_>, node: Node<'_, '_>) {
        let html = node.text().unwrap_or("");
        for url in crate::render::relative_urls(html) {
            self.push(
                doc,
                node,
                Severity::Error,
                "absolute-url",
                format!("relative URL {url:?} in content"),
            );
        }
    }

    fn text_title(&mut self, doc: &Document<'_>, node: Node<'_, '_>, title: &str) {
        let looks_like_markup = title.contains('<') && title.contains('>');
        if looks_like_markup || node.attribute("type").is_some_and(|t| t != "text") {
            self.push(
                doc,
                node,
                Severity::Warning,
                "text-title",
                format!("title {title:?} is markup; readers show it as text"),
            );
        }
    }

    fn rss(&mut self, doc: &Document<'_>, rss: Node<'_, '_>) {
        if rss.attribute("version") != Some("2.0") {
            self.push(
                doc,
                rss,
                Severity::Error,
                "feed-kind",
                "<rss> has no version=\"2.0\"".into(),
            );
        }
        let Some(channel) = child(rss, None, "channel") else {
            self.push(
                doc,
                rss,
                Severity::Error,
                "required",
                "<rss> has no <channel>".into(),
            );
            return;
        };
        for name in ["title", "description", "language"] {
            self.required(doc, channel, None, name);
        }
        if let Some(link) = self.required(doc, channel, None, "link") {
            let node = child(channel, None, "link").unwrap_or(channel);
            self.absolute(doc, node, "channel link", link);
        }
        if let Some(date) = self.required(doc, channel, None, "lastBuildDate") {
            if !is_rfc822(date) {
                let node = child(channel, None, "lastBuildDate").unwrap_or(channel);
                self.push(
                    doc,
                    node,
                    Severity::Error,
                    "rss-date",
                    format!(
                        "lastBuildDate {date:?} is not RFC 822 (`Thu, 10 Feb 2022 17:07:04 +0800`)"
                    ),
                );
            }
        }
        let self_link =
            children(channel, Some(ATOM_NS), "link").find(|l| l.attribute("rel") == Some("self"));
        match self_link {
            Some(link) => {
                let href = link.attribute("href").unwrap_or("");
                self.absolute(doc, link, "self link", href);
            }
            None => self.push(
                doc,
                channel,
                Severity::Error,
                "self-link",
                "<channel> has no <atom:link rel=\"self\"> with the feed's own URL".into(),
            ),
        }
        let mut guids: HashMap<String, ()> = HashMap::new();
        for item in children(channel, None, "item") {
            if let Some(title) = self.required(doc, item, None, "title") {
                let node = child(item, None, "title").unwrap_or(item);
                self.text_title(doc, node, title);
            }
            if let Some(link) = self.required(doc, item, None, "link") {
                let node = child(item, None, "link").unwrap_or(item);
                self.absolute(doc, node, "item link", link);
            }
            match child(item, None, "guid") {
                Some(guid) => {
                    let value = text_of(guid).to_string();
                    if guid.attribute("isPermaLink") != Some("false") {
                        self.absolute(doc, guid, "permalink guid", &value);
                    }
                    if guids.insert(value.clone(), ()).is_some() {
                        self.push(
                            doc,
                            guid,
                            Severity::Error,
                            "unique-id",
                            format!("guid {value:?} is used by an earlier item"),
                        );
                    }
                }
                None => self.push(
                    doc,
                    item,
                    Severity::Error,
                    "required",
                    "<item> has no <guid>".into(),
                ),
            }
            if let Some(date) = self.required(doc, item, None, "pubDate") {
                if !is_rfc822(date) {
                    let node = child(item, None, "pubDate").unwrap_or(item);
                    self.push(
                        doc,
                        node,
                        Severity::Error,
                        "rss-date",
                        format!(
                            "pubDate {date:?} is not RFC 822 (`Thu, 10 Feb 2022 17:07:04 +0800`)"
                        ),
                    );
                }
            }
            match child(item, Some(CONTENT_NS), "encoded") {
                Some(content) => self.content_urls(doc, content),
                None => self.push(
                    doc,
                    item,
                    Severity::Warning,
                    "required",
                    "<item> has no <content:encoded> (full HTML)".into(),
                ),
            }
            if let Some(description) = child(item, None, "description") {
                self.content_urls(doc, description);
            }
        }
    }

    fn atom(&mut self, doc: &Document<'_>, feed: Node<'_, '_>) {
        let ns = Some(ATOM_NS);
        if let Some(id) = self.required(doc, feed, ns, "id") {
            if !is_valid_feed_id(id) {
                let node = child(feed, ns, "id").unwrap_or(feed);
                self.push(
                    doc,
                    node,
                    Severity::Error,
                    "entry-id",
                    format!("feed id {id:?} is not an absolute URI"),
                );
            }
        }
        if let Some(title) = self.required(doc, feed, ns, "title") {
            let node = child(feed, ns, "title").unwrap_or(feed);
            self.text_title(doc, node, title);
        }
        self.atom_date(doc, feed, "updated");
        let feed_has_author = child(feed, ns, "author")
            .is_some_and(|a| child(a, ns, "name").is_some_and(|n| !text_of(n).is_empty()));
        let links: Vec<_> = children(feed, ns, "link").collect();
        match links.iter().find(|l| l.attribute("rel") == Some("self")) {
            Some(link) => self.absolute(
                doc,
                *link,
                "self link",
                link.attribute("href").unwrap_or(""),
            ),
            None => self.push(
                doc,
                feed,
                Severity::Error,
                "self-link",
                "<feed> has no <link rel=\"self\"> with the feed's own URL".into(),
            ),
        }
        match links
            .iter()
            .find(|l| l.attribute("rel").is_none_or(|r| r == "alternate"))
        {
            Some(link) => self.absolute(
                doc,
                *link,
                "alternate link",
                link.attribute("href").unwrap_or(""),
            ),
            None => self.push(
                doc,
                feed,
                Severity::Error,
                "required",
                "<feed> has no <link rel=\"alternate\">".into(),
            ),
        }
        let mut ids: HashMap<String, ()> = HashMap::new();
        for entry in children(feed, ns, "entry") {
            if let Some(id) = self.required(doc, entry, ns, "id") {
                let node = child(entry, ns, "id").unwrap_or(entry);
                if !is_valid_feed_id(id) {
                    self.push(
                        doc,
                        node,
                        Severity::Error,
                        "entry-id",
                        format!("id {id:?} is not an absolute URI"),
                    );
                }
                if ids.insert(id.to_string(), ()).is_some() {
                    self.push(
                        doc,
                        node,
                        Severity::Error,
                        "unique-id",
                        format!("id {id:?} is used by an earlier entry"),
                    );
                }
            }
            if let Some(title) = self.required(doc, entry, ns, "title") {
                let node = child(entry, ns, "title").unwrap_or(entry);
                self.text_title(doc, node, title);
            }
            let updated = self.atom_date(doc, entry, "updated");
            let published = self.atom_date(doc, entry, "published");
            if let (Some(u), Some(p)) = (updated, published) {
                if u < p {
                    let node = child(entry, ns, "updated").unwrap_or(entry);
                    self.push(
                        doc,
                        node,
                        Severity::Warning,
                        "dates-order",
                        "updated is before published".into(),
                    );
                }
            }
            if !feed_has_author && child(entry, ns, "author").is_none() {
                self.push(
                    doc,
                    entry,
                    Severity::Error,
                    "required",
                    "neither the feed nor this entry has an <author>".into(),
                );
            }
            match children(entry, ns, "link")
                .find(|l| l.attribute("rel").is_none_or(|r| r == "alternate"))
            {
                Some(link) => self.absolute(
                    doc,
                    link,
                    "entry link",
                    link.attribute("href").unwrap_or(""),
                ),
                None => self.push(
                    doc,
                    entry,
                    Severity::Error,
                    "required",
                    "<entry> has no <link rel=\"alternate\">".into(),
                ),
            }
            match child(entry, ns, "content") {
                Some(content) => {
                    if content.attribute("type") != Some("html") {
                        self.push(
                            doc,
                            content,
                            Severity::Warning,
                            "content-type",
                            "<content> is not type=\"html\"".into(),
                        );
                    }
                    self.content_urls(doc, content);
                }
                None => self.push(
                    doc,
                    entry,
                    Severity::Warning,
                    "required",
                    "<entry> has no <content> (full HTML)".into(),
                ),
            }
        }
    }

    fn atom_date(
        &mut self,
        doc: &Document<'_>,
        parent: Node<'_, '_>,
        name: &str,
    ) -> Option<DateTime<chrono::FixedOffset>> {
        let text = self.required(doc, parent, Some(ATOM_NS), name)?;
        match DateTime::parse_from_rfc3339(text) {
            Ok(date) if is_rfc3339(text) => Some(date),
            _ => {
                let node = child(parent, Some(ATOM_NS), name).unwrap_or(parent);
                self.push(
                    doc,
                    node,
                    Severity::Error,
                    "atom-date",
                    format!("{name} {text:?} is not RFC 3339 (`2022-02-10T17:07:04+08:00`)"),
                );
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(xml: &str) -> Vec<(&'static str, usize)> {
        lint_feed(Path::new("f.xml"), xml.as_bytes())
            .iter()
            .map(|d| (d.rule.unwrap(), d.line.unwrap_or(0)))
            .collect()
    }

    #[test]
    fn a_broken_rss_feed_is_reported_line_by_line() {
        let xml = "<?xml version=\"1.0\"?>\n<rss version=\"2.0\">\n<channel>\n<title>T</title>\n<link>/</link>\n<description>d</description>\n<language>en</language>\n<lastBuildDate>2022-02-10</lastBuildDate>\n<item><title>a</title><link>https://e.org/a</link><guid>https://e.org/a</guid><pubDate>Thu, 10 Feb 2022 17:07:04 +0800</pubDate><content:encoded xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">&lt;img src=\"/x.png\"&gt;</content:encoded></item>\n<item><title>b</title><link>https://e.org/b</link><guid>https://e.org/a</guid><pubDate>Thu, 10 Feb 22 17:07:04 GMT</pubDate></item>\n</channel></rss>";
        let found = rules(xml);
        for expected in [
            ("absolute-url", 5),
            ("rss-date", 8),
            ("self-link", 3),
            ("absolute-url", 9),
            ("unique-id", 10),
            ("rss-date", 10),
            ("required", 10),
        ] {
            assert!(found.contains(&expected), "{expected:?} in {found:?}");
        }
    }

    #[test]
    fn broken_xml_and_other_documents() {
        assert_eq!(
            rules("<rss><channel>\n<title>&bogus;</title></channel></rss>"),
            [("xml", 2)]
        );
        assert_eq!(rules("<html/>"), [("feed-kind", 1)]);
        let found = lint_feed(Path::new("f.xml"), b"<rss>\x01</rss>");
        assert_eq!(found[0].rule, Some("xml"));
        let found = lint_feed(Path::new("f.xml"), b"<rss>\xff</rss>");
        assert_eq!(found[0].rule, Some("xml"));
    }

    #[test]
    fn a_broken_atom_feed() {
        let xml = "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<id>not a uri</id><title>T</title><updated>2022-02-10T17:07:04+08:00</updated>\n<link rel=\"alternate\" href=\"https://e.org/\"/>\n<entry><id>https://e.org/a</id><title type=\"html\">&lt;b&gt;x&lt;/b&gt;</title><updated>2022-02-10</updated><published>2022-02-10T17:07:04+08:00</published><link href=\"https://e.org/a\"/><content>x</content></entry>\n</feed>";
        let found = rules(xml);
        for expected in [
            ("entry-id", 2),
            ("self-link", 1),
            ("text-title", 4),
            ("atom-date", 4),
            ("required", 4),
            ("content-type", 4),
        ] {
            assert!(found.contains(&expected), "{expected:?} in {found:?}");
        }
    }
}
