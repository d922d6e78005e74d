//! The site configuration: `frontfeed.yaml`, command-line overrides, and validation.

use std::path::{Path, PathBuf};

use chrono_tz::Tz;
use serde::Deserialize;
use thiserror::Error;
use url::Url;

use crate::slug::term_key;

pub mod jekyll;

/// Jekyll's default permalink pattern.
/// Jekyll's default permalink style, `/:categories/:year/:month/:day/:title:output_ext`.
pub const DEFAULT_PERMALINK: &str = "date";
/// Entries per feed unless configured.
pub const DEFAULT_LIMIT: usize = 50;
/// Characters in a generated summary unless configured.
pub const DEFAULT_SUMMARY_LENGTH: usize = 200;
/// Categories (and tags) kept per post unless configured: far more than any real post has,
/// few enough that one hostile post cannot make thousands of feeds.
pub const DEFAULT_MAX_TERMS_PER_POST: usize = 100;
/// Used when no `base_url` is configured at all; a warning says so.
pub const PLACEHOLDER_BASE_URL: &str = "https://example.com/";

/// A configuration problem. Every variant names the file or the key at fault.
#[derive(Debug, Error)]
pub enum ConfigError {
    /// The configuration file could not be read.
    #[error("cannot read config file {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The configuration file is not valid YAML, or has unknown or mistyped keys.
    #[error("{path}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
    Parse {
        /// The file.
        path: PathBuf,
        /// The line at fault, when the parser said.
        line: Option<usize>,
        /// What the parser said.
        message: String,
    },
    /// A setting has a value frontfeed cannot use.
    #[error("invalid `{key}`: {message}")]
    Invalid {
        /// The setting.
        key: &'static str,
        /// Why, and what would do.
        message: String,
    },
}

/// A person: the site's author or a post's.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// The name readers see.
    pub name: String,
    /// An e-mail address.
    #[serde(default)]
    pub email: Option<String>,
    /// A home page (`url:` is read as this too).
    #[serde(default, alias = "url")]
    pub uri: Option<String>,
}

/// `author:` is either a bare name (`Name` or `Name <email>`) or `{name, email, uri}`.
#[derive(Debug, Clone)]
pub enum AuthorConfig {
    /// `author: Name` or `author: Name <email>`.
    Name(String),
    /// `author: {name, email, uri}`.
    Person(Person),
}

impl<'de> Deserialize<'de> for AuthorConfig {
    // By hand rather than `untagged`, so that `{nme: x}` is reported as an unknown field
    // `nme` instead of "data did not match any variant".
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        match serde_yaml::Value::deserialize(deserializer)? {
            serde_yaml::Value::String(name) => Ok(AuthorConfig::Name(name)),
            value @ serde_yaml::Value::Mapping(_) => serde_yaml::from_value(value)
                .map(AuthorConfig::Person)
                .map_err(|e| D::Error::custom(format!("author: {e}"))),
            _ => Err(D::Error::custom(
                "author: expected a name or a mapping {name, email, uri}",
            )),
        }
    }
}

impl AuthorConfig {
    fn into_person(self) -> Person {
        match self {
            AuthorConfig::Name(name) => Person::from_text(&name),
            AuthorConfig::Person(p) => p,
        }
    }
}

impl Person {
    /// A person from one line of text: `Name`, or `Name <name@example.org>` as mail headers
    /// and many front matters write it.
    pub fn from_text(text: &str) -> Person {
        let text = text.trim();
        if let Some(open) = text.rfind('<') {
            if let Some(email) = text[open + 1..].strip_suffix('>') {
                if looks_like_email(email.trim()) {
                    return Person {
                        name: text[..open].trim().to_string(),
                        email: Some(email.trim().to_string()),
                        uri: None,
                    };
                }
            }
        }
        Person {
            name: text.to_string(),
            email: None,
            uri: None,
        }
    }
}

/// Which feeds to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FeedSelection {
    /// `rss.xml` and `atom.xml` at the top of the output folder.
    pub global: bool,
    /// `category/<slug>/…` for every category.
    pub categories: bool,
    /// `tag/<slug>/…` for every tag.
    pub tags: bool,
}

impl Default for FeedSelection {
    fn default() -> Self {
        FeedSelection {
            global: true,
            categories: true,
            tags: false,
        }
    }
}

/// `frontfeed.yaml` as written. Every key is optional; unknown keys are errors so that typos
/// do not pass silently.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The feeds' title (README "Configuration" has each key's default).
    pub title: Option<String>,
    /// The feeds' description.
    pub description: Option<String>,
    /// The site's absolute URL: links, ids and relative URLs in content are made from it.
    pub base_url: Option<String>,
    /// The feeds' language (a BCP 47 tag).
    pub language: Option<String>,
    /// The IANA timezone dates without an offset are read in.
    pub timezone: Option<String>,
    /// The feeds' author, and the author of posts that name none.
    pub author: Option<AuthorConfig>,
    /// How a post's link is made: a Jekyll permalink style or template.
    pub permalink: Option<String>,
    /// Entries per feed (0: all).
    pub limit: Option<usize>,
    /// Characters in a summary.
    pub summary_length: Option<usize>,
    /// The marker that ends the summary in a body (`<!--more-->`).
    pub excerpt_separator: Option<String>,
    /// Which feeds are written.
    pub feeds: Option<FeedSelection>,
    /// Sanitize content (on unless `false`).
    pub sanitize: Option<bool>,
    /// Categories and tags read from one post at most.
    pub max_terms_per_post: Option<usize>,
    /// Bytes read from one post file at most.
    pub max_post_bytes: Option<u64>,
    /// Publish posts dated in the future (Jekyll's `future`).
    pub future: Option<bool>,
    /// Category or tag name → the slug of its feed, by hand.
    pub slugs: Option<std::collections::BTreeMap<String, String>>,
    /// Values for Liquid's `site.*` (`site: {repository: me/blog}` gives `site.repository`).
    pub site: Option<std::collections::BTreeMap<String, serde_yaml::Value>>,
    /// The posts folder, relative to the config file's folder.
    pub posts: Option<PathBuf>,
    /// The output folder, relative to the config file's folder.
    pub out: Option<PathBuf>,
    /// Jekyll's `show_drafts`: read `_drafts/` too.
    pub show_drafts: Option<bool>,
    /// jekyll-feed compatible feeds (see [`JekyllFeedConfig`]); set by a Jekyll `_config.yml`.
    pub jekyll_feed: Option<JekyllFeedConfig>,
}

/// jekyll-feed's `feed:` settings: with them, frontfeed also writes the Atom feeds at
/// jekyll-feed's paths with jekyll-feed's entry ids, so subscribers see no change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JekyllFeedConfig {
    /// The global feed's path (`feed.xml` unless set).
    #[serde(default)]
    pub path: Option<String>,
    /// Categories that get a feed at `feed/<category>.xml`.
    #[serde(default)]
    pub categories: Vec<String>,
    /// Tag feeds at `feed/by_tag/<tag>.xml`.
    #[serde(default)]
    pub tags: Option<JekyllTagFeeds>,
    /// Entries per feed (jekyll-feed's default: 10).
    #[serde(default)]
    pub posts_limit: Option<usize>,
    /// Summaries only, no content.
    #[serde(default)]
    pub excerpt_only: Option<bool>,
}

/// jekyll-feed's `feed.tags`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JekyllTagFeeds {
    /// Only these tags get a feed.
    #[serde(default)]
    pub only: Option<Vec<String>>,
    /// These tags get none.
    #[serde(default)]
    pub except: Vec<String>,
    /// The folder of the tag feeds (`feed/by_tag/` unless set).
    #[serde(default)]
    pub path: Option<String>,
}

/// Where a run's settings, posts and output are, once the command line, the config files and
/// the folder it runs in have been looked at.
#[derive(Debug, Clone)]
pub struct SiteSources {
    /// The config files read, the one that wins last (none: built-in settings).
    pub config_files: Vec<PathBuf>,
    /// The posts folder.
    pub posts: PathBuf,
    /// The output folder.
    pub out: PathBuf,
    /// The posts folder is a Jekyll site read with no `frontfeed.yaml` of its own needed.
    pub jekyll_site: bool,
}

/// Finds the configuration and folders of a run:
/// - `--config FILE` names a `frontfeed.yaml` or a Jekyll `_config.yml` (with a
///   `frontfeed.yaml` beside the latter laid over it);
/// - otherwise, in a Jekyll site's folder (a `_config.yml`, with `_posts/` or without a
///   `posts/`), its `_config.yml` with `frontfeed.yaml` over it, the posts read from the site;
/// - otherwise `frontfeed.yaml`, or built-in settings when there is none.
///
/// `posts:` and `out:` in a config file are relative to its folder; `--posts`/`--out` win.
///
/// # Errors
///
/// A config file that cannot be read or parsed (see [`Config::load`]).
pub fn load_site(
    config_flag: Option<&Path>,
    posts_flag: Option<&Path>,
    out_flag: Option<&Path>,
) -> Result<(Config, SiteSources), ConfigError> {
    let here = Path::new(".");
    // `dir/name`, without a leading `./` (messages name the file as the user would).
    let join = |dir: &Path, name: &str| {
        if dir == here {
            PathBuf::from(name)
        } else {
            dir.join(name)
        }
    };
    let mut files: Vec<PathBuf> = Vec::new();
    let (config, base_dir) = match config_flag {
        Some(path) => {
            let dir = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(here);
            let mut config = Config::load(path, true)?;
            files.push(path.to_path_buf());
            if jekyll::is_jekyll_config(path) {
                let ours = join(dir, "frontfeed.yaml");
                if ours.is_file() {
                    config = config.overlay(Config::load(&ours, true)?);
                    files.push(ours);
                }
            }
            (config, dir.to_path_buf())
        }
        None => {
            let site_dir = posts_flag.unwrap_or(here);
            let jekyll = join(site_dir, "_config.yml");
            let is_site = jekyll.is_file()
                && (site_dir.join("_posts").is_dir() || !here.join("posts").is_dir());
            if is_site {
                let mut config = Config::load(&jekyll, true)?;
                files.push(jekyll);
                let ours = PathBuf::from("frontfeed.yaml");
                if ours.is_file() {
                    config = config.overlay(Config::load(&ours, true)?);
                    files.push(ours);
                }
                if posts_flag.is_none() && config.posts.is_none() {
                    config.posts = Some(site_dir.to_path_buf());
                }
                (config, here.to_path_buf())
            } else {
                let ours = PathBuf::from("frontfeed.yaml");
                let config = Config::load(&ours, false)?;
                if ours.is_file() {
                    files.push(ours);
                }
                (config, here.to_path_buf())
            }
        }
    };
    let relative = |p: &Path| {
        if p.is_absolute() || base_dir == here {
            p.to_path_buf()
        } else {
            base_dir.join(p)
        }
    };
    let posts = match (posts_flag, &config.posts) {
        (Some(p), _) => p.to_path_buf(),
        (None, Some(p)) => relative(p),
        (None, None) => PathBuf::from("posts"),
    };
    let out = match (out_flag, &config.out) {
        (Some(p), _) => p.to_path_buf(),
        (None, Some(p)) => relative(p),
        (None, None) => PathBuf::from("out"),
    };
    let jekyll_site = files.first().is_some_and(|f| jekyll::is_jekyll_config(f));
    Ok((
        config,
        SiteSources {
            config_files: files,
            posts,
            out,
            jekyll_site,
        },
    ))
}

/// Settings given on the command line; they win over the file.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// `--base-url`.
    pub base_url: Option<String>,
    /// `--timezone`.
    pub timezone: Option<String>,
    /// `--limit`.
    pub limit: Option<usize>,
    /// `--drafts`: read a Jekyll site's `_drafts/` too.
    pub drafts: bool,
}

/// The validated configuration every later stage reads.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    /// The feeds' title.
    pub title: String,
    /// The feeds' description.
    pub description: String,
    /// Absolute http(s) URL whose path always ends in `/`.
    pub base_url: Url,
    /// The feeds' language.
    pub language: String,
    /// The timezone dates without an offset are read in.
    pub timezone: Tz,
    /// The feeds' author, and the author of posts that name none.
    pub author: Person,
    /// The permalink template (a Jekyll style already expanded to its template).
    pub permalink: String,
    /// Entries per feed, newest first; 0 means all.
    pub limit: usize,
    /// Characters in a summary.
    pub summary_length: usize,
    /// Where a post's summary ends in its body, when the post has no excerpt of its own.
    pub excerpt_separator: Option<String>,
    /// Which feeds are written.
    pub feeds: FeedSelection,
    /// Remove scripts, styles, frames, event handlers and unsafe URLs from content.
    pub sanitize: bool,
    /// Categories (and, separately, tags) kept per post; the rest are dropped with a warning.
    pub max_terms_per_post: usize,
    /// Post files larger than this are refused without being read.
    pub max_post_bytes: u64,
    /// Publish posts dated after "now" (Jekyll's `future`); off by default, as in Jekyll.
    pub future: bool,
    /// Feed slugs chosen by hand for category and tag names, keyed by `slug::term_key`.
    pub slugs: std::collections::BTreeMap<String, String>,
    /// Values for Liquid's `site.*` besides the settings above.
    pub liquid_site: std::collections::BTreeMap<String, serde_yaml::Value>,
    /// Read `_drafts/` too (Jekyll's `show_drafts`, `--drafts`).
    pub show_drafts: bool,
    /// Also write jekyll-feed's feeds, at its paths with its entry ids.
    pub jekyll_feed: Option<JekyllFeed>,
}

/// jekyll-feed's feeds, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JekyllFeed {
    /// The global feed, relative to the output folder (`feed.xml`).
    pub path: String,
    /// Categories with a feed at `feed/<category>.xml`.
    pub categories: Vec<String>,
    /// Tag feeds: the tags (`None`: every tag) minus `except`, in `tags_path`.
    pub tags: Option<(Option<Vec<String>>, Vec<String>)>,
    /// The folder of the tag feeds.
    pub tags_path: String,
    /// Entries per jekyll-feed feed.
    pub posts_limit: usize,
    /// jekyll-feed's `excerpt_only` (read; frontfeed writes the content anyway).
    pub excerpt_only: bool,
}

/// A path inside the output folder: no `..`, no absolute path, no empty part.
fn safe_relative(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && path
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != ".." && !part.contains('\\'))
}

impl Config {
    /// Parses YAML text; `path` is only used in messages.
    ///
    /// # Errors
    ///
    /// [`ConfigError::Parse`] for text that is not YAML, or has unknown or mistyped keys.
    pub fn from_yaml(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if text.trim().is_empty() {
            return Ok(Config::default());
        }
        serde_yaml::from_str(text).map_err(|e| {
            let message = e.to_string();
            // The line is shown before the message; serde_yaml repeats it at the end.
            let message = match message.rfind(" at line ") {
                Some(i) if e.location().is_some() => message[..i].to_string(),
                _ => message,
            };
            ConfigError::Parse {
                path: path.to_path_buf(),
                line: e.location().map(|l| l.line()),
                message,
            }
        })
    }

    /// This configuration with every key that `over` sets taken from `over`.
    #[must_use]
    pub fn overlay(self, over: Config) -> Config {
        Config {
            title: over.title.or(self.title),
            description: over.description.or(self.description),
            base_url: over.base_url.or(self.base_url),
            language: over.language.or(self.language),
            timezone: over.timezone.or(self.timezone),
            author: over.author.or(self.author),
            permalink: over.permalink.or(self.permalink),
            limit: over.limit.or(self.limit),
            summary_length: over.summary_length.or(self.summary_length),
            excerpt_separator: over.excerpt_separator.or(self.excerpt_separator),
            feeds: over.feeds.or(self.feeds),
            sanitize: over.sanitize.or(self.sanitize),
            max_terms_per_post: over.max_terms_per_post.or(self.max_terms_per_post),
            max_post_bytes: over.max_post_bytes.or(self.max_post_bytes),
            future: over.future.or(self.future),
            slugs: over.slugs.or(self.slugs),
            site: over.site.or(self.site),
            posts: over.posts.or(self.posts),
            out: over.out.or(self.out),
            show_drafts: over.show_drafts.or(self.show_drafts),
            jekyll_feed: over.jekyll_feed.or(self.jekyll_feed),
        }
    }

    /// Loads the config file, a `frontfeed.yaml` or a Jekyll `_config.yml` (told apart by
    /// name). A missing file is fine only when the user did not name it.
    ///
    /// # Errors
    ///
    /// [`ConfigError::Read`] for a file that cannot be read (or is missing when named), and
    /// [`ConfigError::Parse`] for one that cannot be parsed.
    pub fn load(path: &Path, named_explicitly: bool) -> Result<Config, ConfigError> {
        match std::fs::read_to_string(path) {
            Ok(text) if jekyll::is_jekyll_config(path) => jekyll::from_yaml(&text, path),
            Ok(text) => Config::from_yaml(&text, path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !named_explicitly => {
                Ok(Config::default())
            }
            Err(source) => Err(ConfigError::Read {
                path: path.to_path_buf(),
                source,
            }),
        }
    }

    /// Applies overrides and validates. Returns warnings for settings that fell back to
    /// placeholders.
    ///
    /// # Errors
    ///
    /// [`ConfigError::Invalid`] for the first setting whose value cannot be used.
    pub fn resolve(self, overrides: &Overrides) -> Result<(SiteConfig, Vec<String>), ConfigError> {
        let mut warnings = Vec::new();
        let base_url_text = overrides.base_url.clone().or(self.base_url);
        let base_url = match base_url_text {
            Some(text) => parse_base_url(&text)?,
            None => {
                warnings.push(format!(
                    "no `base_url` configured: links use the placeholder {PLACEHOLDER_BASE_URL}"
                ));
                parse_base_url(PLACEHOLDER_BASE_URL)?
            }
        };
        let tz_name = overrides
            .timezone
            .clone()
            .or(self.timezone)
            .unwrap_or_else(|| "UTC".to_string());
        let timezone = parse_timezone(&tz_name)?;

        // `en_US` is a common spelling of the tag `en-US`.
        let language = self
            .language
            .map_or_else(|| "en".to_string(), |l| l.trim().replace('_', "-"));
        if !is_language_tag(&language) {
            return Err(ConfigError::Invalid {
                key: "language",
                message: format!("{language:?} is not a language tag such as `en` or `zh-CN`"),
            });
        }

        let title = self
            .title
            .map(|t| crate::text::normalize_whitespace(&t))
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| base_url.host_str().unwrap_or("frontfeed").to_string());
        let description = self
            .description
            .map(|d| crate::text::normalize_whitespace(&d))
            .filter(|d| !d.is_empty())
            .unwrap_or_else(|| format!("Latest posts from {title}"));
        let author = match self.author.map(AuthorConfig::into_person) {
            Some(p) if p.name.trim().is_empty() => {
                return Err(ConfigError::Invalid {
                    key: "author",
                    message: "the author's name is empty".into(),
                })
            }
            Some(p) => p,
            None => Person {
                name: title.clone(),
                email: None,
                uri: None,
            },
        };
        if let Some(email) = &author.email {
            if !looks_like_email(email) {
                return Err(ConfigError::Invalid {
                    key: "author",
                    message: format!("{email:?} is not an email address"),
                });
            }
        }
        if let Some(uri) = &author.uri {
            let is_web = Url::parse(uri).is_ok_and(|u| matches!(u.scheme(), "http" | "https"));
            if !is_web || !crate::uri::is_valid_feed_id(uri) {
                return Err(ConfigError::Invalid {
                    key: "author",
                    message: format!("{uri:?} is not an absolute http(s) URL"),
                });
            }
        }
        let permalink = self
            .permalink
            .unwrap_or_else(|| DEFAULT_PERMALINK.to_string());
        if permalink.trim().is_empty() {
            return Err(ConfigError::Invalid {
                key: "permalink",
                message: "the pattern is empty".into(),
            });
        }
        let mut slugs = std::collections::BTreeMap::new();
        for (name, slug) in self.slugs.unwrap_or_default() {
            let clean = crate::slug::slugify(&slug);
            if clean.is_empty() || clean != slug.to_lowercase() {
                return Err(ConfigError::Invalid {
                    key: "slugs",
                    message: format!(
                        "the slug {slug:?} for {name:?} must be lowercase letters, digits and `-` \
                         (e.g. {:?})",
                        crate::slug::slugify_nonempty(&slug)
                    ),
                });
            }
            slugs.insert(term_key(&name), clean);
        }
        let limit = overrides.limit.or(self.limit).unwrap_or(DEFAULT_LIMIT);
        let summary_length = self.summary_length.unwrap_or(DEFAULT_SUMMARY_LENGTH);
        let max_post_bytes = self
            .max_post_bytes
            .unwrap_or(crate::source::DEFAULT_MAX_POST_BYTES);
        if max_post_bytes == 0 {
            return Err(ConfigError::Invalid {
                key: "max_post_bytes",
                message: "must be at least 1".into(),
            });
        }

        Ok((
            SiteConfig {
                title,
                description,
                base_url,
                language,
                timezone,
                author,
                permalink,
                limit,
                summary_length,
                excerpt_separator: self.excerpt_separator.filter(|s| !s.is_empty()),
                feeds: self.feeds.unwrap_or_default(),
                sanitize: self.sanitize.unwrap_or(true),
                future: self.future.unwrap_or(false),
                slugs,
                liquid_site: self.site.unwrap_or_default(),
                show_drafts: overrides.drafts || self.show_drafts.unwrap_or(false),
                jekyll_feed: match self.jekyll_feed {
                    Some(feed) => Some(resolve_jekyll_feed(feed)?),
                    None => None,
                },
                max_terms_per_post: self
                    .max_terms_per_post
                    .unwrap_or(DEFAULT_MAX_TERMS_PER_POST),
                max_post_bytes,
            },
            warnings,
        ))
    }
}

/// jekyll-feed's defaults (`feed.xml`, `feed/by_tag/`, 10 posts), with every path checked to
/// stay inside the output folder.
fn resolve_jekyll_feed(feed: JekyllFeedConfig) -> Result<JekyllFeed, ConfigError> {
    let invalid = |message: String| ConfigError::Invalid {
        key: "feed",
        message,
    };
    let path = feed
        .path
        .as_deref()
        .unwrap_or("feed.xml")
        .trim_start_matches('/')
        .to_string();
    if !safe_relative(&path) {
        return Err(invalid(format!(
            "path {path:?} must stay inside the output folder"
        )));
    }
    for category in &feed.categories {
        if !safe_relative(&format!("feed/{category}.xml")) || category.contains('/') {
            return Err(invalid(format!(
                "category {category:?} cannot name a file (no `/`, `..`)"
            )));
        }
    }
    let tags_path = feed
        .tags
        .as_ref()
        .and_then(|t| t.path.clone())
        .unwrap_or_else(|| "feed/by_tag/".to_string());
    let tags_path = format!("{}/", tags_path.trim_matches('/'));
    if !safe_relative(tags_path.trim_end_matches('/')) {
        return Err(invalid(format!(
            "tags path {tags_path:?} must stay inside the output folder"
        )));
    }
    Ok(JekyllFeed {
        path,
        categories: feed.categories,
        tags: feed.tags.map(|t| (t.only, t.except)),
        tags_path,
        posts_limit: feed.posts_limit.unwrap_or(10),
        excerpt_only: feed.excerpt_only.unwrap_or(false),
    })
}

/// Parses `base_url`: absolute http(s) with a host, no query or fragment; path ends in `/`.
///
/// # Errors
///
/// [`ConfigError::Invalid`] saying what is wrong with the URL.
pub fn parse_base_url(text: &str) -> Result<Url, ConfigError> {
    let invalid = |message: String| ConfigError::Invalid {
        key: "base_url",
        message,
    };
    let mut url = Url::parse(text.trim())
        .map_err(|e| invalid(format!("{text:?} is not an absolute URL ({e})")))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
        return Err(invalid(format!(
            "{text:?} must be an absolute http:// or https:// URL with a host"
        )));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid(format!(
            "{text:?} must not carry a query or a fragment"
        )));
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    // Every feed URL starts with this one: make it the strict RFC 3986 form validators want.
    Url::parse(&crate::uri::strict_uri(url.as_str())).map_err(|e| invalid(e.to_string()))
}

/// Parses an IANA timezone name such as `Asia/Shanghai`.
///
/// # Errors
///
/// [`ConfigError::Invalid`] for a name that is not in the IANA database.
pub fn parse_timezone(name: &str) -> Result<Tz, ConfigError> {
    let name = name.trim();
    // `asia/shanghai` and `utc` name a zone just as well as the canonical spelling.
    name.parse::<Tz>()
        .or_else(|_| {
            chrono_tz::TZ_VARIANTS
                .iter()
                .find(|tz| tz.name().eq_ignore_ascii_case(name))
                .copied()
                .ok_or(())
        })
        .map_err(|()| ConfigError::Invalid {
            key: "timezone",
            message: format!("{name:?} is not an IANA timezone name such as `Asia/Shanghai`"),
        })
}

/// A BCP 47 tag whose language is a real ISO 639 code (`en`, `zh-CN`, `yue-HK`): feed
/// validators reject an unknown language.
fn is_language_tag(s: &str) -> bool {
    let mut parts = s.split('-');
    let primary = parts.next().unwrap_or("").to_ascii_lowercase();
    let known = match primary.len() {
        2 => isolang::Language::from_639_1(&primary).is_some(),
        3 => isolang::Language::from_639_3(&primary).is_some(),
        _ => false,
    };
    known
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// An ASCII address of the shape feed validators accept (`name+tag@mail.example.org`):
/// enough to keep a bare name, or a form they reject, out of email-only fields.
pub fn looks_like_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    let labels: Vec<&str> = domain.split('.').collect();
    !local.is_empty()
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._+-".contains(c))
        && labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()))
}

impl SiteConfig {
    /// The feed slug of a category or tag name: the one configured in `slugs`, else
    /// `slug::slugify_nonempty`.
    pub fn term_slug(&self, name: &str) -> String {
        self.configured_slug(&term_key(name))
            .unwrap_or_else(|| crate::slug::slugify_nonempty(name))
    }

    /// The slug `slugs` sets for the name whose `term_key` is `key`, if any.
    pub fn configured_slug(&self, key: &str) -> Option<String> {
        self.slugs.get(key).cloned()
    }

    /// [`SiteConfig::url_for`] as text, joined as strings where that gives the same
    /// ([`crate::uri::join_plain`]): every post's link is made here.
    pub fn link_for(&self, relative: &str) -> String {
        crate::uri::join_plain(self.base_url.as_str(), relative.trim_start_matches('/'))
            .unwrap_or_else(|| self.url_for(relative).into())
    }

    /// The absolute URL of a path relative to the base URL (`category/x/rss.xml`).
    pub fn url_for(&self, relative: &str) -> Url {
        let relative = relative.trim_start_matches('/');
        // `a:b/x` alone would read as a URL with the scheme `a`.
        let dotted;
        let relative = if relative.split('/').next().is_some_and(|s| s.contains(':')) {
            dotted = format!("./{relative}");
            &dotted
        } else {
            relative
        };
        // Joining a path without a leading slash keeps the base URL's own path (`/blog/`).
        self.base_url
            .join(relative)
            .unwrap_or_else(|_| self.base_url.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(yaml: &str) -> Result<SiteConfig, ConfigError> {
        Config::from_yaml(yaml, Path::new("frontfeed.yaml"))?
            .resolve(&Overrides::default())
            .map(|(c, _)| c)
    }

    /// Links joined as strings are the parser's.
    #[test]
    fn link_for_is_url_for() {
        for base in [
            "https://e.org/",
            "https://e.org/blog/",
            "https://e.org/blog",
            "http://e.org:8080/x/",
        ] {
            let site = resolve(&format!("base_url: {base}\n")).unwrap();
            for relative in [
                "/2024/01/a.html",
                "2024/a/",
                "a b/c",
                "x:y/z",
                "",
                "/",
                "财经/a.html",
                "a/../b",
                "a/%2e/b",
                "a?b#c",
            ] {
                assert_eq!(
                    site.link_for(relative),
                    site.url_for(relative).as_str(),
                    "{base} {relative}"
                );
            }
        }
    }

    #[test]
    fn full_config_resolves() {
        let c = resolve(
            "title: 新闻\nbase_url: https://example.org/blog\nlanguage: zh-CN\ntimezone: Asia/Shanghai\n\
             author: {name: Ed, email: ed@example.org}\nlimit: 0\nfeeds: {tags: true}\n",
        )
        .unwrap();
        assert_eq!(c.base_url.as_str(), "https://example.org/blog/");
        assert_eq!(c.timezone, chrono_tz::Asia::Shanghai);
        assert_eq!(c.limit, 0);
        assert!(c.feeds.tags && c.feeds.global && c.feeds.categories);
        assert_eq!(c.author.email.as_deref(), Some("ed@example.org"));
        assert_eq!(
            c.url_for("category/x/rss.xml").as_str(),
            "https://example.org/blog/category/x/rss.xml"
        );
    }

    #[test]
    fn unknown_key_names_the_key() {
        let err = resolve("titel: x\n").unwrap_err().to_string();
        assert!(err.contains("titel"), "{err}");
        assert!(err.contains("frontfeed.yaml:1"), "{err}");
    }

    #[test]
    fn bad_values_name_the_key() {
        for (yaml, key) in [
            ("timezone: Mars/Olympus\n", "timezone"),
            ("base_url: /blog\n", "base_url"),
            ("base_url: ftp://example.org\n", "base_url"),
            ("language: not a language\n", "language"),
            ("language: xx\n", "language"),
            ("author: {nme: x}\n", "nme"),
            ("author: [a]\n", "author"),
            ("author: {name: a, uri: not a url}\n", "author"),
            ("author: {name: a, email: nope}\n", "author"),
            ("feeds: {tag: true}\n", "tag"),
        ] {
            let err = resolve(yaml).unwrap_err().to_string();
            assert!(
                err.contains(&format!("`{key}`")) || err.contains(&format!("{key}:")),
                "{yaml}: {err}"
            );
        }
    }

    #[test]
    fn overrides_win() {
        let (c, warnings) = Config::from_yaml("limit: 5\ntimezone: UTC\n", Path::new("f"))
            .unwrap()
            .resolve(&Overrides {
                base_url: Some("http://x.test".into()),
                timezone: Some("Europe/London".into()),
                limit: Some(7),
                drafts: false,
            })
            .unwrap();
        assert_eq!(c.limit, 7);
        assert_eq!(c.timezone, chrono_tz::Europe::London);
        assert_eq!(c.base_url.as_str(), "http://x.test/");
        assert!(warnings.is_empty());
        let c = resolve("timezone: asia/shanghai\nlanguage: en_US\n").unwrap();
        assert_eq!(c.timezone, chrono_tz::Asia::Shanghai);
        assert_eq!(c.language, "en-US");
        for tag in ["zh-CN", "zh-Hans-CN", "yue-HK", "EN", "pt-BR"] {
            assert!(is_language_tag(tag), "{tag}");
        }
    }

    #[test]
    fn emails() {
        for ok in [
            "a@example.org",
            "first.last+feeds@mail.example.co.uk",
            "x_y-z@a-b.io",
        ] {
            assert!(looks_like_email(ok), "{ok}");
        }
        for bad in [
            "name",
            "a@b",
            "a@b.c",
            "a b@example.org",
            "李@例子.中国",
            "a@.org",
            "a@example..org",
        ] {
            assert!(!looks_like_email(bad), "{bad}");
        }
    }

    #[test]
    fn authors_from_text() {
        let p = Person::from_text("Lin Wei <lin@example.org>");
        assert_eq!(p.name, "Lin Wei");
        assert_eq!(p.email.as_deref(), Some("lin@example.org"));
        let p = Person::from_text("编辑部");
        assert_eq!((p.name.as_str(), p.email), ("编辑部", None));
        let p = Person::from_text("a <b> c");
        assert_eq!(p.name, "a <b> c");
    }

    #[test]
    fn missing_base_url_warns() {
        let (c, warnings) = Config::default().resolve(&Overrides::default()).unwrap();
        assert_eq!(c.base_url.as_str(), PLACEHOLDER_BASE_URL);
        assert_eq!(warnings.len(), 1);
    }
}
