"""The compute floor: run every snippet of the corpus in this one Python process.

No site, no isolation, no cache: each log's snippets run in order in one fresh
namespace (like a page's session), stdout captured as a tool would. The wall time
of this script (Python start and the torch import included) is what running the
code costs at the least. Per-log seconds go to ``--timings`` so the serve target
can use the edited log's own compute.

Usage: python bench/one_process.py SNIPPETS_JSON [--timings OUT_JSON]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("snippets", type=Path)
    parser.add_argument("--timings", type=Path)
    args = parser.parse_args(argv)
    logs = json.loads(args.snippets.read_text(encoding="utf-8"))
    timings: dict[str, float] = {}
    lines = 0
    # Import torch up front so it counts in the wall time but not in the first log's own time.
    import torch  # noqa: F401

    for log in logs:
        namespace: dict[str, object] = {"__name__": "__main__"}
        out = io.StringIO()
        start = time.perf_counter()
        with contextlib.redirect_stdout(out):
            for n, code in enumerate(log["codes"]):
                exec(compile(code, f"{log['name']}#{n}", "exec"), namespace)
        timings[log["name"]] = time.perf_counter() - start
        lines += out.getvalue().count("\n")
    if args.timings:
        args.timings.write_text(json.dumps(timings, indent=1), encoding="utf-8")
    print(f"ran {sum(len(log['codes']) for log in logs)} snippets, {lines} output lines")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
