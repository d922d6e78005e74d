//! The fast path of the rewriting pass ([`super::rewrite`]) for the HTML most entries are:
//! Markdown's output, or a blog's, made of well-nested elements the sanitizer keeps with
//! attributes it keeps. One scan over the bytes makes what `lol_html` would (the same HTML, the
//! same summary texts, no warnings), or gives up (`None`) on the first thing outside that
//! subset, and the tokenizer reads the entry instead. The differential test below runs both on
//! generated HTML and compares every field.
//!
//! What the subset is, and why each rule makes the two passes agree:
//! - Elements: [`ELEMENTS`] only (kept by the sanitizer; no raw-text, RCDATA or foreign
//!   content, none removed with its content), properly nested: every end tag closes the
//!   innermost open element, and `/>` only on void elements. `lol_html` then runs a `<p>`'s
//!   end tag handler exactly where this scan sees its end tag.
//! - Every `<` starts such a tag (`<` in text, comments, doctypes and `<!`/`<?` markup are
//!   changed or removed by the slow path): text is left as written, and each text node reaches
//!   the text handler as one chunk, which [`TextState::text`] sees here too.
//! - Attributes: ASCII names, no name twice (the slow path would move the repeat), values
//!   quoted, or unquoted without quotes, `=`, `<` or a backquote. An attribute the sanitizer
//!   does not keep is dropped, links get their `rel`, URLs are resolved with the same
//!   [`resolve_url`] (a URL it rejects, and any `srcset`, is left to the slow path); a start
//!   tag so changed is written again as `lol_html` writes one (its name and the attributes it
//!   keeps as written, changed values double-quoted), the others stay as written.

use std::borrow::Cow;

use super::sanitize::{ends_tag_name, is_html_space, Sanitizer, LINK_REL};
use super::{
    decode, encode_attribute, is_block_element, resolve_url, selector_applies, Base, Rewritten,
    Schemes, TextState, URL_ATTRIBUTES,
};

/// The elements the fast path knows (sorted, for a binary search): all kept by the sanitizer
/// with their content parsed as HTML.
const ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "article",
    "aside",
    "b",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "dd",
    "del",
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
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "nav",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "samp",
    "section",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
    "var",
    "wbr",
];

/// The void elements of [`ELEMENTS`]: no content, no end tag (`lol_html`'s list has them).
fn is_void(tag: &str) -> bool {
    matches!(tag, "br" | "hr" | "img" | "wbr")
}

/// One attribute of a start tag, as written.
struct Attribute<'a> {
    /// The name, lowercased.
    name: Cow<'a, str>,
    /// The name as written.
    written_name: &'a str,
    /// The name, `=` and value with its quotes, as written: what `lol_html` writes back.
    raw: &'a str,
    /// The value between its quotes, entities undecoded; empty when there is none.
    value: &'a str,
    /// What the pass does with it.
    fate: Fate,
}

enum Fate {
    Kept,
    /// Not kept by the sanitizer.
    Dropped,
    /// A URL made absolute: the value as the attribute must now be written (`&` escaped).
    Resolved(String),
}

/// [`super::rewrite`] for HTML in the subset the module describes; `None` for any other.
pub(super) fn rewrite(
    html: &str,
    base: Option<&Base<'_>>,
    sanitizer: Option<&Sanitizer>,
    text_limit: usize,
) -> Option<Rewritten> {
    let b = html.as_bytes();
    let schemes = if sanitizer.is_some() {
        Schemes::Safe
    } else {
        Schemes::NoTypos
    };
    let mut text = TextState {
        all_limit: text_limit,
        ..TextState::default()
    };
    // The output, once a start tag changed: `html` up to `copied`, changed.
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut open: Vec<&'static str> = Vec::new();
    let mut attributes: Vec<Attribute<'_>> = Vec::new();
    let mut i = 0;
    loop {
        let lt = memchr::memchr(b'<', &b[i..]).map_or(b.len(), |p| i + p);
        if lt > i {
            text.text(&html[i..lt]);
        }
        if lt == b.len() {
            break;
        }
        if b.get(lt + 1) == Some(&b'/') {
            let (name, gt) = end_tag(b, lt + 2)?;
            let tag = open.pop()?;
            if !tag.as_bytes().eq_ignore_ascii_case(name) {
                return None;
            }
            if tag == "p" {
                text.paragraph_end();
            }
            i = gt + 1;
            continue;
        }
        let name_end = b[lt + 1..]
            .iter()
            .position(|&c| ends_tag_name(c))
            .map_or(b.len(), |p| lt + 1 + p);
        let tag = element(&b[lt + 1..name_end])?;
        let (gt, self_closing) = start_tag_attributes(html, name_end, &mut attributes)?;
        if self_closing && !is_void(tag) {
            return None;
        }
        let mut changed = false;
        for k in 0..attributes.len() {
            let name = attributes[k].name.as_ref();
            // The slow path moves a repeated attribute to the end: left to it.
            if attributes[..k].iter().any(|a| a.name == name) {
                return None;
            }
            let kept = sanitizer.is_none_or(|s| s.keeps_attribute(tag, name));
            if !kept {
                attributes[k].fate = Fate::Dropped;
                changed = true;
                continue;
            }
            // A `srcset` is written again candidate by candidate, and a kept `rel` on a link
            // would be the one the sanitizer sets: left to the slow path.
            if name == "srcset" || (name == "rel" && tag == "a" && sanitizer.is_some()) {
                return None;
            }
            let Some(base) = base else { continue };
            if is_url_attribute(tag, name) {
                let value = decode(attributes[k].value);
                let absolute = resolve_url(&value, base, schemes).ok()?;
                if absolute != value {
                    attributes[k].fate = Fate::Resolved(encode_attribute(&absolute));
                    changed = true;
                }
            }
        }
        let rel = tag == "a" && sanitizer.is_some();
        if changed || rel {
            let out = out.get_or_insert_with(|| String::with_capacity(html.len() + 256));
            out.push_str(&html[copied..lt]);
            write_start_tag(out, &html[lt + 1..name_end], &attributes, rel, self_closing);
            copied = gt + 1;
        }
        if is_block_element(tag) {
            text.block_start(tag);
        }
        if !is_void(tag) {
            open.push(tag);
        }
        i = gt + 1;
    }
    if !open.is_empty() {
        return None;
    }
    let html = match out {
        Some(mut out) => {
            out.push_str(&html[copied..]);
            out
        }
        None => html.to_owned(),
    };
    Some(text.finish(html))
}

/// The element of [`ELEMENTS`] a tag name (any case) names.
fn element(name: &[u8]) -> Option<&'static str> {
    let mut lower = [0u8; 10];
    let lower = lower.get_mut(..name.len())?;
    for (l, c) in lower.iter_mut().zip(name) {
        *l = c.to_ascii_lowercase();
    }
    // The tags most entries are made of, without a search (asked of every tag).
    let common = match &*lower {
        b"p" => Some("p"),
        b"a" => Some("a"),
        b"img" => Some("img"),
        b"br" => Some("br"),
        b"em" => Some("em"),
        b"strong" => Some("strong"),
        b"li" => Some("li"),
        b"code" => Some("code"),
        _ => None,
    };
    if common.is_some() {
        return common;
    }
    let lower = std::str::from_utf8(lower).ok()?;
    ELEMENTS
        .binary_search(&lower)
        .ok()
        .map(|found| ELEMENTS[found])
}

/// `name` holds a URL on `tag`, as the slow path reads [`URL_ATTRIBUTES`].
fn is_url_attribute(tag: &str, name: &str) -> bool {
    URL_ATTRIBUTES
        .iter()
        .any(|&(selector, a)| a == name && selector_applies(selector, tag))
}

/// The name of the end tag whose name starts at `from` (after `</`), and the offset of its
/// `>`: `</name>`, spaces allowed before the `>`, nothing else.
fn end_tag(b: &[u8], from: usize) -> Option<(&[u8], usize)> {
    let name_end = from + b[from..].iter().position(|&c| !c.is_ascii_alphanumeric())?;
    if name_end == from || !b[from].is_ascii_alphabetic() {
        return None;
    }
    let gt = name_end + b[name_end..].iter().position(|&c| !is_html_space(c))?;
    (b[gt] == b'>').then_some((&b[from..name_end], gt))
}

/// Reads the attributes of the start tag whose name ends at `from` into `attributes`, as the
/// HTML tokenizer does; the offset of its `>` and whether it ends in `/>`. `None` for anything
/// the subset leaves out: a name that is not ASCII letters, digits and `-`, `=` with no value,
/// an unquoted value with a quote, `=`, `<` or a backquote, a quoted value with `<!` (the slow
/// path removes `<![CDATA[]]>` from its output), a `/` not before the `>`, the end of the
/// HTML before the `>`.
fn start_tag_attributes<'a>(
    html: &'a str,
    from: usize,
    attributes: &mut Vec<Attribute<'a>>,
) -> Option<(usize, bool)> {
    let b = html.as_bytes();
    attributes.clear();
    let mut j = from;
    loop {
        while is_html_space(*b.get(j)?) {
            j += 1;
        }
        match b[j] {
            b'>' => return Some((j, false)),
            b'/' => return (*b.get(j + 1)? == b'>').then_some((j + 1, true)),
            _ => {}
        }
        let name_start = j;
        if !b[j].is_ascii_alphabetic() {
            return None;
        }
        while b.get(j)?.is_ascii_alphanumeric() || b[j] == b'-' {
            j += 1;
        }
        let name_end = j;
        while is_html_space(*b.get(j)?) {
            j += 1;
        }
        let (value, raw_end) = if b[j] == b'=' {
            j += 1;
            while is_html_space(*b.get(j)?) {
                j += 1;
            }
            match b[j] {
                quote @ (b'"' | b'\'') => {
                    let len = memchr::memchr(quote, &b[j + 1..])?;
                    let value = &html[j + 1..j + 1 + len];
                    if value.contains("<!") {
                        return None;
                    }
                    j += len + 2;
                    (value, j)
                }
                b'>' => return None,
                _ => {
                    let start = j;
                    while !is_html_space(*b.get(j)?) && b[j] != b'>' {
                        if matches!(b[j], b'"' | b'\'' | b'=' | b'<' | b'`') {
                            return None;
                        }
                        j += 1;
                    }
                    (&html[start..j], j)
                }
            }
        } else {
            // No value: the next attribute, `/` or `>` follows.
            ("", name_end)
        };
        let written_name = &html[name_start..name_end];
        let name = if written_name.bytes().any(|c| c.is_ascii_uppercase()) {
            Cow::Owned(written_name.to_ascii_lowercase())
        } else {
            Cow::Borrowed(written_name)
        };
        attributes.push(Attribute {
            name,
            written_name,
            raw: &html[name_start..raw_end],
            value,
            fate: Fate::Kept,
        });
    }
}

/// A changed start tag as `lol_html` writes it: `<`, the name as written, each attribute left
/// (as written, or with its new value double-quoted), the link's `rel`, `/>` or `>`.
fn write_start_tag(
    out: &mut String,
    name: &str,
    attributes: &[Attribute<'_>],
    rel: bool,
    self_closing: bool,
) {
    out.push('<');
    out.push_str(name);
    let mut any = false;
    for attribute in attributes {
        match &attribute.fate {
            Fate::Dropped => continue,
            Fate::Kept => {
                out.push(' ');
                out.push_str(attribute.raw);
            }
            Fate::Resolved(value) => {
                out.push(' ');
                out.push_str(attribute.written_name);
                out.push_str("=\"");
                out.push_str(&value.replace('"', "&quot;"));
                out.push('"');
            }
        }
        any = true;
    }
    if rel {
        out.push_str(" rel=\"");
        out.push_str(LINK_REL);
        out.push('"');
        any = true;
    }
    if self_closing {
        out.push_str(if any { " />" } else { "/>" });
    } else {
        out.push('>');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::html::sanitize::escape_unclosed;
    use crate::html::{rewrite_tokenized, Found};
    use crate::render::markdown::Rng;

    /// Elements the generator writes: the subset's first (up to [`TAME_TAGS`]), then others
    /// the slow path treats apart (removed with their content, raw text, foreign content, not
    /// kept, with `srcset`).
    const TAGS: &[&str] = &[
        "p",
        "p",
        "p",
        "a",
        "a",
        "img",
        "img",
        "br",
        "em",
        "strong",
        "code",
        "pre",
        "span",
        "div",
        "h2",
        "h3",
        "ul",
        "ol",
        "li",
        "blockquote",
        "figure",
        "figcaption",
        "table",
        "tr",
        "td",
        "th",
        "hr",
        "wbr",
        "q",
        "del",
        "time",
        "sup",
        "section",
        "P",
        "A",
        "Img",
        "bR",
        "H1",
        "font",
        "video",
        "source",
        "center",
        "dfn",
        "iframe",
        "script",
        "style",
        "title",
        "textarea",
        "svg",
        "math",
        "object",
        "noscript",
        "template",
        "xmp",
        "form",
        "input",
        "col",
        "area",
        "label",
    ];
    const TAME_TAGS: usize = 38;

    /// Attribute names: kept ones (some only on some elements), dropped ones, URL ones; then
    /// odd ones.
    const NAMES: &[&str] = &[
        "href",
        "href",
        "src",
        "src",
        "alt",
        "alt",
        "title",
        "id",
        "class",
        "lang",
        "cite",
        "width",
        "height",
        "align",
        "start",
        "reversed",
        "value",
        "colspan",
        "hreflang",
        "sizes",
        "style",
        "target",
        "rel",
        "onclick",
        "data-x",
        "poster",
        "action",
        "background",
        "longdesc",
        "HREF",
        "Src",
        "ALT",
        "Rel",
        "srcset",
        "=x",
        "a\"b",
        "x_y",
        "é",
        "a:b",
    ];
    const TAME_NAMES: usize = 33;

    /// Attribute values: URLs of every shape `resolve_url` sees, text, markup; then URLs it
    /// rejects and values the subset leaves out.
    const VALUES: &[&str] = &[
        "/uploads/2024/12/1073.jpg",
        "https://news.example.org/uploads/2024/12/1073.jpg",
        "http://www.example-news.cn/wenhua/1073.html",
        "//www.example-news.cn/wenhua/",
        "x.png",
        "../a/b",
        "#fn:1",
        "?q=1&amp;r=2",
        "https://x.example/a?b=1&c=2",
        "https://x.example/a?b=1&amp;c=2",
        "HTTPS://X.Example/A",
        " https://x.example/ ",
        "\thttps://x.example/?q=\"a\"&amp;r ",
        "https://x.example",
        "https://例子.测试/路径",
        "/路径/图 片.jpg",
        "mailto:a@b.example",
        "&#104;ttps://x.example/",
        "/a\"b",
        "it's",
        "",
        "消风我业先成。",
        "Tom &amp; Jerry",
        "a > b < c",
        "x\ny",
        "a.png 1x, /b.png 2x",
        "_blank",
        "language-rust",
        "2",
        "javascript:alert(1)",
        "URL:https://u.example/",
        "data:image/png;base64,AA",
        "http://[::1",
        "<![CDATA[]]>",
    ];
    const TAME_VALUES: usize = 29;

    /// Text; then text with a `<` the slow path escapes.
    const TEXTS: &[&str] = &[
        "青据具四适多越着精地、生事响面空厂家往除，局听三确题许周小上。",
        "text",
        " ",
        "\n ",
        "\r\n",
        "Tom &amp; Jerry",
        "a & b",
        "a > b",
        "&lt;p&gt;",
        "&nbsp;",
        "&#0; &#xD800; &#1114112;",
        "\u{3000}全角\u{3000}",
        "\0",
        "x\u{FFFD}y",
        "\t",
        "\u{FEFF}bom",
        "a < b",
        "<",
        "Every page needs a <title> in its head.",
        "<script>",
        "<!-- ",
    ];
    const TAME_TEXTS: usize = 16;

    /// Markup outside the subset, dropped into wild HTML now and then.
    const STRAY: &[&str] = &[
        "<!-- c -->",
        "<!doctype html>",
        "<?php x ?>",
        "<![CDATA[x]]>",
        "</br>",
        "</p>",
        "</>",
        "< p>",
        "<p/>",
        "<a/>",
        "<",
        "</ p>",
        "<p title=\"a\" title=\"b\">",
        "<img src=x onerror=y/>",
        "<br/ >",
        "<p =x>",
        "<a href=>",
    ];

    /// Generated HTML: tame choices draw from the first entries of each list, which the fast
    /// path should take, wild ones from all of them; one choice in `wildness` is wild (none
    /// when it is 0), so that the fast path also sees HTML with one odd thing in it.
    struct Generator {
        rng: Rng,
        wildness: usize,
    }

    impl Generator {
        fn wild(&mut self) -> bool {
            self.wildness != 0 && self.rng.below(self.wildness) == 0
        }

        fn pick(&mut self, items: &[&'static str], tame: usize) -> &'static str {
            let n = if self.wild() { items.len() } else { tame };
            items[self.rng.below(n)]
        }

        fn attribute(&mut self, out: &mut String) {
            out.push_str(match self.rng.below(10) {
                0 => "\n",
                1 => "  ",
                2 => "\r\n\t",
                _ => " ",
            });
            out.push_str(self.pick(NAMES, TAME_NAMES));
            let value = self.pick(VALUES, TAME_VALUES);
            let mut quote = match self.rng.below(10) {
                0 => return,
                1 => '\'',
                2 if !value.contains(['"', '\'', ' ', '\n', '<', '=']) || self.wild() => {
                    out.push('=');
                    out.push_str(value);
                    return;
                }
                _ => '"',
            };
            if value.contains(quote) && !self.wild() {
                quote = if quote == '"' { '\'' } else { '"' };
            }
            out.push_str(if quote == '"' { "=" } else { " = " });
            out.push(quote);
            out.push_str(value);
            out.push(quote);
        }

        fn element(&mut self, depth: usize, out: &mut String) {
            let tag = self.pick(TAGS, TAME_TAGS);
            out.push('<');
            out.push_str(tag);
            for _ in 0..self.rng.below(4) {
                self.attribute(out);
            }
            if self.rng.below(12) == 0 {
                out.push(' ');
            }
            let void = is_void(&tag.to_ascii_lowercase());
            if void || self.wild() {
                out.push_str(match self.rng.below(4) {
                    0 => "/>",
                    1 => " />",
                    _ => ">",
                });
                if void {
                    return;
                }
            } else {
                out.push('>');
            }
            self.content(depth + 1, out);
            if self.wild() {
                // Unclosed, closed by the wrong end tag, or by one too many.
                match self.rng.below(4) {
                    0 => {}
                    1 => out.push_str("</b>"),
                    2 => {
                        out.push_str("</");
                        out.push_str(self.rng.pick(TAGS));
                        out.push('>');
                    }
                    _ => {
                        out.push_str("</");
                        out.push_str(tag);
                        out.push_str("></p>");
                    }
                }
                return;
            }
            out.push_str("</");
            if self.rng.below(10) == 0 {
                out.push_str(&tag.to_ascii_uppercase());
                out.push_str(" \n");
            } else {
                out.push_str(tag);
            }
            out.push('>');
        }

        fn content(&mut self, depth: usize, out: &mut String) {
            for _ in 0..self.rng.below(if depth > 3 { 2 } else { 5 }) {
                match self.rng.below(20) {
                    0 if self.wild() => out.push_str(self.rng.pick(STRAY)),
                    0..=8 => out.push_str(self.pick(TEXTS, TAME_TEXTS)),
                    9 => {
                        // A text node longer than `lol_html`'s 1 KB decoding buffer.
                        out.push_str(&"长文本，".repeat(100 + self.rng.below(200)));
                    }
                    _ => self.element(depth, out),
                }
            }
        }
    }

    /// As the benchmark corpus's entries render: paragraphs of Chinese text, one line each,
    /// an image, then the links of the Markdown tail.
    fn corpus_shaped(rng: &mut Rng) -> String {
        let mut html = String::new();
        for k in 0..3 + rng.below(12) {
            html.push_str(if k == 0 { "<p>" } else { " <p>" });
            html.push_str(&"局听三确题许周小上、立律为每目和进则反；".repeat(1 + rng.below(12)));
            html.push_str("。</p>\n");
            if k == 2 {
                html.push_str(
                    " <p><img src=\"/uploads/2024/12/1073.jpg\" alt=\"消风我业先成。\"></p>\n",
                );
            }
        }
        html.push_str(
            "<p><a href=\"http://www.example-news.cn/wenhua/1073.html\">http://www.example-news.cn/wenhua/1073.html</a></p>\n\n\
             <p><a href=\"//www.example-news.cn/wenhua/\">返回</a>｜<a href=\"//www.example-news.cn/\">首页</a></p>\n",
        );
        html
    }

    fn generated(generator: &mut Generator) -> String {
        if generator.rng.below(10) == 0 {
            return corpus_shaped(&mut generator.rng);
        }
        generator.wildness = [0, 0, 2, 5, 20, 60][generator.rng.below(6)];
        let mut html = String::new();
        for _ in 0..1 + generator.rng.below(6) {
            generator.content(0, &mut html);
            if generator.rng.below(3) == 0 {
                html.push('\n');
            }
        }
        html
    }

    fn base() -> Base<'static> {
        Base::new("https://news.example.org/wenhua/2024/12/30/001073.html")
    }

    fn found(warnings: &[Found]) -> String {
        format!("{warnings:?}")
    }

    /// Both passes on `html`; the fast path's result when it takes the HTML, after checking
    /// it is the slow path's.
    fn both(
        html: &str,
        base: Option<&Base<'_>>,
        sanitizer: Option<&Sanitizer>,
        text_limit: usize,
    ) -> Option<Rewritten> {
        let fast = rewrite(html, base, sanitizer, text_limit)?;
        let slow = rewrite_tokenized(html, base, sanitizer, text_limit).unwrap();
        let context = format!(
            "html: {html:?}\nbase: {base:?}, sanitizing: {}, text limit: {text_limit}",
            sanitizer.is_some()
        );
        assert_eq!(fast.html, slow.html, "{context}");
        assert_eq!(fast.paragraph_source, slow.paragraph_source, "{context}");
        assert_eq!(fast.all_source, slow.all_source, "{context}");
        assert_eq!(found(&fast.warnings), found(&slow.warnings), "{context}");
        Some(fast)
    }

    /// `html` as `content_html` gives it to the pass when sanitizing, when that changes it.
    fn escaped(html: &str) -> Option<String> {
        let escaped = escape_unclosed(html).0;
        (escaped != html).then(|| escaped.into_owned())
    }

    #[test]
    fn fast_path_agrees_with_lol_html() {
        let sanitizer = Sanitizer::new();
        let base = base();
        let mut generator = Generator {
            rng: Rng(0x0DD5_EED5),
            wildness: 0,
        };
        const CASES: usize = 30_000;
        let (mut fired, mut changed, mut summarized, mut escaped_fired) = (0, 0, 0, 0);
        for _ in 0..CASES {
            let html = generated(&mut generator);
            let rng = &mut generator.rng;
            let sanitizer = (rng.below(4) != 0).then_some(&sanitizer);
            let base = (rng.below(10) != 0).then_some(&base);
            let limit = [0, 1, 3, 10, 40, 400, usize::MAX][rng.below(7)];
            if let Some(fast) = both(&html, base, sanitizer, limit) {
                fired += 1;
                changed += usize::from(fast.html != html);
                summarized += usize::from(!fast.first_paragraph().is_empty());
            }
            if let Some(escaped) = sanitizer.and_then(|_| escaped(&html)) {
                escaped_fired += usize::from(both(&escaped, base, sanitizer, limit).is_some());
            }
        }
        // Both paths are exercised (the fast one takes about 45 %), and the fast one not only
        // on HTML it leaves alone.
        assert!(fired > CASES / 5, "fast path on {fired} of {CASES}");
        assert!(fired < CASES * 4 / 5, "fast path on {fired} of {CASES}");
        assert!(changed > fired / 4, "{changed} of {fired} changed");
        assert!(
            summarized > fired / 10,
            "{summarized} of {fired} summarized"
        );
        // Markup `escape_unclosed` turned into text (`<title>` never closed) is text to it.
        assert!(escaped_fired > 50, "{escaped_fired} escaped taken");
    }

    #[test]
    fn fast_path_takes_corpus_shaped_entries() {
        let sanitizer = Sanitizer::new();
        let mut rng = Rng(7);
        for _ in 0..100 {
            let html = corpus_shaped(&mut rng);
            let out = both(&html, Some(&base()), Some(&sanitizer), 400).expect("fast path");
            assert!(out.html.contains(
                "<img src=\"https://news.example.org/uploads/2024/12/1073.jpg\" alt=\"消风我业先成。\">"
            ));
            assert!(out.html.contains(
                "<a href=\"https://www.example-news.cn/\" rel=\"noopener noreferrer\">首页</a>"
            ));
        }
    }

    #[test]
    fn what_the_subset_leaves_out_takes_the_slow_path() {
        let sanitizer = Sanitizer::new();
        for html in [
            "<p>a < b</p>",
            "<p>a<!-- c --></p>",
            "<p>a</b></p>",
            "<p>a",
            "<p/>",
            "<img srcset=\"a.png 1x\">",
            "<a href=\"javascript:x\">x</a>",
            "<a href=\"/x\" HREF=\"/y\">x</a>",
            "<a rel=nofollow rel=x>x</a>",
            "<font>x</font>",
            "<svg></svg>",
            "<p title=\"<![CDATA[]]>\">x</p>",
            "<p title=a\"b>x</p>",
            "<p =x>x</p>",
            "</br>",
        ] {
            assert!(
                rewrite(html, Some(&base()), Some(&sanitizer), 400).is_none(),
                "{html}"
            );
        }
        // And what it takes, it writes as `lol_html` does.
        for html in [
            "<P Class=x>Tom &amp; Jerry</P >",
            "<a HREF='/x?a=1&amp;b=\"2\"' target=_blank rel=\"nofollow\">x</a>",
            "<img\r\nsrc=/a.png alt='a \"b\"' style=\"x\"/><br/><hr class=x />",
            "<p>a<br>b</p><p>c</p>",
            "<ol reversed start=3><li value=2>x</li></ol>",
        ] {
            both(html, Some(&base()), Some(&sanitizer), 400).expect(html);
            both(html, Some(&base()), None, 400).expect(html);
            both(html, None, None, usize::MAX).expect(html);
        }
    }

    #[test]
    fn the_subset_s_elements_are_kept_html_elements() {
        let sanitizer = Sanitizer::new();
        assert!(ELEMENTS.windows(2).all(|w| w[0] < w[1]), "sorted");
        for tag in ELEMENTS {
            assert!(sanitizer.keeps_tag(tag), "{tag}");
            assert!(!Sanitizer::removes_with_text(tag), "{tag}");
            assert!(!["object", "svg", "math", "title", "textarea", "xmp"].contains(tag));
            assert!(tag.len() <= 10, "{tag}");
        }
    }
}
