//! The `frontfeed` command: parses arguments, runs the library's build, reports.

mod init;
mod man;
mod reporter;
mod watch;

use std::fmt::Display;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::DateTime;
use clap::{CommandFactory, Parser, Subcommand};

use frontfeed::build::BuildError;
use frontfeed::config::{load_site, Overrides, SiteSources};
use frontfeed::{BuildOptions, CheckOutcome, CheckTarget, Diagnostic, Severity, SiteConfig};

/// jemalloc instead of the system allocator: a build allocates and frees per entry on every
/// thread, and jemalloc spent about 7% less CPU on 10,000 posts, with a lower peak on
/// 100,000 (bench/run.sh; mimalloc was as fast but held 20% more memory).
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// Why a command failed. Every command returns one; [`Failure::exit_code`] is the one place
/// that turns it into the process's exit code, and [`Failure::report`] the one place that
/// prints its message.
#[derive(Debug)]
enum Failure {
    /// A usage or configuration error (exit 2, as clap's own): a bad setting or config file, no
    /// posts folder, an output folder frontfeed refuses, a bad `SOURCE_DATE_EPOCH`, `init`
    /// refusing to overwrite, a watch that cannot start. The message, until reported.
    Usage(Option<String>),
    /// The command ran into problems (exit 1): a file not written, errors found by `check`,
    /// a warning under `--strict` or `--deny-warnings`. The message, until reported; `None`
    /// when the findings themselves were the report.
    Problems(Option<String>),
}

impl Failure {
    fn usage(message: impl Display) -> Self {
        Failure::Usage(Some(message.to_string()))
    }

    fn problems(message: impl Display) -> Self {
        Failure::Problems(Some(message.to_string()))
    }

    /// Prints the message, if it was not printed yet, as an error on stderr.
    fn report(self) -> Self {
        if let Failure::Usage(Some(message)) | Failure::Problems(Some(message)) = &self {
            reporter::problem(Severity::Error, message);
        }
        match self {
            Failure::Usage(_) => Failure::Usage(None),
            Failure::Problems(_) => Failure::Problems(None),
        }
    }

    fn exit_code(&self) -> u8 {
        match self {
            Failure::Usage(_) => 2,
            Failure::Problems(_) => 1,
        }
    }
}

/// A folder the build cannot write to is a problem of the run; the other build errors are
/// about the posts and output folders chosen.
impl From<BuildError> for Failure {
    fn from(e: BuildError) -> Self {
        match e {
            BuildError::OutUnwritable { .. } => Failure::problems(e),
            BuildError::PostsDir { .. } | BuildError::OutDir { .. } => Failure::usage(e),
        }
    }
}

/// What every command returns.
type Outcome = Result<(), Failure>;

const BUILD_EXIT_CODES: &str = "Exit codes:
  0  feeds written; problems in single posts were reported on stderr and those posts left out
  1  a feed file could not be written (or a file frontfeed did not write is in its way), or
     --strict and a post had a warning or an error
  2  usage or configuration error: unknown flag or config key, invalid setting, missing posts
     folder, an output folder that is the posts folder, inside it, / or the home folder";

const CHECK_EXIT_CODES: &str = "Exit codes:
  0  no errors (and no warnings with --deny-warnings)
  1  errors found (or warnings with --deny-warnings)
  2  usage or configuration error, or a missing posts folder";

const WATCH_EXIT_CODES: &str = "Exit codes (after Ctrl-C, those of the last build):
  0  feeds written
  1  a feed file could not be written, or --strict and a post had a warning or an error
  2  usage or configuration error, or the posts folder is missing or cannot be watched";

const INIT_EXIT_CODES: &str = "Exit codes:
  0  the config file written (and the posts folder with an example post, when there was none)
  1  a file could not be written
  2  usage error, an invalid --base-url, or the config file already exists (init never
     overwrites a file)";

const COMPLETIONS_EXIT_CODES: &str = "Install, for example:
  bash  frontfeed completions bash > ~/.local/share/bash-completion/completions/frontfeed
  zsh   frontfeed completions zsh > ~/.zfunc/_frontfeed   (with fpath+=~/.zfunc in ~/.zshrc)
  fish  frontfeed completions fish > ~/.config/fish/completions/frontfeed.fish

Exit codes:
  0  the script was printed
  2  usage error (an unknown shell)";

const MAN_EXIT_CODES: &str = "Install, for example:
  frontfeed man > ~/.local/share/man/man1/frontfeed.1
  frontfeed man build > ~/.local/share/man/man1/frontfeed-build.1

Exit codes:
  0  the page was printed
  2  usage error (an unknown command)";

#[derive(Debug, Parser)]
#[command(
    name = "frontfeed",
    version,
    about = "Turns a folder of front-matter posts into RSS 2.0 and Atom 1.0 feeds.",
    long_about = None,
    after_help = "Exit codes: 0 success; 1 problems (a feed not written, errors found, or a \
    warning under --strict or --deny-warnings); 2 usage or configuration error. Each command's \
    --help gives its own."
)]
struct Cli {
    /// When to colour problems: auto (on a terminal, unless NO_COLOR is set), always, never.
    #[arg(
        long,
        global = true,
        value_enum,
        value_name = "WHEN",
        default_value = "auto"
    )]
    color: reporter::ColorWhen,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the global feed and one feed per category, in RSS and Atom.
    #[command(after_help = BUILD_EXIT_CODES)]
    Build(BuildArgs),
    /// Lint the posts and everything a build would write, without writing; or, with --feed,
    /// lint existing feed files.
    #[command(after_help = CHECK_EXIT_CODES)]
    Check(CheckArgs),
    /// Build once, then rebuild whenever a post or the config changes (Ctrl-C stops).
    #[command(after_help = WATCH_EXIT_CODES)]
    Watch(BuildArgs),
    /// Write a commented frontfeed.yaml, and a posts folder with an example post when there
    /// is none.
    #[command(after_help = INIT_EXIT_CODES)]
    Init(InitArgs),
    /// Print a shell completion script for frontfeed on stdout.
    #[command(after_help = COMPLETIONS_EXIT_CODES)]
    Completions {
        /// The shell to complete in.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print a man page (roff) for frontfeed, or for one of its commands, on stdout.
    #[command(after_help = MAN_EXIT_CODES)]
    Man {
        /// A command (build, check, watch, init, completions) for its own page.
        #[arg(value_name = "COMMAND")]
        command: Option<String>,
    },
}

/// The settings every command that reads posts takes: where the config is, and overrides.
#[derive(Debug, clap::Args)]
struct SiteArgs {
    /// Configuration file [default: frontfeed.yaml, or built-in settings when that is absent].
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,

    /// Absolute http(s) URL of the site, overriding `base_url` in the config file.
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,

    /// IANA timezone for dates without an offset, overriding `timezone` (e.g. Asia/Shanghai).
    #[arg(long, value_name = "TZ")]
    timezone: Option<String>,

    /// Entries per feed, newest first (0 means all), overriding `limit`.
    #[arg(long, value_name = "N")]
    limit: Option<usize>,

    /// Also read a Jekyll site's `_drafts/` (as `jekyll --drafts`).
    #[arg(long)]
    drafts: bool,
}

/// A run's settings and folders.
struct Resolved {
    site: SiteConfig,
    /// Settings that fell back to placeholders.
    warnings: Vec<String>,
    sources: SiteSources,
}

impl Resolved {
    /// The config file that names the settings in messages.
    fn config_label(&self) -> PathBuf {
        self.sources
            .config_files
            .last()
            .cloned()
            .unwrap_or_else(|| PathBuf::from("frontfeed.yaml"))
    }

    /// The settings that fell back to placeholders, as warnings about the config file.
    fn config_warnings(&self) -> Vec<Diagnostic> {
        let file = self.sources.config_files.last();
        self.warnings
            .iter()
            .map(|w| Diagnostic::new(Severity::Warning, file.cloned(), None, w.clone()))
            .collect()
    }
}

impl SiteArgs {
    /// Finds and validates the configuration and folders (see `config::load_site`) with
    /// the command-line overrides; a problem is a usage error.
    fn resolve(&self, posts: Option<&Path>, out: Option<&Path>) -> Result<Resolved, Failure> {
        let overrides = Overrides {
            base_url: self.base_url.clone(),
            timezone: self.timezone.clone(),
            limit: self.limit,
            drafts: self.drafts,
        };
        load_site(self.config.as_deref(), posts, out)
            .and_then(|(config, sources)| {
                let (site, warnings) = config.resolve(&overrides)?;
                Ok(Resolved {
                    site,
                    warnings,
                    sources,
                })
            })
            .map_err(Failure::usage)
    }
}

#[derive(Debug, clap::Args)]
struct CheckArgs {
    /// Folder of posts to read, searched recursively [default: `posts:` in the config, the
    /// Jekyll site in this folder, or posts].
    #[arg(long, value_name = "DIR")]
    posts: Option<PathBuf>,

    #[command(flatten)]
    site: SiteArgs,

    /// Lint these feed files (ours or anyone's) instead of the posts.
    #[arg(long, value_name = "FILE", num_args = 1.., conflicts_with_all = ["posts", "config", "base_url", "timezone", "limit"])]
    feed: Vec<PathBuf>,

    /// How to print the findings.
    #[arg(long, value_enum, default_value = "text")]
    format: reporter::Format,

    /// Exit with code 1 on warnings too.
    #[arg(long)]
    deny_warnings: bool,

    /// Also list every entry's link, post by post (to compare with the pages a site has).
    #[arg(long, conflicts_with = "feed")]
    links: bool,
}

#[derive(Debug, clap::Args)]
struct BuildArgs {
    /// Folder of posts to read, searched recursively [default: `posts:` in the config, the
    /// Jekyll site in this folder, or posts].
    #[arg(long, value_name = "DIR")]
    posts: Option<PathBuf>,

    /// Folder to write the feeds into; created when missing [default: `out:` in the config,
    /// or out].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,

    #[command(flatten)]
    site: SiteArgs,

    /// Exit with code 1 when any post had a warning or an error (feeds are still written).
    #[arg(long)]
    strict: bool,

    /// Ignore and do not update the incremental cache in OUT/.frontfeed/cache (the output is
    /// the same; only slower).
    #[arg(long)]
    no_cache: bool,

    /// Print only errors (no notes, warnings or summary).
    #[arg(short, long, conflicts_with = "verbose")]
    quiet: bool,

    /// Also print the settings used and how long each run took.
    #[arg(short, long)]
    verbose: bool,
}

#[derive(Debug, clap::Args)]
struct InitArgs {
    /// Configuration file to write; it must not exist yet.
    #[arg(long, value_name = "FILE", default_value = "frontfeed.yaml")]
    config: PathBuf,

    /// Folder of posts: created with one example post when it does not exist.
    #[arg(long, value_name = "DIR", default_value = "posts")]
    posts: PathBuf,

    /// Absolute http(s) URL of the site, written as `base_url` (else left commented).
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    reporter::set_color(cli.color);
    let outcome = match cli.command {
        Command::Build(args) => build_once(&args, None),
        Command::Check(args) => run_check(&args),
        Command::Watch(args) => run_watch(&args),
        Command::Init(args) => init::run(&args.config, &args.posts, args.base_url),
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "frontfeed", &mut script);
            // A closed pipe (`| head`) is not an error.
            let _ = std::io::stdout().write_all(&script);
            Ok(())
        }
        Command::Man { command } => man::run(Cli::command(), command.as_deref()),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => ExitCode::from(failure.report().exit_code()),
    }
}

/// Builds, then rebuilds after every real change to the posts or the config (see the `watch`
/// module for what counts), debounced. Each rebuild is told what changed and reads only those
/// posts again (`frontfeed::build::rebuild`); unchanged feeds keep their bytes and mtimes.
fn run_watch(args: &BuildArgs) -> Outcome {
    let resolved = args
        .site
        .resolve(args.posts.as_deref(), args.out.as_deref())?;
    let config = resolved.config_label();
    if let Some(problem) = frontfeed::build::posts_folder_problem(&resolved.sources.posts) {
        return Err(problem.into());
    }
    let site = watch::Site {
        posts: &resolved.sources.posts,
        out: &resolved.sources.out,
        config: &config,
    };
    // Each build's failure is reported when it happens; the last build's sets the exit code.
    // The process stays up, so each build's reading of the posts is kept for the next.
    let mut resident = frontfeed::build::Resident::default();
    let outcome = watch::run(&site, args.quiet, |changes| {
        build_once(args, Some((&mut resident, changes))).map_err(Failure::report)
    });
    // The last build's cache is saved after its report: a failure is told here.
    if let Some(e) = resident.finish_saving() {
        report_line(
            &mut std::io::stderr(),
            format_args!("warning: {}: {e}", frontfeed::build::CACHE_NOT_SAVED),
        );
    }
    outcome
}

/// One build with the reporting of `frontfeed build`.
fn build_once(
    args: &BuildArgs,
    resident: Option<(&mut frontfeed::build::Resident, &frontfeed::build::Changes)>,
) -> Outcome {
    let started = std::time::Instant::now();
    let resolved = args
        .site
        .resolve(args.posts.as_deref(), args.out.as_deref())?;
    let mut run_warnings = resolved.config_warnings();
    let config_file = resolved.sources.config_files.last().cloned();
    let Resolved { site, sources, .. } = resolved;
    if args.verbose {
        report_line(
            &mut std::io::stderr(),
            format_args!(
                "frontfeed: {}, posts {}, out {}, base_url {}, timezone {}, limit {}",
                match &config_file {
                    Some(path) => format!("config {}", path.display()),
                    None => "no config file (built-in settings)".to_string(),
                },
                sources.posts.display(),
                sources.out.display(),
                site.base_url,
                site.timezone,
                site.limit
            ),
        );
    }
    let mut options = BuildOptions::new(sources.posts.clone(), sources.out.clone(), site);
    options.use_cache = !args.no_cache;
    let progress = progress_bar(args.quiet);
    if let Some(bar) = &progress {
        let bar = bar.clone();
        options.progress = Some(frontfeed::build::ProgressHook::new(move |done, total| {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        }));
    }
    let epoch = source_date_epoch()?;
    if let Some(time) = epoch {
        options.empty_feed_time = time;
        options.now = time;
    }

    let result = match resident {
        Some((resident, changes)) => frontfeed::build::rebuild(&options, resident, changes),
        None => frontfeed::build(&options),
    };
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    let report = result?;
    run_warnings.extend(all_held_back(report.entries, report.future_posts, epoch));
    let mut err = reporter::stderr().lock();
    for d in run_warnings.iter().chain(&report.diagnostics) {
        if !args.quiet || d.severity == Severity::Error {
            report_line(&mut err, format_args!("{}", reporter::one_line(d)));
        }
    }
    drop(err);
    let warnings = report.count(Severity::Warning) + run_warnings.len();
    let errors = report.count(Severity::Error);
    if args.verbose {
        report_line(
            &mut std::io::stderr(),
            format_args!(
                "frontfeed: built in {:.3} s ({} post files parsed, {} entries rendered; the rest came from the cache or was not needed)",
                started.elapsed().as_secs_f64(),
                report.posts_parsed,
                report.entries_rendered
            ),
        );
    }
    if !args.quiet {
        report_line(
            &mut std::io::stdout().lock(),
            format_args!(
                "frontfeed: {} read, {}{}, {} ({} written, {} unchanged, {} removed), {}, {}",
                plural(report.files_read, "file", "files"),
                plural(report.entries, "entry", "entries"),
                match report.future_posts {
                    0 => String::new(),
                    n => format!(" ({} held back)", plural(n, "future post", "future posts")),
                },
                plural(report.feeds, "feed", "feeds"),
                plural(report.files_written, "file", "files"),
                report.files_unchanged,
                report.files_removed,
                plural(warnings, "warning", "warnings"),
                plural(errors, "error", "errors"),
            ),
        );
    }
    if report.files_failed > 0 || (args.strict && (report.has_problems() || warnings > 0)) {
        // The failed writes and the problems were reported above.
        return Err(Failure::Problems(None));
    }
    Ok(())
}

/// `frontfeed check`: the library's [`frontfeed::check`], with the findings of the run itself
/// (the config file's, `SOURCE_DATE_EPOCH`'s) first, printed in the chosen format.
fn run_check(args: &CheckArgs) -> Outcome {
    let mut run_warnings = Vec::new();
    let mut epoch = None;
    // With --feed, no config and no posts are read.
    let posts = if args.feed.is_empty() {
        let resolved = args.site.resolve(args.posts.as_deref(), None)?;
        run_warnings = resolved.config_warnings();
        // Named under `out/` whatever the config says: nothing is written there.
        let mut options =
            BuildOptions::new(resolved.sources.posts, PathBuf::from("out"), resolved.site);
        options.report_links = args.links;
        epoch = source_date_epoch()?;
        options.now = epoch.unwrap_or_else(|| chrono::Utc::now().fixed_offset());
        Some(options)
    } else {
        None
    };
    let mut report = frontfeed::check(match &posts {
        Some(options) => CheckTarget::Posts(options),
        None => CheckTarget::Feeds(&args.feed),
    })?;
    run_warnings.extend(all_held_back(report.entries, report.future_posts, epoch));
    report.diagnostics.splice(0..0, run_warnings);

    let mut sources = reporter::Sources::default();
    for (path, bytes) in std::mem::take(&mut report.feeds) {
        sources.insert(path, String::from_utf8_lossy(&bytes).into_owned());
    }
    reporter::print(
        &mut reporter::stdout().lock(),
        &report.diagnostics,
        args.format,
        &mut sources,
    );
    reporter::print_links(
        &mut std::io::stdout().lock(),
        posts.as_ref().map_or(Path::new(""), |o| &o.posts_dir),
        &report.links,
        args.format,
    );
    let feeds = plural(report.feeds_checked, "feed", "feeds");
    let checked = match report.posts_checked {
        Some(posts) => format!("{} and {feeds}", plural(posts, "post file", "post files")),
        None => feeds,
    };
    let summary = format!(
        "frontfeed check: {checked} checked, {}, {}",
        plural(report.count(Severity::Error), "error", "errors"),
        plural(report.count(Severity::Warning), "warning", "warnings"),
    );
    // In text form the summary ends the report; machine formats keep stdout for findings.
    if args.format == reporter::Format::Text {
        report_line(&mut std::io::stdout().lock(), format_args!("{summary}"));
    } else {
        report_line(&mut std::io::stderr(), format_args!("{summary}"));
    }
    match report.outcome(args.deny_warnings) {
        CheckOutcome::Passed => Ok(()),
        // The findings were the report.
        CheckOutcome::Failed => Err(Failure::Problems(None)),
    }
}

/// `1 entry`, `2 entries`.
fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A warning when `SOURCE_DATE_EPOCH` held back every post (`0`, or a date before the first
/// post): the feeds are then empty, which is never what a CI job wants.
fn all_held_back(
    entries: usize,
    future_posts: usize,
    epoch: Option<DateTime<chrono::FixedOffset>>,
) -> Option<Diagnostic> {
    let epoch = epoch?;
    (entries == 0 && future_posts > 0).then(|| {
        Diagnostic::new(
            Severity::Warning,
            None,
            None,
            format!(
                "SOURCE_DATE_EPOCH is {} ({}), before every post, so {} held back as dated \
                 in the future; in CI take it from the last commit: \
                 SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)",
                epoch.timestamp(),
                epoch.to_rfc3339(),
                match future_posts {
                    1 => "the one post was".to_string(),
                    n => format!("all {n} posts were"),
                },
            ),
        )
    })
}

/// A progress bar on a terminal, for builds that take more than a moment; none when stderr
/// is not a terminal, when `CI` is set, or with --quiet.
fn progress_bar(quiet: bool) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if quiet || std::env::var_os("CI").is_some() || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} rendering {pos}/{len} entries {wide_bar} {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    // Shown only after a moment, so quick builds print nothing extra.
    bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    let shown = bar.clone();
    std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(500));
        if !shown.is_finished() {
            shown.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
    });
    Some(bar)
}

/// Writes one line of the report. A closed pipe (`frontfeed build | head -1`) must not turn a
/// good build into a panic, so write errors are ignored.
fn report_line(out: &mut impl Write, line: std::fmt::Arguments<'_>) {
    let _ = writeln!(out, "{line}");
}

/// `SOURCE_DATE_EPOCH` (reproducible-builds.org): seconds since 1970, used where a build time
/// would otherwise appear. Anything else in it is a usage error.
fn source_date_epoch() -> Result<Option<DateTime<chrono::FixedOffset>>, Failure> {
    let Some(value) = std::env::var_os("SOURCE_DATE_EPOCH") else {
        return Ok(None);
    };
    let text = value.to_string_lossy();
    text.trim()
        .parse::<i64>()
        .ok()
        .and_then(|secs| DateTime::from_timestamp(secs, 0))
        .map(|t| Some(t.fixed_offset()))
        .ok_or_else(|| {
            Failure::usage(format!(
                "SOURCE_DATE_EPOCH={text:?} is not a number of seconds since 1970 (in CI: \
                 SOURCE_DATE_EPOCH=$(git log -1 --format=%ct))"
            ))
        })
}
