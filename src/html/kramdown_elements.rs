//! How kramdown (`parser/html.rb`) classes HTML elements, which Jekyll's pages follow: the
//! Markdown layer, the `smartify` filter and the escaping of stray markup all read HTML as
//! kramdown reads it.

/// kramdown's span elements (`HTML_SPAN_ELEMENTS`): a line starting with one of them starts a
/// paragraph, not an HTML block.
pub(crate) const SPAN_ELEMENTS: &[&str] = &[
    "a", "abbr", "acronym", "b", "big", "bdo", "br", "button", "cite", "code", "del", "dfn", "em",
    "i", "img", "input", "ins", "kbd", "label", "mark", "option", "q", "rb", "rbc", "rp", "rt",
    "rtc", "ruby", "samp", "select", "small", "span", "strong", "sub", "sup", "tt", "u", "var",
];

/// kramdown's elements without content (`HTML_ELEMENTS_WITHOUT_BODY`): an end tag of one
/// (`</br>`, `</embed>`) closes nothing.
pub(crate) const ELEMENTS_WITHOUT_BODY: &[&str] = &[
    "area", "base", "br", "col", "command", "embed", "hr", "img", "input", "keygen", "link",
    "meta", "param", "source", "track", "wbr",
];
