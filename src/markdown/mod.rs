//! Markdown to HTML the way Jekyll 4.3 renders it: kramdown with `input: GFM` and Jekyll's
//! defaults (`auto_ids`, `footnote_nr: 1`, `entity_output: as_char`, `toc_levels: 1..6`,
//! smart quotes, `hard_wrap: false`).
//!
//! comrak parses GFM (with CJK-friendly emphasis, footnotes, definition lists and `$$` math);
//! what only kramdown knows is done around it:
//! - [`html_blocks`]: HTML container elements stay HTML up to their end tag, across blank lines;
//! - [`kramdown`]: block attribute lists, `{::options}`/`{::comment}`/`{::nomarkdown}`,
//!   abbreviations and kramdown's tables are taken out of the text before parsing;
//! - [`tree`]: the parsed tree is given kramdown's attributes, heading ids, table of contents,
//!   math, typography, and links and images whose URL holds spaces;
//! - [`html`]: the tree is written with kramdown's footnote markup and the attributes.
//!
//! What cannot be rendered as kramdown would comes back as warnings beside the HTML.

mod html;
mod html_blocks;
mod kramdown;
mod tree;
mod typography;

use comrak::{Arena, Options};

pub use html_blocks::join_html_blocks;

/// GFM as kramdown-parser-gfm reads it; raw HTML passes through.
pub(crate) fn options() -> Options<'static> {
    let mut options = Options::default();
    options.extension.strikethrough = true;
    options.extension.table = true;
    options.extension.tasklist = true;
    options.extension.footnotes = true;
    options.extension.description_lists = true;
    options.extension.math_dollars = true;
    options.extension.cjk_friendly_emphasis = true;
    options.render.r#unsafe = true;
    options
}

/// Renders a Markdown body (with raw HTML) to HTML, with warnings for the kramdown syntax that
/// was dropped or guessed at.
pub fn to_html(markdown: &str) -> (String, Vec<String>) {
    let joined = join_html_blocks(markdown);
    let prepared = kramdown::prepare(&joined);
    let arena = Arena::new();
    let options = options();
    let root = comrak::parse_document(&arena, &prepared.text, &options);
    let mut extra = tree::Extra::default();
    let mut warnings = prepared.warnings.clone();
    warnings.extend(tree::transform(&arena, root, &prepared, &mut extra));
    let html = html::render(root, &options, extra.footnote_nr);
    (html, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use html_blocks::scan_line;
    use std::borrow::Cow;

    #[test]
    fn indented_html_after_blank_lines_stays_html() {
        let md = "<div class=\"article\">\n\n    <p>First</p>\n\n    <div>\n        <p>Nested</p>\n    </div>\n</div>\n\nAfter **markdown**.\n";
        let html = to_html(md).0;
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
        let html = to_html(md).0;
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
    fn markdown_attribute_keeps_commonmark_behaviour() {
        let md = "<div markdown=\"1\">\n\n**bold**\n\n</div>\n";
        assert!(matches!(join_html_blocks(md), Cow::Borrowed(_)));
        assert!(to_html(md).0.contains("<strong>bold</strong>"));
    }

    #[test]
    fn self_closing_and_long_lines() {
        let mut verbatim = false;
        assert_eq!(scan_line("<div/><div><div></div>", &mut verbatim), 1);
        let long = "<div".repeat(200_000);
        assert_eq!(scan_line(&long, &mut verbatim), 200_000);
    }

    #[test]
    fn many_unclosed_containers_stay_fast() {
        let md = "<div>\n\n    x\n".repeat(20_000);
        let start = std::time::Instant::now();
        assert!(matches!(join_html_blocks(&md), Cow::Borrowed(_)));
        // Linear: a quadratic pass over 60,000 lines would take far longer than this bound.
        assert!(start.elapsed() < std::time::Duration::from_secs(5));
    }

    #[test]
    fn pre_inside_a_region_keeps_its_whitespace() {
        let md = "<div>\n<pre>\n  keep\n    this\n</pre>\n\n  <p>x</p>\n</div>\n";
        let joined = join_html_blocks(md);
        assert!(joined.contains("  keep\n    this\n"), "{joined}");
        assert!(joined.contains("\n<p>x</p>\n"), "{joined}");
    }
}
