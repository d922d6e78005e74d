//! The binary's reporter: diagnostics as text (rustc style, with the offending line), as
//! JSON lines, or as GitHub Actions annotations; and the one-line problems of `build`.
//!
//! Text is written with colour (severity, rule, file) through `anstream`, which strips it
//! when the stream is not a terminal, when `NO_COLOR` is set, or with `--color never`.
//! JSON and GitHub commands never carry colour.

use std::collections::HashMap;
use std::fmt::Display;
use std::io::Write;
use std::path::{Path, PathBuf};

use annotate_snippets::renderer::{DEFAULT_ERROR_STYLE, DEFAULT_NOTE_STYLE, DEFAULT_WARNING_STYLE};
use annotate_snippets::{AnnotationKind, Level, Origin, Renderer, Snippet};
use anstyle::Style;
use frontfeed::{Diagnostic, Severity};

/// `--color`: when diagnostics are coloured. (Plain comments on the values: doc comments
/// would turn every command's help into the long form.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorWhen {
    // On a terminal, unless `NO_COLOR` is set or `CLICOLOR=0` (or when `CLICOLOR_FORCE` is set).
    Auto,
    // Always, even into a pipe or a file.
    Always,
    // Never.
    Never,
}

/// Applies `--color` to every stream written through [`stdout`] and [`stderr`].
pub fn set_color(when: ColorWhen) {
    let choice = match when {
        ColorWhen::Auto => anstream::ColorChoice::Auto,
        ColorWhen::Always => anstream::ColorChoice::Always,
        ColorWhen::Never => anstream::ColorChoice::Never,
    };
    choice.write_global();
}

/// Standard output, with colour only where [`set_color`] allows it.
pub fn stdout() -> anstream::Stdout {
    anstream::stdout()
}

/// Standard error, with colour only where [`set_color`] allows it.
pub fn stderr() -> anstream::Stderr {
    anstream::stderr()
}

const PATH_STYLE: Style = Style::new().bold();

fn severity_style(severity: Severity) -> Style {
    match severity {
        Severity::Error => DEFAULT_ERROR_STYLE,
        Severity::Warning => DEFAULT_WARNING_STYLE,
        Severity::Note => DEFAULT_NOTE_STYLE,
    }
}

/// `error: posts/a.md:3: message`, coloured: the shape editors and CI logs link from.
pub fn one_line(d: &Diagnostic) -> String {
    let style = severity_style(d.severity);
    let mut line = format!("{style}{}{style:#}: ", d.severity);
    if let Some(path) = &d.path {
        let mut place = path.display().to_string();
        if let Some(l) = d.line {
            place.push_str(&format!(":{l}"));
            if let Some(c) = d.column {
                place.push_str(&format!(":{c}"));
            }
        }
        line.push_str(&format!("{PATH_STYLE}{place}{PATH_STYLE:#}: "));
    }
    line.push_str(&d.message);
    line
}

/// Prints one problem that belongs to no file (a configuration error) on stderr.
pub fn problem(severity: Severity, message: impl Display) {
    let style = severity_style(severity);
    let _ = writeln!(stderr(), "{style}{severity}{style:#}: {message}");
}

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Readable text, with the offending line where one is known.
    Text,
    /// One JSON object per line (see README.md for the fields).
    Json,
    /// GitHub Actions workflow commands (`::error file=…,line=…::…`).
    Github,
}

/// Source text for the snippets: files read on demand, or texts the caller already holds
/// (feeds a check built in memory).
#[derive(Default)]
pub struct Sources {
    texts: HashMap<PathBuf, String>,
}

impl Sources {
    pub fn insert(&mut self, path: PathBuf, text: String) {
        self.texts.insert(path, text);
    }

    fn line(&mut self, path: &Path, line: usize) -> Option<String> {
        if !self.texts.contains_key(path) {
            let bytes = std::fs::read(path).ok()?;
            self.texts.insert(
                path.to_path_buf(),
                String::from_utf8_lossy(&bytes).into_owned(),
            );
        }
        self.texts
            .get(path)?
            .lines()
            .nth(line.checked_sub(1)?)
            .map(str::to_owned)
    }
}

/// Prints every diagnostic in `format`. Write errors (a closed pipe) are ignored.
pub fn print(
    out: &mut impl Write,
    diagnostics: &[Diagnostic],
    format: Format,
    sources: &mut Sources,
) {
    for d in diagnostics {
        let text = match format {
            // A blank line between reports, as rustc does.
            Format::Text => format!("{}\n", text(d, sources)),
            Format::Json => json(d),
            Format::Github => github(d),
        };
        let _ = writeln!(out, "{text}");
    }
}

/// Prints each entry's link (`check --links`): `post: link` in text, one
/// `{"file": …, "link": …}` object per line in JSON, a `::notice` per post for GitHub.
pub fn print_links(
    out: &mut impl Write,
    posts: &std::path::Path,
    links: &[(String, String)],
    format: Format,
) {
    for (source, link) in links {
        let file = posts.join(source).display().to_string();
        let line = match format {
            Format::Text => format!("{file}: {link}"),
            Format::Json => serde_json::json!({ "file": file, "link": link }).to_string(),
            Format::Github => format!(
                "::notice file={}::link {}",
                github_escape(&file, true),
                github_escape(link, false)
            ),
        };
        let _ = writeln!(out, "{line}");
    }
}

fn level(severity: Severity) -> Level<'static> {
    match severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Note => Level::NOTE,
    }
}

/// Long lines (a feed's content) are cut to a window of this many characters around the
/// column, marked with `…` where cut. The `-->` line always gives the real line and column,
/// the same as the JSON and GitHub forms.
const WINDOW: usize = 100;

fn text(d: &Diagnostic, sources: &mut Sources) -> String {
    let renderer = Renderer::styled();
    let mut title = level(d.severity).primary_title(d.message.as_str());
    if let Some(rule) = d.rule {
        title = title.id(rule);
    }
    let path = d.path.as_ref().map(|p| p.display().to_string());
    let line_text = match (&d.path, d.line) {
        (Some(path), Some(line)) => sources.line(path, line),
        _ => None,
    };
    let report = match (&path, d.line, line_text) {
        (Some(path), Some(line), Some(source)) => {
            let (window, span) = window(&source, d.column);
            let mut snippet = Snippet::source(window).line_start(line).path(path.clone());
            if let Some(span) = span {
                snippet = snippet.annotation(AnnotationKind::Primary.span(span));
            }
            let rendered = renderer.render(&[title.element(snippet)]);
            return with_place(rendered, path, Some(line), d.column);
        }
        (Some(path), line, _) => {
            let mut origin = Origin::path(path.clone());
            if let Some(line) = line {
                origin = origin.line(line);
            }
            let rendered = renderer.render(&[title.element(origin)]);
            return with_place(rendered, path, line, d.column);
        }
        (None, _, _) => annotate_snippets::Group::with_title(title),
    };
    renderer.render(&[report])
}

/// Rewrites the place in the `--> path:line:column` line: the column annotate-snippets
/// gives is the one in the window shown, so the real one (the one JSON and GitHub give) is put
/// there, or none when it is unknown; and the place is bold, as in one-line problems.
fn with_place(rendered: String, path: &str, line: Option<usize>, column: Option<usize>) -> String {
    let Some(arrow) = rendered.find("--> ") else {
        return rendered;
    };
    let Some(at) = rendered[arrow..].find(path).map(|i| i + arrow) else {
        return rendered;
    };
    // The place as rendered: the path, then `:digits` up to twice.
    let mut end = at + path.len();
    for _ in 0..2 {
        let rest = &rendered[end..];
        let digits = rest.strip_prefix(':').map_or(0, |r| {
            r.len() - r.trim_start_matches(|c: char| c.is_ascii_digit()).len()
        });
        if digits == 0 {
            break;
        }
        end += 1 + digits;
    }
    let mut place = path.to_string();
    if let Some(line) = line {
        place.push_str(&format!(":{line}"));
        if let Some(column) = column {
            place.push_str(&format!(":{column}"));
        }
    }
    format!(
        "{}{PATH_STYLE}{place}{PATH_STYLE:#}{}",
        &rendered[..at],
        &rendered[end..]
    )
}

/// The part of `source` to show, and the byte span in it to underline: from the 1-based
/// character `column` to the end of the offending token (the next space or tag end), or,
/// without a column, the whole line from its first non-blank. A line longer than [`WINDOW`]
/// is cut around the column, with `…` where text was left out.
fn window(source: &str, column: Option<usize>) -> (String, Option<std::ops::Range<usize>>) {
    let chars: Vec<char> = source.chars().collect();
    let first_text = chars.iter().position(|c| !c.is_whitespace()).unwrap_or(0);
    let at = column
        .map_or(first_text, |c| c.saturating_sub(1))
        .min(chars.len());
    let start = if chars.len() <= WINDOW {
        0
    } else {
        at.saturating_sub(WINDOW / 2)
    };
    let end = (start + WINDOW).min(chars.len());
    let mut window = String::new();
    if start > 0 {
        window.push('…');
    }
    let span_start = window.len() + chars[start..at].iter().map(|c| c.len_utf8()).sum::<usize>();
    window.extend(&chars[start..end]);
    let rest = &window[span_start..];
    let span_len = if column.is_some() {
        rest.find([' ', '>']).map_or(rest.len(), |i| i + 1)
    } else {
        rest.trim_end().len()
    };
    let span = (!rest.is_empty()).then(|| span_start..span_start + span_len.max(1));
    if end < chars.len() {
        window.push('…');
    }
    (window, span)
}

fn json_string(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

/// `{"severity":…,"rule":…,"file":…,"line":…,"column":…,"message":…,"text":…}`; absent
/// values are `null`.
fn json(d: &Diagnostic) -> String {
    let opt = |v: Option<String>| v.unwrap_or_else(|| "null".to_string());
    format!(
        "{{\"severity\":{},\"rule\":{},\"file\":{},\"line\":{},\"column\":{},\"message\":{},\"text\":{}}}",
        json_string(&d.severity.to_string()),
        opt(d.rule.map(json_string)),
        opt(d.path.as_ref().map(|p| json_string(&p.display().to_string()))),
        opt(d.line.map(|l| l.to_string())),
        opt(d.column.map(|c| c.to_string())),
        json_string(&d.message),
        opt(d.excerpt.as_deref().map(json_string)),
    )
}

/// GitHub's workflow command escaping: `%`, CR and LF in the message; also `:` and `,` in
/// properties.
fn github_escape(s: &str, property: bool) -> String {
    let mut out = s
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    if property {
        out = out.replace(':', "%3A").replace(',', "%2C");
    }
    out
}

fn github(d: &Diagnostic) -> String {
    let command = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    };
    let mut properties = Vec::new();
    if let Some(path) = &d.path {
        properties.push(format!(
            "file={}",
            github_escape(&path.display().to_string(), true)
        ));
    }
    if let Some(line) = d.line {
        properties.push(format!("line={line}"));
    }
    if let Some(column) = d.column {
        properties.push(format!("col={column}"));
    }
    if let Some(rule) = d.rule {
        properties.push(format!("title={}", github_escape(rule, true)));
    }
    let properties = if properties.is_empty() {
        String::new()
    } else {
        format!(" {}", properties.join(","))
    };
    format!(
        "::{command}{properties}::{}",
        github_escape(&d.message, false)
    )
}
