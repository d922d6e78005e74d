#!/usr/bin/env python3
"""Parses every feed under a folder with Python's feedparser (the parser behind many readers)
and fails on anything a reader would stumble over: a bozo flag, a missing id, link or date,
a relative URL in content, or an RSS feed and its Atom twin that disagree.

Usage: python3 scripts/check_feeds.py OUT_DIR
"""
import pathlib
import re
import sys

import feedparser

URL_ATTR = re.compile(r"""\b(?:href|src|poster|cite|action)\s*=\s*["']([^"']*)["']""", re.I)
ABSOLUTE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


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
        for content in entry.get("content", []):
            for url in URL_ATTR.findall(content.value):
                if not ABSOLUTE.match(url.strip()):
                    problems.append(f"{where}: relative URL {url!r} in content")
        ids.append((entry.get("id"), link, entry.get("title"), entry.get("published_parsed")))
    if len({i[0] for i in ids}) != len(ids):
        problems.append(f"{path}: duplicate entry ids")
    return ids


def main():
    out = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "out")
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
    entries = sum(len(f) for d in by_dir.values() for f in d.values())
    for p in problems:
        print(p, file=sys.stderr)
    print(f"feedparser: {len(feeds)} feeds, {entries} entries checked, {len(problems)} problems")
    print(f"feeds: {len(feeds) - len({p.split(':')[0] for p in problems})} passed, "
          f"{len({p.split(':')[0] for p in problems})} failed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
