//! Date parsing with timezone rules: a written offset names the instant; a date without one is
//! wall-clock time in the site's IANA timezone, DST included.

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
    /// The wall-clock date and time as written, which Jekyll uses for `:year/:month/:day`.
    pub written: NaiveDateTime,
}

/// A date was read, but had to be adjusted: the warning to show.
pub type DateAdjustment = Option<String>;

/// Why a date could not be read.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum DateError {
    #[error("unreadable date {0:?}: expected e.g. `2022-02-10 17:07:04 +0800`, `2022-02-10T17:07:04Z`, `2022-02-10` or RFC 2822")]
    Unreadable(String),
    #[error("date {0:?} is out of range: years 1 to 9999 only")]
    OutOfRange(String),
    #[error("date {0:?} has an invalid offset: offsets are under 24 hours")]
    BadOffset(String),
}

/// Parses a date as posts write it, reading a date without an offset in `tz`.
pub fn parse_post_date(text: &str, tz: Tz) -> Result<(PostDate, DateAdjustment), DateError> {
    let trimmed = text.trim();
    if trimmed.starts_with(|c: char| c.is_ascii_alphabetic()) {
        // RFC 2822 starts with a weekday (or, with the weekday omitted, a digit: handled below).
        let dt = DateTime::parse_from_rfc2822(trimmed)
            .map_err(|_| DateError::Unreadable(trimmed.to_string()))?;
        check_year(dt.naive_local(), trimmed)?;
        check_year(dt.naive_utc(), trimmed)?;
        return Ok((
            PostDate {
                instant: dt,
                written: dt.naive_local(),
            },
            None,
        ));
    }
    let parsed = parse_iso_like(trimmed).or_else(|| {
        DateTime::parse_from_rfc2822(trimmed)
            .ok()
            .map(|dt| (dt.naive_local(), Some(*dt.offset())))
    });
    let Some((naive, offset)) = parsed else {
        return Err(DateError::Unreadable(trimmed.to_string()));
    };
    check_year(naive, trimmed)?;
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
                },
                adjustment,
            ))
        }
    }
}

/// A date alone (from a file name): local midnight in `tz`.
pub fn midnight(date: NaiveDate, tz: Tz) -> Result<(PostDate, DateAdjustment), DateError> {
    let naive = date.and_time(NaiveTime::MIN);
    check_year(naive, &date.to_string())?;
    let (instant, adjustment) = localize(naive, tz)?;
    check_year(instant.naive_utc(), &date.to_string())?;
    Ok((
        PostDate {
            instant,
            written: naive,
        },
        adjustment,
    ))
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
            "2022-02-30",
            "2022-02-10 25:00",
            "2022-02-10 10:00 +2500",
            "10/02/2022",
        ] {
            assert!(parse_post_date(text, UTC).is_err(), "{text:?} should fail");
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
