//! Render: an entry's body as a feed carries it. Three steps, one module each: [`liquid`]
//! runs the post's Liquid as Jekyll does, [`markdown`] renders the Markdown as Jekyll's
//! kramdown does, and [`crate::html`] sanitizes the HTML, makes every URL absolute and collects
//! the summary's text, in one pass.

use std::borrow::Cow;
use std::collections::HashMap;

use crate::config::SiteConfig;
use crate::diagnostics::Severity;
use crate::entry::{BodyFormat, EntryMeta, PostText};
use crate::html::sanitize::Sanitizer;
use crate::html::{content_html, plain_text, Base, RewriteError};
use crate::text::{truncate_chars, xml_safe};

pub mod liquid;
pub mod markdown;

use liquid::{LiquidEngine, Page};

/// An entry's body, ready for a feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// Full HTML with absolute URLs and no characters XML forbids.
    pub html: String,
    /// Plain text: the front matter excerpt, else the body up to the excerpt separator, else
    /// the first paragraph; cut to length.
    pub summary: String,
}

/// Why a body could not be rendered (the entry is then written with its text escaped).
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error(transparent)]
    Html(#[from] RewriteError),
    /// A renderer panicked (a bug in it or in a library it uses).
    #[error("internal error")]
    Internal,
}

/// A body (or part of one) as HTML: Markdown is rendered, HTML is borrowed as it is. The
/// warnings name the kramdown syntax the Markdown renderer dropped or guessed at.
fn body_html(text: &str, format: BodyFormat) -> (Cow<'_, str>, Vec<String>) {
    match format {
        BodyFormat::Markdown => {
            let (html, warnings) = markdown::to_html(text);
            (Cow::Owned(html), warnings)
        }
        BodyFormat::Html => (Cow::Borrowed(text), Vec::new()),
    }
}

/// Something rendering left out, guessed or could not do (a Liquid tag, a URL dropped, text
/// removed by sanitizing, markup kept as text), at its line of the post file when it could be
/// found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderNote {
    pub severity: Severity,
    pub line: Option<usize>,
    pub message: String,
}

/// Renders entries: one per build, shared by the render threads.
#[derive(Debug)]
pub struct Renderer {
    /// `None` only where no post can use Liquid (benchmarks of the later stages).
    liquid: Option<LiquidEngine>,
    summary_length: usize,
    /// `None` when the site turned sanitization off.
    sanitizer: Option<Sanitizer>,
}

impl Renderer {
    /// A renderer that runs no Liquid.
    pub fn new(site: &SiteConfig) -> Self {
        Renderer {
            liquid: None,
            summary_length: site.summary_length,
            sanitizer: site.sanitize.then(Sanitizer::new),
        }
    }

    /// A renderer that runs each post's Liquid with `liquid` first.
    pub fn with_liquid(site: &SiteConfig, liquid: LiquidEngine) -> Self {
        Renderer {
            liquid: Some(liquid),
            ..Renderer::new(site)
        }
    }

    /// What a cached rendering of a post with Liquid depends on besides the post.
    pub fn liquid_fingerprint(&self) -> u64 {
        self.liquid.as_ref().map_or(0, LiquidEngine::fingerprint)
    }

    /// Renders an entry: Liquid, body to HTML, sanitized, URLs resolved against the entry's
    /// permalink, summary. What was left out or guessed comes back beside it.
    pub fn render(
        &self,
        meta: &EntryMeta,
        post: &PostText,
        path: &std::path::Path,
    ) -> Result<(Rendered, Vec<RenderNote>), RenderError> {
        let summary_length = self.summary_length;
        let mut notes = Vec::new();
        let liquid_output = self.liquid.as_ref().and_then(|engine| {
            engine.render(
                &post.body,
                &Page {
                    meta,
                    front_matter: &post.front_matter,
                    path,
                    body_line: post.body_line,
                },
            )
        });
        let body: Cow<'_, str> = match liquid_output {
            Some(output) => {
                for w in output.warnings {
                    notes.push(RenderNote {
                        severity: Severity::Warning,
                        line: w.line,
                        message: w.message,
                    });
                }
                if let Some(e) = output.error {
                    notes.push(RenderNote {
                        severity: Severity::Error,
                        line: e.line,
                        message: e.message,
                    });
                }
                Cow::Owned(output.text)
            }
            None => Cow::Borrowed(post.body.as_str()),
        };
        let before_separator = meta
            .excerpt_separator
            .as_deref()
            .and_then(|sep| body.split_once(sep))
            .map(|(head, _)| plain_text(&body_html(head, meta.body_format).0))
            .filter(|text| !text.is_empty());
        let (html, markdown_warnings) = body_html(&body, meta.body_format);
        let mut markdown_lines = LineFinder::new(&post.body);
        notes.extend(markdown_warnings.into_iter().map(|message| {
            RenderNote {
                severity: Severity::Warning,
                line: markdown_lines
                    .line(&markdown_needles(&message))
                    .map(|line| line + post.body_line - 1),
                message,
            }
        }));
        let content = content_html(
            &html,
            &Base::new(&meta.link),
            self.sanitizer.as_ref(),
            summary_length.saturating_mul(4).max(400),
        )?;
        let summary_text = match (&meta.excerpt, before_separator) {
            (Some(excerpt), _) => excerpt.clone(),
            (None, Some(text)) => text,
            (None, None) => {
                // `truncate_chars` reads no further than one character past the summary (all
                // of it when the summary has no limit).
                let paragraph = match summary_length {
                    0 => content.first_paragraph(),
                    limit => content.first_paragraph_at_least(limit.saturating_add(1)),
                };
                if paragraph.is_empty() {
                    content.all_text()
                } else {
                    paragraph
                }
            }
        };
        let mut lines = LineFinder::new(&post.body);
        notes.extend(content.warnings.into_iter().map(|found| {
            RenderNote {
                severity: Severity::Warning,
                // Lines found in the body are lines of the file after its front matter.
                line: lines
                    .line(&found.needles)
                    .map(|line| line + post.body_line - 1),
                message: found.message,
            }
        }));
        Ok((
            Rendered {
                html: crate::text::into_xml_safe(content.html),
                summary: xml_safe(&truncate_chars(&summary_text, summary_length)).into_owned(),
            },
            notes,
        ))
    }
}

/// Finds the line of a warning's markup in the post's body. Each needle is searched for
/// after its previous match, so the second `<style>` reported is the second one written.
/// What a Markdown warning is about, to find in the post: the text it quotes in backticks
/// (`{:toc}`, an attribute list), or the option it names (`hard_wrap=`).
fn markdown_needles(message: &str) -> Vec<String> {
    let mut needles = Vec::new();
    if let Some(quoted) = message.split('`').nth(1) {
        needles.push(quoted.to_string());
    }
    if let Some(option) = message
        .split_once("option ")
        .and_then(|(_, rest)| rest.split_once('='))
    {
        needles.push(format!("{}=", option.0));
    }
    needles
}

struct LineFinder<'a> {
    text: &'a str,
    /// Byte offsets where lines start, computed on the first search.
    line_starts: Vec<usize>,
    cursors: HashMap<String, usize>,
}

impl<'a> LineFinder<'a> {
    fn new(text: &'a str) -> Self {
        LineFinder {
            text,
            line_starts: Vec::new(),
            cursors: HashMap::new(),
        }
    }

    fn line(&mut self, needles: &[String]) -> Option<usize> {
        for needle in needles.iter().filter(|n| !n.is_empty()) {
            let mut at = self.cursors.get(needle).copied().unwrap_or(0);
            while let Some(found) = self.text[at..].find(needle.as_str()) {
                let pos = at + found;
                at = pos + needle.len();
                // A mention in inline code (`<title>`) is not the markup itself.
                if self.text[..pos].ends_with('`') {
                    continue;
                }
                self.cursors.insert(needle.clone(), at);
                if self.line_starts.is_empty() {
                    self.line_starts.push(0);
                    self.line_starts
                        .extend(memchr::memchr_iter(b'\n', self.text.as_bytes()).map(|i| i + 1));
                }
                return Some(self.line_starts.partition_point(|&start| start <= pos));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warnings_find_their_line_in_the_post() {
        let body = "Intro with `<style>` in code.\n\n<style>p{}</style>\n\n[x](URL:https://e.org/)\n\n<style>q{}</style>\n";
        let mut lines = LineFinder::new(body);
        assert_eq!(lines.line(&["<style>".into()]), Some(3));
        assert_eq!(
            lines.line(&[
                "<a href=\"URL:https://e.org/\">".into(),
                "URL:https://e.org/".into()
            ]),
            Some(5)
        );
        assert_eq!(lines.line(&["<style>".into()]), Some(7));
        assert_eq!(lines.line(&["<style>".into()]), None);
        assert_eq!(lines.line(&[]), None);
    }
}
