//! The `frontfeed` command: parses arguments, runs the library's build, reports.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::DateTime;
use clap::{Parser, Subcommand};

use frontfeed::config::{Config, Overrides};
use frontfeed::{BuildOptions, Severity};

/// Exit code for usage and configuration errors (clap uses the same).
const EXIT_USAGE: u8 = 2;
/// Exit code for a failed write, or any problem under `--strict`.
const EXIT_PROBLEMS: u8 = 1;

#[derive(Debug, Parser)]
#[command(
    name = "frontfeed",
    version,
    about = "Turns a folder of front-matter posts into RSS 2.0 and Atom 1.0 feeds.",
    long_about = None
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the global feed and one feed per category, in RSS and Atom.
    #[command(
        after_help = "Exit codes: 0 feeds written (problems in single posts are reported \
        on stderr and those posts left out); 1 a feed could not be written, or --strict and a \
        post had a warning or an error; 2 usage or configuration error."
    )]
    Build(BuildArgs),
}

#[derive(Debug, clap::Args)]
struct BuildArgs {
    /// Folder of posts to read, searched recursively.
    #[arg(long, value_name = "DIR", default_value = "posts")]
    posts: PathBuf,

    /// Folder to write the feeds into; created when missing.
    #[arg(long, value_name = "DIR", default_value = "out")]
    out: PathBuf,

    /// Configuration file [default: frontfeed.yaml, or built-in settings when that is absent].
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,

    /// Exit with code 1 when any post had a warning or an error (feeds are still written).
    #[arg(long)]
    strict: bool,

    /// Absolute http(s) URL of the site, overriding `base_url` in the config file.
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,

    /// IANA timezone for dates without an offset, overriding `timezone` (e.g. Asia/Shanghai).
    #[arg(long, value_name = "TZ")]
    timezone: Option<String>,

    /// Entries per feed, newest first (0 means all), overriding `limit`.
    #[arg(long, value_name = "N")]
    limit: Option<usize>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => run_build(args),
    }
}

fn run_build(args: BuildArgs) -> ExitCode {
    let (config_path, named) = match &args.config {
        Some(path) => (path.clone(), true),
        None => (PathBuf::from("frontfeed.yaml"), false),
    };
    let overrides = Overrides {
        base_url: args.base_url.clone(),
        timezone: args.timezone.clone(),
        limit: args.limit,
    };
    let resolved = Config::load(&config_path, named).and_then(|c| c.resolve(&overrides));
    let (site, config_warnings) = match resolved {
        Ok(ok) => ok,
        Err(e) => {
            report_line(&mut std::io::stderr(), format_args!("error: {e}"));
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let mut options = BuildOptions::new(args.posts.clone(), args.out.clone(), site);
    match source_date_epoch() {
        Ok(Some(time)) => options.empty_feed_time = time,
        Ok(None) => {}
        Err(message) => {
            report_line(&mut std::io::stderr(), format_args!("error: {message}"));
            return ExitCode::from(EXIT_USAGE);
        }
    }

    let mut err = std::io::stderr().lock();
    for warning in &config_warnings {
        report_line(
            &mut err,
            format_args!("warning: {}: {warning}", config_path.display()),
        );
    }
    let report = match frontfeed::build(&options) {
        Ok(report) => report,
        Err(e) => {
            report_line(&mut std::io::stderr(), format_args!("error: {e}"));
            return ExitCode::from(EXIT_USAGE);
        }
    };
    for d in &report.diagnostics {
        report_line(&mut err, format_args!("{d}"));
    }
    let warnings = report.count(Severity::Warning) + config_warnings.len();
    let errors = report.count(Severity::Error);
    report_line(
        &mut std::io::stdout().lock(),
        format_args!(
        "frontfeed: {} files read, {} entries, {} feeds ({} files written, {} unchanged), {} warning{}, {} error{}",
        report.files_read,
        report.entries,
        report.feeds,
        report.files_written,
        report.files_unchanged,
        warnings,
        if warnings == 1 { "" } else { "s" },
        errors,
        if errors == 1 { "" } else { "s" },
        ),
    );
    if report.files_failed > 0 || (args.strict && (report.has_problems() || warnings > 0)) {
        return ExitCode::from(EXIT_PROBLEMS);
    }
    ExitCode::SUCCESS
}

/// Writes one line of the report. A closed pipe (`frontfeed build | head -1`) must not turn a
/// good build into a panic, so write errors are ignored.
fn report_line(out: &mut impl Write, line: std::fmt::Arguments<'_>) {
    let _ = writeln!(out, "{line}");
}

/// `SOURCE_DATE_EPOCH` (reproducible-builds.org): seconds since 1970, used where a build time
/// would otherwise appear.
fn source_date_epoch() -> Result<Option<DateTime<chrono::FixedOffset>>, String> {
    let Some(value) = std::env::var_os("SOURCE_DATE_EPOCH") else {
        return Ok(None);
    };
    let text = value.to_string_lossy();
    text.trim()
        .parse::<i64>()
        .ok()
        .and_then(|secs| DateTime::from_timestamp(secs, 0))
        .map(|t| Some(t.fixed_offset()))
        .ok_or_else(|| format!("SOURCE_DATE_EPOCH={text:?} is not a number of seconds"))
}
