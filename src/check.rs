//! `frontfeed check` as a library call: lint the posts and every feed a build would write
//! (built in memory, never written), or feed files that exist already.

use std::path::PathBuf;

use crate::build::{self, BuildError};
use crate::diagnostics::{Diagnostic, Severity};
use crate::lint;
use crate::options::BuildOptions;
use crate::output::{self, MemorySink};

/// What [`check`] reads.
#[derive(Debug, Clone, Copy)]
pub enum CheckTarget<'a> {
    /// The posts a build with these options reads, and every feed it would write. The feeds
    /// are built in memory and named as if written under `out_dir`, which is never touched
    /// (nor is the cache).
    Posts(&'a BuildOptions),
    /// Feed files, ours or anyone's (`frontfeed check --feed`).
    Feeds(&'a [PathBuf]),
}

/// What [`check`] found.
#[derive(Debug, Default)]
pub struct CheckReport {
    /// Every finding: the posts' (as a build reports them), then each feed's, feed by feed.
    pub diagnostics: Vec<Diagnostic>,
    /// Post files read; `None` when only feed files were checked.
    pub posts_checked: Option<usize>,
    /// Feeds linted: those a build would write, or the feed files that could be read.
    pub feeds_checked: usize,
    /// Posts that became entries.
    pub entries: usize,
    /// Posts held back as dated after [`BuildOptions::now`].
    pub future_posts: usize,
    /// With [`BuildOptions::report_links`]: each entry's post and link, ordered by post.
    pub links: Vec<(String, String)>,
    /// The feeds a build would write, under `out_dir`, with their bytes (to quote the lines
    /// findings point at); empty when feed files were checked.
    pub feeds: Vec<(PathBuf, Vec<u8>)>,
}

/// The verdict on a [`CheckReport`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckOutcome {
    /// No errors (and no warnings, when warnings are denied).
    Passed,
    /// Errors, or warnings when warnings are denied.
    Failed,
}

impl CheckReport {
    /// How many findings have `severity`.
    #[must_use]
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }

    /// Whether the check passed; with `deny_warnings`, a warning fails it too.
    #[must_use]
    pub fn outcome(&self, deny_warnings: bool) -> CheckOutcome {
        let denied = |d: &Diagnostic| match d.severity {
            Severity::Error => true,
            Severity::Warning => deny_warnings,
            Severity::Note => false,
        };
        if self.diagnostics.iter().any(denied) {
            CheckOutcome::Failed
        } else {
            CheckOutcome::Passed
        }
    }
}

/// Runs what `frontfeed check` runs, writing nothing: for [`CheckTarget::Posts`], reads every
/// post as [`build()`](crate::build()) would and lints each feed it would write; for
/// [`CheckTarget::Feeds`], lints the files (one that cannot be read is an error finding).
///
/// The configuration is the caller's, as for a build (`config::load_site`, then
/// `Config::resolve`).
///
/// # Errors
///
/// [`BuildError::PostsDir`] when the posts folder cannot be read as one; every other problem
/// is a finding in the report.
pub fn check(target: CheckTarget<'_>) -> Result<CheckReport, BuildError> {
    match target {
        CheckTarget::Posts(options) => check_posts(options),
        CheckTarget::Feeds(paths) => Ok(check_feeds(paths)),
    }
}

fn check_posts(options: &BuildOptions) -> Result<CheckReport, BuildError> {
    let sink = MemorySink::default();
    // Built with no output folder: the sink gets the feeds' paths inside it, as a build
    // writes them, and the findings name them under `out_dir`.
    let in_memory = BuildOptions {
        out_dir: PathBuf::new(),
        ..options.clone()
    };
    let built = build::build_unchecked(&in_memory, &sink)?;
    let mut report = CheckReport {
        diagnostics: built.diagnostics,
        posts_checked: Some(built.files_read),
        entries: built.entries,
        future_posts: built.future_posts,
        links: built.links,
        ..CheckReport::default()
    };
    for (relative, bytes) in sink.into_files() {
        let path = options.out_dir.join(relative);
        report.diagnostics.extend(lint::lint_feed(&path, &bytes));
        report.feeds.push((path, bytes));
    }
    report.feeds_checked = report.feeds.len();
    Ok(report)
}

fn check_feeds(paths: &[PathBuf]) -> CheckReport {
    let mut report = CheckReport::default();
    for path in paths {
        match std::fs::read(path) {
            Ok(bytes) => {
                report.diagnostics.extend(lint::lint_feed(path, &bytes));
                report.feeds_checked += 1;
            }
            Err(e) => report.diagnostics.push(Diagnostic::new(
                Severity::Error,
                Some(path.clone()),
                None,
                match e.kind() {
                    std::io::ErrorKind::NotFound => "there is no such file".to_string(),
                    std::io::ErrorKind::IsADirectory => {
                        "this is a folder: name the feed files in it (`DIR/*.xml`)".to_string()
                    }
                    _ => format!("cannot read it: {}", output::describe(&e)),
                },
            )),
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn options(posts: &std::path::Path) -> BuildOptions {
        let config = Config {
            base_url: Some("https://example.org".into()),
            ..Config::default()
        };
        let (site, _) = config
            .resolve(&crate::config::Overrides::default())
            .unwrap();
        BuildOptions::new(posts.to_path_buf(), PathBuf::from("out"), site)
    }

    fn write(dir: &std::path::Path, name: &str, text: &str) {
        std::fs::write(dir.join(name), text).unwrap();
    }

    fn finding(severity: Severity) -> Diagnostic {
        Diagnostic::new(severity, None, None, "x".into())
    }

    #[test]
    fn the_outcome_fails_on_errors_and_on_warnings_only_when_denied() {
        let mut report = CheckReport::default();
        report.diagnostics.push(finding(Severity::Note));
        assert_eq!(report.outcome(true), CheckOutcome::Passed);
        report.diagnostics.push(finding(Severity::Warning));
        assert_eq!(report.outcome(false), CheckOutcome::Passed);
        assert_eq!(report.outcome(true), CheckOutcome::Failed);
        report.diagnostics.push(finding(Severity::Error));
        assert_eq!(report.outcome(false), CheckOutcome::Failed);
        assert_eq!(report.count(Severity::Warning), 1);
    }

    #[test]
    fn posts_are_read_and_every_planned_feed_linted_without_writing() {
        let site = tempfile::tempdir().unwrap();
        let posts = site.path().join("posts");
        std::fs::create_dir(&posts).unwrap();
        write(
            &posts,
            "a.md",
            "---\ntitle: A\ndate: 2024-01-02 10:00:00 +0000\ncategories: [news]\n---\nBody\n",
        );
        write(&posts, "broken.md", "---\ntitle: [\n---\nBody\n");
        let mut options = options(&posts);
        options.out_dir = site.path().join("out");
        options.report_links = true;
        let report = check(CheckTarget::Posts(&options)).unwrap();
        assert_eq!(report.posts_checked, Some(2));
        assert_eq!(report.entries, 1);
        // The global feed and the category's, each in RSS and Atom.
        assert_eq!(report.feeds_checked, 4);
        assert!(report
            .feeds
            .iter()
            .all(|(path, _)| path.starts_with(site.path().join("out"))));
        assert!(!site.path().join("out").exists(), "check wrote nothing");
        assert_eq!(report.links.len(), 1);
        assert_eq!(
            report.count(Severity::Error),
            1,
            "{:#?}",
            report.diagnostics
        );
        assert_eq!(report.outcome(false), CheckOutcome::Failed);
        assert!(report.diagnostics.iter().all(|d| d.rule.is_none()));
    }

    #[test]
    fn a_missing_posts_folder_is_an_error_not_a_finding() {
        let site = tempfile::tempdir().unwrap();
        let result = check(CheckTarget::Posts(&options(&site.path().join("none"))));
        assert!(matches!(result, Err(BuildError::PostsDir { .. })));
    }

    #[test]
    fn feed_files_are_linted_and_unreadable_ones_are_error_findings() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "not-a-feed.xml", "<html/>");
        let files = [
            dir.path().join("not-a-feed.xml"),
            dir.path().join("missing.xml"),
            dir.path().to_path_buf(),
        ];
        let report = check(CheckTarget::Feeds(&files)).unwrap();
        assert_eq!(report.posts_checked, None);
        assert_eq!(report.feeds_checked, 1);
        assert!(report.feeds.is_empty());
        let messages: Vec<(Option<&str>, &str)> = report
            .diagnostics
            .iter()
            .map(|d| (d.rule, d.message.as_str()))
            .collect();
        assert_eq!(messages.len(), 3, "{messages:#?}");
        assert_eq!(messages[0].0, Some("feed-kind"));
        assert_eq!(messages[1], (None, "there is no such file"));
        assert!(messages[2].1.starts_with("this is a folder"));
        assert_eq!(report.outcome(false), CheckOutcome::Failed);
    }
}
