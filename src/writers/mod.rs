//! Writers: serialise a planned feed as RSS 2.0 or Atom 1.0.

pub mod atom;
pub mod rss;

use chrono::{DateTime, FixedOffset};

use crate::config::SiteConfig;
use crate::entry::EntryMeta;
use crate::render::Rendered;

/// The generator name and version written into every feed.
pub const GENERATOR: &str = "frontfeed";
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Serialises one feed in one format.
pub type FeedWriter = fn(&FeedHead<'_>, &[FeedItem<'_>]) -> Vec<u8>;

/// Every format we write, with its file name.
pub const FORMATS: [(&str, FeedWriter); 2] = [("rss.xml", rss::write), ("atom.xml", atom::write)];

/// Feed-level facts shared by both formats.
#[derive(Debug, Clone)]
pub struct FeedHead<'a> {
    pub site: &'a SiteConfig,
    pub title: String,
    pub description: String,
    /// The page the feed stands for.
    pub alternate_url: String,
    /// The feed's own absolute URL in this format.
    pub self_url: String,
    /// The newest entry's updated time (never the clock).
    pub updated: DateTime<FixedOffset>,
}

/// One entry as a feed writes it.
#[derive(Debug, Clone, Copy)]
pub struct FeedItem<'a> {
    pub meta: &'a EntryMeta,
    pub rendered: &'a Rendered,
}

impl FeedItem<'_> {
    /// Category names, then tag names not already among them.
    pub fn category_names(&self) -> Vec<&str> {
        let mut seen = std::collections::HashSet::new();
        self.meta
            .categories
            .iter()
            .chain(&self.meta.tags)
            .map(|t| t.name.as_str())
            .filter(|name| seen.insert(*name))
            .collect()
    }
}
