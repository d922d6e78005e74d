//! Front matter splitting and parsing: any text, no panic; a split's parts come from the text.
#![no_main]

use frontfeed::front_matter::{self, FrontMatter};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = front_matter::starts_with_fence(data);
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(Some(split)) = front_matter::split(text) {
        assert!(text.contains(split.yaml));
        if let Ok(fm) = FrontMatter::parse(&split) {
            for key in ["title", "date", "categories", "tags", "permalink"] {
                let _ = fm.get_text(key);
                let _ = fm.line_of(key);
                if let Some(value) = fm.get(key) {
                    let _ = front_matter::name_list(value);
                }
            }
        }
    }
});
