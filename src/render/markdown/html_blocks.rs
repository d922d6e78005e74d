//! Raw HTML blocks read the way Jekyll's kramdown reads them.
//!
//! CommonMark ends a raw HTML block at the first blank line and reads what follows as
//! Markdown, so indented HTML after a blank line inside a `<div>` becomes a code block.
//! kramdown keeps everything up to the matching end tag as HTML. Scraped posts are full of
//! indented, blank-line-separated HTML, so before parsing, each balanced HTML block region is
//! made into one CommonMark HTML block: its blank lines dropped and its lines un-indented.

use std::borrow::Cow;

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
pub(super) fn scan_line(line: &str, in_verbatim: &mut bool) -> i64 {
    let mut depth = 0;
    let lower = line.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let mut i = 0;
    let mut next_gt = lower.find('>');
    while let Some(offset) = lower[i..].find('<') {
        let start = i + offset + 1;
        let closing = bytes.get(start) == Some(&b'/');
        let name_start = if closing { start + 1 } else { start };
        let name_len = bytes[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        let name = &lower[name_start..name_start + name_len];
        // The next `>` is found once and reused while tags start before it, so a line of
        // many `<` and no `>` costs one scan, not one per `<`.
        if next_gt.is_some_and(|gt| gt < name_start) {
            next_gt = lower[name_start..].find('>').map(|e| name_start + e);
        }
        let self_closing = next_gt.is_some_and(|e| e > 0 && bytes[e - 1] == b'/');
        if VERBATIM.contains(&name) {
            *in_verbatim = !closing;
        } else if !*in_verbatim && CONTAINERS.contains(&name) && !self_closing {
            depth += if closing { -1 } else { 1 };
        }
        i = name_start + name_len;
    }
    depth
}

/// What the first pass learns about one line.
struct LineInfo {
    /// Net change in open containers (0 inside code fences and verbatim elements).
    depth_change: i64,
    /// Inside a `<pre>`-like element when the line starts: its bytes must stay as they are.
    verbatim_at_start: bool,
    /// Could open a region: starts (at most 3 spaces in) with a tag, outside code fences.
    can_start: bool,
}

/// Joins each balanced HTML container region that starts a line into one CommonMark HTML
/// block. Regions that never close, and elements marked `markdown="1"` (kramdown's switch
/// for Markdown inside HTML), are left as they are. Linear in the number of lines.
pub fn join_html_blocks(markdown: &str) -> Cow<'_, str> {
    if !markdown.contains('<') {
        return Cow::Borrowed(markdown);
    }
    let lines: Vec<&str> = markdown.split_inclusive('\n').collect();

    let mut infos = Vec::with_capacity(lines.len());
    let mut in_fence = false;
    let mut verbatim = false;
    for line in &lines {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let verbatim_at_start = verbatim;
        if !verbatim && (trimmed.starts_with("```") || trimmed.starts_with("~~~")) {
            in_fence = !in_fence;
            infos.push(LineInfo {
                depth_change: 0,
                verbatim_at_start,
                can_start: false,
            });
            continue;
        }
        let depth_change = if in_fence {
            0
        } else {
            scan_line(line, &mut verbatim)
        };
        let markdown_inside = trimmed.contains("markdown=\"1\"")
            || trimmed.contains("markdown='1'")
            || trimmed.contains("markdown=\"block\"");
        infos.push(LineInfo {
            depth_change,
            verbatim_at_start,
            can_start: !in_fence
                && !verbatim_at_start
                && indent <= 3
                && trimmed.starts_with('<')
                && depth_change > 0
                && !markdown_inside,
        });
    }

    // depth[k] is the number of open containers before line k. A region opened on line i
    // closes on the line before the first k > i whose depth is back to depth[i] or less.
    let mut depth = Vec::with_capacity(lines.len() + 1);
    depth.push(0i64);
    for info in &infos {
        depth.push(depth[depth.len() - 1] + info.depth_change);
    }
    // The classic "next smaller or equal element" scan: each index is pushed and popped once.
    let mut closes_before = vec![None; lines.len()];
    let mut stack: Vec<usize> = Vec::new();
    for p in (0..depth.len()).rev() {
        while stack.last().is_some_and(|&q| depth[q] > depth[p]) {
            stack.pop();
        }
        if p < lines.len() {
            closes_before[p] = stack.last().copied();
        }
        stack.push(p);
    }

    let mut out = String::with_capacity(markdown.len());
    let mut changed = false;
    let mut i = 0;
    while i < lines.len() {
        let end = if infos[i].can_start {
            closes_before[i]
        } else {
            None
        };
        let Some(end) = end else {
            out.push_str(lines[i]);
            i += 1;
            continue;
        };
        for k in i..end {
            let line = lines[k];
            if infos[k].verbatim_at_start {
                out.push_str(line);
            } else if line.trim().is_empty() {
                changed = true;
            } else {
                let stripped = line.trim_start();
                changed |= stripped.len() != line.len();
                out.push_str(stripped);
            }
        }
        if !out.ends_with('\n') {
            out.push('\n');
        }
        i = end;
    }
    if changed {
        Cow::Owned(out)
    } else {
        Cow::Borrowed(markdown)
    }
}
