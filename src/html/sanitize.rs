//! Sanitize: scraped HTML made safe to syndicate without losing the author's words.
//!
//! Feed readers show entry content inside their own pages, so anything that runs code or
//! changes the page around the entry must go. What readers display is kept: text markup,
//! paragraphs, headings, lists, links, images (with `srcset`), figures, tables, code, and
//! `<video>`/`<audio>`/`<picture>` with their sources. README.md ("Content sanitization")
//! lists exactly what is removed; the unit tests below pin each rule.
//!
//! Three parts, used in this order by the render stage:
//!
//! 1. [`escape_unclosed`]: a cheap scan (no parse) that turns markup the HTML parser would let
//!    swallow the rest of the post (`<title>`, `<script>`, `<textarea>`, `<svg>`, `<!--`, … opened
//!    and never closed) into text, so the reader sees what the author wrote;
//! 2. the render stage's single rewriting pass asks [`Sanitizer`] which elements go with their
//!    content (to count the text that goes with them and report it), which tags and attributes
//!    stay (to resolve and check only URLs that stay) and which URL schemes are allowed
//!    ([`scheme_problem`]), and reports everything it drops;
//! 3. that same pass removes what [`Sanitizer`] does not keep. One parse per entry: the
//!    tokenizer (`lol_html`'s, which follows the HTML standard's tokenizer, raw-text and RCDATA
//!    states included) sees the markup as a browser will, and what it does not keep it removes.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use super::kramdown_elements::ELEMENTS_WITHOUT_BODY;

/// Elements kept in addition to [`BASE_TAGS`] (which already has `a`, `img`, `p`, `figure`,
/// `table`, `pre`, `code`, headings, lists, …).
pub(crate) const EXTRA_TAGS: &[&str] = &[
    "audio", "picture", "section", "source", "tfoot", "track", "video",
];

/// Attributes kept per element, beyond [`BASE_TAG_ATTRIBUTES`] (`a href`, `img src alt width
/// height`, table cell spans, …) and [`GENERIC_ATTRIBUTES`].
pub(crate) const EXTRA_TAG_ATTRIBUTES: &[(&str, &[&str])] = &[
    ("img", &["srcset", "sizes"]),
    ("source", &["src", "srcset", "sizes", "type", "media"]),
    ("video", &["src", "poster", "controls", "width", "height"]),
    ("audio", &["src", "controls"]),
    ("track", &["src", "kind", "srclang", "label"]),
    ("ol", &["type", "reversed"]),
    ("li", &["value"]),
];

/// Elements removed with their content, text included: their text is code, or fallback and
/// metadata the reader of the page never sees as prose. (`embed` and `frame` are void, and an
/// HTML parser ignores `<head>` and `<frameset>` tags in a body and keeps what follows them:
/// those lose only their tags, as every element not kept does.)
pub(crate) const REMOVED_WITH_TEXT: &[&str] = &[
    "script", "style", "iframe", "object", "noscript", "template", "svg", "math", "applet", "title",
];

/// URL schemes a link or source may have: the web, mail and the other schemes readers hand to
/// an application. ammonia's default list, without `url` (`URL:https://…` is a pasted label,
/// never a link that works).
pub const ALLOWED_SCHEMES: &[&str] = &[
    "bitcoin",
    "ftp",
    "ftps",
    "geo",
    "http",
    "https",
    "im",
    "irc",
    "ircs",
    "magnet",
    "mailto",
    "mms",
    "mx",
    "news",
    "nntp",
    "openpgp4fpr",
    "sip",
    "sms",
    "smsto",
    "ssh",
    "tel",
    "webcal",
    "wtai",
    "xmpp",
];

/// Why a URL with this (lowercase) scheme cannot stay, or `None` when it can. With `sanitizing`
/// only [`ALLOWED_SCHEMES`] pass; without it every scheme does except `url:`, which is always a
/// typo (a link pasted with its label).
pub fn scheme_problem(scheme: &str, sanitizing: bool) -> Option<String> {
    if scheme == "url" {
        return Some("`URL:` is not a URL scheme (a link pasted with its label?)".to_string());
    }
    if sanitizing && !ALLOWED_SCHEMES.contains(&scheme) {
        return Some(format!("`{scheme}:` URLs are not allowed in feeds"));
    }
    None
}

/// ammonia's default allow-list, which this sanitizer keeps (and extends with [`EXTRA_TAGS`]):
/// what feed readers display. A unit test checks the lists against ammonia's own.
const BASE_TAGS: &[&str] = &[
    "a",
    "abbr",
    "acronym",
    "area",
    "article",
    "aside",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "map",
    "mark",
    "nav",
    "ol",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "rtc",
    "ruby",
    "s",
    "samp",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "time",
    "tr",
    "tt",
    "u",
    "ul",
    "var",
    "wbr",
];

/// ammonia's default attributes per element.
const BASE_TAG_ATTRIBUTES: &[(&str, &[&str])] = &[
    ("a", &["href", "hreflang"]),
    ("bdo", &["dir"]),
    ("blockquote", &["cite"]),
    ("col", &["align", "char", "charoff", "span"]),
    ("colgroup", &["align", "char", "charoff", "span"]),
    ("del", &["cite", "datetime"]),
    ("hr", &["align", "size", "width"]),
    ("img", &["align", "alt", "height", "src", "width"]),
    ("ins", &["cite", "datetime"]),
    ("ol", &["start"]),
    ("q", &["cite"]),
    ("table", &["align", "char", "charoff", "summary"]),
    ("tbody", &["align", "char", "charoff"]),
    (
        "td",
        &["align", "char", "charoff", "colspan", "headers", "rowspan"],
    ),
    ("tfoot", &["align", "char", "charoff"]),
    (
        "th",
        &[
            "align", "char", "charoff", "colspan", "headers", "rowspan", "scope",
        ],
    ),
    ("thead", &["align", "char", "charoff"]),
    ("tr", &["align", "char", "charoff"]),
];

/// Attributes kept on every kept element: ammonia's `lang` and `title`, and `id` and
/// `class`: heading and footnote ids keep in-page links (`#fn:1`, a table of contents)
/// working; classes name a code block's language. None of them can run anything.
const GENERIC_ATTRIBUTES: &[&str] = &["lang", "title", "id", "class"];

/// Every link gets this `rel` (as ammonia gives it): a reader's page opened from an entry
/// cannot reach back into the reader.
pub const LINK_REL: &str = "noopener noreferrer";

/// What the sanitizer keeps: built once per build and shared by every render thread. The
/// render stage applies it in its one rewriting pass over each entry (see
/// `crate::render`): elements not kept lose their tags (their text stays), elements of
/// `REMOVED_WITH_TEXT` go with their content, attributes not kept go, comments go, and
/// URLs with schemes not in [`ALLOWED_SCHEMES`] go (reported).
pub struct Sanitizer {
    tags: HashSet<&'static str>,
    tag_attributes: HashMap<&'static str, HashSet<&'static str>>,
    generic_attributes: HashSet<&'static str>,
}

impl std::fmt::Debug for Sanitizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sanitizer")
    }
}

impl Default for Sanitizer {
    fn default() -> Self {
        Self::new()
    }
}

impl Sanitizer {
    pub fn new() -> Self {
        let mut tag_attributes: HashMap<&'static str, HashSet<&'static str>> = HashMap::new();
        for (tag, attributes) in BASE_TAG_ATTRIBUTES.iter().chain(EXTRA_TAG_ATTRIBUTES) {
            tag_attributes
                .entry(tag)
                .or_default()
                .extend(attributes.iter().copied());
        }
        Sanitizer {
            tags: BASE_TAGS.iter().chain(EXTRA_TAGS).copied().collect(),
            tag_attributes,
            generic_attributes: GENERIC_ATTRIBUTES.iter().copied().collect(),
        }
    }

    /// True when the element `tag` (lowercase) is kept, without its attributes.
    pub fn keeps_tag(&self, tag: &str) -> bool {
        self.tags.contains(tag)
    }

    /// True when the attribute `attribute` is kept on a kept element `tag`.
    pub fn keeps_attribute(&self, tag: &str, attribute: &str) -> bool {
        self.keeps_tag(tag)
            && (self.generic_attributes.contains(attribute)
                || self
                    .tag_attributes
                    .get(tag)
                    .is_some_and(|a| a.contains(attribute)))
    }

    /// True when the element `tag` goes with everything inside it, text included.
    pub fn removes_with_text(tag: &str) -> bool {
        REMOVED_WITH_TEXT.contains(&tag)
    }
}

/// Elements whose content an HTML parser reads as text up to their end tag: opened and never
/// closed, they take the rest of the post with them.
const RAW_TEXT: &[&str] = &[
    "script", "style", "xmp", "iframe", "noembed", "noframes", "noscript", "textarea", "title",
];

/// Elements removed with their content that hold ordinary markup: opened and never closed,
/// everything after them is inside them and goes too.
const SWALLOWING: &[&str] = &["template", "object", "applet", "svg", "math"];

/// Markup that would have taken the rest of the post with it, turned into text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unclosed {
    /// Byte offset of its `<` in the scanned HTML.
    pub offset: usize,
    /// The markup as written, up to the end of its name (`<title`, `<!--`).
    pub markup: String,
    pub message: String,
}

/// What [`escape_unclosed`] changes at an offset.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Edit {
    /// `</name>` is inserted: `<iframe … />` written as XHTML, with no end tag. Sorts before an
    /// escape at the same offset (`<xmp /><script>`): the end tag goes before that `<`.
    Close(Cow<'static, str>),
    /// `<` becomes `&lt;`; the markup (up to the given end) is reported.
    Escape(usize, &'static str),
    /// `<` becomes `&lt;`, as kramdown writes it, unreported: an end tag with no element of
    /// its name open, or a tag whose name is none (`<Obj:0x1f2e>`).
    EscapeQuietly,
}

/// Escapes the `<` of markup that an HTML parser would let swallow the rest of the post:
///
/// - a raw-text or RCDATA element (`<title>`, `<script>`, `<style>`, `<textarea>`, `<xmp>`,
///   `<iframe>`, `<noscript>`, `<noembed>`, `<noframes>`) with no end tag after it, and
///   `<plaintext>`, which never ends;
/// - an element removed with its content (`<template>`, `<object>`, `<applet>`, `<svg>`,
///   `<math>`) with no matching end tag;
/// - a comment `<!--` with no `-->`, and a tag with no `>` before the end of the post.
///
/// Such markup is text the author wrote about HTML, or a mistake: either way the reader sees the
/// words (`&lt;title>` shows as `<title>`) instead of losing everything after them. An end tag
/// with no element of its name open before it (`Caption.</a>`) is text too, as kramdown makes
/// it on the page Jekyll builds (`&lt;/a&gt;`); that one is not reported. One
/// exception: such an element written self-closing (`<iframe src="…"/>`, `<script src="…"/>`,
/// as XHTML allows and HTML ignores) is closed right there, as its author meant.
///
/// One pass over the bytes, no parse; borrows when there is nothing to change, the common case.
pub fn escape_unclosed(html: &str) -> (Cow<'_, str>, Vec<Unclosed>) {
    let b = html.as_bytes();
    // (offset, what to do); for escapes, why, reported.
    let mut edits: Vec<(usize, Edit)> = Vec::new();
    // Start and end tags of SWALLOWING elements in document order:
    // (offset, name end, kind, start tag, self-closing, `>` offset).
    let mut containers: Vec<(usize, usize, usize, bool, bool, usize)> = Vec::new();
    // Once an end tag (or `-->`) was not found after some point, it is not after any later one.
    let mut no_end_tag = [false; RAW_TEXT.len()];
    let mut no_comment_end = false;
    // How many elements of each name (lowercased) are open: a post has a few names.
    let mut open_by_name: Vec<(String, usize)> = Vec::new();
    let mut i = 0;
    while let Some(found) = memchr::memchr(b'<', &b[i..]) {
        let lt = i + found;
        let rest = &b[lt + 1..];
        if rest.starts_with(b"!--") {
            let body = lt + 4;
            if b[body..].starts_with(b">") {
                i = body + 1;
            } else if b[body..].starts_with(b"->") {
                i = body + 2;
            } else if let Some(end) = (!no_comment_end)
                .then(|| memchr::memmem::find(&b[body..], b"-->"))
                .flatten()
            {
                i = body + end + 3;
            } else {
                no_comment_end = true;
                let why = "starts a comment that is never closed (`-->`)";
                edits.push((lt, Edit::Escape(body, why)));
                i = body;
            }
            continue;
        }
        if rest.starts_with(b"!") || rest.starts_with(b"?") {
            // A doctype, `<![CDATA[`, or a bogus comment: up to the next `>`.
            match memchr::memchr(b'>', rest) {
                Some(gt) => i = lt + 1 + gt + 1,
                None => {
                    edits.push((lt, Edit::Escape(lt + 2, "is never closed by `>`")));
                    i = lt + 1;
                }
            }
            continue;
        }
        let is_end = rest.first() == Some(&b'/');
        let name_start = if is_end { lt + 2 } else { lt + 1 };
        if !b.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
            i = lt + 1;
            continue;
        }
        let name_end = b[name_start..]
            .iter()
            .position(|&c| ends_tag_name(c))
            .map_or(b.len(), |p| name_start + p);
        let name = &html[name_start..name_end];
        // kramdown (REXML) reads a name only if what follows a `:` starts like a name: Ruby's
        // `#<Obj:0x1f2e>` is text on the page.
        if name.split_once(':').is_some_and(|(_, local)| {
            !local.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        }) || !name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b':' | b'_' | b'.' | b'-'))
        {
            edits.push((lt, Edit::EscapeQuietly));
            i = name_end;
            continue;
        }
        let Some(gt) = tag_end(b, name_end) else {
            edits.push((lt, Edit::Escape(name_end, "is never closed by `>`")));
            i = lt + 1;
            continue;
        };
        i = gt + 1;
        let self_closing = b[gt - 1] == b'/' && gt > name_end;
        let swallowing = SWALLOWING.iter().position(|n| n.eq_ignore_ascii_case(name));
        let open = open_by_name
            .iter()
            .position(|(open, _)| open.eq_ignore_ascii_case(name));
        if is_end {
            match open {
                Some(k) if open_by_name[k].1 > 0 => open_by_name[k].1 -= 1,
                _ => {
                    edits.push((lt, Edit::EscapeQuietly));
                    continue;
                }
            }
            if let Some(kind) = swallowing {
                containers.push((lt, name_end, kind, false, false, gt));
            }
            continue;
        }
        let void = ELEMENTS_WITHOUT_BODY
            .iter()
            .any(|v| v.eq_ignore_ascii_case(name));
        if !self_closing && !void {
            match open {
                Some(k) => open_by_name[k].1 += 1,
                None => open_by_name.push((name.to_ascii_lowercase(), 1)),
            }
        }
        // `<a name="x" />` as XHTML writes it: kramdown reads an empty element, HTML an open
        // one that takes the text after it. Closed where it stands (outside `<svg>` and
        // `<math>`, where `/>` does close; raw-text and removed elements are handled below).
        let in_foreign = open_by_name
            .iter()
            .any(|(open, count)| *count > 0 && matches!(open.as_str(), "svg" | "math"));
        if self_closing
            && !void
            && !in_foreign
            && swallowing.is_none()
            && !RAW_TEXT.iter().any(|n| n.eq_ignore_ascii_case(name))
            && !name.eq_ignore_ascii_case("plaintext")
            && !name.contains(':')
        {
            edits.push((gt + 1, Edit::Close(name.to_ascii_lowercase().into())));
        }
        if name.eq_ignore_ascii_case("plaintext") {
            let why = "makes the rest of the post plain text";
            edits.push((lt, Edit::Escape(name_end, why)));
            continue;
        }
        if let Some(kind) = RAW_TEXT.iter().position(|n| n.eq_ignore_ascii_case(name)) {
            match (!no_end_tag[kind])
                .then(|| end_tag_after(b, gt + 1, RAW_TEXT[kind]))
                .flatten()
            {
                Some(after) => i = after,
                None => {
                    no_end_tag[kind] = true;
                    if self_closing {
                        edits.push((gt + 1, Edit::Close(RAW_TEXT[kind].into())));
                    } else {
                        edits.push((lt, Edit::Escape(name_end, "is opened but never closed")));
                    }
                }
            }
            continue;
        }
        if let Some(kind) = swallowing {
            // `<svg/>` and `<math/>` are complete; in HTML `/>` closes nothing.
            if !(self_closing && matches!(SWALLOWING[kind], "svg" | "math")) {
                containers.push((lt, name_end, kind, true, self_closing, gt));
            }
        }
    }
    // An end tag closes the latest open element of its name; starts left open are unclosed.
    let mut open: Vec<Vec<(usize, usize, bool, usize)>> = vec![Vec::new(); SWALLOWING.len()];
    for (offset, name_end, kind, start, self_closing, gt) in containers {
        if start {
            open[kind].push((offset, name_end, self_closing, gt));
        } else {
            open[kind].pop();
        }
    }
    for (kind, left) in open.into_iter().enumerate() {
        for (offset, name_end, self_closing, gt) in left {
            if self_closing {
                edits.push((gt + 1, Edit::Close(SWALLOWING[kind].into())));
            } else {
                edits.push((offset, Edit::Escape(name_end, "is opened but never closed")));
            }
        }
    }
    if edits.is_empty() {
        return (Cow::Borrowed(html), Vec::new());
    }
    edits.sort_unstable();
    let mut out = String::with_capacity(html.len() + 8 * edits.len());
    let mut from = 0;
    let mut found = Vec::with_capacity(edits.len());
    for (offset, edit) in edits {
        out.push_str(&html[from..offset]);
        from = offset;
        match edit {
            Edit::Close(name) => {
                out.push_str("</");
                out.push_str(&name);
                out.push('>');
            }
            Edit::EscapeQuietly => {
                out.push_str("&lt;");
                from = offset + 1;
            }
            Edit::Escape(markup_end, why) => {
                out.push_str("&lt;");
                from = offset + 1;
                let markup = html[offset..markup_end].to_string();
                found.push(Unclosed {
                    offset,
                    message: format!("`{markup}` {why}: it is kept as text"),
                    markup,
                });
            }
        }
    }
    out.push_str(&html[from..]);
    (Cow::Owned(out), found)
}

/// Whitespace as the HTML tokenizer reads it between a tag's name and its attributes: tab,
/// line feed, form feed, carriage return, space.
pub(crate) fn is_html_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0C' | b'\r' | b' ')
}

/// A byte that ends a tag's name: whitespace, `/` or `>`.
pub(crate) fn ends_tag_name(b: u8) -> bool {
    is_html_space(b) || b == b'/' || b == b'>'
}

/// The offset of the `>` that ends a tag whose name ends at `from`, skipping quoted attribute
/// values; `None` when the post ends first.
fn tag_end(b: &[u8], from: usize) -> Option<usize> {
    let mut j = from;
    loop {
        match *b.get(j)? {
            b'>' => return Some(j),
            b'=' => {
                j += 1;
                while b.get(j).is_some_and(|&c| is_html_space(c)) {
                    j += 1;
                }
                if let Some(&quote @ (b'"' | b'\'')) = b.get(j) {
                    j += 1 + memchr::memchr(quote, &b[j + 1..])? + 1;
                }
            }
            _ => j += 1,
        }
    }
}

/// Built once: searches run per end tag.
static END_TAG_OPEN: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new("</"));

/// The offset just after the first `</name>` (any case, attributes allowed) at or after `from`.
fn end_tag_after(b: &[u8], from: usize, name: &str) -> Option<usize> {
    let mut i = from;
    while let Some(found) = END_TAG_OPEN.find(&b[i..]) {
        let at = i + found + 2;
        let after_name = at + name.len();
        if b.len() >= after_name
            && b[at..after_name].eq_ignore_ascii_case(name.as_bytes())
            && b.get(after_name).is_some_and(|&c| ends_tag_name(c))
        {
            return tag_end(b, after_name).map(|gt| gt + 1);
        }
        i = at;
    }
    None
}

/// How many characters of text the reader loses with a removed element's raw content
/// (`chunks` as the HTML tokenizer gave them): all of it for code (`<script>`, `<style>`), the
/// text without tags for fallback content read as raw text (`<iframe>`, `<noscript>`), the
/// decoded text otherwise; whitespace runs count as one.
pub fn removed_text_chars(tag: &str, raw: &str) -> usize {
    let text: Cow<'_, str> = match tag {
        "script" | "style" => Cow::Borrowed(raw),
        "iframe" | "noscript" => html_escape::decode_html_entities(&strip_tags(raw))
            .into_owned()
            .into(),
        _ => html_escape::decode_html_entities(raw),
    };
    let mut count = 0;
    for word in text.split_whitespace() {
        if count > 0 {
            count += 1;
        }
        count += word.chars().count();
    }
    count
}

/// Text with `<…>` runs removed (fallback markup read as raw text).
fn strip_tags(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        match rest[lt..].find('>') {
            Some(gt) => {
                out.push(' ');
                rest = &rest[lt + gt + 1..];
            }
            None => {
                rest = &rest[lt..];
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lists applied as the render stage applies them, URLs resolved against
    /// `https://example.org/`.
    fn clean(html: &str) -> String {
        super::super::sanitize_fragment(html)
    }

    #[test]
    fn code_and_page_changing_markup_is_removed() {
        let cases = [
            ("<p>a<script>alert(1)</script>b</p>", "<p>ab</p>"),
            ("<style>p{color:red}</style><p>x</p>", "<p>x</p>"),
            (
                "<iframe src=\"https://v.example/e\">no frames</iframe><p>x</p>",
                "<a href=\"https://v.example/e\" rel=\"noopener noreferrer\">https://v.example/e</a><p>x</p>",
            ),
            ("<iframe src=\"data:text/html,x\">no frames</iframe><p>x</p>", "<p>x</p>"),
            ("<xmp><script>alert(1)</script></xmp>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
            ("<textarea><b>x</b> &amp;</textarea>", "&lt;b>x&lt;/b> &amp;"),
            ("<noembed><img src=x onerror=y></noembed>", "&lt;img src=x onerror=y&gt;"),
            (
                "<a href=\"/ok\" href=\"javascript:x\" rel=\"opener\">x</a>",
                "<a href=\"https://example.org/ok\" rel=\"noopener noreferrer\">x</a>",
            ),
            ("<p>a<!--[if IE]><script>x</script><![endif]-->b</p>", "<p>ab</p>"),
            ("<!DOCTYPE html><p>x</p>", "<p>x</p>"),
            ("<font color=red>kept</font> <select><option>text</option></select>", "kept text"),
            (
                "<p onclick=\"steal()\" style=\"color:red\">x</p>",
                "<p>x</p>",
            ),
            (
                "<a href=\"javascript:alert(1)\">x</a>",
                "<a rel=\"noopener noreferrer\">x</a>",
            ),
            (
                "<a href=\"URL:https://x.example/\">x</a>",
                "<a rel=\"noopener noreferrer\">x</a>",
            ),
            (
                "<img src=\"x.png\" onerror=\"steal()\">",
                "<img src=\"https://example.org/x.png\">",
            ),
            ("<form action=\"/x\"><input name=q></form>", ""),
            // A player goes; a link to it takes its place (tested in `html`).
            (
                "<object data=\"x.swf\"><embed src=\"x.swf\"></object>",
                "<a href=\"https://example.org/x.swf\" rel=\"noopener noreferrer\">https://example.org/x.swf</a>",
            ),
            ("<base href=\"https://evil.example/\"><p>x</p>", "<p>x</p>"),
            ("<meta http-equiv=refresh content=0><p>x</p>", "<p>x</p>"),
            ("<!-- a comment --><p>x</p>", "<p>x</p>"),
            ("<svg><script>alert(1)</script></svg><p>x</p>", "<p>x</p>"),
        ];
        for (input, expected) in cases {
            assert_eq!(clean(input), expected, "{input}");
        }
    }

    #[test]
    fn markup_readers_display_is_kept() {
        let kept = [
            "<p>para <b>b</b> <strong>s</strong> <em>e</em> <i>i</i> <code>c</code></p>",
            "<h2>head</h2>",
            "<ul><li>one</li></ul>",
            "<ol start=\"3\"><li>three</li></ol>",
            "<blockquote>q</blockquote>",
            "<pre><code>fn main() {}</code></pre>",
            "<figure><img src=\"https://e.org/a.png\" alt=\"A\" width=\"10\" height=\"20\"><figcaption>cap</figcaption></figure>",
            "<img src=\"https://e.org/a.png\" srcset=\"https://e.org/a.png 1x, https://e.org/b.png 2x\" alt=\"\">",
            "<table><thead><tr><th colspan=\"2\">h</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table>",
            "<video src=\"https://e.org/v.mp4\" poster=\"https://e.org/p.jpg\" controls=\"\"></video>",
            "<picture><source srcset=\"https://e.org/a.webp\" type=\"image/webp\"><img src=\"https://e.org/a.jpg\"></picture>",
            "<p lang=\"zh\" title=\"t\">中文</p>",
            "<a href=\"mailto:a@example.org\" rel=\"noopener noreferrer\">mail</a>",
            "<h2 id=\"fn:1\" class=\"x\">a &lt; b &amp; c</h2>",
        ];
        for html in kept {
            assert_eq!(clean(html), html);
        }
        assert_eq!(
            clean("<a href=\"/x\" title=\"t\">x</a>"),
            "<a href=\"https://example.org/x\" title=\"t\" rel=\"noopener noreferrer\">x</a>"
        );
    }

    /// The allow-lists are ammonia's defaults plus ours: the policy did not change when the
    /// render stage stopped running ammonia after its own pass.
    #[test]
    fn the_lists_are_ammonias_defaults_and_ours() {
        let ammonia = ammonia::Builder::default();
        let tags: HashSet<&str> = BASE_TAGS.iter().copied().collect();
        assert_eq!(tags, ammonia.clone_tags());
        let mut attributes: HashMap<&str, HashSet<&str>> = HashMap::new();
        for (tag, names) in BASE_TAG_ATTRIBUTES {
            attributes.insert(tag, names.iter().copied().collect());
        }
        assert_eq!(attributes, ammonia.clone_tag_attributes());
        let generic = ammonia.clone_generic_attributes();
        assert!(generic.iter().all(|a| GENERIC_ATTRIBUTES.contains(a)));
        let mut schemes: Vec<&str> = ALLOWED_SCHEMES.to_vec();
        schemes.push("url");
        schemes.sort_unstable();
        let mut theirs: Vec<&str> = ammonia.clone_url_schemes().into_iter().collect();
        theirs.sort_unstable();
        assert_eq!(schemes, theirs);
    }

    #[test]
    fn what_is_kept_is_known_before_cleaning() {
        let s = Sanitizer::new();
        assert!(s.keeps_attribute("a", "href"));
        assert!(s.keeps_attribute("img", "srcset"));
        assert!(s.keeps_attribute("p", "title"));
        assert!(!s.keeps_attribute("p", "background"));
        assert!(!s.keeps_attribute("form", "action"));
        assert!(!s.keeps_tag("base"));
        assert!(Sanitizer::removes_with_text("style"));
        assert!(!Sanitizer::removes_with_text("head"));
        assert_eq!(scheme_problem("https", true), None);
        assert_eq!(scheme_problem("mailto", true), None);
        assert!(scheme_problem("javascript", true).is_some());
        assert_eq!(scheme_problem("javascript", false), None);
        assert!(scheme_problem("url", false).is_some());
    }

    fn escaped(html: &str) -> (String, Vec<String>) {
        let (out, found) = escape_unclosed(html);
        (
            out.into_owned(),
            found.into_iter().map(|u| u.markup).collect(),
        )
    }

    /// The post written about HTML: a bare `<title>` in a sentence took the other 10,000
    /// characters with it.
    #[test]
    fn an_unclosed_title_in_prose_keeps_all_the_text() {
        let html = "<p>Put the page name in <title> in the head.</p>\n<p>Then the rest.</p>";
        let (out, found) = escaped(html);
        assert_eq!(
            out,
            "<p>Put the page name in &lt;title> in the head.</p>\n<p>Then the rest.</p>"
        );
        assert_eq!(found, ["<title"]);
        assert_eq!(
            clean(&out),
            "<p>Put the page name in &lt;title> in the head.</p>\n<p>Then the rest.</p>"
        );
        let (_, found) = escape_unclosed(html);
        assert_eq!(found[0].offset, html.find("<title").unwrap());
        assert_eq!(
            found[0].message,
            "`<title` is opened but never closed: it is kept as text"
        );
    }

    #[test]
    fn unclosed_raw_text_elements_keep_the_text_after_them() {
        for tag in [
            "textarea",
            "xmp",
            "plaintext",
            "script",
            "style",
            "iframe",
            "noscript",
            "noembed",
            "noframes",
            "TITLE",
        ] {
            let html = format!("<p>The <{tag}> element.</p><p>After it.</p>");
            let (out, found) = escaped(&html);
            assert_eq!(found, [format!("<{tag}")], "{html}");
            let cleaned = clean(&out);
            assert!(
                cleaned.contains(&format!("&lt;{tag}> element.")) && cleaned.contains("After it."),
                "{html} -> {cleaned}"
            );
        }
    }

    #[test]
    fn closed_elements_are_left_for_the_sanitizer() {
        for html in [
            "<p>a</p><script>alert(1)</script><p>b</p>",
            "<style>\np { color: red }\n</style>",
            "<title>T</title ><p>x</p>",
            "<SCRIPT>x</script>",
            // An end tag written inside the element's text does not count as text.
            "<script>document.write('<title>')</script>",
            "<textarea><b>x</b></textarea>",
            "<svg><svg></svg><text>t</text></svg><p>x</p>",
            "<svg/><math/>",
            "<template><p>t</p></template>",
            "<!-- a <title> in a comment --><!--><!--->",
            "<a title=\"<title> > x\" href=\"/x\">y</a>",
            "<!doctype html><?php x ?>",
            "a < b, 1 <2, </>, <3",
        ] {
            let (out, found) = escape_unclosed(html);
            assert!(matches!(out, Cow::Borrowed(_)), "{html}");
            assert!(found.is_empty(), "{html}: {found:?}");
        }
    }

    #[test]
    fn unclosed_containers_comments_and_tags_become_text() {
        let cases = [
            ("<svg><p>x", "&lt;svg><p>x", "<svg"),
            ("<template><p>x</p>", "&lt;template><p>x</p>", "<template"),
            (
                "<object><object></object><p>x</p>",
                "&lt;object><object></object><p>x</p>",
                "<object",
            ),
            ("<p>a<!-- b</p>", "<p>a&lt;!-- b</p>", "<!--"),
            ("<p>x</p><a href=\"y", "<p>x</p>&lt;a href=\"y", "<a"),
        ];
        for (html, expected, markup) in cases {
            let (out, found) = escaped(html);
            assert_eq!(out, expected, "{html}");
            assert_eq!(found, [markup], "{html}");
        }
        // Two unclosed titles, one closed script between them: each is handled on its own.
        let (out, found) = escaped("<title> a <script>s</script> <title> b");
        assert_eq!(out, "&lt;title> a <script>s</script> &lt;title> b");
        assert_eq!(found, ["<title", "<title"]);
    }

    /// An end tag with no element of its name open is text, as kramdown writes it on the page
    /// (`&lt;/a&gt;`), and is not reported; end tags that close something stay tags.
    #[test]
    fn stray_end_tags_become_text() {
        let cases = [
            (
                "<div class=\"cap\">Caption. </a></div>",
                "<div class=\"cap\">Caption. &lt;/a></div>",
            ),
            ("<p>a</p></p><br></br>", "<p>a</p>&lt;/p><br>&lt;/br>"),
            (
                "<DIV><div>x</div></Div></div>",
                "<DIV><div>x</div></Div>&lt;/div>",
            ),
            (
                "<p>a <b>b</b> <!-- </i> --></p>",
                "<p>a <b>b</b> <!-- </i> --></p>",
            ),
            (
                "<script>if (a) { x = '</b>' }</script>",
                "<script>if (a) { x = '</b>' }</script>",
            ),
            (
                "<p>value #<Obj:0x1f2e> shown</p><svg:rect/>",
                "<p>value #&lt;Obj:0x1f2e> shown</p><svg:rect/>",
            ),
            // A name with a character no tag name has (`\<name\>` in a `<pre>`).
            (
                "<pre>use \\<name\\> here</pre><p>x</p>",
                "<pre>use \\&lt;name\\> here</pre><p>x</p>",
            ),
            // An element written self-closing, as XHTML does, is closed where it stands
            // (voids are left alone; in `<svg>`, `/>` closes).
            (
                "<a name=\"s\" />Text<br/><svg><path d=\"x\"/></svg>",
                "<a name=\"s\" /></a>Text<br/><svg><path d=\"x\"/></svg>",
            ),
        ];
        for (html, expected) in cases {
            let (out, found) = escaped(html);
            assert_eq!(out, expected, "{html}");
            assert!(found.is_empty(), "{html}: {found:?}");
        }
    }

    /// `<iframe …/>` and `<script …/>` as XHTML writes them: HTML reads them as unclosed, their
    /// author meant them closed.
    #[test]
    fn self_closed_elements_are_closed() {
        for (html, expected) in [
            (
                "<iframe src=\"https://v.example/e\"/><p>after</p>",
                "<iframe src=\"https://v.example/e\"/></iframe><p>after</p>",
            ),
            (
                "<script src=\"a.js\" /> text",
                "<script src=\"a.js\" /></script> text",
            ),
            (
                "<object data=\"x\"/> text",
                "<object data=\"x\"/></object> text",
            ),
        ] {
            let (out, found) = escape_unclosed(html);
            assert_eq!(out, expected);
            assert!(found.is_empty(), "{found:?}");
        }
        // Followed by an end tag, the element runs to it, as in a browser.
        let html = "<script src=\"a.js\"/> text <script>b()</script>";
        assert!(matches!(escape_unclosed(html).0, Cow::Borrowed(_)));
    }

    /// An end tag inserted where an unclosed element starts goes before its escaped `<` (the
    /// two edits at one offset once sliced the post backwards, and the entry was lost).
    #[test]
    fn a_closed_element_right_before_an_unclosed_one() {
        for (html, expected) in [
            ("<xmp /><script>x", "<xmp /></xmp>&lt;script>x"),
            (
                "<iframe src=\"v\"/><title>t",
                "<iframe src=\"v\"/></iframe>&lt;title>t",
            ),
            (
                "<svg><object data=\"x\"/><svg>",
                "&lt;svg><object data=\"x\"/></object>&lt;svg>",
            ),
        ] {
            let (out, found) = escaped(html);
            assert_eq!(out, expected);
            assert!(!found.is_empty());
        }
    }

    #[test]
    fn removed_text_is_counted_as_the_reader_would_have_seen_it() {
        assert_eq!(removed_text_chars("style", "\n  p { color: red }\n"), 16);
        assert_eq!(removed_text_chars("title", "Tom &amp; Jerry"), 11);
        assert_eq!(
            removed_text_chars("iframe", "<p>Your browser has no frames</p>"),
            26
        );
        assert_eq!(removed_text_chars("svg", "  "), 0);
    }
}
