//! kramdown's typographic symbols and smart quotes (`smart_quotes: lsquo,rsquo,ldquo,rdquo`),
//! applied to one run of text the way kramdown's span parser does.

const LSQUO: char = '\u{2018}';
const RSQUO: char = '\u{2019}';
const LDQUO: char = '\u{201C}';
const RDQUO: char = '\u{201D}';

/// Ruby's `\w` (ASCII).
fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Ruby's `\s`.
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n' | '\u{0C}' | '\u{0B}')
}

/// kramdown's `SQ_PUNCT`.
fn is_punct(c: char) -> bool {
    c.is_ascii_punctuation()
}

/// kramdown's `SQ_CLOSE`: a character after which a quote closes.
fn closes(c: char) -> bool {
    !matches!(c, ' ' | '\\' | '\t' | '\r' | '\n' | '[' | '{' | '(' | '-')
}

/// kramdown's rules that hold alike at the start of a run and after a space: `"'` and `'"`
/// before a word open both quotes, and `'` before two digits and an `s` (`'90s`) is an
/// apostrophe. The characters to write, and how many after the quote they used.
fn pair_or_decade(
    q: char,
    n1: Option<char>,
    n2: Option<char>,
    n3: Option<char>,
) -> Option<(&'static [char], usize)> {
    if q == '"' && n1 == Some('\'') && n2.is_some_and(is_word) {
        Some((&[LDQUO, LSQUO], 1))
    } else if q == '\'' && n1 == Some('"') && n2.is_some_and(is_word) {
        Some((&[LSQUO, LDQUO], 1))
    } else if q == '\''
        && n1.is_some_and(|x| x.is_ascii_digit())
        && n2.is_some_and(|x| x.is_ascii_digit())
        && n3 == Some('s')
    {
        Some((&[RSQUO], 0))
    } else {
        None
    }
}

fn left(q: char) -> char {
    if q == '"' {
        LDQUO
    } else {
        LSQUO
    }
}

fn right(q: char) -> char {
    if q == '"' {
        RDQUO
    } else {
        RSQUO
    }
}

/// `---` → —, `--` → –, `...` → …, `<<`/`>>` → «/», and straight quotes made curly.
pub fn smarten(text: &str) -> String {
    let c: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    let mut i = 0;
    // Whether the character before `i` was consumed by a rule (kramdown's scanner then starts
    // at the quote itself, with no character before it).
    let mut fresh = true;
    while i < c.len() {
        let ch = c[i];
        let at = |k: usize| c.get(k).copied();
        match ch {
            '-' if at(i + 1) == Some('-') => {
                if at(i + 2) == Some('-') {
                    out.push('\u{2014}');
                    i += 3;
                } else {
                    out.push('\u{2013}');
                    i += 2;
                }
                fresh = true;
                continue;
            }
            '.' if at(i + 1) == Some('.') && at(i + 2) == Some('.') => {
                out.push('\u{2026}');
                i += 3;
                fresh = true;
                continue;
            }
            '<' if at(i + 1) == Some('<') => {
                out.push('\u{AB}');
                if at(i + 2) == Some(' ') {
                    out.push('\u{A0}');
                    i += 3;
                } else {
                    i += 2;
                }
                fresh = true;
                continue;
            }
            ' ' if at(i + 1) == Some('>') && at(i + 2) == Some('>') => {
                out.push('\u{A0}');
                out.push('\u{BB}');
                i += 3;
                fresh = true;
                continue;
            }
            '>' if at(i + 1) == Some('>') => {
                out.push('\u{BB}');
                i += 2;
                fresh = true;
                continue;
            }
            '"' | '\'' => {}
            _ => {
                out.push(ch);
                i += 1;
                fresh = false;
                continue;
            }
        }
        let q = ch;
        let prev = if fresh || i == 0 {
            None
        } else {
            Some(c[i - 1])
        };
        let n1 = at(i + 1);
        let n2 = at(i + 2);
        let n3 = at(i + 3);
        match prev {
            None => {
                if n1.is_some_and(|x| x == '_' || x == '*')
                    && (n2.is_some_and(|x| !is_space(x) && x != '_' && x != '*')
                        || (n2.is_some_and(|x| x == '_' || x == '*')
                            && n3.is_some_and(|x| !is_space(x))))
                {
                    out.push(left(q));
                } else if n1.is_some_and(is_punct)
                    && !(n2 == Some('.') && n3 == Some('.'))
                    && !n2.is_some_and(is_word)
                {
                    out.push(right(q));
                } else if let Some((quotes, taken)) = pair_or_decade(q, n1, n2, n3) {
                    out.extend(quotes);
                    i += taken;
                } else if n1.is_some_and(|x| x == '"' || x == '\'') {
                    // `(SQ_CLOSE)('|")`: this quote stays, the next one closes.
                    out.push(q);
                    out.push(right(n1.expect("checked")));
                    i += 1;
                } else if n1.is_none_or(is_space) || (n1 == Some('s') && !n2.is_some_and(is_word)) {
                    out.push(right(q));
                } else {
                    out.push(left(q));
                }
            }
            Some(p) if is_space(p) => {
                if let Some((quotes, taken)) = pair_or_decade(q, n1, n2, n3) {
                    out.extend(quotes);
                    i += taken;
                } else {
                    out.push(left(q));
                }
            }
            Some(p) if closes(p) => out.push(right(q)),
            Some(_) => out.push(left(q)),
        }
        i += 1;
        fresh = true;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::smarten;

    #[test]
    fn as_kramdown_does() {
        assert_eq!(
            smarten("\"Double quotes\" and 'single quotes' and it's"),
            "“Double quotes” and ‘single quotes’ and it’s"
        );
        assert_eq!(smarten("a -- b --- c..."), "a – b — c…");
        assert_eq!(
            smarten("She said \"it's 'fine'\" in the '90s."),
            "She said “it’s ‘fine’” in the ’90s."
        );
        assert_eq!(smarten("<<a>>"), "«a»");
    }
}
