//! The fast path for HTML that Markdown leaves alone. Scraped posts are mostly raw HTML block
//! lines (` <p>…</p>`, one element per line) with a little Markdown after them; comrak and
//! the kramdown layers write such blocks back line for line. The leading run of them is
//! copied out as it is, and only the rest goes through the parser: the same bytes and the same
//! warnings (the tests below run both paths on generated bodies and compare them).
//!
//! A line belongs to the run only when every reading agrees it is plain HTML:
//! - CommonMark: at most 3 spaces, then a start or end tag of a block element (an HTML block
//!   of type 6, which ends at the first blank line and is written out verbatim);
//! - `kramdown::prepare`: it starts an HTML block there too (`is_html_start`), so the lines
//!   are passed through untouched;
//! - `join_html_blocks`: the line opens and closes no region and holds no `<pre>`-like
//!   element, so nothing before or after it is joined to it;
//! - the tree pass: no `markdown` (its `markdown="1"` switch is removed from HTML blocks);
//! - no NUL (comrak makes it U+FFFD) and no carriage return but one ending the line (comrak
//!   ends a line there; `str::lines` drops it before `\n`).
//!
//! The run ends after a blank line (or at the end of the text), where every reading is back
//! to where it starts a document: the rest renders alone exactly as it renders after the run.
//! What is document-wide (reference and footnote definitions, abbreviations, attribute list
//! definitions, heading ids, `{::options}`) reads text, never HTML blocks, except
//! `parse_block_html`, whose bodies never take this path.

use std::sync::LazyLock;

use super::html_blocks::leaves_nothing_open;
use super::kramdown::is_html_start;

/// The element names that start an HTML block of type 6 (comrak's `blocktagname`, any case),
/// sorted (they are looked up by binary search).
const BLOCK_TAGS: &[&str] = &[
    "address",
    "article",
    "aside",
    "base",
    "basefont",
    "blockquote",
    "body",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "iframe",
    "legend",
    "li",
    "link",
    "main",
    "menu",
    "menuitem",
    "nav",
    "noframes",
    "ol",
    "optgroup",
    "option",
    "p",
    "param",
    "search",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "track",
    "ul",
];

/// The HTML of the leading run of plain HTML blocks, and the offset where the rest of the
/// text starts; `None` when there is no such run.
pub(super) fn leading_blocks(markdown: &str) -> Option<(String, usize)> {
    let (html, rest) = run_of_blocks(markdown)?;
    // `{::options parse_block_html="true" /}` reads HTML blocks as Markdown. It stands on a
    // line of its own, so never in the run (each of its lines starts with a tag): only the
    // rest need be searched.
    let option = PARSE_BLOCK_HTML.find(&markdown.as_bytes()[rest..]);
    option.is_none().then_some((html, rest))
}

/// Searches the rest of every post: built once (building a searcher per search cost more
/// than most searches).
static PARSE_BLOCK_HTML: LazyLock<memchr::memmem::Finder<'static>> =
    LazyLock::new(|| memchr::memmem::Finder::new("parse_block_html"));

/// Searches every line of the run: built once.
static MARKDOWN: LazyLock<memchr::memmem::Finder<'static>> =
    LazyLock::new(|| memchr::memmem::Finder::new("markdown"));

/// [`leading_blocks`] but for `parse_block_html`.
fn run_of_blocks(markdown: &str) -> Option<(String, usize)> {
    let bytes = markdown.as_bytes();
    let mut html = String::new();
    let mut pos = 0;
    // Where the run can end: after the last blank line so far, and the HTML written by then.
    let mut run_end = 0;
    let mut run_html = 0;
    while pos < bytes.len() {
        let end = memchr::memchr(b'\n', &bytes[pos..]).map_or(bytes.len(), |e| pos + e + 1);
        let raw = &markdown[pos..end];
        let line = match raw.strip_suffix('\n') {
            Some(line) => line.strip_suffix('\r').unwrap_or(line),
            None => raw,
        };
        pos = end;
        if line.bytes().all(|b| b == b' ' || b == b'\t') {
            run_end = pos;
            run_html = html.len();
            continue;
        }
        if !is_plain_block_line(line) {
            html.truncate(run_html);
            return (run_end > 0).then_some((html, run_end));
        }
        if html.capacity() == 0 {
            // Room for a short Markdown tail's HTML too (`simple_tail` appends it here): growing
            // the buffer then would copy the whole run.
            html.reserve(markdown.len() + 512);
        }
        html.push_str(line);
        html.push('\n');
    }
    Some((html, bytes.len()))
}

/// A line that every reading takes as plain HTML (see the module docs).
fn is_plain_block_line(line: &str) -> bool {
    let trimmed = line.trim_start_matches(' ');
    if line.len() - trimmed.len() > 3 {
        return false;
    }
    let bytes = trimmed.as_bytes();
    let Some(rest) = bytes.strip_prefix(b"<") else {
        return false;
    };
    let rest = rest.strip_prefix(b"/").unwrap_or(rest);
    let name_len = rest
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    let name = &rest[..name_len];
    let lowercase_order = |tag: &&str| {
        let tag = tag.as_bytes().iter().copied();
        tag.cmp(name.iter().map(u8::to_ascii_lowercase))
    };
    if BLOCK_TAGS.binary_search_by(lowercase_order).is_err() {
        return false;
    }
    let ends_name = match rest.get(name_len) {
        None | Some(b' ' | b'\t' | b'>') => true,
        Some(b'/') => rest.get(name_len + 1) == Some(&b'>'),
        Some(_) => false,
    };
    ends_name
        && is_html_start(trimmed)
        && memchr::memchr2(b'\0', b'\r', bytes).is_none()
        && MARKDOWN.find(bytes).is_none()
        && leaves_nothing_open(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_tags_are_sorted_for_binary_search() {
        assert!(BLOCK_TAGS.windows(2).all(|w| w[0] < w[1]));
        assert!(is_plain_block_line("<DIV>x</DIV>"));
        assert!(is_plain_block_line("<P>x</p>"));
        assert!(!is_plain_block_line("<span>x</span>"));
    }
    use crate::render::markdown::{parse_and_render, to_html, Rng};

    /// Lines the fast path may take, and lines that look like them but are read otherwise.
    const HTML_LINES: &[&str] = &[
        "<p>一段话，“引号”和 -- 破折号...</p>",
        "<p>a &amp; b &copy; &#8617; \"quoted\" 'single' -- ... <b>x</b></p>",
        "<p><img src=\"/uploads/a b.jpg\" alt=\"图\"></p>",
        "<P CLASS=\"x\">Upper</P>",
        "<div class=\"box\">inline</div>",
        "<div>",
        "</div>",
        "<p>unclosed paragraph",
        "</p>",
        "<li>item</li>",
        "<li>open item",
        "<ul><li>a</li><li>b</li></ul>",
        "<table><tr><td>1</td></tr></table>",
        "<h2>Heading</h2>",
        "<h2 id=\"x\">Heading {#id}</h2>",
        "<hr/>",
        "<hr>",
        "<p/>",
        "<br>",
        "<span>inline</span>",
        "<em>*not emphasis*</em>",
        "<img src=\"/a.png\">",
        "<pre>",
        "</pre>",
        "<pre>x</pre>",
        "<p>a <pre>b</pre></p>",
        "<script>var a = 1 < 2;</script>",
        "<style>p { color: red }</style>",
        "<textarea>t</textarea>",
        "<!-- comment -->",
        "<!-- open comment",
        "-->",
        "<?php x ?>",
        "<![CDATA[ x ]]>",
        "<!DOCTYPE html>",
        "<div markdown=\"1\">",
        "<p markdown=\"1\">*md*</p>",
        "<p MARKDOWN=\"1\">x</p>",
        "<p>the word markdown</p>",
        "<http://example.com/a>",
        "<https://example.com/a>",
        "<me@example.com>",
        "<p:x>colon</p:x>",
        "<div\tclass=\"a:b\">tab</div>",
        "<p\tclass=\"a\">tab</p>",
        "<p>{: .x} in html</p>",
        "<p>{::comment}x{:/comment}</p>",
        "<p>*[HTML]: abbr</p>",
        "<p>| a | b |</p>",
        "<p>$$x$$</p>",
        "<p>[^1] and [x]</p>",
        "<p>\u{E000}0\u{E001}</p>",
        "<p>nul \0 here</p>",
        "<p>cr \r inside</p>",
        "<p>~one~ ~~two~~</p>",
        "<p>```</p>",
        "<figure><img src=x></figure>",
        "<section>",
        "</section>",
        "<blockquote>q</blockquote>",
        "<center>c</center>",
        "<dd>d</dd><dt>t</dt>",
        "<iframe src=\"x\"></iframe>",
        "<details><summary>s</summary></details>",
        "<search>s</search>",
        "<p>a</p><div>",
        "<p>a</p></div>",
        "<div></ul>",
        "<li><ul>",
        "<p",
        "<p/x>",
        "<pp>not a block</pp>",
        "<h7>no</h7>",
    ];

    const MARKDOWN_LINES: &[&str] = &[
        "Some *text* with \"quotes\" -- and...",
        "**bold**tail and **Note:**tested",
        "# Heading",
        "## Heading {#custom}",
        "## Skipped {: .no_toc}",
        "* item",
        "1. item",
        "> quote",
        "> <p>html in quote</p>",
        "{: .x}",
        "{: #y .z}",
        "{:toc}",
        "{:ref: .defined}",
        "{: ref}",
        "{::options auto_ids=\"false\" /}",
        "{::options footnote_nr=\"5\" /}",
        "{::options hard_wrap=\"true\" /}",
        "{::options parse_block_html=\"true\" /}",
        "{::comment}",
        "{:/comment}",
        "{::nomarkdown}<b>raw</b>{:/nomarkdown}",
        "*[HTML]: Hyper Text Markup Language",
        "HTML and <p>inline</p> text",
        "| a | b |",
        "|---|---|",
        "[x]: /url",
        "[x] and [y][x]",
        "[^1]",
        "[^1]: The note.",
        "```",
        "~~~",
        "    indented code",
        "\tcode after a tab",
        "$$x^2$$",
        "term",
        ": definition",
        "---",
        "===",
        "![img](/a b.png)",
        "<http://example.com/auto>",
        "[返回](//x.example/)｜[首页](//x.example/)",
        "&copy; &amp; &#169;",
        "3~5天 ~~删~~",
        "A {: .x} in the middle.",
    ];

    fn body(rng: &mut Rng) -> String {
        let mut out = String::new();
        let lines = 1 + rng.below(14);
        for _ in 0..lines {
            match rng.below(10) {
                0..=1 => {}
                2..=3 => out.push_str(rng.pick(MARKDOWN_LINES)),
                _ => {
                    // Mostly plain HTML lines, so that the fast path often fires.
                    let line = if rng.below(3) == 0 {
                        rng.pick(HTML_LINES)
                    } else {
                        rng.pick(&[
                            "<p>一段话。</p>",
                            "<p><img src=\"/uploads/x.jpg\" alt=\"图\"></p>",
                            "<p>a <b>b</b> &amp; \"c\"</p>",
                            "<div>d</div>",
                            "<h3>h</h3>",
                        ])
                    };
                    let indent = match rng.below(8) {
                        0 => "\t",
                        1 => "    ",
                        2 => "  \t",
                        _ => &"   "[..rng.below(4)],
                    };
                    out.push_str(indent);
                    out.push_str(line);
                }
            }
            match rng.below(12) {
                0 => out.push_str("  "),
                1 => out.push('\t'),
                2 => out.push_str(" \u{3000}"),
                _ => {}
            }
            match rng.below(14) {
                0 => out.push_str("\r\n"),
                1 => out.push_str("\n \n"),
                2 => out.push_str("\n\t\n"),
                3 => out.push('\r'),
                4..=6 => out.push_str("\n\n"),
                _ => out.push('\n'),
            }
        }
        if rng.below(6) == 0 {
            out.pop();
        }
        out
    }

    /// Corpus-shaped: HTML paragraphs (one element per line, indented one space after the
    /// first), an image, then a Markdown tail (as examples/gen_corpus.rs writes them).
    fn corpus_body(rng: &mut Rng) -> String {
        let mut body = String::new();
        for k in 0..3 + rng.below(20) {
            body.push_str(if k == 0 { "<p>" } else { " <p>" });
            body.push_str(&"新闻，“内容”……".repeat(1 + rng.below(10)));
            body.push_str("</p>\n");
            if k == 2 {
                body.push_str(" <p><img src=\"/uploads/2020/01/0.jpg\" alt=\"图。\"></p>\n");
            }
        }
        body.push_str("\n<http://www.example-news.cn/a/0.html>\n\n[返回](//www.example-news.cn/a/)｜[首页](//www.example-news.cn/)\n");
        body
    }

    #[test]
    fn fast_path_agrees_with_the_parser() {
        let mut rng = Rng(0x5EED_F00D);
        let (mut fired, mut whole) = (0, 0);
        const BODIES: usize = 40_000;
        for _ in 0..BODIES {
            let md = body(&mut rng);
            let Some((_, rest)) = leading_blocks(&md) else {
                continue;
            };
            fired += 1;
            whole += usize::from(rest == md.len());
            assert_eq!(to_html(&md), parse_and_render(&md), "body: {md:?}");
        }
        // Both branches are exercised: the whole body, and a run then the parsed rest.
        assert!(fired > BODIES / 10, "fired on {fired} of {BODIES}");
        assert!(whole > BODIES / 100, "whole body {whole} times");
        assert!(
            fired - whole > BODIES / 100,
            "run then rest {} times",
            fired - whole
        );
    }

    #[test]
    fn fast_path_takes_corpus_shaped_bodies() {
        let mut rng = Rng(42);
        for _ in 0..200 {
            let md = corpus_body(&mut rng);
            let (html, rest) = leading_blocks(&md).expect("fires");
            // Everything up to the Markdown tail.
            assert_eq!(&md[rest..], &md[md.find("<http:").unwrap()..]);
            assert_eq!(html.len(), md.find("\n\n").unwrap() + 1);
            assert_eq!(to_html(&md), parse_and_render(&md));
        }
    }

    #[test]
    fn what_is_not_plain_html_takes_the_slow_path() {
        for md in [
            "<div>\n\n    <p>x</p>\n</div>\n",
            "<p>a\n\n    b</p>\n",
            "<pre>\n  x\n</pre>\n",
            "<div markdown=\"1\">\n*x*\n</div>\n",
            "{::options parse_block_html=\"true\" /}\n\n<div>\n*x*\n</div>\n",
            "    <p>code</p>\n",
            "\t<p>code</p>\n",
            "<span>x</span>\n",
            "<!-- c -->\n",
            "<http://example.com/>\n",
            "Text\n",
        ] {
            assert!(leading_blocks(md).is_none(), "{md:?}");
            assert_eq!(to_html(md), parse_and_render(md), "{md:?}");
        }
    }
}
