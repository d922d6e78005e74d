//! Date parsing: any text in any of a few zones; a parsed date has a four-digit year in UTC.
#![no_main]

use chrono::Datelike;
use frontfeed::dates;
use libfuzzer_sys::fuzz_target;

const ZONES: [chrono_tz::Tz; 5] = [
    chrono_tz::UTC,
    chrono_tz::Asia::Shanghai,
    chrono_tz::America::New_York,
    chrono_tz::Europe::London,
    chrono_tz::Australia::Lord_Howe,
];

fuzz_target!(|data: &[u8]| {
    let Some((&zone, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let tz = ZONES[usize::from(zone) % ZONES.len()];
    if let Ok((date, _)) = dates::parse_post_date(text, tz) {
        let utc = date.instant.naive_utc();
        assert!((1..=9999).contains(&utc.year()), "{text:?} -> {utc}");
        assert_eq!(date.instant.offset().local_minus_utc() % 60, 0);
        let _ = frontfeed::writers::rss::rfc822(&date.instant);
    }
});
