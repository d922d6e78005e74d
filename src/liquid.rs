//! The few Liquid expressions Jekyll posts use to build links, expanded so the links work:
//! `{{ site.url }}`, `{{ site.baseurl }}`, `{{ site.title }}`, `{{ "/x" | relative_url }}`,
//! `{{ "/x" | absolute_url }}`, and `{% raw %}…{% endraw %}`. Everything else is left as written:
//! frontfeed is not a template engine.

use std::borrow::Cow;

use crate::config::SiteConfig;

/// The values Jekyll would give `site.url` and `site.baseurl` for our `base_url`.
#[derive(Debug)]
pub struct SiteVariables {
    /// `https://example.org` (no trailing slash).
    pub url: String,
    /// `/blog` (no trailing slash; empty at the root).
    pub baseurl: String,
    pub title: String,
}

impl SiteVariables {
    pub fn new(site: &SiteConfig) -> Self {
        let base = &site.base_url;
        let url = base.origin().ascii_serialization();
        let baseurl = base.path().trim_end_matches('/').to_string();
        SiteVariables {
            url,
            baseurl,
            title: site.title.clone(),
        }
    }

    fn relative_url(&self, path: &str) -> String {
        if path.contains("://") || path.starts_with("//") {
            return path.to_string();
        }
        format!("{}/{}", self.baseurl, path.trim_start_matches('/'))
    }

    fn evaluate(&self, expression: &str) -> Option<String> {
        let (value, filter) = match expression.split_once('|') {
            Some((v, f)) => (v.trim(), Some(f.trim())),
            None => (expression.trim(), None),
        };
        let value = match value {
            "site.url" => self.url.clone(),
            "site.baseurl" => self.baseurl.clone(),
            "site.title" => self.title.clone(),
            quoted
                if quoted.len() >= 2
                    && ((quoted.starts_with('"') && quoted.ends_with('"'))
                        || (quoted.starts_with('\'') && quoted.ends_with('\''))) =>
            {
                quoted[1..quoted.len() - 1].to_string()
            }
            _ => return None,
        };
        match filter {
            None => Some(value),
            Some("relative_url") => Some(self.relative_url(&value)),
            Some("absolute_url") => {
                let relative = self.relative_url(&value);
                if relative.starts_with('/') {
                    Some(format!("{}{relative}", self.url))
                } else {
                    Some(relative)
                }
            }
            Some(_) => None,
        }
    }
}

/// Expands the supported expressions in `body`. One pass from left to right.
pub fn expand<'a>(body: &'a str, vars: &SiteVariables) -> Cow<'a, str> {
    if !body.contains("{{") && !body.contains("{%") {
        return Cow::Borrowed(body);
    }
    let mut out = String::with_capacity(body.len());
    let mut pos = 0;
    loop {
        let raw = find_tag(&body[pos..], "raw").map(|(s, e)| (pos + s, pos + e));
        let segment_end = raw.map_or(body.len(), |(start, _)| start);
        expand_outputs(&body[pos..segment_end], vars, &mut out);
        let Some((_, raw_end)) = raw else {
            break;
        };
        // `{% raw %}…{% endraw %}`: the inside is kept as written, the tags dropped.
        match find_tag(&body[raw_end..], "endraw") {
            Some((start, end)) => {
                out.push_str(&body[raw_end..raw_end + start]);
                pos = raw_end + end;
            }
            None => {
                out.push_str(&body[raw_end..]);
                break;
            }
        }
    }
    Cow::Owned(out)
}

/// Expands `{{ … }}` outputs in a segment with no raw blocks.
fn expand_outputs(segment: &str, vars: &SiteVariables, out: &mut String) {
    let mut rest = segment;
    while let Some(open) = rest.find("{{") {
        out.push_str(&rest[..open]);
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else {
            out.push_str(&rest[open..]);
            return;
        };
        match vars.evaluate(&after[..close]) {
            Some(value) => out.push_str(&value),
            None => out.push_str(&rest[open..open + 2 + close + 2]),
        }
        rest = &after[close + 2..];
    }
    out.push_str(rest);
}

/// Finds `{% name %}` (with `{%-`/`-%}` trimming markers allowed) and returns its byte range.
fn find_tag(text: &str, name: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    while let Some(at) = text[from..].find("{%") {
        let start = from + at;
        let inner_start = start + 2;
        let close = text[inner_start..].find("%}")? + inner_start;
        let inner = text[inner_start..close].trim_matches(|c: char| c == '-' || c.is_whitespace());
        if inner == name {
            return Some((start, close + 2));
        }
        from = close + 2;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars() -> SiteVariables {
        SiteVariables {
            url: "https://example.org".into(),
            baseurl: "/blog".into(),
            title: "Site".into(),
        }
    }

    #[test]
    fn site_variables_and_url_filters() {
        let body = "[a]({{ site.baseurl }}/a.png) [b]({{site.url}}{{ site.baseurl }}/b) \
                    {{ \"/c.png\" | relative_url }} {{ 'd' | absolute_url }} {{ site.title }}";
        assert_eq!(
            expand(body, &vars()),
            "[a](/blog/a.png) [b](https://example.org/blog/b) /blog/c.png https://example.org/blog/d Site"
        );
    }

    #[test]
    fn raw_blocks_and_unknown_expressions_stay() {
        let body =
            "{% raw %}{{ site.url }}{% endraw %} {{ page.title }} {% include x.html %} {{ unclosed";
        assert_eq!(
            expand(body, &vars()),
            "{{ site.url }} {{ page.title }} {% include x.html %} {{ unclosed"
        );
        assert!(matches!(expand("plain", &vars()), Cow::Borrowed(_)));
        assert_eq!(
            expand(
                "a {% raw %}{{x}}{% endraw %} {{ site.url }} {%- raw -%}{{y}}",
                &vars()
            ),
            "a {{x}} https://example.org {{y}}"
        );
    }
}
