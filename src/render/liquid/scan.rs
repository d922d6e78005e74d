//! A first pass over a post's Liquid markup, before the Liquid parser sees it: it finds every
//! `{{ … }}` and `{% … %}` with its line, drops the tags and filters no engine here knows (a
//! Jekyll plugin's `{% gist %}`, say) with a warning instead of failing the whole post, writes
//! Jekyll's bare-path arguments (`{% include note.html %}`, `{% post_url 2020-01-01-a %}`) in a
//! form the parser takes, and refuses literal loops too large to run.

use std::collections::HashSet;
use std::fmt::Write;

/// What the scan found wrong, at a line of the body (1-based within the body).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanNote {
    pub line: usize,
    pub message: String,
}

/// The largest number of iterations the literal ranges of one post may ask for, nested
/// loops multiplied (`(1..1000)` inside `(1..1000)` is a million).
pub const MAX_LITERAL_ITERATIONS: u64 = 1_000_000;

/// Names the parser knows.
pub struct Known<'a> {
    pub tags: &'a HashSet<String>,
    pub blocks: &'a HashSet<String>,
    pub filters: &'a HashSet<String>,
}

/// The outcome of a scan.
#[derive(Debug, Default)]
pub struct Scanned {
    /// The template to parse.
    pub text: String,
    pub notes: Vec<ScanNote>,
    /// A limit was hit: the post must not be rendered (the message says which).
    pub refused: Option<ScanNote>,
}

/// Tags whose first argument is a path or a name that Jekyll takes without quotes.
const PATH_TAGS: &[&str] = &["include", "include_relative", "post_url", "link"];

/// One piece of markup: `{{ … }}` or `{% … %}`, its byte range, and its inside.
pub(super) struct Markup<'a> {
    pub start: usize,
    pub end: usize,
    pub is_tag: bool,
    pub inner: &'a str,
}

/// Every `{{ … }}` and `{% … %}` of `text` in order, as the Liquid tokenizer would cut them,
/// and the offsets of the openers never closed, which stay text. After such an opener the
/// next character may start markup (`{{% if x %}` is a `{` and a tag). Linear: an opener is
/// known to be unclosed when no closer comes after it at all.
pub(super) fn markups(text: &str) -> (Vec<Markup<'_>>, Vec<usize>) {
    let bytes = text.as_bytes();
    let last_var_close = memchr::memmem::rfind(bytes, b"}}");
    let last_tag_close = memchr::memmem::rfind(bytes, b"%}");
    let mut found = Vec::new();
    let mut unclosed = Vec::new();
    let mut i = 0;
    while let Some(pos) = memchr::memchr(b'{', &bytes[i..]) {
        let start = i + pos;
        i = start + 1;
        let is_tag = match bytes.get(start + 1) {
            Some(b'%') => true,
            Some(b'{') => false,
            _ => continue,
        };
        let (close, last) = if is_tag {
            ("%}", last_tag_close)
        } else {
            ("}}", last_var_close)
        };
        if last.is_none_or(|last| last < start + 2) {
            unclosed.push(start);
            continue;
        }
        // There is a closer: the search stops at it, and the scan goes on after it.
        let len = memchr::memmem::find(&bytes[start + 2..], close.as_bytes())
            .expect("a closer comes after");
        let end = len + start + 2 + 2;
        let inner = text[start + 2..end - 2]
            .trim_start_matches('-')
            .trim_end_matches('-')
            .trim();
        found.push(Markup {
            start,
            end,
            is_tag,
            inner,
        });
        i = end;
    }
    (found, unclosed)
}

/// Line numbers of offsets asked for mostly in increasing order, counted incrementally.
struct Lines<'a> {
    text: &'a str,
    offset: usize,
    line: usize,
}

impl Lines<'_> {
    fn at(&mut self, offset: usize) -> usize {
        if offset < self.offset {
            (self.offset, self.line) = (0, 1);
        }
        self.line += memchr::memchr_iter(b'\n', &self.text.as_bytes()[self.offset..offset]).count();
        self.offset = offset;
        self.line
    }
}

/// Text between markup holds only openers never closed: written as Liquid strings, the parser
/// takes them and the reader sees them as typed.
fn literal_openers(text: &str) -> std::borrow::Cow<'_, str> {
    let bytes = text.as_bytes();
    let opener = |i: usize| bytes[i] == b'{' && matches!(bytes.get(i + 1), Some(b'{' | b'%'));
    if !(0..bytes.len()).any(opener) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 32);
    let mut copied = 0;
    let mut i = 0;
    while let Some(pos) = memchr::memchr(b'{', &bytes[i..]) {
        let at = i + pos;
        if opener(at) {
            out.push_str(&text[copied..at]);
            let _ = write!(out, "{{{{ \"{}\" }}}}", &text[at..at + 2]);
            copied = at + 2;
            i = at + 2;
        } else {
            i = at + 1;
        }
    }
    out.push_str(&text[copied..]);
    std::borrow::Cow::Owned(out)
}

/// Splits `a | f1: x | f2` on the `|`s outside quotes.
fn split_filters(expr: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut quote = None;
    let mut start = 0;
    for (i, c) in expr.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '|') => {
                parts.push(&expr[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&expr[start..]);
    parts
}

fn quoted(text: &str) -> String {
    if text.contains('"') {
        format!("'{text}'")
    } else {
        format!("\"{text}\"")
    }
}

/// `{{ page.x }}` as an argument becomes the expression `page.x`; a bare word or path
/// becomes a string literal; a literal stays.
fn argument(arg: &str) -> String {
    let arg = arg.trim();
    if let Some(inner) = arg.strip_prefix("{{").and_then(|a| a.strip_suffix("}}")) {
        return inner.trim().to_string();
    }
    if arg.starts_with(['"', '\'']) {
        return arg.to_string();
    }
    quoted(arg)
}

/// Rewrites the arguments of a path tag: the first (the path, which may be `{{ var }}`) is
/// quoted; `key=value` parameters are kept.
fn path_tag(name: &str, args: &str) -> String {
    let args = args.trim();
    let (first, rest) = if args.starts_with("{{") {
        match args.find("}}") {
            Some(i) => (&args[..i + 2], &args[i + 2..]),
            None => (args, ""),
        }
    } else if args.starts_with(['"', '\'']) {
        let q = args.as_bytes()[0] as char;
        match args[1..].find(q) {
            Some(i) => (&args[..i + 2], &args[i + 2..]),
            None => (args, ""),
        }
    } else {
        match args.find(char::is_whitespace) {
            Some(i) => (&args[..i], &args[i..]),
            None => (args, ""),
        }
    };
    let rest = rest.trim();
    if rest.is_empty() {
        format!("{{% {name} {} %}}", argument(first))
    } else {
        format!("{{% {name} {} {rest} %}}", argument(first))
    }
}

/// A tag written anew (`{% … %}`) with the whitespace control (`{%-`, `-%}`) of the tag it
/// replaces, which trims the text around it.
fn with_dashes(tag: &str, raw: &str) -> String {
    let open = if raw.starts_with("{%-") { "{%-" } else { "{%" };
    let close = if raw.ends_with("-%}") { "-%}" } else { "%}" };
    format!("{open}{}{close}", &tag[2..tag.len() - 2])
}

/// Longest run of the Liquid grammar's whitespace (spaces, line breaks) given to the parser
/// as it is. liquid-core looks, at each character of a run, over the rest of it for a `{%-`
/// or `{{-` that would trim it, so a run costs its length squared (10,000 blank lines took
/// seconds). Longer runs get an empty `{{""}}`, which prints nothing, every this many
/// characters; a run that whitespace control trims is left whole (and costs no more), and so
/// is the inside of `raw` and `comment`.
const MAX_WHITESPACE_RUN: usize = 64;

/// `text` (a template the scan wrote) with its long whitespace runs broken up.
fn break_whitespace_runs(text: &str) -> std::borrow::Cow<'_, str> {
    let space = |b: u8| matches!(b, b' ' | b'\n' | b'\r');
    let long_run = text
        .as_bytes()
        .split(|&b| !space(b))
        .any(|run| run.len() > MAX_WHITESPACE_RUN);
    if !long_run {
        return std::borrow::Cow::Borrowed(text);
    }
    let (chain, _) = markups(text);
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    // The end tag of the `raw` or `comment` whose inside is being copied.
    let mut verbatim_until: Option<&str> = None;
    let mut pos = 0;
    for k in 0..=chain.len() {
        let next = chain.get(k);
        let end = next.map_or(text.len(), |m| m.start);
        let segment = &text[pos..end];
        if verbatim_until.is_some() {
            out.push_str(segment);
        } else {
            let before = &text[..pos];
            let trimmed_before = before.ends_with("-%}") || before.ends_with("-}}");
            let after = &text[end..];
            let trims_after = after.starts_with("{%-") || after.starts_with("{{-");
            let bytes = segment.as_bytes();
            let mut copied = 0;
            let mut i = 0;
            while i < bytes.len() {
                if !space(bytes[i]) {
                    i += 1;
                    continue;
                }
                let start = i;
                while i < bytes.len() && space(bytes[i]) {
                    i += 1;
                }
                if i - start <= MAX_WHITESPACE_RUN
                    || (start == 0 && trimmed_before)
                    || (i == bytes.len() && trims_after)
                {
                    continue;
                }
                out.push_str(&segment[copied..start]);
                for (n, chunk) in bytes[start..i].chunks(MAX_WHITESPACE_RUN).enumerate() {
                    if n > 0 {
                        out.push_str("{{\"\"}}");
                    }
                    // Whitespace is ASCII: every chunk is whole characters.
                    out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
                }
                copied = i;
            }
            out.push_str(&segment[copied..]);
        }
        let Some(m) = next else { break };
        out.push_str(&text[m.start..m.end]);
        pos = m.end;
        if m.is_tag {
            match verbatim_until {
                Some(end_tag) if m.inner == end_tag => verbatim_until = None,
                Some(_) => {}
                None => match m.inner.split_whitespace().next() {
                    Some("raw") => verbatim_until = Some("endraw"),
                    Some("comment") => verbatim_until = Some("endcomment"),
                    _ => {}
                },
            }
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Integer literals inside markup that do not fit in 64 bits, written as strings: liquid-core
/// panics on them ("Grammar ensures matches are parseable as integers"), where Ruby's Liquid
/// takes a bignum. As a string the number still prints as written. Text outside markup, and
/// the insides of `raw` and `comment`, are left alone.
fn quote_huge_integers(text: &str) -> std::borrow::Cow<'_, str> {
    // Nothing to do unless some run of digits is long enough not to fit.
    let long_digits = text
        .as_bytes()
        .split(|b| !b.is_ascii_digit())
        .any(|run| run.len() >= 19);
    if !long_digits {
        return std::borrow::Cow::Borrowed(text);
    }
    let (chain, _) = markups(text);
    let mut out = String::with_capacity(text.len() + 16);
    let mut verbatim_until: Option<&str> = None;
    let mut pos = 0;
    for m in &chain {
        out.push_str(&text[pos..m.start]);
        pos = m.end;
        let whole = &text[m.start..m.end];
        if verbatim_until.is_some() {
            out.push_str(whole);
        } else {
            quote_in_markup(whole, &mut out);
        }
        if m.is_tag {
            match verbatim_until {
                Some(end_tag) if m.inner == end_tag => verbatim_until = None,
                Some(_) => {}
                None => match m.inner.split_whitespace().next() {
                    Some("raw") => verbatim_until = Some("endraw"),
                    Some("comment") => verbatim_until = Some("endcomment"),
                    _ => {}
                },
            }
        }
    }
    out.push_str(&text[pos..]);
    std::borrow::Cow::Owned(out)
}

/// Writes one piece of markup with its too-large integer literals (outside quotes) quoted.
fn quote_in_markup(markup: &str, out: &mut String) {
    let bytes = markup.as_bytes();
    let mut quote = None;
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) => {
                if b == q {
                    quote = None;
                }
                i += 1;
                continue;
            }
            None if b == b'"' || b == b'\'' => {
                quote = Some(b);
                i += 1;
                continue;
            }
            None => {}
        }
        // Digits after a name or a `.` are part of it (`x1`, `1.5`, `a.9`), but not after a
        // range's `..`.
        let after_word = i > 0
            && (bytes[i - 1].is_ascii_alphanumeric()
                || bytes[i - 1] == b'_'
                || (bytes[i - 1] == b'.' && (i < 2 || bytes[i - 2] != b'.')));
        if !b.is_ascii_digit() || after_word {
            i += 1;
            continue;
        }
        // A sign belongs to the number after a space or an operator; after a name it is part
        // of the name (`a-1`), after `{` it is whitespace control (`{{-1 }}`).
        let signed = i >= 2
            && matches!(bytes[i - 1], b'-' | b'+')
            && (bytes[i - 2].is_ascii_whitespace() || b"(:,=<>[|".contains(&bytes[i - 2]));
        let in_name = i >= 2
            && bytes[i - 1] == b'-'
            && (bytes[i - 2].is_ascii_alphanumeric() || matches!(bytes[i - 2], b'_' | b'-'));
        let start = i - usize::from(signed);
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if in_name {
            continue;
        }
        let float = bytes.get(i) == Some(&b'.') && bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
        let word_follows = bytes
            .get(i)
            .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_');
        let literal = &markup[start..i];
        if float || word_follows || literal.parse::<i64>().is_ok() {
            continue;
        }
        out.push_str(&markup[copied..start]);
        out.push('"');
        out.push_str(literal);
        out.push('"');
        copied = i;
    }
    out.push_str(&markup[copied..]);
}

/// Literal `(a..b)` spans of a `for` tag's arguments.
fn literal_span(args: &str) -> Option<u64> {
    let open = args.find('(')?;
    let close = args[open..].find(')')? + open;
    let (a, b) = args[open + 1..close].split_once("..")?;
    let a: i64 = a.trim().parse().ok()?;
    let b: i64 = b.trim().parse().ok()?;
    Some(b.saturating_sub(a).saturating_add(1).max(0) as u64)
}

/// `value | filter | …` without the filters `known` lacks; each dropped name is noted once per
/// post, saying the value is `shown` or `assigned` without it.
fn known_filters(
    expression: &str,
    known: &Known<'_>,
    dropped_names: &mut HashSet<String>,
    notes: &mut Vec<ScanNote>,
    line: usize,
    value_is: &str,
) -> String {
    let parts = split_filters(expression);
    let mut kept = vec![parts[0].trim().to_string()];
    for filter in &parts[1..] {
        let name = filter.split(':').next().unwrap_or("").trim();
        if known.filters.contains(name) {
            kept.push(filter.trim().to_string());
        } else if dropped_names.insert(format!("|{name}")) {
            notes.push(ScanNote {
                line,
                message: format!(
                    "Liquid filter `{name}` is unknown here (a Jekyll plugin's?); the value is \
                     {value_is} without it"
                ),
            });
        }
    }
    kept.join(" | ")
}

/// Scans `body`. Every unknown tag or filter is dropped with a note; an unknown block tag
/// (`{% x %}…{% endx %}`) loses both its markers and keeps what is between them.
pub fn scan(body: &str, known: &Known<'_>) -> Scanned {
    let mut out = Scanned {
        text: String::with_capacity(body.len() + 64),
        ..Scanned::default()
    };
    let mut pos = 0;
    // Unknown block tags open now, whose `end…` tag must go too.
    let mut unknown_blocks: Vec<String> = Vec::new();
    // Literal loop sizes of the `for` tags open now.
    let mut loops: Vec<u64> = Vec::new();
    let mut dropped_names: HashSet<String> = HashSet::new();
    let (chain, unclosed) = markups(body);
    // For each markup, the next `{% endraw %}` and `{% endcomment %}` after it; for each
    // `end…` tag name, the last markup that is one.
    let mut next_end = vec![[None; 2]; chain.len()];
    let mut following = [None; 2];
    let mut last_end: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (k, m) in chain.iter().enumerate().rev() {
        next_end[k] = following;
        if m.is_tag {
            match m.inner {
                "endraw" => following[0] = Some(k),
                "endcomment" => following[1] = Some(k),
                _ => {}
            }
            if let Some(word) = m.inner.split_whitespace().next() {
                if word.starts_with("end") {
                    last_end.entry(word).or_insert(k);
                }
            }
        }
    }
    let mut lines = Lines {
        text: body,
        offset: 0,
        line: 1,
    };
    // Openers never closed: Jekyll stops the build on them; here they stay as text, and the
    // first one outside `raw`/`comment` is reported.
    let mut unclosed = unclosed.into_iter().peekable();
    let mut unclosed_reported = false;
    let mut report_unclosed = |out: &mut Scanned, lines: &mut Lines<'_>, from: usize, to: usize| {
        while unclosed.next_if(|&o| o < from).is_some() {}
        if let Some(offset) = unclosed.next_if(|&o| o < to) {
            if !unclosed_reported {
                unclosed_reported = true;
                out.notes.push(ScanNote {
                    line: lines.at(offset),
                    message: format!(
                        "`{}` is never closed; it is shown as text (Jekyll stops the build on it)",
                        &body[offset..offset + 2]
                    ),
                });
            }
        }
    };
    let mut k = 0;
    while k < chain.len() {
        let m = &chain[k];
        k += 1;
        report_unclosed(&mut out, &mut lines, pos, m.start);
        out.text.push_str(&literal_openers(&body[pos..m.start]));
        let raw = &body[m.start..m.end];
        pos = m.end;
        let line = lines.at(m.start);
        if !m.is_tag {
            let kept = known_filters(
                m.inner,
                known,
                &mut dropped_names,
                &mut out.notes,
                line,
                "shown",
            );
            let open = if raw.starts_with("{{-") { "{{-" } else { "{{" };
            let close = if raw.ends_with("-}}") { "-}}" } else { "}}" };
            let _ = write!(out.text, "{open} {kept} {close}");
            continue;
        }
        let (name, args) = match m.inner.split_once(char::is_whitespace) {
            Some((n, a)) => (n, a),
            None => (m.inner, ""),
        };
        match name {
            // Their insides are not Liquid: copy them through as they are.
            "raw" | "comment" => {
                match next_end[k - 1][usize::from(name == "comment")] {
                    Some(end) => {
                        out.text.push_str(&body[m.start..chain[end].end]);
                        pos = chain[end].end;
                        k = end + 1;
                    }
                    None => {
                        // Unclosed: Jekyll fails the page; show the text without the tag.
                        out.notes.push(ScanNote {
                            line,
                            message: format!(
                                "`{{% {name} %}}` is never closed; the tag is left out"
                            ),
                        });
                    }
                }
                continue;
            }
            "for" => {
                if let Some(span) = literal_span(args) {
                    let total = loops.iter().product::<u64>().saturating_mul(span);
                    if total > MAX_LITERAL_ITERATIONS {
                        out.refused = Some(ScanNote {
                            line,
                            message: format!(
                                "a Liquid loop of {total} iterations (more than \
                                 {MAX_LITERAL_ITERATIONS}) is refused"
                            ),
                        });
                        return out;
                    }
                    loops.push(span);
                } else {
                    loops.push(1);
                }
            }
            "endfor" => {
                loops.pop();
            }
            _ => {}
        }
        if name == "assign" {
            if let Some((target, value)) = args.split_once('=') {
                let kept = known_filters(
                    value,
                    known,
                    &mut dropped_names,
                    &mut out.notes,
                    line,
                    "assigned",
                );
                let tag = format!("{{% assign {} = {kept} %}}", target.trim());
                out.text.push_str(&with_dashes(&tag, raw));
                continue;
            }
        }
        if matches!(name, "post_url" | "link") {
            // The whole argument is the name or path (Jekyll strips it, nothing more).
            out.text.push_str(&with_dashes(
                &format!("{{% {name} {} %}}", argument(args)),
                raw,
            ));
            continue;
        }
        if PATH_TAGS.contains(&name) {
            out.text.push_str(&with_dashes(&path_tag(name, args), raw));
            continue;
        }
        if name == "highlight" {
            let words: Vec<String> = args.split_whitespace().map(quoted).collect();
            out.text.push_str(&with_dashes(
                &format!("{{% highlight {} %}}", words.join(" ")),
                raw,
            ));
            continue;
        }
        let known_name = known.tags.contains(name)
            || known.blocks.contains(name)
            || name.starts_with("end") && known.blocks.contains(&name[3..])
            || matches!(name, "else" | "elsif" | "when");
        if known_name {
            out.text.push_str(raw);
            continue;
        }
        if let Some(base) = name.strip_prefix("end") {
            if unknown_blocks.last().is_some_and(|b| b == base) {
                unknown_blocks.pop();
                continue;
            }
        }
        // Is it a block? Only if an `end<name>` follows.
        let end_marker = format!("end{name}");
        let is_block = last_end
            .get(end_marker.as_str())
            .is_some_and(|&last| last >= k);
        if is_block {
            unknown_blocks.push(name.to_string());
        }
        if dropped_names.insert(format!("%{name}")) {
            out.notes.push(ScanNote {
                line,
                message: format!(
                    "Liquid tag `{name}` is unknown here (a Jekyll plugin's?); it is left out{}",
                    if is_block {
                        ", the text inside it kept"
                    } else {
                        ""
                    }
                ),
            });
        }
    }
    report_unclosed(&mut out, &mut lines, pos, body.len());
    out.text.push_str(&literal_openers(&body[pos..]));
    if let std::borrow::Cow::Owned(text) = break_whitespace_runs(&out.text) {
        out.text = text;
    }
    if let std::borrow::Cow::Owned(text) = quote_huge_integers(&out.text) {
        out.text = text;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> (HashSet<String>, HashSet<String>, HashSet<String>) {
        let set = |items: &[&str]| items.iter().map(ToString::to_string).collect();
        (
            set(&["assign", "include", "post_url", "link", "include_relative"]),
            set(&["if", "for", "raw", "comment", "capture", "highlight"]),
            set(&["upcase", "relative_url"]),
        )
    }

    fn run(body: &str) -> Scanned {
        let (tags, blocks, filters) = known();
        scan(
            body,
            &Known {
                tags: &tags,
                blocks: &blocks,
                filters: &filters,
            },
        )
    }

    #[test]
    fn unknown_tags_and_filters_are_dropped_with_their_line() {
        let s = run("a\n{% gist 123 %}\n{{ x | upcase | nope: 1 }}\n{% fig %}in{% endfig %}");
        assert_eq!(s.text, "a\n\n{{ x | upcase }}\nin");
        let lines: Vec<usize> = s.notes.iter().map(|n| n.line).collect();
        assert_eq!(lines, [2, 3, 4]);
        assert!(s.notes[2].message.contains("the text inside it kept"));
    }

    #[test]
    fn text_outside_ascii_next_to_the_delimiters() {
        // Slicing three bytes off `{{中文}}` split a character (a panic, found by fuzzing).
        let s = run("{{中文}} {{- 中 -}} {{x中}}");
        assert_eq!(s.text, "{{ 中文 }} {{- 中 -}} {{ x中 }}");
    }

    #[test]
    fn integers_too_large_for_64_bits_become_strings() {
        // liquid-core panics on them; Ruby's Liquid prints the bignum.
        let s = run("{{ 99999999999999999999 }} {% if x > -99999999999999999999 %}{% endif %}");
        assert_eq!(
            s.text,
            "{{ \"99999999999999999999\" }} {% if x > \"-99999999999999999999\" %}{% endif %}"
        );
        let s = run("{% for i in (1..99999999999999999999) %}{% endfor %}");
        assert_eq!(
            s.text,
            "{% for i in (1..\"99999999999999999999\") %}{% endfor %}"
        );
        // Numbers that fit, floats, names, strings, text and raw are left alone.
        let same =
            "99999999999999999999 {{ 9223372036854775807 }}{{ 1.99999999999999999999 | upcase }}\
                    {{ a-99999999999999999999 }}{{ 'x99999999999999999999' }}\
                    {% raw %}{{ 99999999999999999999 }}{% endraw %}";
        assert_eq!(run(same).text, same);
    }

    #[test]
    fn jekyll_bare_paths_are_quoted() {
        let s = run("{% include note.html text=\"hi\" %}{% post_url 2020-01-01-a %}{% include {{ page.f }} %}{% link _posts/x y.md %}");
        assert_eq!(
            s.text,
            "{% include \"note.html\" text=\"hi\" %}{% post_url \"2020-01-01-a\" %}{% include page.f %}{% link \"_posts/x y.md\" %}"
        );
        let s = run("{% highlight c++ linenos %}x{% endhighlight %}");
        assert_eq!(
            s.text,
            "{% highlight \"c++\" \"linenos\" %}x{% endhighlight %}"
        );
    }

    #[test]
    fn raw_and_comment_insides_are_kept() {
        let s = run("{% raw %}{% gist 1 %}{{ a | nope }}{% endraw %}");
        assert_eq!(s.text, "{% raw %}{% gist 1 %}{{ a | nope }}{% endraw %}");
        assert!(s.notes.is_empty());
    }

    #[test]
    fn an_opener_never_closed_lets_the_next_character_start_markup() {
        // `{{% if x %}`: the `{{` is never closed, so it is a `{` and a tag (Jekyll stops
        // the build on it; the reader must not see the tag).
        let s = run("a {{% if x %}y{% endif %} b\n");
        assert_eq!(s.text, "a {{% if x %}y{% endif %} b\n");
        assert_eq!(s.notes.len(), 1, "{:?}", s.notes);
        assert!(s.notes[0].message.contains("`{{` is never closed"));
        let s = run("{{{% if x %}{% endif %}\n{%");
        assert_eq!(s.text, "{{ \"{{\" }}{% if x %}{% endif %}\n{{ \"{%\" }}");
        assert_eq!(s.notes.len(), 1, "{:?}", s.notes);
        assert_eq!(s.notes[0].line, 1);
        // When the post is shown without its Liquid, the tag goes too.
        assert_eq!(
            super::super::strip_markup("a {{% if x %}y{% endif %} b"),
            "a {y b"
        );
        // Openers inside `raw` are its text, not reported.
        let s = run("{% raw %}{{ a{% endraw %}\n{% x");
        assert_eq!(s.notes.len(), 1, "{:?}", s.notes);
        assert_eq!(s.notes[0].line, 2);
        assert!(s.notes[0].message.contains("`{%` is never closed"));
    }

    #[test]
    fn hostile_markup_is_scanned_in_linear_time() {
        let bodies = [
            "{{ {% ".repeat(50_000),
            "{% gist 1 %}\n".repeat(40_000),
            "{% raw %}\n".repeat(40_000),
            "{% comment %}{% endraw %}\n".repeat(40_000),
            "{{".repeat(100_000) + "}}",
            "{% fig %}".repeat(20_000) + &"{% endfig %}".repeat(20_000),
        ];
        for body in &bodies {
            let start = std::time::Instant::now();
            let _ = run(body);
            let _ = super::super::strip_markup(body);
            // Quadratic scans of these took minutes.
            assert!(
                start.elapsed() < std::time::Duration::from_secs(5),
                "{:?} for {:?}",
                start.elapsed(),
                &body[..20]
            );
        }
    }

    #[test]
    fn huge_literal_loops_are_refused() {
        assert!(
            run("{% for i in (1..100) %}{% for j in (1..100) %}{% endfor %}{% endfor %}")
                .refused
                .is_none()
        );
        let s = run("x\n{% for i in (1..1000) %}{% for j in (1..10000) %}{% endfor %}{% endfor %}");
        assert_eq!(s.refused.unwrap().line, 2);
    }
}
