//! The fast path for Markdown that is only one-line paragraphs of plain text, inline links
//! and `<http://…>` autolinks: the tail scraped posts end with (a source link, then
//! `[返回](…)｜[首页](…)`). Setting up comrak, the kramdown layers and the tree pass costs
//! far more than such a tail; it is written here directly, byte for byte as they write it
//! (the tests below run both on generated tails and compare them).
//!
//! Only what no reading can take for anything else fires:
//! - each paragraph is one line, with blank (empty) lines between: no soft breaks, no lazy
//!   continuation, no setext underline, nothing indented;
//! - text is ASCII letters, digits, `,`, `/`, `?` and single spaces (none at either end of a
//!   line), and non-ASCII characters but whitespace, controls and the private-use area (the
//!   kramdown layer's placeholders): no ASCII punctuation that Markdown, kramdown or the
//!   typography reads, nothing HTML escapes, no line that starts a list, heading or block;
//! - a link is `[text](url)` with such text, an autolink `<http://url>` or `<https://url>`,
//!   and a URL only ASCII letters, digits and `-_./:?=#,` (written as it stands by comrak's
//!   `escape_href`; no `&`, `%`, spaces or brackets).

/// The HTML the parser would write for `markdown`, when it is such a tail.
pub(super) fn render(markdown: &str) -> Option<String> {
    let mut html = String::new();
    render_into(markdown, &mut html).then_some(html)
}

/// [`render`] appended to `html` (the leading HTML): true when it fired, else `html` is left
/// as it was.
pub(super) fn render_into(markdown: &str, html: &mut String) -> bool {
    let start = html.len();
    let fired = paragraphs(markdown, html).is_some() && html.len() > start;
    if !fired {
        html.truncate(start);
    }
    fired
}

fn paragraphs(markdown: &str, html: &mut String) -> Option<()> {
    let mut prev_blank = true;
    for line in markdown.split('\n') {
        if line.is_empty() {
            prev_blank = true;
            continue;
        }
        if !prev_blank {
            return None;
        }
        prev_blank = false;
        html.push_str("<p>");
        inline(line, html)?;
        html.push_str("</p>\n");
    }
    Some(())
}

/// One paragraph's content, written to `html`; `None` if it holds anything else.
fn inline(line: &str, html: &mut String) -> Option<()> {
    let bytes = line.as_bytes();
    if bytes.first() == Some(&b' ') || bytes.last() == Some(&b' ') || line.contains("  ") {
        return None;
    }
    let mut i = 0;
    while i < line.len() {
        match bytes[i] {
            b'[' => {
                let text_len = text_run(&line[i + 1..]);
                let text = &line[i + 1..i + 1 + text_len];
                let rest = line[i + 1 + text_len..].strip_prefix("](")?;
                let url_len = url_run(rest);
                if text.is_empty() || url_len == 0 || rest.as_bytes().get(url_len) != Some(&b')') {
                    return None;
                }
                let url = &rest[..url_len];
                push_link(html, url, text);
                i += 1 + text_len + 2 + url_len + 1;
            }
            b'<' => {
                let rest = &line[i + 1..];
                let after_scheme = rest
                    .strip_prefix("http://")
                    .or_else(|| rest.strip_prefix("https://"))?;
                let url_len = rest.len() - after_scheme.len() + url_run(after_scheme);
                if url_len == rest.len() - after_scheme.len()
                    || rest.as_bytes().get(url_len) != Some(&b'>')
                {
                    return None;
                }
                let url = &rest[..url_len];
                push_link(html, url, url);
                i += 1 + url_len + 1;
            }
            _ => {
                let len = text_run(&line[i..]);
                if len == 0 {
                    return None;
                }
                html.push_str(&line[i..i + len]);
                i += len;
            }
        }
    }
    Some(())
}

fn push_link(html: &mut String, url: &str, text: &str) {
    html.push_str("<a href=\"");
    html.push_str(url);
    html.push_str("\">");
    html.push_str(text);
    html.push_str("</a>");
}

/// The length of the plain text at the start of `s`.
fn text_run(s: &str) -> usize {
    s.char_indices()
        .find(|&(_, c)| !is_text_char(c))
        .map_or(s.len(), |(at, _)| at)
}

fn is_text_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || matches!(c, ' ' | ',' | '/' | '?')
    } else {
        !c.is_whitespace() && !c.is_control() && !('\u{E000}'..='\u{F8FF}').contains(&c)
    }
}

/// The length of the URL at the start of `s`.
fn url_run(s: &str) -> usize {
    s.bytes()
        .take_while(|&b| {
            b.is_ascii_alphanumeric()
                || matches!(
                    b,
                    b'-' | b'_' | b'.' | b'/' | b':' | b'?' | b'=' | b'#' | b','
                )
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::markdown::{parse_and_render, to_html, Rng};

    /// Pieces of a line: mostly ones the fast path takes, and ones that look like them.
    const PIECES: &[&str] = &[
        "返回",
        "首页",
        "｜",
        "新闻，“内容”……",
        "text",
        "Text 42",
        " ",
        "  ",
        ",",
        "/",
        "?",
        "1.",
        "1)",
        "- ",
        "* ",
        "+ ",
        "# ",
        "> ",
        ": ",
        "|",
        "\t",
        "\u{3000}",
        "\u{A0}",
        "\u{E000}0\u{E001}",
        "\u{FFFD}",
        "\0",
        "\r",
        "é",
        "\"q\"",
        "'s",
        "--",
        "...",
        "<<",
        "&amp;",
        "&",
        "*em*",
        "_u_",
        "~s~",
        "$x$",
        "{: .x}",
        "{:toc}",
        "`c`",
        "\\",
        "!",
        "[返回](//www.example-news.cn/a/)",
        "[首页](//www.example-news.cn/)",
        "[x](http://e.org/a?b=c#d)",
        "[x](/a_b-c.html)",
        "[x]( /a)",
        "[x](/a b)",
        "[x](</a>)",
        "[x](/a \"t\")",
        "[x](/a%20b)",
        "[x](/a&b)",
        "[x](/a(b))",
        "[x]()",
        "[](/a)",
        "[x]",
        "[x][y]",
        "[^1]",
        "[x]:",
        "![x](/a.png)",
        "[a [b]](/c)",
        "[*x*](/a)",
        "[x.y](/a)",
        "<http://www.example-news.cn/fangchan/9736.html>",
        "<https://e.org/a?b=c#d>",
        "<http://>",
        "<https://e.org/a b>",
        "<https://e.org/é>",
        "<http://e.org/a&b>",
        "<ftp://e.org/>",
        "<mailto:a@e.org>",
        "<a@e.org>",
        "<http:/e.org>",
        "<p>",
        "<span>x</span>",
        "<HTTP://E.ORG/>",
    ];

    /// Links the fast path takes.
    const LINKS: &[&str] = &[
        "[返回](//www.example-news.cn/a/)",
        "[首页](//www.example-news.cn/)",
        "[x](http://e.org/a?b=c#d)",
        "<http://www.example-news.cn/fangchan/9736.html>",
        "<https://e.org/a_b-c,d.html?b=c#d>",
    ];

    fn tail(rng: &mut Rng) -> String {
        let mut out = String::new();
        if rng.below(3) == 0 {
            out.push('\n');
        }
        for _ in 0..1 + rng.below(4) {
            for _ in 0..1 + rng.below(5) {
                // Mostly the pieces the fast path takes, so that it often fires.
                let piece = if rng.below(3) == 0 {
                    rng.pick(PIECES)
                } else {
                    PIECES[rng.below(7)]
                };
                out.push_str(piece);
                if rng.below(4) == 0 {
                    out.push_str(rng.pick(LINKS));
                }
            }
            out.push_str(rng.pick(&["\n\n", "\n\n", "\n\n\n", "\n", "\r\n\r\n", "\n \n"]));
        }
        if rng.below(4) == 0 {
            while out.ends_with('\n') {
                out.pop();
            }
        }
        out
    }

    #[test]
    fn fast_path_agrees_with_the_parser() {
        let mut rng = Rng(0xFEED_5EED);
        let mut fired = 0;
        const TAILS: usize = 60_000;
        for _ in 0..TAILS {
            let md = tail(&mut rng);
            let Some(html) = render(&md) else { continue };
            fired += 1;
            assert_eq!((html, Vec::new()), parse_and_render(&md), "tail: {md:?}");
        }
        assert!(fired > TAILS / 20, "fired on {fired} of {TAILS}");
    }

    #[test]
    fn fast_path_takes_corpus_tails() {
        for k in 0..500 {
            let md = format!(
                "\n<http://www.example-news.cn/fangchan/{k}.html>\n\n[返回](//www.example-news.cn/fangchan/)｜[首页](//www.example-news.cn/)\n"
            );
            let html = render(&md).expect("fires");
            assert_eq!((html, Vec::new()), parse_and_render(&md), "{md:?}");
            let body = format!("<p>新闻，“内容”……</p>\n <p>x</p>\n{md}");
            assert_eq!(to_html(&body), parse_and_render(&body), "{body:?}");
        }
    }

    #[test]
    fn what_is_not_a_simple_tail_takes_the_slow_path() {
        for md in [
            "",
            "\n\n",
            "a\nb\n",
            " a\n",
            "a \n",
            "    a\n",
            "1. a\n",
            "a *b*\n",
            "[x](/a b)\n",
            "<ftp://e.org/>\n",
            "a\r\n",
        ] {
            assert!(render(md).is_none(), "{md:?}");
        }
    }
}
