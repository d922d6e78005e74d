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

impl FeedKind {
    /// The output folder that holds feeds of this kind.
    pub fn folder(self) -> &'static str {
        match self {
            FeedKind::Global => "",
            FeedKind::Category => "category",
            FeedKind::Tag => "tag",
        }
    }
}

impl FeedPlan {
    /// The folder inside the output folder (`""`, `category/<slug>`, `tag/<slug>`). Slugs hold
    /// only letters, digits and `-`, so this never leaves the output folder.
    pub fn dir(&self) -> String {
        match &self.term {
            Some(t) => format!("{}/{}", self.kind.folder(), t.slug),
            None => String::new(),
        }
    }

    /// The same folder as a percent-encoded URL path, with a trailing `/` unless empty.
    pub fn url_dir(&self) -> String {
        match &self.term {
            Some(t) => format!("{}/{}/", self.kind.folder(), url_segment(&t.slug)),
            None => String::new(),
        }
    }

    /// The feed's description: the site's, plus the category or tag.
    pub fn description(&self, site: &SiteConfig) -> String {
        match &self.term {
            Some(t) => format!("{} ({})", site.description, t.name),
            None => site.description.clone(),
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

/// Reads a kind of term (categories or tags) off an entry.
type TermsOf = fn(&EntryMeta) -> &[Term];

/// The per-term feed kinds the configuration turns on.
fn enabled_term_kinds(site: &SiteConfig) -> Vec<(FeedKind, TermsOf)> {
    let mut kinds: Vec<(FeedKind, TermsOf)> = Vec::new();
    if site.feeds.categories {
        kinds.push((FeedKind::Category, |e| &e.categories));
    }
    if site.feeds.tags {
        kinds.push((FeedKind::Tag, |e| &e.tags));
    }
    kinds
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
    for (kind, terms_of) in enabled_term_kinds(site) {
        let mut by_slug: BTreeMap<&str, (&str, Vec<usize>)> = BTreeMap::new();
        for (index, entry) in entries.iter().enumerate() {
            for term in terms_of(entry) {
                let group = by_slug
                    .entry(term.slug.as_str())
                    .or_insert((term.name.as_str(), Vec::new()));
                if term.name.as_str() < group.0 {
                    group.0 = term.name.as_str();
                }
                // Two names of one entry can share a slug (`C++`, `C#`): list it once.
                if group.1.last() != Some(&index) {
                    group.1.push(index);
                }
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

/// Distinct names that share one feed because they share a slug (`C++` and `C#` both give
/// `c`), as (feed folder, names). Case-only differences are not listed.
pub fn shared_slugs(entries: &[EntryMeta], site: &SiteConfig) -> Vec<(String, Vec<String>)> {
    let mut found = Vec::new();
    for (kind, terms_of) in enabled_term_kinds(site) {
        // slug -> lowercased name -> the smallest spelling of that name.
        let mut names: BTreeMap<&str, BTreeMap<String, &str>> = BTreeMap::new();
        for term in entries.iter().flat_map(terms_of) {
            let spelling = names
                .entry(term.slug.as_str())
                .or_default()
                .entry(term.name.to_lowercase())
                .or_insert(term.name.as_str());
            if term.name.as_str() < *spelling {
                *spelling = term.name.as_str();
            }
        }
        for (slug, spellings) in names {
            if spellings.len() > 1 {
                let mut list: Vec<String> = spellings.into_values().map(str::to_string).collect();
                list.sort();
                found.push((format!("{}/{slug}", kind.folder()), list));
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, Overrides};
    use chrono::DateTime;

    fn entry(source: &str, date: &str, categories: &[&str]) -> EntryMeta {
        let date = DateTime::parse_from_rfc3339(date).unwrap();
        EntryMeta {
            source: source.into(),
            title: source.into(),
            link: format!("https://e.org/{source}"),
            id: format!("https://e.org/{source}"),
            guid: format!("https://e.org/{source}"),
            guid_is_permalink: true,
            published: date,
            updated: date,
            categories: categories
                .iter()
                .map(|c| Term {
                    name: c.to_string(),
                    slug: crate::slug::slugify_nonempty(c),
                })
                .collect(),
            tags: vec![],
            author: None,
            excerpt: None,
            excerpt_separator: None,
            body: String::new(),
            body_format: crate::entry::BodyFormat::Markdown,
            source_hash: 0,
            date_line: None,
        }
    }

    fn site(yaml: &str) -> SiteConfig {
        Config::from_yaml(yaml, std::path::Path::new("f"))
            .unwrap()
            .resolve(&Overrides::default())
            .unwrap()
            .0
    }

    #[test]
    fn sorted_newest_first_with_stable_ties() {
        let mut entries = vec![
            entry("b", "2022-01-01T00:00:00Z", &[]),
            entry("old", "2021-01-01T00:00:00Z", &[]),
            entry("a", "2022-01-01T08:00:00+08:00", &[]),
            entry("new", "2023-01-01T00:00:00Z", &[]),
        ];
        sort_entries(&mut entries);
        let order: Vec<&str> = entries.iter().map(|e| e.source.as_str()).collect();
        assert_eq!(
            order,
            ["new", "a", "b", "old"],
            "same instant: ordered by permalink"
        );
    }

    #[test]
    fn plans_group_by_slug_and_respect_the_limit() {
        let mut entries = vec![
            entry("1", "2022-01-03T00:00:00Z", &["Tech", "C++"]),
            entry("2", "2022-01-02T00:00:00Z", &["tech", "C#"]),
            entry("3", "2022-01-01T00:00:00Z", &["Tech"]),
        ];
        sort_entries(&mut entries);
        let plans = plan_feeds(&entries, &site("limit: 2\n"));
        let summary: Vec<(String, Vec<usize>)> =
            plans.iter().map(|p| (p.dir(), p.entries.clone())).collect();
        assert_eq!(
            summary,
            [
                (String::new(), vec![0, 1]),
                ("category/c".to_string(), vec![0, 1]),
                ("category/tech".to_string(), vec![0, 1]),
            ]
        );
        assert_eq!(plans[2].term.as_ref().unwrap().name, "Tech");
        assert_eq!(
            shared_slugs(&entries, &site("")),
            [(
                "category/c".to_string(),
                vec!["C#".to_string(), "C++".to_string()]
            )]
        );
        let all = plan_feeds(&entries, &site("limit: 0\nfeeds: {global: false}\n"));
        assert_eq!(all.len(), 2);
        assert_eq!(all[1].entries, [0, 1, 2]);
    }
}
