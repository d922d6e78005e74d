//! The bytes `quick_xml` writes for the few constructs a feed item uses, written straight into
//! the item's buffer.
//!
//! Why by hand: `rss` and `atom_syndication` write one item only inside a whole feed (the rss
//! crate's item writer is private), through owned structs and an escape that builds a second
//! string per field; for a news site's HTML that was a fifth of a build's CPU. The crates still
//! write every feed's head and every empty feed, and the tests in `writers` hold each item
//! written here to the bytes the crates write for it.

/// `text` escaped as `quick_xml::escape` escapes text and attribute values: all five
/// characters XML predefines, `'` and `"` included.
pub fn push_escaped(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    // HTML alternates short stretches (tags, where the next `<`, `>` or `"` is a few bytes
    // on) with long runs of text: the next few bytes are looked at one by one, and only a
    // longer run is handed to memchr's vectorised search. Quotes are searched apart, and
    // their next position kept, because they are rare outside attribute values.
    const NEAR: usize = 16;
    let find_markup = |from: usize| memchr::memchr3(b'<', b'>', b'&', &bytes[from..]);
    let find_quote = |from: usize| memchr::memchr2(b'"', b'\'', &bytes[from..]).map(|i| i + from);
    let mut next_quote = find_quote(0);
    let mut start = 0;
    let mut at = 0;
    while at < bytes.len() {
        let near = (at + NEAR).min(bytes.len());
        let found = match bytes[at..near].iter().position(|&b| escapes(b)) {
            Some(i) => at + i,
            None if near == bytes.len() => break,
            None => {
                let markup = find_markup(near).map(|i| i + near);
                match (markup, next_quote) {
                    (Some(m), Some(q)) => m.min(q),
                    (Some(i), None) | (None, Some(i)) => i,
                    (None, None) => break,
                }
            }
        };
        out.extend_from_slice(&bytes[start..found]);
        out.extend_from_slice(match bytes[found] {
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'&' => b"&amp;",
            b'\'' => b"&apos;",
            _ => b"&quot;",
        });
        start = found + 1;
        at = found + 1;
        // The next quote is never behind `at`, so none is among bytes looked at one by one.
        if next_quote.is_some_and(|q| q < at) {
            next_quote = find_quote(at);
        }
    }
    out.extend_from_slice(&bytes[start..]);
}

/// What `quick_xml::escape` replaces.
fn escapes(b: u8) -> bool {
    matches!(b, b'<' | b'>' | b'&' | b'\'' | b'"')
}

/// Searches every entry's content: built once.
static CDATA_END: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new("]]>"));

/// `text` as CDATA, as the rss crate writes it: a `]]>` inside is split between two sections
/// (`]]` ends one, `>` starts the next).
pub fn push_cdata(out: &mut Vec<u8>, text: &str) {
    let mut rest = text.as_bytes();
    loop {
        out.extend_from_slice(b"<![CDATA[");
        match CDATA_END.find(rest) {
            Some(at) => {
                out.extend_from_slice(&rest[..at + 2]);
                out.extend_from_slice(b"]]>");
                rest = &rest[at + 2..];
            }
            None => {
                out.extend_from_slice(rest);
                out.extend_from_slice(b"]]>");
                return;
            }
        }
    }
}

/// An item's elements at one depth of the crates' two-space indentation.
pub struct Lines<'a> {
    pub out: &'a mut Vec<u8>,
    /// The line break and indentation before each element.
    pub indent: &'static [u8],
}

impl Lines<'_> {
    /// `<name>` with nothing after it on the line.
    pub fn open(&mut self, name: &str) {
        self.start_tag(name);
        self.out.push(b'>');
    }

    /// `</name>` on its own line.
    pub fn close(&mut self, name: &str) {
        self.out.extend_from_slice(self.indent);
        self.end_tag(name);
    }

    /// `<name>text</name>`, the text escaped.
    pub fn text(&mut self, name: &str, text: &str) {
        self.text_with(name, &[], text);
    }

    /// `<name>text</name>`, the text as CDATA.
    pub fn cdata(&mut self, name: &str, text: &str) {
        self.cdata_with(name, &[], text);
    }

    /// `<name a="v" …>text</name>`, the values escaped and the text as CDATA.
    pub fn cdata_with(&mut self, name: &str, attributes: &[(&str, &str)], text: &str) {
        self.element(name, attributes, text, push_cdata);
    }

    /// [`Lines::cdata_with`], but the text left out when it is one CDATA section: gives
    /// where in the output it goes (see [`super::Fragment`]).
    pub fn cdata_hole_with(
        &mut self,
        name: &str,
        attributes: &[(&str, &str)],
        text: &str,
    ) -> Option<usize> {
        if CDATA_END.find(text.as_bytes()).is_some() {
            self.cdata_with(name, attributes, text);
            return None;
        }
        self.start_tag(name);
        self.attributes(attributes);
        self.out.extend_from_slice(b"><![CDATA[");
        let hole = self.out.len();
        self.out.extend_from_slice(b"]]>");
        self.end_tag(name);
        Some(hole)
    }

    /// `<name a="v" …/>`, the values escaped.
    pub fn empty(&mut self, name: &str, attributes: &[(&str, &str)]) {
        self.start_tag(name);
        self.attributes(attributes);
        self.out.extend_from_slice(b"/>");
    }

    /// `<name a="v" …>text</name>`, the values and the text escaped.
    pub fn text_with(&mut self, name: &str, attributes: &[(&str, &str)], text: &str) {
        self.element(name, attributes, text, push_escaped);
    }

    /// `<name a="v" …>text</name>`, the text written by `push`.
    fn element(
        &mut self,
        name: &str,
        attributes: &[(&str, &str)],
        text: &str,
        push: fn(&mut Vec<u8>, &str),
    ) {
        self.start_tag(name);
        self.attributes(attributes);
        self.out.push(b'>');
        push(self.out, text);
        self.end_tag(name);
    }

    fn start_tag(&mut self, name: &str) {
        self.out.extend_from_slice(self.indent);
        self.out.push(b'<');
        self.out.extend_from_slice(name.as_bytes());
    }

    fn attributes(&mut self, attributes: &[(&str, &str)]) {
        for (key, value) in attributes {
            self.out.push(b' ');
            self.out.extend_from_slice(key.as_bytes());
            self.out.extend_from_slice(b"=\"");
            push_escaped(self.out, value);
            self.out.push(b'"');
        }
    }

    fn end_tag(&mut self, name: &str) {
        self.out.extend_from_slice(b"</");
        self.out.extend_from_slice(name.as_bytes());
        self.out.push(b'>');
    }
}

/// Room for `text` once escaped: most text grows by less than a quarter.
pub fn escaped_len(text: &str) -> usize {
    text.len() + text.len() / 4
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(text: &str) -> String {
        let mut out = Vec::new();
        push_escaped(&mut out, text);
        String::from_utf8(out).unwrap()
    }

    /// The escape is quick_xml's, on strings dense and sparse in every character it escapes.
    #[test]
    fn escapes_as_quick_xml_does() {
        // Long runs too, so that both the byte-by-byte look and the vectorised search find
        // the next character.
        let long_text = "新闻".repeat(20);
        let long_ascii = "a".repeat(50);
        let pieces = [
            "<",
            ">",
            "&",
            "'",
            "\"",
            "a",
            "新闻",
            " ",
            "&amp;",
            "]]>",
            "\n",
            "",
            &long_text,
            &long_ascii,
            "0123456789abcde",
        ];
        let mut x: u32 = 7;
        for _ in 0..20_000 {
            let mut text = String::new();
            for _ in 0..(x % 40) {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                text.push_str(pieces[(x >> 16) as usize % pieces.len()]);
            }
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            assert_eq!(
                escaped(&text),
                quick_xml::escape::escape(text.as_str()),
                "{text:?}"
            );
        }
        assert_eq!(
            escaped("a<b>'c'&\"d\""),
            "a&lt;b&gt;&apos;c&apos;&amp;&quot;d&quot;"
        );
    }

    /// Content that is one CDATA section is left out, at the place it goes; content with a
    /// `]]>` is written whole (split). Either way the bytes around it are `cdata_with`'s.
    #[test]
    fn content_is_left_out_only_when_it_is_one_section() {
        for (text, leaves_hole) in [("<p>x</p>", true), ("", true), ("a]]>b", false)] {
            let (mut whole, mut holed) = (Vec::new(), Vec::new());
            let attributes = [("type", "html")];
            Lines {
                out: &mut whole,
                indent: b"\n",
            }
            .cdata_with("content", &attributes, text);
            let hole = Lines {
                out: &mut holed,
                indent: b"\n",
            }
            .cdata_hole_with("content", &attributes, text);
            assert_eq!(hole.is_some(), leaves_hole, "{text:?}");
            if let Some(at) = hole {
                holed.splice(at..at, text.bytes());
            }
            assert_eq!(
                String::from_utf8(holed).unwrap(),
                String::from_utf8(whole).unwrap()
            );
        }
    }

    /// CDATA sections are split at every `]]>` as quick_xml splits them.
    #[test]
    fn cdata_as_quick_xml_writes_it() {
        for text in ["", "a", "]]>", "a]]>b]]>", "]]]]>>", "]>]]", "x]]"] {
            let mut out = Vec::new();
            push_cdata(&mut out, text);
            let mut expected = Vec::new();
            let mut writer = quick_xml::Writer::new(&mut expected);
            for part in quick_xml::events::BytesCData::escaped(text) {
                writer
                    .write_event(quick_xml::events::Event::CData(part))
                    .unwrap();
            }
            assert_eq!(
                String::from_utf8(out).unwrap(),
                String::from_utf8(expected).unwrap()
            );
        }
    }
}
