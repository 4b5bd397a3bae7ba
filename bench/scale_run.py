"""The ``scale`` scenario: a long study log, studylog against plain MkDocs on the same Markdown.

    python bench/run.py scale                       # N = 500, 2,000 and 8,000 logs
    python bench/run.py scale --n 2000 --snippet-every 10

For each N (and each variant: ``plain`` is MkDocs building the very Markdown studylog
reads, with the same theme, features and extensions; ``studylog`` the same logs through
the plugin), every build in a fresh process:

* cold: site and caches removed, then ``mkdocs build``;
* warm: ``mkdocs build`` again, nothing changed;
* serve edit: ``mkdocs serve`` started (warm), the middle log's first paragraph given one
  more line, and its page fetched over HTTP every 50 ms until it holds the line: the
  seconds from the write to that response (twice; the second is the warm state a working
  session is in);
* site bytes: every file of the built site; pages; the navigation entries of each log
  page (``<li class="md-nav__item`` of the primary navigation).

Results go to ``OUT/scale.json`` and ``OUT/scale.md`` (a run adds its rows to what
earlier runs wrote, by N and variant), with the growth curve: seconds per log.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.measure import _env, _free_port, run_command
from bench.scale import ScaleLog, edited, make_logs, write_scale_site

REPO = Path(__file__).resolve().parent.parent
VARIANTS = ("plain", "studylog")
POLL_S = 0.05


def page_url(log: ScaleLog) -> str:
    """The URL path of a log's page (the same for both variants: ``logs/...``)."""
    return "logs/" + log.rel.removesuffix(".md") + "/"


def nav_entries(html: str) -> int:
    """The items of a page's primary navigation (its table of contents left out)."""
    start = html.find('class="md-nav md-nav--primary"')
    if start < 0:
        return 0
    nav = html[start:]
    end = nav.find('<div class="md-sidebar md-sidebar--secondary"')
    nav = nav[: end if end >= 0 else None]
    nav = re.sub(r'<nav class="md-nav md-nav--secondary".*?</nav>', "", nav, flags=re.S)
    return nav.count('<li class="md-nav__item')


def site_facts(site: Path) -> dict[str, Any]:
    """Bytes, pages and the navigation entries of log pages of a built site."""
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    pages = list(site.rglob("index.html"))
    logs = [p for p in pages if p.relative_to(site).parts[:1] == ("logs",)]
    entries = [nav_entries(p.read_text("utf-8")) for p in logs]
    return {
        "bytes": total,
        "pages": len(pages),
        "log_page_bytes_median": statistics.median(p.stat().st_size for p in logs) if logs else 0,
        "nav_entries_max": max(entries, default=0),
        "nav_entries_median": statistics.median(entries) if entries else 0,
    }


def serve_edit(
    root: Path, target: Path, url_path: str, tags: list[str], timeout: float
) -> list[float]:
    """``mkdocs serve`` on ``root``: for each tag, the seconds from writing the edit of
    ``target`` to the first response for ``url_path`` that holds it."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=root,
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    original = target.read_text("utf-8")
    waits: list[float] = []
    try:
        _until(lambda: _get(base + url_path) is not None, timeout)
        time.sleep(2.0)  # the watcher takes its first snapshot; a worker may start
        for tag in tags:
            line = f"편집 {tag} 줄을 더했다."
            start = time.perf_counter()
            target.write_text(edited(original, tag), "utf-8")
            _until(lambda line=line: line in (_get(base + url_path) or ""), timeout)
            waits.append(time.perf_counter() - start)
            time.sleep(1.5)  # a second rebuild MkDocs may start for the same change
    finally:
        target.write_text(original, "utf-8")
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    return waits


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return str(response.read().decode("utf-8", "replace"))
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _until(ok: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not ok():
        if time.monotonic() > deadline:
            raise TimeoutError(f"not within {timeout:.0f} s")
        time.sleep(POLL_S)


def run_one(
    n: int, snippet_every: int, variant: str, work: Path, timeout: float, scenarios: list[str]
) -> dict[str, Any]:
    """Every scenario of one N and one variant."""
    logs = make_logs(n, snippet_every)
    root = work / variant
    paths = write_scale_site(root, REPO, logs, variant)
    row: dict[str, Any] = {"n": n, "snippet_every": snippet_every, "variant": variant}
    for scenario in ("cold", "warm"):
        if scenario == "cold":
            for cache in ("site", ".studylog-cache"):
                shutil.rmtree(root / cache, ignore_errors=True)
        m = run_command("mkdocs", ["build", "-f", "mkdocs.yml"], root, timeout)
        row[scenario] = round(m.wall_s, 3) if m.ok else None
        row[f"{scenario}_mib"] = m.self_mib
        if not m.ok:
            row["error"] = m.error
            return row
        _say(f"  {variant:<9} n={n:<5} {scenario:<5} {m.wall_s:7.2f} s")
    row.update(site_facts(root / "site"))
    if "serve" in scenarios:
        middle = len(logs) // 2
        try:
            waits = serve_edit(root, paths[middle], page_url(logs[middle]), ["a", "b"], timeout)
            row["serve_first"], row["serve"] = (round(w, 3) for w in waits)
            _say(f"  {variant:<9} n={n:<5} serve {waits[-1]:7.2f} s (first {waits[0]:.2f} s)")
        except TimeoutError as exc:
            row["serve"] = None
            row["error"] = f"serve: {exc}"
    return row


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def markdown(rows: list[dict[str, Any]]) -> str:
    """The scale tables: every measurement, then the growth curve (seconds per log)."""

    def cell(value: object, form: str = "{:.2f}") -> str:
        return "—" if value is None else form.format(value)

    out = [
        "| logs | snippets | variant | cold (s) | warm (s) | serve edit (s) | site (MB) | "
        "pages | nav entries per log page (max) |",
        "| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        snippets = r["n"] // r["snippet_every"] if r["snippet_every"] else 0
        out.append(
            f"| {r['n']:,} | {snippets} | {r['variant']} | {cell(r.get('cold'))} | "
            f"{cell(r.get('warm'))} | {cell(r.get('serve'))} | "
            f"{cell(r.get('bytes', 0) / 1e6, '{:.1f}')} | {r.get('pages', '—')} | "
            f"{r.get('nav_entries_max', '—')} |"
        )
    out += ["", "Growth (milliseconds per log, no snippets):", ""]
    out += ["| logs | variant | cold | warm |", "| ---: | --- | ---: | ---: |"]
    for r in rows:
        if r["snippet_every"] or r.get("cold") is None:
            continue
        per = [cell(r.get(k) and r[k] / r["n"] * 1000, "{:.1f}") for k in ("cold", "warm")]
        out.append(f"| {r['n']:,} | {r['variant']} | {per[0]} | {per[1]} |")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python bench/run.py scale",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--n", default="500,2000,8000", help="log counts, comma-separated")
    parser.add_argument(
        "--snippet-every", type=int, default=0, help="one tiny snippet per this many logs"
    )
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--scenarios", default="cold,warm,serve")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out")
    parser.add_argument("--timeout", type=float, default=3600)
    args = parser.parse_args(argv)
    counts = [int(n) for n in args.n.split(",") if n.strip()]
    variants = [v for v in args.variants.split(",") if v in VARIANTS]
    scenarios = args.scenarios.split(",")
    path = args.out / "scale.json"
    rows: list[dict[str, Any]] = json.loads(path.read_text("utf-8")) if path.is_file() else []
    for n in counts:
        work = args.out / "work" / f"scale-n{n}-s{args.snippet_every}"
        for variant in variants:
            row = run_one(n, args.snippet_every, variant, work, args.timeout, scenarios)
            row["date"] = time.strftime("%Y-%m-%d %H:%M %z")
            row["load"] = round(os.getloadavg()[0], 2)
            rows = [
                r
                for r in rows
                if (r["n"], r["snippet_every"], r["variant"]) != (n, args.snippet_every, variant)
            ]
            rows.append(row)
            rows.sort(key=lambda r: (r["snippet_every"], r["n"], r["variant"]))
            args.out.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(rows, indent=1, ensure_ascii=False) + "\n", "utf-8")
            (args.out / "scale.md").write_text(markdown(rows), "utf-8")
    print(markdown(rows))
    return 1 if any(r.get("error") for r in rows) else 0
