//! URL resolution: any value against any base path; a result is an absolute URL.
#![no_main]

use frontfeed::html;
use libfuzzer_sys::fuzz_target;
use url::Url;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (path, value) = text.split_once('\n').unwrap_or(("/blog/post.html", text));
    let Ok(base) = Url::parse("https://example.org/").and_then(|b| b.join(path)) else {
        return;
    };
    if let Some(absolute) = html::absolutize(value, &base) {
        assert!(Url::parse(&absolute).is_ok(), "{value:?} -> {absolute:?}");
        assert!(frontfeed::uri::has_scheme(&absolute), "{value:?} -> {absolute:?}");
    }
    // Read back the way browsers read a srcset: every candidate URL must be absolute, and
    // resolving again changes nothing.
    let srcset = html::resolve_srcset(value, &base);
    let other_base = Url::parse("https://other.example/x/").unwrap();
    assert_eq!(html::resolve_srcset(&srcset, &other_base), srcset, "{value:?}");
});
