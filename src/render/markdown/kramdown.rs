//! kramdown's own block syntax, taken out of the text before the CommonMark parser sees it.
//!
//! Line by line, outside code blocks and raw HTML blocks:
//! - block attribute lists (`{: .class #id key="v"}`, `{:toc}`) and attribute list definitions
//!   (`{:name: .class}`) become blank lines and are remembered with the line they apply to;
//! - `{::options …/}` is read (`auto_ids`, `footnote_nr`), `{::comment}…{:/comment}` dropped,
//!   `{::nomarkdown}…{:/nomarkdown}` kept as raw HTML behind a placeholder;
//! - abbreviation definitions (`*[HTML]: Hyper Text…`) are taken out;
//! - tables as kramdown reads them (any block that starts with a line holding a `|`, with or
//!   without a delimiter row) are made into GFM tables: a headerless table gets an empty
//!   header row that the tree pass removes again.

use std::collections::HashMap;

/// The private-use characters around a placeholder for raw HTML: `\u{E000}N\u{E001}`.
pub const RAW_OPEN: char = '\u{E000}';
pub const RAW_CLOSE: char = '\u{E001}';

/// An attribute list: `{: #id .class key="value" reference}`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AttrList {
    pub id: Option<String>,
    pub classes: Vec<String>,
    pub pairs: Vec<(String, String)>,
    /// Names of attribute list definitions (and `toc`).
    pub refs: Vec<String>,
}

impl AttrList {
    pub fn is_empty(&self) -> bool {
        self.id.is_none() && self.classes.is_empty() && self.pairs.is_empty()
    }

    /// Adds `other` on top of this list: its id and pairs win, its classes are appended.
    pub fn merge(&mut self, other: &AttrList) {
        other.lay_over(&mut self.id, &mut self.classes, &mut self.pairs);
    }

    /// Lays this list over attributes held elsewhere (a parsed node's) as [`Self::merge`] does.
    pub fn lay_over(
        &self,
        id: &mut Option<String>,
        classes: &mut Vec<String>,
        pairs: &mut Vec<(String, String)>,
    ) {
        if self.id.is_some() {
            id.clone_from(&self.id);
        }
        for class in &self.classes {
            if !classes.contains(class) {
                classes.push(class.clone());
            }
        }
        for (key, value) in &self.pairs {
            match pairs.iter_mut().find(|(k, _)| k == key) {
                Some(pair) => pair.1.clone_from(value),
                None => pairs.push((key.clone(), value.clone())),
            }
        }
    }

    /// The list with its references to definitions replaced by what they define (kramdown
    /// applies the definitions first, then the list's own attributes). `toc` stays a reference.
    pub fn resolve(&self, definitions: &HashMap<String, AttrList>) -> AttrList {
        let mut out = AttrList::default();
        for name in &self.refs {
            match definitions.get(name) {
                Some(definition) => out.merge(definition),
                None => out.refs.push(name.clone()),
            }
        }
        out.merge(self);
        out.refs.retain(|r| !definitions.contains_key(r));
        out
    }
}

fn is_name_start(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

/// Parses the inside of an attribute list (between `{:` and `}`). `strict`: every token must
/// be one kramdown knows, else `None` (used for lists found inside running text, where a
/// brace may be prose); otherwise unknown tokens are skipped as kramdown does.
pub fn parse_attr_list(inner: &str, strict: bool) -> Option<AttrList> {
    let mut attrs = AttrList::default();
    let chars: Vec<char> = inner.chars().collect();
    let mut i = 0;
    let mut tokens = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        tokens += 1;
        let word_end = |from: usize| {
            let mut j = from;
            while j < chars.len() && !chars[j].is_whitespace() {
                j += 1;
            }
            j
        };
        if c == '#' || c == '.' {
            let end = word_end(i + 1);
            let value: String = chars[i + 1..end].iter().collect();
            if value.is_empty() {
                if strict {
                    return None;
                }
            } else if c == '#' {
                attrs.id = Some(value);
            } else {
                attrs.classes.push(value);
            }
            i = end;
            continue;
        }
        if is_name_start(c) {
            let mut j = i;
            while j < chars.len() && is_name_char(chars[j]) {
                j += 1;
            }
            let name: String = chars[i..j].iter().collect();
            if j < chars.len() && chars[j] == '=' {
                let quote = chars.get(j + 1).copied();
                if let Some(q @ ('"' | '\'')) = quote {
                    let mut k = j + 2;
                    let mut value = String::new();
                    let mut closed = false;
                    while k < chars.len() {
                        if chars[k] == '\\' && k + 1 < chars.len() {
                            value.push(chars[k + 1]);
                            k += 2;
                            continue;
                        }
                        if chars[k] == q {
                            closed = true;
                            break;
                        }
                        value.push(chars[k]);
                        k += 1;
                    }
                    if closed {
                        if name == "class" {
                            attrs
                                .classes
                                .extend(value.split_whitespace().map(String::from));
                        } else if name == "id" {
                            attrs.id = Some(value);
                        } else {
                            attrs.pairs.push((name, value));
                        }
                        i = k + 1;
                        continue;
                    }
                }
                if strict {
                    return None;
                }
                i = word_end(j);
                continue;
            }
            if j == chars.len() || chars[j].is_whitespace() {
                attrs.refs.push(name);
                i = j;
                continue;
            }
        }
        if strict {
            return None;
        }
        i = word_end(i);
    }
    if strict && tokens == 0 {
        return None;
    }
    Some(attrs)
}

/// A block attribute list found on a line of its own.
#[derive(Debug, Clone)]
pub struct BlockIal {
    /// The (1-based) line of the prepared text where the list stood (now blank).
    pub line: usize,
    /// How many `>` stood before it: the block quote it belongs to.
    pub quote_depth: usize,
    /// Applies to the block ending on the line before (`true`), or to the next block.
    pub after: bool,
    pub attrs: AttrList,
}

/// The text ready for the CommonMark parser, and what was taken out of it.
#[derive(Debug, Default)]
pub struct Prepared {
    pub text: String,
    pub block_ials: Vec<BlockIal>,
    pub definitions: HashMap<String, AttrList>,
    /// Raw HTML behind the placeholders, by number.
    pub raw: Vec<String>,
    /// Abbreviation definitions: (abbreviation, title), in the order written.
    pub abbreviations: Vec<(String, String)>,
    /// Lines (1-based) of the empty header rows added to headerless tables.
    pub headerless_tables: Vec<usize>,
    pub auto_ids: bool,
    pub footnote_nr: u32,
    pub warnings: Vec<String>,
}

/// Splits `line` at the unescaped pipes outside code spans; `None` when there are none.
fn table_cells(line: &str) -> Option<Vec<&str>> {
    let bytes = line.as_bytes();
    let mut cells = Vec::new();
    let mut start = 0;
    let mut i = 0;
    let mut pipes = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'`' => {
                let run = bytes[i..].iter().take_while(|&&b| b == b'`').count();
                let fence = &line[i..i + run];
                match line[i + run..].find(fence) {
                    Some(end) => i += run + end + run,
                    None => i += run,
                }
            }
            b'|' => {
                cells.push(&line[start..i]);
                pipes += 1;
                i += 1;
                start = i;
            }
            _ => i += 1,
        }
    }
    if pipes == 0 {
        return None;
    }
    cells.push(&line[start.min(line.len())..]);
    let trimmed = line.trim();
    if trimmed.starts_with('|') && cells.first().is_some_and(|c| c.trim().is_empty()) {
        cells.remove(0);
    }
    if trimmed.ends_with('|')
        && !trimmed.ends_with("\\|")
        && cells.last().is_some_and(|c| c.trim().is_empty())
    {
        cells.pop();
    }
    Some(cells)
}

/// A GFM delimiter row (`|---|:--:|`), or kramdown's footer separator (`|===|`).
fn is_delimiter_row(line: &str) -> bool {
    let t = line.trim();
    if !t.contains('-') && !t.contains('=') {
        return false;
    }
    if !t.contains('|') && !t.starts_with(':') && !t.starts_with('-') {
        return false;
    }
    t.chars()
        .all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t' | '=' | '+'))
}

/// Where an attribute list on a line of its own starts: the `>` prefix length, the quote
/// depth and the inside of the braces; `None` when the line is something else.
fn ial_line(line: &str) -> Option<(usize, usize, &str)> {
    let mut rest = line;
    let mut depth = 0;
    loop {
        let t = rest.trim_start_matches([' ', '\t']);
        if let Some(after) = t.strip_prefix('>') {
            depth += 1;
            rest = after;
        } else {
            break;
        }
    }
    let prefix_len = line.len() - rest.len();
    let indent = rest.len() - rest.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let t = rest.trim();
    let inner = t.strip_prefix("{:")?.strip_suffix('}')?;
    if inner.starts_with(':') || inner.starts_with('/') || inner.contains('}') {
        return None;
    }
    Some((prefix_len, depth, inner))
}

/// `{:name: attrs}`: an attribute list definition.
fn ald_line(inner: &str) -> Option<(&str, &str)> {
    let colon = inner.find(':')?;
    let name = &inner[..colon];
    let mut chars = name.chars();
    let first = chars.next()?;
    if !is_name_start(first) || !chars.all(is_name_char) {
        return None;
    }
    Some((name, &inner[colon + 1..]))
}

/// `{::name attrs /}` or `{::name attrs}` at the start of `s`: (name, attrs, self-closing,
/// length).
fn extension_tag(s: &str) -> Option<(&str, &str, bool, usize)> {
    let rest = s.strip_prefix("{::")?;
    let close = rest.find('}')?;
    let inside = &rest[..close];
    let (inside, self_closing) = match inside.strip_suffix('/') {
        Some(i) => (i, true),
        None => (inside, false),
    };
    let name_len = inside
        .find(|c: char| !is_name_char(c))
        .unwrap_or(inside.len());
    let name = &inside[..name_len];
    if name.is_empty() {
        return None;
    }
    Some((name, &inside[name_len..], self_closing, 3 + close + 1))
}

/// The end of an extension's body: `{:/name}` or `{:/}`: (start, length).
fn extension_end(s: &str, name: &str) -> Option<(usize, usize)> {
    let named = format!("{{:/{name}}}");
    let a = s.find(&named).map(|p| (p, named.len()));
    let b = s.find("{:/}").map(|p| (p, 4));
    match (a, b) {
        (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
        (a, b) => a.or(b),
    }
}

impl Prepared {
    fn apply_options(&mut self, attrs: &str) {
        let Some(list) = parse_attr_list(attrs, false) else {
            return;
        };
        for (key, value) in &list.pairs {
            match key.as_str() {
                "auto_ids" => self.auto_ids = value.trim() != "false",
                "footnote_nr" => match value.trim().parse() {
                    Ok(n) => self.footnote_nr = n,
                    Err(_) => self.warnings.push(format!(
                        "kramdown option footnote_nr=\"{value}\" is not a number; ignored"
                    )),
                },
                // Options about input frontfeed reads the same way either way;
                // `parse_block_html` is applied before this pass (see `to_html`).
                "parse_span_html" | "toc_levels" | "entity_output" | "smart_quotes" => {}
                "parse_block_html" => {}
                _ => self.warnings.push(format!(
                    "kramdown option {key}=\"{value}\" is not supported; ignored"
                )),
            }
        }
    }

    fn add_raw(&mut self, html: &str) -> String {
        self.raw.push(html.to_string());
        format!("{RAW_OPEN}{}{RAW_CLOSE}", self.raw.len() - 1)
    }

    /// Span-level extensions inside a line of text (outside code spans).
    fn span_extensions(&mut self, line: &str, markdown_text: bool) -> Option<String> {
        let dollar_or_autolink =
            markdown_text && (line.contains('$') || (line.contains('<') && line.contains(':')));
        if !line.contains("{::") && !dollar_or_autolink {
            return None;
        }
        let mut out = String::with_capacity(line.len() + 8);
        let mut i = 0;
        let bytes = line.as_bytes();
        while i < line.len() {
            match bytes[i] {
                // An escape, and a tag of inline HTML, are copied as they are.
                b'\\' => {
                    let end = line[i + 1..]
                        .chars()
                        .next()
                        .map_or(i + 1, |c| i + 1 + c.len_utf8());
                    out.push_str(&line[i..end]);
                    i = end;
                    continue;
                }
                b'<' if dollar_or_autolink
                    && bytes
                        .get(i + 1)
                        .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'/') =>
                {
                    if let Some(gt) = line[i..].find('>') {
                        if is_foreign_autolink(&line[i + 1..i + gt]) {
                            // Text for kramdown, which links only the web, FTP and mail.
                            out.push_str("\\<");
                            i += 1;
                            continue;
                        }
                        out.push_str(&line[i..=i + gt]);
                        i += gt + 1;
                        continue;
                    }
                }
                // kramdown's math is `$$…$$` only: a `$` alone is text (comrak would pair two
                // of them into math, taking the Markdown between them with it).
                b'$' if dollar_or_autolink => {
                    let run = bytes[i..].iter().take_while(|&&b| b == b'$').count();
                    if run == 1 {
                        out.push_str("\\$");
                    } else {
                        out.push_str(&line[i..i + run]);
                    }
                    i += run;
                    continue;
                }
                _ => {}
            }
            if bytes[i] == b'`' {
                let run = bytes[i..].iter().take_while(|&&b| b == b'`').count();
                let fence = &line[i..i + run];
                let end = line[i + run..]
                    .find(fence)
                    .map_or(i + run, |e| i + run + e + run);
                out.push_str(&line[i..end]);
                i = end;
                continue;
            }
            if line[i..].starts_with("{::") {
                if let Some((name, attrs, self_closing, len)) = extension_tag(&line[i..]) {
                    let body_start = i + len;
                    match name {
                        "options" if self_closing => {
                            self.apply_options(attrs);
                            i = body_start;
                            continue;
                        }
                        "comment" | "nomarkdown" if !self_closing => {
                            if let Some((end, end_len)) = extension_end(&line[body_start..], name) {
                                let body = &line[body_start..body_start + end];
                                if name == "nomarkdown" {
                                    let placeholder = self.add_raw(body);
                                    out.push_str(&placeholder);
                                }
                                i = body_start + end + end_len;
                                continue;
                            }
                        }
                        _ => {}
                    }
                }
            }
            let c = line[i..].chars().next().unwrap_or(' ');
            out.push(c);
            i += c.len_utf8();
        }
        Some(out)
    }
}

fn is_list_item(trimmed: &str) -> bool {
    let b = trimmed.as_bytes();
    if b.len() >= 2 && matches!(b[0], b'*' | b'+' | b'-') && (b[1] == b' ' || b[1] == b'\t') {
        return true;
    }
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    digits > 0
        && digits < 10
        && b.len() > digits + 1
        && matches!(b[digits], b'.' | b')')
        && (b[digits + 1] == b' ' || b[digits + 1] == b'\t')
}

/// The fence character and length of a line opening a fenced code block (CommonMark's rule).
pub(super) fn fence_open(trimmed: &str) -> Option<(u8, usize)> {
    let first = *trimmed.as_bytes().first()?;
    if first != b'`' && first != b'~' {
        return None;
    }
    let run = trimmed.bytes().take_while(|&b| b == first).count();
    if run < 3 || (first == b'`' && trimmed[run..].contains('`')) {
        return None;
    }
    Some((first, run))
}

/// The line (trimmed at the start) closes the fence `(character, length)` that is open.
pub(super) fn closes_fence(trimmed: &str, (ch, len): (u8, usize)) -> bool {
    let run = trimmed.bytes().take_while(|&b| b == ch).count();
    run >= len && trimmed[run..].trim().is_empty()
}

/// For each line index `i`, the longest run of backticks (`[0]`) and of tildes (`[1]`) that
/// makes up a whole line (but for whitespace) from line `i` on: a fence opened on line `i - 1`
/// is closed only by such a line at least as long as itself. (kramdown wants at most 3
/// spaces before it, counted inside the list item or quote it is in; any indent is taken
/// here, so that a fence in a list item is not mistaken for one never closed.)
pub(super) fn longest_fence_after(lines: &[&str]) -> Vec<[usize; 2]> {
    let mut longest = vec![[0usize; 2]; lines.len() + 1];
    for (k, line) in lines.iter().enumerate().rev() {
        let mut here = longest[k + 1];
        let trimmed = line.trim_start();
        for (slot, ch) in [b'`', b'~'].into_iter().enumerate() {
            let run = trimmed.bytes().take_while(|&b| b == ch).count();
            if run >= 3 && trimmed[run..].trim().is_empty() {
                here[slot] = here[slot].max(run);
            }
        }
        longest[k] = here;
    }
    longest
}

/// Takes kramdown's block syntax out of `markdown` (see the module docs).
pub fn prepare(markdown: &str) -> Prepared {
    let mut p = Prepared {
        text: String::with_capacity(markdown.len() + 64),
        auto_ids: true,
        footnote_nr: 1,
        ..Prepared::default()
    };
    let lines: Vec<&str> = markdown.lines().collect();
    // The number of lines written so far: the next line written is line `written + 1`.
    let mut written = 0usize;
    let mut emit = |text: &mut String, line: &str| {
        text.push_str(line);
        text.push('\n');
        written += 1;
        written
    };

    // No extension body can end after the last line holding an end marker.
    let last_end_marker = lines.iter().rposition(|l| l.contains("{:/"));
    let longest_fence_after = longest_fence_after(&lines);
    let mut fence: Option<(u8, usize)> = None;
    let mut in_html = false;
    // In an HTML block that starts with `<pre`, `<script`, `<style` or `<textarea`: CommonMark
    // (type 1) and kramdown both run it to the end tag, blank lines included.
    let mut in_verbatim_html = false;
    // Lines before this index that hold a pipe but make no kramdown table.
    let mut not_a_table_until = 0usize;
    // Inside a `<pre>` of raw HTML that prepare does not see as an HTML block (in a list item).
    let mut in_any_pre = false;
    let mut in_code = false;
    let mut in_list = false;
    // The previous line ended a block (blank line, heading, fence, attribute list, start).
    let mut block_start = true;
    let mut prev_blank = true;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        i += 1;
        let trimmed = line.trim_start();
        let indent = indent_columns(line);
        let leading_whitespace = &line[..line.len() - trimmed.len()];

        if let Some(open) = fence {
            emit(&mut p.text, line);
            if closes_fence(trimmed, open) {
                fence = None;
                block_start = true;
            }
            prev_blank = false;
            continue;
        }
        if in_verbatim_html {
            emit(&mut p.text, line);
            in_verbatim_html = !has_verbatim_end(line);
            prev_blank = trimmed.is_empty();
            block_start = true;
            continue;
        }
        if trimmed.is_empty() {
            emit(&mut p.text, line);
            in_html = false;
            prev_blank = true;
            block_start = true;
            continue;
        }
        if in_code && indent >= 4 {
            emit(&mut p.text, line);
            prev_blank = false;
            continue;
        }
        // kramdown continues a code block with a line that is not indented, right after it
        // (a lazy line), and joins the two with a space (`codeblock.rb`): it is not a
        // paragraph. An attribute list, the end-of-block marker and HTML end the block.
        if in_code
            && !prev_blank
            && line.trim_end() != "^"
            && ial_line(line).is_none()
            && !is_html_start(trimmed)
            && p.text.ends_with('\n')
        {
            p.text.pop();
            p.text.push(' ');
            p.text.push_str(trimmed);
            p.text.push('\n');
            continue;
        }
        in_code = false;
        if in_html {
            emit(&mut p.text, line);
            continue;
        }
        // kramdown's end-of-block marker: a `^` alone at the start of a line ends the block
        // (a list, a paragraph) and is not shown. An empty comment, removed once rendered, ends
        // it for CommonMark (a list would take the indented block after a blank line).
        if line.trim_end() == "^" {
            emit(&mut p.text, "");
            emit(&mut p.text, super::html_blocks::NOT_A_BLOCK);
            emit(&mut p.text, "");
            in_list = false;
            prev_blank = true;
            block_start = true;
            continue;
        }
        if let Some((ch, len)) = fence_open(trimmed) {
            let closed = longest_fence_after[i][usize::from(ch == b'~')] >= len;
            if closed {
                fence = Some((ch, len));
                emit(&mut p.text, line);
            } else {
                // kramdown reads a fence that is never closed as text, and so does a reader:
                // escaped, it cannot open a code block (or code span, or strikethrough) here.
                let mut escaped = leading_whitespace.to_string();
                for _ in 0..len {
                    escaped.push('\\');
                    escaped.push(char::from(ch));
                }
                escaped.push_str(&trimmed[len..]);
                emit(&mut p.text, &escaped);
                block_start = false;
            }
            prev_blank = false;
            continue;
        }
        if indent >= 4 && prev_blank && !in_list {
            in_code = true;
            emit(&mut p.text, line);
            prev_blank = false;
            continue;
        }
        if indent <= 3 && block_start && is_html_start(trimmed) {
            in_html = true;
            in_verbatim_html = starts_verbatim_block(trimmed) && !has_verbatim_end(line);
            emit(&mut p.text, line);
            prev_blank = false;
            continue;
        }
        // Hashes alone are no heading for kramdown-parser-gfm (it wants a space and text after
        // them): they are text.
        if indent <= 3 && (1..=6).contains(&trimmed.len()) && trimmed.bytes().all(|b| b == b'#') {
            emit(&mut p.text, &format!("{}\\{}", leading_whitespace, trimmed));
            prev_blank = false;
            block_start = false;
            continue;
        }
        if is_list_item(trimmed) {
            in_list = true;
        } else if indent == 0 && prev_blank {
            in_list = false;
        }

        // Block extensions: {::options /}, {::comment}…{:/comment}, {::nomarkdown}…{:/}.
        if indent <= 3 && trimmed.starts_with("{::") {
            if let Some((name, attrs, self_closing, len)) = extension_tag(trimmed) {
                let after_tag = &trimmed[len..];
                if name == "options" && self_closing && after_tag.trim().is_empty() {
                    p.apply_options(attrs);
                    emit(&mut p.text, "");
                    prev_blank = true;
                    block_start = true;
                    continue;
                }
                if (name == "comment" || name == "nomarkdown")
                    && !self_closing
                    && last_end_marker.is_some_and(|last| last + 1 >= i)
                {
                    // The body runs to the end marker, on this line or a later one.
                    let mut body = String::new();
                    let mut rest = after_tag.to_string();
                    let mut end = extension_end(&rest, name);
                    let mut consumed = 0;
                    while end.is_none() && i + consumed < lines.len() {
                        body.push_str(&rest);
                        body.push('\n');
                        rest = lines[i + consumed].to_string();
                        consumed += 1;
                        end = extension_end(&rest, name);
                    }
                    if let Some((end, _)) = end {
                        body.push_str(&rest[..end]);
                        let tail_ok = {
                            let (e, l) = extension_end(&rest, name).unwrap_or((end, 0));
                            rest[e + l..].trim().is_empty()
                        };
                        if tail_ok {
                            i += consumed;
                            if !prev_blank {
                                emit(&mut p.text, "");
                            }
                            if name == "nomarkdown" {
                                let body = body.trim_start_matches('\n');
                                let placeholder = p.add_raw(body);
                                emit(&mut p.text, &placeholder);
                            }
                            emit(&mut p.text, "");
                            prev_blank = true;
                            block_start = true;
                            continue;
                        }
                    }
                }
            }
        }

        // Attribute lists and their definitions on a line of their own.
        if let Some((prefix_len, depth, inner)) = ial_line(line) {
            let prefix = line[..prefix_len].trim_end();
            if let Some((name, attrs)) = ald_line(inner) {
                if let Some(list) = parse_attr_list(attrs, false) {
                    p.definitions.insert(name.to_string(), list);
                }
                emit(&mut p.text, prefix);
                prev_blank = true;
                block_start = true;
                continue;
            }
            if let Some(attrs) = parse_attr_list(inner, false) {
                let after = !prev_blank;
                let line_no = emit(&mut p.text, prefix);
                p.block_ials.push(BlockIal {
                    line: line_no,
                    quote_depth: depth,
                    after,
                    attrs,
                });
                prev_blank = true;
                block_start = true;
                continue;
            }
        }

        // Abbreviation definitions.
        if indent <= 3 {
            if let Some(rest) = trimmed.strip_prefix("*[") {
                if let Some(close) = rest.find("]:") {
                    let abbr = rest[..close].trim();
                    if !abbr.is_empty() {
                        p.abbreviations
                            .push((abbr.to_string(), rest[close + 2..].trim().to_string()));
                        emit(&mut p.text, "");
                        prev_blank = true;
                        block_start = true;
                        continue;
                    }
                }
            }
        }

        // kramdown's block math: `$$` after a block boundary, to the next `$$` that ends a
        // line before one (blank lines and pipes included), as MathJax reads it.
        if indent <= 3 && block_start && prev_blank && trimmed.starts_with("$$") {
            if let Some((end, data)) = block_math(&lines, i - 1) {
                let placeholder =
                    p.add_raw(&format!("\\[{}\\]", html_escape::encode_text(data.trim())));
                emit(&mut p.text, &placeholder);
                i = end;
                prev_blank = false;
                block_start = true;
                continue;
            }
        }
        // Tables: a block starting with a line that holds a pipe.
        if indent <= 3
            && block_start
            && !in_list
            && !trimmed.starts_with('#')
            && !trimmed.starts_with('>')
            && !is_liquid(trimmed)
            && table_cells(trimmed).is_some()
        {
            let mut end = i;
            while end < lines.len()
                && !lines[end].trim().is_empty()
                && table_cells(lines[end]).is_some()
                && !is_liquid(lines[end])
                && ial_line(lines[end]).is_none()
            {
                end += 1;
            }
            // kramdown's table ends at a blank line, an attribute list (its own), the
            // end-of-block marker or the end of the text; rows followed by anything else (a
            // line of text, a heading, a rule) are a paragraph.
            let boundary = lines.get(end).is_none_or(|next| {
                next.trim().is_empty() || ial_line(next).is_some() || next.trim_end() == "^"
            });
            not_a_table_until = end;
            if boundary {
                let mut rows = vec![line];
                rows.extend_from_slice(&lines[i..end]);
                i = end;
                write_table(&mut p, &rows, &mut emit);
                prev_blank = false;
                block_start = true;
                continue;
            }
        }

        // Rows that are no kramdown table: a delimiter row among them would make a GFM table
        // of them; its first pipe is escaped, which shows it as it stands.
        let delimiter_row = !trimmed.is_empty()
            && trimmed.contains('|')
            && trimmed
                .bytes()
                .all(|b| matches!(b, b'|' | b'-' | b':' | b' ' | b'\t'));
        let in_pre = in_any_pre
            || trimmed
                .get(..4)
                .is_some_and(|t| t.eq_ignore_ascii_case("<pre"));
        in_any_pre = in_pre && !has_verbatim_end(line);
        let text_line = if i <= not_a_table_until && delimiter_row {
            Some(line.replacen('|', "\\|", 1))
        } else if let Some(at) = paren_list_marker(trimmed) {
            // kramdown's ordered lists take `1.` only: `1)` is text.
            let at = line.len() - trimmed.len() + at;
            Some(format!("{}\\{}", &line[..at], &line[at..]))
        } else {
            match definition_with_unbalanced_parens(line) {
                Some(escaped) => Some(escaped),
                // Raw HTML (a `<pre>` in a list item, a line that starts with a tag) is no
                // Markdown text: its `$` and `<…:…>` are left alone.
                None => p.span_extensions(line, !in_pre && !trimmed.starts_with('<')),
            }
        };
        emit(&mut p.text, text_line.as_deref().unwrap_or(line));
        prev_blank = false;
        let t = trimmed.trim_end();
        block_start = (t.starts_with('#') && t.trim_start_matches('#').starts_with(' '))
            || (indent <= 3 && is_thematic_break(t));
    }
    p
}

/// What CommonMark reads as an autolink (`<scheme:…>`) and kramdown does not: a scheme other
/// than `http`, `https`, `ftp`, `ftps` and `mailto` (`<Obj:0x1f2e>`, Ruby's way of printing
/// an object, is text on the page Jekyll builds).
fn is_foreign_autolink(inside: &str) -> bool {
    let Some(colon) = inside.find(':') else {
        return false;
    };
    let scheme = &inside[..colon];
    (2..=32).contains(&scheme.len())
        && scheme.as_bytes()[0].is_ascii_alphabetic()
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'.' | b'-'))
        && !inside.contains(|c: char| c.is_whitespace() || c == '<' || c.is_control())
        && !["http", "https", "ftp", "ftps", "mailto"]
            .iter()
            .any(|known| known.eq_ignore_ascii_case(scheme))
}

/// Where the `)` of an ordered list marker written `1)` is, if the line starts with one.
fn paren_list_marker(trimmed: &str) -> Option<usize> {
    let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
    ((1..10).contains(&digits)
        && trimmed.as_bytes().get(digits) == Some(&b')')
        && trimmed
            .as_bytes()
            .get(digits + 1)
            .is_none_or(|b| matches!(b, b' ' | b'\t')))
    .then_some(digits)
}

/// The block math that starts on line `start` (with `$$`): the index of the line after it and
/// the text between the `$$`, when it closes with `$$` at the end of a line that a blank line
/// or the end of the text follows.
fn block_math(lines: &[&str], start: usize) -> Option<(usize, String)> {
    let first = lines[start].trim_start().strip_prefix("$$")?;
    let mut data = String::new();
    let mut rest = first;
    let mut k = start;
    loop {
        if let Some(close) = rest.find("$$") {
            if !rest[close + 2..].trim().is_empty() {
                return None;
            }
            data.push_str(&rest[..close]);
            let next = k + 1;
            return lines
                .get(next)
                .is_none_or(|l| l.trim().is_empty())
                .then_some((next, data));
        }
        data.push_str(rest);
        data.push('\n');
        k += 1;
        rest = lines.get(k)?;
    }
}

/// A link definition whose URL has unbalanced parentheses (`[fix]: https://x.example/a)`),
/// with them escaped: kramdown takes the rest of the line as the URL, where CommonMark would
/// refuse the definition and print it (and every definition after it) as text.
fn definition_with_unbalanced_parens(line: &str) -> Option<String> {
    let trimmed = line.trim_start();
    if line.len() - trimmed.len() > 3 || !trimmed.starts_with('[') {
        return None;
    }
    let close = trimmed.find("]:")?;
    let label = &trimmed[1..close];
    if label.is_empty() || label.contains(['[', ']']) || label.starts_with('^') {
        return None;
    }
    let after = &trimmed[close + 2..];
    let url = after.trim_start();
    let url_end = url.find([' ', '\t']).unwrap_or(url.len());
    let (url, title) = url.split_at(url_end);
    if url.is_empty() || url.starts_with('<') || url.contains('\\') {
        return None;
    }
    let mut depth = 0i32;
    let balanced = url.chars().all(|c| {
        depth += match c {
            '(' => 1,
            ')' => -1,
            _ => 0,
        };
        depth >= 0
    }) && depth == 0;
    if balanced {
        return None;
    }
    let start = line.len() - trimmed.len() + close + 2 + (after.len() - after.trim_start().len());
    let escaped = url.replace('(', "\\(").replace(')', "\\)");
    Some(format!("{}{escaped}{title}", &line[..start]))
}

/// How far in a line's text starts, in columns: a tab goes to the next multiple of four, as
/// both kramdown and CommonMark read it (a tab-indented line is code, not HTML).
pub(super) fn indent_columns(line: &str) -> usize {
    let mut columns = 0;
    for b in line.bytes() {
        match b {
            b' ' => columns += 1,
            b'\t' => columns += 4 - columns % 4,
            _ => break,
        }
    }
    columns
}

/// The line starts an HTML block of CommonMark's type 1: `<pre`, `<script`, `<style` or
/// `<textarea` (any case), then a space, `>` or the end of the line.
fn starts_verbatim_block(trimmed: &str) -> bool {
    super::html_blocks::VERBATIM.iter().any(|name| {
        let bytes = trimmed.as_bytes();
        bytes.len() > name.len()
            && bytes[1..=name.len()].eq_ignore_ascii_case(name.as_bytes())
            && bytes
                .get(name.len() + 1)
                .is_none_or(|b| matches!(b, b' ' | b'\t' | b'>'))
    })
}

/// The line has the end tag that ends a type 1 HTML block.
fn has_verbatim_end(line: &str) -> bool {
    memchr::memmem::find_iter(line.as_bytes(), b"</").any(|at| {
        let rest = &line.as_bytes()[at + 2..];
        super::html_blocks::VERBATIM.iter().any(|name| {
            rest.len() > name.len()
                && rest[..name.len()].eq_ignore_ascii_case(name.as_bytes())
                && rest[name.len()] == b'>'
        })
    })
}

/// Liquid left as written (`{{ x | filter }}`): Jekyll expands it before kramdown sees a pipe.
fn is_liquid(line: &str) -> bool {
    line.contains("{{") || line.contains("{%")
}

fn is_thematic_break(t: &str) -> bool {
    let Some(first) = t.chars().next() else {
        return false;
    };
    matches!(first, '-' | '*' | '_')
        && t.chars().filter(|&c| c == first).count() >= 3
        && t.chars().all(|c| c == first || c == ' ' || c == '\t')
}

/// A line that starts a CommonMark HTML block (an opening or closing tag, a comment).
pub(super) fn is_html_start(trimmed: &str) -> bool {
    let mut chars = trimmed.chars();
    if chars.next() != Some('<') {
        return false;
    }
    match chars.next() {
        Some('!' | '?') => true,
        Some('/') => chars.next().is_some_and(|c| c.is_ascii_alphabetic()),
        Some(c) => {
            c.is_ascii_alphabetic()
                && !trimmed.starts_with("<http")
                && !looks_like_autolink(trimmed)
        }
        None => false,
    }
}

/// `<me@example.com>` or `<scheme:…>` at the start of a line is an autolink, not HTML.
fn looks_like_autolink(trimmed: &str) -> bool {
    let Some(end) = trimmed.find('>') else {
        return false;
    };
    let inside = &trimmed[1..end];
    !inside.contains(' ') && (inside.contains('@') || inside.contains(':'))
}

/// Writes one table the way GFM reads it: kramdown's headerless tables get an empty header
/// row (remembered, removed again in the tree), separator rows after the header go, and the
/// delimiter row gets as many cells as the header.
fn write_table(p: &mut Prepared, rows: &[&str], emit: &mut impl FnMut(&mut String, &str) -> usize) {
    let cell_count = |row: &str| table_cells(row).map_or(0, |c| c.len());
    let has_header = rows.len() >= 2 && is_delimiter_row(rows[1]) && !is_delimiter_row(rows[0]);
    let body_start = if has_header { 2 } else { 0 };
    let columns = rows
        .iter()
        .filter(|r| !is_delimiter_row(r))
        .map(|r| cell_count(r))
        .max()
        .unwrap_or(1)
        .max(1);
    if has_header {
        let header = rows[0];
        emit(&mut p.text, header);
        let header_cells = cell_count(header).max(1);
        // Each cell as GFM wants it (dashes in every cell), aligned as kramdown aligns it: left
        // for `:-…`, right for `…-:`, centered for both (`|:--|::|` is a table for kramdown).
        let mut delimiters: Vec<String> = table_cells(rows[1])
            .unwrap_or_default()
            .iter()
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())
            .map(|c| {
                let left = c.starts_with(":-");
                let right = c.ends_with("-:");
                format!(
                    "{}---{}",
                    if left { ":" } else { "" },
                    if right { ":" } else { "" }
                )
            })
            .collect();
        if delimiters.is_empty() {
            delimiters.push("---".into());
        }
        delimiters.resize(header_cells, "---".into());
        delimiters.truncate(header_cells);
        emit(&mut p.text, &format!("|{}|", delimiters.join("|")));
    } else {
        let line = emit(&mut p.text, &format!("|{}", " |".repeat(columns)));
        p.headerless_tables.push(line);
        emit(&mut p.text, &format!("|{}", "---|".repeat(columns)));
    }
    for row in &rows[body_start..] {
        if is_delimiter_row(row) {
            continue;
        }
        let row = row.trim_start();
        // GFM needs a leading pipe on a row only when the row has a single cell.
        if row.starts_with('|') {
            emit(&mut p.text, row);
        } else {
            emit(&mut p.text, &format!("| {row}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_lists() {
        let a = parse_attr_list(" .note #intro style=\"color: red\" ref", true).unwrap();
        assert_eq!(a.id.as_deref(), Some("intro"));
        assert_eq!(a.classes, ["note"]);
        assert_eq!(a.pairs, [("style".to_string(), "color: red".to_string())]);
        assert_eq!(a.refs, ["ref"]);
        assert_eq!(parse_attr_list("toc", true).unwrap().refs, ["toc"]);
        assert!(parse_attr_list("a => 1", true).is_none());
        assert!(parse_attr_list("", true).is_none());
    }

    #[test]
    fn block_lists_become_blank_lines() {
        let p = prepare("Para\n{: .x}\n\n{: #y}\nNext\n");
        assert_eq!(p.text, "Para\n\n\n\nNext\n");
        assert_eq!(p.block_ials.len(), 2);
        assert!(p.block_ials[0].after && p.block_ials[0].line == 2);
        assert!(!p.block_ials[1].after && p.block_ials[1].line == 4);
    }

    #[test]
    fn code_is_left_alone() {
        let md = "```\n{: .x}\n| a |\n```\n\n    {:toc}\n";
        let p = prepare(md);
        assert_eq!(p.text, md);
        assert!(p.block_ials.is_empty() && p.headerless_tables.is_empty());
    }

    #[test]
    fn fences_never_closed_are_text() {
        // kramdown needs the closing fence (as long as the opening one); without it the
        // opening line is text, and so is what follows.
        let p = prepare("```coq\nInductive tm :=\n``\n\ntext\n");
        assert_eq!(p.text, "\\`\\`\\`coq\nInductive tm :=\n``\n\ntext\n");
        let p = prepare("  ~~~~\nx\n\n    ~~~\n");
        assert!(p.text.starts_with("  \\~\\~\\~\\~\n"), "{}", p.text);
        // Closed further on, even after other text, or in a list item: code as before.
        let md = "````\na\n```\nb\n`````\n";
        assert_eq!(prepare(md).text, md);
        let md = "1. step:\n\n    ```sh\n    make\n    ```\n";
        assert_eq!(prepare(md).text, md);
    }

    #[test]
    fn headerless_tables_get_an_empty_header() {
        let p = prepare("| a | b |\n| c |\n\nafter\n");
        assert_eq!(p.text, "| | |\n|---|---|\n| a | b |\n| c |\n\nafter\n");
        assert_eq!(p.headerless_tables, [1]);
    }

    /// kramdown's table ends at a blank line, its attribute list, `^` or the end: rows that
    /// run on into other text are a paragraph (a delimiter row among them is escaped).
    #[test]
    fn rows_running_into_text_are_no_table() {
        let p = prepare("| a | b |\n| c |\nafter\n");
        assert_eq!(p.text, "| a | b |\n| c |\nafter\n");
        assert!(p.headerless_tables.is_empty());
        let p = prepare("| a | b |\n|---|---|\n## head\n");
        assert_eq!(p.text, "| a | b |\n\\|---|---|\n## head\n");
        let p = prepare("| a | b |\n|---|---|\n{: .x}\n");
        assert!(p.text.starts_with("| a | b |\n|---|---|\n"), "{}", p.text);
        assert_eq!(p.block_ials.len(), 1);
    }
}
