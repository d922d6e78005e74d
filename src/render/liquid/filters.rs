//! Jekyll 4.3's own Liquid filters, for a `liquid_core::Language` that already has liquid-lib's
//! `stdlib` and `jekyll` filters: register [`jekyll_filters`] after them, so that ours win where
//! the names clash.
//!
//! What is here, and why:
//!
//! * Filters liquid-lib does not have: `relative_url`, `absolute_url`, `strip_index`,
//!   `markdownify`, `smartify`, `xml_escape`, `cgi_escape`, `uri_escape`,
//!   `normalize_whitespace`, `number_of_words`, `jsonify`, `inspect`, `where_exp`, `find`,
//!   `find_exp`, `group_by`, `group_by_exp`, `sample`, `to_integer`, `date_to_xmlschema`,
//!   `date_to_rfc822`, `date_to_string`, `date_to_long_string`.
//! * Filters liquid-lib has but that do not behave like Jekyll's, so ours replace them:
//!   - `where`: liquid-lib compares typed values on a top-level key; Jekyll reads dotted
//!     properties (`meta.author`), compares as strings (`2014` matches `"2014"`), treats an array
//!     property as "contains" (`where: "categories", "news"`), and reads `nil`, `empty`, `blank`.
//!   - `sort`: liquid-lib's Jekyll `sort` refuses empty arrays, panics on a property that is not a
//!     variable name, and compares `"10"` below `"9"`; Jekyll sorts numeric strings as numbers.
//!   - `slugify`: liquid-lib keeps a different set of characters (`\p{Alphabetic}` instead of
//!     Jekyll's `\p{L}\p{M}\p{Nd}`), trims `none` mode, transliterates `latin` with deunicode
//!     (Jekyll's I18n turns everything outside Latin-1/Latin Extended-A into `?`), and strips all
//!     leading and trailing hyphens where Jekyll strips one.
//!   - `array_to_sentence_string`: Jekyll writes `a and b` for two items, liquid-lib `a, and b`.
//!   - `pop`, `shift` (Jekyll takes a count), `push`, `unshift` (Jekyll returns non-arrays
//!     unchanged where liquid-lib fails).
//!
//! Every filter was checked against Jekyll 4.3.1 itself (see the tests). Where they differ:
//!
//! * Errors: where Jekyll raises (a Ruby `NoMethodError`, `TypeError`, `InvalidDateError`,
//!   Liquid `ArgumentError`), the filter returns a liquid error; the messages differ.
//! * `where` with one argument keeps the items whose property is truthy (liquid's own `where`);
//!   Jekyll's wants two arguments.
//! * `where_exp`, `find_exp`: `<`, `>`, `<=`, `>=` between a string and a number are false
//!   where Ruby raises. Everything else follows Jekyll's conditions, including `a and b or c`
//!   read as `a and (b or c)` and `empty`/`blank` equal to nothing.
//! * `jsonify`, `inspect`: hash keys come out sorted (liquid objects have no order).
//! * `sort` keeps equal items in their order (Ruby's sort does not promise one).
//! * `sample` returns the first item (or the first n): a build must be reproducible.
//! * Date strings: the forms `Time.parse` is given in practice are read (ISO 8601, `YYYY-MM-DD
//!   hh:mm:ss +zone`, RFC 2822, `10 Feb 2022`, `February 10, 2022`, `10/02/2022`, a time alone,
//!   epoch seconds, `now`/`today`); Ruby also skips words it does not know (`… +0800 extra`),
//!   which are errors here.
//! * `smartify`: raw HTML that starts a line (a block-level tag or a comment) is copied as
//!   written but for its outer start and end tags; kramdown also rewrites the tags inside.
//! * `relative_url`, `absolute_url` on an object use its `url`, as Jekyll does for pages and
//!   posts (drops); Unicode normalization (NFKC) and IDNA come from `unicode-normalization`
//!   and `url`, so characters newer than Ruby 3.1's Unicode tables may differ.
//! * `group_by_exp` expressions know liquid-lib's stdlib filters and these, not filters the
//!   caller registers besides.
//!
//! Missing variables in arguments and expressions are nil, as in Jekyll's (lax) Liquid. No
//! filter panics; the tests run every one of them over odd inputs and arguments.
//!
//! Values follow Ruby's conversions where Jekyll's code relies on them: `to_s` of a float is
//! Ruby's (`1.0`, `1.0e+20`), of a date time `2022-02-10 17:07:04 +0800`, of `nil` empty, of an
//! array or hash its `inspect`. Hashes are liquid `Object`s, which do not keep insertion order,
//! so `jsonify` and `inspect` write their keys sorted where Ruby keeps the order they were made in.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::fmt::Write as _;
use std::sync::{Arc, LazyLock};

use chrono::{
    DateTime as ChronoDateTime, Datelike, Duration, FixedOffset, LocalResult, NaiveDate,
    NaiveDateTime, NaiveTime, Offset, TimeZone, Timelike, Utc,
};
use chrono_tz::Tz;
use liquid_core::model::{
    try_find, ArrayView, Date as LiquidDate, DateTime as LiquidDateTime, KString, KStringCow,
    KStringRef, Object, ScalarCow,
};
use liquid_core::parser::{
    Filter, FilterArguments, FilterReflection, Language, ParameterReflection, ParseFilter,
};
use liquid_core::runtime::{Expression, PartialStore, Registers, Runtime};
use liquid_core::{Error, ObjectView, Result, Value, ValueCow, ValueView};
use regex::Regex;
use unicode_normalization::UnicodeNormalization;

use crate::html::kramdown_elements::{ELEMENTS_WITHOUT_BODY, SPAN_ELEMENTS};

/// What filters need from the site.
#[derive(Clone)]
pub struct FilterContext {
    /// `site.url`, e.g. `https://example.org` (no trailing slash); may be empty.
    pub url: String,
    /// `site.baseurl`, e.g. `/blog`, or empty.
    pub baseurl: String,
    /// The site's time zone: the date filters write every date in it, as Jekyll does.
    pub timezone: Tz,
    /// The site's Markdown renderer, for `markdownify`.
    pub markdownify: fn(&str) -> String,
}

impl fmt::Debug for FilterContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FilterContext")
            .field("url", &self.url)
            .field("baseurl", &self.baseurl)
            .field("timezone", &self.timezone)
            .finish_non_exhaustive()
    }
}

/// Jekyll's filters, to register on a liquid-core `Language` after liquid-lib's stdlib and
/// jekyll filters (later registrations with the same name win).
///
/// `group_by_exp` evaluates its expression (which may hold filters, as in
/// `post.date | date: "%Y"`) with liquid-lib's stdlib filters and the filters returned here;
/// filters the caller registers besides those are not known inside that expression.
pub fn jekyll_filters(context: &FilterContext) -> Vec<Box<dyn ParseFilter>> {
    let ctx = Arc::new(context.clone());
    let plain: Vec<Box<dyn ParseFilter>> = SPECS
        .iter()
        .filter(|spec| spec.kind != Kind::GroupByExp)
        .map(|spec| {
            Box::new(JekyllParser {
                spec,
                ctx: ctx.clone(),
                language: None,
            }) as Box<dyn ParseFilter>
        })
        .collect();
    let mut language = Language::default();
    for filter in stdlib_filters().into_iter().chain(plain.iter().cloned()) {
        let name = filter.reflection().name().to_string();
        language.filters.register(name, filter);
    }
    let language = Arc::new(language);
    let mut all = plain;
    all.extend(
        SPECS
            .iter()
            .filter(|s| s.kind == Kind::GroupByExp)
            .map(|spec| {
                Box::new(JekyllParser {
                    spec,
                    ctx: ctx.clone(),
                    language: Some(language.clone()),
                }) as Box<dyn ParseFilter>
            }),
    );
    all
}

/// liquid-lib's standard filters, for the expressions of `group_by_exp`.
fn stdlib_filters() -> Vec<Box<dyn ParseFilter>> {
    use liquid_lib::stdlib::*;
    vec![
        Box::new(Abs),
        Box::new(Append),
        Box::new(AtLeast),
        Box::new(AtMost),
        Box::new(Capitalize),
        Box::new(Ceil),
        Box::new(Compact),
        Box::new(Concat),
        Box::new(Date),
        Box::new(Default),
        Box::new(DividedBy),
        Box::new(Downcase),
        Box::new(Escape),
        Box::new(EscapeOnce),
        Box::new(First),
        Box::new(Floor),
        Box::new(Join),
        Box::new(Last),
        Box::new(Lstrip),
        Box::new(Map),
        Box::new(Minus),
        Box::new(Modulo),
        Box::new(NewlineToBr),
        Box::new(Plus),
        Box::new(Prepend),
        Box::new(Remove),
        Box::new(RemoveFirst),
        Box::new(Replace),
        Box::new(ReplaceFirst),
        Box::new(Reverse),
        Box::new(Round),
        Box::new(Rstrip),
        Box::new(Size),
        Box::new(Slice),
        Box::new(Sort),
        Box::new(SortNatural),
        Box::new(Split),
        Box::new(Strip),
        Box::new(StripHtml),
        Box::new(StripNewlines),
        Box::new(Times),
        Box::new(Truncate),
        Box::new(TruncateWords),
        Box::new(Uniq),
        Box::new(Upcase),
        Box::new(UrlDecode),
        Box::new(UrlEncode),
        Box::new(Where),
    ]
}

// ---------------------------------------------------------------------------------------------
// The filter table, and the one ParseFilter / Filter pair that serves every entry.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    RelativeUrl,
    AbsoluteUrl,
    StripIndex,
    Markdownify,
    Smartify,
    XmlEscape,
    CgiEscape,
    UriEscape,
    NormalizeWhitespace,
    NumberOfWords,
    ArrayToSentenceString,
    Jsonify,
    Inspect,
    Where,
    WhereExp,
    Find,
    FindExp,
    GroupBy,
    GroupByExp,
    Sort,
    Sample,
    Pop,
    Push,
    Shift,
    Unshift,
    ToInteger,
    Slugify,
    DateToXmlschema,
    DateToRfc822,
    DateToString,
    DateToLongString,
}

struct Spec {
    kind: Kind,
    name: &'static str,
    description: &'static str,
    params: &'static [ParameterReflection],
    required: usize,
}

const fn param(
    name: &'static str,
    description: &'static str,
    optional: bool,
) -> ParameterReflection {
    ParameterReflection {
        name,
        description,
        is_optional: optional,
    }
}

const NO_PARAMS: &[ParameterReflection] = &[];
const MODE: &[ParameterReflection] = &[param("mode", "The counting or slug mode.", true)];
const CONNECTOR: &[ParameterReflection] = &[param(
    "connector",
    "The word between the last two items; \"and\" by default.",
    true,
)];
const PROPERTY_VALUE: &[ParameterReflection] = &[
    param("property", "The (dotted) property of each item.", false),
    param(
        "value",
        "The value it must have, compared as strings.",
        true,
    ),
];
const VARIABLE_EXPRESSION: &[ParameterReflection] = &[
    param(
        "variable",
        "The name each item is given in the expression.",
        false,
    ),
    param("expression", "A Liquid condition or expression.", false),
];
const PROPERTY: &[ParameterReflection] = &[param(
    "property",
    "The (dotted) property of each item.",
    false,
)];
const SORT_PARAMS: &[ParameterReflection] = &[
    param("property", "The (dotted) property to sort by.", true),
    param(
        "nils",
        "\"first\" (default) or \"last\": where items without it go.",
        true,
    ),
];
const COUNT: &[ParameterReflection] = &[param("count", "How many items.", true)];
const ELEMENT: &[ParameterReflection] = &[param("element", "The item to add.", false)];
const DATE_STYLE: &[ParameterReflection] = &[
    param("type", "\"ordinal\" for 1st, 2nd, 3rd.", true),
    param("style", "\"US\" for the month first.", true),
];

const SPECS: &[Spec] = &[
    Spec {
        kind: Kind::RelativeUrl,
        name: "relative_url",
        description: "Prefixes a path with the site's baseurl.",
        params: NO_PARAMS,
        required: 0,
    },
    Spec {
        kind: Kind::AbsoluteUrl,
        name: "absolute_url",
        description: "Prefixes a path with the site's url and baseurl.",
        params: NO_PARAMS,
        required: 0,
    },
    Spec {
        kind: Kind::StripIndex,
        name: "strip_index",
        description: "Removes a trailing /index.html from a URL.",
        params: NO_PARAMS,
        required: 0,
    },
    Spec {
        kind: Kind::Markdownify,
        name: "markdownify",
        description: "Converts Markdown to HTML.",
        params: NO_PARAMS,
        required: 0,
    },
    Spec {
        kind: Kind::Smartify,
        name: "smartify",
        description: "Turns straight quotes, dashes and dots into typographic ones.",
        params: NO_PARAMS,
        required: 0,
    },
    Spec {
        kind: Kind::XmlEscape,
        name: "xml_escape",
        description: "Escapes text for XML.",
        params: NO_PARAMS,
        required: 0,
    },
    Spec {
        kind: Kind::CgiEscape,
        name: "cgi_escape",
        description: "Escapes text for a URL query (space as +).",
        params: NO_PARAMS,
        required: 0,
    },
    Spec {
        kind: Kind::UriEscape,
        name: "uri_escape",
        description: "Percent-encodes the characters a URI may not hold.",
        params: NO_PARAMS,
        required: 0,
    },
    Spec {
        kind: Kind::NormalizeWhitespace,
        name: "normalize_whitespace",
        description: "Turns every run of whitespace into one space.",
        params: NO_PARAMS,
        required: 0,
    },
    Spec {
        kind: Kind::NumberOfWords,
        name: "number_of_words",
        description: "Counts words (\"cjk\" or \"auto\" count CJK characters as words).",
        params: MODE,
        required: 0,
    },
    Spec {
        kind: Kind::ArrayToSentenceString,
        name: "array_to_sentence_string",
        description: "Joins an array into a sentence.",
        params: CONNECTOR,
        required: 0,
    },
    Spec {
        kind: Kind::Jsonify,
        name: "jsonify",
        description: "Converts a value to JSON.",
        params: NO_PARAMS,
        required: 0,
    },
    Spec {
        kind: Kind::Inspect,
        name: "inspect",
        description: "Shows a value as Ruby would, escaped for HTML.",
        params: NO_PARAMS,
        required: 0,
    },
    Spec {
        kind: Kind::Where,
        name: "where",
        description:
            "Selects the items whose property equals a value (or contains it, for arrays).",
        params: PROPERTY_VALUE,
        required: 1,
    },
    Spec {
        kind: Kind::WhereExp,
        name: "where_exp",
        description: "Selects the items for which a condition holds.",
        params: VARIABLE_EXPRESSION,
        required: 2,
    },
    Spec {
        kind: Kind::Find,
        name: "find",
        description: "The first item whose property equals a value.",
        params: PROPERTY_VALUE,
        required: 2,
    },
    Spec {
        kind: Kind::FindExp,
        name: "find_exp",
        description: "The first item for which a condition holds.",
        params: VARIABLE_EXPRESSION,
        required: 2,
    },
    Spec {
        kind: Kind::GroupBy,
        name: "group_by",
        description: "Groups items by a property.",
        params: PROPERTY,
        required: 1,
    },
    Spec {
        kind: Kind::GroupByExp,
        name: "group_by_exp",
        description: "Groups items by an expression.",
        params: VARIABLE_EXPRESSION,
        required: 2,
    },
    Spec {
        kind: Kind::Sort,
        name: "sort",
        description: "Sorts an array, by a property if given.",
        params: SORT_PARAMS,
        required: 0,
    },
    Spec {
        kind: Kind::Sample,
        name: "sample",
        description: "Picks items from an array (the first ones: output stays reproducible).",
        params: COUNT,
        required: 0,
    },
    Spec {
        kind: Kind::Pop,
        name: "pop",
        description: "Removes items from the end of an array.",
        params: COUNT,
        required: 0,
    },
    Spec {
        kind: Kind::Push,
        name: "push",
        description: "Appends an item to an array.",
        params: ELEMENT,
        required: 1,
    },
    Spec {
        kind: Kind::Shift,
        name: "shift",
        description: "Removes items from the start of an array.",
        params: COUNT,
        required: 0,
    },
    Spec {
        kind: Kind::Unshift,
        name: "unshift",
        description: "Prepends an item to an array.",
        params: ELEMENT,
        required: 1,
    },
    Spec {
        kind: Kind::ToInteger,
        name: "to_integer",
        description: "Converts a value to an integer.",
        params: NO_PARAMS,
        required: 0,
    },
    Spec {
        kind: Kind::Slugify,
        name: "slugify",
        description: "Turns text into a URL slug (modes: default, raw, pretty, ascii, latin).",
        params: MODE,
        required: 0,
    },
    Spec {
        kind: Kind::DateToXmlschema,
        name: "date_to_xmlschema",
        description: "Formats a date as ISO 8601.",
        params: NO_PARAMS,
        required: 0,
    },
    Spec {
        kind: Kind::DateToRfc822,
        name: "date_to_rfc822",
        description: "Formats a date as RFC 822.",
        params: NO_PARAMS,
        required: 0,
    },
    Spec {
        kind: Kind::DateToString,
        name: "date_to_string",
        description: "Formats a date as 10 Feb 2022.",
        params: DATE_STYLE,
        required: 0,
    },
    Spec {
        kind: Kind::DateToLongString,
        name: "date_to_long_string",
        description: "Formats a date as 10 February 2022.",
        params: DATE_STYLE,
        required: 0,
    },
];

#[derive(Clone)]
struct JekyllParser {
    spec: &'static Spec,
    ctx: Arc<FilterContext>,
    /// Only for `group_by_exp`: the filters its expressions may use.
    language: Option<Arc<Language>>,
}

impl FilterReflection for JekyllParser {
    fn name(&self) -> &str {
        self.spec.name
    }

    fn description(&self) -> &str {
        self.spec.description
    }

    fn positional_parameters(&self) -> &'static [ParameterReflection] {
        self.spec.params
    }

    fn keyword_parameters(&self) -> &'static [ParameterReflection] {
        NO_PARAMS
    }
}

impl ParseFilter for JekyllParser {
    fn parse(&self, mut arguments: FilterArguments<'_>) -> Result<Box<dyn Filter>> {
        if let Some((name, _)) = arguments.keyword.next() {
            return Err(Error::with_msg(format!(
                "{}: unexpected keyword argument `{name}`",
                self.spec.name
            )));
        }
        let args: Vec<Expression> = arguments.positional.collect();
        let (min, max) = (self.spec.required, self.spec.params.len());
        if args.len() < min || args.len() > max {
            // Ruby counts the input as the first argument.
            let expected = if min == max {
                format!("{}", min + 1)
            } else {
                format!("{}..{}", min + 1, max + 1)
            };
            return Err(Error::with_msg(format!(
                "{}: wrong number of arguments (given {}, expected {expected})",
                self.spec.name,
                args.len() + 1
            )));
        }
        Ok(Box::new(JekyllFilter {
            spec: self.spec,
            args,
            ctx: self.ctx.clone(),
            language: self.language.clone(),
        }))
    }

    fn reflection(&self) -> &dyn FilterReflection {
        self
    }
}

struct JekyllFilter {
    spec: &'static Spec,
    args: Vec<Expression>,
    ctx: Arc<FilterContext>,
    language: Option<Arc<Language>>,
}

impl fmt::Debug for JekyllFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JekyllFilter")
            .field("name", &self.spec.name)
            .field("args", &self.args)
            .finish_non_exhaustive()
    }
}

impl fmt::Display for JekyllFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.spec.name)?;
        for (i, arg) in self.args.iter().enumerate() {
            write!(f, "{}{arg}", if i == 0 { ": " } else { ", " })?;
        }
        Ok(())
    }
}

fn invalid_input(cause: impl Into<String>) -> Error {
    Error::with_msg("Invalid input").context("cause", cause.into())
}

fn invalid_argument(argument: &'static str, cause: impl Into<String>) -> Error {
    Error::with_msg("Invalid argument")
        .context("argument", argument)
        .context("cause", cause.into())
}

impl Filter for JekyllFilter {
    fn evaluate(&self, input: &dyn ValueView, runtime: &dyn Runtime) -> Result<Value> {
        // Arguments that name missing variables are nil, as in Jekyll (lax Liquid).
        let args: Vec<Value> = self
            .args
            .iter()
            .map(|arg| {
                arg.try_evaluate(runtime)
                    .map_or(Value::Nil, ValueCow::into_owned)
            })
            .collect();
        let arg = |i: usize| args.as_slice().get(i);
        let ctx = &*self.ctx;
        match self.spec.kind {
            Kind::RelativeUrl => url_filter(input, ctx, false),
            Kind::AbsoluteUrl => url_filter(input, ctx, true),
            Kind::StripIndex => strip_index(input),
            Kind::Markdownify => Ok(Value::scalar((ctx.markdownify)(&to_s(input)))),
            Kind::Smartify => Ok(Value::scalar(smartify(&to_s(input)))),
            Kind::XmlEscape => Ok(Value::scalar(xml_escape(&to_s(input)))),
            Kind::CgiEscape => Ok(Value::scalar(cgi_escape(&string_input(
                input,
                "cgi_escape",
            )?))),
            Kind::UriEscape => match classify(input) {
                Val::Nil => Ok(Value::Nil),
                Val::Str(s) => Ok(Value::scalar(normalize_component(
                    s.as_str(),
                    &DEFAULT_CLASS,
                ))),
                _ => Err(invalid_input("uri_escape: a string expected")),
            },
            Kind::NormalizeWhitespace => Ok(Value::scalar(normalize_whitespace(&to_s(input)))),
            Kind::NumberOfWords => {
                let text = string_input(input, "number_of_words")?;
                let mode = arg(0).map(|v| to_s(v).into_owned());
                Ok(Value::scalar(number_of_words(&text, mode.as_deref())))
            }
            Kind::ArrayToSentenceString => array_to_sentence_string(input, arg(0)),
            Kind::Jsonify => {
                let mut out = String::new();
                json_into(input, &mut out)?;
                Ok(Value::scalar(out))
            }
            Kind::Inspect => {
                let mut out = String::new();
                inspect_into(input, &mut out);
                Ok(Value::scalar(xml_escape(&out)))
            }
            Kind::Where => where_filter(input, &args, false),
            Kind::Find => where_filter(input, &args, true),
            Kind::WhereExp => where_exp(input, &args, runtime, false),
            Kind::FindExp => where_exp(input, &args, runtime, true),
            Kind::GroupBy => group_by(input, arg(0).unwrap_or(&Value::Nil)),
            Kind::GroupByExp => group_by_exp(input, &args, runtime, self.language.as_deref()),
            Kind::Sort => sort(input, arg(0), arg(1)),
            Kind::Sample => sample(input, arg(0)),
            Kind::Pop => pop_shift(input, arg(0), false),
            Kind::Shift => pop_shift(input, arg(0), true),
            Kind::Push => push_unshift(input, arg(0), false),
            Kind::Unshift => push_unshift(input, arg(0), true),
            Kind::ToInteger => to_integer(input),
            Kind::Slugify => slugify(input, arg(0)),
            Kind::DateToXmlschema => date_filter(input, ctx, DateFormat::Xmlschema, &args),
            Kind::DateToRfc822 => date_filter(input, ctx, DateFormat::Rfc822, &args),
            Kind::DateToString => date_filter(input, ctx, DateFormat::Short, &args),
            Kind::DateToLongString => date_filter(input, ctx, DateFormat::Long, &args),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Values as Ruby sees them.

/// A liquid value sorted by the Ruby class Jekyll would see.
enum Val<'a> {
    Nil,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(KStringCow<'a>),
    Time(LiquidDateTime),
    Date(LiquidDate),
    Array(&'a dyn ArrayView),
    Object(&'a dyn ObjectView),
    /// Liquid's `empty` and `blank` (Jekyll's `MethodLiteral`s).
    Literal,
}

fn classify(v: &dyn ValueView) -> Val<'_> {
    if v.is_nil() {
        return Val::Nil;
    }
    if let Some(array) = v.as_array() {
        return Val::Array(array);
    }
    if let Some(object) = v.as_object() {
        return Val::Object(object);
    }
    if v.is_state() {
        return Val::Literal;
    }
    let Some(scalar) = v.as_scalar() else {
        return Val::Nil;
    };
    let typed = match v.type_name() {
        "whole number" => scalar.to_integer().map(Val::Int),
        "fractional number" => scalar.to_float().map(Val::Float),
        "boolean" => scalar.to_bool().map(Val::Bool),
        "date time" => scalar.to_date_time().map(Val::Time),
        "date" => scalar.to_date().map(Val::Date),
        _ => None,
    };
    typed.unwrap_or_else(|| Val::Str(v.to_kstr()))
}

fn is_truthy(v: &dyn ValueView) -> bool {
    !matches!(classify(v), Val::Nil | Val::Bool(false))
}

/// The input as a string, or an error where Ruby would have no string (`CGI.escape(nil)`).
fn string_input<'a>(input: &'a dyn ValueView, filter: &str) -> Result<KStringCow<'a>> {
    match classify(input) {
        Val::Str(s) => Ok(s),
        _ => Err(invalid_input(format!("{filter}: a string expected"))),
    }
}

/// Ruby's `to_s`.
fn to_s(v: &dyn ValueView) -> Cow<'_, str> {
    match classify(v) {
        Val::Nil | Val::Literal => Cow::Borrowed(""),
        Val::Bool(b) => Cow::Borrowed(if b { "true" } else { "false" }),
        Val::Int(i) => Cow::Owned(i.to_string()),
        Val::Float(f) => Cow::Owned(ruby_float(f)),
        Val::Str(s) => match s.into_cow_str() {
            Cow::Borrowed(b) => Cow::Borrowed(b),
            Cow::Owned(o) => Cow::Owned(o),
        },
        Val::Time(t) => Cow::Owned(ruby_time_to_s(&t, false)),
        Val::Date(d) => Cow::Owned(ruby_date_to_s(d)),
        Val::Array(_) | Val::Object(_) => {
            let mut out = String::new();
            inspect_into(v, &mut out);
            Cow::Owned(out)
        }
    }
}

/// Ruby's `Float#to_s`: the shortest digits that read back, fixed notation for magnitudes from
/// 1e-4 up to 1e15 (exclusive), `1.0e+15` style beyond.
fn ruby_float(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0.0" } else { "0.0" }.into();
    }
    let sci = format!("{:e}", f.abs());
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let sign = if f < 0.0 { "-" } else { "" };
    // decpt: where the decimal point goes, counted from the first digit.
    let decpt = exponent + 1;
    if decpt > -4 && decpt <= 15 {
        if decpt <= 0 {
            format!("{sign}0.{}{digits}", "0".repeat((-decpt) as usize))
        } else if decpt as usize >= digits.len() {
            format!(
                "{sign}{digits}{}.0",
                "0".repeat(decpt as usize - digits.len())
            )
        } else {
            let (int, frac) = digits.split_at(decpt as usize);
            format!("{sign}{int}.{frac}")
        }
    } else {
        let (first, rest) = digits.split_at(1);
        let rest = if rest.is_empty() { "0" } else { rest };
        let esign = if exponent < 0 { '-' } else { '+' };
        format!("{sign}{first}.{rest}e{esign}{:02}", exponent.abs())
    }
}

fn liquid_to_chrono(t: &LiquidDateTime) -> Option<ChronoDateTime<FixedOffset>> {
    let offset = FixedOffset::east_opt(t.offset().whole_seconds())?;
    offset
        .timestamp_opt(t.unix_timestamp(), t.nanosecond())
        .single()
}

fn liquid_date_to_naive(d: LiquidDate) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(d.year(), u32::from(d.month()), u32::from(d.day()))
}

/// `%Y` as Ruby's strftime writes it: at least four digits, a minus for years before 1 BC.
fn ruby_year(year: i32) -> String {
    if year < 0 {
        format!("-{:04}", -i64::from(year))
    } else {
        format!("{year:04}")
    }
}

/// `+0800` (`colon`: `+08:00`); seconds of an offset are dropped, as Ruby does.
fn ruby_offset(seconds: i32, colon: bool) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let abs = seconds.unsigned_abs();
    let (h, m) = (abs / 3600, abs % 3600 / 60);
    if colon {
        format!("{sign}{h:02}:{m:02}")
    } else {
        format!("{sign}{h:02}{m:02}")
    }
}

/// Ruby's `Time#to_s` (`inspect`: with the fraction of the second, as `Time#inspect`).
fn ruby_time_to_s(t: &LiquidDateTime, inspect: bool) -> String {
    let Some(dt) = liquid_to_chrono(t) else {
        return t.to_string();
    };
    let mut out = format!(
        "{}-{:02}-{:02} {:02}:{:02}:{:02}",
        ruby_year(dt.year()),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second()
    );
    if inspect && dt.nanosecond() != 0 {
        let frac = format!("{:09}", dt.nanosecond());
        let _ = write!(out, ".{}", frac.trim_end_matches('0'));
    }
    let _ = write!(
        out,
        " {}",
        ruby_offset(dt.offset().fix().local_minus_utc(), false)
    );
    out
}

fn ruby_date_to_s(d: LiquidDate) -> String {
    format!("{}-{:02}-{:02}", ruby_year(d.year()), d.month(), d.day())
}

/// Ruby's `inspect` of the values liquid can hold.
fn inspect_into(v: &dyn ValueView, out: &mut String) {
    match classify(v) {
        Val::Nil => out.push_str("nil"),
        Val::Literal => out.push_str("\"\""),
        Val::Bool(b) => out.push_str(if b { "true" } else { "false" }),
        Val::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Val::Float(f) => out.push_str(&ruby_float(f)),
        Val::Str(s) => inspect_str(s.as_str(), out),
        Val::Time(t) => out.push_str(&ruby_time_to_s(&t, true)),
        Val::Date(d) => {
            // Ruby's Date#inspect, with the Julian day number (Gregorian calendar).
            let jd =
                liquid_date_to_naive(d).map_or(0, |n| i64::from(n.num_days_from_ce()) + 1_721_425);
            let _ = write!(
                out,
                "#<Date: {} (({jd}j,0s,0n),+0s,2299161j)>",
                ruby_date_to_s(d)
            );
        }
        Val::Array(a) => {
            out.push('[');
            for (i, item) in a.values().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                inspect_into(item, out);
            }
            out.push(']');
        }
        Val::Object(o) => {
            out.push('{');
            for (i, (key, value)) in sorted_entries(o).into_iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                inspect_str(key.as_str(), out);
                out.push_str("=>");
                inspect_into(value, out);
            }
            out.push('}');
        }
    }
}

fn sorted_entries(o: &dyn ObjectView) -> Vec<(KStringCow<'_>, &dyn ValueView)> {
    let mut entries: Vec<_> = o.iter().collect();
    entries.sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
    entries
}

/// Ruby's `String#inspect` for UTF-8 text.
fn inspect_str(s: &str, out: &mut String) {
    out.push('"');
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{0C}' => out.push_str("\\f"),
            '\u{0B}' => out.push_str("\\v"),
            '\u{08}' => out.push_str("\\b"),
            '\u{07}' => out.push_str("\\a"),
            '\u{1B}' => out.push_str("\\e"),
            '#' if matches!(chars.peek(), Some('{' | '$' | '@')) => out.push_str("\\#"),
            c if !ruby_printable(c) => {
                if (c as u32) > 0xFFFF {
                    let _ = write!(out, "\\u{{{:X}}}", c as u32);
                } else {
                    let _ = write!(out, "\\u{:04X}", c as u32);
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// What Ruby's `inspect` prints as it is: all but control characters, line and paragraph
/// separators, and unassigned code points.
fn ruby_printable(c: char) -> bool {
    static UNPRINTABLE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"[\p{Cc}\p{Zl}\p{Zp}\p{Cn}]").expect("valid regex"));
    if c.is_ascii() {
        return !c.is_ascii_control();
    }
    let mut buf = [0u8; 4];
    !UNPRINTABLE.is_match(c.encode_utf8(&mut buf))
}

/// Ruby's `to_json` (Jekyll's `jsonify`): compact, `/` and non-ASCII as they are.
fn json_into(v: &dyn ValueView, out: &mut String) -> Result<()> {
    match classify(v) {
        Val::Nil => out.push_str("null"),
        Val::Literal => out.push_str("\"\""),
        Val::Bool(b) => out.push_str(if b { "true" } else { "false" }),
        Val::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Val::Float(f) => {
            if !f.is_finite() {
                return Err(invalid_input(format!(
                    "jsonify: {} not allowed in JSON",
                    ruby_float(f)
                )));
            }
            out.push_str(&ruby_float(f));
        }
        Val::Str(s) => json_str(s.as_str(), out),
        Val::Time(t) => json_str(&ruby_time_to_s(&t, false), out),
        Val::Date(d) => json_str(&ruby_date_to_s(d), out),
        Val::Array(a) => {
            out.push('[');
            for (i, item) in a.values().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_into(item, out)?;
            }
            out.push(']');
        }
        Val::Object(o) => {
            out.push('{');
            for (i, (key, value)) in sorted_entries(o).into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_str(key.as_str(), out);
                out.push(':');
                json_into(value, out)?;
            }
            out.push('}');
        }
    }
    Ok(())
}

fn json_str(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0C}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Ruby's `==` between liquid values (`1 == 1.0`, `"1" != 1`; `empty` equals nothing).
fn ruby_eq(a: &dyn ValueView, b: &dyn ValueView) -> bool {
    match (classify(a), classify(b)) {
        (Val::Nil, Val::Nil) => true,
        (Val::Bool(x), Val::Bool(y)) => x == y,
        (Val::Int(x), Val::Int(y)) => x == y,
        (Val::Int(x), Val::Float(y)) | (Val::Float(y), Val::Int(x)) => (x as f64) == y,
        (Val::Float(x), Val::Float(y)) => x == y,
        (Val::Str(x), Val::Str(y)) => x == y,
        (Val::Time(x), Val::Time(y)) => x.unix_timestamp_nanos() == y.unix_timestamp_nanos(),
        (Val::Date(x), Val::Date(y)) => x == y,
        (Val::Array(x), Val::Array(y)) => {
            x.size() == y.size() && x.values().zip(y.values()).all(|(p, q)| ruby_eq(p, q))
        }
        (Val::Object(x), Val::Object(y)) => {
            x.size() == y.size()
                && x.iter()
                    .all(|(k, v)| y.get(k.as_str()).is_some_and(|w| ruby_eq(v, w)))
        }
        _ => false,
    }
}

/// Ruby's `<=>`: `None` where Ruby answers nil (values of different kinds).
fn ruby_cmp(a: &dyn ValueView, b: &dyn ValueView) -> Option<Ordering> {
    match (classify(a), classify(b)) {
        (Val::Nil, Val::Nil) => Some(Ordering::Equal),
        (Val::Bool(x), Val::Bool(y)) => (x == y).then_some(Ordering::Equal),
        (Val::Int(x), Val::Int(y)) => Some(x.cmp(&y)),
        (Val::Int(x), Val::Float(y)) => (x as f64).partial_cmp(&y),
        (Val::Float(x), Val::Int(y)) => x.partial_cmp(&(y as f64)),
        (Val::Float(x), Val::Float(y)) => x.partial_cmp(&y),
        (Val::Str(x), Val::Str(y)) => Some(x.as_str().as_bytes().cmp(y.as_str().as_bytes())),
        (Val::Time(x), Val::Time(y)) => {
            Some(x.unix_timestamp_nanos().cmp(&y.unix_timestamp_nanos()))
        }
        (Val::Date(x), Val::Date(y)) => Some(x.cmp(&y)),
        (Val::Array(x), Val::Array(y)) => {
            for (p, q) in x.values().zip(y.values()) {
                match ruby_cmp(p, q)? {
                    Ordering::Equal => {}
                    other => return Some(other),
                }
            }
            Some(x.size().cmp(&y.size()))
        }
        (Val::Object(_), Val::Object(_)) => ruby_eq(a, b).then_some(Ordering::Equal),
        _ => None,
    }
}

/// Ruby's `Array(x).join` is empty: nil, "", and arrays (or hashes) of those.
fn joins_to_empty(v: &dyn ValueView) -> bool {
    match classify(v) {
        Val::Nil | Val::Literal => true,
        Val::Str(s) => s.is_empty(),
        Val::Array(a) => a.values().all(joins_to_empty),
        Val::Object(o) => o.size() == 0,
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------------
// Sorting that never panics, whatever the comparison says (Ruby's mixed comparisons are not
// always a total order, and `slice::sort_by` may panic on one that is not).

fn merge_sort_by<T, F>(items: Vec<T>, cmp: &mut F) -> Vec<T>
where
    F: FnMut(&T, &T) -> Ordering,
{
    if items.len() <= 1 {
        return items;
    }
    let mut items = items;
    let right = items.split_off(items.len() / 2);
    let left = merge_sort_by(items, cmp);
    let right = merge_sort_by(right, cmp);
    let mut out = Vec::with_capacity(left.len() + right.len());
    let mut left = left.into_iter().peekable();
    let mut right = right.into_iter().peekable();
    loop {
        let take_left = match (left.peek(), right.peek()) {
            (Some(l), Some(r)) => cmp(l, r) != Ordering::Greater,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => break,
        };
        let next = if take_left { left.next() } else { right.next() };
        out.extend(next);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// URLs: relative_url, absolute_url, strip_index, uri_escape, cgi_escape.

fn url_filter(input: &dyn ValueView, ctx: &FilterContext, absolute: bool) -> Result<Value> {
    let text = match classify(input) {
        Val::Nil => return Ok(Value::Nil),
        // Jekyll takes `url` from documents and pages (drops); ours are objects.
        Val::Object(o) if o.contains_key("url") => {
            to_s(o.get("url").unwrap_or(&Value::Nil)).into_owned()
        }
        _ => to_s(input).into_owned(),
    };
    let result = if absolute {
        absolute_url(&text, &ctx.url, &ctx.baseurl)
    } else {
        relative_url(&text, &ctx.baseurl)
    };
    result
        .map(Value::scalar)
        .map_err(|e| invalid_input(format!("{text:?}: {e}")))
}

fn relative_url(input: &str, baseurl: &str) -> std::result::Result<String, String> {
    if split_uri(input).is_absolute()? {
        return Ok(input.to_string());
    }
    let base = baseurl.strip_suffix('/').unwrap_or(baseurl);
    let mut joined = String::with_capacity(base.len() + input.len() + 2);
    for part in [base, input] {
        if !part.is_empty() && !part.starts_with('/') {
            joined.push('/');
        }
        joined.push_str(part);
    }
    normalize_uri(&joined)
}

fn absolute_url(input: &str, url: &str, baseurl: &str) -> std::result::Result<String, String> {
    if split_uri(input).is_absolute()? {
        return Ok(input.to_string());
    }
    let relative = relative_url(input, baseurl)?;
    if url.is_empty() {
        return Ok(relative);
    }
    normalize_uri(&format!("{url}{relative}"))
}

fn strip_index(input: &dyn ValueView) -> Result<Value> {
    static INDEX: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?m)/index\.html?$").expect("valid regex"));
    match classify(input) {
        Val::Nil => Ok(Value::Nil),
        Val::Str(s) if s.is_empty() => Ok(Value::Nil),
        Val::Str(s) => Ok(Value::scalar(INDEX.replace(s.as_str(), "/").into_owned())),
        _ => Err(invalid_input("strip_index: a string expected")),
    }
}

/// A URI split as Addressable does (RFC 3986's regular expression).
struct UriParts<'a> {
    scheme: Option<&'a str>,
    authority: Option<&'a str>,
    path: &'a str,
    query: Option<&'a str>,
    fragment: Option<&'a str>,
}

fn split_uri(s: &str) -> UriParts<'_> {
    let (scheme, rest) = match s.find([':', '/', '?', '#']) {
        Some(i) if i > 0 && s.as_bytes()[i] == b':' => (Some(&s[..i]), &s[i + 1..]),
        _ => (None, s),
    };
    let (authority, rest) = match rest.strip_prefix("//") {
        Some(after) => {
            let end = after.find(['/', '?', '#']).unwrap_or(after.len());
            (Some(&after[..end]), &after[end..])
        }
        None => (None, rest),
    };
    let path_end = rest.find(['?', '#']).unwrap_or(rest.len());
    let (path, rest) = rest.split_at(path_end);
    let (query, rest) = match rest.strip_prefix('?') {
        Some(after) => {
            let end = after.find('#').unwrap_or(after.len());
            (Some(&after[..end]), &after[end..])
        }
        None => (None, rest),
    };
    // The fragment is `.*` before `$`: it ends at a line break.
    let fragment = rest
        .strip_prefix('#')
        .map(|f| f.split('\n').next().unwrap_or(""));
    UriParts {
        scheme,
        authority,
        path,
        query,
        fragment,
    }
}

impl UriParts<'_> {
    /// Addressable's `absolute?`, with its complaint about a malformed scheme.
    fn is_absolute(&self) -> std::result::Result<bool, String> {
        match self.scheme {
            None => Ok(false),
            Some(scheme) => {
                let mut chars = scheme.chars();
                let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
                    && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '-'));
                if valid {
                    Ok(true)
                } else {
                    Err(format!("Invalid scheme format: '{scheme}'"))
                }
            }
        }
    }
}

fn default_port(scheme: &str) -> Option<u64> {
    Some(match scheme {
        "http" => 80,
        "https" => 443,
        "ftp" => 21,
        "tftp" => 69,
        "sftp" => 22,
        "ssh" => 22,
        "svn+ssh" => 22,
        "telnet" => 23,
        "nntp" => 119,
        "gopher" => 70,
        "wais" => 210,
        "ldap" => 389,
        "prospero" => 1525,
        _ => return None,
    })
}

/// Which bytes a URI component keeps as they are; the rest is percent-encoded.
struct CharClass {
    extra: &'static [u8],
    /// Addressable's query class: `%` stays only before `2B`.
    query_percent: bool,
}

impl CharClass {
    fn keeps(&self, b: u8) -> bool {
        b.is_ascii_alphanumeric() || self.extra.contains(&b)
    }
}

const UNRESERVED: &[u8] = b"-._~";
const DEFAULT_CLASS: CharClass = CharClass {
    extra: b"-._~:/?#[]@!$&'()*+,;=",
    query_percent: false,
};
const PCHAR_CLASS: CharClass = CharClass {
    extra: b"-._~!$&'()*+,;=:@",
    query_percent: false,
};
const FRAGMENT_CLASS: CharClass = CharClass {
    extra: b"-._~!$&'()*+,;=:@/?",
    query_percent: false,
};
const QUERY_CLASS: CharClass = CharClass {
    extra: b"-._~!$'()*+,=:@/?",
    query_percent: true,
};
const HOST_CLASS: CharClass = CharClass {
    extra: b"-._~!$&'()*+,;=[:]",
    query_percent: false,
};
const UNRESERVED_CLASS: CharClass = CharClass {
    extra: UNRESERVED,
    query_percent: false,
};

/// Addressable's `normalize_component`: decode every `%XX` (but those of `leave`), apply
/// Unicode NFKC, then encode every byte the class does not keep.
fn normalize_component(component: &str, class: &CharClass) -> String {
    normalize_component_leaving(component, class, b"")
}

fn normalize_component_leaving(component: &str, class: &CharClass, leave: &[u8]) -> String {
    let bytes = component.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok());
            if let Some(byte) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                if !leave.contains(&byte) {
                    decoded.push(byte);
                    i += 3;
                    continue;
                }
            }
        }
        decoded.push(bytes[i]);
        i += 1;
    }
    match String::from_utf8(decoded) {
        Ok(text) => {
            let nfkc: String = text.nfkc().collect();
            percent_encode(nfkc.as_bytes(), class)
        }
        // Addressable falls back to its default class when the bytes are not UTF-8.
        Err(e) => percent_encode(e.as_bytes(), &DEFAULT_CLASS),
    }
}

fn percent_encode(bytes: &[u8], class: &CharClass) -> String {
    let mut out = String::with_capacity(bytes.len());
    let mut upcase_next = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if upcase_next > 0 {
            upcase_next -= 1;
            out.push(b.to_ascii_uppercase() as char);
            continue;
        }
        if b == b'%'
            && class.query_percent
            && matches!(bytes.get(i + 1..i + 3), Some(b"2B" | b"2b"))
        {
            upcase_next = 2;
        }
        let keep = if b == b'%' && class.query_percent {
            matches!(bytes.get(i + 1..i + 3), Some(b"2B" | b"2b"))
        } else {
            class.keeps(b)
        };
        if keep && b == b'%' && class.query_percent {
            // Addressable writes a kept `%2b` as `%2B`.
            out.push('%');
        } else if keep {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// Ruby's `String#strip`: ASCII whitespace and NUL at both ends.
fn ruby_strip(s: &str) -> &str {
    s.trim_matches(|c: char| matches!(c, ' ' | '\t' | '\n' | '\u{0B}' | '\u{0C}' | '\r' | '\0'))
}

/// Addressable's `URI.parse(s).normalize.to_s`.
fn normalize_uri(s: &str) -> std::result::Result<String, String> {
    let parts = split_uri(s);
    parts.is_absolute()?;
    let scheme = parts.scheme.map(str::to_ascii_lowercase);
    let authority = match parts.authority {
        Some(authority) => Some(normalize_authority(authority, scheme.as_deref())?),
        None => None,
    };
    let mut path = parts.path.to_string();
    if scheme.is_none() && !path.starts_with('/') {
        // Relative paths with a colon in the first segment are ambiguous.
        let first = path.split('/').next().unwrap_or("");
        if first.contains(':') {
            path = path.replacen(':', "%2F", 1);
        }
    }
    let path = ruby_strip(&path)
        .split('/')
        .map(|segment| normalize_component(segment, &PCHAR_CLASS))
        .collect::<Vec<_>>()
        .join("/");
    let mut path = remove_dot_segments(&path);
    if path.is_empty() && matches!(scheme.as_deref(), Some("http" | "https" | "ftp" | "tftp")) {
        path = "/".into();
    }
    if authority.is_some() && !path.is_empty() && !path.starts_with('/') {
        path.insert(0, '/');
    }
    if authority.is_none() && path.starts_with("//") {
        return Err(format!(
            "Cannot have a path with two leading slashes without an authority set: '{s}'"
        ));
    }
    let query = parts.query.and_then(|q| {
        let q = q
            .split('&')
            .map(|pair| normalize_component_leaving(pair, &QUERY_CLASS, b"+"))
            .collect::<Vec<_>>()
            .join("&");
        (!q.is_empty()).then_some(q)
    });
    let fragment = parts.fragment.and_then(|f| {
        let f = normalize_component(f, &FRAGMENT_CLASS);
        (!f.is_empty()).then_some(f)
    });
    let mut out = String::with_capacity(s.len() + 16);
    if let Some(scheme) = &scheme {
        out.push_str(scheme);
        out.push(':');
    }
    if let Some(authority) = &authority {
        out.push_str("//");
        out.push_str(authority);
    }
    out.push_str(&path);
    if let Some(query) = &query {
        out.push('?');
        out.push_str(query);
    }
    if let Some(fragment) = &fragment {
        out.push('#');
        out.push_str(fragment);
    }
    Ok(out)
}

fn normalize_authority(
    authority: &str,
    scheme: Option<&str>,
) -> std::result::Result<String, String> {
    // userinfo is everything before the last `@` (when there are no brackets before it).
    let (userinfo, hostport) = match authority.rfind('@') {
        Some(i) if !authority[..i].contains(['[', ']']) => {
            (Some(&authority[..i]), &authority[i + 1..])
        }
        _ => (None, authority),
    };
    let (host, port) = match hostport.rfind(':') {
        Some(i) if !hostport[i + 1..].contains(['@', '[', ']']) => {
            (&hostport[..i], Some(&hostport[i + 1..]))
        }
        _ => (hostport, None),
    };
    let port = port.filter(|p| !p.is_empty());
    let web = scheme.is_some_and(|s| s.contains("http"));
    let mut out = String::new();
    if let Some(userinfo) = userinfo {
        let userinfo = ruby_strip(userinfo);
        let (user, password) = match userinfo.split_once(':') {
            Some((u, p)) => (u, Some(p)),
            None => (userinfo, None),
        };
        let password_blank = password.is_none_or(|p| ruby_strip(p).is_empty());
        let user_n = if web && ruby_strip(user).is_empty() && password_blank {
            None
        } else {
            Some(normalize_component(ruby_strip(user), &UNRESERVED_CLASS))
        };
        let password_n = password.and_then(|p| {
            if web && ruby_strip(p).is_empty() && ruby_strip(user).is_empty() {
                None
            } else {
                Some(normalize_component(ruby_strip(p), &UNRESERVED_CLASS))
            }
        });
        match (user_n, password_n) {
            (Some(u), Some(p)) => {
                let _ = write!(out, "{u}:{p}@");
            }
            (Some(u), None) => {
                let _ = write!(out, "{u}@");
            }
            _ => {}
        }
    }
    let host = ruby_strip(host);
    if host.contains([
        '<', '>', '{', '}', '/', '\\', '?', '#', '@', '"', ' ', '\t', '\n', '\r',
    ]) {
        return Err(format!("Invalid character in host: '{host}'"));
    }
    if !host.is_empty() {
        let lower = host.to_lowercase();
        let decoded = percent_decode_lossy(&lower);
        let mut ascii = if decoded.is_ascii() {
            decoded
        } else {
            match url::Host::parse(&decoded) {
                Ok(url::Host::Domain(d)) => d,
                _ => decoded,
            }
        };
        if ascii.len() >= 2 && ascii.ends_with('.') && !ascii.ends_with("..") {
            ascii.pop();
        }
        out.push_str(&normalize_component(&ascii, &HOST_CLASS));
    }
    if let Some(port) = port {
        let decoded = percent_decode_lossy(port);
        if !decoded.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("Invalid port number: '{port}'"));
        }
        let number: Option<u64> = decoded.trim_start_matches('0').parse().ok().or(Some(0));
        let default = scheme.and_then(default_port);
        if number != default || default.is_none() {
            let _ = write!(out, ":{}", number.map(|n| n.to_string()).unwrap_or(decoded));
        }
    }
    Ok(out)
}

fn percent_decode_lossy(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok());
            if let Some(byte) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// RFC 3986 section 5.2.4, as Addressable's `normalize_path` applies it.
fn remove_dot_segments(path: &str) -> String {
    let mut input = path;
    let mut output: Vec<&str> = Vec::new();
    let mut out_len_prefix = String::new();
    // A path that does not start with `/` keeps its first segment as it is written.
    if !input.starts_with('/') {
        while let Some(rest) = input
            .strip_prefix("../")
            .or_else(|| input.strip_prefix("./"))
        {
            input = rest;
        }
        if input == "." || input == ".." {
            return String::new();
        }
        let end = input.find('/').unwrap_or(input.len());
        out_len_prefix.push_str(&input[..end]);
        input = &input[end..];
    }
    // `input` now starts with `/` or is empty: process segment by segment.
    let mut segments = input.split('/').skip(1).peekable();
    while let Some(segment) = segments.next() {
        let last = segments.peek().is_none();
        match segment {
            "." => {
                if last {
                    output.push("");
                }
            }
            ".." => {
                output.pop();
                if last {
                    output.push("");
                }
            }
            other => output.push(other),
        }
    }
    let mut out = out_len_prefix;
    for segment in output {
        out.push('/');
        out.push_str(segment);
    }
    out
}

fn cgi_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-' | b'~') {
            out.push(b as char);
        } else if b == b' ' {
            out.push('+');
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Text.

fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

fn is_ruby_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\u{0B}' | '\u{0C}' | '\r')
}

fn normalize_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_space = false;
    for c in s.chars() {
        if is_ruby_space(c) {
            in_space = true;
        } else {
            if in_space {
                out.push(' ');
                in_space = false;
            }
            out.push(c);
        }
    }
    if in_space {
        out.push(' ');
    }
    ruby_strip(&out).to_string()
}

fn number_of_words(text: &str, mode: Option<&str>) -> i64 {
    static CJK: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"[\p{Han}\p{Katakana}\p{Hiragana}\p{Hangul}]").expect("valid regex")
    });
    static WORD: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"[^\p{Han}\p{Katakana}\p{Hiragana}\p{Hangul} \t\n\x0B\x0C\r]+")
            .expect("valid regex")
    });
    let split = || text.split(is_ruby_space).filter(|w| !w.is_empty()).count() as i64;
    match mode {
        Some("cjk") => (CJK.find_iter(text).count() + WORD.find_iter(text).count()) as i64,
        Some("auto") => {
            let cjk = CJK.find_iter(text).count();
            if cjk == 0 {
                split()
            } else {
                (cjk + WORD.find_iter(text).count()) as i64
            }
        }
        _ => split(),
    }
}

/// Ruby's `Array#join`: nested arrays are joined with the same separator.
fn ruby_join(array: &dyn ArrayView, separator: &str, out: &mut String) {
    for (i, item) in array.values().enumerate() {
        if i > 0 {
            out.push_str(separator);
        }
        match item.as_array() {
            Some(inner) => ruby_join(inner, separator, out),
            None => out.push_str(&to_s(item)),
        }
    }
}

fn array_to_sentence_string(input: &dyn ValueView, connector: Option<&Value>) -> Result<Value> {
    let Some(array) = input.as_array() else {
        return Err(invalid_input("array_to_sentence_string: an array expected"));
    };
    let connector = connector.map_or_else(|| "and".into(), |c| to_s(c).into_owned());
    let items: Vec<&dyn ValueView> = array.values().collect();
    let out = match items.as_slice() {
        [] => String::new(),
        [one] => to_s(*one).into_owned(),
        [a, b] => format!("{} {connector} {}", to_s(*a), to_s(*b)),
        [init @ .., last] => {
            let mut out = String::new();
            let init: Vec<Value> = init.iter().map(ValueView::to_value).collect();
            ruby_join(&init, ", ", &mut out);
            let _ = write!(out, ", {connector} {}", to_s(*last));
            out
        }
    };
    Ok(Value::scalar(out))
}

fn to_integer(input: &dyn ValueView) -> Result<Value> {
    Ok(match classify(input) {
        Val::Nil => Value::scalar(0i64),
        Val::Bool(b) => Value::scalar(i64::from(b)),
        Val::Int(i) => Value::scalar(i),
        Val::Float(f) => {
            if !f.is_finite() {
                return Err(invalid_input(format!("to_integer: {}", ruby_float(f))));
            }
            let t = f.trunc();
            if (-9.2e18..=9.2e18).contains(&t) {
                Value::scalar(t as i64)
            } else {
                Value::scalar(format!("{t:.0}"))
            }
        }
        Val::Str(s) => ruby_to_i(s.as_str()),
        Val::Time(t) => Value::scalar(t.unix_timestamp()),
        _ => return Err(invalid_input("to_integer: no integer for this value")),
    })
}

/// Ruby's `String#to_i`: leading whitespace, a sign, digits with single underscores between
/// them; whatever follows is ignored. Numbers past i64 stay as their digits.
fn ruby_to_i(s: &str) -> Value {
    let s = s.trim_start_matches(is_ruby_space);
    let (negative, rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let mut digits = String::new();
    let bytes = rest.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b.is_ascii_digit() {
            digits.push(b as char);
        } else if b == b'_'
            && i > 0
            && bytes[i - 1].is_ascii_digit()
            && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)
        {
            continue;
        } else {
            break;
        }
    }
    let digits = digits.trim_start_matches('0');
    if digits.is_empty() {
        return Value::scalar(0i64);
    }
    let signed = if negative {
        format!("-{digits}")
    } else {
        digits.to_string()
    };
    match signed.parse::<i64>() {
        Ok(n) => Value::scalar(n),
        Err(_) => Value::scalar(signed),
    }
}

// ---------------------------------------------------------------------------------------------
// slugify: Jekyll's Utils.slugify.

fn slugify(input: &dyn ValueView, mode: Option<&Value>) -> Result<Value> {
    static DEFAULT: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"[^\p{M}\p{L}\p{Nd}]+").expect("valid regex"));
    static RAW: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"[ \t\n\x0B\x0C\r]+").expect("valid regex"));
    static PRETTY: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"[^\p{M}\p{L}\p{Nd}._~!$&'()+,;=@]+").expect("valid regex"));
    static ASCII: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"[^A-Za-z0-9]+").expect("valid regex"));
    let text = match classify(input) {
        Val::Nil => return Ok(Value::Nil),
        Val::Str(s) => s,
        _ => return Err(invalid_input("slugify: a string expected")),
    };
    let mode = match mode.map(|m| classify(m)) {
        None | Some(Val::Nil) => "default".to_string(),
        Some(_) => to_s(mode.unwrap_or(&Value::Nil)).into_owned(),
    };
    let transliterated;
    let (re, source): (&Regex, &str) = match mode.as_str() {
        "raw" => (&RAW, text.as_str()),
        "default" => (&DEFAULT, text.as_str()),
        "pretty" => (&PRETTY, text.as_str()),
        "ascii" => (&ASCII, text.as_str()),
        "latin" => {
            transliterated = i18n_transliterate(text.as_str());
            (&ASCII, transliterated.as_str())
        }
        // Any other mode (Jekyll's "none", say): the text, lowercased.
        _ => return Ok(Value::scalar(ruby_downcase(text.as_str()))),
    };
    let replaced = re.replace_all(source, "-");
    let trimmed = replaced.strip_prefix('-').unwrap_or(&replaced);
    let trimmed = trimmed.strip_suffix('-').unwrap_or(trimmed);
    Ok(Value::scalar(ruby_downcase(trimmed)))
}

/// Ruby's `String#downcase`: full Unicode lowercase, character by character (no final sigma).
fn ruby_downcase(s: &str) -> String {
    s.chars().flat_map(char::to_lowercase).collect()
}

/// I18n's default transliteration: Latin-1 and Latin Extended-A letters to ASCII, anything
/// else outside ASCII to `?`.
fn i18n_transliterate(s: &str) -> String {
    const TABLE: [&str; 191] = [
        "A", "A", "A", "A", "A", "A", "AE", "C", "E", "E", "E", "E", "I", "I", "I", "I", "D", "N",
        "O", "O", "O", "O", "O", "x", "O", "U", "U", "U", "U", "Y", "Th", "ss", "a", "a", "a", "a",
        "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i", "d", "n", "o", "o", "o", "o",
        "o", "", "o", "u", "u", "u", "u", "y", "th", "y", "A", "a", "A", "a", "A", "a", "C", "c",
        "C", "c", "C", "c", "C", "c", "D", "d", "D", "d", "E", "e", "E", "e", "E", "e", "E", "e",
        "E", "e", "G", "g", "G", "g", "G", "g", "G", "g", "H", "h", "H", "h", "I", "i", "I", "i",
        "I", "i", "I", "i", "I", "i", "IJ", "ij", "J", "j", "K", "k", "k", "L", "l", "L", "l", "L",
        "l", "L", "l", "L", "l", "N", "n", "N", "n", "N", "n", "'n", "NG", "ng", "O", "o", "O",
        "o", "O", "o", "OE", "oe", "R", "r", "R", "r", "R", "r", "S", "s", "S", "s", "S", "s", "S",
        "s", "T", "t", "T", "t", "T", "t", "U", "u", "U", "u", "U", "u", "U", "u", "U", "u", "U",
        "u", "W", "w", "Y", "y", "Y", "Z", "z", "Z", "z", "Z", "z",
    ];
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c);
            continue;
        }
        let mapped = (c as usize)
            .checked_sub(0xC0)
            .and_then(|i| TABLE.get(i))
            .filter(|m| !m.is_empty());
        out.push_str(mapped.copied().unwrap_or("?"));
    }
    out
}

// ---------------------------------------------------------------------------------------------
// where, find, group_by, sort: Jekyll's item_property and friends.

/// Where a property lookup stands: a part of the item, or a value Ruby made on the way.
enum Found<'a> {
    Ref(&'a dyn ValueView),
    Owned(Value),
}

fn no_index(item: &dyn ValueView, property: &str) -> Error {
    invalid_input(format!(
        "cannot read property {property:?} of {}",
        item.type_name()
    ))
}

/// `item[property]` as Ruby reads it: hashes by key, strings by substring (`"news"["ne"]` is
/// `"ne"`); nil has no `[]`, integers and arrays want integer indexes.
fn index_step<'a>(item: &'a dyn ValueView, key: &str, dotted: bool) -> Result<Found<'a>> {
    Ok(match classify(item) {
        Val::Object(o) => o.get(key).map_or(Found::Owned(Value::Nil), Found::Ref),
        Val::Str(s) => Found::Owned(if s.contains(key) {
            Value::scalar(key.to_string())
        } else {
            Value::Nil
        }),
        Val::Int(_) | Val::Array(_) => return Err(no_index(item, key)),
        // Along a dotted path Jekyll stops with `false` at anything without `[]`.
        Val::Nil | Val::Bool(_) | Val::Float(_) | Val::Time(_) | Val::Date(_) | Val::Literal
            if dotted =>
        {
            Found::Owned(Value::scalar(false))
        }
        _ => return Err(no_index(item, key)),
    })
}

/// Jekyll's `item_property`: the (dotted) property of an item, numeric-looking strings as
/// numbers (`parse_sort_input`).
fn item_property(item: &dyn ValueView, property: &str) -> Result<Value> {
    let raw = if !property.contains('.') {
        match index_step(item, property, false)? {
            Found::Ref(v) => v.to_value(),
            Found::Owned(v) => v,
        }
    } else {
        // Ruby's split drops trailing empty fields.
        let keys: Vec<&str> = property.split('.').collect();
        let used = keys
            .iter()
            .rposition(|k| !k.is_empty())
            .map_or(0, |i| i + 1);
        let mut current = Found::Ref(item);
        for key in &keys[..used] {
            current = match current {
                Found::Ref(v) => {
                    if !is_truthy(v) {
                        Found::Owned(Value::scalar(false))
                    } else {
                        index_step(v, key, true)?
                    }
                }
                Found::Owned(v) => {
                    if !is_truthy(&v) {
                        Found::Owned(Value::scalar(false))
                    } else {
                        match index_step(&v, key, true)? {
                            Found::Ref(r) => Found::Owned(r.to_value()),
                            Found::Owned(o) => Found::Owned(o),
                        }
                    }
                }
            };
        }
        match current {
            Found::Ref(v) => v.to_value(),
            Found::Owned(v) => v,
        }
    };
    Ok(parse_sort_input(raw))
}

/// Jekyll's `parse_sort_input`: `" 42 "` is 42 and `"1.50"` is 1.5, for sorting and comparing.
fn parse_sort_input(value: Value) -> Value {
    static INTEGER_LIKE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\A[ \t\n\x0B\x0C\r]*-?[0-9]+[ \t\n\x0B\x0C\r]*\z").expect("valid regex")
    });
    static FLOAT_LIKE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\A[ \t\n\x0B\x0C\r]*-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)[ \t\n\x0B\x0C\r]*\z")
            .expect("valid regex")
    });
    let converted = match classify(&value) {
        Val::Str(s) if INTEGER_LIKE.is_match(s.as_str()) => Some(ruby_to_i(s.as_str())),
        Val::Str(s) if FLOAT_LIKE.is_match(s.as_str()) => {
            let trimmed = s.as_str().trim_matches(is_ruby_space);
            trimmed.parse::<f64>().ok().map(Value::scalar)
        }
        _ => None,
    };
    converted.unwrap_or(value)
}

/// Jekyll's `compare_property_vs_target`.
fn property_matches(property: &dyn ValueView, target: &dyn ValueView) -> bool {
    match classify(target) {
        Val::Nil => property.is_nil(),
        // `empty` and `blank`: an empty string, or anything whose `Array(x).join` is empty.
        Val::Literal => joins_to_empty(property),
        _ => {
            let target = to_s(target);
            match classify(property) {
                Val::Str(s) => s.as_str() == target,
                Val::Nil => false,
                Val::Array(a) => a.values().any(|p| to_s(p) == target),
                Val::Object(o) => sorted_entries(o).into_iter().any(|(k, v)| {
                    let pair = vec![Value::scalar(k.into_owned()), v.to_value()];
                    to_s(&Value::Array(pair)) == target
                }),
                _ => to_s(property) == target,
            }
        }
    }
}

/// The items Jekyll's array filters walk: an array's, or a hash's values.
fn collection_items(input: &dyn ValueView) -> Option<Vec<&dyn ValueView>> {
    match classify(input) {
        Val::Array(a) => Some(a.values().collect()),
        Val::Object(o) => Some(sorted_entries(o).into_iter().map(|(_, v)| v).collect()),
        _ => None,
    }
}

/// `where` and `find`. With one argument `where` keeps the items whose property is truthy,
/// as liquid's own `where` does (Jekyll's asks for two).
fn where_filter(input: &dyn ValueView, args: &[Value], find: bool) -> Result<Value> {
    let property = args.first().unwrap_or(&Value::Nil);
    let target = args.get(1);
    if !is_truthy(property)
        || target.is_some_and(|t| matches!(classify(t), Val::Array(_) | Val::Object(_)))
    {
        return Ok(input.to_value());
    }
    let Some(items) = collection_items(input) else {
        return Ok(input.to_value());
    };
    let property = to_s(property);
    let mut selected = Vec::new();
    for item in items {
        let value = item_property(item, &property)?;
        let keep = match target {
            Some(target) => property_matches(&value, target),
            None => is_truthy(&value),
        };
        if keep {
            if find {
                return Ok(item.to_value());
            }
            selected.push(item.to_value());
        }
    }
    Ok(if find {
        Value::Nil
    } else {
        Value::Array(selected)
    })
}

fn group_by(input: &dyn ValueView, property: &Value) -> Result<Value> {
    let items: Vec<&dyn ValueView> = match classify(input) {
        Val::Array(a) => a.values().collect(),
        Val::Object(_) => return Err(invalid_input("group_by: an array expected, not a hash")),
        _ => return Ok(input.to_value()),
    };
    let property = to_s(property);
    let mut groups = Groups::default();
    for item in items {
        let name = to_s(&item_property(item, &property)?).into_owned();
        groups.add(name.clone(), Value::scalar(name), item.to_value());
    }
    Ok(groups.into_value())
}

/// Groups in the order their first item came, as Ruby's `group_by` keeps them.
#[derive(Default)]
struct Groups {
    index: HashMap<String, usize>,
    groups: Vec<(Value, Vec<Value>)>,
}

impl Groups {
    fn add(&mut self, key: String, name: Value, item: Value) {
        let i = *self.index.entry(key).or_insert_with(|| {
            self.groups.push((name, Vec::new()));
            self.groups.len() - 1
        });
        self.groups[i].1.push(item);
    }

    fn into_value(self) -> Value {
        Value::Array(
            self.groups
                .into_iter()
                .map(|(name, items)| {
                    let mut group = Object::new();
                    group.insert(KString::from_static("name"), name);
                    group.insert(
                        KString::from_static("size"),
                        Value::scalar(items.len() as i64),
                    );
                    group.insert(KString::from_static("items"), Value::Array(items));
                    Value::Object(group)
                })
                .collect(),
        )
    }
}

/// A key under which Ruby's `eql?` puts equal values together (`1` and `1.0` apart).
fn group_key(v: &dyn ValueView, out: &mut String) {
    match classify(v) {
        Val::Time(t) => {
            let _ = write!(out, "T{}", t.unix_timestamp_nanos());
        }
        Val::Array(a) => {
            out.push('[');
            for item in a.values() {
                group_key(item, out);
                out.push(',');
            }
            out.push(']');
        }
        Val::Object(o) => {
            out.push('{');
            for (k, item) in sorted_entries(o) {
                inspect_str(k.as_str(), out);
                out.push(':');
                group_key(item, out);
                out.push(',');
            }
            out.push('}');
        }
        _ => inspect_into(v, out),
    }
}

fn sort(input: &dyn ValueView, property: Option<&Value>, nils: Option<&Value>) -> Result<Value> {
    let items: Vec<&dyn ValueView> = match classify(input) {
        Val::Nil => return Err(invalid_input("Cannot sort a null object.")),
        Val::Array(a) => a.values().collect(),
        _ => return Err(invalid_input("sort: an array expected")),
    };
    let property = property.filter(|p| !p.is_nil());
    let Some(property) = property else {
        let mut failure: Option<String> = None;
        let sorted = merge_sort_by(items, &mut |a: &&dyn ValueView, b: &&dyn ValueView| {
            ruby_cmp(*a, *b).unwrap_or_else(|| {
                if failure.is_none() {
                    failure = Some(format!(
                        "comparison of {} with {} failed",
                        a.type_name(),
                        b.type_name()
                    ));
                }
                Ordering::Equal
            })
        });
        if let Some(failure) = failure {
            return Err(invalid_input(failure));
        }
        return Ok(Value::Array(
            sorted.into_iter().map(ValueView::to_value).collect(),
        ));
    };
    let nils_first = match nils.map(|n| to_s(n)).as_deref() {
        None | Some("first") => true,
        Some("last") => false,
        Some(other) => {
            return Err(invalid_argument(
                "nils",
                format!("Invalid nils order: '{other}' is not a valid nils order. It must be 'first' or 'last'."),
            ))
        }
    };
    let property = to_s(property);
    let keyed = items
        .into_iter()
        .map(|item| Ok((item_property(item, &property)?, item)))
        .collect::<Result<Vec<_>>>()?;
    let sorted = merge_sort_by(
        keyed,
        &mut |(a, _): &(Value, &dyn ValueView), (b, _): &(Value, &dyn ValueView)| match (
            a.is_nil(),
            b.is_nil(),
        ) {
            (false, true) => {
                if nils_first {
                    Ordering::Greater
                } else {
                    Ordering::Less
                }
            }
            (true, false) => {
                if nils_first {
                    Ordering::Less
                } else {
                    Ordering::Greater
                }
            }
            _ => ruby_cmp(a, b).unwrap_or_else(|| to_s(a).as_bytes().cmp(to_s(b).as_bytes())),
        },
    );
    Ok(Value::Array(
        sorted
            .into_iter()
            .map(|(_, item)| item.to_value())
            .collect(),
    ))
}

/// Liquid's `Utils.to_integer`: integers, and strings Ruby's `Integer()` reads.
fn liquid_integer(v: &dyn ValueView) -> Option<i64> {
    match classify(v) {
        Val::Int(i) => Some(i),
        Val::Str(s) => ruby_integer(s.as_str()),
        _ => None,
    }
}

/// Ruby's `Integer(string)`: optional sign, `0x`/`0b`/`0o`/`0` prefixes, underscores between
/// digits, whitespace around.
fn ruby_integer(s: &str) -> Option<i64> {
    let s = ruby_strip(s);
    let (negative, s) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let lower = s.to_ascii_lowercase();
    let (radix, digits) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d)
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d)
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, &lower[1..])
    } else {
        (10, lower.as_str())
    };
    if digits.is_empty()
        || digits.starts_with('_')
        || digits.ends_with('_')
        || digits.contains("__")
    {
        return None;
    }
    let cleaned: String = digits.chars().filter(|&c| c != '_').collect();
    let n = i64::from_str_radix(&cleaned, radix).ok()?;
    Some(if negative { -n } else { n })
}

/// `sample` picks the first items rather than random ones: a site must come out the same on
/// every build (and in tests), and any pick is as good as another for Jekyll's contract.
fn sample(input: &dyn ValueView, count: Option<&Value>) -> Result<Value> {
    let Some(array) = input.as_array() else {
        return Ok(input.to_value());
    };
    let count = count.map_or(Some(1), |c| liquid_integer(c)).unwrap_or(1);
    if count == 1 {
        return Ok(array.first().map_or(Value::Nil, ValueView::to_value));
    }
    if count < 0 {
        return Err(invalid_argument("count", "negative sample number"));
    }
    Ok(Value::Array(
        array
            .values()
            .take(count as usize)
            .map(ValueView::to_value)
            .collect(),
    ))
}

fn pop_shift(input: &dyn ValueView, count: Option<&Value>, shift: bool) -> Result<Value> {
    let Some(array) = input.as_array() else {
        return Ok(input.to_value());
    };
    let count = match count {
        None => 1,
        Some(c) => liquid_integer(c).ok_or_else(|| invalid_argument("count", "invalid integer"))?,
    };
    if count < 0 {
        return Err(invalid_argument("count", "negative array size"));
    }
    let len = array.size().max(0) as usize;
    let count = (count as u64).min(len as u64) as usize;
    let kept: Vec<Value> = if shift {
        array
            .values()
            .skip(count)
            .map(ValueView::to_value)
            .collect()
    } else {
        array
            .values()
            .take(len - count)
            .map(ValueView::to_value)
            .collect()
    };
    Ok(Value::Array(kept))
}

fn push_unshift(input: &dyn ValueView, element: Option<&Value>, front: bool) -> Result<Value> {
    let Some(array) = input.as_array() else {
        return Ok(input.to_value());
    };
    let element = element.cloned().unwrap_or(Value::Nil);
    let mut items: Vec<Value> = Vec::with_capacity(array.size().max(0) as usize + 1);
    if front {
        items.push(element.clone());
    }
    items.extend(array.values().map(ValueView::to_value));
    if !front {
        items.push(element);
    }
    Ok(Value::Array(items))
}

// ---------------------------------------------------------------------------------------------
// where_exp, find_exp, group_by_exp: expressions evaluated with each item bound to a name.

/// A runtime with one more variable, where a missing variable is nil (Jekyll's lax Liquid)
/// rather than an error.
struct Binding<'a> {
    parent: &'a dyn Runtime,
    name: &'a str,
    value: &'a dyn ValueView,
}

impl Runtime for Binding<'_> {
    fn partials(&self) -> &dyn PartialStore {
        self.parent.partials()
    }

    fn name(&self) -> Option<KStringRef<'_>> {
        self.parent.name()
    }

    fn roots(&self) -> BTreeSet<KStringCow<'_>> {
        let mut roots = self.parent.roots();
        roots.insert(KStringCow::from_ref(self.name));
        roots
    }

    fn try_get(&self, path: &[ScalarCow<'_>]) -> Option<ValueCow<'_>> {
        let first = path.first()?;
        if first.to_kstr().as_str() == self.name {
            try_find(self.value, &path[1..])
        } else {
            self.parent.try_get(path)
        }
    }

    fn get(&self, path: &[ScalarCow<'_>]) -> Result<ValueCow<'_>> {
        Ok(self.try_get(path).unwrap_or(ValueCow::Owned(Value::Nil)))
    }

    fn set_global(&self, name: KString, val: Value) -> Option<Value> {
        self.parent.set_global(name, val)
    }

    fn set_index(&self, name: KString, val: Value) -> Option<Value> {
        self.parent.set_index(name, val)
    }

    fn get_index<'a>(&'a self, name: &str) -> Option<ValueCow<'a>> {
        self.parent.get_index(name)
    }

    fn registers(&self) -> &Registers {
        self.parent.registers()
    }
}

#[derive(Debug)]
enum Operand {
    Expr(Expression),
    /// `empty` and `blank`: in Jekyll's conditions these equal nothing, but are truthy.
    MethodLiteral,
    Range(Expression, Expression),
}

#[derive(Debug, Clone, Copy)]
enum Comparison {
    Eq,
    Ne,
    Lt,
    Gt,
    Le,
    Ge,
    Contains,
}

#[derive(Debug)]
struct Clause {
    left: Operand,
    comparison: Option<(Comparison, Operand)>,
}

/// A condition as Jekyll parses one for `where_exp`: clauses joined by `and`/`or`, evaluated
/// from the right (`a and b or c` is `a and (b or c)`), as Liquid's `if` does.
#[derive(Debug)]
struct Condition {
    clauses: Vec<Clause>,
    /// `joins[i]` joins clause i and i + 1; true for `and`.
    joins: Vec<bool>,
}

fn parse_condition(expression: &str) -> Result<Condition> {
    use liquid_core::parser::{Tag, TryMatchToken};
    let text = format!("{{% condition {expression} %}}");
    let tag = Tag::new(&text)
        .map_err(|e| invalid_argument("expression", format!("{expression:?}: {e}")))?;
    let mut tokens = tag.into_tokens().peekable();
    let syntax = |what: &str| {
        invalid_argument(
            "expression",
            format!("Liquid syntax error in {expression:?}: {what}"),
        )
    };
    let operand = |token: liquid_core::parser::TagToken<'_>| -> Result<Operand> {
        let token = match token.expect_range() {
            TryMatchToken::Matches((start, end)) => return Ok(Operand::Range(start, end)),
            TryMatchToken::Fails(token) => token,
        };
        let expr = token
            .expect_value()
            .into_result()
            .map_err(|e| syntax(&e.to_string()))?;
        Ok(match &expr {
            Expression::Literal(v) if v.is_state() => Operand::MethodLiteral,
            _ => Operand::Expr(expr),
        })
    };
    let mut clauses = Vec::new();
    let mut joins = Vec::new();
    loop {
        let left = operand(
            tokens
                .next()
                .ok_or_else(|| syntax("an expression expected"))?,
        )?;
        let comparison = match tokens.peek().map(liquid_core::parser::TagToken::as_str) {
            Some("==") => Some(Comparison::Eq),
            Some("!=" | "<>") => Some(Comparison::Ne),
            Some("<") => Some(Comparison::Lt),
            Some(">") => Some(Comparison::Gt),
            Some("<=") => Some(Comparison::Le),
            Some(">=") => Some(Comparison::Ge),
            Some("contains") => Some(Comparison::Contains),
            _ => None,
        };
        let comparison = match comparison {
            Some(c) => {
                tokens.next();
                let right = operand(
                    tokens
                        .next()
                        .ok_or_else(|| syntax("an expression expected"))?,
                )?;
                Some((c, right))
            }
            None => None,
        };
        clauses.push(Clause { left, comparison });
        match tokens.next() {
            None => break,
            Some(t) if t.as_str() == "and" => joins.push(true),
            Some(t) if t.as_str() == "or" => joins.push(false),
            Some(t) => return Err(syntax(&format!("unexpected {:?}", t.as_str()))),
        }
    }
    Ok(Condition { clauses, joins })
}

enum Evaluated<'a> {
    Value(ValueCow<'a>),
    MethodLiteral,
    Range(i64, i64),
}

impl Evaluated<'_> {
    fn truthy(&self) -> bool {
        match self {
            Evaluated::Value(v) => is_truthy(v.as_view()),
            _ => true,
        }
    }
}

fn evaluate_operand<'a>(operand: &'a Operand, runtime: &'a dyn Runtime) -> Result<Evaluated<'a>> {
    Ok(match operand {
        Operand::Expr(expr) => Evaluated::Value(
            expr.try_evaluate(runtime)
                .unwrap_or(ValueCow::Owned(Value::Nil)),
        ),
        Operand::MethodLiteral => Evaluated::MethodLiteral,
        Operand::Range(start, end) => {
            let bound = |e: &Expression| {
                let v = e
                    .try_evaluate(runtime)
                    .unwrap_or(ValueCow::Owned(Value::Nil));
                liquid_integer(v.as_view())
                    .ok_or_else(|| invalid_argument("expression", "invalid integer in a range"))
            };
            Evaluated::Range(bound(start)?, bound(end)?)
        }
    })
}

fn is_comparable(v: &dyn ValueView) -> bool {
    matches!(
        classify(v),
        Val::Int(_) | Val::Float(_) | Val::Str(_) | Val::Time(_) | Val::Date(_)
    )
}

impl Clause {
    fn evaluate(&self, runtime: &dyn Runtime) -> Result<bool> {
        let left = evaluate_operand(&self.left, runtime)?;
        let Some((comparison, right)) = &self.comparison else {
            return Ok(left.truthy());
        };
        let right = evaluate_operand(right, runtime)?;
        Ok(match comparison {
            Comparison::Eq => equal(&left, &right),
            Comparison::Ne => !equal(&left, &right),
            Comparison::Contains => contains(&left, &right),
            order => match (&left, &right) {
                (Evaluated::Value(a), Evaluated::Value(b))
                    if is_comparable(a.as_view()) && is_comparable(b.as_view()) =>
                {
                    match ruby_cmp(a.as_view(), b.as_view()) {
                        Some(o) => match order {
                            Comparison::Lt => o == Ordering::Less,
                            Comparison::Gt => o == Ordering::Greater,
                            Comparison::Le => o != Ordering::Greater,
                            _ => o != Ordering::Less,
                        },
                        None => false,
                    }
                }
                _ => false,
            },
        })
    }
}

fn equal(left: &Evaluated<'_>, right: &Evaluated<'_>) -> bool {
    match (left, right) {
        (Evaluated::Value(a), Evaluated::Value(b)) => ruby_eq(a.as_view(), b.as_view()),
        (Evaluated::Range(a, b), Evaluated::Range(c, d)) => a == c && b == d,
        _ => false,
    }
}

fn contains(left: &Evaluated<'_>, right: &Evaluated<'_>) -> bool {
    if !left.truthy() || !right.truthy() {
        return false;
    }
    match (left, right) {
        (Evaluated::Value(a), right) => match classify(a.as_view()) {
            Val::Str(s) => {
                let needle = match right {
                    Evaluated::Value(b) => to_s(b.as_view()).into_owned(),
                    Evaluated::MethodLiteral => String::new(),
                    Evaluated::Range(x, y) => format!("{x}..{y}"),
                };
                s.as_str().contains(needle.as_str())
            }
            Val::Array(items) => match right {
                Evaluated::Value(b) => items.values().any(|item| ruby_eq(item, b.as_view())),
                _ => false,
            },
            Val::Object(o) => match right {
                Evaluated::Value(b) => match classify(b.as_view()) {
                    Val::Str(key) => o.contains_key(key.as_str()),
                    _ => false,
                },
                _ => false,
            },
            _ => false,
        },
        (Evaluated::Range(start, end), Evaluated::Value(b)) => match classify(b.as_view()) {
            Val::Int(i) => (*start..=*end).contains(&i),
            Val::Float(f) => (*start as f64) <= f && f <= (*end as f64),
            _ => false,
        },
        _ => false,
    }
}

impl Condition {
    fn evaluate(&self, runtime: &dyn Runtime) -> Result<bool> {
        let mut result = false;
        for (i, clause) in self.clauses.iter().enumerate().rev() {
            let value = clause.evaluate(runtime)?;
            result = if i + 1 == self.clauses.len() {
                value
            } else if self.joins[i] {
                value && result
            } else {
                value || result
            };
        }
        Ok(result)
    }
}

fn where_exp(
    input: &dyn ValueView,
    args: &[Value],
    runtime: &dyn Runtime,
    find: bool,
) -> Result<Value> {
    let Some(items) = collection_items(input) else {
        return Ok(input.to_value());
    };
    let variable = to_s(args.first().unwrap_or(&Value::Nil));
    let condition = parse_condition(&to_s(args.get(1).unwrap_or(&Value::Nil)))?;
    let mut selected = Vec::new();
    for item in items {
        let binding = Binding {
            parent: runtime,
            name: &variable,
            value: item,
        };
        if condition.evaluate(&binding)? {
            if find {
                return Ok(item.to_value());
            }
            selected.push(item.to_value());
        }
    }
    Ok(if find {
        Value::Nil
    } else {
        Value::Array(selected)
    })
}

fn group_by_exp(
    input: &dyn ValueView,
    args: &[Value],
    runtime: &dyn Runtime,
    language: Option<&Language>,
) -> Result<Value> {
    // Jekyll groups a hash's [key, value] pairs.
    let pairs: Vec<Value>;
    let items: Vec<&dyn ValueView> = match classify(input) {
        Val::Array(a) => a.values().collect(),
        Val::Object(o) => {
            pairs = sorted_entries(o)
                .into_iter()
                .map(|(k, v)| Value::Array(vec![Value::scalar(k.into_owned()), v.to_value()]))
                .collect();
            pairs.iter().map(|p| p as &dyn ValueView).collect()
        }
        _ => return Ok(input.to_value()),
    };
    let variable = to_s(args.first().unwrap_or(&Value::Nil));
    let expression = to_s(args.get(1).unwrap_or(&Value::Nil));
    let empty = Language::default();
    let language = language.unwrap_or(&empty);
    let text = format!("{{% group {expression} %}}");
    let tag = liquid_core::parser::Tag::new(&text)
        .map_err(|e| invalid_argument("expression", format!("{expression:?}: {e}")))?;
    let mut tokens = tag.into_tokens();
    let chain = tokens
        .next()
        .ok_or_else(|| invalid_argument("expression", "an expression expected"))?
        .expect_filter_chain(language)
        .into_result()
        .map_err(|e| invalid_argument("expression", format!("{expression:?}: {e}")))?;
    if let Some(extra) = tokens.next() {
        return Err(invalid_argument(
            "expression",
            format!("{expression:?}: unexpected {:?}", extra.as_str()),
        ));
    }
    let mut groups = Groups::default();
    for item in items {
        let binding = Binding {
            parent: runtime,
            name: &variable,
            value: item,
        };
        let name = chain.evaluate(&binding)?.into_owned();
        let mut key = String::new();
        group_key(&name, &mut key);
        groups.add(key, name, item.to_value());
    }
    Ok(groups.into_value())
}

// ---------------------------------------------------------------------------------------------
// Dates.

#[derive(Clone, Copy)]
enum DateFormat {
    Xmlschema,
    Rfc822,
    Short,
    Long,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

fn date_filter(
    input: &dyn ValueView,
    ctx: &FilterContext,
    format: DateFormat,
    args: &[Value],
) -> Result<Value> {
    // Jekyll hands back nil and "" as they are.
    if to_s(input).is_empty() {
        return Ok(input.to_value());
    }
    let time = to_time(input, ctx.timezone, Utc::now())?;
    let year = ruby_year(time.year());
    let month = MONTHS[time.month0() as usize];
    let out = match format {
        DateFormat::Xmlschema => format!(
            "{year}-{:02}-{:02}T{:02}:{:02}:{:02}{}",
            time.month(),
            time.day(),
            time.hour(),
            time.minute(),
            time.second(),
            ruby_offset(time.offset().fix().local_minus_utc(), true)
        ),
        DateFormat::Rfc822 => format!(
            "{}, {:02} {} {year} {:02}:{:02}:{:02} {}",
            WEEKDAYS[time.weekday().num_days_from_monday() as usize],
            time.day(),
            &month[..3],
            time.hour(),
            time.minute(),
            time.second(),
            ruby_offset(time.offset().fix().local_minus_utc(), false)
        ),
        DateFormat::Short | DateFormat::Long => {
            let month = if matches!(format, DateFormat::Short) {
                &month[..3]
            } else {
                month
            };
            let ordinal = args.first().is_some_and(|t| to_s(t) == "ordinal");
            let us = args.get(1).is_some_and(|s| to_s(s) == "US");
            let day = time.day();
            if ordinal {
                let suffix = match (day % 100, day % 10) {
                    (11..=13, _) => "th",
                    (_, 1) => "st",
                    (_, 2) => "nd",
                    (_, 3) => "rd",
                    _ => "th",
                };
                if us {
                    format!("{month} {day}{suffix}, {year}")
                } else {
                    format!("{day}{suffix} {month} {year}")
                }
            } else {
                format!("{day:02} {month} {year}")
            }
        }
    };
    Ok(Value::scalar(out))
}

/// Liquid's `Utils.to_date` followed by Jekyll's `to_time.localtime`: the moment a value names,
/// in the site's time zone.
fn to_time(input: &dyn ValueView, tz: Tz, now: ChronoDateTime<Utc>) -> Result<ChronoDateTime<Tz>> {
    let invalid = || {
        let mut shown = String::new();
        inspect_into(input, &mut shown);
        invalid_input(format!("Invalid Date: '{shown}' is not a valid datetime."))
    };
    let from_epoch = |secs: i64| {
        Utc.timestamp_opt(secs, 0)
            .single()
            .map(|t| t.with_timezone(&tz))
    };
    match classify(input) {
        Val::Time(t) => liquid_to_chrono(&t)
            .map(|t| t.with_timezone(&tz))
            .ok_or_else(invalid),
        Val::Date(d) => liquid_date_to_naive(d)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|n| local_time(n, tz))
            .ok_or_else(invalid),
        Val::Int(i) => from_epoch(i).ok_or_else(invalid),
        Val::Str(s) => {
            let lower = s.as_str().to_lowercase();
            if lower == "now" || lower == "today" {
                return Ok(now.with_timezone(&tz));
            }
            if !lower.is_empty() && lower.bytes().all(|b| b.is_ascii_digit()) {
                return lower
                    .parse::<i64>()
                    .ok()
                    .and_then(from_epoch)
                    .ok_or_else(invalid);
            }
            parse_time(&lower, tz, now).ok_or_else(invalid)
        }
        _ => Err(invalid()),
    }
}

/// A wall-clock time in `tz` as Ruby's `Time.local` reads it: the later of two readings in a
/// repeated hour (standard time), and a time in a skipped hour read with the offset before the
/// change (02:30 is 03:30 summer time).
fn local_time(naive: NaiveDateTime, tz: Tz) -> ChronoDateTime<Tz> {
    match tz.from_local_datetime(&naive) {
        LocalResult::Single(t) => t,
        LocalResult::Ambiguous(_, later) => later,
        LocalResult::None => {
            let before = tz
                .offset_from_utc_datetime(&(naive - Duration::hours(24)))
                .fix()
                .local_minus_utc();
            let utc = naive - Duration::seconds(i64::from(before));
            Utc.from_utc_datetime(&utc).with_timezone(&tz)
        }
    }
}

/// Offsets Ruby's `Time.parse` knows by name; other names are ignored (the time is local).
fn zone_offset(zone: &str) -> Option<i32> {
    static NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\A([+-])([0-9]{2})(?:(:?)([0-9]{2})(?:(:?)([0-9]{2}))?)?\z")
            .expect("valid regex")
    });
    let hours = match zone {
        "z" | "utc" | "gmt" | "ut" => 0,
        "est" => -5,
        "edt" => -4,
        "cst" => -6,
        "cdt" => -5,
        "mst" => -7,
        "mdt" => -6,
        "pst" => -8,
        "pdt" => -7,
        military if military.len() == 1 => {
            let c = military.as_bytes()[0];
            match c {
                b'a'..=b'i' => i32::from(c - b'a') + 1,
                b'k'..=b'm' => i32::from(c - b'k') + 10,
                b'n'..=b'y' => -(i32::from(c - b'n') + 1),
                _ => return None,
            }
        }
        numeric => {
            let caps = NUMERIC.captures(numeric)?;
            let sign = if &caps[1] == "-" { -1 } else { 1 };
            let h: i32 = caps[2].parse().ok()?;
            let m: i32 = caps.get(4).map_or(Some(0), |m| m.as_str().parse().ok())?;
            let s: i32 = caps.get(6).map_or(Some(0), |s| s.as_str().parse().ok())?;
            // `+08:0030` mixes separators: Ruby wants the same one twice.
            if caps.get(6).is_some()
                && caps.get(3).map(|c| c.as_str()) != caps.get(5).map(|c| c.as_str())
            {
                return None;
            }
            return Some(sign * (h * 3600 + m * 60 + s));
        }
    };
    Some(hours * 3600)
}

fn month_number(word: &str) -> Option<u32> {
    let prefix = word.get(..3)?;
    let i = MONTHS
        .iter()
        .position(|m| m[..3].eq_ignore_ascii_case(prefix))?;
    // "mar", "march", "sept": a prefix of the name, or its abbreviation with more letters.
    Some(i as u32 + 1)
}

fn is_weekday(word: &str) -> bool {
    let word = word.trim_end_matches(',');
    word.len() >= 3
        && [
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday",
        ]
        .iter()
        .any(|d| d.starts_with(word) || (word.starts_with(&d[..3]) && d.starts_with(&word[..3])))
}

/// Ruby's two-digit years: 69–99 are 19xx, the rest 20xx.
fn full_year(digits: &str) -> Option<i32> {
    let y: i32 = digits.parse().ok()?;
    Some(if digits.len() <= 2 {
        if y >= 69 {
            1900 + y
        } else {
            2000 + y
        }
    } else {
        y
    })
}

/// The date formats `Time.parse` is given in practice: ISO 8601 and `YYYY-MM-DD hh:mm:ss
/// +zone`, RFC 2822, `10 Feb 2022`, `February 10, 2022`, `Feb 2022`, `10/02/2022` (day first),
/// `2022/02/10`, each with an optional time and zone, and a time alone (today). Ruby's parser
/// is more lenient (it skips words it does not know); those inputs are errors here.
fn parse_time(s: &str, tz: Tz, now: ChronoDateTime<Utc>) -> Option<ChronoDateTime<Tz>> {
    static ISO: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\A([+-]?[0-9]{4,})-([0-9]{1,2})-([0-9]{1,2})(.*)\z").expect("valid regex")
    });
    static NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\A([0-9]{1,4})[/.]([0-9]{1,2})[/.]([0-9]{1,4})(.*)\z").expect("valid regex")
    });
    static DAY_MONTH: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\A(?:([a-z]+),?\s+)?([0-9]{1,2})(?:st|nd|rd|th)?\s+([a-z]{3,})\.?(.*)\z")
            .expect("valid regex")
    });
    static MONTH_DAY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\A(?:([a-z]+),?\s+)?([a-z]{3,})\.?\s+([0-9]{1,2})(?:st|nd|rd|th)?\b(.*)\z")
            .expect("valid regex")
    });
    static YEAR: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\A,?\s+([0-9]{2,4})\b(.*)\z").expect("valid regex"));
    static MONTH_YEAR: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\A([a-z]{3,})\.?,?\s+([0-9]{4})(.*)\z").expect("valid regex")
    });
    let s = s.trim_matches(is_ruby_space);
    let today = now.with_timezone(&tz).date_naive();
    let mut candidates: Vec<(i32, u32, u32, &str)> = Vec::new();
    if let Some(c) = ISO.captures(s) {
        let y = c[1].trim_start_matches('+').parse().ok()?;
        candidates.push((
            y,
            c[2].parse().ok()?,
            c[3].parse().ok()?,
            c.get(4).map_or("", |m| m.as_str()),
        ));
    }
    if let Some(c) = NUMERIC.captures(s) {
        let (a, b, d) = (&c[1], &c[2], &c[3]);
        let rest = c.get(4).map_or("", |m| m.as_str());
        if a.len() >= 3 {
            candidates.push((full_year(a)?, b.parse().ok()?, d.parse().ok()?, rest));
        } else if d.len() >= 3 {
            candidates.push((full_year(d)?, b.parse().ok()?, a.parse().ok()?, rest));
        } else {
            candidates.push((full_year(a)?, b.parse().ok()?, d.parse().ok()?, rest));
        }
    }
    // `10 Feb [2022]` and `Feb 10[,] [2022]`, after an optional weekday; without a year, this one.
    let named = [
        DAY_MONTH
            .captures(s)
            .map(|c| (c.get(1), c.get(3), c.get(2), c.get(4))),
        MONTH_DAY
            .captures(s)
            .map(|c| (c.get(1), c.get(2), c.get(3), c.get(4))),
    ];
    for (weekday, month, day, rest) in named.into_iter().flatten() {
        let weekday_ok = weekday.is_none_or(|w| is_weekday(w.as_str()));
        let month = month.and_then(|m| month_number(m.as_str()));
        let day = day.and_then(|d| d.as_str().parse::<u32>().ok());
        let rest = rest.map_or("", |r| r.as_str());
        if let (true, Some(month), Some(day)) = (weekday_ok, month, day) {
            if let Some(y) = YEAR.captures(rest) {
                if let Some(year) = full_year(&y[1]) {
                    candidates.push((year, month, day, y.get(2).map_or("", |m| m.as_str())));
                }
            }
            candidates.push((today.year(), month, day, rest));
        }
    }
    if let Some(c) = MONTH_YEAR.captures(s) {
        if let Some(month) = month_number(&c[1]) {
            candidates.push((
                c[2].parse().ok()?,
                month,
                1,
                c.get(3).map_or("", |m| m.as_str()),
            ));
        }
    }
    candidates
        .into_iter()
        .find_map(|(y, m, d, rest)| build_time(y, m, d, rest, tz, false))
        // A time alone is today's.
        .or_else(|| {
            build_time(
                today.year(),
                today.month(),
                today.day(),
                &format!(" {s}"),
                tz,
                true,
            )
        })
}

fn build_time(
    year: i32,
    month: u32,
    day: u32,
    rest: &str,
    tz: Tz,
    need_time: bool,
) -> Option<ChronoDateTime<Tz>> {
    static TIME: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(concat!(
            r"\A(?:(?:\s+|t|\s*,\s*)([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})(?:[.,]([0-9]+))?)?(?:\s*([ap]m))?)?",
            r"\s*(z|[a-z]+|[+-][0-9]{1,2}(?::?[0-9]{2}(?::?[0-9]{2})?)?)?\s*\z"
        ))
        .expect("valid regex")
    });
    let c = TIME.captures(rest)?;
    if need_time && c.get(1).is_none() {
        return None;
    }
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let num = |i: usize| c.get(i).map_or(Some(0), |m| m.as_str().parse::<u32>().ok());
    let (mut hour, minute, second) = (num(1)?, num(2)?, num(3)?);
    let nanos = c.get(4).map_or(0, |f| {
        let digits: String = f
            .as_str()
            .chars()
            .chain(std::iter::repeat('0'))
            .take(9)
            .collect();
        digits.parse().unwrap_or(0)
    });
    match c.get(5).map(|m| m.as_str()) {
        Some("am") if hour == 12 => hour = 0,
        Some("pm") if hour < 12 => hour += 12,
        Some(_) if hour > 12 => return None,
        _ => {}
    }
    if hour > 24 || (hour == 24 && (minute > 0 || second > 0)) || minute > 59 || second > 60 {
        return None;
    }
    // Ruby lets the day run over the month's end (Feb 30 is Mar 2), and 24:00 into the next day.
    let date = NaiveDate::from_ymd_opt(year, month, 1)?
        .checked_add_signed(Duration::days(i64::from(day) - 1))?;
    let naive = date.and_time(NaiveTime::MIN).checked_add_signed(
        Duration::hours(i64::from(hour))
            + Duration::minutes(i64::from(minute))
            + Duration::seconds(i64::from(second))
            + Duration::nanoseconds(i64::from(nanos)),
    )?;
    match c.get(6).and_then(|z| zone_offset(z.as_str())) {
        Some(offset) => {
            let utc = naive.checked_sub_signed(Duration::seconds(i64::from(offset)))?;
            Some(Utc.from_utc_datetime(&utc).with_timezone(&tz))
        }
        None => Some(local_time(naive, tz)),
    }
}

// ---------------------------------------------------------------------------------------------
// smartify: kramdown's SmartyPants parser (as Jekyll sets it up) and kramdown's HTML output.
//
// Text is smartened: quotes by kramdown's RubyPants rules, `--` `---` `...` `<<` `>>`, and
// entities are read (`&copy;` is ©; `&amp;`, `&lt;`, `&gt;` stay). The output is HTML: `&`,
// `<`, `>` in text are escaped. HTML tags pass through, their attributes written back as
// kramdown writes them (`<br>` is `<br />`), and the text inside `code`, `pre`, `kbd` and the
// like is left alone. A line that starts with a block-level tag or a comment starts raw HTML
// that runs to the matching end tag; unlike kramdown, the tags inside it are copied as written.

const BLOCK_ELEMENTS: &[&str] = &[
    "address",
    "article",
    "aside",
    "applet",
    "body",
    "blockquote",
    "caption",
    "col",
    "colgroup",
    "dd",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "html",
    "head",
    "iframe",
    "legend",
    "menu",
    "li",
    "main",
    "map",
    "nav",
    "ol",
    "optgroup",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tfoot",
    "tr",
    "ul",
];
const BLOCK_MODEL: &[&str] = &[
    "address",
    "applet",
    "article",
    "aside",
    "blockquote",
    "body",
    "dd",
    "details",
    "div",
    "dl",
    "fieldset",
    "figure",
    "figcaption",
    "footer",
    "form",
    "header",
    "hgroup",
    "iframe",
    "li",
    "main",
    "map",
    "menu",
    "nav",
    "noscript",
    "object",
    "section",
    "summary",
    "td",
];
const SPAN_MODEL: &[&str] = &[
    "a", "abbr", "acronym", "b", "bdo", "big", "button", "cite", "caption", "del", "dfn", "dt",
    "em", "h1", "h2", "h3", "h4", "h5", "h6", "i", "ins", "label", "legend", "optgroup", "p", "q",
    "rb", "rbc", "rp", "rt", "rtc", "ruby", "select", "small", "span", "strong", "sub", "sup",
    "th", "tt",
];
const RAW_MODEL: &[&str] = &[
    "script", "style", "math", "option", "textarea", "pre", "code", "kbd", "samp", "var",
];

fn is_known_element(name: &str) -> bool {
    [
        SPAN_ELEMENTS,
        BLOCK_ELEMENTS,
        ELEMENTS_WITHOUT_BODY,
        BLOCK_MODEL,
        SPAN_MODEL,
        RAW_MODEL,
    ]
    .iter()
    .any(|list| list.contains(&name))
}

/// Kramdown's entity names (HTML 4 and a few more) and their code points.
const ENTITIES: &[(&str, u32)] = &[
    ("AElig", 198),
    ("Aacute", 193),
    ("Acirc", 194),
    ("Agrave", 192),
    ("Alpha", 913),
    ("Aring", 197),
    ("Atilde", 195),
    ("Auml", 196),
    ("Beta", 914),
    ("Ccedil", 199),
    ("Chi", 935),
    ("Dagger", 8225),
    ("Delta", 916),
    ("ETH", 208),
    ("Eacute", 201),
    ("Ecirc", 202),
    ("Egrave", 200),
    ("Epsilon", 917),
    ("Eta", 919),
    ("Euml", 203),
    ("Gamma", 915),
    ("Iacute", 205),
    ("Icirc", 206),
    ("Igrave", 204),
    ("Iota", 921),
    ("Iuml", 207),
    ("Kappa", 922),
    ("Lambda", 923),
    ("Mu", 924),
    ("Ntilde", 209),
    ("Nu", 925),
    ("OElig", 338),
    ("Oacute", 211),
    ("Ocirc", 212),
    ("Ograve", 210),
    ("Omega", 937),
    ("Omicron", 927),
    ("Oslash", 216),
    ("Otilde", 213),
    ("Ouml", 214),
    ("Phi", 934),
    ("Pi", 928),
    ("Prime", 8243),
    ("Psi", 936),
    ("Rho", 929),
    ("Scaron", 352),
    ("Sigma", 931),
    ("THORN", 222),
    ("Tau", 932),
    ("Theta", 920),
    ("Uacute", 218),
    ("Ucirc", 219),
    ("Ugrave", 217),
    ("Upsilon", 933),
    ("Uuml", 220),
    ("Xi", 926),
    ("Yacute", 221),
    ("Yuml", 376),
    ("Zeta", 918),
    ("aacute", 225),
    ("acirc", 226),
    ("acute", 180),
    ("aelig", 230),
    ("agrave", 224),
    ("alefsym", 8501),
    ("alpha", 945),
    ("amp", 38),
    ("and", 8743),
    ("ang", 8736),
    ("apos", 39),
    ("aring", 229),
    ("asymp", 8776),
    ("atilde", 227),
    ("auml", 228),
    ("bdquo", 8222),
    ("beta", 946),
    ("brvbar", 166),
    ("bull", 8226),
    ("cap", 8745),
    ("ccedil", 231),
    ("cedil", 184),
    ("cent", 162),
    ("chi", 967),
    ("circ", 710),
    ("clubs", 9827),
    ("cong", 8773),
    ("copy", 169),
    ("crarr", 8629),
    ("cup", 8746),
    ("curren", 164),
    ("dArr", 8659),
    ("dagger", 8224),
    ("darr", 8595),
    ("deg", 176),
    ("delta", 948),
    ("diams", 9830),
    ("divide", 247),
    ("eacute", 233),
    ("ecirc", 234),
    ("egrave", 232),
    ("empty", 8709),
    ("emsp", 8195),
    ("ensp", 8194),
    ("epsilon", 949),
    ("equiv", 8801),
    ("eta", 951),
    ("eth", 240),
    ("euml", 235),
    ("euro", 8364),
    ("exist", 8707),
    ("fnof", 402),
    ("forall", 8704),
    ("frac12", 189),
    ("frac14", 188),
    ("frac34", 190),
    ("frasl", 8260),
    ("gamma", 947),
    ("ge", 8805),
    ("gt", 62),
    ("hArr", 8660),
    ("harr", 8596),
    ("hearts", 9829),
    ("hellip", 8230),
    ("iacute", 237),
    ("icirc", 238),
    ("iexcl", 161),
    ("igrave", 236),
    ("image", 8465),
    ("infin", 8734),
    ("int", 8747),
    ("iota", 953),
    ("iquest", 191),
    ("isin", 8712),
    ("iuml", 239),
    ("kappa", 954),
    ("lArr", 8656),
    ("lambda", 955),
    ("lang", 9002),
    ("laquo", 171),
    ("larr", 8592),
    ("lceil", 8969),
    ("ldquo", 8220),
    ("le", 8804),
    ("lfloor", 8970),
    ("lowast", 8727),
    ("loz", 9674),
    ("lrm", 8206),
    ("lsaquo", 8249),
    ("lsquo", 8216),
    ("lt", 60),
    ("macr", 175),
    ("mdash", 8212),
    ("micro", 181),
    ("middot", 183),
    ("minus", 8722),
    ("mu", 956),
    ("nabla", 8711),
    ("nbsp", 160),
    ("ndash", 8211),
    ("ne", 8800),
    ("ni", 8715),
    ("not", 172),
    ("notin", 8713),
    ("nsub", 8836),
    ("ntilde", 241),
    ("nu", 957),
    ("oacute", 243),
    ("ocirc", 244),
    ("oelig", 339),
    ("ograve", 242),
    ("oline", 8254),
    ("omega", 969),
    ("omicron", 959),
    ("oplus", 8853),
    ("or", 8744),
    ("ordf", 170),
    ("ordm", 186),
    ("oslash", 248),
    ("otilde", 245),
    ("otimes", 8855),
    ("ouml", 246),
    ("para", 182),
    ("part", 8706),
    ("permil", 8240),
    ("perp", 8869),
    ("phi", 966),
    ("pi", 960),
    ("piv", 982),
    ("plusmn", 177),
    ("pound", 163),
    ("prime", 8242),
    ("prod", 8719),
    ("prop", 8733),
    ("psi", 968),
    ("quot", 34),
    ("rArr", 8658),
    ("radic", 8730),
    ("rang", 9001),
    ("raquo", 187),
    ("rarr", 8594),
    ("rceil", 8968),
    ("rdquo", 8221),
    ("real", 8476),
    ("reg", 174),
    ("rfloor", 8971),
    ("rho", 961),
    ("rlm", 8207),
    ("rsaquo", 8250),
    ("rsquo", 8217),
    ("sbquo", 8218),
    ("scaron", 353),
    ("sdot", 8901),
    ("sect", 167),
    ("shy", 173),
    ("sigma", 963),
    ("sigmaf", 962),
    ("sim", 8764),
    ("spades", 9824),
    ("sub", 8834),
    ("sube", 8838),
    ("sum", 8721),
    ("sup", 8835),
    ("sup1", 185),
    ("sup2", 178),
    ("sup3", 179),
    ("supe", 8839),
    ("szlig", 223),
    ("tau", 964),
    ("there4", 8756),
    ("theta", 952),
    ("thetasym", 977),
    ("thinsp", 8201),
    ("thorn", 254),
    ("tilde", 732),
    ("times", 215),
    ("trade", 8482),
    ("uArr", 8657),
    ("uacute", 250),
    ("uarr", 8593),
    ("ucirc", 251),
    ("ugrave", 249),
    ("uml", 168),
    ("upsih", 978),
    ("upsilon", 965),
    ("uuml", 252),
    ("vellip", 8942),
    ("weierp", 8472),
    ("xi", 958),
    ("yacute", 253),
    ("yen", 165),
    ("yuml", 255),
    ("zeta", 950),
    ("zwj", 8205),
    ("zwnj", 8204),
];

/// Numeric references 128–159 read as Windows-1252, as kramdown reads them.
const CP1252: &[(u32, u32)] = &[
    (128, 8364),
    (130, 8218),
    (131, 402),
    (132, 8222),
    (133, 8230),
    (134, 8224),
    (135, 8225),
    (136, 710),
    (137, 8240),
    (138, 352),
    (139, 8249),
    (140, 338),
    (142, 381),
    (145, 8216),
    (146, 8217),
    (147, 8220),
    (148, 8221),
    (149, 8226),
    (150, 8211),
    (151, 8212),
    (152, 732),
    (153, 8482),
    (154, 353),
    (155, 8250),
    (156, 339),
    (158, 382),
    (159, 376),
];

/// Kramdown's output as it is built: text waits to be escaped as one text node.
#[derive(Default)]
struct Html {
    out: String,
    text: String,
}

impl Html {
    fn text(&mut self, s: &str) {
        self.text.push_str(s);
    }

    fn raw(&mut self, s: &str) {
        self.flush();
        self.out.push_str(s);
    }

    fn flush(&mut self) {
        escape_html(&self.text, false, &mut self.out);
        self.text.clear();
    }

    fn finish(mut self) -> String {
        self.flush();
        self.out
    }
}

/// Kramdown's `escape_html` for text (`attribute`: also `"`); entity references stay.
fn escape_html(s: &str, attribute: bool, out: &mut String) {
    static REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\A&(?:[A-Za-z0-9_:][-A-Za-z0-9_.:]*|#[0-9]+|#x[0-9a-fA-F]+);")
            .expect("valid regex")
    });
    let mut rest = s;
    while let Some(i) = rest.find(['&', '<', '>', '"']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        match tail.as_bytes()[0] {
            b'<' => out.push_str("&lt;"),
            b'>' => out.push_str("&gt;"),
            b'"' if attribute => out.push_str("&quot;"),
            b'"' => out.push('"'),
            _ => {
                if let Some(m) = REFERENCE.find(tail) {
                    out.push_str(m.as_str());
                    rest = &tail[m.end()..];
                    continue;
                }
                out.push_str("&amp;");
            }
        }
        rest = &tail[1..];
    }
    out.push_str(rest);
}

fn smartify(input: &str) -> String {
    let mut src = input.replace("\r\n", "\n").replace('\r', "\n");
    if src.ends_with('\n') {
        src.pop();
    }
    src.push('\n');
    let mut html = Html::default();
    let mut text_start = 0;
    let mut pos = 0;
    while pos < src.len() {
        if let Some((end, block)) = block_html(&src, pos) {
            spans(&src[..pos], text_start, &mut html, true, None);
            html.raw(&block);
            pos = end;
            text_start = end;
            continue;
        }
        pos = src[pos..].find('\n').map_or(src.len(), |i| pos + i + 1);
    }
    spans(&src, text_start, &mut html, true, None);
    let mut out = html.finish();
    if out.ends_with('\n') {
        out.pop();
    }
    out
}

static OPEN_TAG: LazyLock<Regex> = LazyLock::new(|| {
    let name = r"(?:[\p{Alphabetic}_][-\p{Alphabetic}\p{Nd}._]*:)?[\p{Alphabetic}_][-\p{Alphabetic}\p{Nd}._]*";
    Regex::new(&format!(
        r#"\A<({name})\s*((?:\s+{name}(?:\s*=\s*(?:\w+|"[^"]*"|'[^']*'))?)*)\s*(/)?>"#
    ))
    .expect("valid regex")
});
static CLOSE_TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\A</((?:[\p{Alphabetic}_][-\p{Alphabetic}\p{Nd}._]*:)?[\p{Alphabetic}_][-\p{Alphabetic}\p{Nd}._]*)\s*>")
        .expect("valid regex")
});

/// Raw HTML at the start of a line: a comment, or a tag that is not span-level, through its
/// end tag. Returns where it ends and what kramdown writes for it.
fn block_html(src: &str, pos: usize) -> Option<(usize, String)> {
    let line = &src[pos..];
    let skip_trailing_blank = |end: usize| {
        let after = &src[end..];
        let blank = after.len() - after.trim_start_matches([' ', '\t']).len();
        if after[blank..].starts_with('\n') {
            end + blank + 1
        } else {
            end
        }
    };
    if line.starts_with("<!--") {
        let close = line.find("-->")? + 3;
        let end = skip_trailing_blank(pos + close);
        return Some((end, format!("{}\n", &line[..close])));
    }
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let tag = OPEN_TAG.captures(&line[indent..])?;
    let name = tag[1].to_lowercase();
    if SPAN_ELEMENTS.contains(&name.as_str()) {
        return None;
    }
    let start = pos + indent;
    let after_tag = start + tag[0].len();
    let known = is_known_element(&name);
    let tag_name = if known { name } else { tag[1].to_string() };
    let mut start_tag = start_tag(&tag_name, tag.get(2).map_or("", |m| m.as_str()), known);
    if tag.get(3).is_some() || ELEMENTS_WITHOUT_BODY.contains(&tag_name.as_str()) {
        // What follows the tag on its line stays text.
        start_tag.push_str(" />\n");
        return Some((after_tag, start_tag));
    }
    let (body_end, end) = match find_end_tag(src, after_tag, &tag_name) {
        Some(end) => (src[..end].rfind("</").unwrap_or(end), end),
        None => (src.len(), src.len()),
    };
    let block = format!("{start_tag}>{}</{tag_name}>\n", &src[after_tag..body_end]);
    Some((skip_trailing_blank(end), block))
}

/// A start tag as kramdown writes one back: `<name` and its attributes, without the `>`.
fn start_tag(name: &str, attributes: &str, known: bool) -> String {
    let mut tag = format!("<{name}");
    for (key, value) in html_attributes(attributes, known) {
        tag.push(' ');
        tag.push_str(&key);
        tag.push_str("=\"");
        escape_html(&value, true, &mut tag);
        tag.push('"');
    }
    tag
}

/// Where the end tag matching an open `name` element ends (nested ones counted).
fn find_end_tag(src: &str, from: usize, name: &str) -> Option<usize> {
    let mut depth = 1usize;
    let mut i = from;
    while let Some(offset) = src[i..].find('<') {
        i += offset;
        let rest = &src[i..];
        if let Some(len) = end_tag_len(rest, name, true) {
            depth -= 1;
            if depth == 0 {
                return Some(i + len);
            }
            i += len;
        } else if let Some(open) = OPEN_TAG.captures(rest) {
            if open[1].eq_ignore_ascii_case(name) && open.get(3).is_none() {
                depth += 1;
            }
            i += open[0].len();
        } else {
            i += 1;
        }
    }
    None
}

/// The length of `</name>` (with optional space before `>`) at the start of `s`.
fn end_tag_len(s: &str, name: &str, ignore_case: bool) -> Option<usize> {
    let rest = s.strip_prefix("</")?;
    let candidate = rest.get(..name.len())?;
    let same = if ignore_case {
        candidate.eq_ignore_ascii_case(name)
    } else {
        candidate == name
    };
    if !same {
        return None;
    }
    let after = &rest[name.len()..];
    let spaces = after.len() - after.trim_start().len();
    after[spaces..]
        .starts_with('>')
        .then_some(2 + name.len() + spaces + 1)
}

fn next_char(s: &str, i: usize) -> Option<char> {
    s.get(i..).and_then(|rest| rest.chars().next())
}

/// Parses the spans of `text[pos..]` until the end tag `stop` (name, ignore case) comes up
/// outside nested elements. `full`: all of kramdown's span parsers, else HTML only.
/// Returns where it stopped and whether the end tag was found there.
fn spans(
    text: &str,
    mut pos: usize,
    html: &mut Html,
    full: bool,
    stop: Option<(&str, bool)>,
) -> (usize, bool) {
    while pos < text.len() {
        let next = next_span_start(text, pos, full);
        html.text(&text[pos..next]);
        if next >= text.len() {
            return (text.len(), false);
        }
        if let Some((name, ignore_case)) = stop {
            if end_tag_len(&text[next..], name, ignore_case).is_some() {
                return (next, true);
            }
        }
        let parsed = if full {
            smart_quote(text, next, html)
                .or_else(|| entity(text, next, html))
                .or_else(|| typographic(text, next, html))
        } else {
            None
        };
        match parsed.or_else(|| span_html(text, next, html, full)) {
            Some(end) => pos = end,
            None => {
                let c = next_char(text, next).unwrap_or(' ');
                html.text(&text[next..next + c.len_utf8()]);
                pos = next + c.len_utf8();
            }
        }
    }
    (pos, false)
}

/// The next place a span parser (or an end tag) may start.
fn next_span_start(text: &str, from: usize, full: bool) -> usize {
    for (offset, c) in text[from..].char_indices() {
        let i = from + offset;
        if c == '<' {
            return i;
        }
        if !full {
            continue;
        }
        if matches!(c, '"' | '\'' | '&') {
            return i;
        }
        let following = next_char(text, i + c.len_utf8());
        if c != '\\' && matches!(following, Some('"' | '\'')) {
            return i;
        }
        let rest = &text[i..];
        if ["--", "...", ">>", "\\<<", "\\>>", " <<", " >>"]
            .iter()
            .any(|p| rest.starts_with(p))
        {
            return i;
        }
    }
    text.len()
}

fn is_ascii_word(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn is_word(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_alphanumeric() || c == '_')
}

/// Kramdown's smart quote rules (from RubyPants), tried in order where a quote, or the
/// character before one, starts.
fn smart_quote(text: &str, p: usize, html: &mut Html) -> Option<usize> {
    let chars: Vec<(usize, char)> = text[p..].char_indices().take(5).collect();
    let c = |k: usize| chars.get(k).map(|x| x.1);
    let end = |k: usize| p + chars.get(k).map_or(text.len() - p, |x| x.0);
    let is_quote = |x: Option<char>| matches!(x, Some('"' | '\''));
    if !(is_quote(c(0)) || (c(0) != Some('\\') && is_quote(c(1)))) {
        return None;
    }
    let left = |q: Option<char>| {
        if q == Some('"') {
            "\u{201C}"
        } else {
            "\u{2018}"
        }
    };
    let right = |q: Option<char>| {
        if q == Some('"') {
            "\u{201D}"
        } else {
            "\u{2019}"
        }
    };
    let space = |x: Option<char>| x.is_some_and(is_ruby_space);
    let punct =
        |x: Option<char>| x.is_some_and(|x| "!\"#$%'()*+,-./:;<=>?@[\\]^_`{|}~".contains(x));
    let emit_text = |html: &mut Html, k: usize| {
        if k > 0 {
            html.text(&text[p..end(k)]);
        }
    };
    if is_quote(c(0)) {
        // ("|')(?=[_*]{1,2}\S)
        if matches!(c(1), Some('_' | '*')) && c(2).is_some_and(|x| !is_ruby_space(x)) {
            html.raw(left(c(0)));
            return Some(end(1));
        }
        // ("|')(?=PUNCT(?!\.\.)\B)
        if punct(c(1))
            && !(c(2) == Some('.') && c(3) == Some('.'))
            && is_word(c(1)) == is_word(c(2))
        {
            html.raw(right(c(0)));
            return Some(end(1));
        }
    }
    let ws = usize::from(space(c(0)));
    // (\s?)"'(?=\w) and (\s?)'"(?=\w)
    if is_ascii_word(c(ws + 2)) {
        if c(ws) == Some('"') && c(ws + 1) == Some('\'') {
            emit_text(html, ws);
            html.raw("\u{201C}\u{2018}");
            return Some(end(ws + 2));
        }
        if c(ws) == Some('\'') && c(ws + 1) == Some('"') {
            emit_text(html, ws);
            html.raw("\u{2018}\u{201C}");
            return Some(end(ws + 2));
        }
    }
    // (\s?)'(?=\d\ds)
    if c(ws) == Some('\'')
        && c(ws + 1).is_some_and(|x| x.is_ascii_digit())
        && c(ws + 2).is_some_and(|x| x.is_ascii_digit())
        && c(ws + 3) == Some('s')
    {
        emit_text(html, ws);
        html.raw("\u{2019}");
        return Some(end(ws + 1));
    }
    // (\s)('|")(?=\w)
    if space(c(0)) && is_quote(c(1)) && is_ascii_word(c(2)) {
        emit_text(html, 1);
        html.raw(left(c(1)));
        return Some(end(2));
    }
    // ([^\ \\\t\r\n\[{(-])('|")
    if c(0).is_some_and(|x| !" \\\t\r\n[{(-".contains(x)) && is_quote(c(1)) {
        emit_text(html, 1);
        html.raw(right(c(1)));
        return Some(end(2));
    }
    // ("|')(?=\s|s\b|$)
    if is_quote(c(0)) && (c(1).is_none() || space(c(1)) || (c(1) == Some('s') && !is_word(c(2)))) {
        html.raw(right(c(0)));
        return Some(end(1));
    }
    // (.?)' and (.?)" : whatever is left opens.
    if is_quote(c(1)) {
        emit_text(html, 1);
        html.raw(left(c(1)));
        return Some(end(2));
    }
    html.raw(left(c(0)));
    Some(end(1))
}

fn entity(text: &str, p: usize, html: &mut Html) -> Option<usize> {
    static ENTITY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\A&(?:([A-Za-z0-9_:][-A-Za-z0-9_.:]*);|#([0-9]+);|#x([0-9a-fA-F]+);)")
            .expect("valid regex")
    });
    let caps = ENTITY.captures(&text[p..])?;
    let whole = caps.get(0)?.as_str();
    let end = p + whole.len();
    let code_point = if let Some(name) = caps.get(1) {
        match ENTITIES.binary_search_by(|(n, _)| n.as_bytes().cmp(name.as_str().as_bytes())) {
            Ok(i) => Some(ENTITIES[i].1),
            Err(_) => {
                html.raw("&amp;");
                html.text(&whole[1..]);
                return Some(end);
            }
        }
    } else if let Some(decimal) = caps.get(2) {
        decimal.as_str().parse::<u32>().ok()
    } else {
        caps.get(3)
            .and_then(|hex| u32::from_str_radix(hex.as_str(), 16).ok())
    };
    let code_point = code_point.map(|cp| {
        CP1252
            .iter()
            .find(|(from, _)| *from == cp)
            .map_or(cp, |(_, to)| *to)
    });
    match code_point.and_then(char::from_u32) {
        Some(c) if !matches!(c, '<' | '>' | '&') => {
            let mut buf = [0u8; 4];
            html.raw(c.encode_utf8(&mut buf));
        }
        _ => html.raw(whole),
    }
    Some(end)
}

fn typographic(text: &str, p: usize, html: &mut Html) -> Option<usize> {
    const SYMBOLS: [(&str, &str); 9] = [
        ("---", "\u{2014}"),
        ("--", "\u{2013}"),
        ("...", "\u{2026}"),
        ("\\<<", "&lt;&lt;"),
        ("\\>>", "&gt;&gt;"),
        ("<< ", "\u{AB}\u{A0}"),
        (" >>", "\u{A0}\u{BB}"),
        ("<<", "\u{AB}"),
        (">>", "\u{BB}"),
    ];
    let rest = &text[p..];
    let (from, to) = SYMBOLS.iter().find(|(from, _)| rest.starts_with(from))?;
    html.raw(to);
    Some(p + from.len())
}

fn span_html(text: &str, p: usize, html: &mut Html, full: bool) -> Option<usize> {
    let rest = &text[p..];
    if let Some(body) = rest.strip_prefix("<!--") {
        let close = body.find("-->")?;
        html.raw(&rest[..4 + close + 3]);
        return Some(p + 4 + close + 3);
    }
    if let Some(m) = CLOSE_TAG.find(rest) {
        // An end tag nothing opened is text.
        html.text(m.as_str());
        return Some(p + m.end());
    }
    let caps = OPEN_TAG.captures(rest)?;
    let whole = caps.get(0)?.as_str();
    let lower = caps[1].to_lowercase();
    let known = is_known_element(&lower);
    let name = if known { lower } else { caps[1].to_string() };
    if BLOCK_ELEMENTS.contains(&name.as_str()) {
        html.text(whole);
        return Some(p + whole.len());
    }
    let mut tag = start_tag(&name, caps.get(2).map_or("", |m| m.as_str()), known);
    let after = p + whole.len();
    let without_body = ELEMENTS_WITHOUT_BODY.contains(&name.as_str());
    if caps.get(3).is_some() || without_body {
        tag.push_str(if without_body { " />" } else { ">" });
        if !without_body {
            let _ = write!(tag, "</{name}>");
        }
        html.raw(&tag);
        return Some(after);
    }
    tag.push('>');
    html.raw(&tag);
    let raw_model = RAW_MODEL.contains(&name.as_str())
        || !(SPAN_MODEL.contains(&name.as_str()) || BLOCK_MODEL.contains(&name.as_str()));
    let (stopped, found) = spans(text, after, html, full && !raw_model, Some((&name, known)));
    html.raw(&format!("</{name}>"));
    Some(if found {
        stopped + end_tag_len(&text[stopped..], &name, known).unwrap_or(0)
    } else {
        text.len()
    })
}

/// Attributes as kramdown keeps them: names lowercased on known elements, the last value of a
/// repeated name at the place of the first, line breaks in values as spaces.
fn html_attributes(source: &str, known: bool) -> Vec<(String, String)> {
    static ATTRIBUTE: LazyLock<Regex> = LazyLock::new(|| {
        let name = r"(?:[\p{Alphabetic}_][-\p{Alphabetic}\p{Nd}._]*:)?[\p{Alphabetic}_][-\p{Alphabetic}\p{Nd}._]*";
        Regex::new(&format!(
            r#"\s*({name})(?:\s*=\s*(?:(\w+)|"([^"]*)"|'([^']*)'))?"#
        ))
        .expect("valid regex")
    });
    static NEWLINES: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\n+").expect("valid regex"));
    let mut attributes: Vec<(String, String)> = Vec::new();
    for caps in ATTRIBUTE.captures_iter(source) {
        let key = if known {
            caps[1].to_lowercase()
        } else {
            caps[1].to_string()
        };
        let value = caps
            .get(2)
            .or(caps.get(3))
            .or(caps.get(4))
            .map_or("", |m| m.as_str());
        let value = NEWLINES.replace_all(value, " ").into_owned();
        match attributes.iter_mut().find(|(k, _)| *k == key) {
            Some(existing) => existing.1 = value,
            None => attributes.push((key, value)),
        }
    }
    attributes
}

#[cfg(test)]
mod tests {
    use super::*;
    use liquid_core::runtime::{RuntimeBuilder, Template};
    use liquid_core::Renderable;

    fn language(context: &FilterContext) -> Language {
        let mut language = Language::default();
        let jekyll: Vec<Box<dyn ParseFilter>> = vec![
            Box::new(liquid_lib::jekyll::Slugify),
            Box::new(liquid_lib::jekyll::Pop),
            Box::new(liquid_lib::jekyll::Push),
            Box::new(liquid_lib::jekyll::Shift),
            Box::new(liquid_lib::jekyll::Unshift),
            Box::new(liquid_lib::jekyll::ArrayToSentenceString),
            Box::new(liquid_lib::jekyll::Sort),
        ];
        for filter in stdlib_filters()
            .into_iter()
            .chain(jekyll)
            .chain(jekyll_filters(context))
        {
            let name = filter.reflection().name().to_string();
            language.filters.register(name, filter);
        }
        language
            .tags
            .register("assign".into(), Box::new(liquid_lib::stdlib::AssignTag));
        language
            .blocks
            .register("for".into(), Box::new(liquid_lib::stdlib::ForBlock));
        language
            .blocks
            .register("if".into(), Box::new(liquid_lib::stdlib::IfBlock));
        language
    }

    fn stub_markdown(text: &str) -> String {
        format!("<p>{text}</p>\n")
    }

    fn context(url: &str, baseurl: &str, timezone: Tz) -> FilterContext {
        FilterContext {
            url: url.into(),
            baseurl: baseurl.into(),
            timezone,
            markdownify: stub_markdown,
        }
    }

    /// JSON test data as liquid values; `"@time:…"` and `"@date:…"` strings become a liquid
    /// date time and date (Ruby's Time and Date in the Jekyll run).
    fn from_json(json: &serde_json::Value) -> Value {
        match json {
            serde_json::Value::Null => Value::Nil,
            serde_json::Value::Bool(b) => Value::scalar(*b),
            serde_json::Value::Number(n) => match n.as_i64() {
                Some(i) => Value::scalar(i),
                None => Value::scalar(n.as_f64().unwrap_or(0.0)),
            },
            serde_json::Value::String(s) => {
                if let Some(t) = s.strip_prefix("@time:") {
                    Value::scalar(LiquidDateTime::from_str(t).expect("a liquid date time"))
                } else if let Some(d) = s.strip_prefix("@date:") {
                    Value::scalar(LiquidDate::from_str(d).expect("a liquid date"))
                } else {
                    Value::scalar(s.clone())
                }
            }
            serde_json::Value::Array(a) => Value::Array(a.iter().map(from_json).collect()),
            serde_json::Value::Object(o) => Value::Object(
                o.iter()
                    .map(|(k, v)| (KString::from_ref(k), from_json(v)))
                    .collect(),
            ),
        }
    }

    fn render(language: &Language, template: &str, data: &serde_json::Value) -> String {
        let globals = match from_json(data) {
            Value::Object(o) => o,
            _ => Object::new(),
        };
        let runtime = RuntimeBuilder::new().set_globals(&globals).build();
        match liquid_core::parser::parse(template, language)
            .map(Template::new)
            .and_then(|t| t.render(&runtime))
        {
            Ok(out) => out,
            Err(e) => format!("ERROR: {e}"),
        }
    }

    /// Renders each case and compares with Jekyll's output; "ERROR" where Jekyll raised one.
    fn check(context: &FilterContext, cases: &[(&str, &str, &str)]) {
        let language = language(context);
        let mut failures = Vec::new();
        for (template, data, expected) in cases {
            let data: serde_json::Value = serde_json::from_str(data).expect("test data is JSON");
            let got = render(&language, template, &data);
            let ok = if *expected == "ERROR" {
                got.starts_with("ERROR:")
            } else {
                got == *expected
            };
            if !ok {
                failures.push(format!(
                    "{template}\n  data:   {data}\n  jekyll: {expected:?}\n  ours:   {got:?}"
                ));
            }
        }
        assert!(
            failures.is_empty(),
            "{} of {} cases differ from Jekyll:\n{}",
            failures.len(),
            cases.len(),
            failures.join("\n")
        );
    }

    fn site() -> FilterContext {
        context("https://example.org", "/blog", chrono_tz::Asia::Shanghai)
    }

    fn one(template: &str, data: &str) -> String {
        let data: serde_json::Value = serde_json::from_str(data).expect("test data is JSON");
        render(&language(&site()), template, &data)
    }

    #[test]
    fn url_filters_match_jekyll() {
        check(&site(), URL_CASES);
    }

    #[test]
    fn url_filters_follow_url_and_baseurl_like_jekyll() {
        let mut failures = Vec::new();
        for (url, baseurl, input, expected) in URL_VARIANTS {
            let language = language(&context(url, baseurl, chrono_tz::UTC));
            let data = serde_json::json!({ "x": input });
            let got = render(
                &language,
                "[{{ x | relative_url }}][{{ x | absolute_url }}]",
                &data,
            );
            if got != *expected {
                failures.push(format!(
                    "url={url:?} baseurl={baseurl:?} {input:?}: {got:?}, Jekyll {expected:?}"
                ));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn text_filters_match_jekyll() {
        check(&site(), TEXT_CASES);
    }

    #[test]
    fn collection_filters_match_jekyll() {
        check(&site(), COLLECTION_CASES);
    }

    #[test]
    fn date_filters_match_jekyll() {
        check(&site(), DATE_CASES);
        check(
            &context("https://example.org", "/blog", chrono_tz::America::New_York),
            NEW_YORK_CASES,
        );
        check(
            &context("https://example.org", "/blog", chrono_tz::Europe::Berlin),
            BERLIN_CASES,
        );
    }

    #[test]
    fn smartify_matches_jekyll() {
        check(&site(), SMARTIFY_CASES);
        let language = language(&site());
        for (input, expected) in SMARTIFY_HTML_CASES {
            let data = serde_json::json!({ "x": input });
            assert_eq!(
                render(&language, "{{ x | smartify }}", &data),
                *expected,
                "{input:?}"
            );
        }
    }

    #[test]
    fn slugify_sort_and_array_filters_match_jekyll() {
        check(&site(), MISC_CASES);
        check(&site(), MORE_CASES);
    }

    #[test]
    fn relative_dates_use_the_clock_and_the_site_zone() {
        let tz = chrono_tz::Asia::Shanghai;
        let now = Utc.with_ymd_and_hms(2026, 11, 29, 20, 0, 0).unwrap();
        let at = |s: &str| {
            to_time(&Value::scalar(s.to_string()), tz, now)
                .map_or_else(|e| e.to_string(), |t| t.format("%F %T %:z").to_string())
        };
        // 20:00 UTC is already the next day in Shanghai.
        assert_eq!(at("now"), "2026-11-30 04:00:00 +08:00");
        assert_eq!(at("Today"), "2026-11-30 04:00:00 +08:00");
        assert_eq!(at("12:30"), "2026-11-30 12:30:00 +08:00");
        assert_eq!(at("Feb 10"), "2026-02-10 00:00:00 +08:00");
        assert_eq!(at("10 Feb"), "2026-02-10 00:00:00 +08:00");
        assert_eq!(at("feb 10 17:07"), "2026-02-10 17:07:00 +08:00");
        let shape = Regex::new(r"\A\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00\z").unwrap();
        assert!(shape.is_match(&one("{{ 'now' | date_to_xmlschema }}", "{}")));
    }

    #[test]
    fn markdownify_hands_the_text_to_the_sites_renderer() {
        assert_eq!(
            one("{{ x | markdownify }}", r#"{"x":"*a*"}"#),
            "<p>*a*</p>\n"
        );
        assert_eq!(one("{{ x | markdownify }}", r#"{"x":null}"#), "<p></p>\n");
        assert_eq!(
            one("{{ x | markdownify }}", r#"{"x":[1,"b"]}"#),
            "<p>[1, \"b\"]</p>\n"
        );
    }

    #[test]
    fn documented_differences_from_jekyll() {
        // `where` with one argument keeps truthy properties (Jekyll wants two).
        let posts = r#"{"posts":[{"t":"a","x":1},{"t":"b","x":false},{"t":"c"}]}"#;
        assert_eq!(
            one("{{ posts | where: 'x' | map: 't' | join }}", posts),
            "a"
        );
        // Comparing a string with a number is false, where Ruby raises.
        let years = r#"{"posts":[{"t":"a","y":2014},{"t":"b","y":"2014"}]}"#;
        assert_eq!(
            one(
                "{{ posts | where_exp: 'p', 'p.y >= 2014' | map: 't' | join }}",
                years
            ),
            "a"
        );
        // Hash keys come out sorted.
        assert_eq!(
            one("{{ x | jsonify }}", r#"{"x":{"b":1,"a":2}}"#),
            r#"{"a":2,"b":1}"#
        );
        // `sample` takes the first items, so that builds are reproducible.
        let list = r#"{"a":[3,1,2]}"#;
        assert_eq!(
            one("{{ a | sample }}|{{ a | sample: 2 | join: ',' }}", list),
            "3|3,1"
        );
        // Pages and posts are objects here; their `url` is used, as Jekyll uses a drop's.
        assert_eq!(
            one(
                "{{ p | absolute_url }}",
                r#"{"p":{"url":"/2022/x.html","title":"X"}}"#
            ),
            "https://example.org/blog/2022/x.html"
        );
    }

    #[test]
    fn argument_counts_are_checked_when_parsing() {
        for template in [
            "{{ x | relative_url: 1 }}",
            "{{ x | where_exp: 'p' }}",
            "{{ x | find: 'p' }}",
            "{{ x | date_to_string: 'ordinal', 'US', 3 }}",
            "{{ x | push }}",
            "{{ x | jsonify: a: 1 }}",
        ] {
            assert!(one(template, "{}").starts_with("ERROR:"), "{template}");
        }
    }

    #[test]
    fn ruby_floats() {
        for (f, s) in [
            (1.0, "1.0"),
            (1.5, "1.5"),
            (100.0, "100.0"),
            (1e15, "1.0e+15"),
            (123456789012345.0, "123456789012345.0"),
            (1e16, "1.0e+16"),
            (0.0001, "0.0001"),
            (0.00001, "1.0e-05"),
            (2.5e-10, "2.5e-10"),
            (-0.0, "-0.0"),
            (1.2345678901234568e16, "1.2345678901234568e+16"),
            (f64::NAN, "NaN"),
            (f64::NEG_INFINITY, "-Infinity"),
        ] {
            assert_eq!(ruby_float(f), s);
        }
    }

    #[test]
    fn sorting_never_panics_on_mixed_values() {
        // Numbers compare as numbers, the rest as strings: not a total order.
        let mut items = String::from("[");
        for i in 0..200 {
            let v = match i % 4 {
                0 => format!("{}", i * 7 % 13),
                1 => format!("\"{}a\"", i % 11),
                2 => "null".to_string(),
                _ => format!("{}.5", i % 5),
            };
            let _ = write!(
                items,
                "{}{{\"v\":{v},\"i\":{i}}}",
                if i > 0 { "," } else { "" }
            );
        }
        items.push(']');
        let data = format!("{{\"xs\":{items}}}");
        let out = one(
            "{{ xs | sort: 'v' | size }}|{{ xs | sort: 'v', 'last' | size }}",
            &data,
        );
        assert_eq!(out, "200|200");
        assert!(one("{{ xs | map: 'v' | sort }}", &data).starts_with("ERROR:"));
    }

    #[test]
    fn no_filter_panics_on_odd_input() {
        let language = language(&site());
        let inputs = [
            "nil",
            "true",
            "0",
            "-1",
            "9223372036854775807",
            "1.5e308",
            "''",
            "'%'",
            "'%zz'",
            "'::'",
            "'//'",
            "'\u{0}'",
            "'<<'",
            "'\"'",
            "'&#99999999999;'",
            "'<b'",
            "'<!--'",
            "'<code>'",
            "'-'",
            "'x:y'",
            "'1/2/3'",
            "'2022-02-30'",
            "'99999-01-01'",
            "'+1'",
            "empty",
            "blank",
            "arr",
            "obj",
            "mixed",
            "deep",
        ];
        let args = [
            "",
            ": nil",
            ": ''",
            ": 'a.b'",
            ": '.'",
            ": 'x', nil",
            ": 'x', empty",
            ": -1",
            ": 'first', 'last'",
            ": 'p', 'p.x == 1 or'",
            ": 'p', 'p | x'",
            ": 'p', '(1..a) contains p'",
            ": 'ordinal', 'US'",
            ": 'latin'",
            ": 'cjk'",
            ": arr",
            ": obj",
        ];
        let data = serde_json::json!({
            "arr": [1, "a", null, [2], {"x": 1}],
            "obj": {"x": {"y": [1, 2]}, "url": "/u"},
            "mixed": [{"x": 1}, {"x": "1"}, {"x": null}, {"y": 2}],
            "deep": [[[[[]]]]],
        });
        for spec in SPECS {
            for input in inputs {
                for arg in args {
                    let template = format!("{{{{ {input} | {}{arg} }}}}", spec.name);
                    // Errors are fine; panics are not.
                    let _ = render(&language, &template, &data);
                }
            }
        }
    }

    // Expected outputs below are Jekyll 4.3.1's (Ruby 3.1, liquid 5.4.0, kramdown 2.4.0,
    // addressable 2.8.1, i18n 1.10.0), printed for each (template, data) pair by
    //
    //   ruby -e 'require "jekyll"; site = Jekyll::Site.new(Jekyll.configuration(
    //       "url" => "https://example.org", "baseurl" => "/blog", "timezone" => "Asia/Shanghai",
    //       "quiet" => true)); print Liquid::Template.parse(TEMPLATE).render!(DATA,
    //       registers: { site: site })'
    //
    // with DATA parsed from the JSON, "@time:…" and "@date:…" strings made Time.parse and
    // Date.parse values (liquid date times and dates here), and "ERROR" where Jekyll raised.
    // The time zone is changed for NEW_YORK_CASES and BERLIN_CASES, url and baseurl for
    // URL_VARIANTS. Cases whose output depends on the clock are tested above instead.

    const D0: &str = r##"{"x":"/about/"}"##;
    const D1: &str = r##"{"x":"about"}"##;
    const D2: &str = r##"{"x":""}"##;
    const D3: &str = r##"{"x":"https://x.org/a"}"##;
    const D4: &str = r##"{"x":"HTTP://EXAMPLE.org:80/A b"}"##;
    const D5: &str = r##"{"x":"//cdn.example/x"}"##;
    const D6: &str = r##"{"x":"mailto:a@b.c"}"##;
    const D7: &str = r##"{"x":"/a b/ü?x=1 2&y=ü#f g"}"##;
    const D8: &str = r##"{"x":"/%7efoo/%41%2f%3a"}"##;
    const D9: &str = r##"{"x":"/a/../b/./c"}"##;
    const D10: &str = r##"{"x":"/a/./b/../../c"}"##;
    const D11: &str = r##"{"x":"#frag"}"##;
    const D12: &str = r##"{"x":"?q=1"}"##;
    const D13: &str = r##"{"x":"/über"}"##;
    const D14: &str = r##"{"x":"/a|b^c`d{e}\\f"}"##;
    const D15: &str = r##"{"x":"/a[b]"}"##;
    const D16: &str = r##"{"x":"/a\"b<c>"}"##;
    const D17: &str = r##"{"x":"/a%zz"}"##;
    const D18: &str = r##"{"x":"/a%"}"##;
    const D19: &str = r##"{"x":"index.html"}"##;
    const D20: &str = r##"{"x":"/a//b"}"##;
    const D21: &str = r##"{"x":"../x"}"##;
    const D22: &str = r##"{"x":"/a?b=c?d#e#f"}"##;
    const D23: &str = r##"{"x":"/a:b"}"##;
    const D24: &str = r##"{"x":"/a@b!$&'()*+,;="}"##;
    const D25: &str = r##"{"x":"/x?"}"##;
    const D26: &str = r##"{"x":"/x#"}"##;
    const D27: &str = r##"{"x":"/ä%C3%A4"}"##;
    const D28: &str = r##"{"x":"tel:+123"}"##;
    const D29: &str = r##"{"x":"javascript:alert(1)"}"##;
    const D30: &str = r##"{"x":"/a%20b"}"##;
    const D31: &str = r##"{"x":"/a+b"}"##;
    const D32: &str = r##"{"x":"/a%2Bb"}"##;
    const D33: &str = r##"{"x":"C:/x"}"##;
    const D34: &str = r##"{"x":"/é"}"##;
    const D35: &str = r##"{"x":"/é"}"##;
    const D36: &str = r##"{"x":"/ｆｕｌｌ"}"##;
    const D37: &str = r##"{"x":"/a\tb"}"##;
    const D38: &str = r##"{"x":"/a\nb"}"##;
    const D39: &str = r##"{"x":"/%E2%82%AC"}"##;
    const D40: &str = r##"{"x":"/%e2%82%ac"}"##;
    const D41: &str = r##"{"x":"/q?a=%2b&b=%2B&c=+&d=;&e=[x]"}"##;
    const D42: &str = r##"{"x":"/q?&&a"}"##;
    const D43: &str = r##"{"x":"/f#a b#c\nd"}"##;
    const D44: &str = r##"{"x":" /trim "}"##;
    const D45: &str = r##"{"x":"/a/b/.."}"##;
    const D46: &str = r##"{"x":"/a/b/."}"##;
    const D47: &str = r##"{"x":"/.."}"##;
    const D48: &str = r##"{"x":"/../..//x"}"##;
    const D49: &str = r##"{"x":"/a/..."}"##;
    const D50: &str = r##"{"x":"a b:c"}"##;
    const D51: &str = r##"{"x":"1x:y"}"##;
    const D52: &str = r##"{"x":"/%00"}"##;
    const D53: &str = r##"{"x":"/x?y#"}"##;
    const D54: &str = r##"{"x":"/p/%25"}"##;
    const D55: &str = r##"{"x":"//user@host/x"}"##;
    const D56: &str = r##"{"x":"/é?é#é"}"##;
    const D57: &str = r##"{"x":null}"##;
    const D58: &str = r##"{"x":5}"##;
    const D59: &str = r##"{"x":["a","b"]}"##;
    const D60: &str = r##"{"x":true}"##;
    const D61: &str = r##"{"x":1.5}"##;
    const D62: &str = r##"{"x":"foo \"bar\" <baz> & 'q'"}"##;
    const D63: &str = r##"{"x":"ü\u0000\u0001\t\n"}"##;
    const D64: &str = r##"{"x":"a\""}"##;
    const D65: &str = r##"{"x":"\"a\""}"##;
    const D66: &str = r##"{"x":[1,"a"]}"##;
    const D67: &str = r##"{"x":"foo,bar;baz?"}"##;
    const D68: &str = r##"{"x":"a b+c/é~*'()!"}"##;
    const D69: &str = r##"{"x":"-_.~"}"##;
    const D70: &str = r##"{"x":"foo, bar \\baz?"}"##;
    const D71: &str = r##"{"x":"/a b/ü?x=1 2#f g"}"##;
    const D72: &str = r##"{"x":"%7e %zz"}"##;
    const D73: &str = r##"{"x":"http://EX.org:80/a/../b"}"##;
    const D74: &str = r##"{"x":"a[b]{c}|d^e`f\"g<h>"}"##;
    const D75: &str = r##"{"x":"tel:+1 2"}"##;
    const D76: &str = r##"{"x":"//h/p"}"##;
    const D77: &str = r##"{"x":"  a \n\t b  "}"##;
    const D78: &str = r##"{"x":"a\u00a0b"}"##;
    const D79: &str = r##"{"x":"a\u3000b"}"##;
    const D80: &str = r##"{"x":"Hello world, 你好世界 こんにちは 안녕"}"##;
    const D81: &str = r##"{"x":"one  two\nthree"}"##;
    const D82: &str = r##"{"x":"你好"}"##;
    const D83: &str = r##"{"x":"日本語の文章です abc-def"}"##;
    const D84: &str = r##"{"x":[]}"##;
    const D85: &str = r##"{"x":["a"]}"##;
    const D86: &str = r##"{"x":["a","b","c"]}"##;
    const D87: &str = r##"{"x":[1,null,2.5,true]}"##;
    const D88: &str = r##"{"x":"abc"}"##;
    const D89: &str = r##"{"x":1}"##;
    const D90: &str = r##"{"x":1.0}"##;
    const D91: &str = r##"{"x":1e+20}"##;
    const D92: &str = r##"{"x":1e-05}"##;
    const D93: &str = r##"{"x":"a\"b\\c\n\u0001é/\u2028"}"##;
    const D94: &str = r##"{"x":[1,[2,null]]}"##;
    const D95: &str = r##"{}"##;
    const D96: &str = r##"{"posts":[{"title":"A","year":2014,"cat":"news","categories":["news","tech"],"tags":[1,2],"meta":{"author":"ann","n":"1.50"},"s":" 42 ","flag":true},{"title":"B","year":"2014","cat":"tech","categories":["tech"],"meta":{"author":"bob","n":"1.5"},"s":"42","flag":false},{"title":"C","year":2015,"categories":[],"meta":{"author":"ann"},"s":"x","empty":""},{"title":"D","year":null,"cat":"news","meta":null,"n":1.0}],"h":{"x":{"title":"A","year":2014,"cat":"news","categories":["news","tech"],"tags":[1,2],"meta":{"author":"ann","n":"1.50"},"s":" 42 ","flag":true},"y":{"title":"B","year":"2014","cat":"tech","categories":["tech"],"meta":{"author":"bob","n":"1.5"},"s":"42","flag":false}},"strs":["news","tech","a.b"],"nums":[3,1,2],"mixed":[3,"1",null,2.5]}"##;
    const D97: &str = r##"{"x":"2022-02-10 17:07:04 +0800"}"##;
    const D98: &str = r##"{"x":"2022-02-10"}"##;
    const D99: &str = r##"{"x":"2022-02-10T17:07:04Z"}"##;
    const D100: &str = r##"{"x":"2022-02-10 17:07"}"##;
    const D101: &str = r##"{"x":"Feb 10 2022"}"##;
    const D102: &str = r##"{"x":"10 February 2022"}"##;
    const D103: &str = r##"{"x":"2022/02/01"}"##;
    const D104: &str = r##"{"x":"1644484024"}"##;
    const D105: &str = r##"{"x":"Thu, 10 Feb 2022 17:07:04 +0800"}"##;
    const D106: &str = r##"{"x":"2022-02-10 17:07:04 -0500"}"##;
    const D107: &str = r##"{"x":"2022-02-10 17:07:04.123 +0800"}"##;
    const D108: &str = r##"{"x":"2022-02-10 17:07:04 UTC"}"##;
    const D109: &str = r##"{"x":"2022-02-10 17:07:04 PST"}"##;
    const D110: &str = r##"{"x":"2022-02-03T01:02:03+05:30"}"##;
    const D111: &str = r##"{"x":"2022-02-22 23:59:59"}"##;
    const D112: &str = r##"{"x":"2022-02-10T17:07:04.5-03:00"}"##;
    const D113: &str = r##"{"x":"2022-3-4"}"##;
    const D114: &str = r##"{"x":"20220210"}"##;
    const D115: &str = r##"{"x":"2022-02-10 5:07:04 pm"}"##;
    const D116: &str = r##"{"x":"10/02/2022"}"##;
    const D117: &str = r##"{"x":"February 10, 2022 10:00"}"##;
    const D118: &str = r##"{"x":"2022-13-45"}"##;
    const D119: &str = r##"{"x":"garbage"}"##;
    const D120: &str = r##"{"x":"2022"}"##;
    const D121: &str = r##"{"x":"Feb 2022"}"##;
    const D122: &str = r##"{"x":" 2022-02-10 "}"##;
    const D123: &str = r##"{"x":"2022-02-10 17:07:04 +08:00"}"##;
    const D124: &str = r##"{"x":"2022-02-10 17:07:04 +08"}"##;
    const D125: &str = r##"{"x":"@time:2022-02-11 01:07:04 +0800"}"##;
    const D126: &str = r##"{"x":"@date:2022-02-11"}"##;
    const D127: &str = r##"{"x":"@time:2022-03-13 02:30:00 -0500"}"##;
    const D128: &str = r##"{"x":"@time:1999-12-31 23:59:59.75 +0000"}"##;
    const D129: &str = r##"{"x":1644484024}"##;
    const D130: &str = r##"{"x":0}"##;
    const D131: &str = r##"{"x":-1}"##;
    const D132: &str = r##"{"x":[1]}"##;
    const D133: &str = r##"{"x":{"a":1}}"##;
    const D134: &str = r##"{"x":"2022-01-01 12:00:00"}"##;
    const D135: &str = r##"{"x":"2022-01-02 12:00:00"}"##;
    const D136: &str = r##"{"x":"2022-01-03 12:00:00"}"##;
    const D137: &str = r##"{"x":"2022-01-04 12:00:00"}"##;
    const D138: &str = r##"{"x":"2022-01-05 12:00:00"}"##;
    const D139: &str = r##"{"x":"2022-01-06 12:00:00"}"##;
    const D140: &str = r##"{"x":"2022-01-07 12:00:00"}"##;
    const D141: &str = r##"{"x":"2022-01-08 12:00:00"}"##;
    const D142: &str = r##"{"x":"2022-01-09 12:00:00"}"##;
    const D143: &str = r##"{"x":"2022-01-10 12:00:00"}"##;
    const D144: &str = r##"{"x":"2022-01-11 12:00:00"}"##;
    const D145: &str = r##"{"x":"2022-01-12 12:00:00"}"##;
    const D146: &str = r##"{"x":"2022-01-13 12:00:00"}"##;
    const D147: &str = r##"{"x":"2022-01-14 12:00:00"}"##;
    const D148: &str = r##"{"x":"2022-01-15 12:00:00"}"##;
    const D149: &str = r##"{"x":"2022-01-16 12:00:00"}"##;
    const D150: &str = r##"{"x":"2022-01-17 12:00:00"}"##;
    const D151: &str = r##"{"x":"2022-01-18 12:00:00"}"##;
    const D152: &str = r##"{"x":"2022-01-19 12:00:00"}"##;
    const D153: &str = r##"{"x":"2022-01-20 12:00:00"}"##;
    const D154: &str = r##"{"x":"2022-01-21 12:00:00"}"##;
    const D155: &str = r##"{"x":"2022-01-22 12:00:00"}"##;
    const D156: &str = r##"{"x":"2022-01-23 12:00:00"}"##;
    const D157: &str = r##"{"x":"2022-01-24 12:00:00"}"##;
    const D158: &str = r##"{"x":"2022-01-25 12:00:00"}"##;
    const D159: &str = r##"{"x":"2022-01-26 12:00:00"}"##;
    const D160: &str = r##"{"x":"2022-01-27 12:00:00"}"##;
    const D161: &str = r##"{"x":"2022-01-28 12:00:00"}"##;
    const D162: &str = r##"{"x":"2022-01-29 12:00:00"}"##;
    const D163: &str = r##"{"x":"2022-01-30 12:00:00"}"##;
    const D164: &str = r##"{"x":"2022-01-31 12:00:00"}"##;
    const D165: &str = r##"{"x":"\"Hello\" world"}"##;
    const D166: &str = r##"{"x":"It's the '80s"}"##;
    const D167: &str = r##"{"x":"'single' quotes"}"##;
    const D168: &str = r##"{"x":"a -- b --- c ... d"}"##;
    const D169: &str = r##"{"x":"<< a >> \\<< b"}"##;
    const D170: &str = r##"{"x":"x & y < z > w \"q\""}"##;
    const D171: &str = r##"{"x":"&amp; &copy; &#169; &#x263A; &bogus; &nbsp;"}"##;
    const D172: &str = r##"{"x":"<b>bold</b> 'it' \"x\""}"##;
    const D173: &str = r##"{"x":"<a href=\"x'y\">'z'</a>"}"##;
    const D174: &str = r##"{"x":"line1\nline2 \"q\"\n\n\"para\""}"##;
    const D175: &str = r##"{"x":"don't"}"##;
    const D176: &str = r##"{"x":"\"'Quoted' words in a larger quote.\""}"##;
    const D177: &str = r##"{"x":"'\"Quoted\" words'"}"##;
    const D178: &str = r##"{"x":"\"Custer\"'s Last Stand"}"##;
    const D179: &str = r##"{"x":"He said, \"Hi.\""}"##;
    const D180: &str = r##"{"x":"5'10\" tall"}"##;
    const D181: &str = r##"{"x":"`code` 'x'"}"##;
    const D182: &str = r##"{"x":"*a* 'b' _c_ \"*d*\""}"##;
    const D183: &str = r##"{"x":"\\\"escaped\\\" \\'x\\'"}"##;
    const D184: &str = r##"{"x":"a--b"}"##;
    const D185: &str = r##"{"x":"a----b"}"##;
    const D186: &str = r##"{"x":"...."}"##;
    const D187: &str = r##"{"x":"\""}"##;
    const D188: &str = r##"{"x":"'"}"##;
    const D189: &str = r##"{"x":"'tis"}"##;
    const D190: &str = r##"{"x":"a\"b"}"##;
    const D191: &str = r##"{"x":"(\"x\")"}"##;
    const D192: &str = r##"{"x":"[\"x\"]"}"##;
    const D193: &str = r##"{"x":"-\"x\""}"##;
    const D194: &str = r##"{"x":"\t\"tab\""}"##;
    const D195: &str = r##"{"x":"\"x\"\n"}"##;
    const D196: &str = r##"{"x":"  indented\n"}"##;
    const D197: &str = r##"{"x":"<div>\n'block' html\n</div>\n'after'"}"##;
    const D198: &str = r##"{"x":"<!-- c 'x' -->"}"##;
    const D199: &str = r##"{"x":"1 < 2"}"##;
    const D200: &str = r##"{"x":"a<b"}"##;
    const D201: &str = r##"{"x":"<notatag 'x'"}"##;
    const D202: &str = r##"{"x":"<br/>'x'"}"##;
    const D203: &str = r##"{"x":"<<"}"##;
    const D204: &str = r##"{"x":">>"}"##;
    const D205: &str = r##"{"x":"- 'a'"}"##;
    const D206: &str = r##"{"x":"# 'h'"}"##;
    const D207: &str = r##"{"x":"> 'q'"}"##;
    const D208: &str = r##"{"x":"x\\ny"}"##;
    const D209: &str = r##"{"x":"ü \"ü\""}"##;
    const D210: &str = r##"{"x":"\"a\" \"b\""}"##;
    const D211: &str = r##"{"x":"'a' 'b'"}"##;
    const D212: &str = r##"{"x":"it’s “x”"}"##;
    const D213: &str = r##"{"x":"The _config.yml file"}"##;
    const D214: &str = r##"{"x":"  Hello,  World!  "}"##;
    const D215: &str = r##"{"x":"Ünïcödé Straße ÆØÅ œ ß"}"##;
    const D216: &str = r##"{"x":"日本語 タイトル"}"##;
    const D217: &str = r##"{"x":"C++ & C#"}"##;
    const D218: &str = r##"{"x":"--x--"}"##;
    const D219: &str = r##"{"x":"é ＡＢＣ ١٢٣ Ⅻ ½"}"##;
    const D220: &str = r##"{"x":"ǅ Σ ΣΑΣ İ"}"##;
    const D221: &str = r##"{"x":"don't stop"}"##;
    const D222: &str = r##"{"x":"a.b_c~d!e$f&g'h(i)j+k,l;m=n@o"}"##;
    const D223: &str = r##"{"x":"\ttab\nnew"}"##;
    const D224: &str = r##"{"x":"Ελληνικά Кириллица"}"##;
    const D225: &str = r##"{"x":"ĳ ŉ Đ đ Ł ł Ø ſ Þ þ ð"}"##;
    const D226: &str = r##"{"x":"x\u00a0y"}"##;
    const D227: &str = r##"{"x":"a/b\\c"}"##;
    const D228: &str = r##"{"x":"×÷"}"##;
    const D229: &str = r##"{"x":"--"}"##;
    const D230: &str = r##"{"x":"12abc"}"##;
    const D231: &str = r##"{"x":" 12"}"##;
    const D232: &str = r##"{"x":"1_000"}"##;
    const D233: &str = r##"{"x":"0x1A"}"##;
    const D234: &str = r##"{"x":"-5"}"##;
    const D235: &str = r##"{"x":"+5"}"##;
    const D236: &str = r##"{"x":"1e3"}"##;
    const D237: &str = r##"{"x":"12.9"}"##;
    const D238: &str = r##"{"x":"  -0  "}"##;
    const D239: &str = r##"{"x":"１２"}"##;
    const D240: &str = r##"{"x":"9999999999999999999999"}"##;
    const D241: &str = r##"{"x":12.9}"##;
    const D242: &str = r##"{"x":-12.9}"##;
    const D243: &str = r##"{"x":false}"##;
    const D244: &str = r##"{"x":7}"##;
    const D245: &str = r##"{"x":"@time:2022-02-10 17:07:04 +0800"}"##;
    const D246: &str = r##"{"x":"/a/index.html"}"##;
    const D247: &str = r##"{"x":"/a/index.htm"}"##;
    const D248: &str = r##"{"x":"/index.html"}"##;
    const D249: &str = r##"{"x":"/a/index.html?x"}"##;
    const D250: &str = r##"{"x":"/a/index.html\n/b/index.html"}"##;
    const D251: &str = r##"{"x":"/a/index.HTML"}"##;
    const D252: &str = r##"{"x":"/a/"}"##;
    const D253: &str = r##"{"a":[1,2,3,4],"s":"str","n":null,"e":[]}"##;
    const D254: &str = r##"{"nums":[3,1,2],"mixed":[3,"1",2],"withnil":[3,null,1],"strs":["b","B","a","é","10","9"],"floats":[2.5,1,3],"ps":[{"t":"a","v":"10"},{"t":"b","v":9},{"t":"c"},{"t":"d","v":"x"},{"t":"e","v":"1.5"},{"t":"f","v":null},{"t":"g","v":true}],"ps2":[{"t":"a","m":{"n":2}},{"t":"b","m":{"n":1}},{"t":"c"}],"e":[]}"##;
    const D255: &str = r##"{"x":"2022/2/10"}"##;
    const D256: &str = r##"{"x":"10.02.2022"}"##;
    const D257: &str = r##"{"x":"Thursday, February 10, 2022"}"##;
    const D258: &str = r##"{"x":"Thu Feb 10 2022"}"##;
    const D259: &str = r##"{"x":"2022-02-10T17:07Z"}"##;
    const D260: &str = r##"{"x":"10 Feb 22"}"##;
    const D261: &str = r##"{"x":"Feb 10, 22"}"##;
    const D262: &str = r##"{"x":"2022-02-10 24:00:00"}"##;
    const D263: &str = r##"{"x":"2022-02-30"}"##;
    const D264: &str = r##"{"x":"2022-02-10 17:07:60"}"##;
    const D265: &str = r##"{"x":"1/2/3"}"##;
    const D266: &str = r##"{"x":"2022-02-10 17:07:04 -00:00"}"##;
    const D267: &str = r##"{"x":"2022-02-10 17:07:04 +14:00"}"##;
    const D268: &str = r##"{"x":"2022-02-10 17:07:04 +1"}"##;
    const D269: &str = r##"{"x":"2022-02-10 17:07:04 +123"}"##;
    const D270: &str = r##"{"x":"2022-02-10 17:07:04 JST"}"##;
    const D271: &str = r##"{"x":"2022-02-10 17:07:04 XYZ"}"##;
    const D272: &str = r##"{"x":"0001-01-01"}"##;
    const D273: &str = r##"{"x":"+002022-02-10"}"##;
    const D274: &str = r##"{"x":"2022-03-13 02:30:00"}"##;
    const D275: &str = r##"{"x":"2022-11-06 01:30:00"}"##;
    const D276: &str = r##"{"x":"2022-03-13 02:30:00 -0500"}"##;
    const D277: &str = r##"{"x":"2022-07-04 12:00"}"##;
    const D278: &str = r##"{"x":"2022-02-10 12:00 am"}"##;
    const D279: &str = r##"{"x":"2022-02-10 12:00 pm"}"##;
    const D280: &str = r##"{"x":"2022-02-10 1:05 PM"}"##;
    const D281: &str = r##"{"x":"Sat, 1 Jan 2000 00:00:00 GMT"}"##;
    const D282: &str = r##"{"x":"2022-02-10T17:07:04.123456+01:00"}"##;
    const D283: &str = r##"{"x":"2022-02-10 17:07:04 EST"}"##;
    const D284: &str = r##"{"x":"2022-02-10 17:07:04 z"}"##;
    const D285: &str = r##"{"x":"@time:2022-11-06 05:30:00 +0000"}"##;
    const D286: &str = r##"{"x":"@date:2022-03-13"}"##;
    const D287: &str = r##"{"x":"@date:2022-07-04"}"##;
    const D288: &str = r##"{"x":"2022-02-10t17:07:04"}"##;
    const D289: &str = r##"{"x":"February 2022"}"##;
    const D290: &str = r##"{"x":"Dec 31 1999 23:59"}"##;
    const D291: &str = r##"{"x":"31 December 1999 11:59 pm"}"##;
    const D292: &str = r##"{"x":"9999-12-31 23:59:59"}"##;
    const D293: &str = r##"{"x":1700000000}"##;
    const D294: &str = r##"{"x":-86400}"##;
    const D295: &str = r##"{"posts":[{"t":"a","y":2014,"tags":["x","y"],"s":"hello"},{"t":"b","y":2015,"tags":[],"s":"world"},{"t":"c","y":1,"s":null}],"lim":2014}"##;
    const D296: &str = r##"{"x":"a b c"}"##;
    const D297: &str = r##"{"x":"café"}"##;
    const D298: &str = r##"{"x":"  "}"##;
    const D299: &str = r##"{"x":"漢字かなカナ한글 mixed text"}"##;
    const D300: &str = r##"{"x":"one\ttwo\nthree\r\nfour\fx\u000by"}"##;
    const D301: &str = r##"{"x":"\u0000\u0007\u001b\u007f\u0080\u00ad\u2028😀#{x}#$x#@y#z"}"##;
    const D302: &str = r##"{"x":["a",["b","c"],{"k":1},null,2.0]}"##;
    const D303: &str = r##"{"x":"@date:2022-02-10"}"##;
    const D304: &str = r##"{"x":"2022-10-30 02:30:00"}"##;
    const D305: &str = r##"{"x":"2022-03-27 02:30:00"}"##;
    const D306: &str = r##"{"x":"2022-03-27 01:59:59"}"##;
    const D307: &str = r##"{"x":"2022-10-30 03:00:00"}"##;
    const D308: &str = r##"{"x":"@date:2022-03-27"}"##;
    const D309: &str = r##"{"x":"@time:2022-10-30 00:30:00 +0000"}"##;
    const D310: &str = r##"{"x":"@time:2022-10-30 01:30:00 +0000"}"##;
    const D311: &str = r##"{"x":"2022-07-01"}"##;

    const URL_CASES: &[(&str, &str, &str)] = &[
        ("{{ x | relative_url }}|{{ x | absolute_url }}", D0, "/blog/about/|https://example.org/blog/about/"),
        ("{{ x | relative_url }}|{{ x | absolute_url }}", D1, "/blog/about|https://example.org/blog/about"),
        ("{{ x | relative_url }}|{{ x | absolute_url }}", D2, "/blog|https://example.org/blog"),
        ("{{ x | relative_url }}|{{ x | absolute_url }}", D3, "https://x.org/a|https://x.org/a"),
        ("{{ x | relative_url }}|{{ x | absolute_url }}", D4, "HTTP://EXAMPLE.org:80/A b|HTTP://EXAMPLE.org:80/A b"),
        ("{{ x | relative_url }}|{{ x | absolute_url }}", D5, "/blog//cdn.example/x|https://example.org/blog//cdn.example/x"),
        ("{{ x | relative_url }}|{{ x | absolute_url }}", D6, "mailto:a@b.c|mailto:a@b.c"),
        ("{{ x | relative_url }}|{{ x | absolute_url }}", D7, "/blog/a%20b/%C3%BC?x=1%202&y=%C3%BC#f%20g|https://example.org/blog/a%20b/%C3%BC?x=1%202&y=%C3%BC#f%20g"),
        ("{{ x | relative_url }}|{{ x | absolute_url }}", D8, "/blog/~foo/A%2F:|https://example.org/blog/~foo/A%2F:"),
        ("{{ x | relative_url }}|{{ x | absolute_url }}", D9, "/blog/b/c|https://example.org/blog/b/c"),
        ("{{ x | relative_url }}|{{ x | absolute_url }}", D10, "/blog/c|https://example.org/blog/c"),
        ("{{ x | relative_url }}|{{ x | absolute_url }}", D11, "/blog/#frag|https://example.org/blog/#frag"),
        ("{{ x | relative_url }}|{{ x | absolute_url }}", D12, "/blog/?q=1|https://example.org/blog/?q=1"),
        ("{{ x | relative_url }}|{{ x | absolute_url }}", D13, "/blog/%C3%BCber|https://example.org/blog/%C3%BCber"),
        ("{{ x | relative_url }}|{{ x | absolute_url }}", D14, "/blog/a%7Cb%5Ec%60d%7Be%7D%5Cf|https://example.org/blog/a%7Cb%5Ec%60d%7Be%7D%5Cf"),
        ("{{ x | relative_url }}|{{ x | absolute_url }}", D15, "/blog/a%5Bb%5D|https://example.org/blog/a%5Bb%5D"),
        ("{{ x | relative_url }}|{{ x | absolute_url }}", D16, "/blog/a%22b%3Cc%3E|https://example.org/blog/a%22b%3Cc%3E"),
        ("{{ x | relative_url }}|{{ x | absolute_url }}", D17, "/blog/a%25zz|https://example.org/blog/a%25zz"),
        ("{{ x | relative_url }}|{{ x | absolute_url }}", D18, "/blog/a%25|https://example.org/blog/a%25"),
        ("{{ x | relative_url }}|{{ x | absolute_url }}", D19, "/blog/index.html|https://example.org/blog/index.html"),
        ("{{ x | relative_url }}|{{ x | absolute_url }}", D20, "/blog/a//b|https://example.org/blog/a//b"),
        ("{{ x | relative_url }}|{{ x | absolute_url }}", D21, "/x|https://example.org/x"),
        ("{{ x | relative_url }}|{{ x | absolute_url }}", D22, "/blog/a?b=c?d#e%23f|https://example.org/blog/a?b=c?d#e%23f"),
        ("{{ x | relative_url }}|{{ x | absolute_url }}", D23, "/blog/a:b|https://example.org/blog/a:b"),
        ("{{ x | relative_url }}|{{ x | absolute_url }}", D24, "/blog/a@b!$&'()*+,;=|https://example.org/blog/a@b!$&'()*+,;="),
        ("{{ x | relative_url }}|{{ x | absolute_url }}", D25, "/blog/x|https://example.org/blog/x"),
        ("{{ x | relative_url }}|{{ x | absolute_url }}", D26, "/blog/x|https://example.org/blog/x"),
        ("{{ x | relative_url }}|{{ x | absolute_url }}", D27, "/blog/%C3%A4%C3%A4|https://example.org/blog/%C3%A4%C3%A4"),
        ("{{ x | relative_url }}|{{ x | absolute_url }}", D28, "tel:+123|tel:+123"),
        ("{{ x | relative_url }}|{{ x | absolute_url }}", D29, "javascript:alert(1)|javascript:alert(1)"),
        ("{{ x | relative_url }}|{{ x | absolute_url }}", D30, "/blog/a%20b|https://example.org/blog/a%20b"),
        ("{{ x | relative_url }}|{{ x | absolute_url }}", D31, "/blog/a+b|https://example.org/blog/a+b"),
        ("{{ x | relative_url }}|{{ x | absolute_url }}", D32, "/blog/a+b|https://example.org/blog/a+b"),
        ("{{ x | relative_url }}|{{ x | absolute_url }}", D33, "C:/x|C:/x"),
        ("{{ x | relative_url }}|{{ x | absolute_url }}", D34, "/blog/%C3%A9|https://example.org/blog/%C3%A9"),
        ("{{ x | relative_url }}|{{ x | absolute_url }}", D35, "/blog/%C3%A9|https://example.org/blog/%C3%A9"),
        ("{{ x | relative_url }}|{{ x | absolute_url }}", D36, "/blog/full|https://example.org/blog/full"),
        ("{{ x | relative_url }}|{{ x | absolute_url }}", D37, "/blog/a%09b|https://example.org/blog/a%09b"),
        ("{{ x | relative_url }}|{{ x | absolute_url }}", D38, "/blog/a%0Ab|https://example.org/blog/a%0Ab"),
        ("{{ x | relative_url }}|{{ x | absolute_url }}", D39, "/blog/%E2%82%AC|https://example.org/blog/%E2%82%AC"),
        ("{{ x | relative_url }}|{{ x | absolute_url }}", D40, "/blog/%E2%82%AC|https://example.org/blog/%E2%82%AC"),
        ("{{ x | relative_url }}|{{ x | absolute_url }}", D41, "/blog/q?a=%2B&b=%2B&c=+&d=%3B&e=%5Bx%5D|https://example.org/blog/q?a=%2B&b=%2B&c=+&d=%3B&e=%5Bx%5D"),
        ("{{ x | relative_url }}|{{ x | absolute_url }}", D42, "/blog/q?&&a|https://example.org/blog/q?&&a"),
        ("{{ x | relative_url }}|{{ x | absolute_url }}", D43, "/blog/f#a%20b%23c|https://example.org/blog/f#a%20b%23c"),
        ("{{ x | relative_url }}|{{ x | absolute_url }}", D44, "/blog/%20/trim|https://example.org/blog/%20/trim"),
        ("{{ x | relative_url }}|{{ x | absolute_url }}", D45, "/blog/a/|https://example.org/blog/a/"),
        ("{{ x | relative_url }}|{{ x | absolute_url }}", D46, "/blog/a/b/|https://example.org/blog/a/b/"),
        ("{{ x | relative_url }}|{{ x | absolute_url }}", D47, "/|https://example.org/"),
        ("{{ x | relative_url }}|{{ x | absolute_url }}", D48, "ERROR"),
        ("{{ x | relative_url }}|{{ x | absolute_url }}", D49, "/blog/a/...|https://example.org/blog/a/..."),
        ("{{ x | relative_url }}|{{ x | absolute_url }}", D50, "ERROR"),
        ("{{ x | relative_url }}|{{ x | absolute_url }}", D51, "ERROR"),
        ("{{ x | relative_url }}|{{ x | absolute_url }}", D52, "/blog/%00|https://example.org/blog/%00"),
        ("{{ x | relative_url }}|{{ x | absolute_url }}", D53, "/blog/x?y|https://example.org/blog/x?y"),
        ("{{ x | relative_url }}|{{ x | absolute_url }}", D54, "/blog/p/%25|https://example.org/blog/p/%25"),
        ("{{ x | relative_url }}|{{ x | absolute_url }}", D55, "/blog//user@host/x|https://example.org/blog//user@host/x"),
        ("{{ x | relative_url }}|{{ x | absolute_url }}", D56, "/blog/%C3%A9?%C3%A9#%C3%A9|https://example.org/blog/%C3%A9?%C3%A9#%C3%A9"),
        ("[{{ x | relative_url }}][{{ x | absolute_url }}]", D57, "[][]"),
        ("[{{ x | relative_url }}][{{ x | absolute_url }}]", D58, "[/blog/5][https://example.org/blog/5]"),
        ("[{{ x | relative_url }}][{{ x | absolute_url }}]", D59, "[/blog/%5B%22a%22,%20%22b%22%5D][https://example.org/blog/%5B%22a%22,%20%22b%22%5D]"),
        ("[{{ x | relative_url }}][{{ x | absolute_url }}]", D60, "[/blog/true][https://example.org/blog/true]"),
        ("[{{ x | relative_url }}][{{ x | absolute_url }}]", D61, "[/blog/1.5][https://example.org/blog/1.5]"),
    ];

    const TEXT_CASES: &[(&str, &str, &str)] = &[
        ("{{ x | xml_escape }}", D62, "foo &quot;bar&quot; &lt;baz&gt; &amp; &apos;q&apos;"),
        ("{{ x | xml_escape }}", D63, "ü\u{0}\u{1}\t\n"),
        ("{{ x | xml_escape }}", D2, ""),
        ("{{ x | xml_escape }}", D64, "a&quot;"),
        ("{{ x | xml_escape }}", D65, "&quot;a&quot;"),
        ("[{{ x | xml_escape }}]", D57, "[]"),
        ("[{{ x | xml_escape }}]", D58, "[5]"),
        ("[{{ x | xml_escape }}]", D66, "[[1, &quot;a&quot;]]"),
        ("{{ x | cgi_escape }}", D67, "foo%2Cbar%3Bbaz%3F"),
        ("{{ x | cgi_escape }}", D68, "a+b%2Bc%2F%C3%A9~%2A%27%28%29%21"),
        ("{{ x | cgi_escape }}", D2, ""),
        ("{{ x | cgi_escape }}", D69, "-_.~"),
        ("[{{ x | cgi_escape }}]", D57, "ERROR"),
        ("[{{ x | cgi_escape }}]", D58, "ERROR"),
        ("{{ x | uri_escape }}", D70, "foo,%20bar%20%5Cbaz?"),
        ("{{ x | uri_escape }}", D71, "/a%20b/%C3%BC?x=1%202#f%20g"),
        ("{{ x | uri_escape }}", D72, "~%20%25zz"),
        ("{{ x | uri_escape }}", D73, "http://EX.org:80/a/../b"),
        ("{{ x | uri_escape }}", D74, "a[b]%7Bc%7D%7Cd%5Ee%60f%22g%3Ch%3E"),
        ("{{ x | uri_escape }}", D2, ""),
        ("{{ x | uri_escape }}", D75, "tel:+1%202"),
        ("{{ x | uri_escape }}", D76, "//h/p"),
        ("[{{ x | uri_escape }}]", D57, "[]"),
        ("[{{ x | uri_escape }}]", D58, "ERROR"),
        ("[{{ x | normalize_whitespace }}]", D77, "[a b]"),
        ("[{{ x | normalize_whitespace }}]", D2, "[]"),
        ("[{{ x | normalize_whitespace }}]", D78, "[a\u{a0}b]"),
        ("[{{ x | normalize_whitespace }}]", D79, "[a　b]"),
        ("[{{ x | normalize_whitespace }}]", D57, "[]"),
        ("{{ x | number_of_words }}|{{ x | number_of_words: 'cjk' }}|{{ x | number_of_words: 'auto' }}|{{ x | number_of_words: 'zz' }}", D80, "5|13|13|5"),
        ("{{ x | number_of_words }}|{{ x | number_of_words: 'cjk' }}|{{ x | number_of_words: 'auto' }}|{{ x | number_of_words: 'zz' }}", D2, "0|0|0|0"),
        ("{{ x | number_of_words }}|{{ x | number_of_words: 'cjk' }}|{{ x | number_of_words: 'auto' }}|{{ x | number_of_words: 'zz' }}", D81, "3|3|3|3"),
        ("{{ x | number_of_words }}|{{ x | number_of_words: 'cjk' }}|{{ x | number_of_words: 'auto' }}|{{ x | number_of_words: 'zz' }}", D82, "1|2|2|1"),
        ("{{ x | number_of_words }}|{{ x | number_of_words: 'cjk' }}|{{ x | number_of_words: 'auto' }}|{{ x | number_of_words: 'zz' }}", D78, "1|1|1|1"),
        ("{{ x | number_of_words }}|{{ x | number_of_words: 'cjk' }}|{{ x | number_of_words: 'auto' }}|{{ x | number_of_words: 'zz' }}", D83, "2|9|9|2"),
        ("{{ x | number_of_words }}", D57, "ERROR"),
        ("{{ x | number_of_words }}", D58, "ERROR"),
        ("{{ x | array_to_sentence_string }}|{{ x | array_to_sentence_string: 'or' }}", D84, "|"),
        ("{{ x | array_to_sentence_string }}|{{ x | array_to_sentence_string: 'or' }}", D85, "a|a"),
        ("{{ x | array_to_sentence_string }}|{{ x | array_to_sentence_string: 'or' }}", D59, "a and b|a or b"),
        ("{{ x | array_to_sentence_string }}|{{ x | array_to_sentence_string: 'or' }}", D86, "a, b, and c|a, b, or c"),
        ("{{ x | array_to_sentence_string }}|{{ x | array_to_sentence_string: 'or' }}", D87, "1, , 2.5, and true|1, , 2.5, or true"),
        ("[{{ x | array_to_sentence_string }}]", D57, "ERROR"),
        ("[{{ x | array_to_sentence_string }}]", D88, "ERROR"),
        ("{{ x | jsonify }}|{{ x | inspect }}", D57, "null|nil"),
        ("{{ x | jsonify }}|{{ x | inspect }}", D89, "1|1"),
        ("{{ x | jsonify }}|{{ x | inspect }}", D61, "1.5|1.5"),
        ("{{ x | jsonify }}|{{ x | inspect }}", D90, "1.0|1.0"),
        ("{{ x | jsonify }}|{{ x | inspect }}", D91, "1.0e+20|1.0e+20"),
        ("{{ x | jsonify }}|{{ x | inspect }}", D92, "1.0e-05|1.0e-05"),
        ("{{ x | jsonify }}|{{ x | inspect }}", D93, "\"a\\\"b\\\\c\\n\\u0001é/\u{2028}\"|&quot;a\\&quot;b\\\\c\\n\\u0001é/\\u2028&quot;"),
        ("{{ x | jsonify }}|{{ x | inspect }}", D60, "true|true"),
        ("{{ x | jsonify }}|{{ x | inspect }}", D94, "[1,[2,null]]|[1, [2, nil]]"),
        ("{{ 'a<b>' | inspect }}", D95, "&quot;a&lt;b&gt;&quot;"),
    ];

    const COLLECTION_CASES: &[(&str, &str, &str)] = &[
        ("{% assign r = posts | where: 'year', 2014 %}{% for p in r %}{{ p.title }}{% endfor %}", D96, "AB"),
        ("{% assign r = posts | where: 'year', '2014' %}{% for p in r %}{{ p.title }}{% endfor %}", D96, "AB"),
        ("{% assign r = posts | where: 'categories', 'news' %}{% for p in r %}{{ p.title }}{% endfor %}", D96, "A"),
        ("{% assign r = posts | where: 'categories', 'tech' %}{% for p in r %}{{ p.title }}{% endfor %}", D96, "AB"),
        ("{% assign r = posts | where: 'cat', nil %}{% for p in r %}{{ p.title }}{% endfor %}", D96, "C"),
        ("{% assign r = posts | where: 'meta.author', 'ann' %}{% for p in r %}{{ p.title }}{% endfor %}", D96, "AC"),
        ("{% assign r = posts | where: 'meta.n', '1.5' %}{% for p in r %}{{ p.title }}{% endfor %}", D96, "AB"),
        ("{% assign r = posts | where: 'meta.n', '1.50' %}{% for p in r %}{{ p.title }}{% endfor %}", D96, ""),
        ("{% assign r = posts | where: 's', '42' %}{% for p in r %}{{ p.title }}{% endfor %}", D96, "AB"),
        ("{% assign r = posts | where: 'flag', true %}{% for p in r %}{{ p.title }}{% endfor %}", D96, "A"),
        ("{% assign r = posts | where: 'flag', 'false' %}{% for p in r %}{{ p.title }}{% endfor %}", D96, "B"),
        ("{% assign r = posts | where: 'tags', 2 %}{% for p in r %}{{ p.title }}{% endfor %}", D96, "A"),
        ("{% assign r = posts | where: 'n', 1 %}{% for p in r %}{{ p.title }}{% endfor %}", D96, ""),
        ("{% assign r = posts | where: 'n', '1.0' %}{% for p in r %}{{ p.title }}{% endfor %}", D96, "D"),
        ("{% assign r = posts | where: 'categories', empty %}{% for p in r %}{{ p.title }}{% endfor %}", D96, "CD"),
        ("{% assign r = posts | where: 'empty', blank %}{% for p in r %}{{ p.title }}{% endfor %}", D96, "ABCD"),
        ("{% assign r = posts | where: 'cat', empty %}{% for p in r %}{{ p.title }}{% endfor %}", D96, "C"),
        ("{% assign r = h | where: 'cat', 'news' %}{% for p in r %}{{ p.title }}{% endfor %}", D96, "A"),
        ("{% assign r = posts | where: nil, 'x' %}{{ r | size }}", D96, "4"),
        ("{% assign r = posts | where: 'cat', posts %}{{ r | size }}", D96, "4"),
        ("{{ strs | where: 'a', 'a' | jsonify }}", D96, "[\"a.b\"]"),
        ("{{ strs | where: 'ne', 'ne' | jsonify }}", D96, "[\"news\"]"),
        ("[{{ nil | where: 'ne', 'ne' | jsonify }}]", D96, "[null]"),
        ("[{{ 'abc' | where: 'ne', 'ne' | jsonify }}]", D96, "[\"abc\"]"),
        ("{{ nums | where: 'ne', 'ne' | jsonify }}", D96, "ERROR"),
        ("{% assign r = posts | where_exp: 'p', 'p.year == 2014' %}{% for p in r %}{{ p.title }}{% endfor %}", D96, "A"),
        ("{% assign r = posts | where_exp: 'p', 'p.categories contains \"news\"' %}{% for p in r %}{{ p.title }}{% endfor %}", D96, "A"),
        ("{% assign r = posts | where_exp: 'p', 'p.cat == \"news\" and p.year == 2014 or p.title == \"C\"' %}{% for p in r %}{{ p.title }}{% endfor %}", D96, "A"),
        ("{% assign r = posts | where_exp: 'p', 'p.title == \"C\" or p.cat == \"news\" and p.year == 2015' %}{% for p in r %}{{ p.title }}{% endfor %}", D96, "C"),
        ("{% assign r = posts | where_exp: 'p', 'p.title == \"A\" and p.cat == \"tech\" or p.title == \"B\"' %}{% for p in r %}{{ p.title }}{% endfor %}", D96, ""),
        ("{% assign r = posts | where_exp: 'p', 'p.cat' %}{% for p in r %}{{ p.title }}{% endfor %}", D96, "ABD"),
        ("{% assign r = posts | where_exp: 'p', 'p.meta.author != \"ann\"' %}{% for p in r %}{{ p.title }}{% endfor %}", D96, "BD"),
        ("{% assign r = posts | where_exp: 'p', 'p.categories.size > 0' %}{% for p in r %}{{ p.title }}{% endfor %}", D96, "AB"),
        ("{% assign r = posts | where_exp: 'p', 'p.categories.first == \"tech\"' %}{% for p in r %}{{ p.title }}{% endfor %}", D96, "B"),
        ("{% assign r = posts | where_exp: 'p', 'p.categories == empty' %}{% for p in r %}{{ p.title }}{% endfor %}", D96, ""),
        ("{% assign r = nums | where_exp: 'n', 'n > 1' %}{{ r | join: ',' }}", D96, "3,2"),
        ("{% assign r = nums | where_exp: 'n', 'n <> 1' %}{{ r | join: ',' }}", D96, "3,2"),
        ("{% assign r = posts | where_exp: 'p', 'p.title == posts[1].title' %}{% for p in r %}{{ p.title }}{% endfor %}", D96, "B"),
        ("{% assign r = posts | where_exp: 'p', 'p[\"title\"] == \"D\"' %}{% for p in r %}{{ p.title }}{% endfor %}", D96, "D"),
        ("{% assign r = posts | where_exp: 'p', 'p.title == ' %}{% for p in r %}{{ p.title }}{% endfor %}", D96, "ERROR"),
        ("{% assign r = posts | where_exp: 'p', 'p.title | upcase' %}{% for p in r %}{{ p.title }}{% endfor %}", D96, "ERROR"),
        ("{% assign r = posts | where_exp: 'p', '(1..3) contains p.year' %}{% for p in r %}{{ p.title }}{% endfor %}", D96, ""),
        ("{% assign r = h | where_exp: 'p', 'p.title == \"A\"' %}{% for p in r %}{{ p.title }}{% endfor %}", D96, "A"),
        ("[{{ 'abc' | where_exp: 'p', 'p == 1' }}]", D96, "[abc]"),
        ("{% assign g = posts | group_by: 'year' %}{% for x in g %}{{ x.name | jsonify }}:{{ x.size }}:{{ x.items | map: 'title' | join: '' }};{% endfor %}", D96, "\"2014\":2:AB;\"2015\":1:C;\"\":1:D;"),
        ("{% assign g = posts | group_by: 'cat' %}{% for x in g %}{{ x.name | jsonify }}:{{ x.size }}:{{ x.items | map: 'title' | join: '' }};{% endfor %}", D96, "\"news\":2:AD;\"tech\":1:B;\"\":1:C;"),
        ("{% assign g = posts | group_by: 'categories' %}{% for x in g %}{{ x.name | jsonify }}:{{ x.size }};{% endfor %}", D96, "\"[\\\"news\\\", \\\"tech\\\"]\":1;\"[\\\"tech\\\"]\":1;\"[]\":1;\"\":1;"),
        ("{% assign g = posts | group_by_exp: 'p', 'p.year' %}{% for x in g %}{{ x.name | jsonify }}:{{ x.size }}:{{ x.items | map: 'title' | join: '' }};{% endfor %}", D96, "2014:1:A;\"2014\":1:B;2015:1:C;null:1:D;"),
        ("{% assign g = posts | group_by_exp: 'p', 'p.title | downcase | append: \"!\"' %}{% for x in g %}{{ x.name | jsonify }}:{{ x.size }};{% endfor %}", D96, "\"a!\":1;\"b!\":1;\"c!\":1;\"d!\":1;"),
        ("{% assign g = posts | group_by_exp: 'p', 'p.categories' %}{% for x in g %}{{ x.name | jsonify }}:{{ x.size }};{% endfor %}", D96, "[\"news\",\"tech\"]:1;[\"tech\"]:1;[]:1;null:1;"),
        ("{{ nums | group_by: 'x' | jsonify }}", D96, "ERROR"),
        ("{{ 'abc' | group_by: 'x' | jsonify }}", D96, "\"abc\""),
        ("{{ nil | group_by: 'x' | jsonify }}", D96, "null"),
        ("{{ h | group_by: 'cat' | jsonify }}", D96, "ERROR"),
    ];

    const DATE_CASES: &[(&str, &str, &str)] = &[
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_string }}|{{ x | date_to_long_string }}|{{ x | date_to_string: 'ordinal' }}|{{ x | date_to_long_string: 'ordinal', 'US' }}|{{ x | date_to_string: 'x', 'US' }}", D97, "2022-02-10T17:07:04+08:00|Thu, 10 Feb 2022 17:07:04 +0800|10 Feb 2022|10 February 2022|10th Feb 2022|February 10th, 2022|10 Feb 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_string }}|{{ x | date_to_long_string }}|{{ x | date_to_string: 'ordinal' }}|{{ x | date_to_long_string: 'ordinal', 'US' }}|{{ x | date_to_string: 'x', 'US' }}", D98, "2022-02-10T00:00:00+08:00|Thu, 10 Feb 2022 00:00:00 +0800|10 Feb 2022|10 February 2022|10th Feb 2022|February 10th, 2022|10 Feb 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_string }}|{{ x | date_to_long_string }}|{{ x | date_to_string: 'ordinal' }}|{{ x | date_to_long_string: 'ordinal', 'US' }}|{{ x | date_to_string: 'x', 'US' }}", D99, "2022-02-11T01:07:04+08:00|Fri, 11 Feb 2022 01:07:04 +0800|11 Feb 2022|11 February 2022|11th Feb 2022|February 11th, 2022|11 Feb 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_string }}|{{ x | date_to_long_string }}|{{ x | date_to_string: 'ordinal' }}|{{ x | date_to_long_string: 'ordinal', 'US' }}|{{ x | date_to_string: 'x', 'US' }}", D100, "2022-02-10T17:07:00+08:00|Thu, 10 Feb 2022 17:07:00 +0800|10 Feb 2022|10 February 2022|10th Feb 2022|February 10th, 2022|10 Feb 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_string }}|{{ x | date_to_long_string }}|{{ x | date_to_string: 'ordinal' }}|{{ x | date_to_long_string: 'ordinal', 'US' }}|{{ x | date_to_string: 'x', 'US' }}", D101, "2022-02-10T00:00:00+08:00|Thu, 10 Feb 2022 00:00:00 +0800|10 Feb 2022|10 February 2022|10th Feb 2022|February 10th, 2022|10 Feb 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_string }}|{{ x | date_to_long_string }}|{{ x | date_to_string: 'ordinal' }}|{{ x | date_to_long_string: 'ordinal', 'US' }}|{{ x | date_to_string: 'x', 'US' }}", D102, "2022-02-10T00:00:00+08:00|Thu, 10 Feb 2022 00:00:00 +0800|10 Feb 2022|10 February 2022|10th Feb 2022|February 10th, 2022|10 Feb 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_string }}|{{ x | date_to_long_string }}|{{ x | date_to_string: 'ordinal' }}|{{ x | date_to_long_string: 'ordinal', 'US' }}|{{ x | date_to_string: 'x', 'US' }}", D103, "2022-02-01T00:00:00+08:00|Tue, 01 Feb 2022 00:00:00 +0800|01 Feb 2022|01 February 2022|1st Feb 2022|February 1st, 2022|01 Feb 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_string }}|{{ x | date_to_long_string }}|{{ x | date_to_string: 'ordinal' }}|{{ x | date_to_long_string: 'ordinal', 'US' }}|{{ x | date_to_string: 'x', 'US' }}", D104, "2022-02-10T17:07:04+08:00|Thu, 10 Feb 2022 17:07:04 +0800|10 Feb 2022|10 February 2022|10th Feb 2022|February 10th, 2022|10 Feb 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_string }}|{{ x | date_to_long_string }}|{{ x | date_to_string: 'ordinal' }}|{{ x | date_to_long_string: 'ordinal', 'US' }}|{{ x | date_to_string: 'x', 'US' }}", D105, "2022-02-10T17:07:04+08:00|Thu, 10 Feb 2022 17:07:04 +0800|10 Feb 2022|10 February 2022|10th Feb 2022|February 10th, 2022|10 Feb 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_string }}|{{ x | date_to_long_string }}|{{ x | date_to_string: 'ordinal' }}|{{ x | date_to_long_string: 'ordinal', 'US' }}|{{ x | date_to_string: 'x', 'US' }}", D106, "2022-02-11T06:07:04+08:00|Fri, 11 Feb 2022 06:07:04 +0800|11 Feb 2022|11 February 2022|11th Feb 2022|February 11th, 2022|11 Feb 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_string }}|{{ x | date_to_long_string }}|{{ x | date_to_string: 'ordinal' }}|{{ x | date_to_long_string: 'ordinal', 'US' }}|{{ x | date_to_string: 'x', 'US' }}", D107, "2022-02-10T17:07:04+08:00|Thu, 10 Feb 2022 17:07:04 +0800|10 Feb 2022|10 February 2022|10th Feb 2022|February 10th, 2022|10 Feb 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_string }}|{{ x | date_to_long_string }}|{{ x | date_to_string: 'ordinal' }}|{{ x | date_to_long_string: 'ordinal', 'US' }}|{{ x | date_to_string: 'x', 'US' }}", D108, "2022-02-11T01:07:04+08:00|Fri, 11 Feb 2022 01:07:04 +0800|11 Feb 2022|11 February 2022|11th Feb 2022|February 11th, 2022|11 Feb 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_string }}|{{ x | date_to_long_string }}|{{ x | date_to_string: 'ordinal' }}|{{ x | date_to_long_string: 'ordinal', 'US' }}|{{ x | date_to_string: 'x', 'US' }}", D109, "2022-02-11T09:07:04+08:00|Fri, 11 Feb 2022 09:07:04 +0800|11 Feb 2022|11 February 2022|11th Feb 2022|February 11th, 2022|11 Feb 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_string }}|{{ x | date_to_long_string }}|{{ x | date_to_string: 'ordinal' }}|{{ x | date_to_long_string: 'ordinal', 'US' }}|{{ x | date_to_string: 'x', 'US' }}", D110, "2022-02-03T03:32:03+08:00|Thu, 03 Feb 2022 03:32:03 +0800|03 Feb 2022|03 February 2022|3rd Feb 2022|February 3rd, 2022|03 Feb 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_string }}|{{ x | date_to_long_string }}|{{ x | date_to_string: 'ordinal' }}|{{ x | date_to_long_string: 'ordinal', 'US' }}|{{ x | date_to_string: 'x', 'US' }}", D111, "2022-02-22T23:59:59+08:00|Tue, 22 Feb 2022 23:59:59 +0800|22 Feb 2022|22 February 2022|22nd Feb 2022|February 22nd, 2022|22 Feb 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_string }}|{{ x | date_to_long_string }}|{{ x | date_to_string: 'ordinal' }}|{{ x | date_to_long_string: 'ordinal', 'US' }}|{{ x | date_to_string: 'x', 'US' }}", D112, "2022-02-11T04:07:04+08:00|Fri, 11 Feb 2022 04:07:04 +0800|11 Feb 2022|11 February 2022|11th Feb 2022|February 11th, 2022|11 Feb 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_string }}|{{ x | date_to_long_string }}|{{ x | date_to_string: 'ordinal' }}|{{ x | date_to_long_string: 'ordinal', 'US' }}|{{ x | date_to_string: 'x', 'US' }}", D113, "2022-03-04T00:00:00+08:00|Fri, 04 Mar 2022 00:00:00 +0800|04 Mar 2022|04 March 2022|4th Mar 2022|March 4th, 2022|04 Mar 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_string }}|{{ x | date_to_long_string }}|{{ x | date_to_string: 'ordinal' }}|{{ x | date_to_long_string: 'ordinal', 'US' }}|{{ x | date_to_string: 'x', 'US' }}", D114, "1970-08-23T08:43:30+08:00|Sun, 23 Aug 1970 08:43:30 +0800|23 Aug 1970|23 August 1970|23rd Aug 1970|August 23rd, 1970|23 Aug 1970"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_string }}|{{ x | date_to_long_string }}|{{ x | date_to_string: 'ordinal' }}|{{ x | date_to_long_string: 'ordinal', 'US' }}|{{ x | date_to_string: 'x', 'US' }}", D115, "2022-02-10T17:07:04+08:00|Thu, 10 Feb 2022 17:07:04 +0800|10 Feb 2022|10 February 2022|10th Feb 2022|February 10th, 2022|10 Feb 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_string }}|{{ x | date_to_long_string }}|{{ x | date_to_string: 'ordinal' }}|{{ x | date_to_long_string: 'ordinal', 'US' }}|{{ x | date_to_string: 'x', 'US' }}", D116, "2022-02-10T00:00:00+08:00|Thu, 10 Feb 2022 00:00:00 +0800|10 Feb 2022|10 February 2022|10th Feb 2022|February 10th, 2022|10 Feb 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_string }}|{{ x | date_to_long_string }}|{{ x | date_to_string: 'ordinal' }}|{{ x | date_to_long_string: 'ordinal', 'US' }}|{{ x | date_to_string: 'x', 'US' }}", D117, "2022-02-10T10:00:00+08:00|Thu, 10 Feb 2022 10:00:00 +0800|10 Feb 2022|10 February 2022|10th Feb 2022|February 10th, 2022|10 Feb 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_string }}|{{ x | date_to_long_string }}|{{ x | date_to_string: 'ordinal' }}|{{ x | date_to_long_string: 'ordinal', 'US' }}|{{ x | date_to_string: 'x', 'US' }}", D118, "ERROR"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_string }}|{{ x | date_to_long_string }}|{{ x | date_to_string: 'ordinal' }}|{{ x | date_to_long_string: 'ordinal', 'US' }}|{{ x | date_to_string: 'x', 'US' }}", D119, "ERROR"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_string }}|{{ x | date_to_long_string }}|{{ x | date_to_string: 'ordinal' }}|{{ x | date_to_long_string: 'ordinal', 'US' }}|{{ x | date_to_string: 'x', 'US' }}", D120, "1970-01-01T08:33:42+08:00|Thu, 01 Jan 1970 08:33:42 +0800|01 Jan 1970|01 January 1970|1st Jan 1970|January 1st, 1970|01 Jan 1970"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_string }}|{{ x | date_to_long_string }}|{{ x | date_to_string: 'ordinal' }}|{{ x | date_to_long_string: 'ordinal', 'US' }}|{{ x | date_to_string: 'x', 'US' }}", D121, "2022-02-01T00:00:00+08:00|Tue, 01 Feb 2022 00:00:00 +0800|01 Feb 2022|01 February 2022|1st Feb 2022|February 1st, 2022|01 Feb 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_string }}|{{ x | date_to_long_string }}|{{ x | date_to_string: 'ordinal' }}|{{ x | date_to_long_string: 'ordinal', 'US' }}|{{ x | date_to_string: 'x', 'US' }}", D122, "2022-02-10T00:00:00+08:00|Thu, 10 Feb 2022 00:00:00 +0800|10 Feb 2022|10 February 2022|10th Feb 2022|February 10th, 2022|10 Feb 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_string }}|{{ x | date_to_long_string }}|{{ x | date_to_string: 'ordinal' }}|{{ x | date_to_long_string: 'ordinal', 'US' }}|{{ x | date_to_string: 'x', 'US' }}", D123, "2022-02-10T17:07:04+08:00|Thu, 10 Feb 2022 17:07:04 +0800|10 Feb 2022|10 February 2022|10th Feb 2022|February 10th, 2022|10 Feb 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_string }}|{{ x | date_to_long_string }}|{{ x | date_to_string: 'ordinal' }}|{{ x | date_to_long_string: 'ordinal', 'US' }}|{{ x | date_to_string: 'x', 'US' }}", D124, "2022-02-10T17:07:04+08:00|Thu, 10 Feb 2022 17:07:04 +0800|10 Feb 2022|10 February 2022|10th Feb 2022|February 10th, 2022|10 Feb 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_string }}|{{ x | date_to_long_string }}|{{ x | date_to_string: 'ordinal' }}|{{ x | date_to_long_string: 'ordinal', 'US' }}|{{ x | date_to_string: 'x', 'US' }}", D125, "2022-02-11T01:07:04+08:00|Fri, 11 Feb 2022 01:07:04 +0800|11 Feb 2022|11 February 2022|11th Feb 2022|February 11th, 2022|11 Feb 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_string }}|{{ x | date_to_long_string }}|{{ x | date_to_string: 'ordinal' }}|{{ x | date_to_long_string: 'ordinal', 'US' }}|{{ x | date_to_string: 'x', 'US' }}", D126, "2022-02-11T00:00:00+08:00|Fri, 11 Feb 2022 00:00:00 +0800|11 Feb 2022|11 February 2022|11th Feb 2022|February 11th, 2022|11 Feb 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_string }}|{{ x | date_to_long_string }}|{{ x | date_to_string: 'ordinal' }}|{{ x | date_to_long_string: 'ordinal', 'US' }}|{{ x | date_to_string: 'x', 'US' }}", D127, "2022-03-13T15:30:00+08:00|Sun, 13 Mar 2022 15:30:00 +0800|13 Mar 2022|13 March 2022|13th Mar 2022|March 13th, 2022|13 Mar 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_string }}|{{ x | date_to_long_string }}|{{ x | date_to_string: 'ordinal' }}|{{ x | date_to_long_string: 'ordinal', 'US' }}|{{ x | date_to_string: 'x', 'US' }}", D128, "2000-01-01T07:59:59+08:00|Sat, 01 Jan 2000 07:59:59 +0800|01 Jan 2000|01 January 2000|1st Jan 2000|January 1st, 2000|01 Jan 2000"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_string }}|{{ x | date_to_long_string }}|{{ x | date_to_string: 'ordinal' }}|{{ x | date_to_long_string: 'ordinal', 'US' }}|{{ x | date_to_string: 'x', 'US' }}", D129, "2022-02-10T17:07:04+08:00|Thu, 10 Feb 2022 17:07:04 +0800|10 Feb 2022|10 February 2022|10th Feb 2022|February 10th, 2022|10 Feb 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_string }}|{{ x | date_to_long_string }}|{{ x | date_to_string: 'ordinal' }}|{{ x | date_to_long_string: 'ordinal', 'US' }}|{{ x | date_to_string: 'x', 'US' }}", D130, "1970-01-01T08:00:00+08:00|Thu, 01 Jan 1970 08:00:00 +0800|01 Jan 1970|01 January 1970|1st Jan 1970|January 1st, 1970|01 Jan 1970"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_string }}|{{ x | date_to_long_string }}|{{ x | date_to_string: 'ordinal' }}|{{ x | date_to_long_string: 'ordinal', 'US' }}|{{ x | date_to_string: 'x', 'US' }}", D131, "1970-01-01T07:59:59+08:00|Thu, 01 Jan 1970 07:59:59 +0800|01 Jan 1970|01 January 1970|1st Jan 1970|January 1st, 1970|01 Jan 1970"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_string }}|{{ x | date_to_long_string }}|{{ x | date_to_string: 'ordinal' }}|{{ x | date_to_long_string: 'ordinal', 'US' }}|{{ x | date_to_string: 'x', 'US' }}", D57, "||||||"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_string }}|{{ x | date_to_long_string }}|{{ x | date_to_string: 'ordinal' }}|{{ x | date_to_long_string: 'ordinal', 'US' }}|{{ x | date_to_string: 'x', 'US' }}", D2, "||||||"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_string }}|{{ x | date_to_long_string }}|{{ x | date_to_string: 'ordinal' }}|{{ x | date_to_long_string: 'ordinal', 'US' }}|{{ x | date_to_string: 'x', 'US' }}", D60, "ERROR"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_string }}|{{ x | date_to_long_string }}|{{ x | date_to_string: 'ordinal' }}|{{ x | date_to_long_string: 'ordinal', 'US' }}|{{ x | date_to_string: 'x', 'US' }}", D61, "ERROR"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_string }}|{{ x | date_to_long_string }}|{{ x | date_to_string: 'ordinal' }}|{{ x | date_to_long_string: 'ordinal', 'US' }}|{{ x | date_to_string: 'x', 'US' }}", D132, "ERROR"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_string }}|{{ x | date_to_long_string }}|{{ x | date_to_string: 'ordinal' }}|{{ x | date_to_long_string: 'ordinal', 'US' }}|{{ x | date_to_string: 'x', 'US' }}", D133, "ERROR"),
        ("{{ x | date_to_string: 'ordinal' }}", D134, "1st Jan 2022"),
        ("{{ x | date_to_string: 'ordinal' }}", D135, "2nd Jan 2022"),
        ("{{ x | date_to_string: 'ordinal' }}", D136, "3rd Jan 2022"),
        ("{{ x | date_to_string: 'ordinal' }}", D137, "4th Jan 2022"),
        ("{{ x | date_to_string: 'ordinal' }}", D138, "5th Jan 2022"),
        ("{{ x | date_to_string: 'ordinal' }}", D139, "6th Jan 2022"),
        ("{{ x | date_to_string: 'ordinal' }}", D140, "7th Jan 2022"),
        ("{{ x | date_to_string: 'ordinal' }}", D141, "8th Jan 2022"),
        ("{{ x | date_to_string: 'ordinal' }}", D142, "9th Jan 2022"),
        ("{{ x | date_to_string: 'ordinal' }}", D143, "10th Jan 2022"),
        ("{{ x | date_to_string: 'ordinal' }}", D144, "11th Jan 2022"),
        ("{{ x | date_to_string: 'ordinal' }}", D145, "12th Jan 2022"),
        ("{{ x | date_to_string: 'ordinal' }}", D146, "13th Jan 2022"),
        ("{{ x | date_to_string: 'ordinal' }}", D147, "14th Jan 2022"),
        ("{{ x | date_to_string: 'ordinal' }}", D148, "15th Jan 2022"),
        ("{{ x | date_to_string: 'ordinal' }}", D149, "16th Jan 2022"),
        ("{{ x | date_to_string: 'ordinal' }}", D150, "17th Jan 2022"),
        ("{{ x | date_to_string: 'ordinal' }}", D151, "18th Jan 2022"),
        ("{{ x | date_to_string: 'ordinal' }}", D152, "19th Jan 2022"),
        ("{{ x | date_to_string: 'ordinal' }}", D153, "20th Jan 2022"),
        ("{{ x | date_to_string: 'ordinal' }}", D154, "21st Jan 2022"),
        ("{{ x | date_to_string: 'ordinal' }}", D155, "22nd Jan 2022"),
        ("{{ x | date_to_string: 'ordinal' }}", D156, "23rd Jan 2022"),
        ("{{ x | date_to_string: 'ordinal' }}", D157, "24th Jan 2022"),
        ("{{ x | date_to_string: 'ordinal' }}", D158, "25th Jan 2022"),
        ("{{ x | date_to_string: 'ordinal' }}", D159, "26th Jan 2022"),
        ("{{ x | date_to_string: 'ordinal' }}", D160, "27th Jan 2022"),
        ("{{ x | date_to_string: 'ordinal' }}", D161, "28th Jan 2022"),
        ("{{ x | date_to_string: 'ordinal' }}", D162, "29th Jan 2022"),
        ("{{ x | date_to_string: 'ordinal' }}", D163, "30th Jan 2022"),
        ("{{ x | date_to_string: 'ordinal' }}", D164, "31st Jan 2022"),
    ];

    const SMARTIFY_CASES: &[(&str, &str, &str)] = &[
        ("{{ x | smartify }}", D165, "“Hello” world"),
        ("{{ x | smartify }}", D166, "It’s the ’80s"),
        ("{{ x | smartify }}", D167, "‘single’ quotes"),
        ("{{ x | smartify }}", D168, "a – b — c … d"),
        ("{{ x | smartify }}", D169, "«\u{a0}a\u{a0}» &lt;&lt; b"),
        ("{{ x | smartify }}", D170, "x &amp; y &lt; z &gt; w “q”"),
        ("{{ x | smartify }}", D171, "&amp; © © ☺ &amp;bogus; \u{a0}"),
        ("{{ x | smartify }}", D172, "<b>bold</b> ‘it’ “x”"),
        ("{{ x | smartify }}", D173, "<a href=\"x'y\">‘z’</a>"),
        ("{{ x | smartify }}", D174, "line1\nline2 “q”\n\n“para”"),
        ("{{ x | smartify }}", D2, ""),
        ("{{ x | smartify }}", D175, "don’t"),
        (
            "{{ x | smartify }}",
            D176,
            "“‘Quoted’ words in a larger quote.”",
        ),
        ("{{ x | smartify }}", D177, "‘“Quoted” words’"),
        ("{{ x | smartify }}", D178, "“Custer”’s Last Stand"),
        ("{{ x | smartify }}", D179, "He said, “Hi.”"),
        ("{{ x | smartify }}", D180, "5’10” tall"),
        ("{{ x | smartify }}", D181, "`code` ‘x’"),
        ("{{ x | smartify }}", D182, "*a* ‘b’ _c_ “*d*”"),
        ("{{ x | smartify }}", D183, "\\“escaped\\” \\‘x\\’"),
        ("{{ x | smartify }}", D184, "a–b"),
        ("{{ x | smartify }}", D185, "a—-b"),
        ("{{ x | smartify }}", D186, "…."),
        ("{{ x | smartify }}", D187, "”"),
        ("{{ x | smartify }}", D188, "’"),
        ("{{ x | smartify }}", D189, "‘tis"),
        ("{{ x | smartify }}", D190, "a”b"),
        ("{{ x | smartify }}", D191, "(“x”)"),
        ("{{ x | smartify }}", D192, "[“x”]"),
        ("{{ x | smartify }}", D193, "-“x”"),
        ("{{ x | smartify }}", D194, "\t“tab”"),
        ("{{ x | smartify }}", D195, "“x”"),
        ("{{ x | smartify }}", D196, "  indented"),
        (
            "{{ x | smartify }}",
            D197,
            "<div>\n'block' html\n</div>\n‘after’",
        ),
        ("{{ x | smartify }}", D198, "<!-- c 'x' -->"),
        ("{{ x | smartify }}", D199, "1 &lt; 2"),
        ("{{ x | smartify }}", D200, "a&lt;b"),
        ("{{ x | smartify }}", D201, "&lt;notatag ‘x’"),
        ("{{ x | smartify }}", D202, "<br />‘x’"),
        ("{{ x | smartify }}", D203, "«"),
        ("{{ x | smartify }}", D204, "»"),
        ("{{ x | smartify }}", D205, "- ‘a’"),
        ("{{ x | smartify }}", D206, "# ‘h’"),
        ("{{ x | smartify }}", D207, "&gt; ‘q’"),
        ("{{ x | smartify }}", D208, "x\\ny"),
        ("{{ x | smartify }}", D209, "ü “ü”"),
        ("{{ x | smartify }}", D210, "“a” “b”"),
        ("{{ x | smartify }}", D211, "‘a’ ‘b’"),
        ("{{ x | smartify }}", D212, "it’s “x”"),
        ("[{{ x | smartify }}]", D57, "[]"),
        ("[{{ x | smartify }}]", D58, "[5]"),
    ];

    const MISC_CASES: &[(&str, &str, &str)] = &[
        ("{{ x | slugify }}|{{ x | slugify: 'raw' }}|{{ x | slugify: 'pretty' }}|{{ x | slugify: 'ascii' }}|{{ x | slugify: 'latin' }}|{{ x | slugify: 'none' }}|{{ x | slugify: 'cased' }}|{{ x | slugify: 'default' }}|{{ x | slugify: nil }}", D213, "the-config-yml-file|the-_config.yml-file|the-_config.yml-file|the-config-yml-file|the-config-yml-file|the _config.yml file|the _config.yml file|the-config-yml-file|the-config-yml-file"),
        ("{{ x | slugify }}|{{ x | slugify: 'raw' }}|{{ x | slugify: 'pretty' }}|{{ x | slugify: 'ascii' }}|{{ x | slugify: 'latin' }}|{{ x | slugify: 'none' }}|{{ x | slugify: 'cased' }}|{{ x | slugify: 'default' }}|{{ x | slugify: nil }}", D214, "hello-world|hello,-world!|hello,-world!|hello-world|hello-world|  hello,  world!  |  hello,  world!  |hello-world|hello-world"),
        ("{{ x | slugify }}|{{ x | slugify: 'raw' }}|{{ x | slugify: 'pretty' }}|{{ x | slugify: 'ascii' }}|{{ x | slugify: 'latin' }}|{{ x | slugify: 'none' }}|{{ x | slugify: 'cased' }}|{{ x | slugify: 'default' }}|{{ x | slugify: nil }}", D215, "ünïcödé-straße-æøå-œ-ß|ünïcödé-straße-æøå-œ-ß|ünïcödé-straße-æøå-œ-ß|n-c-d-stra-e|unicode-strasse-aeoa-oe-ss|ünïcödé straße æøå œ ß|ünïcödé straße æøå œ ß|ünïcödé-straße-æøå-œ-ß|ünïcödé-straße-æøå-œ-ß"),
        ("{{ x | slugify }}|{{ x | slugify: 'raw' }}|{{ x | slugify: 'pretty' }}|{{ x | slugify: 'ascii' }}|{{ x | slugify: 'latin' }}|{{ x | slugify: 'none' }}|{{ x | slugify: 'cased' }}|{{ x | slugify: 'default' }}|{{ x | slugify: nil }}", D216, "日本語-タイトル|日本語-タイトル|日本語-タイトル|||日本語 タイトル|日本語 タイトル|日本語-タイトル|日本語-タイトル"),
        ("{{ x | slugify }}|{{ x | slugify: 'raw' }}|{{ x | slugify: 'pretty' }}|{{ x | slugify: 'ascii' }}|{{ x | slugify: 'latin' }}|{{ x | slugify: 'none' }}|{{ x | slugify: 'cased' }}|{{ x | slugify: 'default' }}|{{ x | slugify: nil }}", D217, "c-c|c++-&-c#|c++-&-c|c-c|c-c|c++ & c#|c++ & c#|c-c|c-c"),
        ("{{ x | slugify }}|{{ x | slugify: 'raw' }}|{{ x | slugify: 'pretty' }}|{{ x | slugify: 'ascii' }}|{{ x | slugify: 'latin' }}|{{ x | slugify: 'none' }}|{{ x | slugify: 'cased' }}|{{ x | slugify: 'default' }}|{{ x | slugify: nil }}", D218, "x|-x-|x|x|x|--x--|--x--|x|x"),
        ("{{ x | slugify }}|{{ x | slugify: 'raw' }}|{{ x | slugify: 'pretty' }}|{{ x | slugify: 'ascii' }}|{{ x | slugify: 'latin' }}|{{ x | slugify: 'none' }}|{{ x | slugify: 'cased' }}|{{ x | slugify: 'default' }}|{{ x | slugify: nil }}", D184, "a-b|a--b|a-b|a-b|a-b|a--b|a--b|a-b|a-b"),
        ("{{ x | slugify }}|{{ x | slugify: 'raw' }}|{{ x | slugify: 'pretty' }}|{{ x | slugify: 'ascii' }}|{{ x | slugify: 'latin' }}|{{ x | slugify: 'none' }}|{{ x | slugify: 'cased' }}|{{ x | slugify: 'default' }}|{{ x | slugify: nil }}", D219, "é-ａｂｃ-١٢٣|é-ａｂｃ-١٢٣-ⅻ-½|é-ａｂｃ-١٢٣|e|e|é ａｂｃ ١٢٣ ⅻ ½|é ａｂｃ ١٢٣ ⅻ ½|é-ａｂｃ-١٢٣|é-ａｂｃ-١٢٣"),
        ("{{ x | slugify }}|{{ x | slugify: 'raw' }}|{{ x | slugify: 'pretty' }}|{{ x | slugify: 'ascii' }}|{{ x | slugify: 'latin' }}|{{ x | slugify: 'none' }}|{{ x | slugify: 'cased' }}|{{ x | slugify: 'default' }}|{{ x | slugify: nil }}", D220, "ǆ-σ-σασ-i̇|ǆ-σ-σασ-i̇|ǆ-σ-σασ-i̇||i|ǆ σ σασ i̇|ǆ σ σασ i̇|ǆ-σ-σασ-i̇|ǆ-σ-σασ-i̇"),
        ("{{ x | slugify }}|{{ x | slugify: 'raw' }}|{{ x | slugify: 'pretty' }}|{{ x | slugify: 'ascii' }}|{{ x | slugify: 'latin' }}|{{ x | slugify: 'none' }}|{{ x | slugify: 'cased' }}|{{ x | slugify: 'default' }}|{{ x | slugify: nil }}", D221, "don-t-stop|don't-stop|don't-stop|don-t-stop|don-t-stop|don't stop|don't stop|don-t-stop|don-t-stop"),
        ("{{ x | slugify }}|{{ x | slugify: 'raw' }}|{{ x | slugify: 'pretty' }}|{{ x | slugify: 'ascii' }}|{{ x | slugify: 'latin' }}|{{ x | slugify: 'none' }}|{{ x | slugify: 'cased' }}|{{ x | slugify: 'default' }}|{{ x | slugify: nil }}", D222, "a-b-c-d-e-f-g-h-i-j-k-l-m-n-o|a.b_c~d!e$f&g'h(i)j+k,l;m=n@o|a.b_c~d!e$f&g'h(i)j+k,l;m=n@o|a-b-c-d-e-f-g-h-i-j-k-l-m-n-o|a-b-c-d-e-f-g-h-i-j-k-l-m-n-o|a.b_c~d!e$f&g'h(i)j+k,l;m=n@o|a.b_c~d!e$f&g'h(i)j+k,l;m=n@o|a-b-c-d-e-f-g-h-i-j-k-l-m-n-o|a-b-c-d-e-f-g-h-i-j-k-l-m-n-o"),
        ("{{ x | slugify }}|{{ x | slugify: 'raw' }}|{{ x | slugify: 'pretty' }}|{{ x | slugify: 'ascii' }}|{{ x | slugify: 'latin' }}|{{ x | slugify: 'none' }}|{{ x | slugify: 'cased' }}|{{ x | slugify: 'default' }}|{{ x | slugify: nil }}", D223, "tab-new|tab-new|tab-new|tab-new|tab-new|\ttab\nnew|\ttab\nnew|tab-new|tab-new"),
        ("{{ x | slugify }}|{{ x | slugify: 'raw' }}|{{ x | slugify: 'pretty' }}|{{ x | slugify: 'ascii' }}|{{ x | slugify: 'latin' }}|{{ x | slugify: 'none' }}|{{ x | slugify: 'cased' }}|{{ x | slugify: 'default' }}|{{ x | slugify: nil }}", D2, "||||||||"),
        ("{{ x | slugify }}|{{ x | slugify: 'raw' }}|{{ x | slugify: 'pretty' }}|{{ x | slugify: 'ascii' }}|{{ x | slugify: 'latin' }}|{{ x | slugify: 'none' }}|{{ x | slugify: 'cased' }}|{{ x | slugify: 'default' }}|{{ x | slugify: nil }}", D224, "ελληνικά-кириллица|ελληνικά-кириллица|ελληνικά-кириллица|||ελληνικά кириллица|ελληνικά кириллица|ελληνικά-кириллица|ελληνικά-кириллица"),
        ("{{ x | slugify }}|{{ x | slugify: 'raw' }}|{{ x | slugify: 'pretty' }}|{{ x | slugify: 'ascii' }}|{{ x | slugify: 'latin' }}|{{ x | slugify: 'none' }}|{{ x | slugify: 'cased' }}|{{ x | slugify: 'default' }}|{{ x | slugify: nil }}", D225, "ĳ-ŉ-đ-đ-ł-ł-ø-ſ-þ-þ-ð|ĳ-ŉ-đ-đ-ł-ł-ø-ſ-þ-þ-ð|ĳ-ŉ-đ-đ-ł-ł-ø-ſ-þ-þ-ð||ij-n-d-d-l-l-o-th-th-d|ĳ ŉ đ đ ł ł ø ſ þ þ ð|ĳ ŉ đ đ ł ł ø ſ þ þ ð|ĳ-ŉ-đ-đ-ł-ł-ø-ſ-þ-þ-ð|ĳ-ŉ-đ-đ-ł-ł-ø-ſ-þ-þ-ð"),
        ("{{ x | slugify }}|{{ x | slugify: 'raw' }}|{{ x | slugify: 'pretty' }}|{{ x | slugify: 'ascii' }}|{{ x | slugify: 'latin' }}|{{ x | slugify: 'none' }}|{{ x | slugify: 'cased' }}|{{ x | slugify: 'default' }}|{{ x | slugify: nil }}", D226, "x-y|x\u{a0}y|x-y|x-y|x-y|x\u{a0}y|x\u{a0}y|x-y|x-y"),
        ("{{ x | slugify }}|{{ x | slugify: 'raw' }}|{{ x | slugify: 'pretty' }}|{{ x | slugify: 'ascii' }}|{{ x | slugify: 'latin' }}|{{ x | slugify: 'none' }}|{{ x | slugify: 'cased' }}|{{ x | slugify: 'default' }}|{{ x | slugify: nil }}", D227, "a-b-c|a/b\\c|a-b-c|a-b-c|a-b-c|a/b\\c|a/b\\c|a-b-c|a-b-c"),
        ("{{ x | slugify }}|{{ x | slugify: 'raw' }}|{{ x | slugify: 'pretty' }}|{{ x | slugify: 'ascii' }}|{{ x | slugify: 'latin' }}|{{ x | slugify: 'none' }}|{{ x | slugify: 'cased' }}|{{ x | slugify: 'default' }}|{{ x | slugify: nil }}", D228, "|×÷|||x|×÷|×÷||"),
        ("{{ x | slugify }}|{{ x | slugify: 'raw' }}|{{ x | slugify: 'pretty' }}|{{ x | slugify: 'ascii' }}|{{ x | slugify: 'latin' }}|{{ x | slugify: 'none' }}|{{ x | slugify: 'cased' }}|{{ x | slugify: 'default' }}|{{ x | slugify: nil }}", D229, "|||||--|--||"),
        ("[{{ x | slugify }}]", D57, "[]"),
        ("[{{ x | slugify }}]", D58, "ERROR"),
        ("[{{ x | slugify: 'none' }}]", D58, "ERROR"),
        ("{{ x | to_integer }}", D230, "12"),
        ("{{ x | to_integer }}", D88, "0"),
        ("{{ x | to_integer }}", D231, "12"),
        ("{{ x | to_integer }}", D232, "1000"),
        ("{{ x | to_integer }}", D233, "0"),
        ("{{ x | to_integer }}", D234, "-5"),
        ("{{ x | to_integer }}", D235, "5"),
        ("{{ x | to_integer }}", D236, "1"),
        ("{{ x | to_integer }}", D237, "12"),
        ("{{ x | to_integer }}", D2, "0"),
        ("{{ x | to_integer }}", D238, "0"),
        ("{{ x | to_integer }}", D239, "0"),
        ("{{ x | to_integer }}", D240, "9999999999999999999999"),
        ("{{ x | to_integer }}", D241, "12"),
        ("{{ x | to_integer }}", D242, "-12"),
        ("{{ x | to_integer }}", D60, "1"),
        ("{{ x | to_integer }}", D243, "0"),
        ("{{ x | to_integer }}", D57, "0"),
        ("{{ x | to_integer }}", D244, "7"),
        ("{{ x | to_integer }}", D245, "1644484024"),
        ("{{ x | to_integer }}", D132, "ERROR"),
        ("{{ x | to_integer }}", D133, "ERROR"),
        ("[{{ x | strip_index }}]", D246, "[/a/]"),
        ("[{{ x | strip_index }}]", D247, "[/a/]"),
        ("[{{ x | strip_index }}]", D248, "[/]"),
        ("[{{ x | strip_index }}]", D19, "[index.html]"),
        ("[{{ x | strip_index }}]", D249, "[/a/index.html?x]"),
        ("[{{ x | strip_index }}]", D250, "[/a/\n/b/index.html]"),
        ("[{{ x | strip_index }}]", D251, "[/a/index.HTML]"),
        ("[{{ x | strip_index }}]", D2, "[]"),
        ("[{{ x | strip_index }}]", D252, "[/a/]"),
        ("[{{ x | strip_index }}]", D57, "[]"),
        ("[{{ x | strip_index }}]", D58, "ERROR"),
        ("{{ a | pop | jsonify }}|{{ a | pop: 2 | jsonify }}|{{ a | pop: '2' | jsonify }}|{{ a | pop: 9 | jsonify }}|{{ a | pop: 0 | jsonify }}|{{ a | jsonify }}", D253, "[1,2,3]|[1,2]|[1,2]|[]|[1,2,3,4]|[1,2,3,4]"),
        ("{{ a | shift | jsonify }}|{{ a | shift: 2 | jsonify }}|{{ a | shift: 9 | jsonify }}|{{ e | shift | jsonify }}|{{ e | pop | jsonify }}", D253, "[2,3,4]|[3,4]|[]|[]|[]"),
        ("{{ a | pop: -1 | jsonify }}", D253, "ERROR"),
        ("{{ a | pop: 'x' | jsonify }}", D253, "ERROR"),
        ("{{ a | pop: 1.5 | jsonify }}", D253, "ERROR"),
        ("{{ a | pop: ' 2 ' | jsonify }}", D253, "[1,2]"),
        ("{{ a | push: 5 | jsonify }}|{{ a | unshift: 'z' | jsonify }}|{{ a | push: a | jsonify }}|{{ a | push: n | jsonify }}", D253, "[1,2,3,4,5]|[\"z\",1,2,3,4]|[1,2,3,4,[1,2,3,4]]|[1,2,3,4,null]"),
        ("{{ s | pop | jsonify }}|{{ s | push: 1 | jsonify }}|{{ s | shift | jsonify }}|{{ s | unshift: 1 | jsonify }}|{{ n | pop | jsonify }}|{{ n | push: 1 | jsonify }}", D253, "\"str\"|\"str\"|\"str\"|\"str\"|null|null"),
        ("{{ nums | sort | join: ',' }}|{{ strs | sort | join: ',' }}|{{ floats | sort | join: ',' }}|{{ e | sort | jsonify }}", D254, "1,2,3|10,9,B,a,b,é|1,2.5,3|[]"),
        ("{{ mixed | sort | join: ',' }}", D254, "ERROR"),
        ("{{ withnil | sort | join: ',' }}", D254, "ERROR"),
        ("{{ n | sort | join: ',' }}", D254, "ERROR"),
        ("{% assign r = ps | sort: 'v' %}{% for p in r %}{{ p.t }}{% endfor %}", D254, "cfebagd"),
        ("{% assign r = ps | sort: 'v', 'last' %}{% for p in r %}{{ p.t }}{% endfor %}", D254, "ebagdcf"),
        ("{% assign r = ps | sort: 'v', 'x' %}{% for p in r %}{{ p.t }}{% endfor %}", D254, "ERROR"),
        ("{% assign r = ps2 | sort: 'm.n' %}{% for p in r %}{{ p.t }}{% endfor %}", D254, "bac"),
        ("{% assign r = ps2 | sort: 'm.n', 'last' %}{% for p in r %}{{ p.t }}{% endfor %}", D254, "bac"),
        ("{{ nums | sort: 'x' | jsonify }}", D254, "ERROR"),
        ("{{ 'abc' | sort | jsonify }}", D254, "ERROR"),
        ("{{ 'abc' | sort: 'x' | jsonify }}", D254, "ERROR"),
        ("{{ strs | sort: nil | join: ',' }}", D254, "10,9,B,a,b,é"),
    ];

    const MORE_CASES: &[(&str, &str, &str)] = &[
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D255, "2022-02-10T00:00:00+08:00|Thu, 10 Feb 2022 00:00:00 +0800|10th February 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D256, "2022-02-10T00:00:00+08:00|Thu, 10 Feb 2022 00:00:00 +0800|10th February 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D257, "2022-02-10T00:00:00+08:00|Thu, 10 Feb 2022 00:00:00 +0800|10th February 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D258, "2022-02-10T00:00:00+08:00|Thu, 10 Feb 2022 00:00:00 +0800|10th February 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D259, "2022-02-11T01:07:00+08:00|Fri, 11 Feb 2022 01:07:00 +0800|11th February 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D260, "2022-02-10T00:00:00+08:00|Thu, 10 Feb 2022 00:00:00 +0800|10th February 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D261, "2022-02-10T00:00:00+08:00|Thu, 10 Feb 2022 00:00:00 +0800|10th February 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D262, "2022-02-11T00:00:00+08:00|Fri, 11 Feb 2022 00:00:00 +0800|11th February 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D263, "2022-03-02T00:00:00+08:00|Wed, 02 Mar 2022 00:00:00 +0800|2nd March 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D264, "2022-02-10T17:08:00+08:00|Thu, 10 Feb 2022 17:08:00 +0800|10th February 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D265, "2001-02-03T00:00:00+08:00|Sat, 03 Feb 2001 00:00:00 +0800|3rd February 2001"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D266, "2022-02-11T01:07:04+08:00|Fri, 11 Feb 2022 01:07:04 +0800|11th February 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D267, "2022-02-10T11:07:04+08:00|Thu, 10 Feb 2022 11:07:04 +0800|10th February 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D268, "2022-02-10T17:07:04+08:00|Thu, 10 Feb 2022 17:07:04 +0800|10th February 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D269, "2022-02-10T17:07:04+08:00|Thu, 10 Feb 2022 17:07:04 +0800|10th February 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D270, "2022-02-10T17:07:04+08:00|Thu, 10 Feb 2022 17:07:04 +0800|10th February 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D271, "2022-02-10T17:07:04+08:00|Thu, 10 Feb 2022 17:07:04 +0800|10th February 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D272, "0001-01-01T00:00:00+08:05|Mon, 01 Jan 0001 00:00:00 +0805|1st January 0001"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D273, "2022-02-10T00:00:00+08:00|Thu, 10 Feb 2022 00:00:00 +0800|10th February 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D274, "2022-03-13T02:30:00+08:00|Sun, 13 Mar 2022 02:30:00 +0800|13th March 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D275, "2022-11-06T01:30:00+08:00|Sun, 06 Nov 2022 01:30:00 +0800|6th November 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D276, "2022-03-13T15:30:00+08:00|Sun, 13 Mar 2022 15:30:00 +0800|13th March 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D277, "2022-07-04T12:00:00+08:00|Mon, 04 Jul 2022 12:00:00 +0800|4th July 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D278, "2022-02-10T00:00:00+08:00|Thu, 10 Feb 2022 00:00:00 +0800|10th February 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D279, "2022-02-10T12:00:00+08:00|Thu, 10 Feb 2022 12:00:00 +0800|10th February 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D280, "2022-02-10T13:05:00+08:00|Thu, 10 Feb 2022 13:05:00 +0800|10th February 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D281, "2000-01-01T08:00:00+08:00|Sat, 01 Jan 2000 08:00:00 +0800|1st January 2000"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D282, "2022-02-11T00:07:04+08:00|Fri, 11 Feb 2022 00:07:04 +0800|11th February 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D283, "2022-02-11T06:07:04+08:00|Fri, 11 Feb 2022 06:07:04 +0800|11th February 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D284, "2022-02-11T01:07:04+08:00|Fri, 11 Feb 2022 01:07:04 +0800|11th February 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D285, "2022-11-06T13:30:00+08:00|Sun, 06 Nov 2022 13:30:00 +0800|6th November 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D286, "2022-03-13T00:00:00+08:00|Sun, 13 Mar 2022 00:00:00 +0800|13th March 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D287, "2022-07-04T00:00:00+08:00|Mon, 04 Jul 2022 00:00:00 +0800|4th July 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D288, "2022-02-10T17:07:04+08:00|Thu, 10 Feb 2022 17:07:04 +0800|10th February 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D289, "2022-02-01T00:00:00+08:00|Tue, 01 Feb 2022 00:00:00 +0800|1st February 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D290, "1999-12-31T23:59:00+08:00|Fri, 31 Dec 1999 23:59:00 +0800|31st December 1999"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D291, "1999-12-31T23:59:00+08:00|Fri, 31 Dec 1999 23:59:00 +0800|31st December 1999"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D292, "9999-12-31T23:59:59+08:00|Fri, 31 Dec 9999 23:59:59 +0800|31st December 9999"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D130, "1970-01-01T08:00:00+08:00|Thu, 01 Jan 1970 08:00:00 +0800|1st January 1970"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D293, "2023-11-15T06:13:20+08:00|Wed, 15 Nov 2023 06:13:20 +0800|15th November 2023"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D294, "1969-12-31T08:00:00+08:00|Wed, 31 Dec 1969 08:00:00 +0800|31st December 1969"),
        ("{% assign r = posts | where_exp: 'p', '(2000..2014) contains p.y' %}{% for p in r %}{{ p.t }}{% endfor %}", D295, "a"),
        ("{% assign r = posts | where_exp: 'p', 'p.s contains empty' %}{% for p in r %}{{ p.t }}{% endfor %}", D295, "ab"),
        ("{% assign r = posts | where_exp: 'p', 'p.s == empty' %}{% for p in r %}{{ p.t }}{% endfor %}", D295, ""),
        ("{% assign r = posts | where_exp: 'p', 'empty' %}{% for p in r %}{{ p.t }}{% endfor %}", D295, "abc"),
        ("{% assign r = posts | where_exp: 'p', 'p.y > lim' %}{% for p in r %}{{ p.t }}{% endfor %}", D295, "b"),
        ("{% assign r = posts | where_exp: 'p', 'p.tags contains \"x\" or p.y == 1' %}{% for p in r %}{{ p.t }}{% endfor %}", D295, "ac"),
        ("{% assign r = posts | where_exp: 'p', 'p.s contains \"orl\"' %}{% for p in r %}{{ p.t }}{% endfor %}", D295, "b"),
        ("{% assign r = posts | where_exp: 'p', 'p.missing.deep == nil' %}{% for p in r %}{{ p.t }}{% endfor %}", D295, "abc"),
        ("{% assign r = posts | where_exp: 'p', 'p.y != 2014 and p.y != 2015' %}{% for p in r %}{{ p.t }}{% endfor %}", D295, "c"),
        ("{% assign r = posts | where_exp: 'p', 'p.y<=2014' %}{% for p in r %}{{ p.t }}{% endfor %}", D295, "ac"),
        ("{% assign r = posts | where_exp: 'p', 'p.s' %}{% for p in r %}{{ p.t }}{% endfor %}", D295, "ab"),
        ("{% assign r = posts | where_exp: 'p', 'true' %}{% for p in r %}{{ p.t }}{% endfor %}", D295, "abc"),
        ("{% assign r = posts | where_exp: 'p', 'p.y == 2014.0' %}{% for p in r %}{{ p.t }}{% endfor %}", D295, "a"),
        ("{% assign g = posts | group_by_exp: 'p', 'p.missing' %}{{ g | map: 'name' | jsonify }}", D295, "[null]"),
        ("{{ posts | sort: 'y', 'last' | map: 't' | join }}|{{ posts | sort: 's' | map: 't' | join }}|{{ posts | sort: 's', 'last' | map: 't' | join }}", D295, "c a b|c a b|a b c"),
        ("{{ x | number_of_words }}|{{ x | number_of_words: 'cjk' }}|{{ x | number_of_words: 'auto' }}|{{ x | normalize_whitespace }}|{{ x | xml_escape }}|{{ x | cgi_escape }}|{{ x | uri_escape }}|{{ x | slugify: 'pretty' }}|{{ x | jsonify }}|{{ x | inspect }}", D296, "3|3|3|a b c|a b c|a+b+c|a%20b%20c|a-b-c|\"a b c\"|&quot;a b c&quot;"),
        ("{{ x | number_of_words }}|{{ x | number_of_words: 'cjk' }}|{{ x | number_of_words: 'auto' }}|{{ x | normalize_whitespace }}|{{ x | xml_escape }}|{{ x | cgi_escape }}|{{ x | uri_escape }}|{{ x | slugify: 'pretty' }}|{{ x | jsonify }}|{{ x | inspect }}", D297, "1|1|1|café|café|caf%C3%A9|caf%C3%A9|café|\"café\"|&quot;café&quot;"),
        ("{{ x | number_of_words }}|{{ x | number_of_words: 'cjk' }}|{{ x | number_of_words: 'auto' }}|{{ x | normalize_whitespace }}|{{ x | xml_escape }}|{{ x | cgi_escape }}|{{ x | uri_escape }}|{{ x | slugify: 'pretty' }}|{{ x | jsonify }}|{{ x | inspect }}", D2, "0|0|0||||||\"\"|&quot;&quot;"),
        ("{{ x | number_of_words }}|{{ x | number_of_words: 'cjk' }}|{{ x | number_of_words: 'auto' }}|{{ x | normalize_whitespace }}|{{ x | xml_escape }}|{{ x | cgi_escape }}|{{ x | uri_escape }}|{{ x | slugify: 'pretty' }}|{{ x | jsonify }}|{{ x | inspect }}", D298, "0|0|0||  |++|%20%20||\"  \"|&quot;  &quot;"),
        ("{{ x | number_of_words }}|{{ x | number_of_words: 'cjk' }}|{{ x | number_of_words: 'auto' }}|{{ x | normalize_whitespace }}|{{ x | xml_escape }}|{{ x | cgi_escape }}|{{ x | uri_escape }}|{{ x | slugify: 'pretty' }}|{{ x | jsonify }}|{{ x | inspect }}", D299, "3|10|10|漢字かなカナ한글 mixed text|漢字かなカナ한글 mixed text|%E6%BC%A2%E5%AD%97%E3%81%8B%E3%81%AA%E3%82%AB%E3%83%8A%ED%95%9C%EA%B8%80+mixed+text|%E6%BC%A2%E5%AD%97%E3%81%8B%E3%81%AA%E3%82%AB%E3%83%8A%ED%95%9C%EA%B8%80%20mixed%20text|漢字かなカナ한글-mixed-text|\"漢字かなカナ한글 mixed text\"|&quot;漢字かなカナ한글 mixed text&quot;"),
        ("{{ x | number_of_words }}|{{ x | number_of_words: 'cjk' }}|{{ x | number_of_words: 'auto' }}|{{ x | normalize_whitespace }}|{{ x | xml_escape }}|{{ x | cgi_escape }}|{{ x | uri_escape }}|{{ x | slugify: 'pretty' }}|{{ x | jsonify }}|{{ x | inspect }}", D300, "6|6|6|one two three four x y|one\ttwo\nthree\r\nfour\u{c}x\u{b}y|one%09two%0Athree%0D%0Afour%0Cx%0By|one%09two%0Athree%0D%0Afour%0Cx%0By|one-two-three-four-x-y|\"one\\ttwo\\nthree\\r\\nfour\\fx\\u000by\"|&quot;one\\ttwo\\nthree\\r\\nfour\\fx\\vy&quot;"),
        ("{{ x | inspect }}", D301, "&quot;\\u0000\\a\\e\\u007F\\u0080\u{ad}\\u2028😀\\#{x}\\#$x\\#@y#z&quot;"),
        ("{{ x | array_to_sentence_string: nil }}|{{ x | array_to_sentence_string: 5 }}", D302, "a, b, c, {\"k\"=>1}, ,  2.0|a, b, c, {\"k\"=>1}, , 5 2.0"),
        ("{{ x | to_integer }}", D303, "ERROR"),
        ("{{ x | to_integer }}", D245, "1644484024"),
    ];

    const NEW_YORK_CASES: &[(&str, &str, &str)] = &[
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D255, "2022-02-10T00:00:00-05:00|Thu, 10 Feb 2022 00:00:00 -0500|10th February 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D256, "2022-02-10T00:00:00-05:00|Thu, 10 Feb 2022 00:00:00 -0500|10th February 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D257, "2022-02-10T00:00:00-05:00|Thu, 10 Feb 2022 00:00:00 -0500|10th February 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D258, "2022-02-10T00:00:00-05:00|Thu, 10 Feb 2022 00:00:00 -0500|10th February 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D259, "2022-02-10T12:07:00-05:00|Thu, 10 Feb 2022 12:07:00 -0500|10th February 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D260, "2022-02-10T00:00:00-05:00|Thu, 10 Feb 2022 00:00:00 -0500|10th February 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D261, "2022-02-10T00:00:00-05:00|Thu, 10 Feb 2022 00:00:00 -0500|10th February 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D262, "2022-02-11T00:00:00-05:00|Fri, 11 Feb 2022 00:00:00 -0500|11th February 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D263, "2022-03-02T00:00:00-05:00|Wed, 02 Mar 2022 00:00:00 -0500|2nd March 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D264, "2022-02-10T17:08:00-05:00|Thu, 10 Feb 2022 17:08:00 -0500|10th February 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D265, "2001-02-03T00:00:00-05:00|Sat, 03 Feb 2001 00:00:00 -0500|3rd February 2001"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D266, "2022-02-10T12:07:04-05:00|Thu, 10 Feb 2022 12:07:04 -0500|10th February 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D267, "2022-02-09T22:07:04-05:00|Wed, 09 Feb 2022 22:07:04 -0500|9th February 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D268, "2022-02-10T17:07:04-05:00|Thu, 10 Feb 2022 17:07:04 -0500|10th February 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D269, "2022-02-10T17:07:04-05:00|Thu, 10 Feb 2022 17:07:04 -0500|10th February 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D270, "2022-02-10T17:07:04-05:00|Thu, 10 Feb 2022 17:07:04 -0500|10th February 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D271, "2022-02-10T17:07:04-05:00|Thu, 10 Feb 2022 17:07:04 -0500|10th February 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D272, "0001-01-01T00:00:00-04:56|Mon, 01 Jan 0001 00:00:00 -0456|1st January 0001"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D273, "2022-02-10T00:00:00-05:00|Thu, 10 Feb 2022 00:00:00 -0500|10th February 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D274, "2022-03-13T03:30:00-04:00|Sun, 13 Mar 2022 03:30:00 -0400|13th March 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D275, "2022-11-06T01:30:00-05:00|Sun, 06 Nov 2022 01:30:00 -0500|6th November 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D276, "2022-03-13T03:30:00-04:00|Sun, 13 Mar 2022 03:30:00 -0400|13th March 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D277, "2022-07-04T12:00:00-04:00|Mon, 04 Jul 2022 12:00:00 -0400|4th July 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D278, "2022-02-10T00:00:00-05:00|Thu, 10 Feb 2022 00:00:00 -0500|10th February 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D279, "2022-02-10T12:00:00-05:00|Thu, 10 Feb 2022 12:00:00 -0500|10th February 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D280, "2022-02-10T13:05:00-05:00|Thu, 10 Feb 2022 13:05:00 -0500|10th February 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D281, "1999-12-31T19:00:00-05:00|Fri, 31 Dec 1999 19:00:00 -0500|31st December 1999"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D282, "2022-02-10T11:07:04-05:00|Thu, 10 Feb 2022 11:07:04 -0500|10th February 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D283, "2022-02-10T17:07:04-05:00|Thu, 10 Feb 2022 17:07:04 -0500|10th February 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D284, "2022-02-10T12:07:04-05:00|Thu, 10 Feb 2022 12:07:04 -0500|10th February 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D285, "2022-11-06T01:30:00-04:00|Sun, 06 Nov 2022 01:30:00 -0400|6th November 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D286, "2022-03-13T00:00:00-05:00|Sun, 13 Mar 2022 00:00:00 -0500|13th March 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D287, "2022-07-04T00:00:00-04:00|Mon, 04 Jul 2022 00:00:00 -0400|4th July 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D288, "2022-02-10T17:07:04-05:00|Thu, 10 Feb 2022 17:07:04 -0500|10th February 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D289, "2022-02-01T00:00:00-05:00|Tue, 01 Feb 2022 00:00:00 -0500|1st February 2022"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D290, "1999-12-31T23:59:00-05:00|Fri, 31 Dec 1999 23:59:00 -0500|31st December 1999"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D291, "1999-12-31T23:59:00-05:00|Fri, 31 Dec 1999 23:59:00 -0500|31st December 1999"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D292, "9999-12-31T23:59:59-05:00|Fri, 31 Dec 9999 23:59:59 -0500|31st December 9999"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D130, "1969-12-31T19:00:00-05:00|Wed, 31 Dec 1969 19:00:00 -0500|31st December 1969"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D293, "2023-11-14T17:13:20-05:00|Tue, 14 Nov 2023 17:13:20 -0500|14th November 2023"),
        ("{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}|{{ x | date_to_long_string: 'ordinal' }}", D294, "1969-12-30T19:00:00-05:00|Tue, 30 Dec 1969 19:00:00 -0500|30th December 1969"),
    ];

    const BERLIN_CASES: &[(&str, &str, &str)] = &[
        (
            "{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}",
            D304,
            "2022-10-30T02:30:00+01:00|Sun, 30 Oct 2022 02:30:00 +0100",
        ),
        (
            "{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}",
            D305,
            "2022-03-27T03:30:00+02:00|Sun, 27 Mar 2022 03:30:00 +0200",
        ),
        (
            "{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}",
            D306,
            "2022-03-27T01:59:59+01:00|Sun, 27 Mar 2022 01:59:59 +0100",
        ),
        (
            "{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}",
            D307,
            "2022-10-30T03:00:00+01:00|Sun, 30 Oct 2022 03:00:00 +0100",
        ),
        (
            "{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}",
            D308,
            "2022-03-27T00:00:00+01:00|Sun, 27 Mar 2022 00:00:00 +0100",
        ),
        (
            "{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}",
            D309,
            "2022-10-30T02:30:00+02:00|Sun, 30 Oct 2022 02:30:00 +0200",
        ),
        (
            "{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}",
            D310,
            "2022-10-30T02:30:00+01:00|Sun, 30 Oct 2022 02:30:00 +0100",
        ),
        (
            "{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}",
            D311,
            "2022-07-01T00:00:00+02:00|Fri, 01 Jul 2022 00:00:00 +0200",
        ),
        (
            "{{ x | date_to_xmlschema }}|{{ x | date_to_rfc822 }}",
            D104,
            "2022-02-10T10:07:04+01:00|Thu, 10 Feb 2022 10:07:04 +0100",
        ),
    ];

    /// (url, baseurl, input, `"[relative_url][absolute_url]"`) as Jekyll printed them.
    const URL_VARIANTS: &[(&str, &str, &str, &str)] = &[
        ("", "", "/about/", "[/about/][/about/]"),
        ("", "", "", "[][]"),
        ("", "", "x", "[/x][/x]"),
        ("", "", "//cdn.example/x", "[//cdn.example/x][//cdn.example/x]"),
        ("", "", "/..", "[/][/]"),
        ("https://Example.ORG:443", "", "/about/", "[/about/][https://example.org/about/]"),
        ("https://Example.ORG:443", "", "", "[][https://example.org/]"),
        ("https://Example.ORG:443", "", "x", "[/x][https://example.org/x]"),
        ("https://Example.ORG:443", "", "//cdn.example/x", "[//cdn.example/x][https://example.org//cdn.example/x]"),
        ("https://Example.ORG:443", "", "/..", "[/][https://example.org/]"),
        ("https://example.org/", "", "/about/", "[/about/][https://example.org//about/]"),
        ("https://example.org/", "", "", "[][https://example.org/]"),
        ("https://example.org/", "", "x", "[/x][https://example.org//x]"),
        ("https://example.org/", "", "//cdn.example/x", "[//cdn.example/x][https://example.org///cdn.example/x]"),
        ("https://example.org/", "", "/..", "[/][https://example.org//]"),
        ("http://bücher.de/sub", "", "/about/", "[/about/][http://xn--bcher-kva.de/sub/about/]"),
        ("http://bücher.de/sub", "", "", "[][http://xn--bcher-kva.de/sub]"),
        ("http://bücher.de/sub", "", "x", "[/x][http://xn--bcher-kva.de/sub/x]"),
        ("http://bücher.de/sub", "", "//cdn.example/x", "[//cdn.example/x][http://xn--bcher-kva.de/sub//cdn.example/x]"),
        ("http://bücher.de/sub", "", "/..", "[/][http://xn--bcher-kva.de/sub/]"),
        ("example.org", "", "/about/", "[/about/][example.org/about/]"),
        ("example.org", "", "", "[][example.org]"),
        ("example.org", "", "x", "[/x][example.org/x]"),
        ("example.org", "", "//cdn.example/x", "[//cdn.example/x][example.org//cdn.example/x]"),
        ("example.org", "", "/..", "[/][example.org/]"),
        ("https://user:pw@ex.org:8080", "", "/about/", "[/about/][https://user:pw@ex.org:8080/about/]"),
        ("https://user:pw@ex.org:8080", "", "", "[][https://user:pw@ex.org:8080/]"),
        ("https://user:pw@ex.org:8080", "", "x", "[/x][https://user:pw@ex.org:8080/x]"),
        ("https://user:pw@ex.org:8080", "", "//cdn.example/x", "[//cdn.example/x][https://user:pw@ex.org:8080//cdn.example/x]"),
        ("https://user:pw@ex.org:8080", "", "/..", "[/][https://user:pw@ex.org:8080/]"),
        ("", "/", "/about/", "[/about/][/about/]"),
        ("", "/", "", "[][]"),
        ("", "/", "x", "[/x][/x]"),
        ("", "/", "//cdn.example/x", "[//cdn.example/x][//cdn.example/x]"),
        ("", "/", "/..", "[/][/]"),
        ("https://Example.ORG:443", "/", "/about/", "[/about/][https://example.org/about/]"),
        ("https://Example.ORG:443", "/", "", "[][https://example.org/]"),
        ("https://Example.ORG:443", "/", "x", "[/x][https://example.org/x]"),
        ("https://Example.ORG:443", "/", "//cdn.example/x", "[//cdn.example/x][https://example.org//cdn.example/x]"),
        ("https://Example.ORG:443", "/", "/..", "[/][https://example.org/]"),
        ("https://example.org/", "/", "/about/", "[/about/][https://example.org//about/]"),
        ("https://example.org/", "/", "", "[][https://example.org/]"),
        ("https://example.org/", "/", "x", "[/x][https://example.org//x]"),
        ("https://example.org/", "/", "//cdn.example/x", "[//cdn.example/x][https://example.org///cdn.example/x]"),
        ("https://example.org/", "/", "/..", "[/][https://example.org//]"),
        ("http://bücher.de/sub", "/", "/about/", "[/about/][http://xn--bcher-kva.de/sub/about/]"),
        ("http://bücher.de/sub", "/", "", "[][http://xn--bcher-kva.de/sub]"),
        ("http://bücher.de/sub", "/", "x", "[/x][http://xn--bcher-kva.de/sub/x]"),
        ("http://bücher.de/sub", "/", "//cdn.example/x", "[//cdn.example/x][http://xn--bcher-kva.de/sub//cdn.example/x]"),
        ("http://bücher.de/sub", "/", "/..", "[/][http://xn--bcher-kva.de/sub/]"),
        ("example.org", "/", "/about/", "[/about/][example.org/about/]"),
        ("example.org", "/", "", "[][example.org]"),
        ("example.org", "/", "x", "[/x][example.org/x]"),
        ("example.org", "/", "//cdn.example/x", "[//cdn.example/x][example.org//cdn.example/x]"),
        ("example.org", "/", "/..", "[/][example.org/]"),
        ("https://user:pw@ex.org:8080", "/", "/about/", "[/about/][https://user:pw@ex.org:8080/about/]"),
        ("https://user:pw@ex.org:8080", "/", "", "[][https://user:pw@ex.org:8080/]"),
        ("https://user:pw@ex.org:8080", "/", "x", "[/x][https://user:pw@ex.org:8080/x]"),
        ("https://user:pw@ex.org:8080", "/", "//cdn.example/x", "[//cdn.example/x][https://user:pw@ex.org:8080//cdn.example/x]"),
        ("https://user:pw@ex.org:8080", "/", "/..", "[/][https://user:pw@ex.org:8080/]"),
        ("", "/blog/", "/about/", "[/blog/about/][/blog/about/]"),
        ("", "/blog/", "", "[/blog][/blog]"),
        ("", "/blog/", "x", "[/blog/x][/blog/x]"),
        ("", "/blog/", "//cdn.example/x", "[/blog//cdn.example/x][/blog//cdn.example/x]"),
        ("", "/blog/", "/..", "[/][/]"),
        ("https://Example.ORG:443", "/blog/", "/about/", "[/blog/about/][https://example.org/blog/about/]"),
        ("https://Example.ORG:443", "/blog/", "", "[/blog][https://example.org/blog]"),
        ("https://Example.ORG:443", "/blog/", "x", "[/blog/x][https://example.org/blog/x]"),
        ("https://Example.ORG:443", "/blog/", "//cdn.example/x", "[/blog//cdn.example/x][https://example.org/blog//cdn.example/x]"),
        ("https://Example.ORG:443", "/blog/", "/..", "[/][https://example.org/]"),
        ("https://example.org/", "/blog/", "/about/", "[/blog/about/][https://example.org//blog/about/]"),
        ("https://example.org/", "/blog/", "", "[/blog][https://example.org//blog]"),
        ("https://example.org/", "/blog/", "x", "[/blog/x][https://example.org//blog/x]"),
        ("https://example.org/", "/blog/", "//cdn.example/x", "[/blog//cdn.example/x][https://example.org//blog//cdn.example/x]"),
        ("https://example.org/", "/blog/", "/..", "[/][https://example.org//]"),
        ("http://bücher.de/sub", "/blog/", "/about/", "[/blog/about/][http://xn--bcher-kva.de/sub/blog/about/]"),
        ("http://bücher.de/sub", "/blog/", "", "[/blog][http://xn--bcher-kva.de/sub/blog]"),
        ("http://bücher.de/sub", "/blog/", "x", "[/blog/x][http://xn--bcher-kva.de/sub/blog/x]"),
        ("http://bücher.de/sub", "/blog/", "//cdn.example/x", "[/blog//cdn.example/x][http://xn--bcher-kva.de/sub/blog//cdn.example/x]"),
        ("http://bücher.de/sub", "/blog/", "/..", "[/][http://xn--bcher-kva.de/sub/]"),
        ("example.org", "/blog/", "/about/", "[/blog/about/][example.org/blog/about/]"),
        ("example.org", "/blog/", "", "[/blog][example.org/blog]"),
        ("example.org", "/blog/", "x", "[/blog/x][example.org/blog/x]"),
        ("example.org", "/blog/", "//cdn.example/x", "[/blog//cdn.example/x][example.org/blog//cdn.example/x]"),
        ("example.org", "/blog/", "/..", "[/][example.org/]"),
        ("https://user:pw@ex.org:8080", "/blog/", "/about/", "[/blog/about/][https://user:pw@ex.org:8080/blog/about/]"),
        ("https://user:pw@ex.org:8080", "/blog/", "", "[/blog][https://user:pw@ex.org:8080/blog]"),
        ("https://user:pw@ex.org:8080", "/blog/", "x", "[/blog/x][https://user:pw@ex.org:8080/blog/x]"),
        ("https://user:pw@ex.org:8080", "/blog/", "//cdn.example/x", "[/blog//cdn.example/x][https://user:pw@ex.org:8080/blog//cdn.example/x]"),
        ("https://user:pw@ex.org:8080", "/blog/", "/..", "[/][https://user:pw@ex.org:8080/]"),
        ("", "blog", "/about/", "[/blog/about/][/blog/about/]"),
        ("", "blog", "", "[/blog][/blog]"),
        ("", "blog", "x", "[/blog/x][/blog/x]"),
        ("", "blog", "//cdn.example/x", "[/blog//cdn.example/x][/blog//cdn.example/x]"),
        ("", "blog", "/..", "[/][/]"),
        ("https://Example.ORG:443", "blog", "/about/", "[/blog/about/][https://example.org/blog/about/]"),
        ("https://Example.ORG:443", "blog", "", "[/blog][https://example.org/blog]"),
        ("https://Example.ORG:443", "blog", "x", "[/blog/x][https://example.org/blog/x]"),
        ("https://Example.ORG:443", "blog", "//cdn.example/x", "[/blog//cdn.example/x][https://example.org/blog//cdn.example/x]"),
        ("https://Example.ORG:443", "blog", "/..", "[/][https://example.org/]"),
        ("https://example.org/", "blog", "/about/", "[/blog/about/][https://example.org//blog/about/]"),
        ("https://example.org/", "blog", "", "[/blog][https://example.org//blog]"),
        ("https://example.org/", "blog", "x", "[/blog/x][https://example.org//blog/x]"),
        ("https://example.org/", "blog", "//cdn.example/x", "[/blog//cdn.example/x][https://example.org//blog//cdn.example/x]"),
        ("https://example.org/", "blog", "/..", "[/][https://example.org//]"),
        ("http://bücher.de/sub", "blog", "/about/", "[/blog/about/][http://xn--bcher-kva.de/sub/blog/about/]"),
        ("http://bücher.de/sub", "blog", "", "[/blog][http://xn--bcher-kva.de/sub/blog]"),
        ("http://bücher.de/sub", "blog", "x", "[/blog/x][http://xn--bcher-kva.de/sub/blog/x]"),
        ("http://bücher.de/sub", "blog", "//cdn.example/x", "[/blog//cdn.example/x][http://xn--bcher-kva.de/sub/blog//cdn.example/x]"),
        ("http://bücher.de/sub", "blog", "/..", "[/][http://xn--bcher-kva.de/sub/]"),
        ("example.org", "blog", "/about/", "[/blog/about/][example.org/blog/about/]"),
        ("example.org", "blog", "", "[/blog][example.org/blog]"),
        ("example.org", "blog", "x", "[/blog/x][example.org/blog/x]"),
        ("example.org", "blog", "//cdn.example/x", "[/blog//cdn.example/x][example.org/blog//cdn.example/x]"),
        ("example.org", "blog", "/..", "[/][example.org/]"),
        ("https://user:pw@ex.org:8080", "blog", "/about/", "[/blog/about/][https://user:pw@ex.org:8080/blog/about/]"),
        ("https://user:pw@ex.org:8080", "blog", "", "[/blog][https://user:pw@ex.org:8080/blog]"),
        ("https://user:pw@ex.org:8080", "blog", "x", "[/blog/x][https://user:pw@ex.org:8080/blog/x]"),
        ("https://user:pw@ex.org:8080", "blog", "//cdn.example/x", "[/blog//cdn.example/x][https://user:pw@ex.org:8080/blog//cdn.example/x]"),
        ("https://user:pw@ex.org:8080", "blog", "/..", "[/][https://user:pw@ex.org:8080/]"),
        ("", "/a b/ü", "/about/", "[/a%20b/%C3%BC/about/][/a%20b/%C3%BC/about/]"),
        ("", "/a b/ü", "", "[/a%20b/%C3%BC][/a%20b/%C3%BC]"),
        ("", "/a b/ü", "x", "[/a%20b/%C3%BC/x][/a%20b/%C3%BC/x]"),
        ("", "/a b/ü", "//cdn.example/x", "[/a%20b/%C3%BC//cdn.example/x][/a%20b/%C3%BC//cdn.example/x]"),
        ("", "/a b/ü", "/..", "[/a%20b/][/a%20b/]"),
        ("https://Example.ORG:443", "/a b/ü", "/about/", "[/a%20b/%C3%BC/about/][https://example.org/a%20b/%C3%BC/about/]"),
        ("https://Example.ORG:443", "/a b/ü", "", "[/a%20b/%C3%BC][https://example.org/a%20b/%C3%BC]"),
        ("https://Example.ORG:443", "/a b/ü", "x", "[/a%20b/%C3%BC/x][https://example.org/a%20b/%C3%BC/x]"),
        ("https://Example.ORG:443", "/a b/ü", "//cdn.example/x", "[/a%20b/%C3%BC//cdn.example/x][https://example.org/a%20b/%C3%BC//cdn.example/x]"),
        ("https://Example.ORG:443", "/a b/ü", "/..", "[/a%20b/][https://example.org/a%20b/]"),
        ("https://example.org/", "/a b/ü", "/about/", "[/a%20b/%C3%BC/about/][https://example.org//a%20b/%C3%BC/about/]"),
        ("https://example.org/", "/a b/ü", "", "[/a%20b/%C3%BC][https://example.org//a%20b/%C3%BC]"),
        ("https://example.org/", "/a b/ü", "x", "[/a%20b/%C3%BC/x][https://example.org//a%20b/%C3%BC/x]"),
        ("https://example.org/", "/a b/ü", "//cdn.example/x", "[/a%20b/%C3%BC//cdn.example/x][https://example.org//a%20b/%C3%BC//cdn.example/x]"),
        ("https://example.org/", "/a b/ü", "/..", "[/a%20b/][https://example.org//a%20b/]"),
        ("http://bücher.de/sub", "/a b/ü", "/about/", "[/a%20b/%C3%BC/about/][http://xn--bcher-kva.de/sub/a%20b/%C3%BC/about/]"),
        ("http://bücher.de/sub", "/a b/ü", "", "[/a%20b/%C3%BC][http://xn--bcher-kva.de/sub/a%20b/%C3%BC]"),
        ("http://bücher.de/sub", "/a b/ü", "x", "[/a%20b/%C3%BC/x][http://xn--bcher-kva.de/sub/a%20b/%C3%BC/x]"),
        ("http://bücher.de/sub", "/a b/ü", "//cdn.example/x", "[/a%20b/%C3%BC//cdn.example/x][http://xn--bcher-kva.de/sub/a%20b/%C3%BC//cdn.example/x]"),
        ("http://bücher.de/sub", "/a b/ü", "/..", "[/a%20b/][http://xn--bcher-kva.de/sub/a%20b/]"),
        ("example.org", "/a b/ü", "/about/", "[/a%20b/%C3%BC/about/][example.org/a%20b/%C3%BC/about/]"),
        ("example.org", "/a b/ü", "", "[/a%20b/%C3%BC][example.org/a%20b/%C3%BC]"),
        ("example.org", "/a b/ü", "x", "[/a%20b/%C3%BC/x][example.org/a%20b/%C3%BC/x]"),
        ("example.org", "/a b/ü", "//cdn.example/x", "[/a%20b/%C3%BC//cdn.example/x][example.org/a%20b/%C3%BC//cdn.example/x]"),
        ("example.org", "/a b/ü", "/..", "[/a%20b/][example.org/a%20b/]"),
        ("https://user:pw@ex.org:8080", "/a b/ü", "/about/", "[/a%20b/%C3%BC/about/][https://user:pw@ex.org:8080/a%20b/%C3%BC/about/]"),
        ("https://user:pw@ex.org:8080", "/a b/ü", "", "[/a%20b/%C3%BC][https://user:pw@ex.org:8080/a%20b/%C3%BC]"),
        ("https://user:pw@ex.org:8080", "/a b/ü", "x", "[/a%20b/%C3%BC/x][https://user:pw@ex.org:8080/a%20b/%C3%BC/x]"),
        ("https://user:pw@ex.org:8080", "/a b/ü", "//cdn.example/x", "[/a%20b/%C3%BC//cdn.example/x][https://user:pw@ex.org:8080/a%20b/%C3%BC//cdn.example/x]"),
        ("https://user:pw@ex.org:8080", "/a b/ü", "/..", "[/a%20b/][https://user:pw@ex.org:8080/a%20b/]"),
        ("", "//x", "/about/", "[//x/about/][//x/about/]"),
        ("", "//x", "", "[//x][//x]"),
        ("", "//x", "x", "[//x/x][//x/x]"),
        ("", "//x", "//cdn.example/x", "[//x//cdn.example/x][//x//cdn.example/x]"),
        ("", "//x", "/..", "[//x/][//x/]"),
        ("https://Example.ORG:443", "//x", "/about/", "[//x/about/][https://example.org//x/about/]"),
        ("https://Example.ORG:443", "//x", "", "[//x][https://example.org//x]"),
        ("https://Example.ORG:443", "//x", "x", "[//x/x][https://example.org//x/x]"),
        ("https://Example.ORG:443", "//x", "//cdn.example/x", "[//x//cdn.example/x][https://example.org//x//cdn.example/x]"),
        ("https://Example.ORG:443", "//x", "/..", "[//x/][https://example.org//x/]"),
        ("https://example.org/", "//x", "/about/", "[//x/about/][https://example.org///x/about/]"),
        ("https://example.org/", "//x", "", "[//x][https://example.org///x]"),
        ("https://example.org/", "//x", "x", "[//x/x][https://example.org///x/x]"),
        ("https://example.org/", "//x", "//cdn.example/x", "[//x//cdn.example/x][https://example.org///x//cdn.example/x]"),
        ("https://example.org/", "//x", "/..", "[//x/][https://example.org///x/]"),
        ("http://bücher.de/sub", "//x", "/about/", "[//x/about/][http://xn--bcher-kva.de/sub//x/about/]"),
        ("http://bücher.de/sub", "//x", "", "[//x][http://xn--bcher-kva.de/sub//x]"),
        ("http://bücher.de/sub", "//x", "x", "[//x/x][http://xn--bcher-kva.de/sub//x/x]"),
        ("http://bücher.de/sub", "//x", "//cdn.example/x", "[//x//cdn.example/x][http://xn--bcher-kva.de/sub//x//cdn.example/x]"),
        ("http://bücher.de/sub", "//x", "/..", "[//x/][http://xn--bcher-kva.de/sub//x/]"),
        ("example.org", "//x", "/about/", "[//x/about/][example.org//x/about/]"),
        ("example.org", "//x", "", "[//x][example.org//x]"),
        ("example.org", "//x", "x", "[//x/x][example.org//x/x]"),
        ("example.org", "//x", "//cdn.example/x", "[//x//cdn.example/x][example.org//x//cdn.example/x]"),
        ("example.org", "//x", "/..", "[//x/][example.org//x/]"),
        ("https://user:pw@ex.org:8080", "//x", "/about/", "[//x/about/][https://user:pw@ex.org:8080//x/about/]"),
        ("https://user:pw@ex.org:8080", "//x", "", "[//x][https://user:pw@ex.org:8080//x]"),
        ("https://user:pw@ex.org:8080", "//x", "x", "[//x/x][https://user:pw@ex.org:8080//x/x]"),
        ("https://user:pw@ex.org:8080", "//x", "//cdn.example/x", "[//x//cdn.example/x][https://user:pw@ex.org:8080//x//cdn.example/x]"),
        ("https://user:pw@ex.org:8080", "//x", "/..", "[//x/][https://user:pw@ex.org:8080//x/]"),
    ];

    /// (input, `{{ x | smartify }}`) as Jekyll printed them: HTML and entity corners.
    const SMARTIFY_HTML_CASES: &[(&str, &str)] = &[
        (
            "<a href='x' title=\"it's\">'q'</a>",
            "<a href=\"x\" title=\"it's\">‘q’</a>",
        ),
        (
            "<img src=x alt=\"a<b\">'i'",
            "<img src=\"x\" alt=\"a&lt;b\" />‘i’",
        ),
        (
            "<code>'raw' & \"x\"</code> 'after'",
            "<code>'raw' &amp; \"x\"</code> ‘after’",
        ),
        ("<foo>'x'</foo> 'y'", "<foo>'x'</foo>\n ‘y’"),
        ("<b>unclosed 'x'", "<b>unclosed ‘x’\n</b>"),
        ("</b> 'x'", "&lt;/b&gt; ‘x’"),
        (
            "<span class=\"a&amp;b\">\"s\"</span>",
            "<span class=\"a&amp;b\">”s”</span>",
        ),
        ("<B>Up</B>", "<b>Up</b>"),
        ("<kbd><b>'k'</b></kbd>", "<kbd><b>'k'</b></kbd>"),
        ("<input disabled>", "<input disabled=\"\" />"),
        ("<br>", "<br />"),
        ("<b/>", "<b></b>"),
        ("x <div>'d'</div> y", "x &lt;div&gt;‘d’&lt;/div&gt; y"),
        (
            "<div>\n'a'\n<div>'b'</div>\n</div>\n\"c\"",
            "<div>\n'a'\n<div>'b'</div>\n</div>\n“c”",
        ),
        ("<!-- c --> 'after'", "<!-- c -->\n ‘after’"),
        ("  <p>'para'</p>\n'x'", "<p>'para'</p>\n‘x’"),
        ("<hr/>\n'x'", "<hr />\n\n‘x’"),
        ("<?php 'x' ?>", "&lt;?php ‘x’ ?&gt;"),
        ("a &#60; b &#x3c; &lt;", "a &#60; b &#x3c; &lt;"),
        ("&#38; &#34; &quot; &#128; &#x1F600;", "&#38; \" \" € 😀"),
        ("\"\"double\"\"", "\"”double””"),
        ("''", "’’"),
        ("a''b", "a’‘b"),
        ("'\"x\"'", "‘“x”’"),
        ("5'", "5’"),
        ("the 90's", "the 90’s"),
        ("'90s", "’90s"),
        ("(\"x\")", "(“x”)"),
        ("\"_x_\"", "“_x_”"),
        ("'*x*'", "‘*x*’"),
        ("\"...\"", "“…”"),
        ("\"--\"", "”–”"),
        ("x'\n'y", "x’\n‘y"),
        (
            "<DIV CLASS=x id='y'>\n'a'\n</DIV >\n'b'",
            "<div class=\"x\" id=\"y\">\n'a'\n</div>\n‘b’",
        ),
        (
            "<section data-x=\"1&2\">'s'</section>'t'",
            "<section data-x=\"1&amp;2\">'s'</section>\n‘t’",
        ),
        (
            "<unknown>\n'u'\n</unknown>\n'v'",
            "<unknown>\n'u'\n</unknown>\n‘v’",
        ),
        (
            "<div>'never closed'\n'x'",
            "<div>'never closed'\n'x'\n</div>",
        ),
        ("<hr>\n'y'", "<hr />\n\n‘y’"),
        (" <div>'z'</div>", "<div>'z'</div>"),
        ("<br/>'span-start line'", "<br />‘span-start line’"),
        ("<p class=a>'p'</p>", "<p class=\"a\">'p'</p>"),
    ];
}
