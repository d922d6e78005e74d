//! `frontfeed man [COMMAND]`: man pages generated from the clap definition.

use std::io::Write;

use super::{Failure, Outcome};

/// `frontfeed man [COMMAND]`: the man page of frontfeed, or of one command, from the clap
/// definition, with the exit codes and the environment variables frontfeed reads.
pub fn run(mut top: clap::Command, command: Option<&str>) -> Outcome {
    top.build();
    let (page, name) = match command {
        None => (top.clone(), "frontfeed".to_string()),
        Some(name) => match top.find_subcommand(name) {
            Some(sub) => {
                let full = format!("frontfeed-{name}");
                // The process ends right after: the leak is the page's name, once.
                let page_name: &'static str = Box::leak(full.clone().into_boxed_str());
                let bin_name: &'static str =
                    Box::leak(format!("frontfeed {name}").into_boxed_str());
                let sub = sub.clone().name(page_name).bin_name(bin_name);
                (sub.version(env!("CARGO_PKG_VERSION")), full)
            }
            None => {
                return Err(Failure::usage(format!(
                    "there is no command `{name}`; the commands are {}",
                    top.get_subcommands()
                        .map(|c| c.get_name().to_string())
                        .filter(|n| n != "help")
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
        },
    };
    let man = clap_mangen::Man::new(page.clone()).title(name.to_uppercase());
    let mut roff = Vec::new();
    let rendered = (|| -> std::io::Result<()> {
        man.render_title(&mut roff)?;
        man.render_name_section(&mut roff)?;
        man.render_synopsis_section(&mut roff)?;
        man.render_description_section(&mut roff)?;
        if page.get_arguments().any(|a| !a.is_hide_set()) {
            man.render_options_section(&mut roff)?;
        }
        if page.has_subcommands() {
            man.render_subcommands_section(&mut roff)?;
        }
        let mut extra = clap_mangen::roff::Roff::new();
        if command.is_none() {
            extra.control("SH", ["EXIT STATUS"]);
            for (code, text) in [
                ("0", "Success: feeds written, or no errors found."),
                (
                    "1",
                    "Problems: a feed could not be written, errors found by check, or a \
                     warning under --strict or --deny-warnings. Each command's page has details.",
                ),
                ("2", "Usage or configuration error."),
            ] {
                extra
                    .control("TP", [])
                    .text([clap_mangen::roff::roman(code)]);
                extra.text([clap_mangen::roff::roman(text)]);
            }
            extra.control("SH", ["ENVIRONMENT"]);
            for (name, text) in [
                (
                    "SOURCE_DATE_EPOCH",
                    "Seconds since 1970: \"now\" for holding back posts dated in the future, \
                     and the updated time of a feed without entries.",
                ),
                (
                    "NO_COLOR",
                    "When set, problems are not coloured (as with --color never).",
                ),
                ("CI", "When set, no progress bar is shown."),
            ] {
                extra
                    .control("TP", [])
                    .text([clap_mangen::roff::bold(name)]);
                extra.text([clap_mangen::roff::roman(text)]);
            }
        } else if let Some(after) = page.get_after_help() {
            extra.control("SH", ["EXIT STATUS"]);
            extra.control("nf", []);
            extra.text([clap_mangen::roff::roman(after.to_string())]);
            extra.control("fi", []);
        }
        extra.to_writer(&mut roff)?;
        if page.get_version().is_some() {
            man.render_version_section(&mut roff)?;
        }
        Ok(())
    })();
    // Each part starts with roff's apostrophe definition; once is enough.
    const PREAMBLE: &str = ".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n";
    let roff = String::from_utf8_lossy(&roff);
    let page = match roff.split_once(PREAMBLE) {
        Some((before, after)) => format!("{before}{PREAMBLE}{}", after.replace(PREAMBLE, "")),
        None => roff.into_owned(),
    };
    match rendered.and_then(|()| std::io::stdout().lock().write_all(page.as_bytes())) {
        Ok(()) => Ok(()),
        // A closed pipe (`| head`) is not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::problems(format!("cannot print the page: {e}"))),
    }
}
