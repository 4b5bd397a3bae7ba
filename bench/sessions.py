"""The cost of one empty session on a warm worker, before and after a change.

    python bench/sessions.py --n 40 --reps 3 --baseline main

An empty session (one block, ``pass``) measures what isolation costs a session:
handing it to the worker, the child it runs in, its messages and its result. Each
revision runs in a process of its own (``--baseline REV`` exports that revision's
package, as ``bench/run.py`` does) with one worker, warmed by five sessions, then:

* **spaced**: N sessions 100 ms apart, each timed from the moment it is handed to the
  pool to its result: the critical path a session pays when its worker was idle
  before it (what a warm worker under ``mkdocs serve`` meets, and most sessions of a
  build whose parent is busy rendering);
* **back to back**: N sessions in a row, the wall time divided by N: what a worker
  that never waits costs per session (the fork and the teardown of each child
  included, wherever they happen).

Revisions alternate within each repetition; figures are medians over every session
of every repetition.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make ``bench`` importable
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

from bench.run import export_package

HERE = Path(__file__).resolve().parent
WORKING_TREE = str(HERE.parent / "plugins")

DRIVER = r"""
import json, sys, time
from studylog.execute.drive import on_worker
from studylog.execute.pool import Pool
from studylog.execute.results import Block, Session

n, gap = int(sys.argv[1]), float(sys.argv[2])

def session(i):
    return Session("logs/e.md", f"s{i}", (Block("logs/e.md", 1, "pass", "logs/e.md", 2),))

pool = Pool(1)
for i in range(5):
    on_worker(pool, session(i), "cpu")
spaced = []
for i in range(n):
    time.sleep(gap)
    start = time.perf_counter()
    assert on_worker(pool, session(i), "cpu").status == "ok"
    spaced.append(time.perf_counter() - start)
start = time.perf_counter()
for i in range(n):
    assert on_worker(pool, session(i), "cpu").status == "ok"
row = (time.perf_counter() - start) / n
pool.close()
print(json.dumps({"spaced": spaced, "row": row}))
"""


def measure(path: str, n: int, gap: float) -> dict[str, object]:
    """One run of the driver with the studylog package found at ``path``."""
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, str(n), str(gap)],
        env={**os.environ, "PYTHONPATH": path},
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python bench/sessions.py",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--n", type=int, default=40, help="sessions per measurement")
    parser.add_argument("--reps", type=int, default=3, help="repetitions")
    parser.add_argument("--gap", type=float, default=0.1, help="seconds between spaced sessions")
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument(
        "--baseline",
        action="append",
        default=[],
        metavar="REV",
        help="also measure studylog as it was at git revision REV",
    )
    args = parser.parse_args(argv)
    revisions = {"working tree": WORKING_TREE}
    for rev in args.baseline:
        revisions[f"studylog@{rev}"] = str(export_package(rev, args.out / "baseline" / rev))
    spaced: dict[str, list[float]] = {name: [] for name in revisions}
    row: dict[str, list[float]] = {name: [] for name in revisions}
    for rep in range(args.reps):
        for name, path in revisions.items():
            got = measure(path, args.n, args.gap)
            spaced[name] += got["spaced"]  # type: ignore[arg-type]
            row[name].append(got["row"])  # type: ignore[arg-type]
            print(f"repetition {rep + 1}: {name} done", file=sys.stderr, flush=True)
    print(
        f"Empty session on one warm worker, {args.n} sessions × {args.reps} repetitions; "
        f"1-minute load average {os.getloadavg()[0]:.2f} at the end.\n"
    )
    print("| revision | spaced 100 ms apart, median (p10–p90) | back to back, per session |")
    print("| --- | ---: | ---: |")
    for name in revisions:
        times = sorted(spaced[name])
        low, high = times[len(times) // 10], times[(9 * len(times)) // 10]
        print(
            f"| {name} | {statistics.median(times) * 1000:.1f} ms "
            f"({low * 1000:.1f}–{high * 1000:.1f}) | {statistics.median(row[name]) * 1000:.1f} ms |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
