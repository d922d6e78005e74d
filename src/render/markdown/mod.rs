//! Markdown to HTML the way Jekyll 4.3 renders it: kramdown with `input: GFM` and Jekyll's
//! defaults (`auto_ids`, `footnote_nr: 1`, `entity_output: as_char`, `toc_levels: 1..6`,
//! smart quotes, `hard_wrap: false`).
//!
//! comrak parses GFM (with CJK-friendly emphasis, footnotes, definition lists and `$$` math);
//! what only kramdown knows is done around it:
//! - `html_blocks`: HTML container elements stay HTML up to their end tag, across blank lines;
//! - `kramdown`: block attribute lists, `{::options}`/`{::comment}`/`{::nomarkdown}`,
//!   abbreviations and kramdown's tables are taken out of the text before parsing;
//! - `tree`: the parsed tree is given kramdown's attributes, heading ids, table of contents,
//!   math, typography, and links and images whose URL holds spaces;
//! - `html`: the tree is written with kramdown's footnote markup and the attributes.
//!
//! What cannot be rendered as kramdown would comes back as warnings beside the HTML.

mod html;
mod html_blocks;
mod kramdown;
mod plain_html;
mod simple_tail;
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
    // Leading HTML blocks that come out as they stand are copied, not parsed; so is a tail of
    // plain paragraphs and links.
    match plain_html::leading_blocks(markdown) {
        Some((mut html, rest)) if rest < markdown.len() => {
            let tail = &markdown[rest..];
            if simple_tail::render_into(tail, &mut html) {
                return (html, Vec::new());
            }
            let (tail, warnings) = parse_and_render(tail);
            html.push_str(&tail);
            (html, warnings)
        }
        Some((html, _)) => (html, Vec::new()),
        None => match simple_tail::render(markdown) {
            Some(html) => (html, Vec::new()),
            None => parse_and_render(markdown),
        },
    }
}

/// xorshift64*: deterministic generated bodies for the fast paths' tests, without a
/// dependency.
#[cfg(test)]
pub(crate) struct Rng(pub(crate) u64);

#[cfg(test)]
impl Rng {
    pub(crate) fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % n
    }

    pub(crate) fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// [`to_html`] without the fast path: every body renders this way.
fn parse_and_render(markdown: &str) -> (String, Vec<String>) {
    let block_html = parse_block_html(markdown);
    let markdown = block_html.as_deref().unwrap_or(markdown);
    let joined = join_html_blocks(markdown);
    let prepared = kramdown::prepare(&joined);
    let arena = Arena::new();
    let options = options();
    let root = comrak::parse_document(&arena, &prepared.text, &options);
    let mut extra = tree::Extra::default();
    let mut warnings = prepared.warnings.clone();
    warnings.extend(tree::transform(&arena, root, &prepared, &mut extra));
    let mut html = html::render(root, &options, extra.footnote_nr);
    for (marker, replacement) in [
        (html_blocks::NOT_A_BLOCK, ""),
        (html_blocks::KEPT_LINE_BREAK, "\n"),
    ] {
        if prepared.text.contains(marker) {
            html = html.replace(marker, replacement);
        }
    }
    (html, warnings)
}

/// HTML block elements whose content kramdown reads as Markdown under `parse_block_html`.
const BLOCK_HTML: &[&str] = &[
    "div",
    "section",
    "article",
    "aside",
    "blockquote",
    "figure",
    "header",
    "footer",
    "nav",
    "details",
    "main",
];

/// kramdown reads the content of an HTML block marked `markdown="1"` (or `"block"`) as Markdown
/// blocks, blank lines around it or not; with `{::options parse_block_html="true" /}`, that of
/// every HTML block, as if each were marked. The content of such elements is set apart by blank
/// lines, so that CommonMark reads it as Markdown too (the mark is removed by the tree pass).
fn parse_block_html(markdown: &str) -> Option<String> {
    let option = markdown.lines().any(|line| {
        let line = line.trim();
        line.starts_with("{::options")
            && (line.contains("parse_block_html=\"true\"")
                || line.contains("parse_block_html='true'"))
    });
    if !option && !markdown.contains("markdown=") {
        return None;
    }
    let mut out = String::with_capacity(markdown.len() + 64);
    let mut changed = false;
    // The open regions' closing tags: their content is set apart by blank lines, so that it
    // reads as Markdown blocks.
    let mut open: Vec<String> = Vec::new();
    // Lines in a code fence are code: a post about kramdown shows `markdown="1"` in one.
    let mut fence: Option<(u8, usize)> = None;
    for line in markdown.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if let Some(open) = fence {
            if kramdown::closes_fence(trimmed, open) {
                fence = None;
            }
            out.push_str(line);
            continue;
        }
        if let Some(opened) = kramdown::fence_open(trimmed) {
            fence = Some(opened);
            out.push_str(line);
            continue;
        }
        if let Some(name) = open.last() {
            if line.trim_start().starts_with(&format!("</{name}")) {
                out.push('\n');
                open.pop();
            }
        }
        let name = line.strip_prefix('<').map(|rest| {
            rest.chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_ascii_lowercase()
        });
        let unclosed = |name: &str| !line.contains(&format!("</{name}"));
        match name {
            Some(name)
                if option && BLOCK_HTML.contains(&name.as_str()) && !line.contains("markdown=") =>
            {
                out.push('<');
                out.push_str(&line[1..=name.len()]);
                out.push_str(" markdown=\"1\"");
                out.push_str(&line[1 + name.len()..]);
                changed = true;
                if unclosed(&name) {
                    out.push('\n');
                    open.push(name);
                }
            }
            Some(name)
                if !name.is_empty()
                    && html_blocks::marks_markdown_inside(line)
                    && unclosed(&name) =>
            {
                out.push_str(line);
                out.push('\n');
                changed = true;
                open.push(name);
            }
            _ => out.push_str(line),
        }
    }
    changed.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use html_blocks::scan_line;
    use std::borrow::Cow;

    #[test]
    fn parse_block_html_reads_markdown_in_html_blocks() {
        let md = "{::options parse_block_html=\"true\" /}\n\n<div class=\"box\">\nSome *text*.\n</div>\n";
        let (html, warnings) = to_html(md);
        assert!(html.contains("<em>text</em>"), "{html}");
        assert!(warnings.is_empty(), "{warnings:?}");
    }

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
        // A fence is closed only by a line of as many of its characters or more.
        let longer = "````\n<div>\n\n    x\n```\n</div>\n````\n";
        assert!(matches!(join_html_blocks(longer), Cow::Borrowed(_)));
    }

    #[test]
    fn html_after_a_fence_never_closed_is_still_joined() {
        // kramdown reads such a fence as text, so the HTML after it is HTML.
        let md = "```coq\nx\n``\n\n<div>\n\n    <p>y</p>\n</div>\n";
        assert_eq!(
            join_html_blocks(md),
            "```coq\nx\n``\n\n<div>\n<p>y</p>\n</div>\n"
        );
        let (html, _) = to_html(md);
        assert!(!html.contains("<pre>"), "{html}");
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
    fn paragraph_left_open_over_blank_lines_stays_html() {
        // kramdown reads `<p>` to its own end tag as raw HTML: the indented lines after the
        // blank ones are part of it, not a code block, and paragraphs nested inside do not
        // end it.
        let md = "<p>Opening words\n    <br>\n\n    <p>Inner</p>\n\n    <ul>\n        <li>One</li>\n    </ul>Tail of the list\n    <br><b>Bold</b>\n</p>\n\nAfter **markdown**.\n";
        let joined = join_html_blocks(md);
        assert!(
            joined.starts_with("<p>Opening words\n<br>\n<p>Inner</p>\n<ul>\n"),
            "{joined}"
        );
        let html = to_html(md).0;
        assert!(!html.contains("<pre>"), "{html}");
        assert!(!html.contains("&lt;"), "{html}");
        assert!(
            html.contains("<ul>\n<li>One</li>\n</ul>Tail of the list"),
            "{html}"
        );
        assert!(
            html.contains("<p>After <strong>markdown</strong>.</p>"),
            "{html}"
        );
    }

    #[test]
    fn own_end_tag_regions_count_only_their_own_tags() {
        // An `<li>` left open inside does not keep the `<p>` from closing (kramdown would
        // then keep the rest of the post as raw HTML: a reader is better served by this).
        let md = "<p>a\n\n    <li>x\n</p>\n\n    code\n";
        let joined = join_html_blocks(md);
        assert_eq!(joined, "<p>a\n<li>x\n</p>\n\n    code\n");
        // Other block elements close at their own end tag too; case does not matter.
        let md = "<LI>a\n\n    <b>x</b>\n</li>\n\n<h2 class=\"t\">T\n\n    <i>y</i>\n</h2>\n";
        assert_eq!(
            join_html_blocks(md),
            "<LI>a\n<b>x</b>\n</li>\n\n<h2 class=\"t\">T\n<i>y</i>\n</h2>\n"
        );
    }

    #[test]
    fn open_paragraphs_that_never_close_are_left_alone() {
        // kramdown would keep the rest of the post as raw HTML; CommonMark's reading is the
        // nearer one for a reader, so nothing is joined.
        let md = "<p>one\n\n<p>two</p>\n\n    code\n\n*md*\n";
        assert!(matches!(join_html_blocks(md), Cow::Borrowed(_)));
        // Closed on its line, or self-closed: no region.
        let md = "<p>a</p>\n\n    code\n\n<p/>\n\n    more code\n";
        assert!(matches!(join_html_blocks(md), Cow::Borrowed(_)));
        // Indented four spaces, in a code fence or with markdown="1": no region either.
        let md = "    <p>a\n\n    b</p>\n\n```\n<p>a\n\n    b\n</p>\n```\n\n<p markdown=\"1\">a\n\n    b\n</p>\n";
        assert!(matches!(join_html_blocks(md), Cow::Borrowed(_)));
    }

    #[test]
    fn an_open_element_inside_a_container_opener_line_falls_back_to_the_container() {
        // The `<li>` never closes; the `<ul>` on its line still makes a region.
        let md = "<li><ul>\n\n    <li>x</li>\n</ul>\n";
        assert_eq!(join_html_blocks(md), "<li><ul>\n<li>x</li>\n</ul>\n");
    }

    #[test]
    fn many_unclosed_paragraphs_stay_fast() {
        let md = "<p>\n\n    x\n</li>\n".repeat(20_000);
        let start = std::time::Instant::now();
        assert!(matches!(join_html_blocks(&md), Cow::Borrowed(_)));
        assert!(start.elapsed() < std::time::Duration::from_secs(5));
    }

    #[test]
    fn pre_inside_a_region_keeps_its_whitespace() {
        let md = "<div>\n<pre>\n  keep\n    this\n</pre>\n\n  <p>x</p>\n</div>\n";
        let joined = join_html_blocks(md);
        assert!(joined.contains("  keep\n    this\n"), "{joined}");
        assert!(joined.contains("\n<p>x</p>\n"), "{joined}");
    }

    /// kramdown keeps a `<pre>` raw to its end tag, blank lines and all, whether it starts a
    /// block after a one-line HTML block or sits in a region; CommonMark alone would end the
    /// block at the blank line and read the rest as Markdown (a heading, a table, paragraphs).
    #[test]
    fn blank_lines_in_pre_do_not_end_the_html_block() {
        let after_block =
            "<p>Example:</p>\n<pre>\nsetup()\n\n# tidy up\na | b\n|---|\n</pre>\nAfter *pre*\n";
        let html = to_html(after_block).0;
        assert!(
            html.contains("<pre>\nsetup()\n\n# tidy up\na | b\n|---|\n</pre>"),
            "{html}"
        );
        assert!(html.contains("<p>After <em>pre</em></p>"), "{html}");
        let in_region = "<div>\n<pre>\na\n\n\n  b\n</pre>\n</div>\n";
        let html = to_html(in_region).0;
        assert!(html.contains("<pre>\na\n\n\n  b\n</pre>"), "{html}");
        assert!(!html.contains("&#"), "{html}");
        let top = "<pre><code>a | b\n\nc | d\n|---|\n</code></pre>\n";
        assert_eq!(to_html(top).0, top);
    }

    /// kramdown ends an HTML block at the line that closes it: Markdown on the next line is
    /// read as Markdown, as on the page Jekyll builds.
    #[test]
    fn markdown_right_after_an_html_block_is_markdown() {
        let html = to_html("<div>\nx\n</div>\nSome *markdown*\n").0;
        assert!(html.contains("<p>Some <em>markdown</em></p>"), "{html}");
        let html = to_html("<h2>Title</h2>\nText *here*\n").0;
        assert!(html.contains("<p>Text <em>here</em></p>"), "{html}");
        // HTML lines after HTML lines are written as they were.
        let md = "<p>a</p>\n<p>b</p>\n";
        assert_eq!(join_html_blocks(md), md);
    }

    /// A span element's tag alone on a line starts a paragraph in kramdown, not an HTML block.
    #[test]
    fn a_span_tag_alone_on_a_line_starts_a_paragraph() {
        let html = to_html("<br/>\nNext `code` and [a link](https://example.com/).\n").0;
        assert_eq!(
            html,
            "<p><br/>\nNext <code>code</code> and <a href=\"https://example.com/\">a link</a>.</p>\n"
        );
        assert_eq!(
            to_html("<img src=\"/x.png\">\n").0,
            "<p><img src=\"/x.png\"></p>\n"
        );
        // A block element's tag still starts an HTML block.
        assert_eq!(to_html("<hr>\n").0, "<hr>\n");
    }

    /// kramdown's math is `$$` only: two single dollars do not take the Markdown between them.
    #[test]
    fn a_single_dollar_is_text() {
        let html = to_html("Stop using $; now\nuse `$;` never. Price $5 and $10.\n").0;
        assert_eq!(
            html,
            "<p>Stop using $; now\nuse <code>$;</code> never. Price $5 and $10.</p>\n"
        );
        assert!(to_html("Inline $$x^2$$ math.\n").0.contains("\\(x^2\\)"));
        // A dollar in an inline tag's attribute is left as written.
        let html = to_html("A <span title=\"$5\">price</span> $.\n").0;
        assert!(html.contains("title=\"$5\""), "{html}");
    }

    /// Three things kramdown reads differently from CommonMark on one line: an attribute list
    /// broken over two lines, a link definition whose URL has an unbalanced parenthesis, and
    /// `<scheme:…>` with a scheme kramdown does not link.
    #[test]
    fn kramdown_span_readings() {
        let html = to_html("![logo](/l.png){:\n.small width=\"40\"}After.\n").0;
        assert!(
            html.contains("class=\"small\" width=\"40\" />After.</p>"),
            "{html}"
        );
        let md =
            "Read [fix] and [docs].\n\n[fix]: https://x.example/a)\n[docs]: https://x.example/d\n";
        let html = to_html(md).0;
        assert!(
            html.contains("<a href=\"https://x.example/a)\">fix</a>"),
            "{html}"
        );
        assert!(
            html.contains("<a href=\"https://x.example/d\">docs</a>"),
            "{html}"
        );
        let html = to_html("value #<Obj:0x1f2e> and <https://x.example/>\n").0;
        assert!(html.contains("#&lt;Obj:0x1f2e&gt; and <a href"), "{html}");
    }

    /// kramdown's end-of-block marker `^` ends the list: the indented block after it is code,
    /// with the attribute list under it, and the `^` is not shown.
    #[test]
    fn a_caret_alone_ends_the_block() {
        let html = to_html("* link\n^\n\n    $ make\n{: .shell}\n\npara one\n^\npara two\n").0;
        assert_eq!(
            html,
            "<ul>\n<li>link</li>\n</ul>\n\n<pre class=\"shell\"><code>$ make\n</code></pre>\n\
             <p>para one</p>\n\n<p>para two</p>\n"
        );
    }

    /// kramdown writes an item's first paragraph without `<p>` unless a blank line follows it
    /// in the item; CommonMark gives every item of a list with a blank line a `<p>`.
    #[test]
    fn list_items_get_p_as_kramdown_gives_them() {
        let html = to_html("1. First\n    - sub\n\n2. Second\n").0;
        assert_eq!(
            html,
            "<ol>\n<li>First\n<ul>\n<li>sub</li>\n</ul>\n</li>\n<li>Second</li>\n</ol>\n"
        );
        let html = to_html("- a\n\n- b\n\n  more\n").0;
        assert_eq!(
            html,
            "<ul>\n<li>\n<p>a</p>\n</li>\n<li>\n<p>b</p>\n<p>more</p>\n</li>\n</ul>\n"
        );
    }

    /// `markdown="1"` makes an HTML block's content Markdown without blank lines around it; in
    /// a code fence it is code.
    #[test]
    fn markdown_1_without_blank_lines() {
        let html = to_html("<figure markdown=\"1\">\n  ![a cat](/cat.png)\n</figure>\n").0;
        assert_eq!(
            html,
            "<figure>\n<p><img src=\"/cat.png\" alt=\"a cat\" /></p>\n</figure>\n"
        );
        let fenced = "```\n<div markdown=\"1\">\n*x*\n</div>\n```\n";
        assert!(to_html(fenced)
            .0
            .contains("&lt;div markdown=&quot;1&quot;&gt;\n*x*\n&lt;/div&gt;"));
    }

    /// kramdown's code blocks: a tab indents as four spaces (tab-indented HTML is code), and a
    /// line right after the block that is not indented continues it, joined with a space.
    #[test]
    fn kramdown_code_blocks() {
        let html = to_html("Text.\n\n\t<div>\n\t<p>In.</p>\n\t</div>\n").0;
        assert_eq!(
            html,
            "<p>Text.</p>\n<pre><code>&lt;div&gt;\n&lt;p&gt;In.&lt;/p&gt;\n&lt;/div&gt;\n</code></pre>\n"
        );
        let html = to_html("    x = f(1)\ny = f(2)\n## not a heading\n\nAfter.\n").0;
        assert_eq!(
            html,
            "<pre><code>x = f(1) y = f(2) ## not a heading\n</code></pre>\n<p>After.</p>\n"
        );
    }

    /// An attribute list right under a table is the table's (it was dropped); rows running
    /// into a line of text are a paragraph, as on the page.
    #[test]
    fn tables_end_as_kramdown_ends_them() {
        let html = to_html("| a | b |\n|---|---|\n| 1 | 2 |\n{: .tbl}\n").0;
        assert!(html.starts_with("<table class=\"tbl\">"), "{html}");
        let html = to_html("![B: 2 | Oslo](/b.jpg)Meetup\nin town.\n").0;
        assert_eq!(
            html,
            "<p><img src=\"/b.jpg\" alt=\"B: 2 | Oslo\" />Meetup\nin town.</p>\n"
        );
    }

    /// kramdown's block math runs to the `$$` that ends a line, blank lines and pipes
    /// included; `1)` is no list marker for kramdown; a delimiter cell needs no dash of its
    /// own; `$` in raw HTML of a list item is left as written.
    #[test]
    fn math_blocks_lists_and_tables_as_kramdown_reads_them() {
        let html = to_html("Para.\n\n$$\na = b \\\\\n\nc < d\n$$\n\n$$q(a | b)$$\n").0;
        assert_eq!(
            html,
            "<p>Para.</p>\n\\[a = b \\\\\n\nc &lt; d\\]\n\\[q(a | b)\\]\n"
        );
        assert_eq!(
            to_html("Steps:\n\n1) first\n2) second\n").0,
            "<p>Steps:</p>\n<p>1) first\n2) second</p>\n"
        );
        let html = to_html("|A|B|\n|:--|::|\n|1|2|\n").0;
        assert!(
            html.contains("<th align=\"left\">A</th>\n<th>B</th>"),
            "{html}"
        );
        let html = to_html("- item\n\n    <pre>\n    <b>$</b> ls\n    </pre>\n").0;
        assert!(html.contains("<b>$</b> ls"), "{html}");
    }

    /// kramdown-parser-gfm wants a space and text after the hashes of a heading.
    #[test]
    fn hashes_alone_are_text() {
        assert_eq!(to_html("####\n").0, "<p>####</p>\n");
        assert_eq!(to_html("#\n\n## Title\n").0.matches("<h").count(), 1);
    }

    #[test]
    fn attribute_list_at_the_end_of_a_heading_is_applied() {
        // kramdown's GFM parser prints it; the author meant the class.
        let (html, warnings) = to_html("* TOC\n{:toc}\n\n## Kept\n\n## Skipped {: .no_toc}\n");
        assert!(
            html.contains("<h2 class=\"no_toc\" id=\"skipped\">Skipped</h2>"),
            "{html}"
        );
        assert!(!html.contains("markdown-toc-skipped"), "{html}");
        assert!(html.contains("markdown-toc-kept"), "{html}");
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn stray_attribute_lists_are_dropped_with_a_warning() {
        let (html, warnings) = to_html("A {: .x} in the middle.\n");
        assert_eq!(html, "<p>A in the middle.</p>\n");
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("{: .x}"), "{warnings:?}");
        // Prose in braces is not an attribute list.
        let (html, warnings) = to_html("Ruby: {:a => 1}\n");
        assert!(html.contains("{:a =&gt; 1}"), "{html}");
        assert!(warnings.is_empty());
    }

    #[test]
    fn attribute_list_on_a_paragraph_s_last_line_applies_to_it() {
        let (html, warnings) = to_html("1.  item\n    {: .x}\n\n    more\n");
        assert!(!html.contains("{:"), "{html}");
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn toc_marker_without_a_list_is_not_printed() {
        let (html, warnings) = to_html("{:toc}\n");
        assert!(!html.contains("{:"), "{html}");
        assert_eq!(warnings.len(), 1, "{warnings:?}");
    }

    #[test]
    fn footnote_names_outside_ascii_still_make_footnotes() {
        // kramdown prints `[^书]` and loses the note; a reader is better served by the note.
        let (html, _) = to_html("见[^书]。\n\n[^书]: 《山海经》。\n");
        assert!(html.contains("<sup id=\"fnref:书\""), "{html}");
        assert!(html.contains("<li id=\"fn:书\""), "{html}");
    }

    #[test]
    fn single_tildes_are_ranges_not_strikethrough() {
        let (html, _) = to_html("需要3~5天，或者1~2周。~~删掉~~\n");
        assert_eq!(html, "<p>需要3~5天，或者1~2周。<del>删掉</del></p>\n");
    }

    #[test]
    fn unsupported_options_are_reported() {
        let (html, warnings) = to_html("{::options hard_wrap=\"true\" /}\n\ntext\n");
        assert_eq!(html, "<p>text</p>\n");
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("hard_wrap"));
    }

    #[test]
    fn code_keeps_its_syntax() {
        let md = "`![x](/a b.png)` and `{: .x}`\n\n```\n* TOC\n{:toc}\n| a |\n```\n";
        let (html, warnings) = to_html(md);
        assert!(html.contains("<code>![x](/a b.png)</code>"), "{html}");
        assert!(html.contains("<code>{: .x}</code>"), "{html}");
        assert!(
            html.contains("* TOC\n{:toc}\n| a |\n</code></pre>"),
            "{html}"
        );
        assert!(warnings.is_empty());
    }

    #[test]
    fn liquid_with_a_pipe_is_not_a_table() {
        let (html, _) = to_html("{{ page.title | upcase }}\n");
        assert!(!html.contains("<table"), "{html}");
    }

    #[test]
    fn hostile_kramdown_syntax_stays_linear() {
        let mut md = String::new();
        for i in 0..5_000 {
            md.push_str(&format!(
                "## H{i}\n{{: .c}}\n\n| a | b |\n\n{{::comment}}\n* TOC\n{{:toc}}\n\n"
            ));
        }
        let start = std::time::Instant::now();
        let (html, _) = to_html(&md);
        assert!(html.contains("<table"));
        assert!(
            start.elapsed() < std::time::Duration::from_secs(20),
            "{:?}",
            start.elapsed()
        );
    }
}
