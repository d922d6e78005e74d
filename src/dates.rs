//! Date parsing with timezone rules: a written offset names the instant; a date without one is
//! wall-clock time in the site's IANA timezone, DST included.

use std::fmt::Write;

use chrono::{
    DateTime, Datelike, Duration, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, NaiveTime,
    Offset, TimeZone,
};
use chrono_tz::Tz;
use thiserror::Error;

/// A post's date, resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PostDate {
    /// The instant, carrying the offset it is shown in: the post's own offset when it wrote
    /// one, else the site timezone's offset at that instant.
    pub instant: DateTime<FixedOffset>,
    /// The wall-clock date and time as written.
    pub written: NaiveDateTime,
    /// True when the text named its own offset (or zone).
    pub has_offset: bool,
}

/// A date was read, but had to be adjusted: the warning to show.
pub type DateAdjustment = Option<String>;

/// Why a date could not be read.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum DateError {
    #[error("date {0:?} cannot be read: write it like `2022-02-10 17:07:04 +0800`, `2022-02-10T17:07:04Z`, `2022-02-10` or `Thu, 10 Feb 2022 17:07:04 +0800`")]
    Unreadable(String),
    /// A date whose month, day, hour or minute cannot exist (`2022-13-01`, `2022-02-32`).
    #[error("date {0:?} cannot be read: {1}")]
    Impossible(String, String),
    #[error("date {0:?} is out of range: years 1 to 9999 only")]
    OutOfRange(String),
    #[error("date {0:?} has an invalid offset: offsets are under 24 hours")]
    BadOffset(String),
}

/// Parses a date as posts write it, reading a date without an offset in `tz`.
pub fn parse_post_date(text: &str, tz: Tz) -> Result<(PostDate, DateAdjustment), DateError> {
    let trimmed = text.trim();
    let parsed = parse_iso_like(trimmed).or_else(|| {
        DateTime::parse_from_rfc2822(trimmed)
            .ok()
            .map(|dt| (dt.naive_local(), Some(*dt.offset())))
    });
    let (naive, offset, loose_note) = match parsed {
        Some((naive, offset)) => (naive, offset, None),
        None => {
            let loose = parse_loose(trimmed)?;
            (loose.naive, loose.offset, Some(loose.note))
        }
    };
    check_year(naive, trimmed)?;
    let (date, adjustment) = resolve(naive, offset, tz, trimmed)?;
    let adjustment = match (loose_note, adjustment) {
        (Some(note), Some(more)) => Some(format!("{note}; {more}")),
        (Some(note), None) => Some(format!(
            "{note}: read as {}, as Jekyll (Ruby's Time.parse) reads it",
            date.instant.to_rfc3339()
        )),
        (None, more) => more,
    };
    Ok((date, adjustment))
}

/// The instant of a wall-clock time with its written offset, or in `tz` without one.
fn resolve(
    naive: NaiveDateTime,
    offset: Option<FixedOffset>,
    tz: Tz,
    trimmed: &str,
) -> Result<(PostDate, DateAdjustment), DateError> {
    match offset {
        Some(offset) => {
            let instant = offset
                .from_local_datetime(&naive)
                .single()
                .ok_or_else(|| DateError::OutOfRange(trimmed.to_string()))?;
            check_year(instant.naive_utc(), trimmed)?;
            Ok((
                PostDate {
                    instant,
                    written: naive,
                    has_offset: true,
                },
                None,
            ))
        }
        None => {
            let (instant, adjustment) = localize(naive, tz)?;
            check_year(instant.naive_utc(), trimmed)?;
            Ok((
                PostDate {
                    instant,
                    written: naive,
                    has_offset: false,
                },
                adjustment,
            ))
        }
    }
}

/// A date alone (from a file name): local midnight in `tz`.
pub fn midnight(date: NaiveDate, tz: Tz) -> Result<(PostDate, DateAdjustment), DateError> {
    let naive = date.and_time(NaiveTime::MIN);
    let text = date.to_string();
    check_year(naive, &text)?;
    resolve(naive, None, tz, &text)
}

fn check_year(naive: NaiveDateTime, text: &str) -> Result<(), DateError> {
    // RFC 822 and RFC 3339 both need a four-digit year, both as written and in UTC (readers
    // convert: 9999-12-31 23:00 -0500 is year 10000 in UTC, which they cannot represent).
    if (1..=9999).contains(&naive.year()) {
        Ok(())
    } else {
        Err(DateError::OutOfRange(text.to_string()))
    }
}

/// Reads wall-clock time in `tz`. A time in a spring-forward gap moves forward by the gap's
/// length (02:30 becomes 03:30); a time in a fall-back fold takes the earlier instant. Both
/// come with a warning.
pub fn localize(
    naive: NaiveDateTime,
    tz: Tz,
) -> Result<(DateTime<FixedOffset>, DateAdjustment), DateError> {
    localize_exact(naive, tz).map(|(instant, note)| (whole_minute_offset(instant), note))
}

/// Local mean time before standard time (New York until 1883: -4:56:02) has offsets with
/// seconds, which RFC 822 and RFC 3339 cannot write; such an instant is given in UTC instead,
/// so it stays the same instant.
fn whole_minute_offset(instant: DateTime<FixedOffset>) -> DateTime<FixedOffset> {
    if instant.offset().local_minus_utc() % 60 == 0 {
        instant
    } else {
        instant.with_timezone(&chrono::Utc).fixed_offset()
    }
}

fn localize_exact(
    naive: NaiveDateTime,
    tz: Tz,
) -> Result<(DateTime<FixedOffset>, DateAdjustment), DateError> {
    match tz.from_local_datetime(&naive) {
        LocalResult::Single(dt) => Ok((dt.fixed_offset(), None)),
        LocalResult::Ambiguous(earlier, later) => {
            let earlier = earlier.fixed_offset();
            let note = format!(
                "{naive} happens twice in {tz} (clocks go back); using the earlier instant {} rather than {}",
                earlier.to_rfc3339(),
                later.fixed_offset().to_rfc3339()
            );
            Ok((earlier, Some(note)))
        }
        LocalResult::None => {
            // Read the time with the offset in force just before the gap, so it lands as far
            // after the transition as it was written after it.
            let offset_before = (1..=48)
                .filter_map(|h| naive.checked_sub_signed(Duration::hours(h)))
                .find_map(|earlier| match tz.from_local_datetime(&earlier) {
                    LocalResult::Single(d) => Some(d.offset().fix()),
                    LocalResult::Ambiguous(_, later) => Some(later.offset().fix()),
                    LocalResult::None => None,
                })
                .ok_or_else(|| DateError::OutOfRange(naive.to_string()))?;
            let utc = naive
                .checked_sub_signed(Duration::seconds(offset_before.local_minus_utc().into()))
                .ok_or_else(|| DateError::OutOfRange(naive.to_string()))?;
            let instant = tz.from_utc_datetime(&utc).fixed_offset();
            let note = format!(
                "{naive} does not exist in {tz} (clocks spring forward); using {}",
                instant.to_rfc3339()
            );
            Ok((instant, Some(note)))
        }
    }
}

/// `YYYY-MM-DD[( |T)HH:MM[:SS[.frac]]][ ][Z|UTC|GMT|±HH[:MM]|±HHMM]`, also with `/` between the
/// date's parts and one-digit months and days, as Jekyll (Ruby's Time.parse) accepts them.
fn parse_iso_like(s: &str) -> Option<(NaiveDateTime, Option<FixedOffset>)> {
    let mut cur = Cursor { s, pos: 0 };
    let year = cur.number(4, 5)?;
    let sep = cur.peek()?;
    if sep != '-' && sep != '/' {
        return None;
    }
    cur.bump();
    let month = cur.number(1, 2)?;
    cur.expect(sep)?;
    let day = cur.number(1, 2)?;
    let date = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?;

    let mut time = NaiveTime::MIN;
    let mut offset = None;
    let before_time = cur.pos;
    if matches!(cur.peek(), Some('T' | 't' | ' ')) {
        cur.bump();
        cur.skip_spaces();
        if let Some(hour) = cur.number(1, 2) {
            cur.expect(':')?;
            let minute = cur.number(2, 2)?;
            let mut second = 0;
            let mut nanos = 0;
            if cur.peek() == Some(':') {
                cur.bump();
                second = cur.number(2, 2)?;
                if matches!(cur.peek(), Some('.' | ',')) {
                    cur.bump();
                    nanos = cur.fraction_nanos()?;
                }
            }
            // A leap second (`:60`) is folded onto the last nanosecond-precision second.
            let second = second.min(59);
            time = NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)?;
        } else {
            cur.pos = before_time;
        }
    }
    cur.skip_spaces();
    if !cur.at_end() {
        offset = Some(cur.offset()?);
        cur.skip_spaces();
        if !cur.at_end() {
            return None;
        }
    }
    Some((date.and_time(time), offset))
}

/// True for text that Ruby's YAML reads as a timestamp (a `Time`) when it is a plain scalar:
/// a date and a time with seconds, and optionally a fraction and an offset.
pub fn is_yaml_timestamp(text: &str) -> bool {
    use regex::Regex;
    use std::sync::LazyLock;
    // Psych's ScalarScanner::TIME.
    static TIME: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^-?\d{4}-\d{1,2}-\d{1,2}(?:[Tt]|\s+)\d{1,2}:\d\d:\d\d(?:\.\d*)?(?:\s*(?:Z|[-+]\d{1,2}:?(?:\d\d)?))?$",
        )
        .expect("valid regex")
    });
    TIME.is_match(text)
}

/// A date read the lenient way Ruby's `Time.parse` (and so Jekyll) reads dates.
struct LooseDate {
    naive: NaiveDateTime,
    offset: Option<FixedOffset>,
    /// What was unusual, for the warning.
    note: String,
}

/// Reads a date that is not in one of the standard forms the way Ruby's `Time.parse` does,
/// so that a post Jekyll publishes is published too: the first `YYYY-MM-DD` (or `YYYY/MM/DD`,
/// or `DD/MM/YYYY` and `DD-MM-YYYY`), the first `HH:MM[:SS]` with an optional am/pm, and right
/// after it a numeric offset, `Z`, `UTC`, `GMT` or US zone name; other words are ignored, and a day past the end of its
/// month runs into the next one (`2022-02-30` is March 2). A month over 12, a day over 31 or
/// no date at all stays unreadable.
fn parse_loose(text: &str) -> Result<LooseDate, DateError> {
    parse_loose_as(text, text)
}

/// [`parse_loose`] of `parse`, with `shown` named in its note and errors (the date as the
/// post writes it, when `parse` is that date rewritten).
fn parse_loose_as(parse: &str, shown: &str) -> Result<LooseDate, DateError> {
    use regex::Regex;
    use std::sync::LazyLock;
    static DATE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:\b(\d{4})([-/])(\d{1,2})([-/])(\d{1,2})\b)|(?:\b(\d{1,2})([-/])(\d{1,2})([-/])(\d{4})\b)")
            .expect("valid regex")
    });
    static TIME: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(?:\s*([ap])\.?m\b\.?)?")
            .expect("valid regex")
    });
    static ZONE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?:^|\s)([+-]\d{2}(?::?\d{2})?|z|utc|gmt|ut|[ecmp][sd]t)(?:\s|$)")
            .expect("valid regex")
    });
    let unreadable = || DateError::Unreadable(shown.to_string());
    let Some(date) = DATE.captures(parse) else {
        return with_month_name(parse);
    };
    let number = |i: usize| date.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
    let (year, month, day) = match number(1) {
        Some(year) if date.get(2).map(|m| m.as_str()) == date.get(4).map(|m| m.as_str()) => (
            year,
            number(3).ok_or_else(unreadable)?,
            number(5).ok_or_else(unreadable)?,
        ),
        Some(_) => return Err(unreadable()),
        None if date.get(7).map(|m| m.as_str()) == date.get(9).map(|m| m.as_str()) => (
            number(10).ok_or_else(unreadable)?,
            number(8).ok_or_else(unreadable)?,
            number(6).ok_or_else(unreadable)?,
        ),
        None => return Err(unreadable()),
    };
    let impossible = |what: String| {
        // `11-13-2017` is read day first, as Ruby reads it.
        let hint = if number(1).is_none() {
            " (a date written day-month-year is read day first)"
        } else {
            ""
        };
        DateError::Impossible(shown.to_string(), format!("{what} does not exist{hint}"))
    };
    if !(1..=12).contains(&month) {
        return Err(impossible(format!("month {month}")));
    }
    let year = i32::try_from(year).map_err(|_| unreadable())?;
    let first = NaiveDate::from_ymd_opt(year, month, 1).ok_or_else(unreadable)?;
    if !(1..=31).contains(&day) {
        return Err(impossible(format!("{} {day}", first.format("%B"))));
    }
    let date_value = first + Duration::days(i64::from(day) - 1);
    let mut used = vec![date.get(0).map_or(0..0, |m| m.range())];

    let rest_after_date = |from: usize| &parse[from..];
    let mut time = NaiveTime::MIN;
    let date_end = used[0].end;
    if let Some(t) = TIME.captures(rest_after_date(date_end)) {
        let n = |i: usize| t.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
        let mut hour = n(1).ok_or_else(unreadable)?;
        match t.get(5).map(|m| m.as_str().to_ascii_lowercase()) {
            Some(p) if p == "p" && hour < 12 => hour += 12,
            Some(p) if p == "a" && hour == 12 => hour = 0,
            _ => {}
        }
        let nanos = t.get(4).map_or(Ok(0), |m| {
            let digits: String = m
                .as_str()
                .chars()
                .chain(std::iter::repeat('0'))
                .take(9)
                .collect();
            digits.parse::<u32>().map_err(|_| unreadable())
        })?;
        let minute = n(2).ok_or_else(unreadable)?;
        if hour > 23 {
            return Err(DateError::Impossible(
                shown.to_string(),
                format!("hour {hour} does not exist"),
            ));
        }
        if minute > 59 {
            return Err(DateError::Impossible(
                shown.to_string(),
                format!("minute {minute} does not exist"),
            ));
        }
        time = NaiveTime::from_hms_nano_opt(hour, minute, n(3).unwrap_or(0).min(59), nanos)
            .ok_or_else(unreadable)?;
        let whole = t.get(0).map_or(0..0, |m| m.range());
        used.push(whole.start + date_end..whole.end + date_end);
    }
    let mut masked = parse.to_string();
    for range in &used {
        masked.replace_range(range.clone(), &" ".repeat(range.len()));
    }
    // Ruby takes a zone only as the word right after the time: `18:30:22 2023 -0800` has no
    // zone (the year stands between), and an unknown word (`JST`, `sharp`) means local time.
    let mut offset = None;
    if let Some(time) = used.get(1) {
        let after = &parse[time.end..];
        let word = after.split_whitespace().next().unwrap_or("");
        let zone = word.trim_matches(['(', ')']);
        if ZONE.is_match(&format!(" {zone} ")) {
            offset =
                Some(zone_offset(zone).ok_or_else(|| DateError::BadOffset(shown.to_string()))?);
            let start = time.end + after.find(word).unwrap_or(0);
            masked.replace_range(start..start + word.len(), &" ".repeat(word.len()));
        }
    }
    let ignored: Vec<&str> = masked.split_whitespace().collect();
    let mut note = format!("date {shown:?} is not in a standard form");
    if !ignored.is_empty() {
        let _ = write!(note, " (ignored: {})", ignored.join(" "));
    }
    if date_value.day() != day {
        let _ = write!(
            note,
            "; {} {day} does not exist, so it runs into {}",
            first.format("%B"),
            date_value.format("%B %-d")
        );
    }
    Ok(LooseDate {
        naive: date_value.and_time(time),
        offset,
        note,
    })
}

/// A date written with the month's name (`Fri Jul  5 09:00:00 CEST 2024`, `July 5, 2024`,
/// `5 July 2024 10:30`), read as Ruby's `Date._parse` reads it: the time (and the zone word
/// after it) set aside first, then the day and month in European or US order, and the year.
/// Without a year Ruby takes the current one; that stays unreadable (the feed would change
/// with the year it is built in).
fn with_month_name(text: &str) -> Result<LooseDate, DateError> {
    use regex::Regex;
    use std::sync::LazyLock;
    const MONTHS: &str = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec";
    static TIME_AND_ZONE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:\s*[ap]\.?m\b\.?)?(?:\s+[a-z]+\b|\s*[+-]\d{2}:?\d{2}\b)?")
            .expect("valid regex")
    });
    static EU: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(
            r"(?i)\b(\d{{1,2}})(?:st|nd|rd|th)?\b[^-\d\s']*\s*((?:{MONTHS})[a-z]*\.?)[^-\d\s']*(?:\s*,?\s*(\d{{4}})\b)?"
        ))
        .expect("valid regex")
    });
    static US: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(
            r"(?i)\b((?:{MONTHS})[a-z]*\.?)[^-\d\s']*\s*(\d{{1,2}})(?:st|nd|rd|th)?\b[^-\d\s']*(?:\s*,?\s*(\d{{4}})\b)?"
        ))
        .expect("valid regex")
    });
    let unreadable = || DateError::Unreadable(text.to_string());
    let mut masked = text.to_string();
    if let Some(time) = TIME_AND_ZONE.find(text) {
        masked.replace_range(time.range(), &" ".repeat(time.len()));
    }
    let (day, month, year) = if let Some(c) = EU.captures(&masked) {
        (c.get(1), c.get(2), c.get(3))
    } else if let Some(c) = US.captures(&masked) {
        (c.get(2), c.get(1), c.get(3))
    } else {
        return Err(unreadable());
    };
    let (Some(day), Some(month), Some(year)) = (day, month, year) else {
        return Err(unreadable());
    };
    let month_number = MONTHS
        .split('|')
        .position(|m| m.eq_ignore_ascii_case(&month.as_str()[..3]))
        .ok_or_else(unreadable)?
        + 1;
    // The date written the standard way where it stood, the rest as it was: read on as any
    // other loose date (the time, the zone after it, the words ignored).
    let mut rewritten = text.to_string();
    for part in [day, month, year] {
        rewritten.replace_range(part.range(), &" ".repeat(part.len()));
    }
    let rewritten = format!(
        "{}-{month_number:02}-{:02} {rewritten}",
        year.as_str(),
        day.as_str().parse::<u32>().map_err(|_| unreadable())?
    );
    parse_loose_as(&rewritten, text).map_err(|e| match e {
        e @ DateError::Impossible(..) => e,
        _ => unreadable(),
    })
}

/// The offset of a zone that Ruby's `Time.zone_offset` knows.
fn zone_offset(zone: &str) -> Option<FixedOffset> {
    let hours = match zone.to_ascii_lowercase().as_str() {
        "z" | "utc" | "gmt" | "ut" => 0,
        "edt" => -4,
        "est" | "cdt" => -5,
        "cst" | "mdt" => -6,
        "mst" | "pdt" => -7,
        "pst" => -8,
        numeric => {
            let sign = if numeric.starts_with('-') { -1 } else { 1 };
            let digits: String = numeric.chars().filter(char::is_ascii_digit).collect();
            let h: i32 = digits.get(..2)?.parse().ok()?;
            let m: i32 = match digits.get(2..) {
                Some(m) if !m.is_empty() => m.parse().ok()?,
                _ => 0,
            };
            if h >= 24 || m >= 60 {
                return None;
            }
            return FixedOffset::east_opt(sign * (h * 3600 + m * 60));
        }
    };
    FixedOffset::east_opt(hours * 3600)
}

struct Cursor<'a> {
    s: &'a str,
    pos: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<char> {
        self.s[self.pos..].chars().next()
    }
    fn bump(&mut self) {
        if let Some(c) = self.peek() {
            self.pos += c.len_utf8();
        }
    }
    fn at_end(&self) -> bool {
        self.pos >= self.s.len()
    }
    fn expect(&mut self, c: char) -> Option<()> {
        (self.peek()? == c).then(|| self.bump())
    }
    fn skip_spaces(&mut self) {
        while self.peek() == Some(' ') {
            self.bump();
        }
    }
    fn number(&mut self, min_digits: usize, max_digits: usize) -> Option<u32> {
        let digits = self.s[self.pos..]
            .bytes()
            .take_while(u8::is_ascii_digit)
            .count();
        if digits < min_digits || digits > max_digits {
            return None;
        }
        let n = self.s[self.pos..self.pos + digits].parse().ok()?;
        self.pos += digits;
        Some(n)
    }
    fn fraction_nanos(&mut self) -> Option<u32> {
        let digits: String = self.s[self.pos..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        if digits.is_empty() {
            return None;
        }
        self.pos += digits.len();
        let mut nanos: String = digits.chars().take(9).collect();
        while nanos.len() < 9 {
            nanos.push('0');
        }
        nanos.parse().ok()
    }
    fn offset(&mut self) -> Option<FixedOffset> {
        let rest = &self.s[self.pos..];
        for name in ["UTC", "GMT", "Z", "z"] {
            if rest.starts_with(name) {
                self.pos += name.len();
                return FixedOffset::east_opt(0);
            }
        }
        let sign = match self.peek()? {
            '+' => 1,
            '-' | '\u{2212}' => -1,
            _ => return None,
        };
        self.bump();
        let digits = self.s[self.pos..]
            .bytes()
            .take_while(u8::is_ascii_digit)
            .count();
        let (hours, minutes) = match digits {
            1 | 2 => {
                let h = self.number(1, 2)?;
                let m = if self.peek() == Some(':') {
                    self.bump();
                    self.number(2, 2)?
                } else {
                    0
                };
                (h, m)
            }
            4 => {
                let hhmm = self.number(4, 4)?;
                (hhmm / 100, hhmm % 100)
            }
            _ => return None,
        };
        if minutes >= 60 || hours >= 24 {
            return None;
        }
        FixedOffset::east_opt(sign * i32::try_from(hours * 3600 + minutes * 60).ok()?)
    }
}

/// Reads `YYYY-MM-DD-` at the start of a file stem (Jekyll's `_posts` naming) and returns the
/// date and the rest of the stem (the slug).
pub fn date_from_file_stem(stem: &str) -> Option<(NaiveDate, &str)> {
    let bytes = stem.as_bytes();
    if bytes.len() < 11 || bytes[4] != b'-' || bytes[7] != b'-' || bytes[10] != b'-' {
        return None;
    }
    let date = NaiveDate::parse_from_str(&stem[..10], "%Y-%m-%d").ok()?;
    Some((date, &stem[11..]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::{America::New_York, Asia::Shanghai, Europe::London, UTC};

    fn rfc3339(text: &str, tz: Tz) -> String {
        parse_post_date(text, tz).unwrap().0.instant.to_rfc3339()
    }

    #[test]
    fn accepted_forms_name_the_same_instant() {
        let expected = "2022-02-10T17:07:04+08:00";
        for text in [
            "2022-02-10 17:07:04 +0800",
            "2022-02-10 17:07:04 +08:00",
            "2022-02-10T17:07:04+08:00",
            "2022-02-10 17:07:04+0800",
            "Thu, 10 Feb 2022 17:07:04 +0800",
            "2022-02-10 17:07:04",
            " 2022-2-10 17:07:04 ",
        ] {
            assert_eq!(rfc3339(text, Shanghai), expected, "{text}");
        }
        assert_eq!(
            rfc3339("2022-02-10T17:07:04Z", Shanghai),
            "2022-02-10T17:07:04+00:00"
        );
        assert_eq!(
            rfc3339("2022-02-10 17:07", Shanghai),
            "2022-02-10T17:07:00+08:00"
        );
        assert_eq!(rfc3339("2022-02-10", Shanghai), "2022-02-10T00:00:00+08:00");
        assert_eq!(
            rfc3339("2022/02/10 09:07:04.250 UTC", Shanghai),
            "2022-02-10T09:07:04.250+00:00"
        );
        assert_eq!(
            rfc3339("2022-02-10 17:07:04 -05", UTC),
            "2022-02-10T17:07:04-05:00"
        );
    }

    #[test]
    fn written_offset_is_kept_and_written_wall_time_recorded() {
        let (d, adj) = parse_post_date("2022-02-10 23:30:00 -0500", Shanghai).unwrap();
        assert!(adj.is_none());
        assert_eq!(d.instant.offset().local_minus_utc(), -5 * 3600);
        assert_eq!(d.written.to_string(), "2022-02-10 23:30:00");
    }

    /// (timezone, wall time, expected instant, adjusted?)
    const DST_TABLE: &[(Tz, &str, &str, bool)] = &[
        // New York springs forward 2022-03-13 02:00 -> 03:00.
        (
            New_York,
            "2022-03-13 01:59:59",
            "2022-03-13T01:59:59-05:00",
            false,
        ),
        (
            New_York,
            "2022-03-13 02:30",
            "2022-03-13T03:30:00-04:00",
            true,
        ),
        (
            New_York,
            "2022-03-13 03:00",
            "2022-03-13T03:00:00-04:00",
            false,
        ),
        // New York falls back 2022-11-06 02:00 -> 01:00: 01:30 happens twice.
        (
            New_York,
            "2022-11-06 01:30",
            "2022-11-06T01:30:00-04:00",
            true,
        ),
        (
            New_York,
            "2022-11-06 02:30",
            "2022-11-06T02:30:00-05:00",
            false,
        ),
        // London springs forward 2022-03-27 01:00 -> 02:00.
        (
            London,
            "2022-03-27 01:15",
            "2022-03-27T02:15:00+01:00",
            true,
        ),
        (
            London,
            "2022-03-27 00:59",
            "2022-03-27T00:59:00+00:00",
            false,
        ),
        // London falls back 2022-10-30 02:00 -> 01:00.
        (
            London,
            "2022-10-30 01:45",
            "2022-10-30T01:45:00+01:00",
            true,
        ),
        (
            London,
            "2022-10-30 02:00",
            "2022-10-30T02:00:00+00:00",
            false,
        ),
        (London, "2022-07-01", "2022-07-01T00:00:00+01:00", false),
        (London, "2022-01-01", "2022-01-01T00:00:00+00:00", false),
        // A written offset is never moved, even inside a gap of the site timezone.
        (
            New_York,
            "2022-03-13 02:30 -0500",
            "2022-03-13T02:30:00-05:00",
            false,
        ),
    ];

    #[test]
    fn local_mean_time_keeps_the_instant() {
        // New York in 1848 ran on local mean time, UTC-4:56:02.
        let (date, _) =
            parse_post_date("1848-05-11 05:24:09", chrono_tz::America::New_York).unwrap();
        assert_eq!(date.instant.to_rfc3339(), "1848-05-11T10:20:11+00:00");
    }

    #[test]
    fn dst_gaps_and_folds() {
        for &(tz, text, expected, adjusted) in DST_TABLE {
            let (d, adj) = parse_post_date(text, tz).unwrap();
            assert_eq!(d.instant.to_rfc3339(), expected, "{tz} {text}");
            assert_eq!(adj.is_some(), adjusted, "{tz} {text}: {adj:?}");
        }
    }

    #[test]
    fn unreadable_and_out_of_range() {
        for text in [
            "",
            "yesterday",
            "2022-13-01",
            "2022-02-32",
            "2022-02-10 25:00",
            "2022-02-10 10:00 +2500",
            "10/2022",
        ] {
            assert!(parse_post_date(text, UTC).is_err(), "{text:?} should fail");
        }
        for (text, message) in [
            ("2022-13-01", "month 13 does not exist"),
            ("2022-02-32", "February 32 does not exist"),
            ("2022-04-00", "April 0 does not exist"),
            ("2022-00-10", "month 0 does not exist"),
            (
                "11-13-2017",
                "month 13 does not exist (a date written day-month-year is read day first)",
            ),
            ("2022-02-10 25:00", "hour 25 does not exist"),
            ("2022-02-10 10:61", "minute 61 does not exist"),
        ] {
            assert_eq!(
                parse_post_date(text, UTC).unwrap_err().to_string(),
                format!("date {text:?} cannot be read: {message}"),
            );
        }
        assert_eq!(
            parse_post_date("99999-01-01", UTC).unwrap_err(),
            DateError::OutOfRange("99999-01-01".into())
        );
        assert!(matches!(
            parse_post_date("0000-01-01", UTC),
            Err(DateError::OutOfRange(_))
        ));
        for text in [
            "9999-12-31 23:59:59 -1200",
            "0001-01-01 00:00 +0100",
            "Fri, 31 Dec 9999 23:00:00 -0500",
        ] {
            assert!(
                matches!(parse_post_date(text, UTC), Err(DateError::OutOfRange(_))),
                "{text}"
            );
        }
        assert!(parse_post_date("9999-12-31 23:59:59", chrono_tz::America::New_York).is_err());
        assert!(parse_post_date("9999-12-31 23:59:59 +0100", UTC).is_ok());
    }

    #[test]
    fn loose_dates_are_read_as_ruby_reads_them() {
        // Each expected instant was printed by Ruby 3.1's Time.parse (TZ=America/Los_Angeles
        // where no zone is written).
        let la = chrono_tz::America::Los_Angeles;
        for (text, expected) in [
            // The zone must follow the time: with the year between, Ruby reads local time.
            (
                "2023-01-29 18:30:22 2023 -0800",
                "2023-01-29T18:30:22-08:00",
            ),
            (
                "2023-01-29 18:30:22 2023 +0200",
                "2023-01-29T18:30:22-08:00",
            ),
            ("2017-04-01 22:15:00 sharp", "2017-04-01T22:15:00-07:00"),
            ("2016-08-25 09:50:00 (PST)", "2016-08-25T09:50:00-08:00"),
            ("2016-08-25 09:50:00 hello", "2016-08-25T09:50:00-07:00"),
            ("Posted on 2016-08-25", "2016-08-25T00:00:00-07:00"),
            ("2016-08-25 9:50pm", "2016-08-25T21:50:00-07:00"),
            ("2016-08-25 09:50:00 PST", "2016-08-25T09:50:00-08:00"),
            (
                "2016-08-25 09:50:00 +0300 CEST",
                "2016-08-25T09:50:00+03:00",
            ),
            ("2016-08-25 09:50:00 JST", "2016-08-25T09:50:00-07:00"),
            ("2022-02-30", "2022-03-02T00:00:00-08:00"),
            ("2022-04-31 10:00", "2022-05-01T10:00:00-07:00"),
            ("10/02/2022", "2022-02-10T00:00:00-08:00"),
            ("11-9-2017", "2017-09-11T00:00:00-07:00"),
            // The month by its name (`Date._parse`'s European and US orders).
            ("Fri Jul  5 09:00:00 CEST 2024", "2024-07-05T09:00:00-07:00"),
            ("July 5, 2024", "2024-07-05T00:00:00-07:00"),
            ("5 July 2024 10:30", "2024-07-05T10:30:00-07:00"),
            ("Jul 5th, 2024 9:00pm", "2024-07-05T21:00:00-07:00"),
            ("March 3 2020 15:00 +0100", "2020-03-03T15:00:00+01:00"),
        ] {
            let (date, note) = parse_post_date(text, la).unwrap();
            assert_eq!(date.instant.to_rfc3339(), expected, "{text}");
            assert!(
                note.is_some_and(|n| n.contains("not in a standard form")),
                "{text}"
            );
        }
        let (_, note) = parse_post_date("2022-02-30", la).unwrap();
        assert!(note.unwrap().contains("February 30 does not exist"));
        // The month's name is read whole: only the words left over are said to be ignored.
        let (_, note) = parse_post_date("July 5, 2024 (PST)", la).unwrap();
        assert!(note.unwrap().contains("(ignored: , (PST))"));
        let (_, note) = parse_post_date("Feb 30, 2022 10:00", la).unwrap();
        assert!(note.unwrap().contains("February 30 does not exist"));
    }

    #[test]
    fn file_stem_dates() {
        let (date, slug) = date_from_file_stem("2022-02-10-digital-economy").unwrap();
        assert_eq!(date.to_string(), "2022-02-10");
        assert_eq!(slug, "digital-economy");
        assert!(date_from_file_stem("2022-02-30-x").is_none());
        assert!(date_from_file_stem("about").is_none());
        assert!(date_from_file_stem("2022-02-10").is_none());
        let (d, _) = midnight(date, Shanghai).unwrap();
        assert_eq!(d.instant.to_rfc3339(), "2022-02-10T00:00:00+08:00");
    }
}
