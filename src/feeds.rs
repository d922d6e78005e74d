//! Feeds: orders entries and decides which feeds exist and which entries each one carries.

use std::collections::BTreeMap;

use crate::config::SiteConfig;
use crate::entry::{EntryMeta, Term};
use crate::slug::url_segment;

/// What a feed collects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FeedKind {
    Global,
    Category,
    Tag,
}

/// One feed to write (in both formats).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedPlan {
    pub kind: FeedKind,
    /// The category or tag, for per-term feeds.
    pub term: Option<Term>,
    /// Indices into the sorted entries, newest first, cut to the configured limit.
    pub entries: Vec<usize>,
}

impl FeedPlan {
    /// The folder inside the output folder (`""`, `category/<slug>`, `tag/<slug>`). Slugs hold
    /// only letters, digits and `-`, so this never leaves the output folder.
    pub fn dir(&self) -> String {
        match (&self.kind, &self.term) {
            (FeedKind::Category, Some(t)) => format!("category/{}", t.slug),
            (FeedKind::Tag, Some(t)) => format!("tag/{}", t.slug),
            _ => String::new(),
        }
    }

    /// The same folder as a percent-encoded URL path, with a trailing `/` unless empty.
    pub fn url_dir(&self) -> String {
        match (&self.kind, &self.term) {
            (FeedKind::Category, Some(t)) => format!("category/{}/", url_segment(&t.slug)),
            (FeedKind::Tag, Some(t)) => format!("tag/{}/", url_segment(&t.slug)),
            _ => String::new(),
        }
    }

    /// The feed's title: the site's, plus the category or tag.
    pub fn title(&self, site: &SiteConfig) -> String {
        match &self.term {
            Some(t) => format!("{} - {}", site.title, t.name),
            None => site.title.clone(),
        }
    }
}

/// Orders entries newest first; ties are broken by permalink, then id, then source path, so the
/// order never depends on the file system.
pub fn sort_entries(entries: &mut [EntryMeta]) {
    entries.sort_by(|a, b| {
        b.published
            .cmp(&a.published)
            .then_with(|| a.link.cmp(&b.link))
            .then_with(|| a.id.cmp(&b.id))
            .then_with(|| a.source.cmp(&b.source))
    });
}

/// Plans the global feed and one feed per category (and per tag when enabled). `entries` must
/// be sorted. Terms that share a slug share a feed, named by the first spelling in sort order.
pub fn plan_feeds(entries: &[EntryMeta], site: &SiteConfig) -> Vec<FeedPlan> {
    let limit = |mut list: Vec<usize>| {
        if site.limit > 0 {
            list.truncate(site.limit);
        }
        list
    };
    let mut plans = Vec::new();
    if site.feeds.global {
        plans.push(FeedPlan {
            kind: FeedKind::Global,
            term: None,
            entries: limit((0..entries.len()).collect()),
        });
    }
    type TermsOf = fn(&EntryMeta) -> &[Term];
    let groups: [(bool, FeedKind, TermsOf); 2] = [
        (site.feeds.categories, FeedKind::Category, |e| &e.categories),
        (site.feeds.tags, FeedKind::Tag, |e| &e.tags),
    ];
    for (enabled, kind, terms_of) in groups {
        if !enabled {
            continue;
        }
        let mut by_slug: BTreeMap<&str, (&str, Vec<usize>)> = BTreeMap::new();
        for (index, entry) in entries.iter().enumerate() {
            for term in terms_of(entry) {
                let group = by_slug
                    .entry(term.slug.as_str())
                    .or_insert((term.name.as_str(), Vec::new()));
                if term.name.as_str() < group.0 {
                    group.0 = term.name.as_str();
                }
                group.1.push(index);
            }
        }
        plans.extend(by_slug.into_iter().map(|(slug, (name, list))| FeedPlan {
            kind,
            term: Some(Term {
                name: name.to_string(),
                slug: slug.to_string(),
            }),
            entries: limit(list),
        }));
    }
    plans
}
