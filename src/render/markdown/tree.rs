//! The parsed tree made into what kramdown would have built: attribute lists applied, heading
//! ids, URLs with spaces, abbreviations, math, typography, kramdown's table of contents.

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::LazyLock;

use comrak::nodes::{AstNode, Attributes, NodeHtmlBlock, NodeLink, NodeValue};
use comrak::Arena;
use regex::Regex;

use super::kramdown::{parse_attr_list, AttrList, Prepared, RAW_CLOSE, RAW_OPEN};

type Node<'a> = &'a AstNode<'a>;

/// What the renderer needs besides the tree.
#[derive(Debug, Default)]
pub struct Extra {
    /// Footnote numbers start here (kramdown's `footnote_nr`).
    pub footnote_nr: u32,
}

fn new_node<'a>(arena: &'a Arena<'a>, value: NodeValue) -> Node<'a> {
    arena.alloc(AstNode::from(value))
}

/// Puts `text`, when there is any, before `node` as a text node of its own.
fn text_before<'a>(arena: &'a Arena<'a>, node: Node<'a>, text: &str) {
    if !text.is_empty() {
        node.insert_before(new_node(arena, NodeValue::Text(text.to_string().into())));
    }
}

fn text_of(node: Node<'_>) -> Option<String> {
    match &node.data().value {
        NodeValue::Text(t) => Some(t.to_string()),
        _ => None,
    }
}

fn set_text(node: Node<'_>, text: String) {
    node.data_mut().value = NodeValue::Text(text.into());
}

fn text_nodes(root: Node<'_>) -> Vec<Node<'_>> {
    root.descendants()
        .filter(|n| matches!(n.data().value, NodeValue::Text(_)))
        .collect()
}

/// Adds an attribute list to a node's attributes.
fn apply_attrs(node: Node<'_>, attrs: &AttrList) {
    if attrs.is_empty() {
        return;
    }
    let mut data = node.data_mut();
    let target = data
        .attrs
        .get_or_insert_with(|| Box::new(Attributes::default()));
    attrs.lay_over(&mut target.id, &mut target.classes, &mut target.pairs);
}

fn has_class(node: Node<'_>, class: &str) -> bool {
    node.data()
        .attrs
        .as_ref()
        .is_some_and(|a| a.classes.iter().any(|c| c == class))
}

fn id_of(node: Node<'_>) -> Option<String> {
    node.data().attrs.as_ref().and_then(|a| a.id.clone())
}

fn is_block_target(value: &NodeValue) -> bool {
    matches!(
        value,
        NodeValue::Paragraph
            | NodeValue::Heading(_)
            | NodeValue::List(_)
            | NodeValue::BlockQuote
            | NodeValue::CodeBlock(_)
            | NodeValue::Table(_)
            | NodeValue::ThematicBreak
            | NodeValue::DescriptionList
            | NodeValue::HtmlBlock(_)
    )
}

fn quote_depth(node: Node<'_>) -> usize {
    node.ancestors()
        .skip(1)
        .filter(|a| matches!(a.data().value, NodeValue::BlockQuote))
        .count()
}

fn nesting(node: Node<'_>) -> usize {
    node.ancestors().count()
}

/// Tables of contents rendered per post at most.
const MAX_TOCS: usize = 4;

/// Runs every pass over the tree; returns the warnings.
pub fn transform<'a>(
    arena: &'a Arena<'a>,
    root: Node<'a>,
    prepared: &Prepared,
    extra: &mut Extra,
) -> Vec<String> {
    let mut warnings = Vec::new();
    extra.footnote_nr = prepared.footnote_nr;
    let lines: Vec<&str> = prepared.text.lines().collect();

    remove_headerless_rows(root, &prepared.headerless_tables);
    single_tildes(arena, root, &lines);
    leftover_strong(arena, root);
    raw_placeholders(arena, root, &prepared.raw);
    spaced_urls(arena, root);
    one_term_per_line(arena, root);
    let mut toc_lists = Vec::new();
    block_ials(root, prepared, &mut toc_lists, &mut warnings);
    heading_attributes(root, &prepared.definitions);
    span_ials(root, &prepared.definitions, &mut warnings);
    math(arena, root);
    typography(root);
    if prepared.auto_ids {
        heading_ids(root);
    }
    abbreviations(arena, root, &prepared.abbreviations);
    markdown_attributes(root);
    // Each table of contents renders every heading: a post with many is cut short.
    if toc_lists.len() > MAX_TOCS {
        warnings.push(format!(
            "{} `{{:toc}}` markers; only the first {MAX_TOCS} get a table of contents",
            toc_lists.len()
        ));
    }
    for (k, list) in toc_lists.into_iter().enumerate() {
        if k < MAX_TOCS {
            table_of_contents(arena, root, list);
        } else {
            list.detach();
        }
    }
    warnings
}

/// kramdown reads each line before a `: definition` as a term of its own (`list.rb`);
/// CommonMark's extension makes them one term over several lines.
fn one_term_per_line<'a>(arena: &'a Arena<'a>, root: Node<'a>) {
    let terms: Vec<Node<'a>> = root
        .descendants()
        .filter(|n| matches!(n.data().value, NodeValue::DescriptionTerm))
        .collect();
    for term in terms {
        let Some(paragraph) = term.first_child().filter(|p| {
            matches!(p.data().value, NodeValue::Paragraph) && p.next_sibling().is_none()
        }) else {
            continue;
        };
        let breaks: Vec<Node<'a>> = paragraph
            .children()
            .filter(|n| matches!(n.data().value, NodeValue::SoftBreak))
            .collect();
        // Each line after a break moves, in order, into a term of its own after this one.
        let mut last = term;
        for brk in breaks {
            let next_term = new_node(arena, NodeValue::DescriptionTerm);
            let next_paragraph = new_node(arena, NodeValue::Paragraph);
            next_term.append(next_paragraph);
            while let Some(node) = brk.next_sibling() {
                if matches!(node.data().value, NodeValue::SoftBreak) {
                    break;
                }
                next_paragraph.append(node);
            }
            brk.detach();
            last.insert_after(next_term);
            last = next_term;
        }
    }
}

/// Headerless kramdown tables were given an empty header row; remove it.
fn remove_headerless_rows(root: Node<'_>, lines: &[usize]) {
    if lines.is_empty() {
        return;
    }
    let tables: Vec<_> = root
        .descendants()
        .filter(|n| matches!(n.data().value, NodeValue::Table(_)))
        .filter(|n| lines.contains(&n.data().sourcepos.start.line))
        .collect();
    for table in tables {
        if let Some(header) = table.first_child() {
            if matches!(header.data().value, NodeValue::TableRow(true)) {
                header.detach();
            }
        }
    }
}

/// GFM strikes through `~one tilde~`; kramdown only `~~two~~`. Chinese posts write ranges
/// with `~` (`3~5天`), so single-tilde strikethrough is put back as text.
fn single_tildes<'a>(arena: &'a Arena<'a>, root: Node<'a>, lines: &[&str]) {
    let struck: Vec<_> = root
        .descendants()
        .filter(|n| matches!(n.data().value, NodeValue::Strikethrough))
        .collect();
    for node in struck {
        let pos = node.data().sourcepos.start;
        let double = lines
            .get(pos.line.wrapping_sub(1))
            .and_then(|l| l.get(pos.column.saturating_sub(1)..))
            .is_some_and(|rest| rest.starts_with("~~"));
        if double {
            continue;
        }
        node.insert_before(new_node(arena, NodeValue::Text("~".into())));
        let children: Vec<_> = node.children().collect();
        for child in children {
            node.insert_before(child);
        }
        node.insert_before(new_node(arena, NodeValue::Text("~".into())));
        node.detach();
    }
}

/// kramdown opens `**` before any non-space and closes it after any non-space, where
/// CommonMark's flanking rules also look at punctuation: `**Note:**tested` is bold in kramdown
/// and literal in CommonMark. Pairs left as text inside one text node are made strong.
fn leftover_strong<'a>(arena: &'a Arena<'a>, root: Node<'a>) {
    let candidates: Vec<_> = text_nodes(root)
        .into_iter()
        .filter(|n| text_of(n).is_some_and(|t| t.matches("**").count() >= 2))
        .filter(|n| {
            !n.ancestors().any(|a| {
                matches!(
                    a.data().value,
                    NodeValue::Code(_) | NodeValue::CodeBlock(_) | NodeValue::Link(_)
                )
            })
        })
        .collect();
    for node in candidates {
        let Some(text) = text_of(node) else { continue };
        let mut rest = text.as_str();
        let mut pieces: Vec<(bool, String)> = Vec::new();
        while let Some(open) = rest.find("**") {
            let inner_start = open + 2;
            let Some(close_rel) = rest[inner_start..].find("**") else {
                break;
            };
            let inner = &rest[inner_start..inner_start + close_rel];
            let opens = inner.chars().next().is_some_and(|c| !c.is_whitespace());
            let closes = inner.chars().last().is_some_and(|c| !c.is_whitespace());
            if !(opens && closes) {
                pieces.push((false, rest[..inner_start].to_string()));
                rest = &rest[inner_start..];
                continue;
            }
            pieces.push((false, rest[..open].to_string()));
            pieces.push((true, inner.to_string()));
            rest = &rest[inner_start + close_rel + 2..];
        }
        if !pieces.iter().any(|(strong, _)| *strong) {
            continue;
        }
        pieces.push((false, rest.to_string()));
        for (strong, piece) in pieces {
            if piece.is_empty() {
                continue;
            }
            if strong {
                let wrapper = new_node(arena, NodeValue::Strong);
                wrapper.append(new_node(arena, NodeValue::Text(piece.into())));
                node.insert_before(wrapper);
            } else {
                node.insert_before(new_node(arena, NodeValue::Text(piece.into())));
            }
        }
        node.detach();
    }
}

/// `{::nomarkdown}` placeholders become raw HTML: a paragraph holding only one becomes an
/// HTML block, one inside text an inline raw node.
fn raw_placeholders<'a>(arena: &'a Arena<'a>, root: Node<'a>, raw: &[String]) {
    if raw.is_empty() {
        return;
    }
    for node in text_nodes(root) {
        let Some(text) = text_of(node) else { continue };
        if !text.contains(RAW_OPEN) {
            continue;
        }
        let parent = node.parent();
        let alone = parent.is_some_and(|p| {
            matches!(p.data().value, NodeValue::Paragraph)
                && p.children().count() == 1
                && text.trim().starts_with(RAW_OPEN)
                && text.trim().ends_with(RAW_CLOSE)
                && text.trim().matches(RAW_OPEN).count() == 1
        });
        if alone {
            let index: usize = text.trim()
                [RAW_OPEN.len_utf8()..text.trim().len() - RAW_CLOSE.len_utf8()]
                .parse()
                .unwrap_or(usize::MAX);
            let mut literal = raw.get(index).cloned().unwrap_or_default();
            if !literal.ends_with('\n') {
                literal.push('\n');
            }
            let paragraph = parent.unwrap();
            paragraph.data_mut().value = NodeValue::HtmlBlock(NodeHtmlBlock {
                block_type: 6,
                literal,
            });
            node.detach();
            continue;
        }
        let mut rest = text.as_str();
        while let Some(start) = rest.find(RAW_OPEN) {
            let Some(len) = rest[start..].find(RAW_CLOSE) else {
                break;
            };
            let index: usize = rest[start + RAW_OPEN.len_utf8()..start + len]
                .parse()
                .unwrap_or(usize::MAX);
            text_before(arena, node, &rest[..start]);
            let html = raw.get(index).cloned().unwrap_or_default();
            node.insert_before(new_node(arena, NodeValue::Raw(html)));
            rest = &rest[start + len + RAW_CLOSE.len_utf8()..];
        }
        set_text(node, rest.to_string());
    }
}

static SPACED_URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(!?)\[([^\[\]]*)\]\(\s*([^()"'\s][^()"']*?)\s*(?:\s("[^"]*"|'[^']*'))?\s*\)"#)
        .expect("valid regex")
});

/// kramdown takes `![x](/a b.png)` and `[x](/a b)` as an image and a link; CommonMark does not
/// allow spaces in a URL and leaves the text. Those left in text are made nodes here.
fn spaced_urls<'a>(arena: &'a Arena<'a>, root: Node<'a>) {
    for node in text_nodes(root) {
        let Some(text) = text_of(node) else { continue };
        if !text.contains("](") {
            continue;
        }
        if node
            .ancestors()
            .any(|a| matches!(a.data().value, NodeValue::Link(_) | NodeValue::Image(_)))
        {
            continue;
        }
        let mut last = 0;
        let mut changed = false;
        for caps in SPACED_URL.captures_iter(&text) {
            let whole = caps.get(0).expect("group 0");
            let url = caps.get(3).map_or("", |m| m.as_str()).trim();
            if !url.contains(char::is_whitespace) {
                continue;
            }
            changed = true;
            text_before(arena, node, &text[last..whole.start()]);
            let title = caps
                .get(4)
                .map(|m| m.as_str()[1..m.as_str().len() - 1].to_string())
                .unwrap_or_default();
            let link = NodeLink {
                url: url.to_string(),
                title,
            };
            let value = if &caps[1] == "!" {
                NodeValue::Image(Box::new(link))
            } else {
                NodeValue::Link(Box::new(link))
            };
            let element = new_node(arena, value);
            let label = &caps[2];
            if !label.is_empty() {
                element.append(new_node(arena, NodeValue::Text(label.to_string().into())));
            }
            node.insert_before(element);
            last = whole.end();
        }
        if changed {
            set_text(node, text[last..].to_string());
        }
    }
}

/// Block attribute lists on lines of their own: applied to the block that ends on the line
/// before, or to the next block. `{:toc}` marks a list to be replaced by the table of contents.
fn block_ials<'a>(
    root: Node<'a>,
    prepared: &Prepared,
    toc_lists: &mut Vec<Node<'a>>,
    warnings: &mut Vec<String>,
) {
    if prepared.block_ials.is_empty() {
        return;
    }
    let blocks: Vec<(Node<'a>, usize, usize, usize, usize)> = root
        .descendants()
        .filter(|n| is_block_target(&n.data().value))
        .map(|n| {
            let pos = n.data().sourcepos;
            (n, pos.start.line, pos.end.line, quote_depth(n), nesting(n))
        })
        .collect();
    // Blocks by the line they end on, and in the order they start (descendants() is in
    // document order, so start lines never decrease).
    let mut by_end: HashMap<usize, Vec<usize>> = HashMap::new();
    for (k, b) in blocks.iter().enumerate() {
        by_end.entry(b.2).or_default().push(k);
    }
    for ial in &prepared.block_ials {
        let target = if ial.after {
            by_end
                .get(&(ial.line - 1))
                .into_iter()
                .flatten()
                .map(|&k| &blocks[k])
                .filter(|b| b.3 == ial.quote_depth)
                .min_by_key(|b| b.4)
        } else {
            let from = blocks.partition_point(|b| b.1 <= ial.line);
            let first = blocks[from..]
                .iter()
                .find(|b| b.3 == ial.quote_depth)
                .map(|b| b.1);
            first.and_then(|line| {
                blocks[from..]
                    .iter()
                    .take_while(|b| b.1 == line)
                    .filter(|b| b.3 == ial.quote_depth)
                    .min_by_key(|b| b.4)
            })
        };
        let attrs = ial.attrs.resolve(&prepared.definitions);
        let Some(&(node, ..)) = target else {
            if attrs.refs.iter().any(|r| r == "toc") {
                warnings.push("`{:toc}` is not under a list; no table of contents".into());
            }
            continue;
        };
        if attrs.refs.iter().any(|r| r == "toc") {
            if matches!(node.data().value, NodeValue::List(_)) {
                toc_lists.push(node);
            } else {
                warnings.push("`{:toc}` is not under a list; no table of contents".into());
            }
        }
        apply_attrs(node, &attrs);
    }
}

static HEADER_ID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[\t ]\{#([A-Za-z][\w:-]*)\}[\t ]*$").expect("valid regex"));
static TRAILING_IAL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[\t ]*\{:([^{}:/][^{}]*)\}[\t ]*$").expect("valid regex"));

/// `## Title {#id}` (kramdown's header id) and `## Title {: .no_toc}` (an attribute list at
/// the end of a heading, which kramdown's GFM parser would print) set the heading's id and
/// class.
fn heading_attributes(root: Node<'_>, definitions: &HashMap<String, AttrList>) {
    let headings: Vec<_> = root
        .descendants()
        .filter(|n| matches!(n.data().value, NodeValue::Heading(_)))
        .collect();
    for heading in headings {
        let Some(last) = heading.last_child() else {
            continue;
        };
        let Some(text) = text_of(last) else { continue };
        let mut text = text;
        let mut changed = false;
        if let Some(caps) = TRAILING_IAL.captures(&text) {
            if let Some(attrs) = parse_attr_list(&caps[1], true) {
                apply_attrs(heading, &attrs.resolve(definitions));
                let start = caps.get(0).expect("group 0").start();
                text.truncate(start);
                changed = true;
            }
        }
        if let Some(caps) = HEADER_ID.captures(&text) {
            let id = caps[1].to_string();
            apply_attrs(
                heading,
                &AttrList {
                    id: Some(id),
                    ..AttrList::default()
                },
            );
            let start = caps.get(0).expect("group 0").start();
            text.truncate(start);
            changed = true;
        }
        if changed {
            let trimmed = text.trim_end().to_string();
            set_text(last, trimmed);
        }
    }
}

fn is_span_element(value: &NodeValue) -> bool {
    matches!(
        value,
        NodeValue::Link(_)
            | NodeValue::Image(_)
            | NodeValue::Emph
            | NodeValue::Strong
            | NodeValue::Code(_)
            | NodeValue::Strikethrough
    )
}

/// An attribute list broken over two lines (`![x](a.png){:` then `.small}`) is one for kramdown
/// (its characters may be line breaks): the text on both sides of the break is joined.
fn join_split_ials(root: Node<'_>) {
    for node in text_nodes(root) {
        let Some(text) = text_of(node) else {
            continue;
        };
        let open = text.rfind("{:").is_some_and(|at| !text[at..].contains('}'));
        let (Some(brk), true) = (node.next_sibling(), open) else {
            continue;
        };
        let Some(next) = brk.next_sibling() else {
            continue;
        };
        let rest = match (&brk.data().value, text_of(next)) {
            (NodeValue::SoftBreak, Some(rest)) if rest.contains('}') => rest,
            _ => continue,
        };
        brk.detach();
        next.detach();
        set_text(node, format!("{text} {rest}"));
    }
}

static SPAN_IAL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\{:([^{}:/][^{}]*|)\}").expect("valid regex"));

/// Span attribute lists: `![x](a.png){: .c}`, `[x](u){:target="_blank"}`, `*x*{: .c}` apply to
/// the element just before. One that follows no element is removed (kramdown prints it), with a
/// warning, except at the end of a paragraph's last line, where it applies to the paragraph.
fn span_ials(root: Node<'_>, definitions: &HashMap<String, AttrList>, warnings: &mut Vec<String>) {
    join_split_ials(root);
    for node in text_nodes(root) {
        let Some(mut text) = text_of(node) else {
            continue;
        };
        if !text.contains("{:") {
            continue;
        }
        let mut changed = false;
        if text.starts_with("{:") {
            if let Some(prev) = node.previous_sibling() {
                if is_span_element(&prev.data().value) {
                    if let Some(caps) = SPAN_IAL.captures(&text) {
                        let whole = caps.get(0).expect("group 0");
                        if whole.start() == 0 {
                            if let Some(attrs) = parse_attr_list(&caps[1], false) {
                                apply_attrs(prev, &attrs.resolve(definitions));
                                text.replace_range(..whole.end(), "");
                                changed = true;
                            }
                        }
                    }
                }
            }
        }
        // Lists that follow no element.
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for caps in SPAN_IAL.captures_iter(&text) {
            let whole = caps.get(0).expect("group 0");
            let Some(attrs) = parse_attr_list(&caps[1], true) else {
                continue;
            };
            let before = &text[last..whole.start()];
            let at_line_start = text[..whole.start()]
                .trim_end_matches([' ', '\t'])
                .is_empty()
                || text[..whole.start()].ends_with('\n');
            let ends_paragraph = text[whole.end()..].trim().is_empty()
                && node.next_sibling().is_none()
                && node
                    .parent()
                    .is_some_and(|p| matches!(p.data().value, NodeValue::Paragraph));
            let after_break = at_line_start
                && text[..whole.start()].trim().is_empty()
                && node
                    .previous_sibling()
                    .is_some_and(|p| matches!(p.data().value, NodeValue::SoftBreak));
            if ends_paragraph && (after_break || text[..whole.start()].ends_with('\n')) {
                let paragraph = node.parent().expect("checked above");
                apply_attrs(paragraph, &attrs.resolve(definitions));
                if after_break {
                    if let Some(brk) = node.previous_sibling() {
                        brk.detach();
                    }
                }
            } else {
                warnings.push(format!(
                    "kramdown attribute list `{}` follows no element; dropped",
                    whole.as_str()
                ));
            }
            out.push_str(before.trim_end_matches([' ', '\t']));
            last = whole.end();
            changed = true;
        }
        if changed {
            out.push_str(&text[last..]);
            if out.is_empty() {
                node.detach();
            } else {
                set_text(node, out);
            }
        }
    }
}

/// kramdown's math: `$$…$$` alone in a paragraph is display math (`\[…\]`), elsewhere inline
/// math (`\(…\)`), as MathJax reads them. A single `$` is not math in kramdown.
fn math<'a>(arena: &'a Arena<'a>, root: Node<'a>) {
    let nodes: Vec<_> = root
        .descendants()
        .filter(|n| matches!(n.data().value, NodeValue::Math(_)))
        .collect();
    for node in nodes {
        let NodeValue::Math(m) = node.data().value.clone() else {
            continue;
        };
        if !m.display_math {
            let text = format!("${}$", m.literal);
            node.insert_before(new_node(arena, NodeValue::Text(text.into())));
            node.detach();
            continue;
        }
        let escaped = html_escape::encode_text(&m.literal).into_owned();
        let parent = node.parent();
        let alone = parent.is_some_and(|p| {
            matches!(p.data().value, NodeValue::Paragraph)
                && p.children().all(|c| {
                    c.same_node(node)
                        || matches!(c.data().value, NodeValue::SoftBreak)
                        || text_of(c).is_some_and(|t| t.trim().is_empty())
                })
        });
        if alone {
            let paragraph = parent.expect("checked above");
            let children: Vec<_> = paragraph.children().collect();
            for child in children {
                child.detach();
            }
            paragraph.data_mut().value = NodeValue::HtmlBlock(NodeHtmlBlock {
                block_type: 6,
                literal: format!("\\[{}\\]\n", escaped.trim()),
            });
        } else {
            node.insert_before(new_node(
                arena,
                NodeValue::Raw(format!("\\({}\\)", escaped.trim())),
            ));
            node.detach();
        }
    }
}

fn in_autolink(node: Node<'_>) -> bool {
    let Some(parent) = node.parent() else {
        return false;
    };
    let data = parent.data();
    let NodeValue::Link(link) = &data.value else {
        return false;
    };
    let text = text_of(node).unwrap_or_default();
    link.url == text || link.url.strip_prefix("mailto:") == Some(text.as_str())
}

/// kramdown's typographic symbols and smart quotes on every text node.
fn typography(root: Node<'_>) {
    for node in text_nodes(root) {
        if in_autolink(node) {
            continue;
        }
        let Some(text) = text_of(node) else { continue };
        if !text.contains(['"', '\'', '-', '.', '<', '>']) {
            continue;
        }
        let smart = super::typography::smarten(&text);
        if smart != text {
            set_text(node, smart);
        }
    }
}

/// The text kramdown's GFM parser makes a heading's id from: text, code and math, without
/// images and footnote markers.
fn raw_text(node: Node<'_>, out: &mut String) {
    for child in node.children() {
        match &child.data().value {
            NodeValue::Text(t) => out.push_str(t),
            NodeValue::Code(c) => out.push_str(&c.literal),
            NodeValue::Math(m) => out.push_str(&m.literal),
            NodeValue::SoftBreak | NodeValue::LineBreak => out.push(' '),
            NodeValue::Image(_) | NodeValue::FootnoteReference(_) | NodeValue::Raw(_) => {}
            _ => raw_text(child, out),
        }
    }
}

/// kramdown-parser-gfm's ids: lowercase, everything but word characters, `-`, spaces and tabs
/// removed, spaces and tabs made `-`; a repeat gets `-1`, `-2`, ….
pub fn gfm_id(text: &str, counter: &mut HashMap<String, usize>) -> String {
    let mut id: String = text
        .to_lowercase()
        .chars()
        .filter(|&c| c.is_alphanumeric() || c == '_' || c == '-' || c == ' ' || c == '\t')
        .map(|c| if c == ' ' || c == '\t' { '-' } else { c })
        .collect();
    let seen = counter.entry(id.clone()).or_insert(0);
    if *seen > 0 {
        let _ = write!(id, "-{seen}");
    }
    *seen += 1;
    id
}

fn heading_ids(root: Node<'_>) {
    let mut counter = HashMap::new();
    let headings: Vec<_> = root
        .descendants()
        .filter(|n| matches!(n.data().value, NodeValue::Heading(_)))
        .collect();
    for heading in headings {
        if id_of(heading).is_some() {
            continue;
        }
        let mut text = String::new();
        raw_text(heading, &mut text);
        let id = gfm_id(&text, &mut counter);
        // kramdown writes no id="" for a heading with no word characters.
        if id.is_empty() {
            continue;
        }
        apply_attrs(
            heading,
            &AttrList {
                id: Some(id),
                ..AttrList::default()
            },
        );
    }
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// `*[HTML]: Hyper Text Markup Language` wraps each `HTML` standing as a word in `<abbr>`.
fn abbreviations<'a>(arena: &'a Arena<'a>, root: Node<'a>, abbreviations: &[(String, String)]) {
    if abbreviations.is_empty() {
        return;
    }
    let mut sorted: Vec<&(String, String)> = abbreviations.iter().collect();
    sorted.sort_by_key(|(a, _)| std::cmp::Reverse(a.len()));
    let titles: HashMap<&str, &str> = abbreviations
        .iter()
        .map(|(a, t)| (a.as_str(), t.as_str()))
        .collect();
    let pattern = sorted
        .iter()
        .map(|(a, _)| regex::escape(a))
        .collect::<Vec<_>>()
        .join("|");
    let Ok(re) = Regex::new(&format!("(?:{pattern})")) else {
        return;
    };
    for node in text_nodes(root) {
        let Some(text) = text_of(node) else { continue };
        let mut last = 0;
        let mut changed = false;
        for m in re.find_iter(&text) {
            let before_ok = !text[..m.start()]
                .chars()
                .next_back()
                .is_some_and(is_word_char);
            let after_ok = !text[m.end()..].chars().next().is_some_and(is_word_char);
            if !before_ok || !after_ok {
                continue;
            }
            changed = true;
            text_before(arena, node, &text[last..m.start()]);
            let title = titles.get(m.as_str()).copied().unwrap_or_default();
            let html = if title.is_empty() {
                format!("<abbr>{}</abbr>", html_escape::encode_text(m.as_str()))
            } else {
                format!(
                    "<abbr title=\"{}\">{}</abbr>",
                    html_escape::encode_double_quoted_attribute(title),
                    html_escape::encode_text(m.as_str())
                )
            };
            node.insert_before(new_node(arena, NodeValue::Raw(html)));
            last = m.end();
        }
        if changed {
            set_text(node, text[last..].to_string());
        }
    }
}

static MARKDOWN_ATTRIBUTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)\s+markdown\s*=\s*(?:"[^"]*"|'[^']*'|[a-z0-9]+)"#).expect("valid regex")
});

/// kramdown removes its `markdown="1"` switch from the HTML it writes.
fn markdown_attributes(root: Node<'_>) {
    for node in root.descendants() {
        let mut data = node.data_mut();
        match &mut data.value {
            NodeValue::HtmlBlock(block) if block.literal.contains("markdown") => {
                if let std::borrow::Cow::Owned(s) =
                    MARKDOWN_ATTRIBUTE.replace_all(&block.literal, "")
                {
                    block.literal = s;
                }
            }
            NodeValue::HtmlInline(html) if html.contains("markdown") => {
                if let std::borrow::Cow::Owned(s) = MARKDOWN_ATTRIBUTE.replace_all(html, "") {
                    *html = s;
                }
            }
            _ => {}
        }
    }
}

/// kramdown's table of contents in place of the list marked `{:toc}`: every heading with an id
/// and without the `no_toc` class, nested by level, each a link to the heading.
fn table_of_contents<'a>(arena: &'a Arena<'a>, root: Node<'a>, list: Node<'a>) {
    let ordered = matches!(
        &list.data().value,
        NodeValue::List(l) if l.list_type == comrak::nodes::ListType::Ordered
    );
    let tag = if ordered { "ol" } else { "ul" };
    let list_id = id_of(list).unwrap_or_else(|| "markdown-toc".to_string());
    let list_classes = list
        .data()
        .attrs
        .as_ref()
        .map(|a| a.classes.join(" "))
        .unwrap_or_default();
    let mut entries = Vec::new();
    for heading in root.descendants() {
        let level = match &heading.data().value {
            NodeValue::Heading(h) => h.level as usize,
            _ => continue,
        };
        if has_class(heading, "no_toc") {
            continue;
        }
        let Some(id) = id_of(heading) else { continue };
        let inner = super::html::render_toc_entry(heading);
        entries.push((level, id, inner));
    }
    // kramdown's generate_toc_tree: each entry nests under the last one of a lower level.
    let esc = |s: &str| html_escape::encode_double_quoted_attribute(s).into_owned();
    let mut html = format!("<{tag} id=\"{}\"", esc(&list_id));
    if !list_classes.is_empty() {
        let _ = write!(html, " class=\"{}\"", esc(&list_classes));
    }
    html.push_str(">\n");
    // The open items: their level, and whether their nested list is open.
    let mut stack: Vec<(usize, bool)> = Vec::new();
    let close = |html: &mut String, item: (usize, bool)| {
        if item.1 {
            let _ = writeln!(html, "</{tag}>");
        }
        html.push_str("</li>\n");
    };
    for (level, id, inner) in &entries {
        while let Some(&top) = stack.last() {
            if top.0 < *level {
                break;
            }
            stack.pop();
            close(&mut html, top);
        }
        if let Some(top) = stack.last_mut() {
            if !top.1 {
                let _ = write!(html, "\n<{tag}>\n");
                top.1 = true;
            }
        }
        let _ = write!(
            html,
            "<li><a href=\"#{}\" id=\"{}-{}\">{}</a>",
            esc(id),
            esc(&list_id),
            esc(id),
            inner
        );
        stack.push((*level, false));
    }
    while let Some(top) = stack.pop() {
        close(&mut html, top);
    }
    let _ = writeln!(html, "</{tag}>");
    list.insert_before(new_node(
        arena,
        NodeValue::HtmlBlock(NodeHtmlBlock {
            block_type: 6,
            literal: html,
        }),
    ));
    list.detach();
}

#[cfg(test)]
mod tests {
    #[test]
    fn strong_as_kramdown_reads_it() {
        let html =
            crate::render::markdown::to_html("**Note:**tested, and **not ** this, `**code**`.\n").0;
        assert!(html.contains("<strong>Note:</strong>tested"), "{html}");
        assert!(html.contains("**not ** this"), "{html}");
        assert!(html.contains("<code>**code**</code>"), "{html}");
    }
}
