//! The tree written as HTML with comrak's renderer, except where kramdown writes it otherwise:
//! attribute lists on elements, footnotes (`fn:NAME`/`fnref:NAME` ids and kramdown's markup),
//! tables that start without a header.

use std::fmt::{self, Write};

use comrak::html::{format_document_with_formatter, format_node_default, ChildRendering, Context};
use comrak::nodes::{AstNode, ListType, NodeValue};
use comrak::options::Plugins;
use comrak::Options;

type Node<'a> = &'a AstNode<'a>;

/// What the renderer carries from node to node.
#[derive(Debug, Default)]
pub struct State {
    pub footnote_nr: u32,
    footnotes_open: bool,
    /// Rendering a heading for the table of contents: links give their text only, footnote
    /// markers go.
    toc_entry: bool,
}

/// Writes `root` as HTML.
pub fn render(root: Node<'_>, options: &Options, footnote_nr: u32) -> String {
    let mut out = String::new();
    let state = State {
        footnote_nr,
        ..State::default()
    };
    let plugins = Plugins::default();
    // Writing to a String cannot fail.
    let _ = format_document_with_formatter(root, options, &mut out, &plugins, format, state);
    out
}

/// A heading's content as the table of contents shows it.
pub fn render_toc_entry(heading: Node<'_>) -> String {
    let options = super::options();
    let plugins = Plugins::default();
    let mut out = String::new();
    for child in heading.children() {
        let state = State {
            toc_entry: true,
            ..State::default()
        };
        let _ = format_document_with_formatter(child, &options, &mut out, &plugins, format, state);
    }
    out
}

fn esc_attr(s: &str) -> String {
    html_escape::encode_double_quoted_attribute(s).into_owned()
}

/// ` class="…" id="…" key="…"` for the node's attribute list, with `class` first.
fn write_attrs(out: &mut dyn Write, node: Node<'_>) -> fmt::Result {
    let data = node.data();
    let Some(attrs) = data.attrs.as_deref() else {
        return Ok(());
    };
    if !attrs.classes.is_empty() {
        write!(out, " class=\"{}\"", esc_attr(&attrs.classes.join(" ")))?;
    }
    if let Some(id) = &attrs.id {
        write!(out, " id=\"{}\"", esc_attr(id))?;
    }
    for (key, value) in &attrs.pairs {
        write!(out, " {key}=\"{}\"", esc_attr(value))?;
    }
    Ok(())
}

/// `<name` with the node's attributes; the caller ends the tag.
fn open_tag(out: &mut dyn Write, name: &str, node: Node<'_>) -> fmt::Result {
    write!(out, "<{name}")?;
    write_attrs(out, node)
}

/// ` title="…"` for a link or image that has a title.
fn write_title(context: &mut Context<State>, title: &str) -> fmt::Result {
    if !title.is_empty() {
        context.write_str(" title=\"")?;
        context.escape(title)?;
        context.write_str("\"")?;
    }
    Ok(())
}

fn tight(node: Node<'_>) -> bool {
    first_paragraph_without_blank_after(node)
        || node
            .parent()
            .and_then(comrak::arena_tree::Node::parent)
            .is_some_and(|n| match n.data().value {
                NodeValue::List(nl) => nl.tight,
                NodeValue::DescriptionItem(ndi) => ndi.tight,
                _ => false,
            })
        || node
            .parent()
            .is_some_and(|n| matches!(n.data().value, NodeValue::DescriptionTerm))
}

/// kramdown writes a list item's first paragraph without `<p>` unless a blank line follows it
/// in the item (or before the next item); the last item's never has one (`list.rb`). CommonMark
/// gives every item of a list with a blank line anywhere a `<p>`.
fn first_paragraph_without_blank_after(node: Node<'_>) -> bool {
    let Some(item) = node.parent() else {
        return false;
    };
    if !matches!(
        item.data().value,
        NodeValue::Item(_) | NodeValue::TaskItem(_)
    ) || node.previous_sibling().is_some()
    {
        return false;
    }
    let end = node.data().sourcepos.end.line;
    let starts_right_after = |next: Node<'_>| next.data().sourcepos.start.line <= end + 1;
    match (node.next_sibling(), item.next_sibling()) {
        (Some(next), _) => starts_right_after(next),
        (None, Some(next_item)) => starts_right_after(next_item),
        (None, None) => true,
    }
}

/// kramdown's back links at the end of a footnote.
fn backrefs(context: &mut Context<State>, name: &str, total: u32) -> fmt::Result {
    let name = esc_attr(name);
    write!(
        context,
        "<a href=\"#fnref:{name}\" class=\"reversefootnote\" role=\"doc-backlink\">&#8617;</a>"
    )?;
    for k in 2..=total {
        write!(
            context,
            " <a href=\"#fnref:{name}:{}\" class=\"reversefootnote\" role=\"doc-backlink\">&#8617;<sup>{k}</sup></a>",
            k - 1
        )?;
    }
    Ok(())
}

fn footnote_definition(node: Node<'_>) -> Option<(String, u32)> {
    match &node.data().value {
        NodeValue::FootnoteDefinition(d) => Some((d.name.clone(), d.total_references)),
        _ => None,
    }
}

fn format(
    context: &mut Context<State>,
    node: Node<'_>,
    entering: bool,
) -> Result<ChildRendering, fmt::Error> {
    let value = node.data().value.clone();
    let has_attrs = node.data().attrs.is_some();
    match value {
        NodeValue::Document => {
            if !entering && context.user.footnotes_open {
                context.write_str("  </ol>\n</div>\n")?;
            }
            Ok(ChildRendering::HTML)
        }
        NodeValue::Paragraph => {
            if tight(node) && !has_attrs {
                if first_paragraph_without_blank_after(node) {
                    // Its text alone, as comrak writes a tight list's paragraphs.
                    return Ok(ChildRendering::HTML);
                }
                return format_node_default(context, node, entering);
            }
            if entering {
                context.cr()?;
                open_tag(context, "p", node)?;
                context.write_str(">")?;
            } else {
                let parent = node.parent();
                if node.next_sibling().is_none() {
                    if let Some((name, total)) = parent.and_then(footnote_definition) {
                        context.write_str(" ")?;
                        backrefs(context, &name, total)?;
                    }
                }
                context.write_str("</p>\n")?;
            }
            Ok(ChildRendering::HTML)
        }
        NodeValue::Heading(h) => {
            if entering {
                context.cr()?;
                write!(context, "<h{}", h.level)?;
                write_attrs(context, node)?;
                context.write_str(">")?;
            } else {
                writeln!(context, "</h{}>", h.level)?;
            }
            Ok(ChildRendering::HTML)
        }
        NodeValue::List(l) if has_attrs => {
            let tag = if l.list_type == ListType::Bullet {
                "ul"
            } else {
                "ol"
            };
            if entering {
                context.cr()?;
                open_tag(context, tag, node)?;
                if l.list_type == ListType::Ordered && l.start != 1 {
                    write!(context, " start=\"{}\"", l.start)?;
                }
                context.write_str(">\n")?;
            } else {
                writeln!(context, "</{tag}>")?;
            }
            Ok(ChildRendering::HTML)
        }
        NodeValue::BlockQuote if has_attrs => {
            if entering {
                context.cr()?;
                open_tag(context, "blockquote", node)?;
                context.write_str(">\n")?;
            } else {
                context.cr()?;
                context.write_str("</blockquote>\n")?;
            }
            Ok(ChildRendering::HTML)
        }
        NodeValue::CodeBlock(code) if has_attrs => {
            if entering {
                context.cr()?;
                open_tag(context, "pre", node)?;
                context.write_str("><code")?;
                let lang = code.info.split_whitespace().next().unwrap_or("");
                if !lang.is_empty() {
                    write!(context, " class=\"language-{}\"", esc_attr(lang))?;
                }
                context.write_str(">")?;
                context.escape(&code.literal)?;
                context.write_str("</code></pre>\n")?;
            }
            Ok(ChildRendering::HTML)
        }
        NodeValue::Table(_) => {
            if entering {
                context.cr()?;
                open_tag(context, "table", node)?;
                context.write_str(">\n")?;
            } else {
                let body = node
                    .children()
                    .any(|r| matches!(r.data().value, NodeValue::TableRow(false)));
                if body {
                    context.cr()?;
                    context.write_str("</tbody>\n")?;
                }
                context.cr()?;
                context.write_str("</table>\n")?;
            }
            Ok(ChildRendering::HTML)
        }
        NodeValue::TableRow(header) => {
            if entering {
                context.cr()?;
                let first_body = !header
                    && node
                        .previous_sibling()
                        .is_none_or(|p| matches!(p.data().value, NodeValue::TableRow(true)));
                if header {
                    context.write_str("<thead>\n")?;
                } else if first_body {
                    context.write_str("<tbody>\n")?;
                }
                context.write_str("<tr>")?;
            } else {
                context.cr()?;
                context.write_str("</tr>")?;
                if header {
                    context.cr()?;
                    context.write_str("</thead>")?;
                }
            }
            Ok(ChildRendering::HTML)
        }
        NodeValue::Link(link) => {
            if context.user.toc_entry {
                return Ok(ChildRendering::HTML);
            }
            if entering {
                context.write_str("<a href=\"")?;
                context.escape_href(&link.url)?;
                context.write_str("\"")?;
                write_title(context, &link.title)?;
                write_attrs(context, node)?;
                context.write_str(">")?;
            } else {
                context.write_str("</a>")?;
            }
            Ok(ChildRendering::HTML)
        }
        NodeValue::Image(link) => {
            if entering {
                context.write_str("<img src=\"")?;
                context.escape_href(&link.url)?;
                context.write_str("\" alt=\"")?;
                Ok(ChildRendering::Plain)
            } else {
                context.write_str("\"")?;
                write_title(context, &link.title)?;
                write_attrs(context, node)?;
                context.write_str(" />")?;
                Ok(ChildRendering::HTML)
            }
        }
        NodeValue::Emph | NodeValue::Strong | NodeValue::Strikethrough if has_attrs => {
            let tag = match value {
                NodeValue::Emph => "em",
                NodeValue::Strong => "strong",
                _ => "del",
            };
            if entering {
                open_tag(context, tag, node)?;
                context.write_str(">")?;
            } else {
                write!(context, "</{tag}>")?;
            }
            Ok(ChildRendering::HTML)
        }
        NodeValue::Code(code) if has_attrs => {
            if entering {
                open_tag(context, "code", node)?;
                context.write_str(">")?;
                context.escape(&code.literal)?;
                context.write_str("</code>")?;
            }
            Ok(ChildRendering::HTML)
        }
        NodeValue::FootnoteReference(r) => {
            if entering && !context.user.toc_entry {
                let name = esc_attr(&r.name);
                let id = if r.ref_num > 1 {
                    format!("fnref:{name}:{}", r.ref_num - 1)
                } else {
                    format!("fnref:{name}")
                };
                let number = r.ix + context.user.footnote_nr.max(1) - 1;
                write!(
                    context,
                    "<sup id=\"{id}\" role=\"doc-noteref\"><a href=\"#fn:{name}\" class=\"footnote\" rel=\"footnote\">{number}</a></sup>"
                )?;
            }
            Ok(ChildRendering::HTML)
        }
        NodeValue::FootnoteDefinition(d) => {
            if entering {
                if !context.user.footnotes_open {
                    context.cr()?;
                    let start = context.user.footnote_nr.max(1);
                    if start == 1 {
                        context.write_str(
                            "<div class=\"footnotes\" role=\"doc-endnotes\">\n  <ol>\n",
                        )?;
                    } else {
                        write!(
                            context,
                            "<div class=\"footnotes\" role=\"doc-endnotes\">\n  <ol start=\"{start}\">\n"
                        )?;
                    }
                    context.user.footnotes_open = true;
                }
                writeln!(
                    context,
                    "    <li id=\"fn:{}\" role=\"doc-endnote\">",
                    esc_attr(&d.name)
                )?;
            } else {
                let ends_in_paragraph = node
                    .last_child()
                    .is_some_and(|c| matches!(c.data().value, NodeValue::Paragraph));
                if !ends_in_paragraph {
                    context.cr()?;
                    context.write_str("<p>")?;
                    backrefs(context, &d.name, d.total_references)?;
                    context.write_str("</p>\n")?;
                }
                context.cr()?;
                context.write_str("    </li>\n")?;
            }
            Ok(ChildRendering::HTML)
        }
        _ => format_node_default(context, node, entering),
    }
}
