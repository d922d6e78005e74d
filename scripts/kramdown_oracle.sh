#!/bin/sh
# Renders every tests/fixtures/markdown/*.md the way Jekyll 4.3 does (its own kramdown
# converter with Jekyll's default configuration: GFM input, auto_ids, footnote_nr 1,
# entity_output as_char, toc_levels 1..6, smart quotes, rouge) and saves the HTML beside it
# as NAME.kramdown.html. tests/integration/markdown_corpus.rs compares frontfeed with these files, so
# the test itself needs no Ruby. Needs ruby with the jekyll (4.3), kramdown (2.4) and
# kramdown-parser-gfm gems. Usage: sh scripts/kramdown_oracle.sh [FILE.md ...]
set -eu
cd "$(dirname "$0")/.."
if [ "$#" -eq 0 ]; then
    set -- tests/fixtures/markdown/*.md
fi
for md in "$@"; do
    ruby -e '
        require "jekyll"
        config = Jekyll::Configuration::DEFAULTS.dup
        config["kramdown"] = config["kramdown"].dup
        converter = Jekyll::Converters::Markdown::KramdownParser.new(config)
        print converter.convert(File.read(ARGV[0], encoding: "UTF-8"))
    ' "$md" > "${md%.md}.kramdown.html"
done
ruby -e 'require "jekyll"; require "kramdown"; puts "jekyll #{Jekyll::VERSION}, kramdown #{Kramdown::VERSION}"'
