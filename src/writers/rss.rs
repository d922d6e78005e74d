//! RSS 2.0 with the `rss` crate, plus `atom:link rel="self"` and `content:encoded`.

use chrono::{DateTime, FixedOffset};
use rss::extension::atom::{AtomExtension, Link};
use rss::extension::dublincore::DublinCoreExtension;
use rss::{Category, Channel, Guid, Item};

use super::markup::Lines;
use super::{FeedHead, FeedItem, GENERATOR, VERSION};
use crate::text::xml_safe;

/// RFC 822 as RSS readers parse it best: two-digit day, four-digit year, numeric offset.
/// Dates are limited to years 1 to 9999 when read, so the year always has four digits.
pub fn rfc822(date: &DateTime<FixedOffset>) -> String {
    use chrono::{Datelike, Timelike};
    // Written by hand: chrono parses the format string again on every call, which cost 1 % of
    // a build. What the digits below cannot say as chrono does (a leap second, an offset with
    // seconds, a year outside 0–9999) goes to chrono.
    let offset = date.offset().local_minus_utc();
    if !(0..=9999).contains(&date.year()) || offset % 60 != 0 || date.nanosecond() >= 1_000_000_000
    {
        return chrono_rfc822(date);
    }
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let mut out = String::with_capacity(31);
    let two = |out: &mut String, n: u32| {
        out.push(char::from(b'0' + (n / 10) as u8));
        out.push(char::from(b'0' + (n % 10) as u8));
    };
    out.push_str(DAYS[date.weekday().num_days_from_monday() as usize]);
    out.push_str(", ");
    two(&mut out, date.day());
    out.push(' ');
    out.push_str(MONTHS[date.month0() as usize]);
    out.push(' ');
    let year = date.year().unsigned_abs();
    two(&mut out, year / 100);
    two(&mut out, year % 100);
    out.push(' ');
    two(&mut out, date.hour());
    out.push(':');
    two(&mut out, date.minute());
    out.push(':');
    two(&mut out, date.second());
    out.push(' ');
    out.push(if offset < 0 { '-' } else { '+' });
    let minutes = offset.unsigned_abs() / 60;
    two(&mut out, minutes / 60);
    two(&mut out, minutes % 60);
    out
}

/// [`rfc822`] as chrono writes it.
fn chrono_rfc822(date: &DateTime<FixedOffset>) -> String {
    date.format("%a, %d %b %Y %H:%M:%S %z").to_string()
}

/// Serialises one feed as RSS 2.0, the whole document at once.
pub fn write(head: &FeedHead<'_>, items: &[FeedItem<'_>]) -> Vec<u8> {
    serialize(&channel(head, items))
}

/// The feed's document around its items: the bytes before the first item and after the last.
pub fn frame(head: &FeedHead<'_>, first: &FeedItem<'_>) -> Option<super::Frame> {
    let document = serialize(&channel(head, std::slice::from_ref(first)));
    let (start, end) = super::fragment_bounds(&document, b"<item>", b"</item>")?;
    Some((document[..start].to_vec(), document[end..].to_vec()))
}

/// One entry's `<item>`, with the indentation it has inside a feed: the bytes the crate
/// writes for it (see [`super::markup`] for why it is written by hand).
pub fn fragment(feed_item: &FeedItem<'_>) -> super::Fragment {
    let meta = feed_item.meta;
    let summary = &feed_item.rendered.summary;
    let html = &feed_item.rendered.html;
    let mut out = Vec::with_capacity(1024 + summary.len() * 2);
    let mut lines = Lines {
        out: &mut out,
        indent: b"\n      ",
    };
    lines.out.extend_from_slice(b"\n    <item>");
    lines.text("title", &xml_safe(&meta.title));
    lines.text("link", &meta.link);
    // An item with content has a description, empty if need be: readers (and the W3C
    // validator) look for one before `content:encoded`.
    if !summary.is_empty() || !html.is_empty() {
        // RSS descriptions are HTML: the plain-text summary is escaped to stay text.
        lines.cdata("description", &html_escape::encode_text(summary));
    }
    if let Some(author) = &meta.author {
        if let Some(email) = &author.email {
            lines.text("author", &format!("{email} ({})", xml_safe(&author.name)));
        }
    }
    for name in feed_item.category_names() {
        lines.text("category", &xml_safe(name));
    }
    let guid_attributes: &[(&str, &str)] = if meta.guid_is_permalink {
        &[]
    } else {
        &[("isPermaLink", "false")]
    };
    lines.text_with("guid", guid_attributes, &xml_safe(&meta.guid));
    lines.text("pubDate", &rfc822(&meta.published));
    let hole = lines.cdata_hole_with("content:encoded", &[], html);
    if let Some(author) = &meta.author {
        // RSS's <author> is an email address; a name alone goes in dc:creator.
        if author.email.is_none() {
            lines.text("dc:creator", &xml_safe(&author.name));
        }
    }
    out.extend_from_slice(b"\n    </item>");
    super::Fragment { bytes: out, hole }
}

/// One entry's `<item>` as the crate writes it, inside a whole channel.
#[cfg(test)]
pub fn fragment_by_crate(feed_item: &FeedItem<'_>) -> super::Fragment {
    let mut channel = Channel {
        items: vec![self::item(feed_item)],
        ..Channel::default()
    };
    channel.namespaces = namespaces();
    super::cut(&serialize(&channel), b"<item>", b"</item>")
}

/// Every namespace an item may use is declared on every feed, so that the document around
/// the items does not depend on which items it holds.
fn namespaces() -> std::collections::BTreeMap<String, String> {
    [
        ("atom", rss::extension::atom::NAMESPACE),
        ("content", "http://purl.org/rss/1.0/modules/content/"),
        ("dc", rss::extension::dublincore::NAMESPACE),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

fn serialize(channel: &Channel) -> Vec<u8> {
    // Room for every item's content (CDATA, as it stands) and description, so that the buffer
    // is seldom grown and copied while the items are written.
    let items: usize = channel
        .items
        .iter()
        .map(|i| {
            1024 + i.content.as_ref().map_or(0, String::len)
                + i.description.as_ref().map_or(0, |d| d.len() + d.len() / 4)
        })
        .sum();
    let mut bytes = Vec::with_capacity(4096 + items);
    // Writing to a Vec cannot fail.
    let _ = channel.pretty_write_to(&mut bytes, b' ', 2);
    bytes.push(b'\n');
    bytes
}

fn channel(head: &FeedHead<'_>, items: &[FeedItem<'_>]) -> Channel {
    let site = head.site;
    Channel {
        title: xml_safe(&head.title).into_owned(),
        link: head.alternate_url.clone(),
        description: xml_safe(&head.description).into_owned(),
        language: Some(site.language.clone()),
        managing_editor: site
            .author
            .email
            .as_ref()
            .map(|email| format!("{email} ({})", xml_safe(&site.author.name))),
        last_build_date: Some(rfc822(&head.updated)),
        pub_date: items.first().map(|i| rfc822(&i.meta.published)),
        generator: Some(format!("{GENERATOR} {VERSION}")),
        docs: Some("https://www.rssboard.org/rss-specification".to_string()),
        atom_ext: Some(AtomExtension {
            links: vec![Link {
                href: head.self_url.clone(),
                rel: "self".to_string(),
                mime_type: Some("application/rss+xml".to_string()),
                ..Link::default()
            }],
        }),
        items: items.iter().map(item).collect(),
        namespaces: namespaces(),
        ..Channel::default()
    }
}

fn item(feed_item: &FeedItem<'_>) -> Item {
    let meta = feed_item.meta;
    let (author, dublin_core_ext) = match &meta.author {
        // RSS's <author> is an email address; a name alone goes in dc:creator.
        Some(p) => match &p.email {
            Some(email) => (Some(format!("{email} ({})", xml_safe(&p.name))), None),
            None => (
                None,
                Some(DublinCoreExtension {
                    creators: vec![xml_safe(&p.name).into_owned()],
                    ..DublinCoreExtension::default()
                }),
            ),
        },
        None => (None, None),
    };
    let summary = &feed_item.rendered.summary;
    Item {
        title: Some(xml_safe(&meta.title).into_owned()),
        link: Some(meta.link.clone()),
        // RSS descriptions are HTML: the plain-text summary is escaped to stay text.
        description: (!summary.is_empty() || !feed_item.rendered.html.is_empty())
            .then(|| html_escape::encode_text(summary).into_owned()),
        author,
        categories: feed_item
            .category_names()
            .into_iter()
            .map(|name| Category {
                name: xml_safe(name).into_owned(),
                domain: None,
            })
            .collect(),
        guid: Some(Guid {
            value: xml_safe(&meta.guid).into_owned(),
            permalink: meta.guid_is_permalink,
        }),
        pub_date: Some(rfc822(&meta.published)),
        content: Some(feed_item.rendered.html.clone()),
        dublin_core_ext,
        ..Item::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc822_dates() {
        let d = DateTime::parse_from_rfc3339("2022-12-01T15:20:00+08:00").unwrap();
        assert_eq!(rfc822(&d), "Thu, 01 Dec 2022 15:20:00 +0800");
        let d = DateTime::parse_from_rfc3339("0099-01-05T00:00:00-05:30").unwrap();
        assert_eq!(rfc822(&d), "Mon, 05 Jan 0099 00:00:00 -0530");
    }

    /// The hand-written form is chrono's, over instants from year 0 to 9999 and every kind of
    /// offset, with chrono's own answer where the fast path does not fire.
    #[test]
    fn rfc822_is_chronos() {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        // 0000-01-01 to 9999-12-31, in seconds since 1970.
        let (min, max) = (-62_167_219_200_i64, 253_402_300_799_i64);
        for _ in 0..200_000 {
            let secs = min + (next() % (max - min + 1) as u64) as i64;
            let offset = match next() % 4 {
                0 => 0,
                1 => (next() % 1440) as i32 * 60 - 1439 * 60 / 2,
                2 => (next() % 86_399) as i32 - 43_199,
                _ => 8 * 3600,
            };
            let nanos = if next() % 50 == 0 { 1_500_000_000 } else { 0 };
            let Some(offset) = FixedOffset::east_opt(offset) else {
                continue;
            };
            let Some(utc) = chrono::DateTime::from_timestamp(secs, nanos) else {
                continue;
            };
            let d = utc.with_timezone(&offset);
            assert_eq!(rfc822(&d), chrono_rfc822(&d), "{d:?}");
        }
    }
}
