//! Render: Markdown to HTML, every URL made absolute, and a plain-text summary.

use std::borrow::Cow;
use std::cell::RefCell;
use std::rc::Rc;

use lol_html::html_content::{Element, TextChunk, TextType};
use lol_html::{doc_text, element, end_tag, rewrite_str, RewriteStrSettings};
use url::Url;

use crate::config::SiteConfig;
use crate::entry::{BodyFormat, EntryMeta};
use crate::liquid::{self, SiteVariables};
use crate::markdown;
use crate::sanitize::Sanitizer;
use crate::text::{normalize_whitespace, truncate_chars, xml_safe};
use crate::uri::has_scheme;

/// An entry's body, ready for a feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// Full HTML with absolute URLs and no characters XML forbids.
    pub html: String,
    /// Plain text: the front matter excerpt, else the body up to the excerpt separator, else
    /// the first paragraph; cut to length.
    pub summary: String,
}

/// Why a body could not be rendered.
#[derive(Debug, thiserror::Error)]
#[error("cannot rewrite the post's HTML: {0}")]
pub struct RenderError(String);

impl RenderError {
    /// A renderer panicked (a bug in it or in a library it uses).
    pub fn internal() -> Self {
        RenderError("internal error".to_string())
    }
}

/// A body (or part of one) as HTML: Markdown is rendered, HTML is borrowed as it is. The
/// warnings name the kramdown syntax the Markdown renderer dropped or guessed at.
fn body_html(text: &str, format: BodyFormat) -> (Cow<'_, str>, Vec<String>) {
    match format {
        BodyFormat::Markdown => {
            let (html, warnings) = markdown::to_html(text);
            (Cow::Owned(html), warnings)
        }
        BodyFormat::Html => (Cow::Borrowed(text), Vec::new()),
    }
}

/// Renders entries: one per build, shared by the render threads.
#[derive(Debug)]
pub struct Renderer {
    site_variables: SiteVariables,
    summary_length: usize,
    /// `None` when the site turned sanitization off.
    sanitizer: Option<Sanitizer>,
}

impl Renderer {
    pub fn new(site: &SiteConfig) -> Self {
        Renderer {
            site_variables: SiteVariables::new(site),
            summary_length: site.summary_length,
            sanitizer: site.sanitize.then(Sanitizer::new),
        }
    }

    /// Renders an entry: body to HTML, sanitized, URLs resolved against the entry's
    /// permalink, summary. Warnings (URLs that could not be resolved and were dropped) come
    /// back beside it.
    pub fn render(
        &self,
        meta: &EntryMeta,
        body: &str,
    ) -> Result<(Rendered, Vec<String>), RenderError> {
        let summary_length = self.summary_length;
        let body = liquid::expand(body, &self.site_variables);
        let before_separator = meta
            .excerpt_separator
            .as_deref()
            .and_then(|sep| body.split_once(sep))
            .map(|(head, _)| plain_text(&body_html(head, meta.body_format).0))
            .filter(|text| !text.is_empty());
        let (html, markdown_warnings) = body_html(&body, meta.body_format);
        let html = match &self.sanitizer {
            Some(sanitizer) => Cow::Owned(sanitizer.clean(&html)),
            None => html,
        };
        let base = Url::parse(&meta.link).map_err(|e| RenderError(e.to_string()))?;
        let rewritten = rewrite(
            &html,
            Some(&base),
            summary_length.saturating_mul(4).max(400),
        )?;
        let mut warnings = markdown_warnings;
        warnings.extend(rewritten.warnings);
        let summary_text = match (&meta.excerpt, before_separator) {
            (Some(excerpt), _) => excerpt.clone(),
            (None, Some(text)) => text,
            (None, None) if !rewritten.first_paragraph.is_empty() => rewritten.first_paragraph,
            (None, None) => rewritten.all_text,
        };
        Ok((
            Rendered {
                html: xml_safe(&rewritten.html).into_owned(),
                summary: xml_safe(&truncate_chars(&summary_text, summary_length)).into_owned(),
            },
            warnings,
        ))
    }
}

/// The text of an HTML fragment, entities decoded and whitespace collapsed.
pub fn plain_text(html: &str) -> String {
    rewrite(html, None, usize::MAX)
        .map(|r| r.all_text)
        .unwrap_or_else(|_| normalize_whitespace(html))
}

struct Rewritten {
    html: String,
    first_paragraph: String,
    all_text: String,
    warnings: Vec<String>,
}

#[derive(Default)]
struct TextState {
    in_paragraph: bool,
    paragraph: String,
    paragraph_done: bool,
    all: String,
    all_limit: usize,
    warnings: Vec<String>,
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

/// Elements that separate blocks of text.
const BLOCK_ELEMENTS: &str = "p, div, br, li, h1, h2, h3, h4, h5, h6, blockquote, pre, tr, td, th, dt, dd, figcaption, section, article, header, footer, hr, table, ul, ol";

/// One pass over the HTML: resolve URLs against `base` (when given) and collect text.
fn rewrite(html: &str, base: Option<&Url>, text_limit: usize) -> Result<Rewritten, RenderError> {
    let state = Rc::new(RefCell::new(TextState {
        all_limit: text_limit,
        ..TextState::default()
    }));
    let mut settings = RewriteStrSettings::new()
        .with_strict(false)
        .with_enable_esi_tags(false);

    // One handler for every element rather than one selector per attribute and block tag:
    // compiling ~35 selectors for every entry cost more than the rewriting itself.
    let base = base.cloned();
    let element_state = Rc::clone(&state);
    settings = settings.append_element_content_handler(element!("*", move |el: &mut Element| {
        if let Some(base) = &base {
            let tag = el.tag_name();
            let mut s = element_state.borrow_mut();
            for &(selector, attribute) in URL_ATTRIBUTES {
                // `object[data]`: `data` is a URL only on <object>.
                if selector.starts_with("object") && tag != "object" {
                    continue;
                }
                if el.has_attribute(attribute) {
                    resolve_attribute(el, attribute, base, &mut s.warnings);
                }
            }
            if let Some(raw) = el.get_attribute("srcset") {
                let resolved = resolve_srcset(&decode(&raw), base);
                if el
                    .set_attribute("srcset", &encode_attribute(&resolved))
                    .is_err()
                {
                    s.warnings.push("could not rewrite a srcset".into());
                }
            }
        }
        let tag = el.tag_name();
        if !BLOCK_ELEMENTS.split(", ").any(|b| b == tag) {
            return Ok(());
        }
        let mut s = element_state.borrow_mut();
        if s.all.len() < s.all_limit {
            s.all.push(' ');
        }
        // `a<br>b` inside the first paragraph is two words.
        if s.in_paragraph && !s.paragraph_done {
            s.paragraph.push(' ');
        }
        if tag == "p" {
            if s.in_paragraph && !s.paragraph.trim().is_empty() {
                s.paragraph_done = true;
            }
            if !s.paragraph_done {
                s.in_paragraph = true;
                s.paragraph.clear();
            }
            let end_state = Rc::clone(&element_state);
            drop(s);
            if let Some(handlers) = el.end_tag_handlers() {
                handlers.push(end_tag!(move |_end| {
                    let mut s = end_state.borrow_mut();
                    s.in_paragraph = false;
                    if !s.paragraph.trim().is_empty() {
                        s.paragraph_done = true;
                    }
                    Ok(())
                }));
            }
        }
        Ok(())
    }));

    let text_state = Rc::clone(&state);
    settings = settings.append_document_content_handler(doc_text!(move |t: &mut TextChunk| {
        if t.text_type() != TextType::Data {
            return Ok(());
        }
        let mut s = text_state.borrow_mut();
        let chunk = t.as_str();
        if s.in_paragraph && !s.paragraph_done {
            s.paragraph.push_str(chunk);
        }
        if s.all.len() < s.all_limit {
            s.all.push_str(chunk);
        }
        Ok(())
    }));

    let html = rewrite_str(html, settings).map_err(|e| RenderError(e.to_string()))?;
    let mut s = state.borrow_mut();
    Ok(Rewritten {
        html,
        first_paragraph: normalize_whitespace(&decode(&s.paragraph)),
        all_text: normalize_whitespace(&decode(&s.all)),
        warnings: std::mem::take(&mut s.warnings),
    })
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

/// `&` must be written `&amp;` in an attribute; lol_html escapes `"` itself.
fn encode_attribute(value: &str) -> String {
    value.replace('&', "&amp;")
}

fn resolve_attribute(el: &mut Element, attribute: &str, base: &Url, warnings: &mut Vec<String>) {
    let Some(raw) = el.get_attribute(attribute) else {
        return;
    };
    let value = decode(&raw);
    match absolutize(&value, base) {
        Some(absolute) if absolute == value => {}
        Some(absolute) => {
            if el
                .set_attribute(attribute, &encode_attribute(&absolute))
                .is_err()
            {
                el.remove_attribute(attribute);
            }
        }
        None => {
            warnings.push(format!(
                "removed {attribute}={value:?}: not a URL that can be made absolute"
            ));
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
    let _ = rewrite_str(html, settings);
    let urls = found.borrow().clone();
    urls
}

/// Makes a URL absolute against `base`: `/x`, `//host/x` (base's scheme), `../x`, `x`, `#f`,
/// `?q`. A URL that already has a scheme is kept as written. `None` when it cannot be resolved.
pub fn absolutize(value: &str, base: &Url) -> Option<String> {
    let trimmed = value.trim_matches(|c: char| c.is_ascii_whitespace());
    if has_scheme(trimmed) {
        return Url::parse(trimmed).ok().map(|_| trimmed.to_string());
    }
    base.join(trimmed).ok().map(String::from)
}

/// Resolves each candidate URL of a `srcset` (`a.png 1x, /b.png 2x`), keeping descriptors.
/// Candidates that cannot be resolved are dropped.
pub fn resolve_srcset(srcset: &str, base: &Url) -> String {
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
        if let Some(absolute) = absolutize(url, base).map(|u| srcset_safe(&u)) {
            if descriptor.is_empty() {
                out.push(absolute);
            } else {
                out.push(format!("{absolute} {descriptor}"));
            }
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

    fn base() -> Url {
        Url::parse("https://news.example.org/blog/cat/2022/02/10/post.html").unwrap()
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
        let (html, _) = markdown::to_html(md);
        let out = rewrite(&html, Some(&base()), 1000).unwrap();
        for expected in [
            "src=\"https://news.example.org/a.png\"",
            "href=\"https://finews.example.com/c.html\"",
            "href=\"https://finews.example.com/\"",
            "href=\"http://finews.example.com/x?a=1&amp;b=2\"",
        ] {
            assert!(out.html.contains(expected), "{expected} in {}", out.html);
        }
        assert_eq!(out.first_paragraph, "段落");
    }

    #[test]
    fn srcset_candidates() {
        assert_eq!(
            resolve_srcset("a.png 1x, /b.png 2x,//c.example/c.png", &base()),
            "https://news.example.org/blog/cat/2022/02/10/a.png 1x, https://news.example.org/b.png 2x, https://c.example/c.png"
        );
    }

    /// Found by the url_resolution fuzz target: a URL that ended in `,` once resolved made
    /// the next descriptor read as a relative URL.
    #[test]
    fn srcset_urls_never_end_the_candidate_early() {
        let base = Url::parse("https://example.org/'/").unwrap();
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
    fn summary_is_first_paragraph_text() {
        let html = "<h1>Head</h1><p>  </p><p>First <b>bold</b> &amp; more<br>line</p><p>Second</p>";
        let out = rewrite(html, Some(&base()), 1000).unwrap();
        assert_eq!(out.first_paragraph, "First bold & more line");
        assert_eq!(
            plain_text("<b>Tom</b> &amp; <script>x()</script>Jerry"),
            "Tom & Jerry"
        );
    }
}
