"""Helpers shared by the benchmarks in bench/ (no Django here: tests import them directly)."""

from __future__ import annotations

import os
import re
import threading
import unicodedata
from html import unescape
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit


def server_cpu(pid: int | None) -> float:
    """CPU seconds used so far by one PostgreSQL server process (0 without one, or where /proc
    cannot show it): beside the benchmark's own CPU time, what the work costs on an idle machine."""
    if pid is None:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (p95 of 20 runs is the 19th fastest, of 5 runs the slowest)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * fraction // 1))
    return ordered[int(rank) - 1]


_PARALLEL_WORKER = re.compile(rb"postgres: (?:[^:]*: )?parallel worker for PID (\d+)")


class DatabaseCpu:
    """CPU seconds a PostgreSQL backend spends inside the block, with its parallel workers'
    (processes titled "postgres: [cluster: ]parallel worker for PID <pid>", sampled every 20 ms
    while the block runs: a worker's last 20 ms can be missed). Only on the same machine; 0 where
    /proc cannot show it.

        with DatabaseCpu(pid) as db:
            ...
        db.seconds
    """

    INTERVAL = 0.02

    def __init__(self, pid: int | None) -> None:
        self.pid = pid
        self.workers: dict[int, float] = {}
        self.seen: set[str] = set()
        self.seconds = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> DatabaseCpu:
        self._started = server_cpu(self.pid)
        if self.pid is not None:
            self.seen = set(os.listdir("/proc"))  # processes already running are not its workers
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        if self.pid is not None:
            self._stop.set()
            self._thread.join()
            self._scan()
        self.seconds = server_cpu(self.pid) - self._started + sum(self.workers.values())

    def _sample(self) -> None:
        while not self._stop.wait(self.INTERVAL):
            self._scan()

    def _scan(self) -> None:
        for worker in self.workers:
            self.workers[worker] = max(self.workers[worker], server_cpu(worker))
        entries = set(os.listdir("/proc"))
        for entry in entries - self.seen:
            if entry.isdigit():
                try:
                    title = Path(f"/proc/{entry}/cmdline").read_bytes()
                except OSError:
                    continue
                leader = _PARALLEL_WORKER.match(title)
                if leader and int(leader.group(1)) == self.pid:
                    self.workers[int(entry)] = server_cpu(int(entry))
        self.seen = entries


def percentile_of(response_times: dict, fraction: float) -> float:
    """Nearest-rank percentile of locust's response-time histogram ({ms: count}; locust rounds times
    above 100 ms to two significant digits)."""
    counts = sorted((float(ms), n) for ms, n in response_times.items())
    rank = -(-sum(n for _, n in counts) * fraction // 1)
    seen = 0
    for ms, n in counts:
        seen += n
        if seen >= rank:
            return ms
    return 0.0


def pad(text: str, width: int) -> str:
    """Left-justify to a display width: a Chinese character takes two columns in a terminal."""
    columns = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - columns)


def verdict(p95_ms: float, target_ms: float | None, status: object) -> str:
    """PASS when the page answered 200 and its p95 is within the target; a page without a target
    is only checked for its status."""
    if status != 200:
        return "FAIL"
    if target_ms is None:
        return "—"
    return "PASS" if p95_ms <= target_ms else "FAIL"


# --- Reading a list page's pagination (templates/federation/_pagination.html) ----------------------
# The benchmark finds a list's pages by following the links the page itself offers, so that it keeps
# measuring the same pages when the paging changes (numbered pages, keyset links, a "last" link).

_NAV = re.compile(r'<nav[^>]*class="[^"]*pagination[^"]*"[^>]*>(.*?)</nav>', re.S)
_LINK = re.compile(r"<a\b([^>]*)>(.*?)</a>", re.S)
_HREF = re.compile(r'href="([^"]*)"')
_REL = re.compile(r'rel="([^"]*)"')
_TAGS = re.compile(r"<[^>]+>")
_TOTAL_PAGES = re.compile(r"共\s*([\d,]+)\s*页")
_PAGE_NUMBER = re.compile(r"第\s*([\d,]+)\s*页")
LAST_WORDS = ("末页", "最后一页", "尾页")
NEXT_WORDS = ("下一页",)


def pagination_links(html: str) -> list[tuple[str, str, str]]:
    """(text, rel, href) of every link in the page's pagination nav."""
    nav = _NAV.search(html)
    if nav is None:
        return []
    links = []
    for attributes, text in _LINK.findall(nav.group(1)):
        href = _HREF.search(attributes)
        rel = _REL.search(attributes)
        if href:
            label = unescape(_TAGS.sub("", text)).strip()
            links.append((label, rel.group(1) if rel else "", unescape(href.group(1))))
    return links


def resolve(base_url: str, href: str) -> str:
    """A pagination href ("?q=x&page=2", or a path) made into a path with its query."""
    base = urlsplit(base_url)
    link = urlsplit(href)
    path = link.path or base.path
    return urlunsplit(("", "", path, link.query, ""))


def total_pages(html: str) -> int | None:
    """The page count the pagination states (「共N页」), None when it does not say."""
    nav = _NAV.search(html)
    found = _TOTAL_PAGES.search(_TAGS.sub("", nav.group(1))) if nav else None
    return int(found.group(1).replace(",", "")) if found else None


def shown_page_number(html: str) -> int | None:
    """The page number the pagination says is shown (「第N页」), None when it does not say."""
    nav = _NAV.search(html)
    found = _PAGE_NUMBER.search(_TAGS.sub("", nav.group(1))) if nav else None
    return int(found.group(1).replace(",", "")) if found else None


def with_page(url: str, href: str, number: int) -> str:
    """The URL of page `number`, made from a link to another page of the same list (the next-page
    link keeps the list's filters and the name of its page parameter)."""
    link = urlsplit(resolve(url, href))
    query = [(k, v) for k, v in parse_qsl(link.query, keep_blank_values=True)]
    names = [k for k, v in query if v.isdigit()]
    name = "page" if "page" in names or not names else names[-1]
    query = [(k, v) for k, v in query if k != name] + [(name, str(number))]
    return urlunsplit(("", "", link.path, urlencode(query), ""))


def last_page_url(url: str, html: str) -> str | None:
    """The last page of a list, from its first page: the link the pagination offers for it (rel="last"
    or 「末页」), else the page number it states as the total; None for a list of one page, or one
    whose last page its first does not lead to."""
    links = pagination_links(html)
    for text, rel, href in links:
        if "last" in rel.split() or text in LAST_WORDS:
            return resolve(url, href)
    following = [href for text, rel, href in links if "next" in rel.split() or text in NEXT_WORDS]
    pages = total_pages(html)
    if following and pages:
        return with_page(url, following[0], pages)
    return None


def next_page_url(url: str, html: str) -> str | None:
    for text, rel, href in pagination_links(html):
        if "next" in rel.split() or text in NEXT_WORDS:
            return resolve(url, href)
    return None


# --- Reading EXPLAIN output ------------------------------------------------------------------------

_INDEX_IN_PLAN = re.compile(
    r"(?:Index Scan|Index Only Scan|Bitmap Index Scan)(?: Backward)? (?:using|on) (\S+)"
)


def indexes_in_plan(plan: str) -> list[str]:
    """The indexes a PostgreSQL plan reads, in the order it names them first."""
    seen: list[str] = []
    for name in _INDEX_IN_PLAN.findall(plan):
        name = name.strip('"')
        if name not in seen:
            seen.append(name)
    return seen
