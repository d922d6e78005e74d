#!/usr/bin/env python3
"""Parses every feed under a folder with Python's feedparser (the parser behind many readers)
and fails on anything a reader would stumble over: a bozo flag, a missing id, link or date,
a relative URL in content, or an RSS feed and its Atom twin that disagree.

Usage: python3 scripts/check_feeds.py OUT_DIR [--expect IDS.json]

With --expect, IDS.json (from `cargo run --example feed_ids -- OUT_DIR`) lists the entry ids
our own round-trip parser (feed-rs) reads from each feed; feedparser must read the same
entries, in the same order.
"""
import json
import html.parser
import pathlib
import re
import sys

import feedparser

URL_ATTRS = {"href", "src", "poster", "cite", "action", "formaction", "background", "longdesc"}
ABSOLUTE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
# What the W3C validator accepts as a full URI (ids, links).
FULL_URI = re.compile(r"^[a-zA-Z][0-9a-zA-Z+.-]*:(//)?[0-9a-zA-Z;/?:@&=+$.\-_!~*'()%,#]+$")


class UrlCollector(html.parser.HTMLParser):
    """Collects the URL attributes of real tags (not of markup shown as text)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name in URL_ATTRS or (name == "data" and tag == "object"):
                self.urls.append(value)
            elif name == "srcset":
                self.urls.extend(c.split()[0] for c in value.split(",") if c.split())


def urls_in(html_text):
    collector = UrlCollector()
    collector.feed(html_text)
    collector.close()
    return collector.urls


def check(path, problems):
    feed = feedparser.parse(path.read_bytes())
    if feed.bozo:
        problems.append(f"{path}: bozo: {feed.bozo_exception!r}")
    if not feed.feed.get("title"):
        problems.append(f"{path}: feed has no title")
    ids = []
    for i, entry in enumerate(feed.entries):
        where = f"{path} entry {i + 1}"
        for field in ("id", "link", "title", "published_parsed"):
            if not entry.get(field):
                problems.append(f"{where}: no {field}")
        link = entry.get("link", "")
        if not link.startswith(("http://", "https://")):
            problems.append(f"{where}: link {link!r} is not absolute")
        # RSS guids with isPermaLink="false" may be any text; Atom ids and all links are URIs.
        fields = ("id", "link") if feed.version.startswith("atom") else ("link",)
        for field in fields:
            if entry.get(field) and not FULL_URI.match(entry[field]):
                problems.append(f"{where}: {field} {entry[field]!r} is not a plain RFC 3986 URI")
        for content in entry.get("content", []):
            for url in urls_in(content.value):
                if not ABSOLUTE.match(url.strip()):
                    problems.append(f"{where}: relative URL {url!r} in content")
        # feedparser sniffs RSS titles as HTML and may re-case a character reference that
        # stayed literal text (`&#xD800;`), so titles are compared without case.
        title = (entry.get("title") or "").lower()
        ids.append((entry.get("id"), link, title, entry.get("published_parsed")))
    if len({i[0] for i in ids}) != len(ids):
        problems.append(f"{path}: duplicate entry ids")
    return ids


def main():
    args = sys.argv[1:]
    expected = None
    if "--expect" in args:
        at = args.index("--expect")
        expected = json.loads(pathlib.Path(args[at + 1]).read_text(encoding="utf-8"))
        del args[at:at + 2]
    out = pathlib.Path(args[0] if args else "out")
    problems = []
    feeds = sorted(out.rglob("*.xml"))
    if not feeds:
        print(f"no feeds under {out}", file=sys.stderr)
        return 1
    by_dir = {}
    for path in feeds:
        by_dir.setdefault(path.parent, {})[path.name] = check(path, problems)
    for folder, formats in by_dir.items():
        rss, atom = formats.get("rss.xml"), formats.get("atom.xml")
        if rss is not None and atom is not None:
            if [e[1:] for e in rss] != [e[1:] for e in atom]:
                problems.append(f"{folder}: rss.xml and atom.xml disagree on links, titles or dates")
    if expected is not None:
        seen = {str(p.relative_to(out)): [e[0] for e in by_dir[p.parent][p.name]] for p in feeds}
        if sorted(seen) != sorted(expected):
            problems.append(f"{out}: feed-rs and feedparser were given different files")
        for name, ids in expected.items():
            if seen.get(name) != ids:
                problems.append(f"{out / name}: feedparser reads ids {seen.get(name)!r}, feed-rs {ids!r}")
    entries = sum(len(f) for d in by_dir.values() for f in d.values())
    for p in problems:
        print(p, file=sys.stderr)
    print(f"feedparser: {len(feeds)} feeds, {entries} entries checked, {len(problems)} problems")
    print(f"feeds: {len(feeds) - len({p.split(':')[0] for p in problems})} passed, "
          f"{len({p.split(':')[0] for p in problems})} failed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
