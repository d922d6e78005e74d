//! Markdown to HTML, reading raw HTML blocks the way Jekyll's kramdown does.
//!
//! CommonMark ends a raw HTML block at the first blank line and reads what follows as
//! Markdown, so indented HTML after a blank line inside a `<div>` becomes a code block.
//! kramdown keeps everything up to the matching end tag as HTML. Scraped posts are full of
//! indented, blank-line-separated HTML, so before parsing, each balanced HTML block region is
//! made into one CommonMark HTML block: its blank lines dropped and its lines un-indented.

use std::borrow::Cow;

use pulldown_cmark::{Options, Parser};

/// Markdown as CommonMark plus the GitHub extensions readers expect; raw HTML passes through.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
}

/// Renders a Markdown body (with raw HTML) to HTML.
pub fn to_html(markdown: &str) -> String {
    let markdown = join_html_blocks(markdown);
    let mut html = String::with_capacity(markdown.len() + markdown.len() / 4);
    pulldown_cmark::html::push_html(&mut html, Parser::new_ext(&markdown, options()));
    html
}

/// Container elements whose start and end tags are counted. `p` and `li` are left out on
/// purpose: scraped HTML often leaves them unclosed, which would swallow the Markdown after.
const CONTAINERS: &[&str] = &[
    "div",
    "table",
    "section",
    "article",
    "figure",
    "blockquote",
    "ul",
    "ol",
    "dl",
    "header",
    "footer",
    "aside",
    "nav",
    "main",
    "details",
    "center",
    "form",
    "fieldset",
];

/// Elements whose text must be kept byte for byte.
const VERBATIM: &[&str] = &["pre", "textarea", "script", "style"];

/// Net change in open containers on a line, and whether a verbatim element is left open.
fn scan_line(line: &str, in_verbatim: &mut bool) -> i64 {
    let mut depth = 0;
    let lower = line.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let mut i = 0;
    while let Some(offset) = lower[i..].find('<') {
        let start = i + offset + 1;
        let closing = bytes.get(start) == Some(&b'/');
        let name_start = if closing { start + 1 } else { start };
        let name_len = bytes[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        let name = &lower[name_start..name_start + name_len];
        let tag_end = lower[name_start..].find('>').map(|e| name_start + e);
        let self_closing = tag_end.is_some_and(|e| e > 0 && bytes[e - 1] == b'/');
        if VERBATIM.contains(&name) {
            *in_verbatim = !closing;
        } else if !*in_verbatim && CONTAINERS.contains(&name) && !self_closing {
            depth += if closing { -1 } else { 1 };
        }
        i = name_start + name_len;
    }
    depth
}

/// Joins each balanced HTML container region that starts a line into one CommonMark HTML
/// block. Regions that never close are left as they are.
pub fn join_html_blocks(markdown: &str) -> Cow<'_, str> {
    if !markdown.contains('<') {
        return Cow::Borrowed(markdown);
    }
    let lines: Vec<&str> = markdown.split_inclusive('\n').collect();
    let mut out = String::with_capacity(markdown.len());
    let mut changed = false;
    let mut i = 0;
    let mut in_fence = false;
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
        }
        let indent = line.len() - trimmed.len();
        let starts_container = !in_fence && indent <= 3 && trimmed.starts_with('<') && {
            let mut verbatim = false;
            scan_line(line, &mut verbatim) > 0
        };
        if !starts_container {
            out.push_str(line);
            i += 1;
            continue;
        }
        // Find the line that closes the region.
        let mut depth = 0;
        let mut verbatim = false;
        let mut end = None;
        for (j, candidate) in lines.iter().enumerate().skip(i) {
            depth += scan_line(candidate, &mut verbatim);
            if depth <= 0 {
                end = Some(j);
                break;
            }
        }
        let Some(end) = end else {
            out.push_str(line);
            i += 1;
            continue;
        };
        let mut verbatim = false;
        for region_line in &lines[i..=end] {
            let was_verbatim = verbatim;
            scan_line(region_line, &mut verbatim);
            if was_verbatim {
                out.push_str(region_line);
            } else if region_line.trim().is_empty() {
                changed = true;
            } else {
                let stripped = region_line.trim_start();
                changed |= stripped.len() != region_line.len();
                out.push_str(stripped);
            }
        }
        if !out.ends_with('\n') {
            out.push('\n');
        }
        i = end + 1;
    }
    if changed {
        Cow::Owned(out)
    } else {
        Cow::Borrowed(markdown)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indented_html_after_blank_lines_stays_html() {
        let md = "<div class=\"article\">\n\n    <p>First</p>\n\n    <div>\n        <p>Nested</p>\n    </div>\n</div>\n\nAfter **markdown**.\n";
        let html = to_html(md);
        assert!(!html.contains("<pre>"), "{html}");
        assert!(html.contains("<p>First</p>"), "{html}");
        assert!(
            html.contains("<p>After <strong>markdown</strong>.</p>"),
            "{html}"
        );
    }

    #[test]
    fn reference_shape_is_unchanged() {
        let md = "<p>一</p>\n <p>二</p><p class=\"em_media\">三</p>\n\n<http://x.example/a>\n\n[返回](//x.example/)\n";
        assert!(matches!(join_html_blocks(md), Cow::Borrowed(_)));
        let html = to_html(md);
        assert!(html.contains("<a href=\"http://x.example/a\">"), "{html}");
        assert!(html.contains("<a href=\"//x.example/\">返回</a>"), "{html}");
    }

    #[test]
    fn unclosed_regions_and_code_are_left_alone() {
        let md = "<div>\n\n    indented code\n";
        assert!(matches!(join_html_blocks(md), Cow::Borrowed(_)));
        let fenced = "```\n<div>\n\n    x\n</div>\n```\n";
        assert!(matches!(join_html_blocks(fenced), Cow::Borrowed(_)));
        let indented_code = "Text\n\n    <div>\n\n    </div>\n";
        assert!(matches!(join_html_blocks(indented_code), Cow::Borrowed(_)));
    }

    #[test]
    fn pre_inside_a_region_keeps_its_whitespace() {
        let md = "<div>\n<pre>\n  keep\n    this\n</pre>\n\n  <p>x</p>\n</div>\n";
        let joined = join_html_blocks(md);
        assert!(joined.contains("  keep\n    this\n"), "{joined}");
        assert!(joined.contains("\n<p>x</p>\n"), "{joined}");
    }
}
