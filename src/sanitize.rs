//! Sanitize: scraped HTML made safe to syndicate, with `ammonia`.
//!
//! Feed readers show entry content inside their own pages, so anything that runs code or
//! changes the page around the entry must go. What readers display is kept: text markup,
//! paragraphs, headings, lists, links, images (with `srcset`), figures, tables, code, and
//! `<video>`/`<audio>`/`<picture>` with their sources. README.md ("Content sanitization")
//! lists exactly what is removed; the unit tests below pin each rule.

use std::collections::HashSet;

/// Elements kept in addition to ammonia's default set (which already has `a`, `img`, `p`,
/// `figure`, `table`, `pre`, `code`, headings, lists, …).
const EXTRA_TAGS: &[&str] = &[
    "audio", "picture", "section", "source", "tfoot", "track", "video",
];

/// Attributes kept per element, beyond ammonia's defaults (`a href`, `img src alt width
/// height`, table cell spans, …) and the generic `lang` and `title`.
const EXTRA_TAG_ATTRIBUTES: &[(&str, &[&str])] = &[
    ("img", &["srcset", "sizes"]),
    ("source", &["src", "srcset", "sizes", "type", "media"]),
    ("video", &["src", "poster", "controls", "width", "height"]),
    ("audio", &["src", "controls"]),
    ("track", &["src", "kind", "srclang", "label"]),
    ("ol", &["type", "reversed"]),
    ("li", &["value"]),
];

/// A sanitizer configured once per build and shared by every render thread.
pub struct Sanitizer {
    builder: ammonia::Builder<'static>,
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
        let mut builder = ammonia::Builder::default();
        builder.add_tags(EXTRA_TAGS);
        for (tag, attributes) in EXTRA_TAG_ATTRIBUTES {
            builder.add_tag_attributes(tag, attributes.iter());
        }
        // `<script>`, `<style>` and the rest lose their content too, not only their tags:
        // their text is code, never prose for the reader.
        let dropped_with_content: HashSet<&'static str> = [
            "script", "style", "iframe", "object", "embed", "noscript", "template", "svg", "math",
            "frame", "frameset", "applet", "title", "head",
        ]
        .into_iter()
        .collect();
        builder.clean_content_tags(dropped_with_content);
        Sanitizer { builder }
    }

    /// The HTML with everything unsafe removed. Relative URLs are kept as written (the
    /// render stage resolves them against the post's permalink afterwards).
    pub fn clean(&self, html: &str) -> String {
        self.builder.clean(html).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(html: &str) -> String {
        Sanitizer::new().clean(html)
    }

    #[test]
    fn code_and_page_changing_markup_is_removed() {
        let cases = [
            ("<p>a<script>alert(1)</script>b</p>", "<p>ab</p>"),
            ("<style>p{color:red}</style><p>x</p>", "<p>x</p>"),
            (
                "<iframe src=\"https://v.example/e\">no frames</iframe><p>x</p>",
                "<p>x</p>",
            ),
            (
                "<p onclick=\"steal()\" style=\"color:red\">x</p>",
                "<p>x</p>",
            ),
            (
                "<a href=\"javascript:alert(1)\">x</a>",
                "<a rel=\"noopener noreferrer\">x</a>",
            ),
            (
                "<img src=\"x.png\" onerror=\"steal()\">",
                "<img src=\"x.png\">",
            ),
            ("<form action=\"/x\"><input name=q></form>", ""),
            ("<object data=\"x.swf\"><embed src=\"x.swf\"></object>", ""),
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
            "<figure><img src=\"/a.png\" alt=\"A\" width=\"10\" height=\"20\"><figcaption>cap</figcaption></figure>",
            "<img src=\"a.png\" srcset=\"a.png 1x, b.png 2x\" alt=\"\">",
            "<table><thead><tr><th colspan=\"2\">h</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table>",
            "<video src=\"/v.mp4\" poster=\"/p.jpg\" controls=\"\"></video>",
            "<picture><source srcset=\"/a.webp\" type=\"image/webp\"><img src=\"/a.jpg\"></picture>",
            "<p lang=\"zh\" title=\"t\">中文</p>",
        ];
        for html in kept {
            assert_eq!(clean(html), html);
        }
        assert_eq!(
            clean("<a href=\"/x\" title=\"t\">x</a>"),
            "<a href=\"/x\" title=\"t\" rel=\"noopener noreferrer\">x</a>"
        );
    }
}
