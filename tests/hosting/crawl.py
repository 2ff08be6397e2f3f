#!/usr/bin/env python3
"""Crawls a built sitrep site the way visitors reach it, with nothing but the standard library.

  crawl.py http URL...        Fetch every page reachable from each start URL over HTTP,
                              following every link and asset on the same server; every
                              fetch must answer 200 and every #fragment must name an id.
  crawl.py notfound URL...    Fetch each URL (missing pages at any depth): the answer must be
                              404 with the site's 404 page, whose styles are inlined or load,
                              and whose every link and asset answers 200.
  crawl.py disk DIR           Resolve every relative link of every HTML file under DIR as a
                              browser opening the files from disk would.

Prints one line per failure and a summary; exits 1 if anything failed.
"""

import os
import sys
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser

# Attributes that hold one URL, by element.
URL_ATTRIBUTES = {
    "a": ["href"],
    "area": ["href"],
    "form": ["action"],
    "link": ["href"],
    "img": ["src"],
    "script": ["src"],
    "iframe": ["src"],
    "source": ["src"],
    "video": ["src", "poster"],
    "audio": ["src"],
    "track": ["src"],
    "embed": ["src"],
    "object": ["data"],
}


class Page(HTMLParser):
    """The links, ids and inline styles of one HTML page."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.links = []  # (tag, attribute, url)
        self.ids = set()
        self.styles = []  # text of <style> elements
        self.stylesheets = []  # href of <link rel=stylesheet>
        self._in_style = False
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        for attribute in URL_ATTRIBUTES.get(tag, []):
            if attrs.get(attribute) is not None:
                self.links.append((tag, attribute, attrs[attribute].strip()))
        if tag in ("img", "source") and attrs.get("srcset"):
            for candidate in attrs["srcset"].split(","):
                if candidate.strip():
                    self.links.append((tag, "srcset", candidate.split()[0]))
        if tag == "link" and "stylesheet" in (attrs.get("rel") or "").lower().split():
            self.stylesheets.append(attrs.get("href", ""))
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)


def checkable(url):
    """Whether a link is one to follow (not mailto:, data:, javascript: …)."""
    scheme = urllib.parse.urlsplit(url).scheme
    return scheme in ("", "http", "https", "file")


class Crawl:
    def __init__(self):
        self.failures = []
        self.fetched = {}  # url without fragment -> (status, content type, body)

    def fail(self, where, link, why):
        self.failures.append(f"{where}: {link}: {why}")

    def fetch(self, url):
        if url not in self.fetched:
            try:
                with urllib.request.urlopen(url, timeout=30) as response:
                    self.fetched[url] = (
                        response.status,
                        response.headers.get_content_type(),
                        response.read(),
                    )
            except urllib.error.HTTPError as err:
                self.fetched[url] = (err.code, err.headers.get_content_type(), err.read())
            except (urllib.error.URLError, OSError) as err:
                self.fetched[url] = (0, "", str(err).encode())
        return self.fetched[url]

    def http(self, starts):
        """Breadth-first crawl of every page reachable from the start URLs."""
        origin = {urllib.parse.urlsplit(s)[:2] for s in starts}
        queue = list(starts)
        seen = set(queue)
        anchors = []  # (page, link, target url, fragment)
        pages = 0
        while queue:
            url = queue.pop(0)
            status, ctype, body = self.fetch(url)
            if status != 200:
                self.fail(url, url, f"HTTP {status}")
                continue
            if ctype != "text/html":
                continue
            pages += 1
            page = Page(body.decode("utf-8", "replace"))
            for _, _, link in page.links:
                if not link or not checkable(link):
                    continue
                target, fragment = urllib.parse.urldefrag(urllib.parse.urljoin(url, link))
                if urllib.parse.urlsplit(target)[:2] not in origin:
                    self.fail(url, link, "leaves the server under test")
                    continue
                if fragment:
                    anchors.append((url, link, target, fragment))
                if target not in seen:
                    seen.add(target)
                    queue.append(target)
        for page, link, target, fragment in anchors:
            status, ctype, body = self.fetch(target)
            if status == 200 and ctype == "text/html":
                ids = Page(body.decode("utf-8", "replace")).ids
                if urllib.parse.unquote(fragment) not in ids:
                    self.fail(page, link, f"no element with id {fragment!r}")
        return f"{pages} pages and {len(seen) - pages} other files fetched, {len(anchors)} anchors checked"

    def notfound(self, urls):
        """Each missing URL answers 404 with a styled page whose links all work there."""
        links = 0
        for url in urls:
            status, ctype, body = self.fetch(url)
            if status != 404 or ctype != "text/html":
                self.fail(url, url, f"expected the 404 page, got HTTP {status} {ctype}")
                continue
            page = Page(body.decode("utf-8", "replace"))
            styled = any(len(s.strip()) > 100 for s in page.styles)
            for href in page.stylesheets:
                s_status, s_type, s_body = self.fetch(urllib.parse.urljoin(url, href))
                styled = styled or (s_status == 200 and s_type == "text/css" and len(s_body) > 100)
            if not styled:
                self.fail(url, "(styles)", "the 404 page has no working stylesheet here")
            if not any(tag == "a" for tag, _, _ in page.links):
                self.fail(url, "(links)", "the 404 page has no links")
            for tag, _, link in page.links:
                if not link or not checkable(link) or link.startswith("#"):
                    continue
                links += 1
                target, _ = urllib.parse.urldefrag(urllib.parse.urljoin(url, link))
                status, _, _ = self.fetch(target)
                if status != 200:
                    self.fail(url, link, f"{tag} link from the 404 page answers HTTP {status}")
        return f"{len(urls)} missing URLs answered by a styled 404 page, {links} links on them fetched"

    def disk(self, folder):
        """Every relative link of every page resolves on disk, fragments included."""
        folder = os.path.abspath(folder)
        ids = {}

        def ids_of(path):
            if path not in ids:
                with open(path, encoding="utf-8", errors="replace") as f:
                    ids[path] = Page(f.read()).ids
            return ids[path]

        pages = links = 0
        for dirpath, _, names in os.walk(folder):
            for name in sorted(names):
                if not name.endswith(".html"):
                    continue
                path = os.path.join(dirpath, name)
                where = os.path.relpath(path, folder)
                base = "file://" + urllib.request.pathname2url(path)
                pages += 1
                with open(path, encoding="utf-8", errors="replace") as f:
                    page = Page(f.read())
                for _, _, link in page.links:
                    if not link or urllib.parse.urlsplit(link).scheme or link.startswith("//"):
                        continue  # absolute URLs are not resolved on disk
                    links += 1
                    if link.startswith("/"):
                        self.fail(where, link, "root-relative: resolves to the disk's root")
                        continue
                    target, fragment = urllib.parse.urldefrag(urllib.parse.urljoin(base, link))
                    file = urllib.request.url2pathname(urllib.parse.urlsplit(target).path)
                    if not (file + os.sep).startswith(folder + os.sep) and file != folder:
                        self.fail(where, link, "leads outside the site's folder")
                    elif os.path.isdir(file):
                        self.fail(where, link, "a folder: from disk, a browser shows a file listing")
                    elif not os.path.isfile(file):
                        self.fail(where, link, "no such file")
                    elif fragment and file.endswith(".html"):
                        if urllib.parse.unquote(fragment) not in ids_of(file):
                            self.fail(where, link, f"no element with id {fragment!r}")
        return f"{pages} pages read from disk, {links} relative links resolved"


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in ("http", "notfound", "disk"):
        print(__doc__, file=sys.stderr)
        return 2
    crawl = Crawl()
    mode, args = sys.argv[1], sys.argv[2:]
    summary = crawl.disk(args[0]) if mode == "disk" else getattr(crawl, mode)(args)
    for failure in crawl.failures:
        print(f"  broken: {failure}")
    print(f"  {summary}; {len(crawl.failures)} failures")
    return 1 if crawl.failures else 0


if __name__ == "__main__":
    sys.exit(main())
