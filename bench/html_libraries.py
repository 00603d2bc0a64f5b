"""Which HTML library reads news pages: parse time, memory, and broken markup, measured.

Each candidate reads the same real-sized page (bench/page_sample.py) with the same selectors
and returns (title, link, date, summary) per entry. Run with no argument it measures every
library, each in a fresh subprocess so one library's allocations do not count for another,
and prints one JSON line:
  ms_per_page     CPU milliseconds to parse the page and extract every entry (median of runs)
  tree_mib        resident memory the parsed tree holds (RSS before and after, fresh process)
  import_ms       wall milliseconds to import the library
  clean, broken   entries extracted from the clean page and from its broken copy (of 20)
  broken_exact    broken-copy entries whose title, link, date and summary equal the clean
                  page's: what a browser would show, not text run on from the next entry
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench.page_sample import page

ROOT = Path(__file__).resolve().parent.parent
RUNS = 30
HELD = 10  # trees held at once, so their memory stands out from the allocator's noise
Row = tuple[str, str, str, str]


def _rss_kib() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4


def _selectolax(body: bytes) -> tuple[object, list[Row]]:
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(body.decode("utf-8"))
    rows = []
    for node in tree.css("div.view-content article"):
        a, t, p = node.css_first("h2 a"), node.css_first("time"), node.css_first("p")
        rows.append((
            node.css_first("h2").text(separator=" ", strip=True) if node.css_first("h2") else "",
            (a.attributes.get("href") or "") if a else "",
            (t.attributes.get("datetime") or "") if t else "",
            p.text(separator=" ", strip=True) if p else "",
        ))  # fmt: skip
    return tree, rows


def _lxml(body: bytes) -> tuple[object, list[Row]]:
    import lxml.html
    from lxml.cssselect import CSSSelector

    tree = lxml.html.document_fromstring(body.decode("utf-8"))
    entries, h2, a, t, p = (CSSSelector(s) for s in
                            ("div.view-content article", "h2", "h2 a", "time", "p"))  # fmt: skip
    rows = []
    for node in entries(tree):
        first = [(f(node) or [None])[0] for f in (h2, a, t, p)]
        rows.append((
            " ".join(first[0].text_content().split()) if first[0] is not None else "",
            first[1].get("href", "") if first[1] is not None else "",
            first[2].get("datetime", "") if first[2] is not None else "",
            " ".join(first[3].text_content().split()) if first[3] is not None else "",
        ))  # fmt: skip
    return tree, rows


def _soup(parser: str) -> Callable[[bytes], tuple[object, list[Row]]]:
    def run(body: bytes) -> tuple[object, list[Row]]:
        from bs4 import BeautifulSoup

        tree = BeautifulSoup(body.decode("utf-8"), parser)
        rows = []
        for node in tree.select("div.view-content article"):
            h, a = node.select_one("h2"), node.select_one("h2 a")
            t, p = node.select_one("time"), node.select_one("p")
            rows.append((
                h.get_text(" ", strip=True) if h else "",
                str(a.get("href", "")) if a else "",
                str(t.get("datetime", "")) if t else "",
                p.get_text(" ", strip=True) if p else "",
            ))  # fmt: skip
        return tree, rows

    return run


LIBRARIES: dict[str, Callable[[bytes], tuple[object, list[Row]]]] = {
    "selectolax (lexbor)": _selectolax,
    "lxml + cssselect": _lxml,
    "beautifulsoup4 (html.parser)": _soup("html.parser"),
    "beautifulsoup4 (lxml)": _soup("lxml"),
}


def measure(name: str) -> dict[str, object]:
    """One library, in this (fresh) process."""
    extract = LIBRARIES[name]
    clean, broken = page(), page(broken=True)
    started = time.perf_counter()
    extract(b"<p>warm the import</p>")
    import_ms = (time.perf_counter() - started) * 1000
    before = _rss_kib()
    held = [extract(clean) for _ in range(HELD)]
    tree_mib = (_rss_kib() - before) / 1024 / HELD
    rows = held[0][1]
    del held
    times = []
    for _ in range(RUNS):
        cpu = time.process_time()
        extract(clean)
        times.append((time.process_time() - cpu) * 1000)
    _, broken_rows = extract(broken)
    return {
        "library": name,
        "ms_per_page": round(statistics.median(times), 2),
        "tree_mib": round(tree_mib, 1),
        "import_ms": round(import_ms, 1),
        "clean": len(rows),
        "broken": len(broken_rows),
        "broken_exact": sum(a == b for a, b in zip(rows, broken_rows, strict=False)),
    }


def main() -> None:
    if len(sys.argv) > 1:
        print(json.dumps(measure(sys.argv[1])))
        return
    results = []
    for name in LIBRARIES:
        out = subprocess.run(
            [sys.executable, "-m", "bench.html_libraries", name],
            check=True, capture_output=True, cwd=ROOT,
        )  # fmt: skip
        results.append(json.loads(out.stdout.decode().strip().splitlines()[-1]))
    print(json.dumps({"page_kib": len(page()) // 1024, "libraries": results}))


if __name__ == "__main__":
    main()
