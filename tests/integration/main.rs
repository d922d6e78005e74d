//! The integration tests, built as one test binary (issue 12): each module below was once its
//! own file in `tests/` and its own binary, each linking the whole library and its
//! dependencies. `harness` holds what they share.
//!
//! `cargo test --test integration` runs them all, `cargo test --test integration cli_build::`
//! one module, `cargo test --test integration -- --list` lists them.

mod harness;

mod ci_example;
mod cli;
mod cli_build;
mod feed_rules;
mod hostile_inputs;
mod jekyll_content;
mod jekyll_differential;
mod markdown_corpus;
mod parallel_build;
mod properties;
mod regenerate;
mod third_party_feeds;
mod tricky_inputs;
mod watch;
