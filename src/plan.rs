//! Plan: orders entries and decides which feeds exist and which entries each one carries.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::config::SiteConfig;
use crate::entry::{EntryMeta, Term};
use crate::slug::term_key;

/// What a feed collects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FeedKind {
    Global,
    Category,
    Tag,
    /// One of jekyll-feed's feeds (Atom, at jekyll-feed's path, with its entry ids).
    Jekyll,
}

/// One feed to write (in both formats).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedPlan {
    pub kind: FeedKind,
    /// The category or tag, for per-term feeds.
    pub term: Option<Term>,
    /// Indices into the sorted entries, newest first, cut to the configured limit.
    pub entries: Vec<usize>,
    /// A jekyll-feed feed's file, relative to the output folder.
    pub jekyll_path: Option<String>,
}

impl FeedKind {
    /// The output folder that holds feeds of this kind.
    pub fn folder(self) -> &'static str {
        match self {
            FeedKind::Global => "",
            FeedKind::Category => "category",
            FeedKind::Tag => "tag",
            FeedKind::Jekyll => "",
        }
    }
}

impl FeedPlan {
    /// The files this feed is written to, relative to the output folder, each with the index
    /// of its format in [`crate::writers::FORMATS`].
    pub fn outputs(&self) -> Vec<(usize, std::path::PathBuf)> {
        match &self.jekyll_path {
            Some(path) => vec![(crate::writers::JEKYLL_FORMAT, path.into())],
            None => crate::writers::FORMATS[..crate::writers::JEKYLL_FORMAT]
                .iter()
                .enumerate()
                .map(|(n, f)| (n, std::path::Path::new(&self.dir()).join(f.file_name)))
                .collect(),
        }
    }

    /// The folder inside the output folder (`""`, `category/<slug>`, `tag/<slug>`). Slugs hold
    /// only letters, digits and `-`, so this never leaves the output folder.
    pub fn dir(&self) -> String {
        match &self.term {
            Some(t) => format!("{}/{}", self.kind.folder(), t.slug),
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

    /// The feed's title: the site's, plus the category or tag (jekyll-feed's `Site | Name`
    /// for its feeds).
    pub fn title(&self, site: &SiteConfig) -> String {
        match (&self.term, self.kind) {
            (Some(t), FeedKind::Jekyll) => {
                format!("{} | {}", site.title, crate::text::capitalize(&t.name))
            }
            (Some(t), _) => format!("{} - {}", site.title, t.name),
            (None, _) => site.title.clone(),
        }
    }
}

/// jekyll-feed's feeds: the global one, one per configured category, and per tag when on.
fn jekyll_plans(entries: &[Arc<EntryMeta>], site: &SiteConfig) -> Vec<FeedPlan> {
    let Some(feed) = &site.jekyll_feed else {
        return Vec::new();
    };
    let limit = |list: Vec<usize>| -> Vec<usize> {
        match feed.posts_limit {
            0 => list,
            n => list.into_iter().take(n).collect(),
        }
    };
    let term = |name: &str| Term {
        name: name.to_string(),
        slug: String::new(),
    };
    let mut plans = vec![FeedPlan {
        kind: FeedKind::Jekyll,
        term: None,
        entries: limit((0..entries.len()).collect()),
        jekyll_path: Some(feed.path.clone()),
    }];
    for category in &feed.categories {
        let list = (0..entries.len())
            .filter(|&i| entries[i].categories.iter().any(|c| &c.name == category))
            .collect();
        plans.push(FeedPlan {
            kind: FeedKind::Jekyll,
            term: Some(term(category)),
            entries: limit(list),
            jekyll_path: Some(format!("feed/{category}.xml")),
        });
    }
    if let Some((only, except)) = &feed.tags {
        let mut pool: Vec<String> = match only {
            Some(only) => only.clone(),
            None => {
                let mut all: Vec<String> = entries
                    .iter()
                    .flat_map(|e| e.tags.iter().map(|t| t.name.clone()))
                    .collect();
                all.sort();
                all.dedup();
                all
            }
        };
        pool.retain(|t| !except.contains(t));
        // jekyll-feed makes feeds only for tags of these characters.
        pool.retain(|t| t.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
        for tag in pool {
            let list = (0..entries.len())
                .filter(|&i| entries[i].tags.iter().any(|t| t.name == tag))
                .collect();
            plans.push(FeedPlan {
                kind: FeedKind::Jekyll,
                term: Some(term(&tag)),
                entries: limit(list),
                jekyll_path: Some(format!("{}{tag}.xml", feed.tags_path)),
            });
        }
    }
    plans
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
pub fn sort_entries(entries: &mut [Arc<EntryMeta>]) {
    entries.sort_by(|a, b| {
        b.published
            .cmp(&a.published)
            .then_with(|| a.link.cmp(&b.link))
            .then_with(|| a.id.cmp(&b.id))
            .then_with(|| a.source.cmp(&b.source))
    });
}

/// Two different names whose slugs are the same: the later one gets its own feed under a
/// longer slug.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlugClash {
    pub kind: FeedKind,
    /// The name that keeps the slug (its oldest entry is the oldest), and its slug.
    pub kept: (String, String),
    /// The name that moves, and the slug it gets.
    pub moved: (String, String),
}

/// One category or tag, gathered across entries.
struct TermGroup<'a> {
    /// The smallest spelling of the name (names that differ only in case are one).
    name: &'a str,
    slug: &'a str,
    /// Entries carrying it, newest first.
    entries: Vec<usize>,
}

/// Plans the global feed and one feed per category (and per tag when enabled). `entries` must
/// be sorted. Names that differ only in case (after Unicode NFC) share a feed; two different
/// names never do: when their slugs are the same, the name whose oldest entry is the oldest
/// keeps the slug and the other gets the slug plus a stable suffix derived from its name, so a
/// new category never moves an existing feed. Each such case is returned to be reported.
pub fn plan_feeds(
    entries: &[Arc<EntryMeta>],
    site: &SiteConfig,
) -> (Vec<FeedPlan>, Vec<SlugClash>) {
    let limit = |mut list: Vec<usize>| {
        if site.limit > 0 {
            list.truncate(site.limit);
        }
        list
    };
    let mut plans = Vec::new();
    let mut clashes = Vec::new();
    if site.feeds.global {
        plans.push(FeedPlan {
            kind: FeedKind::Global,
            term: None,
            entries: limit((0..entries.len()).collect()),
            jekyll_path: None,
        });
    }
    for (kind, terms_of) in enabled_term_kinds(site) {
        // Groups by the key of each name (names that differ only in case are one group), the
        // key worked out once per distinct spelling rather than once per entry.
        let mut groups: Vec<TermGroup<'_>> = Vec::new();
        let mut by_key: BTreeMap<String, usize> = BTreeMap::new();
        let mut by_spelling: std::collections::HashMap<&str, usize, crate::hashed::NameHasher> =
            std::collections::HashMap::default();
        for (index, entry) in entries.iter().enumerate() {
            for term in terms_of(entry) {
                let slot = match by_spelling.get(term.name.as_str()) {
                    Some(&slot) => slot,
                    None => {
                        let slot = *by_key.entry(term_key(&term.name)).or_insert_with(|| {
                            groups.push(TermGroup {
                                name: &term.name,
                                slug: &term.slug,
                                entries: Vec::new(),
                            });
                            groups.len() - 1
                        });
                        by_spelling.insert(&term.name, slot);
                        slot
                    }
                };
                let group = &mut groups[slot];
                if term.name.as_str() < group.name {
                    group.name = &term.name;
                }
                if group.entries.last() != Some(&index) {
                    group.entries.push(index);
                }
            }
        }
        let mut by_slug: BTreeMap<&str, Vec<&TermGroup<'_>>> = BTreeMap::new();
        for &slot in by_key.values() {
            let group = &groups[slot];
            by_slug.entry(group.slug).or_default().push(group);
        }
        let mut kind_plans = Vec::new();
        for (slug, mut groups) in by_slug {
            // The oldest entry is the last one (entries are newest first); ties keep name order.
            groups.sort_by_key(|g| std::cmp::Reverse(g.entries.last().copied()));
            for (i, group) in groups.iter().enumerate() {
                let slug = if i == 0 {
                    slug.to_string()
                } else {
                    let moved = format!("{slug}-{}", name_hash(group.name));
                    clashes.push(SlugClash {
                        kind,
                        kept: (groups[0].name.to_string(), slug.to_string()),
                        moved: (group.name.to_string(), moved.clone()),
                    });
                    moved
                };
                kind_plans.push(FeedPlan {
                    kind,
                    term: Some(Term {
                        name: group.name.to_string(),
                        slug,
                    }),
                    entries: limit(group.entries.clone()),
                    jekyll_path: None,
                });
            }
        }
        kind_plans.sort_by(|a, b| {
            a.term
                .as_ref()
                .map(|t| &t.slug)
                .cmp(&b.term.as_ref().map(|t| &t.slug))
        });
        plans.extend(kind_plans);
    }
    plans.extend(jekyll_plans(entries, site));
    (plans, clashes)
}

/// Eight hex digits that stand for a name, the same in every build.
fn name_hash(name: &str) -> String {
    let id = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, term_key(name).as_bytes());
    id.simple().to_string()[..8].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, Overrides};
    use chrono::DateTime;

    fn entry(source: &str, date: &str, categories: &[&str]) -> Arc<EntryMeta> {
        let date = DateTime::parse_from_rfc3339(date).unwrap();
        Arc::new(EntryMeta {
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
            body_format: crate::entry::BodyFormat::Markdown,
            source_hash: 0,
            source_is_xml_safe: false,
            date_line: None,
            jekyll_date: date,
            uses_liquid: false,
            jekyll_id: String::new(),
        })
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
    fn plans_group_by_name_and_respect_the_limit() {
        let mut entries = vec![
            entry("1", "2022-01-03T00:00:00Z", &["Tech", "C++"]),
            entry("2", "2022-01-02T00:00:00Z", &["tech", "C#"]),
            entry("3", "2022-01-01T00:00:00Z", &["Tech"]),
        ];
        sort_entries(&mut entries);
        let (plans, clashes) = plan_feeds(&entries, &site("limit: 2\n"));
        let summary: Vec<(String, Vec<usize>)> =
            plans.iter().map(|p| (p.dir(), p.entries.clone())).collect();
        assert_eq!(
            summary,
            [
                (String::new(), vec![0, 1]),
                ("category/c-plus-plus".to_string(), vec![0]),
                ("category/c-sharp".to_string(), vec![1]),
                ("category/tech".to_string(), vec![0, 1]),
            ]
        );
        assert!(clashes.is_empty());
        assert_eq!(plans[3].term.as_ref().unwrap().name, "Tech");
        let (all, _) = plan_feeds(&entries, &site("limit: 0\nfeeds: {global: false}\n"));
        assert_eq!(all.len(), 3);
        assert_eq!(all[2].entries, [0, 1, 2]);
    }

    #[test]
    fn different_names_never_share_a_feed() {
        let mut entries = vec![
            entry("new", "2022-01-03T00:00:00Z", &["Rust Lang"]),
            entry("old", "2021-01-01T00:00:00Z", &["rust-lang"]),
            entry("nfc", "2022-01-02T00:00:00Z", &["Cafe\u{301}", "Café"]),
        ];
        sort_entries(&mut entries);
        let (plans, clashes) = plan_feeds(&entries, &site("feeds: {global: false}\n"));
        let dirs: Vec<String> = plans.iter().map(FeedPlan::dir).collect();
        // The older name keeps the slug; the newer one moves, by a suffix of its own.
        let moved = format!("category/rust-lang-{}", name_hash("Rust Lang"));
        assert_eq!(
            dirs,
            ["category/café", "category/rust-lang", moved.as_str()]
        );
        assert_eq!(clashes.len(), 1);
        assert_eq!(clashes[0].kept.0, "rust-lang");
        assert_eq!(clashes[0].moved.0, "Rust Lang");
        // Adding a newer clashing name later does not move the older feeds.
        entries.push(entry("newest", "2023-01-01T00:00:00Z", &["RUST_LANG"]));
        sort_entries(&mut entries);
        let (plans, _) = plan_feeds(&entries, &site("feeds: {global: false}\n"));
        let dirs: Vec<String> = plans.iter().map(FeedPlan::dir).collect();
        assert!(dirs.contains(&"category/rust-lang".to_string()));
        assert!(dirs.contains(&moved));
    }
}
