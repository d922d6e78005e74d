//! frontfeed turns a folder of Jekyll-style front-matter posts into RSS 2.0 and Atom 1.0 feeds.
//!
//! The library is a pipeline, one module per stage, each depending only on the ones before it
//! and on the shared types below them ([`options`], [`config`], [`diagnostics`]):
//!
//! 1. `source` walks the posts folder and reads files,
//! 2. `front_matter` splits and parses the YAML front matter,
//! 3. `entry` normalizes a post into an entry (dates via `dates`, links via `permalink` and
//!    `slug`),
//! 4. `plan` selects, groups and sorts entries into feed plans,
//! 5. `render` runs each selected body's Liquid (`render::liquid`) and Markdown
//!    (`render::markdown`), and `html` sanitizes the HTML, makes its URLs absolute and takes
//!    the summary, in one pass,
//! 6. `writers` serialise RSS and Atom, each entry once per format,
//! 7. `publish` renders the selected entries in chunks and streams them into every feed,
//!    with `cache` remembering what it can,
//! 8. [`output`] writes files atomically and only when their bytes change, and `state` keeps
//!    what a build of an output folder leaves for the next (manifest, lock).
//!
//! The API is [`build()`] (and [`build::build_into`], [`build::build_in_memory`]) with
//! [`BuildOptions`], and [`check()`] for checking posts and feed files (what `frontfeed check`
//! runs; [`lint`] holds the feed rules). The stage modules are public only for this
//! repository's benchmarks and fuzz targets.

#![warn(missing_docs)]

// The library's API: build the feeds of a posts folder, check posts and feeds.
pub mod build;
pub mod check;
pub mod config;
pub mod diagnostics;
pub mod lint;
pub mod options;
pub mod output;

// Pipeline stages, public for this repository's benchmarks and fuzz targets only: not part of
// the API, and free to change.
#[doc(hidden)]
pub mod dates;
#[doc(hidden)]
pub mod entry;
#[doc(hidden)]
pub mod front_matter;
#[doc(hidden)]
pub mod html;
#[doc(hidden)]
pub mod render;
#[doc(hidden)]
pub mod source;
#[doc(hidden)]
pub mod uri;
#[doc(hidden)]
pub mod writers;

pub(crate) mod cache;
pub(crate) mod hashed;
pub(crate) mod permalink;
pub(crate) mod plan;
pub(crate) mod publish;
pub(crate) mod resident;
pub(crate) mod slug;
pub(crate) mod state;
pub(crate) mod text;

pub use build::{build, build_in_memory, build_into};
pub use check::{check, CheckOutcome, CheckReport, CheckTarget};
pub use config::{Config, ConfigError, SiteConfig};
pub use diagnostics::{Diagnostic, Severity};
pub use options::{BuildOptions, BuildReport, Tuning};
