//! A Jekyll site's `_config.yml` read as frontfeed's configuration, so that a Jekyll site
//! needs no `frontfeed.yaml`: `url` + `baseurl`, `title`, `description`, `author`, `lang`,
//! `timezone`, `permalink`, `excerpt_separator`, `future`, `show_drafts`, and jekyll-feed's
//! `feed:` block. Every other key (themes, plugins, sass, …) is Jekyll's business and ignored.

use std::path::Path;

use serde_yaml::Value;

use crate::config::{AuthorConfig, Config, ConfigError, JekyllFeedConfig, Person};
use crate::front_matter::scalar_text;

/// True for a file that is a Jekyll configuration (`_config.yml`, `_config.dev.yaml`, …).
pub fn is_jekyll_config(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with("_config") && (n.ends_with(".yml") || n.ends_with(".yaml")))
}

fn text(map: &serde_yaml::Mapping, key: &str) -> Option<String> {
    map.get(key)
        .and_then(scalar_text)
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

fn flag(map: &serde_yaml::Mapping, key: &str) -> Option<bool> {
    match map.get(key)? {
        Value::Bool(b) => Some(*b),
        Value::String(s) => match s.trim() {
            "true" | "yes" | "on" => Some(true),
            "false" | "no" | "off" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

fn list(value: Option<&Value>) -> Option<Vec<String>> {
    match value? {
        Value::Sequence(items) => Some(items.iter().filter_map(scalar_text).collect()),
        Value::String(s) => Some(s.split_whitespace().map(str::to_owned).collect()),
        _ => None,
    }
}

/// Reads `_config.yml` text; `path` names it in messages.
///
/// # Errors
///
/// [`ConfigError::Parse`] for text that is not YAML, or not a mapping of keys to values.
pub fn from_yaml(text_in: &str, path: &Path) -> Result<Config, ConfigError> {
    let text_in = text_in.strip_prefix('\u{feff}').unwrap_or(text_in);
    let value: Value = if text_in.trim().is_empty() {
        Value::Null
    } else {
        serde_yaml::from_str(text_in).map_err(|e| ConfigError::Parse {
            path: path.to_path_buf(),
            line: e.location().map(|l| l.line()),
            message: e.to_string(),
        })?
    };
    let map = match value {
        Value::Mapping(m) => m,
        Value::Null => serde_yaml::Mapping::new(),
        _ => {
            return Err(ConfigError::Parse {
                path: path.to_path_buf(),
                line: Some(1),
                message: "a Jekyll configuration is a mapping of keys to values".into(),
            })
        }
    };
    let mut config = Config::default();
    // Jekyll's site URL is `url` + `baseurl`.
    if let Some(url) = text(&map, "url") {
        let baseurl = text(&map, "baseurl").unwrap_or_default();
        config.base_url = Some(format!(
            "{}/{}",
            url.trim_end_matches('/'),
            baseurl.trim_matches('/')
        ));
    }
    config.title = text(&map, "title").or_else(|| text(&map, "name"));
    config.description = text(&map, "description");
    config.language = text(&map, "lang");
    config.timezone = text(&map, "timezone");
    config.permalink = text(&map, "permalink");
    config.excerpt_separator = map.get("excerpt_separator").and_then(scalar_text);
    config.future = flag(&map, "future");
    config.show_drafts = flag(&map, "show_drafts");
    config.author = match map.get("author") {
        Some(Value::String(name)) if !name.trim().is_empty() => {
            Some(AuthorConfig::Name(name.trim().to_string()))
        }
        Some(Value::Mapping(author)) => text(author, "name").map(|name| {
            AuthorConfig::Person(Person {
                name,
                email: text(author, "email"),
                uri: text(author, "uri").or_else(|| text(author, "url")),
            })
        }),
        _ => None,
    };
    let feed = match map.get("feed") {
        Some(Value::Mapping(feed)) => feed.clone(),
        _ => serde_yaml::Mapping::new(),
    };
    let tags = match feed.get("tags") {
        Some(Value::Bool(true)) => Some(crate::config::JekyllTagFeeds::default()),
        Some(Value::Mapping(t)) => Some(crate::config::JekyllTagFeeds {
            only: list(t.get("only")),
            except: list(t.get("except")).unwrap_or_default(),
            path: text(t, "path"),
        }),
        _ => None,
    };
    config.jekyll_feed = Some(JekyllFeedConfig {
        path: text(&feed, "path"),
        categories: list(feed.get("categories")).unwrap_or_default(),
        tags,
        posts_limit: feed
            .get("posts_limit")
            .and_then(serde_yaml::Value::as_u64)
            .map(|n| n as usize),
        excerpt_only: flag(&feed, "excerpt_only"),
    });
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_real_looking_config() {
        let config = from_yaml(
            "title: My Blog\nurl: https://me.github.io/\nbaseurl: /blog\ntimezone: Asia/Shanghai\n\
             author: {name: Me, email: me@example.org}\nlang: zh-CN\npermalink: pretty\ntheme: minima\n\
             plugins: [jekyll-feed, jekyll-seo-tag]\nsass: {style: compressed}\n\
             feed: {path: atom.xml, categories: [news, Rust], tags: {except: [x]}, posts_limit: 20}\n",
            Path::new("_config.yml"),
        )
        .unwrap();
        assert_eq!(
            config.base_url.as_deref(),
            Some("https://me.github.io/blog")
        );
        assert_eq!(config.title.as_deref(), Some("My Blog"));
        assert_eq!(config.permalink.as_deref(), Some("pretty"));
        let feed = config.jekyll_feed.unwrap();
        assert_eq!(feed.path.as_deref(), Some("atom.xml"));
        assert_eq!(feed.categories, ["news", "Rust"]);
        assert_eq!(feed.tags.unwrap().except, ["x"]);
        assert_eq!(feed.posts_limit, Some(20));
        assert!(is_jekyll_config(Path::new("site/_config.yml")));
        assert!(!is_jekyll_config(Path::new("frontfeed.yaml")));
    }
}
