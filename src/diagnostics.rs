//! Problems found while building, as values: each names the file and, where known, the line.

use std::fmt;
use std::path::PathBuf;

/// How bad a problem is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Severity {
    /// Informational: a file skipped on purpose (no front matter, `published: false`).
    Note,
    /// Something was guessed or repaired; the entry is written. Fails the build under `--strict`.
    Warning,
    /// The post was left out of every feed. Fails the build under `--strict`.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// One problem, tied to a file (and a line when one is known).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    /// How bad it is.
    pub severity: Severity,
    /// The file as the user named it (posts folder joined with the relative path).
    pub path: Option<PathBuf>,
    /// 1-based line in that file.
    pub line: Option<usize>,
    /// 1-based column (in characters) on that line, where known.
    pub column: Option<usize>,
    /// A stable name for the rule that found it (`rss-pubdate`), for tools; lint findings
    /// have one. (Not cached: only lint findings have one, and they are never cached.)
    #[serde(skip)]
    pub rule: Option<&'static str>,
    /// The offending text, shortened.
    pub excerpt: Option<String>,
    /// What happened and, where there is one, what to do.
    pub message: String,
}

impl Diagnostic {
    /// A diagnostic about `path` (at `line`).
    pub fn new(
        severity: Severity,
        path: Option<PathBuf>,
        line: Option<usize>,
        msg: String,
    ) -> Self {
        Diagnostic {
            severity,
            path: path.map(tidy),
            line,
            column: None,
            rule: None,
            excerpt: None,
            message: msg,
        }
    }

    /// The same, at `column`.
    #[must_use]
    pub fn with_column(mut self, column: Option<usize>) -> Self {
        self.column = column;
        self
    }

    /// The same, found by the lint rule `rule`.
    #[must_use]
    pub fn with_rule(mut self, rule: &'static str) -> Self {
        self.rule = Some(rule);
        self
    }

    /// The same, with the offending text.
    #[must_use]
    pub fn with_excerpt(mut self, excerpt: impl Into<String>) -> Self {
        self.excerpt = Some(excerpt.into());
        self
    }

    /// True for problems that `--strict` turns into a failing exit code.
    pub fn is_problem(&self) -> bool {
        self.severity >= Severity::Warning
    }
}

/// A path as messages show it: `./_posts/a.md` (a site read from `.`) is `_posts/a.md`.
fn tidy(path: PathBuf) -> PathBuf {
    match path.strip_prefix(".") {
        Ok(rest) if !rest.as_os_str().is_empty() => rest.to_path_buf(),
        _ => path,
    }
}

impl fmt::Display for Diagnostic {
    /// `error: posts/a.md:3: message`, the shape editors and CI logs link from.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.severity)?;
        if let Some(path) = &self.path {
            write!(f, "{}", path.display())?;
            if let Some(line) = self.line {
                write!(f, ":{line}")?;
                if let Some(column) = self.column {
                    write!(f, ":{column}")?;
                }
            }
            f.write_str(": ")?;
        }
        f.write_str(&self.message)
    }
}

/// Collects diagnostics for one file.
#[derive(Debug, Default)]
pub struct FileDiagnostics {
    /// The file, tidied (`./posts/a.md` → `posts/a.md`).
    pub path: PathBuf,
    /// What was found, in order.
    pub items: Vec<Diagnostic>,
}

impl FileDiagnostics {
    /// Nothing found yet about `path`.
    pub fn new(path: PathBuf) -> Self {
        FileDiagnostics {
            path: tidy(path),
            items: Vec::new(),
        }
    }

    /// Records a diagnostic of `severity` at `line`.
    pub fn push(&mut self, severity: Severity, line: Option<usize>, message: impl Into<String>) {
        self.items.push(Diagnostic::new(
            severity,
            Some(self.path.clone()),
            line,
            message.into(),
        ));
    }

    /// Records a warning (fails `--strict`).
    pub fn warn(&mut self, line: Option<usize>, message: impl Into<String>) {
        self.push(Severity::Warning, line, message);
    }

    /// Records a note (never fails a build).
    pub fn note(&mut self, line: Option<usize>, message: impl Into<String>) {
        self.push(Severity::Note, line, message);
    }

    /// Records an error.
    pub fn error(&mut self, line: Option<usize>, message: impl Into<String>) {
        self.push(Severity::Error, line, message);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_file_and_line() {
        let d = Diagnostic::new(
            Severity::Error,
            Some(PathBuf::from("posts/a.md")),
            Some(3),
            "bad date".into(),
        );
        assert_eq!(d.to_string(), "error: posts/a.md:3: bad date");
        assert!(d.is_problem());
        let n = Diagnostic::new(Severity::Note, None, None, "skipped".into());
        assert_eq!(n.to_string(), "note: skipped");
        assert!(!n.is_problem());
    }
}
