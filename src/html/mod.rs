//! HTML: one pass over an entry's HTML that sanitizes it (with the allow-lists of
//! [`sanitize`]), resolves and checks its URLs against the entry's link, collects the text the
//! summary is made from, and reports what it removed. lol_html's tokenizer follows the HTML
//! standard's (raw-text and RCDATA states included), so it reads the markup as a browser will.
//! HTML of the kind Markdown writes (well-nested elements the sanitizer keeps, with attributes
//! it keeps) takes a fast path instead, [`well_formed`], one scan that makes the same result.
//! Also the plain text of HTML (titles, excerpts) and the URL helpers `lint` uses.

use std::borrow::Cow;
use std::cell::RefCell;
use std::rc::Rc;

use lol_html::html_content::{ContentType, Element, TextChunk, TextType};
use lol_html::{doc_comments, doc_text, doctype, element, end_tag, RewriteStrSettings};
use url::Url;

use crate::text::{normalize_whitespace, xml_safe};
use crate::uri::has_scheme;

pub(crate) mod kramdown_elements;
pub mod sanitize;
mod well_formed;

use sanitize::{escape_unclosed, removed_text_chars, scheme_problem, Sanitizer};

/// The HTML could not be rewritten (`lol_html` gave up on it).
#[derive(Debug, thiserror::Error)]
#[error("cannot rewrite the post's HTML: {0}")]
pub struct RewriteError(#[from] lol_html::errors::RewritingError);

/// The URL relative references resolve against (an entry's permalink), parsed the first time
/// one needs it: most entries have none, and parsing every permalink cost 1 % of a build.
#[derive(Debug)]
pub struct Base<'a> {
    link: &'a str,
    url: std::cell::OnceCell<Option<Url>>,
    /// `link`, checked once for joining as strings.
    plain: std::cell::OnceCell<Option<crate::uri::PlainBase<'a>>>,
}

impl<'a> Base<'a> {
    /// A base that is `link` (an absolute URL).
    pub fn new(link: &'a str) -> Self {
        Base {
            link,
            url: std::cell::OnceCell::new(),
            plain: std::cell::OnceCell::new(),
        }
    }

    /// `reference` made absolute; `None` when it, or the base itself, is not a URL.
    fn join(&self, reference: &str) -> Option<Url> {
        let base = self.url.get_or_init(|| Url::parse(self.link).ok());
        base.as_ref()?.join(reference).ok()
    }

    /// [`Base::join`]'s result as text, when strings can join them (see
    /// [`crate::uri::join_plain`]); `None` for anything else (the caller parses).
    fn join_plain(&self, reference: &str) -> Option<String> {
        self.plain
            .get_or_init(|| crate::uri::PlainBase::of(self.link))
            .as_ref()?
            .join(reference)
    }
}

/// The content as a feed carries it. With a sanitizer: unclosed markup escaped
/// ([`escape_unclosed`]), then one rewriting pass (sanitized, URLs resolved and checked, text
/// collected, what sanitizing removes reported). Without: the rewriting pass alone.
pub(crate) fn content_html(
    html: &str,
    base: &Base<'_>,
    sanitizer: Option<&Sanitizer>,
    text_limit: usize,
) -> Result<Rewritten, RewriteError> {
    let Some(sanitizer) = sanitizer else {
        return rewrite(html, Some(base), None, text_limit);
    };
    let (escaped, unclosed) = escape_unclosed(html);
    let mut rewritten = rewrite(&escaped, Some(base), Some(sanitizer), text_limit)?;
    if !unclosed.is_empty() {
        let mut warnings: Vec<Found> = unclosed
            .into_iter()
            .map(|u| Found {
                message: u.message,
                needles: vec![u.markup],
            })
            .collect();
        warnings.append(&mut rewritten.warnings);
        rewritten.warnings = warnings;
    }
    Ok(rewritten)
}

/// `html` sanitized as an entry's content is, its URLs resolved against
/// `https://example.org/`: for the sanitizer's own tests.
#[cfg(test)]
pub(crate) fn sanitize_fragment(html: &str) -> String {
    content_html(
        html,
        &Base::new("https://example.org/"),
        Some(&Sanitizer::new()),
        0,
    )
    .expect("rewriting a string cannot fail")
    .html
}

/// Turns an HTML fragment (a title, an excerpt) into plain text: tags dropped, scripts and styles
/// dropped, entities decoded, whitespace collapsed, characters XML forbids removed.
pub fn html_to_text(html: &str) -> String {
    let html = xml_safe(html);
    if !html.contains('<') && !html.contains('&') {
        normalize_whitespace(&html)
    } else {
        // Decoded entities (`&#1;`) can produce characters XML forbids.
        xml_safe(&plain_text(&html)).into_owned()
    }
}

/// The text of an HTML fragment, entities decoded and whitespace collapsed. Markup that would
/// swallow the rest (an unclosed `<title>`) counts as text.
pub fn plain_text(html: &str) -> String {
    let (html, _) = escape_unclosed(html);
    rewrite(&html, None, None, usize::MAX)
        .map_or_else(|_| normalize_whitespace(&html), |r| r.all_text())
}

/// A warning before its line is known: what to look for in the post to find it.
#[derive(Debug)]
pub(crate) struct Found {
    pub(crate) message: String,
    /// Text of the post the warning is about, most precise first (a start tag as written, a
    /// URL as written).
    pub(crate) needles: Vec<String>,
}

/// What the pass made of an entry's HTML.
pub(crate) struct Rewritten {
    pub(crate) html: String,
    /// The first paragraph with text as the tokenizer gave it (see [`Self::first_paragraph`]).
    pub(crate) paragraph_source: String,
    /// The text of the whole body up to the pass's limit, as the tokenizer gave it (see
    /// [`Self::all_text`]).
    pub(crate) all_source: String,
    pub(crate) warnings: Vec<Found>,
}

impl Rewritten {
    /// The text of the whole body, up to the pass's limit: entities decoded, whitespace
    /// collapsed. Made only when asked: a summary needs it only when no paragraph has text.
    pub(crate) fn all_text(&self) -> String {
        normalize_whitespace(&decode(&self.all_source))
    }

    /// The text of the first paragraph with text: entities decoded, whitespace collapsed.
    pub(crate) fn first_paragraph(&self) -> String {
        normalize_whitespace(&decode(&self.paragraph_source))
    }

    /// [`Self::first_paragraph`], or a prefix of it with at least `chars` characters: a
    /// summary needs only its start, and a news site's first paragraph can be long. The
    /// source is cut only where that cannot change what comes before the cut: before any `&`
    /// (after one, the text depends on the entity it starts).
    pub(crate) fn first_paragraph_at_least(&self, chars: usize) -> String {
        let source = &self.paragraph_source;
        // A character of the text comes from one or more bytes of the source.
        let mut cut = chars.saturating_mul(4).max(64);
        while cut < source.len() {
            let at = (0..=cut)
                .rev()
                .find(|&i| source.is_char_boundary(i))
                .unwrap_or(0);
            let prefix = &source[..at];
            if prefix.contains('&') {
                break;
            }
            let text = normalize_whitespace(prefix);
            if text.chars().count() >= chars {
                return text;
            }
            cut = cut.saturating_mul(2);
        }
        self.first_paragraph()
    }
}

/// An element removed with its content, while the rewriting pass is inside it.
struct Hidden {
    /// Tells its end tag handler from a later hidden element's.
    id: usize,
    tag: String,
    /// Its content as the tokenizer gave it.
    text: String,
    start_tag: String,
    /// In `<svg>`/`<math>`: how many HTML integration points (`<foreignObject>`, `<mi>`, …)
    /// are open, inside which HTML elements are part of the removed element.
    integration_points: usize,
    /// An `<object>`'s player, as an http(s) URL: its `data`, or the `src` of an `<embed>` or
    /// the `value` of a `<param name="movie">` in it. A link to it takes its place.
    player: Option<String>,
}

/// The http(s) URL a player element's attribute points at, if it does.
fn player_url(el: &Element, attribute: &str, base: &Base<'_>) -> Option<String> {
    let raw = el.get_attribute(attribute)?;
    resolve_url(&decode(&raw), base, Schemes::Safe)
        .ok()
        .filter(|url| url.starts_with("https://") || url.starts_with("http://"))
}

/// Start tags that end `<svg>`/`<math>` content when they appear in it outside an integration
/// point: the HTML parser closes the foreign element and carries on in HTML, where the
/// sanitizer keeps what follows.
const FOREIGN_BREAKOUT: &[&str] = &[
    "b",
    "big",
    "blockquote",
    "body",
    "br",
    "center",
    "code",
    "dd",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "hr",
    "i",
    "img",
    "li",
    "listing",
    "menu",
    "meta",
    "nobr",
    "ol",
    "p",
    "pre",
    "ruby",
    "s",
    "small",
    "span",
    "strong",
    "strike",
    "sub",
    "sup",
    "table",
    "tt",
    "u",
    "ul",
    "var",
];

/// Elements of `<svg>`/`<math>` whose children are read as HTML.
const INTEGRATION_POINTS: &[&str] = &[
    "foreignobject",
    "desc",
    "title",
    "mi",
    "mo",
    "mn",
    "ms",
    "mtext",
    "annotation-xml",
];

fn breaks_out_of_foreign_content(tag: &str, el: &Element) -> bool {
    FOREIGN_BREAKOUT.contains(&tag)
        || (tag == "font"
            && ["color", "face", "size"]
                .iter()
                .any(|a| el.has_attribute(a)))
}

#[derive(Default)]
struct TextState {
    in_paragraph: bool,
    paragraph: String,
    paragraph_done: bool,
    all: String,
    all_limit: usize,
    hidden: Option<Hidden>,
    hidden_count: usize,
    warnings: Vec<Found>,
}

impl TextState {
    /// A chunk of text the document shows (as the tokenizer gave it: entities are decoded at
    /// the end).
    fn text(&mut self, chunk: &str) {
        if self.in_paragraph && !self.paragraph_done {
            self.paragraph.push_str(chunk);
        }
        if self.all.len() < self.all_limit {
            self.all.push_str(chunk);
        }
    }

    /// The start tag of a block element ([`is_block_element`]): words on either side of it are
    /// two words, and a `<p>` may start the first paragraph.
    fn block_start(&mut self, tag: &str) {
        if self.all.len() < self.all_limit {
            self.all.push(' ');
        }
        // `a<br>b` inside the first paragraph is two words.
        if self.in_paragraph && !self.paragraph_done {
            self.paragraph.push(' ');
        }
        if tag == "p" {
            if self.in_paragraph && !self.paragraph.trim().is_empty() {
                self.paragraph_done = true;
            }
            if !self.paragraph_done {
                self.in_paragraph = true;
                self.paragraph.clear();
            }
        }
    }

    /// The end tag of a `<p>` (one [`TextState::block_start`] saw start).
    fn paragraph_end(&mut self) {
        self.in_paragraph = false;
        if !self.paragraph.trim().is_empty() {
            self.paragraph_done = true;
        }
    }

    /// The pass's result, with `html` its output.
    fn finish(&mut self, html: String) -> Rewritten {
        Rewritten {
            html,
            paragraph_source: std::mem::take(&mut self.paragraph),
            all_source: std::mem::take(&mut self.all),
            warnings: std::mem::take(&mut self.warnings),
        }
    }

    fn report_hidden(&mut self, hidden: Hidden) {
        let chars = removed_text_chars(&hidden.tag, &hidden.text);
        if chars > 0 {
            self.warnings.push(Found {
                message: format!(
                    "removed <{}> with its {chars} character{} of content",
                    hidden.tag,
                    if chars == 1 { "" } else { "s" }
                ),
                needles: vec![hidden.start_tag],
            });
        }
    }
}

/// Attributes that hold one URL.
const URL_ATTRIBUTES: &[(&str, &str)] = &[
    ("[href]", "href"),
    ("[src]", "src"),
    ("[poster]", "poster"),
    ("[cite]", "cite"),
    ("[background]", "background"),
    ("[longdesc]", "longdesc"),
    ("[action]", "action"),
    ("[formaction]", "formaction"),
    ("object[data]", "data"),
];

/// Whether a [`URL_ATTRIBUTES`] selector applies to `tag`: `object[data]`, as `data` is a URL
/// only on `<object>`; the others on every element.
fn selector_applies(selector: &str, tag: &str) -> bool {
    !selector.starts_with("object") || tag == "object"
}

/// Elements that separate blocks of text (a match: this is asked of every element).
fn is_block_element(tag: &str) -> bool {
    matches!(
        tag,
        "p" | "div"
            | "br"
            | "li"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "blockquote"
            | "pre"
            | "tr"
            | "td"
            | "th"
            | "dt"
            | "dd"
            | "figcaption"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "hr"
            | "table"
            | "ul"
            | "ol"
    )
}

/// An attribute's name, lowercased, read from the source where it has a place there: lol_html's
/// `Attribute::name` allocates a lowercased copy, and this is asked of every attribute. An
/// attribute set by the rewriter has no place in the source and is named by lol_html.
fn attribute_name<'a>(
    attribute: &lol_html::html_content::Attribute<'_>,
    html: &'a str,
) -> Cow<'a, str> {
    attribute
        .name_source_location()
        .and_then(|location| html.get(location.bytes()))
        .filter(|name| !name.bytes().any(|b| b.is_ascii_uppercase()))
        .map_or_else(|| Cow::Owned(attribute.name()), Cow::Borrowed)
}

/// Which of the URL attributes (bit `k` for `URL_ATTRIBUTES[k]`) and `srcset` (bit
/// `URL_ATTRIBUTES.len()`) the element has: one pass over its attributes instead of a lookup
/// (each lowercasing and allocating the name asked for) per attribute name.
fn url_attributes(el: &Element, html: &str) -> u16 {
    let mut present = 0u16;
    for attribute in el.attributes() {
        let name = attribute_name(attribute, html);
        if let Some(k) = URL_ATTRIBUTES.iter().position(|&(_, a)| a == name) {
            present |= 1 << k;
        } else if name == "srcset" {
            present |= SRCSET;
        }
    }
    present
}

/// `srcset`'s bit in [`url_attributes`].
const SRCSET: u16 = 1 << URL_ATTRIBUTES.len();

/// Which URL schemes a URL may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Schemes {
    /// Any (the public [`absolutize`] and [`resolve_srcset`]).
    Any,
    /// Any but `url:`, a pasted label (content that is not sanitized).
    NoTypos,
    /// The schemes [`sanitize::ALLOWED_SCHEMES`] lists (sanitized content).
    Safe,
}

/// One pass over the HTML: resolve URLs against `base` (when given) and collect text. With a
/// sanitizer it also sanitizes: elements and attributes it does not keep are removed (an
/// element's text stays unless it is removed with its content, which is then left out of the
/// summary and reported), URLs are checked against its schemes, `<iframe>` players become
/// links, and comments and doctypes go.
///
/// HTML of the kind Markdown writes takes [`well_formed::rewrite`], a scan that makes the same
/// result without a tokenizer; everything else is tokenized by `lol_html`.
fn rewrite(
    html: &str,
    base: Option<&Base<'_>>,
    sanitizer: Option<&Sanitizer>,
    text_limit: usize,
) -> Result<Rewritten, RewriteError> {
    match well_formed::rewrite(html, base, sanitizer, text_limit) {
        Some(rewritten) => Ok(rewritten),
        None => rewrite_tokenized(html, base, sanitizer, text_limit),
    }
}

/// [`rewrite`] by `lol_html`'s tokenizer, whatever the HTML.
fn rewrite_tokenized(
    html: &str,
    base: Option<&Base<'_>>,
    sanitizer: Option<&Sanitizer>,
    text_limit: usize,
) -> Result<Rewritten, RewriteError> {
    let state = Rc::new(RefCell::new(TextState {
        all_limit: text_limit,
        ..TextState::default()
    }));
    let mut settings = RewriteStrSettings::new()
        .with_strict(false)
        .with_enable_esi_tags(false);
    let schemes = if sanitizer.is_some() {
        Schemes::Safe
    } else {
        Schemes::NoTypos
    };

    // One handler for every element rather than one selector per attribute and block tag:
    // compiling ~35 selectors for every entry cost more than the rewriting itself.
    let element_state = Rc::clone(&state);
    settings = settings.append_element_content_handler(element!("*", move |el: &mut Element| {
        let tag = el.tag_name();
        // The start tag as written: what the warnings point at in the post.
        let location = el.source_location().bytes();
        let start_tag = || html.get(location.clone()).unwrap_or("").to_string();
        let mut resolve_urls = base.is_some();
        if let Some(sanitizer) = sanitizer {
            let mut s = element_state.borrow_mut();
            if let Some(hidden) = s.hidden.as_mut() {
                let foreign = matches!(hidden.tag.as_str(), "svg" | "math");
                if foreign
                    && hidden.integration_points == 0
                    && breaks_out_of_foreign_content(&tag, el)
                {
                    // `<svg><p>`: the parser closes the `<svg>` here; this element is kept.
                    let hidden = s.hidden.take().expect("checked above");
                    s.report_hidden(hidden);
                } else {
                    if let (Some(base), "object", None) =
                        (&base, hidden.tag.as_str(), hidden.player.as_ref())
                    {
                        let is_movie = || {
                            el.get_attribute("name").is_some_and(|n| {
                                matches!(n.to_ascii_lowercase().as_str(), "movie" | "src" | "url")
                            })
                        };
                        hidden.player = match tag.as_str() {
                            "embed" => player_url(el, "src", base),
                            "param" if is_movie() => player_url(el, "value", base),
                            _ => None,
                        };
                    }
                    // Inside an element removed with its content: none of it is kept (its
                    // text goes in the text handler).
                    el.remove_and_keep_content();
                    if foreign && INTEGRATION_POINTS.contains(&tag.as_str()) {
                        hidden.integration_points += 1;
                        let id = hidden.id;
                        let end_state = Rc::clone(&element_state);
                        if let Some(handlers) = el.end_tag_handlers() {
                            handlers.push(end_tag!(move |_end| {
                                let mut s = end_state.borrow_mut();
                                if let Some(hidden) = s.hidden.as_mut().filter(|h| h.id == id) {
                                    hidden.integration_points -= 1;
                                }
                                Ok(())
                            }));
                        }
                    }
                    return Ok(());
                }
            }
            drop(s);
            if Sanitizer::removes_with_text(&tag) {
                let start_tag = start_tag();
                if let Some(handlers) = el.end_tag_handlers() {
                    let mut s = element_state.borrow_mut();
                    s.hidden_count += 1;
                    let id = s.hidden_count;
                    let end_state = Rc::clone(&element_state);
                    handlers.push(end_tag!(move |end| {
                        let mut s = end_state.borrow_mut();
                        if s.hidden.as_ref().is_some_and(|h| h.id == id) {
                            let mut hidden = s.hidden.take().expect("checked above");
                            if let Some(url) = hidden.player.take() {
                                end.after(&link_to(&url, &url), ContentType::Html);
                                s.warnings.push(Found {
                                    message: format!(
                                        "replaced <object> (an embedded player) with a link to {url}"
                                    ),
                                    needles: vec![hidden.start_tag],
                                });
                            } else {
                                s.report_hidden(hidden);
                            }
                        }
                        Ok(())
                    }));
                    let player = match (&base, tag.as_str()) {
                        (Some(base), "object") => player_url(el, "data", base),
                        _ => None,
                    };
                    s.hidden = Some(Hidden {
                        id,
                        tag: tag.clone(),
                        text: String::new(),
                        start_tag: start_tag.clone(),
                        integration_points: 0,
                        player,
                    });
                }
                if let (Some(base), "iframe") = (&base, tag.as_str()) {
                    let mut s = element_state.borrow_mut();
                    iframe_as_link(el, base, start_tag, &mut s.warnings);
                }
                if !el.removed() {
                    el.remove_and_keep_content();
                }
                return Ok(());
            }
            if sanitizer.keeps_tag(&tag) {
                keep_attributes(el, &tag, sanitizer, html);
            } else if tag == "embed" {
                // A player: a link to it takes its place, as for an `<object>`.
                let mut s = element_state.borrow_mut();
                let url = base.as_ref().and_then(|base| player_url(el, "src", base));
                let message = match &url {
                    Some(url) => {
                        el.replace(&link_to(url, url), ContentType::Html);
                        format!("replaced <embed> (an embedded player) with a link to {url}")
                    }
                    None => {
                        el.remove();
                        "removed <embed> (an embedded player with no http(s) address)".to_string()
                    }
                };
                s.warnings.push(Found {
                    message,
                    needles: vec![start_tag()],
                });
                resolve_urls = false;
            } else {
                // Its tags go, its text stays (a `<font>`, a `<form>`'s labels); `<embed>`,
                // `<head>` and the like hold nothing a parser keeps inside them.
                el.remove_and_keep_content();
                resolve_urls = false;
            }
        }
        if let (Some(base), true) = (&base, resolve_urls) {
            let mut s = element_state.borrow_mut();
            let keeps =
                |attribute: &str| sanitizer.is_none_or(|s| s.keeps_attribute(&tag, attribute));
            let present = url_attributes(el, html);
            for (k, &(selector, attribute)) in URL_ATTRIBUTES.iter().enumerate() {
                if !selector_applies(selector, &tag) {
                    continue;
                }
                if present & (1 << k) != 0 && keeps(attribute) {
                    resolve_attribute(el, attribute, base, schemes, &start_tag, &mut s.warnings);
                }
            }
            let srcset = (present & SRCSET != 0 && keeps("srcset"))
                .then(|| el.get_attribute("srcset"))
                .flatten();
            if let Some(raw) = srcset {
                let mut dropped = Vec::new();
                let resolved = resolve_srcset_with(&decode(&raw), base, schemes, &mut dropped);
                if el
                    .set_attribute("srcset", &encode_attribute(&resolved))
                    .is_err()
                {
                    s.warnings.push(Found {
                        message: "could not rewrite a srcset".into(),
                        needles: vec![start_tag()],
                    });
                }
                for (url, why) in dropped {
                    s.warnings.push(Found {
                        message: format!("removed {:?} from srcset: {why}", shown(&url)),
                        needles: vec![start_tag(), url],
                    });
                }
            }
        }
        if !is_block_element(&tag) {
            return Ok(());
        }
        element_state.borrow_mut().block_start(&tag);
        if tag == "p" {
            let end_state = Rc::clone(&element_state);
            if let Some(handlers) = el.end_tag_handlers() {
                handlers.push(end_tag!(move |_end| {
                    end_state.borrow_mut().paragraph_end();
                    Ok(())
                }));
            }
        }
        Ok(())
    }));

    let text_state = Rc::clone(&state);
    let sanitizing = sanitizer.is_some();
    settings = settings.append_document_content_handler(doc_text!(move |t: &mut TextChunk| {
        let mut s = text_state.borrow_mut();
        if let Some(hidden) = s.hidden.as_mut() {
            hidden.text.push_str(t.as_str());
            t.remove();
            return Ok(());
        }
        if t.text_type() != TextType::Data {
            // The text of a raw-text or RCDATA element whose tags went (`<xmp>`,
            // `<textarea>`, `<noembed>`): markup in it was text, and stays text.
            if sanitizing && !t.as_str().is_empty() {
                let escaped = match t.text_type() {
                    TextType::RCData => t.as_str().replace('<', "&lt;"),
                    _ => html_escape::encode_text(t.as_str()).into_owned(),
                };
                t.replace(&escaped, ContentType::Html);
            }
            return Ok(());
        }
        let chunk = t.as_str();
        s.text(chunk);
        if sanitizing && chunk.contains('<') {
            // A `<` the tokenizer read as text stays text: once a removed tag is gone, it
            // could otherwise start a tag with the text after it (`<<select>script>`).
            let escaped = chunk.replace('<', "&lt;");
            t.replace(&escaped, ContentType::Html);
        }
        Ok(())
    }));

    if sanitizing {
        settings = settings
            .append_document_content_handler(doc_comments!(|c| {
                c.remove();
                Ok(())
            }))
            .append_document_content_handler(doctype!(|d| {
                d.remove();
                Ok(())
            }));
    }

    let mut html = rewrite_utf8(html, settings)?;
    if sanitizing && html.contains("<![CDATA[]]>") {
        // The markers of a CDATA section in removed `<svg>`/`<math>` content outlive its text.
        html = html.replace("<![CDATA[]]>", "");
    }
    let mut s = state.borrow_mut();
    // An element removed with its content whose end tag never came took the rest with it.
    if let Some(hidden) = s.hidden.take() {
        s.report_hidden(hidden);
    }
    Ok(s.finish(html))
}

/// Removes the attributes `sanitizer` does not keep on a kept element, keeps only the first of
/// a repeated attribute (the one a browser reads), and gives links their `rel`.
fn keep_attributes(el: &mut Element, tag: &str, sanitizer: &Sanitizer, html: &str) {
    let names: Vec<Cow<'_, str>> = el
        .attributes()
        .iter()
        .map(|attribute| attribute_name(attribute, html))
        .collect();
    for (i, name) in names.iter().enumerate() {
        if !sanitizer.keeps_attribute(tag, name) {
            el.remove_attribute(name);
        } else if names[..i].contains(name) {
            // `<a href="/ok" href="javascript:…">`: a reader's parser might take the last.
            let first = el.get_attribute(name).unwrap_or_default();
            el.remove_attribute(name);
            let _ = el.set_attribute(name, &first);
        }
    }
    if tag == "a" {
        let _ = el.set_attribute("rel", sanitize::LINK_REL);
    }
}

/// A link to `url` named `name`, as the sanitizer keeps links.
fn link_to(url: &str, name: &str) -> String {
    format!(
        "<a href=\"{}\" rel=\"{}\">{}</a>",
        html_escape::encode_double_quoted_attribute(url),
        sanitize::LINK_REL,
        html_escape::encode_text(name)
    )
}

/// An `<iframe>` (a video player, a map) with an http(s) `src` becomes a link to it, named by
/// its `title` or its URL: readers do not run embedded pages, but the reader can follow one.
fn iframe_as_link(el: &mut Element, base: &Base<'_>, start_tag: String, warnings: &mut Vec<Found>) {
    let Some(raw) = el.get_attribute("src") else {
        return;
    };
    let src = decode(&raw);
    let url = match resolve_url(&src, base, Schemes::Safe) {
        Ok(url) if url.starts_with("https://") || url.starts_with("http://") => url,
        Ok(_) => {
            warnings.push(Found {
                message: format!(
                    "removed <iframe src={:?}>: not an http(s) page",
                    shown(&src)
                ),
                needles: vec![start_tag, raw],
            });
            return;
        }
        Err(why) => {
            warnings.push(Found {
                message: format!("removed <iframe src={:?}>: {why}", shown(&src)),
                needles: vec![start_tag, raw],
            });
            return;
        }
    };
    let name = el
        .get_attribute("title")
        .map(|t| normalize_whitespace(&decode(&t)))
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| url.clone());
    el.replace(&link_to(&url, &name), ContentType::Html);
    warnings.push(Found {
        message: format!("replaced <iframe> (an embedded page) with a link to {url}"),
        needles: vec![start_tag, raw],
    });
}

fn decode(raw: &str) -> String {
    let decoded = html_escape::decode_html_entities(raw);
    if decoded.contains("&#") {
        replace_invalid_char_refs(&decoded)
    } else {
        decoded.into_owned()
    }
}

/// Numeric references the decoder left alone name no character (`&#xD800;`, `&#0;`,
/// `&#1114112;`): a browser shows U+FFFD for them, so the text does too, and no
/// entity-looking text is left for readers to interpret twice.
fn replace_invalid_char_refs(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("&#") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let (hex, digits_start) = match after.as_bytes().first() {
            Some(b'x' | b'X') => (true, 1),
            _ => (false, 0),
        };
        let digits = after[digits_start..]
            .bytes()
            .take_while(|b| {
                if hex {
                    b.is_ascii_hexdigit()
                } else {
                    b.is_ascii_digit()
                }
            })
            .count();
        let end = digits_start + digits;
        if digits > 0 && after.as_bytes().get(end) == Some(&b';') {
            let number = &after[digits_start..end];
            let code = u32::from_str_radix(number, if hex { 16 } else { 10 }).ok();
            match code.and_then(char::from_u32) {
                Some(c) => out.push(c),
                None => out.push('\u{FFFD}'),
            }
            rest = &after[end + 1..];
        } else {
            out.push_str("&#");
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// A URL as a message shows it: a `data:` image can be 100 KB long.
fn shown(url: &str) -> Cow<'_, str> {
    const MAX: usize = 100;
    match url.char_indices().nth(MAX) {
        Some((cut, _)) => Cow::Owned(format!("{}…", &url[..cut])),
        None => Cow::Borrowed(url),
    }
}

/// `&` must be written `&amp;` in an attribute; `lol_html` escapes `"` itself.
fn encode_attribute(value: &str) -> String {
    value.replace('&', "&amp;")
}

fn resolve_attribute(
    el: &mut Element,
    attribute: &str,
    base: &Base<'_>,
    schemes: Schemes,
    start_tag: &dyn Fn() -> String,
    warnings: &mut Vec<Found>,
) {
    let Some(raw) = el.get_attribute(attribute) else {
        return;
    };
    let value = decode(&raw);
    match resolve_url(&value, base, schemes) {
        Ok(absolute) if absolute == value => {}
        Ok(absolute) => {
            if el
                .set_attribute(attribute, &encode_attribute(&absolute))
                .is_err()
            {
                el.remove_attribute(attribute);
            }
        }
        Err(why) => {
            warnings.push(Found {
                message: format!("removed {attribute}={:?}: {why}", shown(&value)),
                needles: vec![start_tag(), raw],
            });
            el.remove_attribute(attribute);
        }
    }
}
/// The URLs in `html` (links, sources, `srcset` candidates) that are not absolute: what a
/// reader would resolve against the wrong page.
pub fn relative_urls(html: &str) -> Vec<String> {
    let found = Rc::new(RefCell::new(Vec::new()));
    let mut settings = RewriteStrSettings::new().with_strict(false);
    for &(selector, attribute) in URL_ATTRIBUTES {
        let found = Rc::clone(&found);
        settings =
            settings.append_element_content_handler(element!(selector, move |el: &mut Element| {
                if let Some(value) = el.get_attribute(attribute) {
                    let value = decode(&value);
                    if !has_scheme(value.trim()) {
                        found.borrow_mut().push(value);
                    }
                }
                Ok(())
            }));
    }
    let srcset_found = Rc::clone(&found);
    settings =
        settings.append_element_content_handler(element!("[srcset]", move |el: &mut Element| {
            if let Some(value) = el.get_attribute("srcset") {
                for candidate in decode(&value).split(',') {
                    if let Some(url) = candidate.split_whitespace().next() {
                        if !has_scheme(url) {
                            srcset_found.borrow_mut().push(url.to_string());
                        }
                    }
                }
            }
            Ok(())
        }));
    let _ = rewrite_utf8(html, settings);
    let urls = found.borrow().clone();
    urls
}

/// `lol_html::rewrite_str`, with the output collected as bytes and validated once (SIMD)
/// at the end: `rewrite_str` checks every output chunk with the standard library's UTF-8
/// check, which cost 2.5 % of a build on CJK text.
fn rewrite_utf8(html: &str, settings: RewriteStrSettings<'_, '_>) -> Result<String, RewriteError> {
    let settings = lol_html::Settings::from(settings)
        .with_adjust_charset_on_meta_tag(false)
        .with_encoding(lol_html::AsciiCompatibleEncoding::utf_8());
    let mut out = Vec::with_capacity(html.len() + html.len() / 8);
    let mut rewriter = lol_html::HtmlRewriter::new(settings, |chunk: &[u8]| {
        out.extend_from_slice(chunk);
    });
    rewriter.write(html.as_bytes())?;
    rewriter.end()?;
    Ok(match crate::text::utf8(&out) {
        // SAFETY: `text::utf8` has just checked that these bytes are UTF-8.
        Ok(_) => unsafe { String::from_utf8_unchecked(out) },
        // UTF-8 in, UTF-8 out: not expected, but a replacement character beats a panic.
        Err(_) => String::from_utf8_lossy(&out).into_owned(),
    })
}

/// Makes a URL absolute against `base`: `/x`, `//host/x` (base's scheme), `../x`, `x`, `#f`,
/// `?q`. A URL that already has a scheme is kept as written. `None` when it cannot be resolved.
pub fn absolutize(value: &str, base: &Base<'_>) -> Option<String> {
    resolve_url(value, base, Schemes::Any).ok()
}

const UNRESOLVABLE: &str = "not a URL that can be made absolute";

/// [`absolutize`], and the scheme of the result checked: `Err` says why the URL cannot stay.
/// The scheme is the one a browser would see, after the URL parser dropped tabs, newlines and
/// leading controls (`java\tscript:`).
fn resolve_url(value: &str, base: &Base<'_>, schemes: Schemes) -> Result<String, String> {
    let trimmed = value.trim_matches(|c: char| c.is_ascii_whitespace());
    let (url, as_written) = if has_scheme(trimmed) {
        // A plain `http(s)` URL parses, and its scheme passes every check.
        if crate::uri::is_plain_absolute(trimmed) {
            return Ok(trimmed.to_string());
        }
        (Url::parse(trimmed).ok(), true)
    } else {
        // The base is `http(s)`, a scheme every check allows.
        if let Some(joined) = base.join_plain(trimmed) {
            return Ok(joined);
        }
        (base.join(trimmed), false)
    };
    let url = url.ok_or_else(|| UNRESOLVABLE.to_string())?;
    if schemes != Schemes::Any {
        if let Some(why) = scheme_problem(url.scheme(), schemes == Schemes::Safe) {
            // `URL:https://x`: say what the link should have been.
            let meant = trimmed
                .get(4..)
                .filter(|_| url.scheme() == "url")
                .map(str::trim)
                .filter(|rest| rest.starts_with("http://") || rest.starts_with("https://"));
            return Err(match meant {
                Some(meant) => format!("{why}; did you mean {meant}?"),
                None => why,
            });
        }
    }
    Ok(if as_written {
        trimmed.to_string()
    } else {
        String::from(url)
    })
}

/// Resolves each candidate URL of a `srcset` (`a.png 1x, /b.png 2x`), keeping descriptors.
/// Candidates that cannot be resolved are dropped.
pub fn resolve_srcset(srcset: &str, base: &Base<'_>) -> String {
    resolve_srcset_with(srcset, base, Schemes::Any, &mut Vec::new())
}

/// [`resolve_srcset`] with a scheme check; each dropped candidate goes to `dropped` with the
/// reason.
fn resolve_srcset_with(
    srcset: &str,
    base: &Base<'_>,
    schemes: Schemes,
    dropped: &mut Vec<(String, String)>,
) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut rest = srcset;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == ',');
        if rest.is_empty() {
            break;
        }
        let url_end = rest
            .find(|c: char| c.is_ascii_whitespace())
            .unwrap_or(rest.len());
        let mut url = &rest[..url_end];
        rest = &rest[url_end..];
        let mut descriptor = "";
        if url.ends_with(',') {
            url = url.trim_end_matches(',');
        } else {
            let end = rest.find(',').unwrap_or(rest.len());
            descriptor = rest[..end].trim();
            rest = &rest[end..];
        }
        match resolve_url(url, base, schemes) {
            Ok(absolute) => {
                let absolute = srcset_safe(&absolute);
                if descriptor.is_empty() {
                    out.push(absolute);
                } else {
                    out.push(format!("{absolute} {descriptor}"));
                }
            }
            Err(why) => dropped.push((url.to_string(), why)),
        }
    }
    out.join(", ")
}

/// A URL as a `srcset` candidate must be written: no whitespace (it ends the URL) and no
/// trailing comma (it would end the candidate), both percent-encoded.
fn srcset_safe(url: &str) -> String {
    let trimmed = url.trim_end_matches(',');
    let mut out = String::with_capacity(url.len());
    for c in trimmed.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '\t' => out.push_str("%09"),
            '\n' => out.push_str("%0A"),
            '\x0C' => out.push_str("%0C"),
            '\r' => out.push_str("%0D"),
            c => out.push(c),
        }
    }
    for _ in 0..url.len() - trimmed.len() {
        out.push_str("%2C");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The string join gives what the URL parser gives, wherever it answers, on bases and
    /// references built from the characters that make URLs tricky.
    #[test]
    fn plain_joins_are_the_parsers() {
        let bases = [
            "https://news.example.org/",
            "https://news.example.org/a/b/post.html",
            "https://news.example.org/a/b/",
            "http://example.org/%E4%B8%AD/x",
            "https://example.org/a/%2e/b",
            "https://example.org/a/./b",
            "https://example.org/a/../b",
            "https://EXAMPLE.org/a",
            "https://example.org:443/a",
            "https://example.org:8080/a",
            "https://1.2.3.4/a",
            "https://0x7f.1/a",
            "https://example.123/a",
            "https://xn--nxasmq6b.com/a",
            "https://xn--a.example/a",
            "https://xn--ls8h.example/a",
            "https://a..b/a",
            "https://.a/b",
            "https://user@example.org/a",
            "https://example.org/a?q=1",
            "https://example.org/a#f",
            "https://example.org/a b",
            "https://example.org/a%zz",
            "https://example.org",
            "ftp://example.org/a",
            "https://ex-ample.org./p/q",
        ];
        let pieces = [
            "a", "b.jpg", "/", ".", "..", "%2e", "%2E", "%41", "%", "%g1", "?", "#", "q=1", "&",
            "=", ":", "@", "!", "$", "'", "(", ")", "*", "+", ",", ";", "~", "_", "-", " ", "\\",
            "\t", "\"", "<", ">", "`", "{", "}", "|", "^", "[", "]", "中", "//", "é", "\u{7f}",
        ];
        // A small deterministic generator: every reference of up to three pieces is too many.
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        let (mut compared, mut plain) = (0, 0);
        for base_link in bases {
            let base = Base::new(base_link);
            for _ in 0..4000 {
                // Half the references mostly of pieces the plain way accepts (the first 24).
                let from = if next(2) == 0 { 24 } else { pieces.len() };
                let reference: String = (0..1 + next(5)).map(|_| pieces[next(from)]).collect();
                compared += 1;
                if let Some(joined) = base.join_plain(&reference) {
                    plain += 1;
                    let parsed = base.join(&reference).map(String::from);
                    assert_eq!(
                        Some(&joined),
                        parsed.as_ref(),
                        "{base_link} + {reference:?}"
                    );
                }
            }
        }
        // The common cases take the plain way; the test above must have compared many.
        assert!(plain > compared / 40, "{plain} of {compared}");
        // Absolute URLs, each base with a generated tail: a plain one is the parser's own
        // text.
        let (mut absolute, mut plain_absolute) = (0, 0);
        for base_link in bases {
            for _ in 0..4000 {
                let from = if next(2) == 0 { 24 } else { pieces.len() };
                let tail: String = (0..next(4)).map(|_| pieces[next(from)]).collect();
                let url = format!("{base_link}{tail}");
                absolute += 1;
                if crate::uri::is_plain_absolute(&url) {
                    plain_absolute += 1;
                    let parsed = Url::parse(&url).map(String::from);
                    assert_eq!(parsed.as_ref(), Ok(&url), "{url:?}");
                }
            }
        }
        assert!(
            plain_absolute > absolute / 10,
            "{plain_absolute} of {absolute}"
        );
        let base = Base::new("https://news.example.org/2024/01/02/post.html");
        for (reference, joined) in [
            ("/img/a.jpg", "https://news.example.org/img/a.jpg"),
            ("a.jpg", "https://news.example.org/2024/01/02/a.jpg"),
            (
                "a.jpg?w=1#top",
                "https://news.example.org/2024/01/02/a.jpg?w=1#top",
            ),
            ("#top", "https://news.example.org/2024/01/02/post.html#top"),
        ] {
            assert_eq!(base.join_plain(reference).as_deref(), Some(joined));
        }
        for reference in [
            "../a.jpg",
            "./a.jpg",
            "//cdn.example.org/a",
            "a b.jpg",
            "",
            "a\\b",
        ] {
            assert_eq!(base.join_plain(reference), None, "{reference}");
        }
    }

    fn base() -> Base<'static> {
        Base::new("https://news.example.org/blog/cat/2022/02/10/post.html")
    }

    #[test]
    fn urls_become_absolute() {
        let b = base();
        let cases = [
            ("/img/a.png", "https://news.example.org/img/a.png"),
            ("//cdn.example.net/x", "https://cdn.example.net/x"),
            ("../x", "https://news.example.org/blog/cat/2022/02/x"),
            (
                "x.png",
                "https://news.example.org/blog/cat/2022/02/10/x.png",
            ),
            (
                "#fn1",
                "https://news.example.org/blog/cat/2022/02/10/post.html#fn1",
            ),
            ("", "https://news.example.org/blog/cat/2022/02/10/post.html"),
            ("mailto:a@b.c", "mailto:a@b.c"),
            (
                "http://other.example/a?b=1&c=2",
                "http://other.example/a?b=1&c=2",
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(absolutize(input, &b).as_deref(), Some(expected), "{input}");
        }
        assert_eq!(absolutize("http://[::1", &b), None);
    }

    #[test]
    fn markdown_and_raw_html_links_are_rewritten() {
        let md = " <p>段落<img src=\"/a.png\"></p>\n\n<http://finews.example.com/x?a=1&b=2>\n\n[返回](//finews.example.com/c.html)｜[首页](//finews.example.com/)\n";
        let (html, _) = crate::render::markdown::to_html(md);
        let out = rewrite(&html, Some(&base()), None, 1000).unwrap();
        for expected in [
            "src=\"https://news.example.org/a.png\"",
            "href=\"https://finews.example.com/c.html\"",
            "href=\"https://finews.example.com/\"",
            "href=\"http://finews.example.com/x?a=1&amp;b=2\"",
        ] {
            assert!(out.html.contains(expected), "{expected} in {}", out.html);
        }
        assert_eq!(out.first_paragraph(), "段落");
    }

    #[test]
    fn srcset_candidates() {
        assert_eq!(
            resolve_srcset("a.png 1x, /b.png 2x,//c.example/c.png", &base()),
            "https://news.example.org/blog/cat/2022/02/10/a.png 1x, https://news.example.org/b.png 2x, https://c.example/c.png"
        );
    }

    /// The base is parsed only for a relative reference that strings cannot join; one that
    /// is not a URL makes relative references unresolvable and leaves absolute ones as they
    /// are.
    #[test]
    fn the_base_is_parsed_when_a_relative_reference_needs_it() {
        let b = base();
        assert_eq!(
            absolutize("https://e.org/x", &b).as_deref(),
            Some("https://e.org/x")
        );
        assert_eq!(
            absolutize("x.png", &b).as_deref(),
            Some("https://news.example.org/blog/cat/2022/02/10/x.png")
        );
        assert!(b.url.get().is_none());
        assert_eq!(
            absolutize("../x.png", &b).as_deref(),
            Some("https://news.example.org/blog/cat/2022/02/x.png")
        );
        assert!(b.url.get().is_some());
        let not_a_url = Base::new("/blog/post.html");
        assert_eq!(absolutize("x.png", &not_a_url), None);
        assert_eq!(
            absolutize("https://e.org/x", &not_a_url).as_deref(),
            Some("https://e.org/x")
        );
    }

    /// Found by the `url_resolution` fuzz target: a URL that ended in `,` once resolved made
    /// the next descriptor read as a relative URL.
    #[test]
    fn srcset_urls_never_end_the_candidate_early() {
        let base = Base::new("https://example.org/'/");
        assert_eq!(
            resolve_srcset("x.#p[\0,\0\x01\ng", &base),
            "https://example.org/'/x.#p[%00%2C g"
        );
        // Descriptors are kept as written; the URL is whatever precedes the first space.
        assert_eq!(
            resolve_srcset("http://e.org/a b.png 2x", &base),
            "http://e.org/a b.png 2x"
        );
    }

    #[test]
    fn attribute_names_read_from_the_source_are_lol_html_s() {
        for html in [
            "<a HREF=\"/x\" href=/y Data-X='1' srcSet=\"a.png 1x\">t</a>",
            "<img\nsrc=/a.png\talt=\"\" SRC=/b.png/>",
            "<p/class=x/id=y>",
            "<object data=/o type=t>",
            "<div é=\"1\" x:y=z _=1 a-b>",
            "<svg viewBox=\"0 0 1 1\"><use xlink:href=\"#a\"/></svg>",
            "<a href=\"/x\" href=\"/y\">",
        ] {
            let checked = Rc::new(RefCell::new(0));
            let count = Rc::clone(&checked);
            let settings = RewriteStrSettings::new().append_element_content_handler(element!(
                "*",
                move |el: &mut Element| {
                    for attribute in el.attributes() {
                        assert_eq!(attribute_name(attribute, html), attribute.name(), "{html}");
                        *count.borrow_mut() += 1;
                    }
                    Ok(())
                }
            ));
            rewrite_utf8(html, settings).unwrap();
            assert!(*checked.borrow() > 0, "{html}");
        }
    }

    /// A summary made from the cut paragraph is the one made from the whole paragraph, for
    /// text with entities, whitespace runs and CJK at every summary length around its size.
    #[test]
    fn a_summary_from_the_start_of_a_paragraph_is_the_whole_paragraph_s() {
        use crate::text::truncate_chars;
        let text = [
            "中文段落，",
            "word ",
            "  ",
            "\n",
            "\t",
            "\u{3000}",
            "é",
            "x",
            ". ",
        ];
        let entities = [
            "&amp;", "&quot;", "&#0;", "&amp;#0;", "&nbsp;", "&am", "&#x41;",
        ];
        let mut rng = crate::render::markdown::Rng(0xCAFE_F00D);
        let mut cut_short = 0;
        for _ in 0..3_000 {
            let source: String = (0..rng.below(300))
                .map(|_| match rng.below(40) {
                    0 => rng.pick(&entities),
                    _ => rng.pick(&text),
                })
                .collect();
            let rewritten = Rewritten {
                html: String::new(),
                paragraph_source: source.clone(),
                all_source: String::new(),
                warnings: Vec::new(),
            };
            let whole = rewritten.first_paragraph();
            for limit in [1, 2, 7, 40, 100, 200, 400] {
                let start = rewritten.first_paragraph_at_least(limit + 1);
                cut_short += usize::from(start.len() < whole.len());
                assert!(whole.starts_with(&start), "{source:?}");
                assert_eq!(
                    truncate_chars(&start, limit),
                    truncate_chars(&whole, limit),
                    "{source:?} at {limit}"
                );
            }
        }
        assert!(cut_short > 1_000, "{cut_short}");
    }

    #[test]
    fn summary_is_first_paragraph_text() {
        let html = "<h1>Head</h1><p>  </p><p>First <b>bold</b> &amp; more<br>line</p><p>Second</p>";
        let out = rewrite(html, Some(&base()), None, 1000).unwrap();
        assert_eq!(out.first_paragraph(), "First bold & more line");
        assert_eq!(
            plain_text("<b>Tom</b> &amp; <script>x()</script>Jerry"),
            "Tom & Jerry"
        );
    }

    /// Sanitized content and its warnings, as `render` makes them.
    fn sanitized(html: &str) -> (String, Vec<String>) {
        let out = content_html(html, &base(), Some(&Sanitizer::new()), 1000).unwrap();
        (
            out.html,
            out.warnings.into_iter().map(|f| f.message).collect(),
        )
    }

    #[test]
    fn an_unclosed_title_in_prose_keeps_all_the_text() {
        let prose =
            "<p>Every page needs a <title> in its head.</p>\n<p>The rest of a long post.</p>";
        let (html, warnings) = sanitized(prose);
        assert_eq!(
            html,
            "<p>Every page needs a &lt;title> in its head.</p>\n<p>The rest of a long post.</p>"
        );
        assert_eq!(
            warnings,
            ["`<title` is opened but never closed: it is kept as text"]
        );
        // So does a title or an excerpt made plain text.
        assert_eq!(plain_text("About the <title> tag"), "About the <title> tag");
        // The summary reads it too.
        let out = content_html(prose, &base(), Some(&Sanitizer::new()), 1000).unwrap();
        assert_eq!(
            out.first_paragraph(),
            "Every page needs a <title> in its head."
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
        ] {
            let (html, warnings) = sanitized(&format!("<p>Use <{tag}> here.</p><p>After.</p>"));
            assert_eq!(
                html,
                format!("<p>Use &lt;{tag}> here.</p><p>After.</p>"),
                "{tag}"
            );
            assert_eq!(warnings.len(), 1, "{tag}: {warnings:?}");
        }
    }

    #[test]
    fn closed_scripts_and_styles_go_with_their_content_and_say_so() {
        let (html, warnings) = sanitized(
            "<p>a</p><script>\n  alert(1);\n</script><p>b</p><style>p { color: red }</style>",
        );
        assert_eq!(html, "<p>a</p><p>b</p>");
        assert_eq!(
            warnings,
            [
                "removed <script> with its 9 characters of content",
                "removed <style> with its 16 characters of content",
            ]
        );
        // Text the reader would have lost is counted for the other elements too; an empty one
        // goes without a word.
        let (html, warnings) = sanitized(
            "<p>x<title>Tom &amp; Jerry</title></p><svg><circle r=\"1\"/><text>A</text></svg>\
             <noscript><p>Turn on scripts</p></noscript><template><p>t</p></template><svg></svg>",
        );
        assert_eq!(html, "<p>x</p>");
        assert_eq!(
            warnings,
            [
                "removed <title> with its 11 characters of content",
                "removed <svg> with its 1 character of content",
                "removed <noscript> with its 15 characters of content",
                "removed <template> with its 1 character of content",
            ]
        );
        // Removed text is not in the summary either.
        let out = content_html(
            "<p>a<svg><text>svg</text></svg> b</p>",
            &base(),
            Some(&Sanitizer::new()),
            1000,
        )
        .unwrap();
        assert_eq!(out.first_paragraph(), "a b");
    }

    #[test]
    fn url_label_typos_are_reported_and_not_linked() {
        let (html, warnings) = sanitized("<p><a href=\"URL:https://x.example/a\">the site</a></p>");
        assert_eq!(html, "<p><a rel=\"noopener noreferrer\">the site</a></p>");
        assert_eq!(
            warnings,
            ["removed href=\"URL:https://x.example/a\": `URL:` is not a URL scheme (a link pasted \
              with its label?); did you mean https://x.example/a?"]
        );
        // Unsanitized content is trusted, but a label is never a link.
        let out = content_html("<a href=\"url:x\">x</a>", &base(), None, 1000).unwrap();
        assert_eq!(out.html, "<a>x</a>");
        assert_eq!(out.warnings.len(), 1);
    }

    #[test]
    fn script_and_unknown_schemes_are_removed_and_reported() {
        let (html, warnings) = sanitized(
            "<a href=\"javascript:alert(1)\">a</a><a href=\"JaVaScRiPt&#58;alert(2)\">b</a>\
             <a href=\"java&#9;script:alert(3)\">c</a><a href=\"htps://x.example/\">d</a>\
             <blockquote cite=\"vbscript:x\">q</blockquote>\
             <img src=\"data:image/png;base64,AA\" srcset=\"javascript:x 1x, /b.png 2x\">",
        );
        assert_eq!(
            html,
            "<a rel=\"noopener noreferrer\">a</a><a rel=\"noopener noreferrer\">b</a>\
             <a rel=\"noopener noreferrer\">c</a><a rel=\"noopener noreferrer\">d</a>\
             <blockquote>q</blockquote><img srcset=\"https://news.example.org/b.png 2x\">"
        );
        assert_eq!(
            warnings,
            [
                "removed href=\"javascript:alert(1)\": `javascript:` URLs are not allowed in feeds",
                "removed href=\"JaVaScRiPt:alert(2)\": `javascript:` URLs are not allowed in feeds",
                "removed href=\"java\\tscript:alert(3)\": `javascript:` URLs are not allowed in feeds",
                "removed href=\"htps://x.example/\": `htps:` URLs are not allowed in feeds",
                "removed cite=\"vbscript:x\": `vbscript:` URLs are not allowed in feeds",
                "removed src=\"data:image/png;base64,AA\": `data:` URLs are not allowed in feeds",
                "removed \"javascript:x\" from srcset: `javascript:` URLs are not allowed in feeds",
            ]
        );
        // Attributes and elements the sanitizer drops anyway are not reported one by one.
        let (html, warnings) =
            sanitized("<form action=\"javascript:x\"><p background=\"javascript:y\">p</p></form>");
        assert_eq!(html, "<p>p</p>");
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn long_urls_are_shortened_in_messages() {
        let data = format!("data:image/png;base64,{}", "A".repeat(5000));
        let (html, warnings) = sanitized(&format!("<img src=\"{data}\" alt=\"x\">"));
        assert_eq!(html, "<img alt=\"x\">");
        assert_eq!(
            warnings,
            [format!(
                "removed src=\"{}…\": `data:` URLs are not allowed in feeds",
                &data[..100]
            )]
        );
    }

    #[test]
    fn iframe_players_become_links() {
        let (html, warnings) = sanitized(
            "<p>Watch:</p><iframe src=\"//www.youtube.com/embed/x?a=1&amp;b=2\" title=\"A &amp; B\" \
             allowfullscreen></iframe><iframe src=\"/map\">No frames here</iframe>\
             <iframe src=\"javascript:alert(1)\"></iframe><iframe srcdoc=\"x\"></iframe>",
        );
        assert_eq!(
            html,
            "<p>Watch:</p><a href=\"https://www.youtube.com/embed/x?a=1&amp;b=2\" \
             rel=\"noopener noreferrer\">A &amp; B</a><a href=\"https://news.example.org/map\" \
             rel=\"noopener noreferrer\">https://news.example.org/map</a>"
        );
        assert_eq!(
            warnings,
            [
                "replaced <iframe> (an embedded page) with a link to https://www.youtube.com/embed/x?a=1&b=2",
                "replaced <iframe> (an embedded page) with a link to https://news.example.org/map",
                "removed <iframe> with its 14 characters of content",
                "removed <iframe src=\"javascript:alert(1)\">: `javascript:` URLs are not allowed in feeds",
            ]
        );
    }

    /// Flash-era players: an `<object>` (its `data`, or the movie of a `<param>` or `<embed>` in
    /// it) and an `<embed>` become links, with a warning; one with no web address goes, with a
    /// warning too.
    #[test]
    fn object_and_embed_players_become_links() {
        let (html, warnings) = sanitized(
            "<p><object width=\"4\"><param name=\"movie\" value=\"//v.example/x\"><embed \
             src=\"//v.example/x\"></object></p><p><object data=\"/d.swf\"></object></p>\
             <p>Plain: <embed src=\"/y.swf\"> and <embed src=\"data:x\"></p>",
        );
        assert_eq!(
            html,
            "<p><a href=\"https://v.example/x\" rel=\"noopener noreferrer\">https://v.example/x</a></p>\
             <p><a href=\"https://news.example.org/d.swf\" rel=\"noopener noreferrer\">\
             https://news.example.org/d.swf</a></p><p>Plain: <a href=\"https://news.example.org/y.swf\" \
             rel=\"noopener noreferrer\">https://news.example.org/y.swf</a> and </p>"
        );
        assert_eq!(
            warnings,
            [
                "replaced <object> (an embedded player) with a link to https://v.example/x",
                "replaced <object> (an embedded player) with a link to https://news.example.org/d.swf",
                "replaced <embed> (an embedded player) with a link to https://news.example.org/y.swf",
                "removed <embed> (an embedded player with no http(s) address)",
            ]
        );
    }

    #[test]
    fn self_closed_iframes_become_links_too() {
        let (html, warnings) =
            sanitized("<iframe src=\"https://v.example/e\" /><p>The text after it.</p>");
        assert_eq!(
            html,
            "<a href=\"https://v.example/e\" rel=\"noopener noreferrer\">https://v.example/e</a>\
             <p>The text after it.</p>"
        );
        assert_eq!(warnings.len(), 1, "{warnings:?}");
    }

    /// The rewriting pass must end a removed `<svg>`/`<math>` where the HTML parser does, or
    /// URLs in what the sanitizer keeps would stay relative.
    #[test]
    fn html_after_svg_is_resolved_and_kept() {
        for (input, expected, text) in [
            (
                "<svg><p><a href=\"/x\">x</a></p></svg><p>after</p>",
                "<p><a href=\"https://news.example.org/x\" rel=\"noopener noreferrer\">x</a></p><p>after</p>",
                "x after",
            ),
            (
                "<svg><circle/><font color=red><a href=\"y\">y</a></font></svg>",
                "<a href=\"https://news.example.org/blog/cat/2022/02/10/y\" rel=\"noopener noreferrer\">y</a>",
                "y",
            ),
            // Inside an integration point HTML belongs to the removed element.
            (
                "<svg><foreignObject><p><a href=\"/f\">f</a></p></foreignObject></svg><p>z</p>",
                "<p>z</p>",
                "z",
            ),
            ("<math><mi><b>m</b></mi></math><p>z</p>", "<p>z</p>", "z"),
        ] {
            let out = content_html(input, &base(), Some(&Sanitizer::new()), 1000).unwrap();
            assert_eq!(out.html, expected, "{input}");
            assert_eq!(out.all_text(), text, "{input}");
        }
    }

    /// Pieces of hostile and ordinary HTML the property below strings together.
    const PIECES: &[&str] = &[
        "<p>",
        "</p>",
        "<a href=\"javascript:alert(1)\">",
        "<a href=\"/x\" href=\"javascript:y\">",
        "<a href=\"https://e.org/\" rel=\"opener\" onclick=\"z()\">",
        "</a>",
        "<img src=x onerror=y>",
        "<img srcset=\"a.png 1x, javascript:b 2x\">",
        "<script>",
        "</script>",
        "alert(1)",
        "<style>",
        "</style>",
        "<xmp>",
        "</xmp>",
        "<textarea>",
        "</textarea>",
        "<title>",
        "</title>",
        "<svg>",
        "</svg>",
        "<math>",
        "</math>",
        "<mi>",
        "<foreignObject>",
        "<desc>",
        "<iframe src=\"https://v.e/\">",
        "</iframe>",
        "<noscript>",
        "</noscript>",
        "<noembed>",
        "</noembed>",
        "<template>",
        "</template>",
        "<form action=\"javascript:f\">",
        "<input formaction=\"javascript:g\">",
        "<font color=red>",
        "</font>",
        "<div id=i class=c style=\"x\">",
        "</div>",
        "<table>",
        "<td>",
        "</table>",
        "<select>",
        "<option>",
        "<object data=\"javascript:o\">",
        "</object>",
        "<embed src=x>",
        "<b>",
        "</b>",
        "<video poster=\"javascript:p\" src=\"data:v\">",
        "<source src=s>",
        "<blockquote cite=\"vbscript:c\">",
        "<base href=\"https://evil.e/\">",
        "<meta charset=x>",
        "<!-- c -->",
        "<!--",
        "-->",
        "<![CDATA[ d ]]>",
        "<!doctype html>",
        "<?php e ?>",
        "a < b",
        " & ",
        "&amp;",
        "&lt;",
        "\"",
        "'",
        ">",
        "text",
        "文字",
        "<br/>",
        "<p title=\"a>b\">",
        "</",
        "<",
        "<a href=\"URL:https://u.e/\">",
        "<h2 id=\"fn:1\">",
        "<img src=\"java&#x09;script:x\">",
        // Halves of tags that removing a tag between them could join.
        "script>",
        "img src=x onerror=y>",
        "!--",
        "/",
        "a href=\"javascript:j\">",
        "=",
    ];

    /// Every element and attribute name [`PIECES`] can make: what a permissive ammonia keeps.
    const ALL_TAGS: &[&str] = &[
        "p",
        "a",
        "img",
        "script",
        "style",
        "xmp",
        "textarea",
        "title",
        "svg",
        "math",
        "mi",
        "foreignobject",
        "desc",
        "iframe",
        "noscript",
        "noembed",
        "template",
        "form",
        "input",
        "font",
        "div",
        "table",
        "tbody",
        "tr",
        "td",
        "select",
        "option",
        "object",
        "embed",
        "b",
        "video",
        "source",
        "blockquote",
        "base",
        "meta",
        "br",
        "h2",
    ];
    const ALL_ATTRIBUTES: &[&str] = &[
        "href",
        "rel",
        "onclick",
        "src",
        "onerror",
        "srcset",
        "action",
        "formaction",
        "color",
        "id",
        "class",
        "style",
        "data",
        "poster",
        "cite",
        "charset",
        "title",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        /// The one-pass sanitizer leaves nothing that ammonia, parsing its output with
        /// html5ever as a browser would, would remove: same allow-lists, and whatever the
        /// output holds, a permissive ammonia and a strict one read it the same way.
        #[test]
        fn ammonia_finds_nothing_to_remove(pieces in proptest::collection::vec(
            proptest::sample::select(PIECES), 0..24)
        ) {
            let input = pieces.concat();
            let ours = sanitize_fragment(&input);
            let mut strict = ammonia::Builder::default();
            strict
                .add_tags(sanitize::EXTRA_TAGS)
                .add_generic_attributes(["id", "class"])
                .url_schemes(sanitize::ALLOWED_SCHEMES.iter().copied().collect())
                .clean_content_tags(sanitize::REMOVED_WITH_TEXT.iter().copied().collect());
            for (tag, attributes) in sanitize::EXTRA_TAG_ATTRIBUTES {
                strict.add_tag_attributes(tag, attributes.iter());
            }
            let mut permissive = ammonia::Builder::empty();
            permissive
                .tags(ALL_TAGS.iter().copied().chain(sanitize::EXTRA_TAGS.iter().copied()).collect())
                .generic_attributes(ALL_ATTRIBUTES.iter().copied().collect())
                .url_schemes(["http", "https", "javascript", "data", "vbscript", "url", "mailto"].into())
                .clean_content_tags(std::collections::HashSet::new())
                // A CDATA section in `<svg>` that a stray end tag closed is a bogus comment
                // to a browser, and may stay: a comment shows and runs nothing.
                .strip_comments(true)
                .link_rel(None);
            let strict_reading = strict.clean(&ours).to_string();
            let permissive_reading = permissive.clean(&ours).to_string();
            proptest::prop_assert_eq!(&strict_reading, &permissive_reading, "input: {:?}\nours: {:?}", input, ours);
        }
    }
}
