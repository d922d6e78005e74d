//! Jekyll's Liquid filters: `relative_url` and `absolute_url` for now; the rest of Jekyll's
//! set follows.

use liquid_core::parser::FilterArguments;
use liquid_core::{
    Display_filter, Filter, FilterReflection, ParseFilter, Result, Runtime, Value, ValueView,
};

/// What filters need from the site.
#[derive(Clone)]
pub struct FilterContext {
    /// `site.url`, e.g. `https://example.org` (no trailing slash); may be empty.
    pub url: String,
    /// `site.baseurl`, e.g. `/blog` or empty.
    pub baseurl: String,
    pub timezone: chrono_tz::Tz,
    pub markdownify: fn(&str) -> String,
}

fn is_absolute(input: &str) -> bool {
    input.contains("://") || input.starts_with("//")
}

/// `relative_url` (no origin) or `absolute_url` (with the site's origin).
#[derive(Clone, FilterReflection)]
#[filter(
    name = "relative_url",
    description = "the site's base URL in front of a path",
    parsed(UrlFilter)
)]
pub struct UrlFilterParser {
    /// `None` for `relative_url`.
    origin: Option<String>,
    baseurl: String,
}

/// The same parser registered as `absolute_url`.
#[derive(Clone, FilterReflection)]
#[filter(
    name = "absolute_url",
    description = "the site's URL in front of a path",
    parsed(UrlFilter)
)]
pub struct AbsoluteUrlParser(UrlFilterParser);

impl ParseFilter for UrlFilterParser {
    fn parse(&self, _: FilterArguments<'_>) -> Result<Box<dyn Filter>> {
        Ok(Box::new(UrlFilter {
            origin: self.origin.clone(),
            baseurl: self.baseurl.clone(),
        }))
    }
    fn reflection(&self) -> &dyn FilterReflection {
        self
    }
}

impl ParseFilter for AbsoluteUrlParser {
    fn parse(&self, arguments: FilterArguments<'_>) -> Result<Box<dyn Filter>> {
        self.0.parse(arguments)
    }
    fn reflection(&self) -> &dyn FilterReflection {
        self
    }
}

#[derive(Debug, Display_filter)]
#[name = "url"]
struct UrlFilter {
    origin: Option<String>,
    baseurl: String,
}

impl Filter for UrlFilter {
    fn evaluate(&self, input: &dyn ValueView, _: &dyn Runtime) -> Result<Value> {
        let input = input.to_kstr();
        if is_absolute(&input) {
            return Ok(Value::scalar(input.to_string()));
        }
        let path = format!("{}/{}", self.baseurl, input.trim_start_matches('/'));
        Ok(Value::scalar(match &self.origin {
            Some(origin) => format!("{origin}{path}"),
            None => path,
        }))
    }
}

/// Jekyll's filters.
pub fn jekyll_filters(context: &FilterContext) -> Vec<Box<dyn ParseFilter>> {
    let relative = UrlFilterParser {
        origin: None,
        baseurl: context.baseurl.clone(),
    };
    let absolute = AbsoluteUrlParser(UrlFilterParser {
        origin: Some(context.url.clone()),
        baseurl: context.baseurl.clone(),
    });
    vec![Box::new(relative), Box::new(absolute)]
}
