"""Korean search: studylog's word rules against a morphological analyzer (Kiwi).

    python bench/korean_search.py INDEX [--queries tests/fixtures/search/queries.yml]

INDEX is the ``search/search_index.json`` of a site built with ``korean_search: false``
(Material's index as it wrote it). For each way of treating Korean it adds the forms it
would index, runs every query the way Material's search matches it (each query term is a
prefix of an indexed token: the trailing wildcard), and reports per way:

* recall: queries that find the page they were written for;
* precision: of the pages a query returns, the share whose text holds the word the query
  means (the query list's ``word`` pattern), averaged over the queries;
* build time: the time to compute the forms of the whole index (analyzer load included).

Ways: ``off`` (Material alone), ``rules`` (studylog: query stems + index forms from
``studylog.korean``), ``kiwi`` (index forms: Kiwi's content morphemes; the query
is treated by the same rules, since no analyzer runs in the browser), ``kiwi+rules`` (both
index forms). Kiwi is optional: ``pip install kiwipiepy`` (about 110 MB with its model).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

import yaml

from studylog import korean

TAG = re.compile(r"<[^>]+>")
KIWI_CONTENT = {"NNG", "NNP", "NR", "NP", "XR", "SL", "SH", "SN", "VV", "VA", "VX", "MAG"}


def tokenizer(config: dict) -> Callable[[str], list[str]]:
    separator = re.compile(config["separator"])

    def tokens(text: str) -> list[str]:
        return [t.lower() for t in separator.split(TAG.sub(" ", text)) if t]

    return tokens


def page_of(location: str) -> str:
    return location.split("#", 1)[0]


def kiwi_forms(kiwi: object, text: str) -> set[str]:
    out: set[str] = set()
    for token in kiwi.tokenize(TAG.sub(" ", text)):  # type: ignore[attr-defined]
        if token.tag in KIWI_CONTENT or token.tag.startswith("VV") or token.tag.startswith("VA"):
            out.add(token.form.lower())
    return out


def build(docs: list[dict], config: dict, way: str) -> tuple[dict[str, set[str]], float]:
    """page -> every token a query can reach on it, and the seconds the forms took."""
    tokens = tokenizer(config)
    separator = re.compile(config["separator"])
    started = time.perf_counter()
    kiwi = None
    if way.startswith("kiwi"):
        from kiwipiepy import Kiwi

        kiwi = Kiwi()
    index: dict[str, set[str]] = {}
    for doc in docs:
        text = doc.get("title", "") + "\n" + doc.get("text", "")
        bucket = index.setdefault(page_of(doc["location"]), set())
        bucket.update(tokens(text))
        if way in ("rules", "kiwi+rules"):
            bucket.update(korean.page_forms(text, separator))
        if kiwi is not None:
            bucket.update(kiwi_forms(kiwi, text))
    return index, time.perf_counter() - started


def query_terms(query: str, way: str, separator: re.Pattern[str]) -> list[str]:
    """The terms lunr gets: Material splits the query at white space (and lunr at ``-``)."""
    if way != "off":
        query = korean.expand_query(query, separator)
    return [w.lower() for w in re.split(r"[\s\-]+", query) if w]


def search(index: dict[str, set[str]], terms: list[str]) -> set[str]:
    return {
        page for page, toks in index.items() if any(t.startswith(q) for q in terms for t in toks)
    }


def evaluate(index_path: Path, queries_path: Path, ways: list[str]) -> list[dict]:
    data = json.loads(index_path.read_text("utf-8"))
    separator = re.compile(data["config"]["separator"])
    docs = data["docs"]
    text = {}
    for doc in docs:
        text[page_of(doc["location"])] = (
            text.get(page_of(doc["location"]), "")
            + " "
            + TAG.sub(" ", doc.get("title", ""))
            + " "
            + TAG.sub(" ", doc.get("text", ""))
        ).lower()
    queries = yaml.safe_load(queries_path.read_text("utf-8"))
    rows = []
    for way in ways:
        index, seconds = build(docs, data["config"], way)
        found, precisions, misses = 0, [], []
        for q in queries:
            pages = search(index, query_terms(q["query"], way, separator))
            if q["page"] in pages:
                found += 1
            else:
                misses.append(q["query"])
            if pages:
                word = re.compile(q["word"], re.I)
                precisions.append(sum(1 for p in pages if word.search(text[p])) / len(pages))
        rows.append(
            {
                "way": way,
                "recall": found / len(queries),
                "precision": statistics.fmean(precisions) if precisions else 0.0,
                "seconds": seconds,
                "tokens": sum(len(v) for v in index.values()),
                "misses": misses,
            }
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("index", type=Path)
    parser.add_argument(
        "--queries",
        type=Path,
        default=Path(__file__).resolve().parent.parent / "tests/fixtures/search/queries.yml",
    )
    parser.add_argument("--ways", default="off,rules,kiwi,kiwi+rules")
    args = parser.parse_args(argv)
    ways = args.ways.split(",")
    try:
        import kiwipiepy  # noqa: F401
    except ImportError:
        ways = [w for w in ways if not w.startswith("kiwi")]
        print("kiwipiepy is not installed: its rows are left out", file=sys.stderr)
    rows = evaluate(args.index, args.queries, ways)
    print("| way | recall | precision | forms time | tokens | missed |")
    print("| --- | --- | --- | --- | --- | --- |")
    for r in rows:
        print(
            f"| {r['way']} | {r['recall']:.0%} | {r['precision']:.0%} | {r['seconds']:.2f} s"
            f" | {r['tokens']} | {', '.join(r['misses']) or '—'} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
