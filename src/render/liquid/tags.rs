//! Jekyll's own tags: `post_url`, `link`, `highlight`, `include` and `include_relative`.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, Weak};

use liquid_core::error::ResultLiquidReplaceExt;
use liquid_core::model::{KString, Object, Value, ValueView};
use liquid_core::parser::TryMatchToken;
use liquid_core::runtime::{StackFrame, Template};
use liquid_core::{
    BlockReflection, Expression, Language, ParseBlock, ParseTag, Renderable, Result, Runtime,
    TagBlock, TagReflection, TagTokenIter,
};

use super::runtime::{limit_error, with_state};

/// How deep includes may nest (an include that includes itself stops here).
pub const MAX_INCLUDE_DEPTH: usize = 10;
/// The largest include file read.
const MAX_INCLUDE_BYTES: u64 = 1024 * 1024;

fn warn(message: String) {
    with_state(|s| s.warnings.push(message));
}

/// The links of the site's posts, by the names `post_url` and `link` use.
#[derive(Debug, Default)]
pub struct PostIndex {
    /// `2020-01-01-name`, `sub/2020-01-01-name` (folders inside `_posts`) and
    /// `news/2020-01-01-name` (folders above it) → link.
    pub by_name: HashMap<String, String>,
    /// The post's path from the site's folder (`_posts/2020-01-01-name.md`) → link.
    pub by_path: HashMap<String, String>,
    /// The site's folder, where `link` finds a page or a file that is no post.
    pub site_dir: Option<std::path::PathBuf>,
    /// Pages' URLs end with `/` (the site's permalink does: `pretty`).
    pub pretty_pages: bool,
}

impl PostIndex {
    /// The URL Jekyll gives the page or file at `path` in the site's folder, if there is one:
    /// its front matter's `permalink` (one without placeholders), else its path, with
    /// `index.md` as its folder, Markdown and HTML pages ending in `.html` (or `/` for a
    /// `pretty` site), and a file without front matter copied as it is.
    pub fn page_url(&self, path: &str) -> Option<String> {
        let site_dir = self.site_dir.as_ref()?;
        if path.is_empty() || path.split('/').any(|part| part == ".." || part.is_empty()) {
            return None;
        }
        let file = site_dir.join(path);
        if !file.is_file() {
            return None;
        }
        let (stem_path, ext) = match path.rsplit_once('.') {
            Some((stem, ext)) if !ext.contains('/') => (stem, ext.to_ascii_lowercase()),
            _ => (path, String::new()),
        };
        let page = matches!(
            ext.as_str(),
            "md" | "markdown" | "mkd" | "mkdn" | "html" | "htm"
        );
        let mut head = [0u8; 4096];
        let read = std::fs::File::open(&file)
            .and_then(|mut f| std::io::Read::read(&mut f, &mut head))
            .unwrap_or(0);
        let head = String::from_utf8_lossy(&head[..read]);
        let front_matter = head.strip_prefix("---").filter(|_| page);
        let Some(front_matter) = front_matter else {
            return Some(format!("/{path}"));
        };
        let permalink = front_matter
            .lines()
            .skip(1)
            .take_while(|line| line.trim_end() != "---")
            .find_map(|line| line.strip_prefix("permalink:"))
            .map(|p| p.trim().trim_matches(['"', '\'']).to_string())
            .filter(|p| p.starts_with('/') && !p.contains(':'));
        if let Some(permalink) = permalink {
            return Some(permalink);
        }
        Some(match stem_path.rsplit_once('/') {
            Some((folder, "index")) => format!("/{folder}/"),
            None if stem_path == "index" => "/".to_string(),
            _ if self.pretty_pages => format!("/{stem_path}/"),
            _ => format!("/{stem_path}.html"),
        })
    }
}

impl PostIndex {
    /// Adds a post found at `relative` (inside the posts folder), whose site path is
    /// `site_path` (the same, or with the posts folder's name in front).
    pub fn add(&mut self, relative: &str, site_path: &str, link: &str) {
        self.by_path
            .entry(site_path.to_string())
            .or_insert_with(|| link.to_string());
        let without_ext = match relative.rfind('.') {
            Some(dot) if dot > relative.rfind('/').map_or(0, |s| s + 1) => &relative[..dot],
            _ => relative,
        };
        let mut names = vec![without_ext.to_string()];
        if let Some(i) = without_ext.find("_posts/") {
            let (above, below) = (&without_ext[..i], &without_ext[i + "_posts/".len()..]);
            names.push(below.to_string());
            names.push(format!("{above}{below}"));
        }
        if let Some(file) = without_ext.rsplit('/').next() {
            names.push(file.to_string());
        }
        for name in names {
            self.by_name.entry(name).or_insert_with(|| link.to_string());
        }
    }
}

/// `https://e.org/blog/x.html` → `/blog/x.html`.
fn root_relative(link: &str) -> &str {
    match link.find("://") {
        Some(i) => link[i + 3..].find('/').map_or("/", |p| &link[i + 3 + p..]),
        None => link,
    }
}

/// Reads the first argument of a tag as a string expression (literal or variable).
fn first_expression(arguments: &mut TagTokenIter<'_>) -> Result<Expression> {
    let token = arguments.expect_next("a name or a path")?;
    match token.expect_value() {
        TryMatchToken::Matches(expression) => Ok(expression),
        TryMatchToken::Fails(token) => Ok(Expression::with_literal(token.as_str().to_string())),
    }
}

fn evaluate_text(expression: &Expression, runtime: &dyn Runtime) -> Result<String> {
    Ok(expression
        .evaluate(runtime)?
        .render()
        .to_string()
        .trim()
        .to_string())
}

/// `{% post_url 2020-01-01-name %}` and `{% link _posts/2020-01-01-name.md %}`: the post's
/// URL from the site's root, as Jekyll gives it (`/blog/2020/01/01/name.html`: posts write
/// `{{ site.url }}{% post_url … %}` too); the render stage makes it absolute.
#[derive(Debug, Clone)]
pub struct PostLinkTag {
    pub name: &'static str,
    pub index: Arc<PostIndex>,
}

impl TagReflection for PostLinkTag {
    fn tag(&self) -> &str {
        self.name
    }
    fn description(&self) -> &str {
        "the link of a post"
    }
}

impl ParseTag for PostLinkTag {
    fn parse(&self, mut arguments: TagTokenIter<'_>, _: &Language) -> Result<Box<dyn Renderable>> {
        let target = first_expression(&mut arguments)?;
        Ok(Box::new(PostLink {
            by_path: self.name == "link",
            target,
            index: Arc::clone(&self.index),
        }))
    }
    fn reflection(&self) -> &dyn TagReflection {
        self
    }
}

#[derive(Debug)]
struct PostLink {
    by_path: bool,
    target: Expression,
    index: Arc<PostIndex>,
}

impl Renderable for PostLink {
    fn render_to(&self, writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        let target = evaluate_text(&self.target, runtime)?;
        let key = target.trim_start_matches('/');
        let found = if self.by_path {
            self.index.by_path.get(key)
        } else {
            self.index.by_name.get(key)
        };
        let page = (found.is_none() && self.by_path)
            .then(|| self.index.page_url(key))
            .flatten();
        match (found, page) {
            (Some(link), _) => write!(writer, "{}", root_relative(link)).replace("cannot write")?,
            (None, Some(url)) => write!(writer, "{url}").replace("cannot write")?,
            (None, None) => warn(format!(
                "`{{% {} {target} %}}` names no post or page of this site; left out",
                if self.by_path { "link" } else { "post_url" }
            )),
        }
        Ok(())
    }
}

/// `{% highlight ruby linenos %}…{% endhighlight %}`: the code, its Liquid run (as Jekyll
/// does) and then escaped, in `<pre><code class="language-ruby">`, as Jekyll writes it without
/// the colours; line numbers are left out.
#[derive(Debug, Clone, Copy)]
pub struct HighlightBlock;

impl BlockReflection for HighlightBlock {
    fn start_tag(&self) -> &str {
        "highlight"
    }
    fn end_tag(&self) -> &str {
        "endhighlight"
    }
    fn description(&self) -> &str {
        "a code block"
    }
}

impl ParseBlock for HighlightBlock {
    fn parse(
        &self,
        mut arguments: TagTokenIter<'_>,
        mut tokens: TagBlock<'_, '_>,
        options: &Language,
    ) -> Result<Box<dyn Renderable>> {
        let language = match arguments.next() {
            Some(token) => match token.expect_literal() {
                TryMatchToken::Matches(value) => value.to_kstr().to_string(),
                TryMatchToken::Fails(token) => token.as_str().to_string(),
            },
            None => String::new(),
        };
        // Options (`linenos`, `mark_lines="1 2"`) change only the colours and numbers.
        for _ in arguments.by_ref() {}
        let code = Template::new(tokens.parse_all(options)?);
        tokens.assert_empty();
        Ok(Box::new(Highlight { language, code }))
    }
    fn reflection(&self) -> &dyn BlockReflection {
        self
    }
}

#[derive(Debug)]
struct Highlight {
    language: String,
    code: Template,
}

impl Renderable for Highlight {
    fn render_to(&self, writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        let mut code = Vec::new();
        self.code.render_to(&mut code, runtime)?;
        let code = String::from_utf8_lossy(&code);
        // Jekyll strips the code's leading and trailing blank lines.
        let code = code.trim_matches(['\n', '\r']).trim_end();
        let code = html_escape::encode_text(code);
        let language: String = self
            .language
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || "+#_-.".contains(*c))
            .collect();
        // Starts a line and is one `<pre>` element: Markdown then leaves it alone, blank lines
        // in the code included.
        let out = if language.is_empty() {
            format!("\n<pre><code>{code}</code></pre>\n")
        } else {
            format!(
                "\n<pre><code class=\"language-{language}\" data-lang=\"{language}\">{code}</code></pre>\n"
            )
        };
        writer.write_all(out.as_bytes()).replace("cannot write")?;
        Ok(())
    }
}

/// Where includes are read from, and the templates already parsed.
pub struct IncludeFiles {
    /// `_includes` inside the site's folder (its canonical path), when it exists.
    pub includes_dir: Option<PathBuf>,
    /// The site's folder (canonical), which `include_relative` may not leave.
    pub site_dir: Option<PathBuf>,
    /// Set once the language exists. Weak: the language holds the include tags, which hold
    /// these files, and a strong reference back would keep both alive forever (a leak on
    /// every rebuild of `frontfeed watch`).
    pub language: OnceLock<Weak<Language>>,
    parsed: Mutex<HashMap<PathBuf, Arc<ParsedInclude>>>,
}

/// An include file, parsed.
#[derive(Debug)]
struct ParsedInclude {
    template: Template,
    /// The `x` of every `include.x` it reads.
    keys: Vec<String>,
}

impl std::fmt::Debug for IncludeFiles {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IncludeFiles")
            .field("includes_dir", &self.includes_dir)
            .field("site_dir", &self.site_dir)
            .finish_non_exhaustive()
    }
}

impl IncludeFiles {
    pub fn new(site_dir: Option<PathBuf>) -> Self {
        let site_dir = site_dir.and_then(|d| d.canonicalize().ok());
        let includes_dir = site_dir
            .as_ref()
            .map(|d| d.join("_includes"))
            .filter(|d| d.is_dir());
        IncludeFiles {
            includes_dir,
            site_dir,
            language: OnceLock::new(),
            parsed: Mutex::new(HashMap::new()),
        }
    }

    /// The file `name` names under `base`, if it stays inside `fence` (no `..`, no absolute
    /// path, no symlink out) and is a file.
    fn locate(name: &str, base: &Path, fence: &Path) -> std::result::Result<PathBuf, String> {
        let relative = Path::new(name);
        if relative.is_absolute()
            || relative
                .components()
                .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
        {
            return Err(format!(
                "{name:?} leaves the folder it is read from; refused"
            ));
        }
        let path = base.join(relative);
        let real = path
            .canonicalize()
            .map_err(|_| format!("{name:?} was not found in {}", base.display()))?;
        if !real.starts_with(fence) {
            return Err(format!(
                "{name:?} points outside the site's folder; refused"
            ));
        }
        if !real.is_file() {
            return Err(format!("{name:?} is not a file"));
        }
        Ok(real)
    }

    fn template(&self, path: &Path) -> std::result::Result<Arc<ParsedInclude>, String> {
        if let Some(t) = self.parsed.lock().ok().and_then(|m| m.get(path).cloned()) {
            return Ok(t);
        }
        let language = self
            .language
            .get()
            .and_then(Weak::upgrade)
            .ok_or_else(|| "includes are not ready".to_string())?;
        let size = std::fs::metadata(path).map_or(0, |m| m.len());
        if size > MAX_INCLUDE_BYTES {
            return Err(format!(
                "{} is larger than {MAX_INCLUDE_BYTES} bytes; refused",
                path.display()
            ));
        }
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let known = super::known_names(&language);
        let scanned = super::scan::scan(&text, &known.view());
        let elements = liquid_core::parser::parse(&scanned.text, &language)
            .map_err(|e| format!("{}: {}", path.display(), super::short_error(&e)))?;
        let parsed = Arc::new(ParsedInclude {
            template: Template::new(elements),
            keys: template_keys(&text),
        });
        if let Ok(mut map) = self.parsed.lock() {
            map.insert(path.to_path_buf(), Arc::clone(&parsed));
        }
        Ok(parsed)
    }
}

/// The `x` of every `include.x` in `text`.
fn template_keys(text: &str) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("include.") {
        let after = &rest[i + "include.".len()..];
        let key: String = after
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
            .collect();
        if !key.is_empty() && !keys.contains(&key) {
            keys.push(key);
        }
        rest = after;
    }
    keys
}

/// `{% include file.html key="value" %}` (from `_includes/`) and `{% include_relative x.md %}`
/// (beside the post), with Jekyll's `include.key` parameters.
#[derive(Debug, Clone)]
pub struct IncludeTag {
    pub relative: bool,
    pub files: Arc<IncludeFiles>,
}

impl TagReflection for IncludeTag {
    fn tag(&self) -> &str {
        if self.relative {
            "include_relative"
        } else {
            "include"
        }
    }
    fn description(&self) -> &str {
        "another file, rendered here"
    }
}

impl ParseTag for IncludeTag {
    fn parse(&self, mut arguments: TagTokenIter<'_>, _: &Language) -> Result<Box<dyn Renderable>> {
        let name = first_expression(&mut arguments)?;
        let mut parameters = Vec::new();
        while let Some(token) = arguments.next() {
            let key = token.expect_identifier().into_result()?.to_string();
            arguments
                .expect_next("`=` after a parameter name")?
                .expect_str("=")
                .into_result_custom_msg("`=` after a parameter name")?;
            let value = arguments
                .expect_next("a parameter value")?
                .expect_value()
                .into_result()?;
            parameters.push((KString::from(key), value));
        }
        Ok(Box::new(Include {
            relative: self.relative,
            name,
            parameters,
            files: Arc::downgrade(&self.files),
        }))
    }
    fn reflection(&self) -> &dyn TagReflection {
        self
    }
}

#[derive(Debug)]
struct Include {
    relative: bool,
    name: Expression,
    parameters: Vec<(KString, Expression)>,
    /// Weak: the files cache parsed includes, and an include that includes another holds
    /// one of these; a strong reference would make a cycle that is never freed.
    files: Weak<IncludeFiles>,
}

impl Include {
    fn locate(&self, files: &IncludeFiles, name: &str) -> std::result::Result<PathBuf, String> {
        let site = files
            .site_dir
            .as_deref()
            .ok_or_else(|| "the site's folder is not known".to_string())?;
        if self.relative {
            let post_dir = with_state(|s| s.post_dir.clone())
                .ok_or_else(|| "the post's folder is not known".to_string())?;
            IncludeFiles::locate(name, &post_dir, site)
        } else {
            let dir = files
                .includes_dir
                .as_deref()
                .ok_or_else(|| "the site has no `_includes` folder".to_string())?;
            IncludeFiles::locate(name, dir, dir)
        }
    }
}

impl Renderable for Include {
    fn render_to(&self, writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        let tag = if self.relative {
            "include_relative"
        } else {
            "include"
        };
        let name = evaluate_text(&self.name, runtime)?;
        let depth = with_state(|s| {
            s.include_depth += 1;
            s.include_depth
        });
        let result = (|| {
            if depth > MAX_INCLUDE_DEPTH {
                return Err(limit_error(format!(
                    "includes nested more than {MAX_INCLUDE_DEPTH} deep (`{{% {tag} {name} %}}`); stopped"
                )));
            }
            let files = self
                .files
                .upgrade()
                .ok_or_else(|| "includes are not ready".to_string());
            let include =
                match files.and_then(|f| self.locate(&f, &name).and_then(|p| f.template(&p))) {
                    Ok(t) => t,
                    Err(why) => {
                        warn(format!("`{{% {tag} {name} %}}`: {why}; left out"));
                        return Ok(());
                    }
                };
            // `include.x` that the include reads but the tag does not pass is nil, not an
            // error (Jekyll's Liquid is lenient there).
            let mut values: Object = include
                .keys
                .iter()
                .map(|k| (KString::from(k.clone()), Value::Nil))
                .collect();
            for (key, expression) in &self.parameters {
                let value = expression
                    .try_evaluate(runtime)
                    .map_or(Value::Nil, liquid_core::ValueCow::into_owned);
                values.insert(key.clone(), value);
            }
            let mut scope = Object::new();
            scope.insert("include".into(), Value::Object(values));
            let frame = StackFrame::new(runtime, &scope);
            let lenient = super::runtime::Lenient {
                inner: &frame,
                assigned: None,
            };
            include.template.render_to(writer, &lenient)
        })();
        with_state(|s| s.include_depth -= 1);
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `{% link %}` to a page or a file: the URL Jekyll gives it (checked against a Jekyll 4.3
    /// build of the same files).
    #[test]
    fn pages_and_files_have_jekylls_urls() {
        let site = tempfile::tempdir().unwrap();
        let write = |path: &str, text: &str| {
            let file = site.path().join(path);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(file, text).unwrap();
        };
        write("docs/x/index.md", "---\ntitle: E\n---\nHi\n");
        write(
            "about.md",
            "---\ntitle: A\npermalink: \"/about-us/\"\n---\nHi\n",
        );
        write("tools.md", "---\ntitle: T\n---\nHi\n");
        write("files/a.pdf", "pdf");
        write("notes.md", "no front matter\n");
        let mut index = PostIndex {
            site_dir: Some(site.path().to_path_buf()),
            ..PostIndex::default()
        };
        let url = |index: &PostIndex, path: &str| index.page_url(path);
        assert_eq!(url(&index, "docs/x/index.md").as_deref(), Some("/docs/x/"));
        assert_eq!(url(&index, "about.md").as_deref(), Some("/about-us/"));
        assert_eq!(url(&index, "tools.md").as_deref(), Some("/tools.html"));
        assert_eq!(url(&index, "files/a.pdf").as_deref(), Some("/files/a.pdf"));
        assert_eq!(url(&index, "notes.md").as_deref(), Some("/notes.md"));
        assert_eq!(url(&index, "missing.md"), None);
        assert_eq!(url(&index, "../etc/passwd"), None);
        index.pretty_pages = true;
        assert_eq!(url(&index, "tools.md").as_deref(), Some("/tools/"));
    }
}
