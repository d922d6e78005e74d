//! URI helpers: what counts as an absolute URI, and the strict RFC 3986 form validators want.

use std::fmt::Write;

use url::Url;

/// True when `s` starts with a URI scheme (`https:`, `mailto:`, `tag:`).
pub fn has_scheme(s: &str) -> bool {
    match s.find(':') {
        Some(i) if i > 0 => {
            let scheme = &s[..i];
            scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        _ => false,
    }
}

/// True for URLs whose scheme runs code or carries a document (`javascript:`, `data:`, …):
/// never a link or an id a reader should be handed.
pub fn has_scripting_scheme(s: &str) -> bool {
    let s = s.trim_start();
    has_scheme(s)
        && s.split(':').next().is_some_and(|scheme| {
            ["javascript", "vbscript", "data", "file"]
                .iter()
                .any(|bad| scheme.eq_ignore_ascii_case(bad))
        })
}

/// An absolute URI as RFC 3986 reads one: a scheme, `:`, and no spaces.
pub fn is_absolute_uri(s: &str) -> bool {
    has_scheme(s)
        && s.split_once(':').is_some_and(|(_, rest)| !rest.is_empty())
        && !s.chars().any(char::is_whitespace)
        && Url::parse(s).is_ok()
}

/// Percent-encodes the characters the URL standard leaves alone but RFC 3986 (and so feed
/// validators) do not allow: `|`, `^`, `[`, `]` outside the host, `{`, `}`, `\\`, backtick.
pub fn strict_uri(url: &str) -> String {
    let path_start = url
        .find("://")
        .map(|i| i + 3)
        .and_then(|host| url[host..].find('/').map(|p| host + p))
        .unwrap_or(url.len());
    let (head, tail) = url.split_at(path_start);
    let mut out = String::with_capacity(url.len());
    out.push_str(head);
    let mut in_path = true;
    for c in tail.chars() {
        if c == '?' || c == '#' {
            in_path = false;
        }
        match c {
            '|' | '^' | '[' | ']' | '{' | '}' | '\\' | '`' | '"' | '<' | '>' | ' ' => {
                let _ = write!(out, "%{:02X}", c as u32);
            }
            // In a path `&` means nothing, but readers that take links as HTML would read
            // `&amp;` in it as `&`: encoding it keeps every reader on the same URL.
            '&' if in_path => out.push_str("%26"),
            _ => out.push(c),
        }
    }
    out
}

/// `reference` joined to `base` as the URL parser joins them, worked out by joining strings,
/// when both are plain enough that the parser would change nothing in them: an `http(s)`
/// base with a lowercase name for host, no port, query or fragment, and a reference with no
/// scheme, host, dot segment, or character the parser would encode or drop. `None` for
/// anything else (the caller parses). Parsing was a twentieth of a build's CPU on a site
/// whose posts link their own images relatively; a test compares both ways on generated
/// bases and references.
pub fn join_plain(base: &str, reference: &str) -> Option<String> {
    PlainBase::of(base)?.join(reference)
}

/// A base URL that [`join_plain`] can join to: checked once, for joining every reference of
/// a post to it.
#[derive(Debug, Clone, Copy)]
pub struct PlainBase<'a> {
    link: &'a str,
    /// `https://host`, then the path.
    origin: &'a str,
    path: &'a str,
}

impl<'a> PlainBase<'a> {
    /// `base`, when it is plain enough (see [`join_plain`]).
    pub fn of(base: &'a str) -> Option<PlainBase<'a>> {
        let (origin, path) = plain_base(base)?;
        Some(PlainBase {
            link: base,
            origin,
            path,
        })
    }

    /// [`join_plain`] of this base and `reference`.
    pub fn join(&self, reference: &str) -> Option<String> {
        if !plain_reference(reference) {
            return None;
        }
        let mut joined = String::with_capacity(self.link.len() + reference.len());
        match reference.as_bytes().first() {
            Some(b'/') => joined.push_str(self.origin),
            Some(b'?' | b'#') => joined.push_str(self.link),
            _ => {
                joined.push_str(self.origin);
                joined.push_str(&self.path[..=self.path.rfind('/')?]);
            }
        }
        joined.push_str(reference);
        Some(joined)
    }
}

/// Bytes the URL parser keeps as they are in the path, query and fragment of an `http(s)`
/// URL (`%` is checked apart: it must start an escape).
fn plain_url_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b'-' | b'.'
                | b'_'
                | b'~'
                | b'/'
                | b'!'
                | b'$'
                | b'&'
                | b'('
                | b')'
                | b'*'
                | b'+'
                | b','
                | b';'
                | b'='
                | b'@'
                | b'%'
        )
}

/// Plain URL text: only [`plain_url_byte`]s, every `%` followed by two hex digits, and no
/// `%2e` (an escaped dot, which can make a dot segment).
fn plain_url_text(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().all(|(i, &b)| {
        plain_url_byte(b)
            && (b != b'%'
                || matches!(
                    (bytes.get(i + 1), bytes.get(i + 2)),
                    (Some(h), Some(l)) if h.is_ascii_hexdigit() && l.is_ascii_hexdigit()
                        && !(*h == b'2' && (*l == b'e' || *l == b'E'))
                ))
    })
}

/// A path without `.` or `..` segments (which the parser removes).
fn no_dot_segments(path: &str) -> bool {
    path.split('/')
        .all(|segment| segment != "." && segment != "..")
}

/// An `http(s)` URL as the parser would write it back unchanged, split into its origin
/// (`https://host`) and its path.
fn plain_base(link: &str) -> Option<(&str, &str)> {
    let rest = link
        .strip_prefix("https://")
        .or_else(|| link.strip_prefix("http://"))?;
    let host_end = rest.find('/')?;
    let host = &rest[..host_end];
    let path = &rest[host_end..];
    // A lowercase registered name: no port, user, IP address (a last label that starts
    // with a digit may be one), punycode, or empty label.
    let last_label = host.rsplit('.').next()?;
    let plain_host = host
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
        && last_label.starts_with(|c: char| c.is_ascii_lowercase())
        && !host.starts_with('.')
        && !host.contains("..")
        && !host.contains("xn--");
    let origin_len = link.len() - rest.len() + host_end;
    (plain_host && plain_url_text(path) && no_dot_segments(path))
        .then(|| (&link[..origin_len], path))
}

/// A relative reference the parser would join without changing it: a path (not `//host`),
/// a query or a fragment, in plain URL text, with no dot segment.
fn plain_reference(reference: &str) -> bool {
    if reference.is_empty() || reference.starts_with("//") {
        return false;
    }
    let (path, rest) = split_path(reference);
    plain_url_text(path) && no_dot_segments(path) && plain_query_and_fragment(rest)
}

/// An absolute `http(s)` URL the parser reads without error and writes back unchanged, by
/// the rules of [`join_plain`]: a lowercase name for host, no port, and plain text after
/// it. `false` for anything else (the caller parses). Absolute links in a post need no
/// parse then: their text is kept as written anyway.
pub fn is_plain_absolute(url: &str) -> bool {
    let (head, rest) = split_path(url);
    plain_base(head).is_some() && plain_query_and_fragment(rest)
}

/// `reference` split before its `?` or `#`.
fn split_path(reference: &str) -> (&str, &str) {
    reference.split_at(reference.find(['?', '#']).unwrap_or(reference.len()))
}

/// What follows a path, `?query` and/or `#fragment`, in plain text.
fn plain_query_and_fragment(rest: &str) -> bool {
    rest.split(['?', '#']).skip(1).all(plain_url_text)
        && rest.matches('?').count() + rest.matches('#').count() <= 2
}

/// A stable `urn:uuid:` (a version 5, name-based UUID) for ids that are not URIs themselves.
pub fn name_based_urn(name: &str) -> String {
    let uuid = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, name.as_bytes());
    format!("urn:uuid:{uuid}")
}

/// Characters RFC 3986 allows in a URI (escapes as `%XX`).
fn is_uri_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || ";/?:@&=+$.-_!~*'()%,#".contains(c)
}

/// True for an id that feed validators accept as an Atom id: an absolute URI of plain
/// RFC 3986 characters; `urn:` and `tag:` ids must also follow their own syntax.
pub fn is_valid_feed_id(id: &str) -> bool {
    if !is_absolute_uri(id) || !id.chars().all(is_uri_char) || has_scripting_scheme(id) {
        return false;
    }
    if let Some(rest) = id.strip_prefix("urn:") {
        // urn:<NID>:<NSS>, RFC 8141.
        let Some((nid, nss)) = rest.split_once(':') else {
            return false;
        };
        return (2..=32).contains(&nid.len())
            && nid.starts_with(|c: char| c.is_ascii_alphanumeric())
            && nid.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !nss.is_empty()
            && nss
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "()+,.:=@;$_!*'-%".contains(c));
    }
    if let Some(rest) = id.strip_prefix("tag:") {
        // tag:<authority>,<date>:<specific>, RFC 4151.
        let Some((authority, rest)) = rest.split_once(',') else {
            return false;
        };
        let Some((date, specific)) = rest.split_once(':') else {
            return false;
        };
        let date_ok = matches!(date.len(), 4 | 7 | 10)
            && date.chars().enumerate().all(|(i, c)| {
                if i == 4 || i == 7 {
                    c == '-'
                } else {
                    c.is_ascii_digit()
                }
            });
        return !authority.is_empty() && date_ok && !specific.is_empty();
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_uris() {
        assert_eq!(
            strict_uri("https://example.org/a|b/[c]^d"),
            "https://example.org/a%7Cb/%5Bc%5D%5Ed"
        );
        assert_eq!(strict_uri("https://[::1]/x"), "https://[::1]/x");
        assert_eq!(
            strict_uri("https://e.org/a&b/?c=1&d=2"),
            "https://e.org/a%26b/?c=1&d=2"
        );
    }

    #[test]
    fn feed_ids() {
        for ok in [
            "https://example.org/a.html",
            "https://example.org/a.html#b-md",
            "tag:example.org,2022:17",
            "tag:example.org,2022-02-10:post/17",
            "urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66",
            "urn:isbn:0451450523",
            "mailto:a@example.org",
        ] {
            assert!(is_valid_feed_id(ok), "{ok}");
        }
        for bad in [
            "post-17",
            "123",
            "urn:x:a[b]",
            "urn:uuid",
            "tag:example.org:17",
            "tag:example.org,22:17",
            "https://example.org/a b",
            "https://example.org/{x}",
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "data:text/html,x",
        ] {
            assert!(!is_valid_feed_id(bad), "{bad}");
        }
    }
}
