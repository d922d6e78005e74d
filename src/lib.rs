//! frontfeed turns a folder of Jekyll-style front-matter posts into RSS 2.0 and Atom 1.0 feeds.
//!
//! The library is a pipeline, one module per stage:
//!
//! 1. [`source`] walks the posts folder and reads files,
//! 2. [`front_matter`] splits and parses the YAML front matter,
//! 3. [`entry`] normalizes a post into an [`entry::EntryMeta`] (dates via [`dates`], URLs via
//!    [`permalink`] and [`slug`]),
//! 4. [`feeds`] selects, groups and sorts entries into feed plans,
//! 5. [`render`] turns the selected bodies into sanitized ([`sanitize`]), absolute-URL HTML
//!    and summaries ([`markdown`] reads Markdown with raw HTML blocks as Jekyll does),
//! 6. [`writers`] serialise RSS and Atom, each entry once per format,
//! 7. [`publish`] renders the selected entries in chunks and streams them into every feed,
//! 8. [`output`] writes files atomically and only when their bytes change.
//!
//! [`build::build`] runs the whole pipeline.

pub mod build;
pub mod cache;
pub mod config;
pub mod dates;
pub mod diagnostics;
pub mod entry;
pub mod feeds;
pub mod front_matter;
pub mod html;
pub mod lint;
pub mod options;
pub mod output;
pub mod permalink;
pub mod publish;
pub mod render;
pub mod slug;
pub mod source;
pub mod state;
pub mod text;
pub mod uri;
pub mod writers;

pub use build::{build, build_in_memory, build_into, BuildOptions, BuildReport};
pub use config::{Config, ConfigError, SiteConfig};
pub use diagnostics::{Diagnostic, Severity};
