//! The binary's reporter: diagnostics as text (rustc style, with the offending line), as
//! JSON lines, or as GitHub Actions annotations.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Level, Origin, Renderer, Snippet};
use frontfeed::{Diagnostic, Severity};

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

/// Long lines (a feed's content) are cut to a window around the column.
const WINDOW: usize = 100;

fn text(d: &Diagnostic, sources: &mut Sources) -> String {
    let renderer = Renderer::plain();
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
            let chars: Vec<char> = source.chars().collect();
            // Without a column, the whole line (from its first non-blank) is underlined.
            let first_text = chars.iter().position(|c| !c.is_whitespace()).unwrap_or(0);
            let column = d
                .column
                .map(|c| c.saturating_sub(1))
                .unwrap_or(first_text)
                .min(chars.len());
            let start = column.saturating_sub(WINDOW / 2);
            let end = (start + WINDOW).min(chars.len());
            let window: String = chars[start..end].iter().collect();
            let span_start: usize = chars[start..column].iter().map(|c| c.len_utf8()).sum();
            let rest = &window[span_start..];
            let span_len = if d.column.is_some() {
                // The offending token: up to the next space or tag end.
                rest.find([' ', '>']).map(|i| i + 1).unwrap_or(rest.len())
            } else {
                rest.trim_end().len()
            };
            let mut snippet = Snippet::source(window.clone())
                .line_start(line)
                .path(path.clone());
            if !window.is_empty() {
                snippet = snippet.annotation(
                    AnnotationKind::Primary
                        .span(span_start..span_start + span_len.max(1).min(rest.len().max(1))),
                );
            }
            title.element(snippet)
        }
        (Some(path), line, _) => {
            let mut origin = Origin::path(path.clone());
            if let Some(line) = line {
                origin = origin.line(line);
            }
            title.element(origin)
        }
        (None, _, _) => annotate_snippets::Group::with_title(title),
    };
    renderer.render(&[report]).to_string()
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
