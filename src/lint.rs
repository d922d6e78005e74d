//! Lint: the rules of "Feeds that readers accept" (DEVELOPERS.md), checked on feed documents —
//! ours before they are written (`frontfeed check`) or anyone's (`frontfeed check --feed`).
//!
//! Documents are parsed with roxmltree, a real XML parser: anything not well-formed, or
//! holding characters XML 1.0 forbids, is reported where the parser stopped. Every finding
//! carries the rule's name, the line and column, and the offending text.

use std::collections::HashSet;
use std::path::Path;

use chrono::DateTime;
use roxmltree::{Document, Node};

use crate::diagnostics::{Diagnostic, Severity};
use crate::uri::is_valid_feed_id;

const ATOM_NS: &str = "http://www.w3.org/2005/Atom";
const CONTENT_NS: &str = "http://purl.org/rss/1.0/modules/content/";
const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

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
        "RSS dates are RFC 822, best with a four-digit year and a numeric offset",
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
        ours: false,
    };
    let text = match crate::text::utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let before = &bytes[..e.valid_up_to()];
            let line = 1 + memchr::memchr_iter(b'\n', before).count();
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
    lint.ours = written_by_frontfeed(root);
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
    /// The feed says frontfeed wrote it: best practice is required, not only advised.
    ours: bool,
}

/// True when the feed's `<generator>` (RSS channel or Atom feed) names frontfeed.
fn written_by_frontfeed(root: Node<'_, '_>) -> bool {
    let generator = match root.tag_name().name() {
        "rss" => child(root, None, "channel").and_then(|c| child(c, None, "generator")),
        _ => child(root, Some(ATOM_NS), "generator"),
    };
    generator.is_some_and(|g| text_of(g).starts_with(crate::writers::GENERATOR))
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

/// Reads an RSS date as RFC 822 allows it (and RFC 2822 still reads it): an optional weekday,
/// a one- or two-digit day, a two- or four-digit year, optional seconds, and a numeric offset
/// or a zone name (`UT`, `GMT`, `Z`, `EST` … `PDT`, a military letter). Returns what would make
/// it the form readers handle best ([`is_rfc822`]), each as a short phrase, or `None` when it
/// is not RFC 822 at all.
pub fn rfc822_advice(s: &str) -> Option<Vec<String>> {
    let mut advice = Vec::new();
    let words: Vec<&str> = s.split_whitespace().collect();
    let rest = match words.first() {
        Some(w) if w.ends_with(',') || w.chars().all(|c| c.is_ascii_alphabetic()) => &words[1..],
        _ => &words[..],
    };
    let [day, _month, year, _time, zone] = rest else {
        return None;
    };
    let zone_upper = zone.to_ascii_uppercase();
    let numeric = zone.starts_with(['+', '-'])
        && zone.len() == 5
        && zone[1..].chars().all(|c| c.is_ascii_digit());
    let military = zone_upper.len() == 1
        && zone_upper != "J"
        && zone_upper.chars().all(|c| c.is_ascii_alphabetic());
    let named = [
        "UT", "GMT", "Z", "EST", "EDT", "CST", "CDT", "MST", "MDT", "PST", "PDT",
    ]
    .contains(&zone_upper.as_str());
    if !(numeric || named || military) {
        return None;
    }
    // chrono reads every RFC 822 zone; a military letter other than Z as -0000, as RFC 2822
    // says to (RFC 822 had their signs backwards, so none can be trusted).
    let parsed = DateTime::parse_from_rfc2822(s).or_else(|_| {
        // A weekday that does not match the date: readers ignore it.
        DateTime::parse_from_rfc2822(&rest.join(" "))
    });
    if parsed.is_err() {
        return None;
    }
    if rest.len() == words.len() - 1 && DateTime::parse_from_rfc2822(s).is_err() {
        advice.push(format!(
            "a weekday that matches the date (not {:?})",
            words[0]
        ));
    }
    if day.len() == 1 {
        advice.push(format!("a two-digit day (`0{day}`)"));
    }
    if year.len() != 4 {
        advice.push(format!(
            "a four-digit year (`{year}` is read as {})",
            parsed
                .as_ref()
                .map(chrono::Datelike::year)
                .unwrap_or_default()
        ));
    }
    if military && zone_upper != "Z" {
        advice.push(format!(
            "a numeric offset instead of the military zone `{zone}` (RFC 822 had their signs \
             backwards; RFC 2822 reads them as -0000)"
        ));
    } else if named || military {
        let offset = parsed
            .as_ref()
            .map(|d| d.offset().to_string().replace(':', ""));
        advice.push(format!(
            "a numeric offset (`{}`) instead of `{zone}`",
            offset.unwrap_or_default()
        ));
    }
    Some(advice)
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
    /// The severity of a finding that is an error only in our own feeds: something the
    /// specification leaves optional, or allows, but readers handle badly.
    fn advisory(&self) -> Severity {
        if self.ours {
            Severity::Error
        } else {
            Severity::Warning
        }
    }

    /// ` (why)`, said in others' feeds only: in ours the finding is an error, no excuse needed.
    fn because(&self, why: &str) -> String {
        if why.is_empty() || self.ours {
            String::new()
        } else {
            format!(" ({why})")
        }
    }

    /// An [`Self::advisory`] finding: `message`, and in others' feeds `why` readers care.
    fn advise(
        &mut self,
        doc: &Document<'_>,
        node: Node<'_, '_>,
        rule: &'static str,
        message: &str,
        why: &str,
    ) {
        let message = format!("{message}{}", self.because(why));
        self.push(doc, node, self.advisory(), rule, message);
    }

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
        self.expected(doc, parent, ns, name, Severity::Error, "")
    }

    /// [`Self::required`] for an element the specification leaves optional (or lets be
    /// empty) but readers need: an error in our feeds, a warning saying `why` in others.
    fn recommended<'a>(
        &mut self,
        doc: &Document<'_>,
        parent: Node<'a, '_>,
        ns: Option<&str>,
        name: &str,
        why: &str,
    ) -> Option<&'a str> {
        let severity = self.advisory();
        self.expected(doc, parent, ns, name, severity, why)
    }

    fn expected<'a>(
        &mut self,
        doc: &Document<'_>,
        parent: Node<'a, '_>,
        ns: Option<&str>,
        name: &str,
        severity: Severity,
        why: &str,
    ) -> Option<&'a str> {
        let why = self.because(why);
        match child(parent, ns, name) {
            Some(node) if !text_of(node).is_empty() => Some(text_of(node)),
            Some(node) => {
                self.push(
                    doc,
                    node,
                    severity,
                    "required",
                    format!("<{name}> is empty{why}"),
                );
                None
            }
            None => {
                self.push(
                    doc,
                    parent,
                    severity,
                    "required",
                    format!("<{}> has no <{name}>{why}", parent.tag_name().name()),
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

    /// Relative URLs in HTML content. Readers show content away from the page it came from,
    /// so ours are all absolute; in others' feeds a relative URL is a warning (Atom readers
    /// may resolve it against `xml:base` or the feed's address, many do not).
    fn content_urls(&mut self, doc: &Document<'_>, node: Node<'_, '_>) {
        let html = node.text().unwrap_or("");
        let base = node
            .ancestors()
            .find_map(|n| n.attribute((XML_NS, "base")))
            .filter(|b| is_absolute_http(b));
        let severity = self.advisory();
        for url in crate::html::relative_urls(html) {
            let message = match (base, self.ours) {
                (Some(base), false) => format!(
                    "relative URL {url:?} in content; xml:base {base:?} resolves it, but many \
                     readers ignore xml:base"
                ),
                (None, false) => format!(
                    "relative URL {url:?} in content; readers that show the entry away from \
                     your site cannot follow it"
                ),
                (_, true) => format!("relative URL {url:?} in content"),
            };
            self.push(doc, node, severity, "absolute-url", message);
        }
    }

    fn text_title(&mut self, doc: &Document<'_>, node: Node<'_, '_>, title: &str) {
        // `type="html"` with plain text (jekyll-feed writes every title so) is fine; tags in
        // the text are what some readers show as markup and others strip.
        let looks_like_markup = title.contains('<') && title.contains('>');
        if looks_like_markup || node.attribute("type") == Some("xhtml") {
            self.push(
                doc,
                node,
                Severity::Warning,
                "text-title",
                format!("title {title:?} is markup; readers show it as text"),
            );
        }
    }

    /// `rss-date`: RFC 822, best in the one form every reader parses.
    fn rss_date(&mut self, doc: &Document<'_>, node: Node<'_, '_>, name: &str, date: &str) {
        if is_rfc822(date) {
            return;
        }
        const BEST: &str = "`Thu, 10 Feb 2022 17:07:04 +0800`";
        match rfc822_advice(date) {
            None => self.push(
                doc,
                node,
                Severity::Error,
                "rss-date",
                format!("{name} {date:?} is not an RFC 822 date ({BEST})"),
            ),
            Some(advice) if self.ours => self.push(
                doc,
                node,
                Severity::Error,
                "rss-date",
                format!(
                    "{name} {date:?} is not in the form frontfeed writes ({BEST}){}",
                    if advice.is_empty() {
                        String::new()
                    } else {
                        format!(": use {}", advice.join(", "))
                    }
                ),
            ),
            // Valid RFC 822 that only differs in spacing, a missing weekday or seconds.
            Some(advice) if advice.is_empty() => {}
            Some(advice) => self.push(
                doc,
                node,
                Severity::Warning,
                "rss-date",
                format!(
                    "{name} {date:?} is valid RFC 822, but readers handle {BEST} best: use {}",
                    advice.join(", ")
                ),
            ),
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
        self.required(doc, channel, None, "title");
        if child(channel, None, "description").is_some() {
            self.recommended(
                doc,
                channel,
                None,
                "description",
                "readers show it under the feed's title",
            );
        } else {
            self.required(doc, channel, None, "description");
        }
        self.recommended(
            doc,
            channel,
            None,
            "language",
            "optional in RSS 2.0; readers use it to choose fonts, hyphenation and translation",
        );
        if let Some(link) = self.required(doc, channel, None, "link") {
            let node = child(channel, None, "link").unwrap_or(channel);
            self.absolute(doc, node, "channel link", link);
        }
        if let Some(date) = self.recommended(
            doc,
            channel,
            None,
            "lastBuildDate",
            "optional in RSS 2.0; readers use it to skip unchanged feeds",
        ) {
            let node = child(channel, None, "lastBuildDate").unwrap_or(channel);
            self.rss_date(doc, node, "lastBuildDate", date);
        }
        let self_link =
            children(channel, Some(ATOM_NS), "link").find(|l| l.attribute("rel") == Some("self"));
        match self_link {
            Some(link) => {
                let href = link.attribute("href").unwrap_or("");
                self.absolute(doc, link, "self link", href);
            }
            None => self.advise(
                doc,
                channel,
                "self-link",
                "<channel> has no <atom:link rel=\"self\"> with the feed's own URL",
                "optional, but readers use it to find the feed again when it moves",
            ),
        }
        let mut guids: HashSet<String> = HashSet::new();
        for item in children(channel, None, "item") {
            let has_description =
                child(item, None, "description").is_some_and(|d| !text_of(d).is_empty());
            let title = if has_description {
                self.recommended(
                    doc,
                    item,
                    None,
                    "title",
                    "RSS 2.0 needs a title or a description; readers list items by title",
                )
            } else {
                self.required(doc, item, None, "title")
            };
            if let Some(title) = title {
                let node = child(item, None, "title").unwrap_or(item);
                self.text_title(doc, node, title);
            }
            if let Some(link) = self.recommended(
                doc,
                item,
                None,
                "link",
                "optional in RSS 2.0; without it readers cannot open the post",
            ) {
                let node = child(item, None, "link").unwrap_or(item);
                self.absolute(doc, node, "item link", link);
            }
            match child(item, None, "guid") {
                Some(guid) => {
                    let value = text_of(guid).to_string();
                    if guid.attribute("isPermaLink") != Some("false") && !is_absolute_http(&value) {
                        if self.ours || value.starts_with("http") {
                            self.absolute(doc, guid, "permalink guid", &value);
                        } else {
                            self.push(
                                doc,
                                guid,
                                Severity::Warning,
                                "absolute-url",
                                format!(
                                    "guid {value:?} is not a URL, but has no \
                                     isPermaLink=\"false\" (the default is true, so readers may \
                                     link to it)"
                                ),
                            );
                        }
                    }
                    if !guids.insert(value.clone()) {
                        self.push(
                            doc,
                            guid,
                            Severity::Error,
                            "unique-id",
                            format!("guid {value:?} is used by an earlier item"),
                        );
                    }
                }
                None => self.advise(
                    doc,
                    item,
                    "required",
                    "<item> has no <guid>",
                    "optional in RSS 2.0; without it readers tell items apart by link or title, \
                     and show an edited post as new",
                ),
            }
            if let Some(date) = self.recommended(
                doc,
                item,
                None,
                "pubDate",
                "optional in RSS 2.0; readers sort and date items by it",
            ) {
                let node = child(item, None, "pubDate").unwrap_or(item);
                self.rss_date(doc, node, "pubDate", date);
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
            None => self.advise(
                doc,
                feed,
                "self-link",
                "<feed> has no <link rel=\"self\"> with the feed's own URL",
                "RFC 4287: SHOULD; readers use it to find the feed again when it moves",
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
            None => self.advise(
                doc,
                feed,
                "required",
                "<feed> has no <link rel=\"alternate\">",
                "optional in Atom; readers link the feed's title to it",
            ),
        }
        let mut ids: HashSet<String> = HashSet::new();
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
                if !ids.insert(id.to_string()) {
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
            let published = match child(entry, ns, "published") {
                Some(_) => self.atom_date(doc, entry, "published"),
                None if self.ours => self.atom_date(doc, entry, "published"),
                None => None,
            };
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
            let content = child(entry, ns, "content");
            match children(entry, ns, "link")
                .find(|l| l.attribute("rel").is_none_or(|r| r == "alternate"))
            {
                Some(link) => self.absolute(
                    doc,
                    link,
                    "entry link",
                    link.attribute("href").unwrap_or(""),
                ),
                None => {
                    // RFC 4287 requires it only of entries without content.
                    let (severity, why) = match (self.ours, content.is_some()) {
                        (false, true) => (
                            Severity::Warning,
                            " (optional when the entry has content; without it readers cannot \
                             open the post)",
                        ),
                        _ => (Severity::Error, ""),
                    };
                    self.push(
                        doc,
                        entry,
                        severity,
                        "required",
                        format!("<entry> has no <link rel=\"alternate\">{why}"),
                    );
                }
            }
            match content {
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

    #[test]
    fn rfc822_dates_that_are_valid_but_not_best_practice() {
        assert_eq!(
            rfc822_advice("Thu, 10 Feb 2022 17:07:04 +0800"),
            Some(vec![])
        );
        // No weekday and no seconds: RFC 822 allows both, readers cope.
        assert_eq!(rfc822_advice("10 Feb 2022 17:07 +0800"), Some(vec![]));
        for zone in [
            "GMT", "UT", "Z", "EST", "EDT", "CST", "CDT", "MST", "MDT", "PST", "PDT",
        ] {
            let advice = rfc822_advice(&format!("Thu, 10 Feb 2022 17:07:04 {zone}"))
                .unwrap_or_else(|| panic!("{zone} is RFC 822"));
            assert_eq!(advice.len(), 1, "{zone}: {advice:?}");
            assert!(advice[0].contains("numeric offset"), "{advice:?}");
        }
        let est = rfc822_advice("Thu, 10 Feb 2022 17:07:04 EST").unwrap();
        assert!(est[0].contains("`-0500`"), "{est:?}");
        let military = rfc822_advice("Thu, 10 Feb 2022 17:07:04 A").unwrap();
        assert!(military[0].contains("military zone `A`"), "{military:?}");
        let two_digit = rfc822_advice("Thu, 10 Feb 22 17:07:04 GMT").unwrap();
        assert_eq!(two_digit.len(), 2, "{two_digit:?}");
        assert!(two_digit[0].contains("read as 2022"), "{two_digit:?}");
        let one_digit_day = rfc822_advice("Tue, 1 Feb 2022 17:07:04 +0000").unwrap();
        assert!(one_digit_day[0].contains("`01`"), "{one_digit_day:?}");
        let wrong_weekday = rfc822_advice("Mon, 10 Feb 2022 17:07:04 +0000").unwrap();
        assert!(wrong_weekday[0].contains("weekday"), "{wrong_weekday:?}");
        for bad in [
            "2022-02-10",
            "Thu, 10 Feb 2022 17:07:04 J",
            "Thu, 10 Feb 2022 17:07:04 JST",
            "Thu, 10 Feb 2022 17:07:04 +08:00",
            "Thu, 30 Feb 2022 17:07:04 +0000",
            "Thu, 10 Feb 2022",
        ] {
            assert_eq!(rfc822_advice(bad), None, "{bad}");
        }
    }

    fn rss_feed(generator: &str, channel: &str, item: &str) -> String {
        format!(
            "<rss version=\"2.0\"><channel><title>T</title><link>https://e.org/</link>\
             <description>d</description>{generator}{channel}\
             <item><title>a</title><link>https://e.org/a</link>{item}</item></channel></rss>"
        )
    }

    fn severities(xml: &str) -> Vec<(Severity, &'static str)> {
        lint_feed(Path::new("f.xml"), xml.as_bytes())
            .iter()
            .map(|d| (d.severity, d.rule.unwrap()))
            .collect()
    }

    #[test]
    fn optional_elements_are_warnings_in_feeds_we_did_not_write() {
        let item = "<guid>https://e.org/a</guid><pubDate>Thu, 10 Feb 2022 17:07:04 GMT</pubDate>\
                    <content:encoded xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">\
                    &lt;img src=\"/x.png\"&gt;</content:encoded>";
        let theirs = severities(&rss_feed("<generator>Hugo</generator>", "", item));
        assert!(!theirs.is_empty());
        assert!(
            theirs.iter().all(|(s, _)| *s == Severity::Warning),
            "{theirs:?}"
        );
        for rule in ["required", "self-link", "rss-date", "absolute-url"] {
            assert!(theirs.iter().any(|(_, r)| *r == rule), "{rule}: {theirs:?}");
        }
        // The same feed saying frontfeed wrote it: each of those is an error.
        let ours = severities(&rss_feed(
            "<generator>frontfeed 0.1.0</generator>",
            "",
            item,
        ));
        assert_eq!(ours.len(), theirs.len(), "{ours:?}");
        for rule in ["required", "self-link", "rss-date", "absolute-url"] {
            assert!(ours.contains(&(Severity::Error, rule)), "{rule}: {ours:?}");
        }
    }

    #[test]
    fn a_non_url_guid_without_is_perma_link_false_is_a_warning_in_their_feeds() {
        let channel = "<language>en</language><lastBuildDate>Thu, 10 Feb 2022 17:07:04 +0000\
                       </lastBuildDate><atom:link xmlns:atom=\"http://www.w3.org/2005/Atom\" \
                       rel=\"self\" href=\"https://e.org/rss.xml\"/>";
        let item = "<guid>tag:e.org,2022:/a</guid><pubDate>Thu, 10 Feb 2022 17:07:04 +0000\
                    </pubDate><content:encoded xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">x\
                    </content:encoded>";
        assert_eq!(
            severities(&rss_feed("", channel, item)),
            [(Severity::Warning, "absolute-url")]
        );
        assert_eq!(
            severities(&rss_feed("<generator>frontfeed</generator>", channel, item)),
            [(Severity::Error, "absolute-url")]
        );
    }

    #[test]
    fn html_titles_without_markup_are_fine() {
        let xml = "<feed xmlns=\"http://www.w3.org/2005/Atom\"><id>https://e.org/</id>\
                   <title type=\"html\">Slugs &amp;amp; beer</title>\
                   <updated>2022-02-10T17:07:04+08:00</updated><author><name>A</name></author>\
                   <link rel=\"self\" href=\"https://e.org/feed.xml\"/>\
                   <link rel=\"alternate\" href=\"https://e.org/\"/></feed>";
        assert_eq!(severities(xml), []);
        let markup = xml.replace("Slugs &amp;amp; beer", "&lt;b&gt;Slugs&lt;/b&gt;");
        assert_eq!(severities(&markup), [(Severity::Warning, "text-title")]);
    }
}
