//! What Liquid reads: `site.*` (the configuration, the posts, `_data/`) and `page.*`.

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use liquid_core::model::{KString, Value};

use super::ordered::{Ordered, OrderedList, OrderedMap};

use super::tags::PostIndex;
use super::Page;
use crate::config::SiteConfig;
use crate::entry::EntryMeta;

/// Data files larger than this are not read.
const MAX_DATA_BYTES: u64 = 8 * 1024 * 1024;

/// Jekyll's `site.url`: the base URL's origin, without a trailing `/`.
pub fn site_url(site: &SiteConfig) -> String {
    site.base_url.origin().ascii_serialization()
}

/// Jekyll's `site.baseurl`: the base URL's path without a trailing `/` (empty at the root).
pub fn site_baseurl(site: &SiteConfig) -> String {
    site.base_url.path().trim_end_matches('/').to_string()
}

/// The links of every post, by the names `post_url` and `link` take.
pub fn post_index(
    site: &SiteConfig,
    site_dir: Option<&Path>,
    posts_dir: &Path,
    entries: &[Arc<EntryMeta>],
) -> PostIndex {
    // `link` paths are relative to the site's folder; the posts folder may be inside it.
    let canonical = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    let posts_dir = canonical(posts_dir);
    let prefix = site_dir
        .map(canonical)
        .and_then(|s| posts_dir.strip_prefix(s).ok().map(Path::to_path_buf))
        .map(|p| {
            p.components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/")
        })
        .filter(|p| !p.is_empty());
    let mut index = PostIndex {
        site_dir: site_dir.map(Path::to_path_buf),
        pretty_pages: site.permalink.ends_with('/'),
        ..PostIndex::default()
    };
    for entry in entries {
        let site_path = match &prefix {
            Some(prefix) => format!("{prefix}/{}", entry.source),
            None => entry.source.clone(),
        };
        index.add(&entry.source, &site_path, &entry.link);
    }
    index
}

/// One post as `site.posts` lists it.
#[derive(Debug, Clone, Hash)]
struct PostSummary {
    title: String,
    url: String,
    link: String,
    id: String,
    date: String,
    categories: Vec<String>,
    tags: Vec<String>,
    path: String,
}

/// Everything `site.*` is made of, gathered once per build.
#[derive(Debug)]
pub struct SiteInput {
    /// `site.*` scalars and the configuration's own `site:` values.
    config: BTreeMap<String, serde_yaml::Value>,
    posts: Vec<PostSummary>,
    data_dir: Option<PathBuf>,
    base: String,
    timezone: chrono_tz::Tz,
}

/// A date as Jekyll prints a Time (`2022-02-10 17:07:04 +0800`), in the site's timezone.
pub fn jekyll_time(date: &chrono::DateTime<chrono::FixedOffset>, tz: chrono_tz::Tz) -> String {
    date.with_timezone(&tz)
        .format("%Y-%m-%d %H:%M:%S %z")
        .to_string()
}

impl SiteInput {
    pub fn new(
        site: &SiteConfig,
        site_dir: Option<&Path>,
        entries: &[Arc<EntryMeta>],
        _index: &PostIndex,
    ) -> Self {
        let base = site.base_url.as_str().to_string();
        let mut config: BTreeMap<String, serde_yaml::Value> = BTreeMap::new();
        let text = |s: &str| serde_yaml::Value::String(s.to_string());
        config.insert("title".into(), text(&site.title));
        config.insert("name".into(), text(&site.title));
        config.insert("description".into(), text(&site.description));
        // A Jekyll site's own configuration: every key is `site.<key>` (its `title`,
        // `description` and `author` too); the base URL stays frontfeed's.
        if let Some(jekyll) = site_dir.and_then(read_jekyll_config) {
            config.extend(jekyll);
        }
        config.insert("url".into(), text(&site_url(site)));
        config.insert("baseurl".into(), text(&site_baseurl(site)));
        config.insert("lang".into(), text(&site.language));
        config.insert("timezone".into(), text(&site.timezone.to_string()));
        config.insert("permalink".into(), text(&site.permalink));
        if !config.contains_key("author") {
            let mut author = serde_yaml::Mapping::new();
            author.insert(text("name"), text(&site.author.name));
            if let Some(email) = &site.author.email {
                author.insert(text("email"), text(email));
            }
            if let Some(uri) = &site.author.uri {
                author.insert(text("uri"), text(uri));
            }
            config.insert("author".into(), serde_yaml::Value::Mapping(author));
        }
        for (key, value) in &site.liquid_site {
            config.insert(key.clone(), value.clone());
        }
        let posts = entries
            .iter()
            .map(|e| PostSummary {
                title: e.title.clone(),
                url: relative_url(&e.link, &base),
                link: e.link.clone(),
                id: e.id.clone(),
                date: jekyll_time(&e.published, site.timezone),
                categories: e.categories.iter().map(|c| c.name.clone()).collect(),
                tags: e.tags.iter().map(|t| t.name.clone()).collect(),
                path: e.source.clone(),
            })
            .collect();
        SiteInput {
            config,
            posts,
            data_dir: site_dir.map(|d| d.join("_data")).filter(|d| d.is_dir()),
            base,
            timezone: site.timezone,
        }
    }

    /// `{"site": {…}}`.
    pub fn globals(&self) -> OrderedMap {
        let mut site = OrderedMap::new();
        for (key, value) in &self.config {
            site.insert(key.clone(), yaml_value(value));
        }
        let posts: Vec<Ordered> = self.posts.iter().map(post_value).collect();
        let mut categories: BTreeMap<String, Vec<Ordered>> = BTreeMap::new();
        let mut tags: BTreeMap<String, Vec<Ordered>> = BTreeMap::new();
        for (post, value) in self.posts.iter().zip(&posts) {
            for c in &post.categories {
                categories.entry(c.clone()).or_default().push(value.clone());
            }
            for t in &post.tags {
                tags.entry(t.clone()).or_default().push(value.clone());
            }
        }
        let group = |map: BTreeMap<String, Vec<Ordered>>| {
            let mut out = OrderedMap::new();
            for (k, v) in map {
                out.insert(k, Ordered::List(OrderedList(v)));
            }
            Ordered::Map(out)
        };
        site.insert("categories", group(categories));
        site.insert("tags", group(tags));
        site.insert("posts", Ordered::List(OrderedList(posts)));
        let data = self
            .data_dir
            .as_deref()
            .map(read_data_dir)
            .unwrap_or_default();
        site.insert("data", Ordered::Map(data));
        let mut globals = OrderedMap::new();
        globals.insert("site", Ordered::Map(site));
        globals
    }
}

/// The keys of a Jekyll site's `_config.yml` (`None` without one, or when it cannot be read).
fn read_jekyll_config(site_dir: &Path) -> Option<BTreeMap<String, serde_yaml::Value>> {
    let text = std::fs::read_to_string(site_dir.join("_config.yml")).ok()?;
    match serde_yaml::from_str::<serde_yaml::Value>(&text).ok()? {
        serde_yaml::Value::Mapping(map) => Some(
            map.into_iter()
                .filter_map(|(k, v)| Some((crate::front_matter::scalar_text(&k)?, v)))
                .collect(),
        ),
        _ => None,
    }
}

/// Jekyll's `url` of a page: its path from the site's base (`/2020/01/01/a.html`).
fn relative_url(link: &str, base: &str) -> String {
    match link.strip_prefix(base) {
        Some(rest) => format!("/{rest}"),
        None => link.to_string(),
    }
}

/// Fields every Jekyll post has; empty here when frontfeed does not know them, so that a loop
/// reading `post.excerpt` renders empty instead of failing.
const POST_FIELDS: &[&str] = &[
    "excerpt",
    "content",
    "author",
    "description",
    "image",
    "layout",
    "slug",
    "draft",
    "next",
    "previous",
    "output",
    "relative_path",
    "ext",
    "last_modified_at",
];

fn post_value(post: &PostSummary) -> Ordered {
    let mut o = OrderedMap::new();
    for field in POST_FIELDS {
        o.insert(KString::from_static(field), Ordered::nil());
    }
    o.insert("collection", Ordered::text("posts"));
    o.insert("title", Ordered::text(&post.title));
    o.insert("url", Ordered::text(&post.url));
    o.insert("link", Ordered::text(&post.link));
    o.insert("id", Ordered::text(&post.id));
    o.insert("date", Ordered::text(&post.date));
    o.insert("path", Ordered::text(&post.path));
    let list =
        |items: &[String]| Ordered::List(OrderedList(items.iter().map(Ordered::text).collect()));
    o.insert("categories", list(&post.categories));
    o.insert("tags", list(&post.tags));
    Ordered::Map(o)
}

fn number(i: Option<i64>, f: Option<f64>, text: String) -> Ordered {
    Ordered::Scalar(match (i, f) {
        (Some(i), _) => Value::scalar(i),
        (None, Some(f)) => Value::scalar(f),
        _ => Value::scalar(text),
    })
}

/// A YAML value as a Liquid value, its maps in written order.
pub fn yaml_value(value: &serde_yaml::Value) -> Ordered {
    use serde_yaml::Value as Y;
    match value {
        Y::Null => Ordered::nil(),
        Y::Bool(b) => Ordered::Scalar(Value::scalar(*b)),
        Y::Number(n) => number(n.as_i64(), n.as_f64(), n.to_string()),
        Y::String(s) => Ordered::text(s.clone()),
        Y::Sequence(items) => Ordered::List(OrderedList(items.iter().map(yaml_value).collect())),
        Y::Mapping(map) => {
            let mut out = OrderedMap::new();
            for (k, v) in map {
                if let Some(key) = crate::front_matter::scalar_text(k) {
                    out.insert(key, yaml_value(v));
                }
            }
            Ordered::Map(out)
        }
        Y::Tagged(t) => yaml_value(&t.value),
    }
}

fn json_value(value: &serde_json::Value) -> Ordered {
    use serde_json::Value as J;
    match value {
        J::Null => Ordered::nil(),
        J::Bool(b) => Ordered::Scalar(Value::scalar(*b)),
        J::Number(n) => number(n.as_i64(), n.as_f64(), n.to_string()),
        J::String(s) => Ordered::text(s.clone()),
        J::Array(items) => Ordered::List(OrderedList(items.iter().map(json_value).collect())),
        J::Object(map) => {
            let mut out = OrderedMap::new();
            for (k, v) in map {
                out.insert(k.clone(), json_value(v));
            }
            Ordered::Map(out)
        }
    }
}

/// `_data/`: `x.yml`/`x.yaml`/`x.json`/`x.csv`/`x.tsv` become `site.data.x`, folders nest.
/// A file that cannot be read is left out (the variable then renders empty, with a warning).
fn read_data_dir(dir: &Path) -> OrderedMap {
    let mut out = OrderedMap::new();
    let Ok(read) = std::fs::read_dir(dir) else {
        return out;
    };
    let mut items: Vec<PathBuf> = read.flatten().map(|e| e.path()).collect();
    items.sort();
    for path in items {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name.starts_with(['.', '_']) {
            continue;
        }
        // Symlinks are not followed: `_data/` must not read outside the site.
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            out.insert(name, Ordered::Map(read_data_dir(&path)));
            continue;
        }
        if !meta.is_file() || meta.len() > MAX_DATA_BYTES {
            continue;
        }
        let (stem, ext) = match name.rsplit_once('.') {
            Some((s, e)) => (s.to_string(), e.to_ascii_lowercase()),
            None => continue,
        };
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let value = match ext.as_str() {
            "yml" | "yaml" => serde_yaml::from_str::<serde_yaml::Value>(&text)
                .ok()
                .map(|v| yaml_value(&v)),
            "json" => serde_json::from_str::<serde_json::Value>(&text)
                .ok()
                .map(|v| json_value(&v)),
            "csv" => Some(table(&text, ',')),
            "tsv" => Some(table(&text, '\t')),
            _ => None,
        };
        if let Some(value) = value {
            out.insert(stem, value);
        }
    }
    out
}

/// A CSV/TSV file with a header row, as Jekyll reads it: an array of objects.
fn table(text: &str, separator: char) -> Ordered {
    let rows = parse_rows(text, separator);
    let mut rows = rows.into_iter();
    let Some(header) = rows.next() else {
        return Ordered::List(OrderedList::default());
    };
    Ordered::List(OrderedList(
        rows.filter(|r| !(r.len() == 1 && r[0].is_empty()))
            .map(|row| {
                let mut map = OrderedMap::new();
                for (i, key) in header.iter().enumerate() {
                    let cell = row.get(i).cloned().map_or_else(Ordered::nil, Ordered::text);
                    map.insert(key.clone(), cell);
                }
                Ordered::Map(map)
            })
            .collect(),
    ))
}

/// RFC 4180 rows: quoted cells may hold separators, newlines and `""`.
fn parse_rows(text: &str, separator: char) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut in_quotes = false;
    let mut chars = text.trim_start_matches('\u{feff}').chars().peekable();
    while let Some(c) = chars.next() {
        match (in_quotes, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => in_quotes = false,
            (true, c) => cell.push(c),
            (false, '"') if cell.is_empty() => in_quotes = true,
            (false, c) if c == separator => row.push(std::mem::take(&mut cell)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => cell.push(c),
        }
    }
    if !cell.is_empty() || !row.is_empty() {
        row.push(cell);
        rows.push(row);
    }
    rows
}

/// `{"page": {…}}`: the front matter, and what Jekyll adds to it.
pub fn page_object(page: &Page<'_>, site: &SiteInput) -> OrderedMap {
    let meta = page.meta;
    let mut o = match serde_yaml::from_str::<serde_yaml::Value>(page.front_matter) {
        Ok(value @ serde_yaml::Value::Mapping(_)) => match yaml_value(&value) {
            Ordered::Map(o) => o,
            _ => OrderedMap::new(),
        },
        _ => OrderedMap::new(),
    };
    o.insert("title", Ordered::text(&meta.title));
    o.insert("url", Ordered::text(relative_url(&meta.link, &site.base)));
    o.insert("id", Ordered::text(&meta.id));
    o.insert(
        "date",
        Ordered::text(jekyll_time(&meta.published, site.timezone)),
    );
    o.insert("path", Ordered::text(&meta.source));
    let list = |items: Vec<String>| {
        Ordered::List(OrderedList(items.into_iter().map(Ordered::text).collect()))
    };
    o.insert(
        "categories",
        list(meta.categories.iter().map(|c| c.name.clone()).collect()),
    );
    o.insert(
        "tags",
        list(meta.tags.iter().map(|t| t.name.clone()).collect()),
    );
    let mut globals = OrderedMap::new();
    globals.insert("page", Ordered::Map(o));
    globals
}

/// A hash of everything Liquid reads besides the post itself: the configuration, the posts'
/// links and titles, and the files of `_includes/` and `_data/` (names, sizes, times).
pub fn fingerprint(site: &SiteInput, site_dir: Option<&Path>, index: &PostIndex) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    format!("{:?}", site.config).hash(&mut hasher);
    site.posts.hash(&mut hasher);
    let mut names: Vec<(&String, &String)> = index.by_path.iter().collect();
    names.sort();
    names.hash(&mut hasher);
    for sub in ["_includes", "_data"] {
        if let Some(dir) = site_dir.map(|d| d.join(sub)) {
            for entry in walkdir::WalkDir::new(dir)
                .sort_by_file_name()
                .into_iter()
                .flatten()
            {
                if let Ok(meta) = entry.metadata() {
                    entry.path().hash(&mut hasher);
                    meta.len().hash(&mut hasher);
                    meta.modified().ok().hash(&mut hasher);
                }
            }
        }
    }
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_with_quotes() {
        let rows = parse_rows(
            "name,note\n\"Li, Wei\",\"said \"\"hi\"\"\nthen\"\nAn,x\n",
            ',',
        );
        assert_eq!(
            rows,
            [
                vec!["name", "note"],
                vec!["Li, Wei", "said \"hi\"\nthen"],
                vec!["An", "x"]
            ]
        );
    }
}
