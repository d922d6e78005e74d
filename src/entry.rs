//! Entry: normalizes one post file into the model every feed is written from.

use std::borrow::Cow;
use std::path::Path;

use chrono::{DateTime, FixedOffset, Timelike};
use serde_yaml::Value;
use url::Url;

use crate::config::{looks_like_email, Person, SiteConfig};
use crate::dates::{self, PostDate};
use crate::diagnostics::FileDiagnostics;
use crate::front_matter::{self, name_list, scalar_text, FrontMatter};
use crate::html::html_to_text;
use crate::permalink::{self, UrlInputs};
use crate::slug::term_key;
use crate::source::SourcePath;
use crate::text::{
    count_unwanted_chars, has_liquid_markup, into_nfc, into_nfkc, normalize_whitespace, xml_safe,
};
use crate::uri::{is_valid_feed_id, strict_uri};

/// A category or tag: its display name and its slug.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Term {
    pub name: String,
    pub slug: String,
}

/// How a post's body is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum BodyFormat {
    /// Markdown with raw HTML passed through (`.md`, `.markdown`, `.txt` and anything else).
    Markdown,
    /// HTML as is (`.html`, `.htm`): Markdown would turn indented HTML into code blocks.
    Html,
}

/// An instant and its offset as numbers: seconds, nanoseconds, offset seconds. chrono's own
/// `Hash` leaves the offset out, which the feeds show.
pub fn instant_parts(t: &DateTime<FixedOffset>) -> (i64, u32, i32) {
    (
        t.timestamp(),
        t.timestamp_subsec_nanos(),
        t.offset().local_minus_utc(),
    )
}

/// An instant with its offset as three numbers in the cache's records, instead of RFC 3339
/// text: formatting and parsing three dates per post was most of what writing and reading
/// a record cost.
mod compact_instant {
    use chrono::{DateTime, FixedOffset};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(t: &DateTime<FixedOffset>, s: S) -> Result<S::Ok, S::Error> {
        super::instant_parts(t).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<FixedOffset>, D::Error> {
        let (secs, nanos, offset) = <(i64, u32, i32)>::deserialize(d)?;
        let offset = FixedOffset::east_opt(offset)
            .ok_or_else(|| serde::de::Error::custom("offset out of range"))?;
        DateTime::from_timestamp(secs, nanos)
            .map(|t| t.with_timezone(&offset))
            .ok_or_else(|| serde::de::Error::custom("instant out of range"))
    }
}

/// One post, normalized: everything a feed needs except the rendered body, which is made
/// later and only for the entries some feed selects.
#[derive(Debug, Clone, Hash, serde::Serialize, serde::Deserialize)]
pub struct EntryMeta {
    /// The path inside the posts folder (`/` separators), the last tie-breaker for order.
    pub source: String,
    pub title: String,
    /// The absolute permalink.
    pub link: String,
    /// The Atom entry id, an absolute IRI.
    pub id: String,
    /// The RSS guid; `guid_is_permalink` says whether it is the link.
    pub guid: String,
    pub guid_is_permalink: bool,
    #[serde(with = "compact_instant")]
    pub published: DateTime<FixedOffset>,
    #[serde(with = "compact_instant")]
    pub updated: DateTime<FixedOffset>,
    pub categories: Vec<Term>,
    pub tags: Vec<Term>,
    pub author: Option<Person>,
    /// Plain-text summary from front matter (`excerpt`, `description`, `summary`).
    pub excerpt: Option<String>,
    /// Marks the end of the summary in the body (`excerpt_separator`, e.g. `<!--more-->`).
    pub excerpt_separator: Option<String>,
    pub body_format: BodyFormat,
    /// Hash of the file's bytes: the file is read again to render it, and must not have
    /// changed in between.
    pub source_hash: u64,
    /// The file has no character XML forbids: the same bytes (the same `source_hash`), read
    /// again to render them, need no second scan for one.
    pub source_is_xml_safe: bool,
    /// The line of the `date` key, for messages about the date.
    pub date_line: Option<usize>,
    /// The instant Jekyll reads from the date, which decides whether the post is in the
    /// future. It differs from `published` only for a YAML timestamp without an offset
    /// (`date: 2016-08-25 09:50:00`), which Ruby's YAML reads as UTC.
    #[serde(with = "compact_instant")]
    pub jekyll_date: DateTime<FixedOffset>,
    /// The body has Liquid markup: its rendering depends on more than the post.
    pub uses_liquid: bool,
    /// The entry id jekyll-feed gives this post (`post.id | absolute_url`), for the feeds that
    /// replace jekyll-feed's without a reader seeing the entries as new.
    pub jekyll_id: String,
}

/// The hash [`EntryMeta::source_hash`] holds.
pub fn hash_source(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

/// A post file's text, cut as [`normalize`] cuts it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PostText {
    /// The front matter's YAML (empty for a Jekyll post without front matter).
    pub front_matter: String,
    pub body: String,
    /// The line of the file on which the body starts.
    pub body_line: usize,
}

/// A post's front matter and body from its file's bytes, cleaned as [`normalize`] cleans them;
/// `None` when the bytes are no longer a post.
/// `known_xml_safe` says the bytes are those of an entry whose `source_is_xml_safe` is true.
pub fn post_text(bytes: &[u8], known_xml_safe: bool) -> Option<PostText> {
    let text = crate::text::utf8(bytes).ok()?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text = if known_xml_safe {
        Cow::Borrowed(text)
    } else {
        xml_safe(text)
    };
    match front_matter::split(&text).ok()? {
        Some(split) => {
            let body_start = text.len() - split.body.len();
            Some(PostText {
                front_matter: split.yaml.to_string(),
                body: split.body.to_string(),
                body_line: 1 + text[..body_start].matches('\n').count(),
            })
        }
        // A dated file in `_posts` is a post without front matter (see `normalize`).
        None => Some(PostText {
            front_matter: String::new(),
            body: text.into_owned(),
            body_line: 1,
        }),
    }
}

/// What became of one file.
#[derive(Debug)]
pub enum PostOutcome {
    Entry(Box<EntryMeta>),
    /// Not a post, or a post left out on purpose (`published: false`).
    Skipped,
    /// Left out because of an error (reported in the diagnostics).
    Failed,
}

/// Proof that a problem which leaves a post out was already reported in the post's
/// diagnostics (with its line): the caller only has to give up on the post.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reported;

/// Normalizes one file's bytes into an entry, reporting into `diag`. `hash` is the bytes'
/// [`hash_source`] (the caller has it already: the cache is looked up by it).
pub fn normalize(
    source: &SourcePath,
    bytes: &[u8],
    hash: u64,
    site: &SiteConfig,
    diag: &mut FileDiagnostics,
) -> PostOutcome {
    match normalize_inner(source, bytes, hash, site, diag) {
        Ok(Some(entry)) => PostOutcome::Entry(Box::new(entry)),
        Ok(None) => PostOutcome::Skipped,
        Err(Reported) => PostOutcome::Failed,
    }
}

fn normalize_inner(
    source: &SourcePath,
    bytes: &[u8],
    hash: u64,
    site: &SiteConfig,
    diag: &mut FileDiagnostics,
) -> Result<Option<EntryMeta>, Reported> {
    let place = JekyllPlace::of(&source.relative);
    if place.in_posts_folder && place.file_name.is_none() {
        if front_matter::starts_with_fence(bytes) {
            diag.warn(
                None,
                "in a `_posts` folder, but Jekyll only publishes files named \
                 YYYY-MM-DD-title.ext there; left out",
            );
        }
        return Ok(None);
    }
    let has_front_matter = front_matter::starts_with_fence(bytes);
    if bytes.starts_with(b"+++") && !place.in_posts_folder {
        diag.warn(
            None,
            "TOML front matter (`+++`) is not read; use YAML (`---`); skipped",
        );
        return Ok(None);
    }
    if !has_front_matter && !place.in_posts_folder {
        diag.note(None, "no front matter (`---` on the first line); skipped");
        return Ok(None);
    }
    let text = match crate::text::utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let line = 1 + bytes[..e.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            diag.error(
                Some(line),
                format!(
                    "not valid UTF-8 (byte {}); save the file as UTF-8 (from GBK: `iconv -f GBK -t UTF-8`)",
                    e.valid_up_to()
                ),
            );
            return Err(Reported);
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let cleaned;
    let unwanted = count_unwanted_chars(text);
    let text = match unwanted {
        0 => text,
        n => {
            diag.warn(
                None,
                format!("removed {n} control character(s) that XML 1.0 forbids"),
            );
            cleaned = xml_safe(text).into_owned();
            &cleaned
        }
    };

    let split = match front_matter::split(text) {
        Ok(Some(split)) => split,
        // Jekyll publishes a dated file in `_posts` without front matter as it is.
        Ok(None) if place.in_posts_folder => front_matter::Split {
            yaml: "",
            yaml_first_line: 1,
            body: text,
        },
        Ok(None) => {
            diag.note(None, "no front matter; skipped");
            return Ok(None);
        }
        Err(e) => {
            diag.error(e.line(), e.to_string());
            return Err(Reported);
        }
    };
    let fm = FrontMatter::parse(&split).map_err(|e| {
        diag.error(e.line(), e.to_string());
        Reported
    })?;
    for (key, line) in fm.duplicate_keys() {
        diag.warn(
            *line,
            format!("`{key}` is written twice; using the last value, as Jekyll does"),
        );
    }

    if !is_published(&fm) {
        diag.note(
            fm.line_of("published"),
            "not published (`published: false`); left out",
        );
        return Ok(None);
    }
    if is_true(fm.get("draft")) && !site.show_drafts {
        // Jekyll builds the page, but jekyll-feed leaves `draft: true` out of the feed
        // unless drafts are shown.
        diag.note(
            fm.line_of("draft"),
            "`draft: true`: left out of the feeds, as jekyll-feed does",
        );
        return Ok(None);
    }

    let name = place
        .file_name
        .clone()
        .unwrap_or_else(|| JekyllFileName::dateless(&source.relative));
    let slug_text = fm.get_text("slug").unwrap_or_else(|| name.slug.clone());

    let draft_date = (place.is_draft && fm.get("date").is_none() && name.date.is_none())
        .then(|| draft_time(&source.path, site));
    let date = match draft_date {
        Some(date) => date,
        None => read_date(&fm, name.date.as_deref(), site, diag)?,
    };
    let jekyll_date = jekyll_instant(&fm, &date);

    let title = match fm.get_text("title").map(|t| html_to_text(&t)) {
        Some(t) if !t.is_empty() => t,
        _ => {
            let from_slug = title_from_slug(&name.slug);
            diag.warn(
                fm.line_of("title"),
                format!("no title; using {from_slug:?} from the file name"),
            );
            from_slug
        }
    };

    let url_categories = jekyll_categories(&place.folder_categories, &fm);
    let categories = read_terms(
        &fm,
        "category",
        "categories",
        &place.folder_categories,
        site,
        diag,
    );
    let tags = read_terms(&fm, "tag", "tags", &[], site, diag);
    let author = read_author(&fm, diag);
    let excerpt = fm
        .get_first(&["excerpt", "description", "summary"])
        .and_then(|(_, v)| scalar_text(v))
        .map(|t| html_to_text(&t))
        .filter(|t| !t.is_empty());

    let updated = read_updated(&fm, &date, site, diag);

    let url_time = jekyll_date.with_timezone(&site.timezone).naive_local();
    let inputs = UrlInputs {
        time: url_time,
        slug: &slug_text,
        basename: &name.basename,
        categories: &url_categories,
        output_ext: &name.output_ext(place.in_posts_folder),
        path: &name.path,
    };
    let (link, jekyll_url) = read_link(&fm, site, &inputs, diag)?;
    let jekyll_id = jekyll_feed_id(site, &jekyll_url, &slug_text);
    let (id, guid, guid_is_permalink) = read_id(&fm, &link, site, diag);

    let body_format = match Path::new(&source.relative)
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .as_deref()
    {
        Some("html" | "htm") => BodyFormat::Html,
        _ => BodyFormat::Markdown,
    };

    Ok(Some(EntryMeta {
        source: source.relative.clone(),
        title,
        link,
        id,
        guid,
        guid_is_permalink,
        published: date.instant,
        updated,
        categories,
        tags,
        author,
        excerpt,
        excerpt_separator: fm
            .get_text("excerpt_separator")
            .or_else(|| site.excerpt_separator.clone())
            .filter(|s| !s.is_empty()),
        body_format,
        source_hash: hash,
        source_is_xml_safe: unwanted == 0,
        date_line: fm.line_of("date"),
        jekyll_date,
        uses_liquid: has_liquid_markup(split.body),
        jekyll_id,
    }))
}

fn is_true(value: Option<&Value>) -> bool {
    match value {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => matches!(s.trim(), "true" | "yes" | "True" | "TRUE"),
        _ => false,
    }
}

fn read_date(
    fm: &FrontMatter,
    file_date: Option<&str>,
    site: &SiteConfig,
    diag: &mut FileDiagnostics,
) -> Result<PostDate, Reported> {
    let line = fm.line_of("date");
    let result = match (fm.get("date"), file_date) {
        (Some(value), _) => match scalar_text(value) {
            Some(text) => dates::parse_post_date(&text, site.timezone),
            None => {
                diag.error(
                    line,
                    "`date` must be text such as `2022-02-10 17:07:04 +0800`",
                );
                return Err(Reported);
            }
        },
        (None, Some(day)) => dates::parse_post_date(day, site.timezone)
            .map(|(date, note)| (date, note.map(|n| format!("file name: {n}")))),
        (None, None) => {
            diag.error(
                None,
                "no date: add `date:` to the front matter or name the file YYYY-MM-DD-slug",
            );
            return Err(Reported);
        }
    };
    match result {
        Ok((date, adjustment)) => {
            if let Some(note) = adjustment {
                diag.warn(line, note);
            }
            Ok(date)
        }
        Err(e) => {
            diag.error(line, e.to_string());
            Err(Reported)
        }
    }
}

/// A draft without a date is dated by its file's modification time, as Jekyll does (the
/// build's "now" when the file has none).
fn draft_time(path: &Path, site: &SiteConfig) -> PostDate {
    let modified = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .map_or_else(
            |_| chrono::Utc::now(),
            chrono::DateTime::<chrono::Utc>::from,
        );
    let instant = modified
        .with_timezone(&site.timezone)
        .fixed_offset()
        .with_nanosecond(0)
        .unwrap_or_else(|| modified.fixed_offset());
    PostDate {
        instant,
        written: instant.naive_local(),
        has_offset: true,
    }
}

/// The instant Jekyll reads from the date. Ruby's YAML reads a plain (unquoted) timestamp
/// with seconds and no offset, `2016-08-25 09:50:00`, as UTC; every other date without an
/// offset is read by `Time.parse` in the site's timezone, as frontfeed reads them all.
fn jekyll_instant(fm: &FrontMatter, date: &PostDate) -> DateTime<FixedOffset> {
    if date.has_offset {
        return date.instant;
    }
    let yaml_timestamp = fm.get("date").is_some()
        && fm.is_plain("date")
        && fm
            .get_text("date")
            .is_some_and(|text| dates::is_yaml_timestamp(&text));
    if yaml_timestamp {
        date.written.and_utc().fixed_offset()
    } else {
        date.instant
    }
}

/// Jekyll's publishing rule: `published` missing or true publishes; `false`, an empty value
/// (`nil`), and the plain YAML 1.1 words `no` and `off` do not.
fn is_published(fm: &FrontMatter) -> bool {
    if fm.is_null("published") {
        return false;
    }
    match fm.get("published") {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) if fm.is_plain("published") => {
            !matches!(s.to_ascii_lowercase().as_str(), "no" | "off" | "false")
        }
        _ => true,
    }
}

/// The time of the last change (`last_modified_at`, `updated`, `modified`); never before the
/// post's date. An unreadable value is a warning, not a lost post.
fn read_updated(
    fm: &FrontMatter,
    date: &PostDate,
    site: &SiteConfig,
    diag: &mut FileDiagnostics,
) -> DateTime<FixedOffset> {
    let Some((key, value)) = fm.get_first(&["last_modified_at", "updated", "modified"]) else {
        return date.instant;
    };
    let parsed = scalar_text(value)
        .ok_or_else(|| "not text".to_string())
        .and_then(|t| dates::parse_post_date(&t, site.timezone).map_err(|e| e.to_string()));
    match parsed {
        Ok((d, _)) if d.instant < date.instant => {
            diag.warn(
                fm.line_of(key),
                format!("`{key}` is before the post's date; using the date"),
            );
            date.instant
        }
        Ok((d, _)) => d.instant,
        Err(why) => {
            diag.warn(fm.line_of(key), format!("`{key}` ignored: {why}"));
            date.instant
        }
    }
}

/// The post's categories (or tags) for its feeds: the folders above `_posts` (categories
/// only), `category` (one name, whole) and `categories` (a list, or a string of names separated
/// by whitespace or commas), in Unicode NFC, de-duplicated ignoring case, at most
/// `max_terms_per_post` of them: every name makes a feed, so one hostile post must not be able
/// to make ten thousand.
fn read_terms(
    fm: &FrontMatter,
    singular: &str,
    plural: &str,
    folders: &[String],
    site: &SiteConfig,
    diag: &mut FileDiagnostics,
) -> Vec<Term> {
    let max = site.max_terms_per_post;
    // Jekyll's order: folders, the plural key, then the singular one.
    let mut names: Vec<String> = folders.to_vec();
    if let Some(v) = fm.get(plural) {
        names.extend(name_list(v));
    }
    if let Some(v) = fm.get(singular) {
        match v {
            Value::Sequence(_) => names.extend(name_list(v)),
            other => names.extend(scalar_text(other)),
        }
    }
    let empty = [singular, plural]
        .iter()
        .filter_map(|key| match fm.get(key) {
            Some(Value::Sequence(items)) => Some(
                items
                    .iter()
                    .filter(|item| {
                        scalar_text(item)
                            .is_some_and(|t| normalize_whitespace(&xml_safe(&t)).is_empty())
                    })
                    .count(),
            ),
            _ => None,
        })
        .sum::<usize>();
    if empty > 0 {
        diag.warn(
            fm.line_of(plural).or_else(|| fm.line_of(singular)),
            format!("{empty} empty {singular} name(s) ignored"),
        );
    }
    // Sized to the names: a pushed-to vector holds room for four terms, and every post keeps
    // two vectors of them (a quarter of a 100,000-post build's heap).
    let mut terms: Vec<Term> = Vec::with_capacity(names.len());
    let mut seen = std::collections::HashSet::new();
    for name in names {
        let TermParts { name, key, slug } = term_parts(&name);
        // `Tech` and `tech` are one category.
        if !name.is_empty() && seen.insert(key.clone()) {
            let slug = site.configured_slug(&key).unwrap_or(slug);
            terms.push(Term { name, slug });
        }
    }
    if terms.len() > max {
        let line = fm.line_of(plural).or_else(|| fm.line_of(singular));
        diag.warn(
            line,
            format!(
                "{} {plural}; only the first {max} are kept (max_terms_per_post)",
                terms.len()
            ),
        );
        terms.truncate(max);
        terms.shrink_to_fit();
    }
    terms
}

/// A category or tag name worked out from the name as written: the name feeds show, the key
/// that makes `Tech` and `tech` one (`term_key`), and its slug unless the config's `slugs`
/// name one (`slugify_nonempty`).
#[derive(Clone)]
struct TermParts {
    name: String,
    key: String,
    slug: String,
}

/// [`TermParts`] of `written`. A site has few names, each in many posts: each thread keeps
/// those it worked out (Unicode normalization and slugs were 2 % of a build's CPU), up to a
/// bound for sites with a tag per post.
fn term_parts(written: &str) -> TermParts {
    const MOST: usize = 4096;
    thread_local! {
        static KNOWN: std::cell::RefCell<std::collections::HashMap<String, TermParts>> =
            std::cell::RefCell::new(std::collections::HashMap::new());
    }
    KNOWN.with(|known| {
        let mut known = known.borrow_mut();
        if let Some(parts) = known.get(written) {
            return parts.clone();
        }
        let name = into_nfc(normalize_whitespace(&xml_safe(written)));
        let parts = TermParts {
            key: term_key(&name),
            slug: crate::slug::slugify_nonempty(&name),
            name,
        };
        if known.len() >= MOST {
            known.clear();
        }
        known.insert(written.to_string(), parts.clone());
        parts
    })
}

fn read_author(fm: &FrontMatter, diag: &mut FileDiagnostics) -> Option<Person> {
    let value = fm.get("author")?;
    let person = match value {
        Value::Mapping(map) => {
            let field = |k: &str| {
                map.get(k)
                    .and_then(scalar_text)
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
            };
            Person {
                name: field("name").unwrap_or_default(),
                email: field("email"),
                uri: field("uri").or_else(|| field("url")),
            }
        }
        other => Person::from_text(&scalar_text(other)?),
    };
    let mut person = Person {
        name: normalize_whitespace(&xml_safe(&person.name)),
        ..person
    };
    if person
        .email
        .as_deref()
        .is_some_and(|e| !looks_like_email(e))
    {
        diag.warn(
            fm.line_of("author"),
            "author email is not an address; ignored",
        );
        person.email = None;
    }
    if let Some(uri) = person.uri.take() {
        match Url::parse(&uri) {
            Ok(url) if matches!(url.scheme(), "http" | "https") => {
                person.uri = Some(strict_uri(url.as_str()));
            }
            _ => diag.warn(
                fm.line_of("author"),
                "author uri is not an absolute http(s) URL; ignored",
            ),
        }
    }
    if person.name.is_empty() {
        match person.email.clone() {
            Some(email) => person.name = email,
            None => return None,
        }
    }
    Some(person)
}

/// The categories Jekyll gives a post, in its order, for the `:categories` of its URL: the
/// folders above `_posts`, then `categories` (a list, or a string split on whitespace only),
/// then `category` (one name, or a list), each once (exact, case-sensitive comparison).
fn jekyll_categories(folders: &[String], fm: &FrontMatter) -> Vec<String> {
    fn flat(value: &Value, split_string: bool, out: &mut Vec<String>) {
        match value {
            Value::Sequence(items) => items.iter().for_each(|i| flat(i, false, out)),
            Value::String(s) if split_string => out.extend(s.split_whitespace().map(str::to_owned)),
            Value::Null => {}
            other => out.extend(scalar_text(other)),
        }
    }
    let mut names = folders.to_vec();
    if let Some(v) = fm.get("categories") {
        flat(v, true, &mut names);
    }
    if let Some(v) = fm.get("category") {
        flat(v, false, &mut names);
    }
    let mut unique: Vec<String> = Vec::with_capacity(names.len());
    for name in names {
        if !unique.contains(&name) {
            unique.push(name);
        }
    }
    unique
}

/// Where a post file sits in a Jekyll site.
#[derive(Debug, Clone, Default)]
struct JekyllPlace {
    /// The file is inside a `_posts` (or `_drafts`) folder: Jekyll's rules for post files
    /// apply.
    in_posts_folder: bool,
    /// The file is a draft (in `_drafts`): it needs no date in its name.
    is_draft: bool,
    /// The folders above `_posts` (`en/news/_posts/x.md` → `en`, `news`).
    folder_categories: Vec<String>,
    /// The file name read as Jekyll reads a post's (`YYYY-MM-DD-slug.ext`), when it is one.
    file_name: Option<JekyllFileName>,
}

impl JekyllPlace {
    fn of(relative: &str) -> JekyllPlace {
        let folders = || relative.split('/').rev().skip(1);
        let is_draft = folders().any(|folder| folder == "_drafts");
        let in_posts_folder = is_draft || folders().any(|folder| folder == "_posts");
        let special = if is_draft { "_drafts" } else { "_posts" };
        let basename = relative.rsplit('/').next().unwrap_or(relative);
        // Jekyll's `relative_path.sub(/_posts.*/, "")`, split into folders.
        let folder_categories = match relative.find(special) {
            Some(i) if in_posts_folder => relative[..i]
                .split('/')
                .filter(|c| !c.is_empty() && *c != special && *c != basename)
                .map(str::to_owned)
                .collect(),
            _ => Vec::new(),
        };
        JekyllPlace {
            in_posts_folder,
            is_draft,
            folder_categories,
            file_name: JekyllFileName::dated(relative).or_else(|| {
                // A draft's name needs no date (Jekyll's DATELESS_FILENAME_MATCHER).
                is_draft.then(|| JekyllFileName::dateless(relative))
            }),
        }
    }
}

/// A post's file name, read as Jekyll reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct JekyllFileName {
    /// The date part (`2015-06-11`), for a dated name.
    date: Option<String>,
    /// The rest of the name without its extension and trailing dots (`JavaScript-function`).
    slug: String,
    /// The file name without its last extension.
    basename: String,
    /// The last extension with its dot (`.md`), or empty.
    ext: String,
    /// Jekyll's `:path`: the relative path without its extension, `_posts` taken out.
    path: String,
}

impl JekyllFileName {
    /// Jekyll's `DATE_FILENAME_MATCHER`, `(\d{2,4}-\d{1,2}-\d{1,2})-([^/]*)(\.[^.]+)$` on
    /// the file name.
    fn dated(relative: &str) -> Option<JekyllFileName> {
        let name = relative.rsplit('/').next().unwrap_or(relative);
        let dot = name.rfind('.').filter(|&i| i + 1 < name.len())?;
        let (stem, _) = name.split_at(dot);
        let mut parts = stem.splitn(4, '-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        let slug = parts.next()?;
        let digits = |s: &str, lo: usize, hi: usize| {
            (lo..=hi).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
        };
        if !(digits(y, 2, 4) && digits(m, 1, 2) && digits(d, 1, 2)) {
            return None;
        }
        let mut file = JekyllFileName::dateless(relative);
        file.date = Some(format!("{y}-{m}-{d}"));
        file.slug = slug.trim_end_matches('.').to_string();
        Some(file)
    }

    /// Any other file: the slug is the name without its extension.
    fn dateless(relative: &str) -> JekyllFileName {
        let name = relative.rsplit('/').next().unwrap_or(relative);
        let (basename, ext) = match name.rfind('.') {
            Some(i) if i > 0 && i + 1 < name.len() => (&name[..i], &name[i..]),
            _ => (name, ""),
        };
        let without_ext = &relative[..relative.len() - ext.len()];
        JekyllFileName {
            date: None,
            slug: basename.trim_end_matches('.').to_string(),
            basename: basename.to_string(),
            ext: ext.to_string(),
            path: without_ext
                .replacen("_posts", "", 1)
                .trim_end_matches('.')
                .to_string(),
        }
    }

    /// Jekyll's `output_ext`: `.html` for Markdown and HTML; in a `_posts` folder, any other
    /// extension is kept (Jekyll copies such a post as it is). Outside `_posts` frontfeed
    /// renders every post (`.txt` too) as Markdown, so the page is `.html`.
    fn output_ext(&self, in_posts_folder: bool) -> String {
        let ext = self.ext.to_ascii_lowercase();
        match ext.as_str() {
            ".md" | ".markdown" | ".mkdown" | ".mkdn" | ".mkd" | ".html" | "" => ".html".into(),
            _ if in_posts_folder => self.ext.clone(),
            _ => ".html".into(),
        }
    }
}

/// jekyll-feed's entry id: `post.id | absolute_url`, where Jekyll's `Document#id` is the URL's
/// folder joined with the post's raw slug, and `absolute_url` Addressable's normalized URL
/// (NFKC, then everything outside RFC 3986's path characters percent-encoded).
fn jekyll_feed_id(site: &SiteConfig, url: &str, slug: &str) -> String {
    // Ruby's File.dirname ignores a trailing `/`.
    let trimmed = url.trim_end_matches('/');
    let dir = match trimmed.rfind('/') {
        Some(0) | None => "/",
        Some(i) => &trimmed[..i],
    };
    let id = if dir.ends_with('/') {
        format!("{dir}{slug}")
    } else {
        format!("{dir}/{slug}")
    };
    // Addressable reads `?` and `#` as delimiters; the path before them is decoded,
    // normalized and encoded again.
    let split = id.find(['?', '#']).unwrap_or(id.len());
    let (raw_path, rest) = id.split_at(split);
    let decoded = into_nfkc(permalink::unescape_path(raw_path));
    let mut path = String::with_capacity(decoded.len() + 16);
    permalink::percent_encode_into(&mut path, &decoded, permalink::is_path_char);
    path.push_str(rest);
    let base = site.base_url.as_str().trim_end_matches('/');
    format!("{base}{path}")
}

/// The entry's link, and the URL Jekyll gives the post (for jekyll-feed's id).
fn read_link(
    fm: &FrontMatter,
    site: &SiteConfig,
    inputs: &UrlInputs<'_>,
    diag: &mut FileDiagnostics,
) -> Result<(String, String), Reported> {
    // Found only for a diagnostic: it scans the front matter.
    let line = || fm.line_of("permalink");
    let own = fm.get_text("permalink").map(|p| p.trim().to_string());
    let template = match own.as_deref() {
        Some(p) if !p.is_empty() => match Url::parse(p) {
            Ok(url) if matches!(url.scheme(), "http" | "https") && url.host_str().is_some() => {
                if url.host_str() != site.base_url.host_str() {
                    diag.note(
                        line(),
                        format!(
                            "`permalink` points to another host ({}); the entry links there",
                            url.host_str().unwrap_or_default()
                        ),
                    );
                }
                let link = strict_uri(url.as_str());
                return Ok((link.clone(), link));
            }
            Ok(url) if crate::uri::has_scripting_scheme(url.as_str()) => {
                diag.warn(
                    line(),
                    format!(
                        "`permalink` {p:?} is neither a path nor an http(s) URL; using the \
                         site's pattern {:?}",
                        site.permalink
                    ),
                );
                permalink::site_template(&site.permalink)
            }
            // A post's own permalink is a pattern: Jekyll fills its placeholders too, and
            // reads a style name (`pretty`) as a path.
            _ => p,
        },
        _ => permalink::site_template(&site.permalink),
    };
    let expanded = permalink::expand(template, inputs);
    if !expanded.unknown.is_empty() {
        diag.warn(
            line(),
            format!(
                "{} in the permalink pattern {template:?} is not a Jekyll placeholder (Jekyll \
                 stops the build on it); kept as written",
                expanded.unknown.join(", ")
            ),
        );
    }
    let path = permalink::link_path(&expanded.url);
    Ok((strict_uri(&site.link_for(&path)), expanded.url))
}

/// The Atom id, the RSS guid and whether the guid is the permalink.
fn read_id(
    fm: &FrontMatter,
    link: &str,
    site: &SiteConfig,
    diag: &mut FileDiagnostics,
) -> (String, String, bool) {
    let Some((key, raw)) = fm
        .get_first(&["id", "guid"])
        .and_then(|(key, v)| Some((key, scalar_text(v)?)))
        .map(|(key, s)| (key, normalize_whitespace(&xml_safe(&s))))
        .filter(|(_, s)| !s.is_empty())
    else {
        return (link.to_string(), link.to_string(), true);
    };
    if crate::uri::has_scripting_scheme(&raw) {
        // Not even RSS keeps it as written: some readers turn a guid into a link.
        let id = crate::uri::name_based_urn(&format!("{}#id={raw}", site.base_url));
        diag.warn(
            fm.line_of(key),
            format!("`{key}` {raw:?} is a script URL; the entry's id is {id}"),
        );
        return (id.clone(), id, false);
    }
    if let Ok(url) = Url::parse(&raw) {
        if matches!(url.scheme(), "http" | "https") && url.host_str() != site.base_url.host_str() {
            diag.note(
                fm.line_of(key),
                format!(
                    "`{key}` is a URL on another host ({}); kept as the entry's id",
                    url.host_str().unwrap_or_default()
                ),
            );
        }
    }
    // An id is compared character by character, so one that is already a valid URI is kept
    // as written; one that is not ASCII is percent-encoded, since validators take URIs only.
    let as_uri = if raw.is_ascii() {
        Some(raw.clone())
    } else {
        Url::parse(&raw).ok().map(|u| strict_uri(u.as_str()))
    };
    if let Some(id) = as_uri.filter(|id| is_valid_feed_id(id)) {
        let is_link = id == link;
        return (id.clone(), id, is_link);
    }
    // Atom ids must be IRIs: a bare id (`123`, `post-abc`) becomes a name-based UUID, stable
    // for the same site and id. RSS keeps the id exactly as written.
    let id = crate::uri::name_based_urn(&format!("{}#id={raw}", site.base_url));
    (id, raw, false)
}

/// Jekyll's `titleize_slug`: each `-`-separated word capitalized (`hello-world` →
/// `Hello World`).
fn title_from_slug(slug: &str) -> String {
    let words: Vec<String> = slug.split('-').map(crate::text::capitalize).collect();
    let title = normalize_whitespace(&words.join(" "));
    if title.is_empty() {
        "Untitled".to_string()
    } else {
        title
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Instants keep their offset and nanoseconds through the cache's records.
    #[test]
    fn compact_instants_round_trip() {
        #[derive(serde::Serialize, serde::Deserialize)]
        struct At(#[serde(with = "compact_instant")] DateTime<FixedOffset>);
        for text in [
            "2024-03-10T01:59:59.123456789-05:00",
            "0001-01-01T00:00:00+14:00",
            "9999-12-31T23:59:59-12:00",
        ] {
            let t = DateTime::parse_from_rfc3339(text).unwrap();
            let back: At = postcard::from_bytes(&postcard::to_stdvec(&At(t)).unwrap()).unwrap();
            assert_eq!(back.0, t);
            assert_eq!(back.0.offset(), t.offset());
        }
    }
    use crate::config::{Config, Overrides};
    use crate::diagnostics::Severity;

    fn site() -> SiteConfig {
        Config::from_yaml(
            "base_url: https://news.example.org/blog\ntimezone: Asia/Shanghai\n",
            Path::new("f"),
        )
        .unwrap()
        .resolve(&Overrides::default())
        .unwrap()
        .0
    }

    fn run(name: &str, text: &str) -> (Option<EntryMeta>, FileDiagnostics) {
        let source = SourcePath {
            path: name.into(),
            relative: name.into(),
            symlink: false,
        };
        let mut diag = FileDiagnostics::new(name.into());
        let outcome = normalize(
            &source,
            text.as_bytes(),
            hash_source(text.as_bytes()),
            &site(),
            &mut diag,
        );
        match outcome {
            PostOutcome::Entry(e) => (Some(*e), diag),
            _ => (None, diag),
        }
    }

    /// Every post keeps its term lists until the feeds are written: a list holds no room for
    /// more terms than its names (with room for four, a 100,000-post build peaked 28 MB higher).
    #[test]
    fn term_lists_hold_no_spare_room() {
        for (post, expected) in [
            ("---\ncategories: Tech\ntags: [a]\n---\nx\n", (1, 1)),
            ("---\ncategories: [A, B, C, D, E]\n---\nx\n", (5, 0)),
        ] {
            let source = SourcePath {
                path: "2024-01-01-a.md".into(),
                relative: "2024-01-01-a.md".into(),
                symlink: false,
            };
            let mut diag = FileDiagnostics::new("a".into());
            let PostOutcome::Entry(e) = normalize(&source, post.as_bytes(), 0, &site(), &mut diag)
            else {
                panic!("no entry");
            };
            assert_eq!((e.categories.len(), e.tags.len()), expected);
            assert_eq!(e.categories.capacity(), e.categories.len());
            assert_eq!(e.tags.capacity(), e.tags.len());
        }
    }

    /// Names a thread has seen before give what they gave the first time, and the config's
    /// `slugs` still choose the slug of a name already seen.
    #[test]
    fn term_names_seen_before_give_the_same_terms() {
        let post = "---\ncategories: [\"Tech  News\", \"tech news\", \"Cafe\u{301}\"]\n---\nx\n";
        let terms = |site: &SiteConfig| {
            let source = SourcePath {
                path: "2024-01-01-a.md".into(),
                relative: "2024-01-01-a.md".into(),
                symlink: false,
            };
            let mut diag = FileDiagnostics::new("a".into());
            match normalize(&source, post.as_bytes(), 0, site, &mut diag) {
                PostOutcome::Entry(e) => e
                    .categories
                    .into_iter()
                    .map(|t| (t.name, t.slug))
                    .collect::<Vec<_>>(),
                _ => panic!("no entry"),
            }
        };
        let expected = vec![
            ("Tech News".to_string(), "tech-news".to_string()),
            ("Café".to_string(), "café".to_string()),
        ];
        assert_eq!(terms(&site()), expected);
        assert_eq!(terms(&site()), expected);
        let mut renamed = site();
        renamed
            .slugs
            .insert("tech news".into(), "technology".into());
        assert_eq!(terms(&renamed)[0].1, "technology");
        assert_eq!(term_parts("Tech  News").name, "Tech News");
    }

    /// Phase 1 records whether a file has anything XML forbids; with that finding, phase 2
    /// reads the same text without scanning it again.
    #[test]
    fn phase_one_finds_whether_a_file_is_xml_safe() {
        let clean = "---\ntitle: a\n---\n<p>新闻 &amp; x</p>\n";
        let dirty = "---\ntitle: a\n---\n<p>a\u{1}b\u{7f}</p>\n";
        assert!(run("2024-01-01-a.md", clean).0.unwrap().source_is_xml_safe);
        assert!(!run("2024-01-01-b.md", dirty).0.unwrap().source_is_xml_safe);
        assert_eq!(
            post_text(clean.as_bytes(), true),
            post_text(clean.as_bytes(), false)
        );
        assert_eq!(
            post_text(dirty.as_bytes(), false).unwrap().body,
            "<p>ab</p>\n"
        );
    }

    #[test]
    fn reference_shaped_post() {
        let (e, diag) = run(
            "000_post.txt",
            "---\nlayout: post\ntitle: \"江西布局数字经济\"\ndate: 2022-02-10 17:07:04 +0800\ncategories: dajiangwang\ntags: 大江网新闻\n---\n<p>正文</p>\n",
        );
        let e = e.unwrap();
        assert!(diag.items.is_empty(), "{:?}", diag.items);
        assert_eq!(e.title, "江西布局数字经济");
        assert_eq!(
            e.link,
            "https://news.example.org/blog/dajiangwang/2022/02/10/000_post.html"
        );
        assert_eq!(e.id, e.link);
        assert!(e.guid_is_permalink);
        assert_eq!(e.categories[0].name, "dajiangwang");
        assert_eq!(e.tags[0].slug, "大江网新闻");
        assert_eq!(e.published.to_rfc3339(), "2022-02-10T17:07:04+08:00");
    }

    #[test]
    fn file_name_gives_date_slug_and_title() {
        let (e, diag) = run(
            "2021-05-04-hello-world.md",
            "---\ncategory: Rust Lang\n---\nHi\n",
        );
        let e = e.unwrap();
        assert_eq!(e.title, "Hello World");
        assert!(diag.items.iter().any(|d| d.severity == Severity::Warning));
        assert_eq!(e.published.to_rfc3339(), "2021-05-04T00:00:00+08:00");
        assert_eq!(e.categories[0].name, "Rust Lang");
        assert_eq!(
            e.link,
            "https://news.example.org/blog/rust%20lang/2021/05/04/hello-world.html"
        );
    }

    #[test]
    fn permalink_date_is_taken_in_the_site_timezone() {
        // 23:30 in New York is the next day in Shanghai, and Jekyll's URL says so; the
        // entry's instant keeps its own offset.
        let (e, _) = run("a.md", "---\ntitle: x\ndate: 2022-02-10 23:30 -0500\n---\n");
        let e = e.unwrap();
        assert!(e.link.ends_with("/2022/02/11/a.html"), "{}", e.link);
        assert_eq!(e.published.to_rfc3339(), "2022-02-10T23:30:00-05:00");
        // Ruby's YAML reads a plain timestamp without an offset as UTC: 01:00 UTC is 09:00
        // in Shanghai, the same day; 20:00 UTC is the next day there.
        let (e, _) = run("b.md", "---\ntitle: x\ndate: 2022-02-10 20:00:00\n---\n");
        let e = e.unwrap();
        assert!(e.link.ends_with("/2022/02/11/b.html"), "{}", e.link);
        assert_eq!(e.published.to_rfc3339(), "2022-02-10T20:00:00+08:00");
        let (e, _) = run("c.md", "---\ntitle: x\ndate: '2022-02-10 20:00:00'\n---\n");
        assert!(e.unwrap().link.ends_with("/2022/02/10/c.html"));
    }

    #[test]
    fn ids_and_permalinks_from_front_matter() {
        let (e, _) = run(
            "a.md",
            "---\ntitle: x\ndate: 2022-01-01\nid: post-17\npermalink: /p/:title/\n---\n",
        );
        let e = e.unwrap();
        assert_eq!(e.link, "https://news.example.org/blog/p/a/");
        assert_eq!(e.guid, "post-17");
        assert!(!e.guid_is_permalink);
        assert!(e.id.starts_with("urn:uuid:"));
        let (e2, _) = run(
            "b.md",
            "---\ntitle: y\ndate: 2022-01-01\nguid: tag:example.org,2022:17\n---\n",
        );
        assert_eq!(e2.unwrap().id, "tag:example.org,2022:17");
    }

    #[test]
    fn unpublished_and_not_posts_are_skipped() {
        let (e, d) = run(
            "a.md",
            "---\ntitle: x\ndate: 2022-01-01\npublished: false\n---\n",
        );
        assert!(e.is_none());
        assert_eq!(d.items[0].severity, Severity::Note);
        let (e, d) = run("readme.md", "# not a post\n");
        assert!(e.is_none());
        assert_eq!(d.items[0].severity, Severity::Note);
    }

    #[test]
    fn errors_name_the_line() {
        let (e, d) = run("a.md", "---\ntitle: x\ndate: someday\n---\n");
        assert!(e.is_none());
        assert_eq!(d.items[0].severity, Severity::Error);
        assert_eq!(d.items[0].line, Some(3));
        let (e, d) = run("b.md", "---\ntitle: x\n");
        assert!(e.is_none());
        assert_eq!(d.items[0].line, Some(1));
        let (e, d) = run("c.md", "---\ntitle: x\n");
        assert!(e.is_none() && d.items[0].message.contains("never closed"));
        let bad = b"---\ntitle: \xff\n---\n";
        let source = SourcePath {
            path: "gbk.md".into(),
            relative: "gbk.md".into(),
            symlink: false,
        };
        let mut diag = FileDiagnostics::new("gbk.md".into());
        assert!(matches!(
            normalize(&source, bad, hash_source(bad), &site(), &mut diag),
            PostOutcome::Failed
        ));
        assert!(diag.items[0].message.contains("UTF-8"));
        assert_eq!(diag.items[0].line, Some(2));
    }

    #[test]
    fn links_and_ids_are_strict_uris() {
        let (e, _) = run(
            "a.md",
            "---\ntitle: x\ndate: 2022-01-01\npermalink: /a|b c/\nid: https://例子.example/文\n---\n",
        );
        let e = e.unwrap();
        assert_eq!(e.link, "https://news.example.org/blog/a%7Cb%20c/");
        assert!(e.id.is_ascii() && !e.guid_is_permalink, "{}", e.id);
        let (e, _) = run(
            "b.md",
            "---\ntitle: x\ndate: 2022-01-01\nid: \"urn:x:a[b]\"\n---\n",
        );
        let e = e.unwrap();
        assert!(
            e.id.starts_with("urn:uuid:"),
            "an invalid URN is not used as an Atom id"
        );
        assert_eq!(e.guid, "urn:x:a[b]");
    }

    #[test]
    fn updated_is_never_before_the_date() {
        let (e, d) = run(
            "a.md",
            "---\ntitle: x\ndate: 2022-02-10 12:00 +0800\nupdated: 2022-01-01\n---\n",
        );
        assert_eq!(e.unwrap().updated.to_rfc3339(), "2022-02-10T12:00:00+08:00");
        assert_eq!(d.items[0].line, Some(4));
        let (e, d) = run(
            "b.md",
            "---\ntitle: x\ndate: 2022-02-10\nlast_modified_at: 2022-03-01 08:00 +0000\n---\n",
        );
        assert_eq!(e.unwrap().updated.to_rfc3339(), "2022-03-01T08:00:00+00:00");
        assert!(d.items.is_empty());
        let (e, d) = run(
            "c.md",
            "---\ntitle: x\ndate: 2022-02-10\nupdated: soon\n---\n",
        );
        assert!(e.is_some());
        assert!(d.items[0].message.contains("`updated` ignored"));
    }

    #[test]
    fn jekyll_file_names_slugs_and_folder_categories() {
        let (e, d) = run(
            "en/News Room/_posts/sub/2015-06-11-JavaScript-function.md",
            "---\ntitle: x\ncategories: Edge Case\ncategory: C#\n---\n",
        );
        let e = e.unwrap();
        assert!(d.items.is_empty(), "{:?}", d.items);
        assert_eq!(
            e.link,
            "https://news.example.org/blog/en/news%20room/edge/case/c%23/2015/06/11/JavaScript-function.html"
        );
        let names: Vec<&str> = e.categories.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["en", "News Room", "Edge", "Case", "C#"]);
        assert_eq!(e.published.to_rfc3339(), "2015-06-11T00:00:00+08:00");
        // `slug` replaces the file name's; dots and `_` stay in `:title`.
        let (e, _) = run(
            "_posts/2019-01-01-x.markdown",
            "---\nslug: Sass_converter-3.0..\npermalink: /:title/:slug/\n---\n",
        );
        assert_eq!(
            e.unwrap().link,
            "https://news.example.org/blog/Sass_converter-3.0/sass-converter-3-0/"
        );
        // A post's own `permalink: pretty` is a path, not the style.
        let (e, _) = run("_posts/2019-01-01-y.md", "---\npermalink: pretty\n---\n");
        assert_eq!(e.unwrap().link, "https://news.example.org/blog/pretty");
        // Jekyll publishes a dated file in `_posts` without front matter, and ignores an
        // undated one.
        let (e, _) = run("_posts/2019-01-01-plain-text.md", "Just text.\n");
        assert_eq!(e.unwrap().title, "Plain Text");
        let (e, d) = run("_posts/about.md", "---\ntitle: About\n---\n");
        assert!(e.is_none());
        assert_eq!(d.items[0].severity, Severity::Warning);
    }

    #[test]
    fn publishing_follows_jekyll() {
        for (front, published) in [
            ("published: false", false),
            ("published:", false),
            ("published: no", false),
            ("published: 'no'", true),
            ("published: true", true),
            ("draft: true", false),
            ("published: \"false\"", true),
        ] {
            let (e, _) = run(
                "a.md",
                &format!("---\ntitle: x\ndate: 2022-01-01\n{front}\n---\n"),
            );
            assert_eq!(e.is_some(), published, "{front}");
        }
        let (e, d) = run("a.md", "---\ntitle: x\ndate: 2022-01-01\ntitle: y\n---\n");
        assert_eq!(e.unwrap().title, "y");
        assert_eq!(d.items[0].severity, Severity::Warning);
        assert_eq!(d.items[0].line, Some(4));
        let (e, d) = run(
            "b.md",
            "---\ntitle: x\ndate: 2023-01-29 18:30:22 2023 -0800\n---\n",
        );
        // Ruby takes a zone only right after the time: local time in the site's timezone.
        assert_eq!(
            e.unwrap().published.to_rfc3339(),
            "2023-01-29T18:30:22+08:00"
        );
        assert!(
            d.items[0].message.contains("ignored: 2023 -0800"),
            "{:?}",
            d.items
        );
    }

    #[test]
    fn titles_are_text() {
        let (e, _) = run(
            "a.md",
            "---\ntitle: \"<b>Tom</b> &amp; Jerry\\u0001\"\ndate: 2022-01-01\n---\n",
        );
        assert_eq!(e.unwrap().title, "Tom & Jerry");
    }
}
