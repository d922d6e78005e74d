//! Jekyll-style permalink patterns (`/:categories/:year/:month/:day/:title.html`).

use chrono::{Datelike, NaiveDateTime, Timelike};

/// What a pattern's placeholders are filled from.
#[derive(Debug, Clone, Copy)]
pub struct PermalinkVars<'a> {
    /// The post's date as written (its own offset), as Jekyll uses it.
    pub written: NaiveDateTime,
    /// The post's slug (from `slug:` or the file name).
    pub slug: &'a str,
    /// Category slugs, in the post's order.
    pub categories: &'a [String],
}

/// Jekyll's named permalink styles.
fn builtin_style(pattern: &str) -> Option<&'static str> {
    Some(match pattern {
        "date" => "/:categories/:year/:month/:day/:title:output_ext",
        "pretty" => "/:categories/:year/:month/:day/:title/",
        "ordinal" => "/:categories/:year/:y_day/:title:output_ext",
        "weekdate" => "/:categories/:year/W:week/:short_day/:title:output_ext",
        "none" => "/:categories/:title:output_ext",
        _ => return None,
    })
}

/// Placeholder names, longest first so that `:short_year` wins over a shorter prefix.
const PLACEHOLDERS: &[&str] = &[
    "short_month",
    "short_year",
    "categories",
    "output_ext",
    "long_month",
    "short_day",
    "long_day",
    "i_month",
    "minute",
    "second",
    "i_day",
    "y_day",
    "title",
    "month",
    "slug",
    "year",
    "hour",
    "week",
    "day",
];

/// Expands a pattern into a URL path that starts with `/`. Unknown placeholders are kept as
/// written. Empty segments (no categories) collapse, as in Jekyll.
pub fn expand(pattern: &str, vars: &PermalinkVars<'_>) -> String {
    let pattern = builtin_style(pattern).unwrap_or(pattern);
    let d = vars.written;
    let mut out = String::with_capacity(pattern.len() + 32);
    let mut rest = pattern;
    while let Some(colon) = rest.find(':') {
        out.push_str(&rest[..colon]);
        let after = &rest[colon + 1..];
        match PLACEHOLDERS.iter().find(|name| after.starts_with(**name)) {
            Some(name) => {
                let value = match *name {
                    "year" => format!("{:04}", d.year()),
                    "short_year" => format!("{:02}", d.year() % 100),
                    "month" => format!("{:02}", d.month()),
                    "i_month" => d.month().to_string(),
                    "short_month" => d.format("%b").to_string(),
                    "long_month" => d.format("%B").to_string(),
                    "day" => format!("{:02}", d.day()),
                    "i_day" => d.day().to_string(),
                    "y_day" => format!("{:03}", d.ordinal()),
                    "short_day" => d.format("%a").to_string(),
                    "long_day" => d.format("%A").to_string(),
                    "week" => format!("{:02}", d.iso_week().week()),
                    "hour" => format!("{:02}", d.hour()),
                    "minute" => format!("{:02}", d.minute()),
                    "second" => format!("{:02}", d.second()),
                    "title" | "slug" => vars.slug.to_string(),
                    "categories" => vars.categories.join("/"),
                    "output_ext" => ".html".to_string(),
                    _ => unreachable!("every name in PLACEHOLDERS has a value"),
                };
                out.push_str(&value);
                rest = &after[name.len()..];
            }
            None => {
                out.push(':');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    collapse_slashes(&out)
}

fn collapse_slashes(path: &str) -> String {
    let mut out = String::with_capacity(path.len() + 1);
    if !path.starts_with('/') {
        out.push('/');
    }
    let mut previous_slash = false;
    for c in path.chars() {
        if c == '/' && previous_slash {
            continue;
        }
        previous_slash = c == '/';
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn vars<'a>(categories: &'a [String]) -> PermalinkVars<'a> {
        PermalinkVars {
            written: NaiveDate::from_ymd_opt(2022, 2, 10)
                .unwrap()
                .and_hms_opt(17, 7, 4)
                .unwrap(),
            slug: "digital-economy",
            categories,
        }
    }

    #[test]
    fn default_pattern() {
        let cats = vec!["dajiangwang".to_string()];
        assert_eq!(
            expand("/:categories/:year/:month/:day/:title.html", &vars(&cats)),
            "/dajiangwang/2022/02/10/digital-economy.html"
        );
        assert_eq!(
            expand("/:categories/:year/:month/:day/:title.html", &vars(&[])),
            "/2022/02/10/digital-economy.html"
        );
    }

    #[test]
    fn styles_and_placeholders() {
        let cats = vec!["a".to_string(), "b".to_string()];
        assert_eq!(
            expand("pretty", &vars(&cats)),
            "/a/b/2022/02/10/digital-economy/"
        );
        assert_eq!(expand("none", &vars(&cats)), "/a/b/digital-economy.html");
        assert_eq!(
            expand("ordinal", &vars(&[])),
            "/2022/041/digital-economy.html"
        );
        assert_eq!(
            expand(
                "blog/:short_year/:i_month/:i_day/:hour:minute:second-:slug",
                &vars(&[])
            ),
            "/blog/22/2/10/170704-digital-economy"
        );
        assert_eq!(
            expand("/:unknown/:title", &vars(&[])),
            "/:unknown/digital-economy"
        );
    }
}
