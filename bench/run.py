"""Build every benchmark variant side by side and report times and memory.

    python bench/run.py --size tiny --n 60 --k 2 --reps 3
    python bench/run.py --size course --n 20 --k 2 --reps 3
    python bench/run.py scale --n 500,2000,8000     # see bench/scale_run.py

For each repetition and each variant (in turn, so slow drifts in machine load hit
all of them alike) it measures, every build in a fresh process:

* cold: the variant's caches and site removed, then ``mkdocs build``;
* warm: ``mkdocs build`` again, nothing changed;
* edit: one snippet of one log changed (the middle log's first snippet prints one
  more line), then ``mkdocs build``;
* serve: ``mkdocs serve`` started on the warm cache, the same log edited again, and
  the rebuild it logs timed; the log is restored afterwards;
* serve-failing (studylog only, asked for by name): a log whose block runs past its
  20 s timeout is added and built once, then ``mkdocs serve`` is started and a line of
  prose in another log is edited: the rebuild is timed as in ``serve``.

The compute floor (``bench/one_process.py``) runs once per repetition. Results go
to ``OUT/results-SIZE-nN-kK.json`` and ``.md`` (default OUT: bench/out/).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make ``bench`` importable
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

from bench import report
from bench.corpus import Corpus, make_corpus
from bench.measure import Measurement, run_command, run_serve
from bench.ray_cluster import LocalCluster
from bench.sites import (
    BY_NAME,
    RAY_ADDRESS_ENV,
    VARIANTS,
    Variant,
    add_stuck_log,
    baseline,
    clear_caches,
    edit_log,
    edit_prose,
    env,
    write_site,
)
from bench.workloads import SIZES

HERE = Path(__file__).resolve().parent
ONE_PROCESS = HERE / "one_process.py"
BUILD = ["build", "-f", "mkdocs.yml"]  # mkdocs arguments of every measured build
PACKAGES = (
    "mkdocs",
    "mkdocs-material",
    "studylog",
    "markdown-exec",
    "mkdocs-jupyter",
    "nbconvert",
    "ipykernel",
    "torch",
)


def _versions() -> dict[str, str]:
    found = {}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return found


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _default_jobs() -> int | None:
    """The plugin's own default for ``jobs`` (what the "studylog" variant uses)."""
    try:
        from studylog.mkdocs_plugin.config import StudylogConfig  # type: ignore[import-not-found]
    except ImportError:
        return os.cpu_count()
    default = getattr(StudylogConfig.jobs, "default", None)
    return default if isinstance(default, int) and default > 0 else os.cpu_count()


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _record(
    records: list[dict[str, Any]], variant: str, scenario: str, rep: int, m: Measurement
) -> None:
    records.append({"variant": variant, "scenario": scenario, "rep": rep, **m.as_dict()})
    mem = f", MkDocs process {m.self_mib:.0f} MiB" if m.self_mib else ""
    state = f"{m.wall_s:.2f} s{mem}" if m.ok else f"FAILED: {m.error.splitlines()[0]}"
    _log(f"  {variant:<15} {scenario:<6} {state}")


def run_variant(
    corpus: Corpus,
    variant: Variant,
    root: Path,
    rep: int,
    scenarios: list[str],
    timeout: float,
    records: list[dict[str, Any]],
    timings: list[dict[str, float]],
    cold_reps: int,
    cluster: LocalCluster | None = None,
) -> None:
    if variant.kind == "script":
        out = root / f"timings-{rep}.json"
        m = run_command(
            "script", [str(ONE_PROCESS), "snippets.json", "--timings", str(out)], root, timeout
        )
        _record(records, variant.name, "cold", rep, m)
        if m.ok:
            timings.append(json.loads(out.read_text(encoding="utf-8")))
        return
    if variant.kind == "pages":
        run_pages(corpus, variant, root, rep, scenarios, timeout, records)
        return
    extra = env(variant)
    prefix: list[str] = []
    if variant.ray and cluster is not None:
        extra = {**extra, **cluster.driver_env(), RAY_ADDRESS_ENV: cluster.address}
        prefix = cluster.prefix

    def build() -> Measurement:
        return run_command("mkdocs", BUILD, root, timeout, extra, prefix)

    if "cold" in scenarios and rep < cold_reps:
        clear_caches(variant, root)
        _record(records, variant.name, "cold", rep, build())
    else:
        # Not measured: fill the cache, or bring it back to the unedited corpus (mkdocs-jupyter
        # evicts the entry of a notebook that changed), so "warm" means nothing changed.
        build()
    if "warm" in scenarios:
        _record(records, variant.name, "warm", rep, build())
    try:
        if "edit" in scenarios:
            edit_log(corpus, variant, root, f"r{rep}-build")
            m = build()
            _record(records, variant.name, "edit", rep, m)
        if "serve" in scenarios:
            edits = [
                lambda tag=tag: edit_log(corpus, variant, root, f"r{rep}-{tag}")
                for tag in ("serve-first", "serve")
            ]
            m = run_serve(root, edits, timeout, extra, prefix)
            _record(records, variant.name, "serve", rep, m)
        if "serve-failing" in scenarios and variant.kind == "studylog":
            edit_log(corpus, variant, root, None)
            stuck = add_stuck_log(root)
            try:
                build()  # not measured: the stuck session runs once (where failures are kept)
                prose = [
                    lambda tag=tag: edit_prose(corpus, variant, root, f"r{rep}-{tag}")
                    for tag in ("failing-first", "failing")
                ]
                m = run_serve(root, prose, timeout, extra, prefix)
                _record(records, variant.name, "serve-failing", rep, m)
            finally:
                stuck.unlink(missing_ok=True)
    finally:
        edit_log(corpus, variant, root, None)


def start_cluster() -> LocalCluster:
    """The local two-node Ray cluster of the ``studylog-ray`` variant: this machine's CPUs
    split between a head node and a second node, so Ray has as many CPUs as the local pool."""
    cpus = os.cpu_count() or 2
    cluster = LocalCluster(nodes=[{"cpus": max(1, cpus // 2)}, {"cpus": max(1, cpus - cpus // 2)}])
    cluster.start()
    if cluster.note:
        _log(f"Ray cluster: {cluster.note}")
    return cluster


def run_pages(
    corpus: Corpus,
    variant: Variant,
    root: Path,
    rep: int,
    scenarios: list[str],
    timeout: float,
    records: list[dict[str, Any]],
) -> None:
    """The output floor: written (unmeasured) from the studylog variant's cached build,
    then built like the plain variant. It has no snippets to edit."""
    from bench.site_floor import write_pages_site

    source = root.parent / "studylog"
    try:
        write_pages_site(source, root, f"bench {variant.name} ({corpus.size})")
    except Exception as exc:
        error = f"cannot write the static pages from {source.name}: {exc}"
        for scenario in ("cold", "warm"):
            if scenario in scenarios:
                _record(records, variant.name, scenario, rep, Measurement(False, 0.0, error=error))
        return
    for scenario in ("cold", "warm"):
        if scenario in scenarios:
            if scenario == "cold":
                clear_caches(variant, root)
            m = run_command("mkdocs", BUILD, root, timeout)
            _record(records, variant.name, scenario, rep, m)


def export_package(rev: str, target: Path) -> Path:
    """``plugins/`` of git revision ``rev`` written to ``target``; returns the folder to put
    on PYTHONPATH (the one holding ``studylog/``)."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "archive", "--format=tar", rev, "plugins"],
        cwd=HERE.parent,
        check=True,
        capture_output=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target / "plugins"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["scale"]:  # a long study log against plain MkDocs (bench/scale_run.py)
        from bench.scale_run import main as scale

        return scale(argv[1:])
    parser = argparse.ArgumentParser(
        prog="python bench/run.py",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--size", choices=SIZES, default="tiny")
    parser.add_argument("--n", type=int, default=60, help="logs in the corpus")
    parser.add_argument("--k", type=int, default=2, help="snippets per log")
    parser.add_argument("--reps", type=int, default=3, help="repetitions")
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument(
        "--variants",
        default=",".join(v.name for v in VARIANTS),
        help="comma-separated, from: " + ", ".join(BY_NAME),
    )
    parser.add_argument(
        "--scenarios",
        default=",".join(report.DEFAULT_SCENARIOS),
        help="comma-separated, from: "
        + ", ".join(report.SCENARIOS)
        + f" (default: {', '.join(report.DEFAULT_SCENARIOS)})",
    )
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per build")
    parser.add_argument(
        "--settle", type=float, default=3.0, help="seconds to wait between variants (default 3)"
    )
    parser.add_argument(
        "--cold-reps",
        action="append",
        default=[],
        metavar="VARIANT=N",
        help="measure VARIANT's cold build in the first N repetitions only (a slow one); "
        "its other scenarios still run every repetition",
    )
    parser.add_argument(
        "--baseline",
        action="append",
        default=[],
        metavar="REV",
        help="also build with studylog as it was at git revision REV (a variant named "
        "studylog@REV, side by side with the working tree's): before/after figures in one run",
    )
    args = parser.parse_args(argv)

    names = [v.strip() for v in args.variants.split(",") if v.strip()]
    scenarios = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    unknown = [n for n in names if n not in BY_NAME] + [
        s for s in scenarios if s not in report.SCENARIOS
    ]
    if unknown or args.n < 1 or args.k < 1 or args.reps < 1:
        parser.error(
            f"unknown variant or scenario: {', '.join(unknown)}"
            if unknown
            else "--n, --k and --reps must be at least 1"
        )

    cold_reps: dict[str, int] = {}
    for item in args.cold_reps:
        name, _, count = item.partition("=")
        if name not in BY_NAME or not count.isdigit() or int(count) < 1:
            parser.error(f"--cold-reps expects VARIANT=N with N >= 1, got {item!r}")
        cold_reps[name] = int(count)

    corpus = make_corpus(args.n, args.k, args.size, args.seed)
    label = f"{args.size}-n{args.n}-k{args.k}"
    work = args.out / "work" / label
    variants = {name: BY_NAME[name] for name in names}
    for rev in args.baseline:
        try:
            variant = baseline(rev, export_package(rev, args.out / "baseline" / rev))
        except (OSError, subprocess.CalledProcessError) as exc:
            parser.error(f"--baseline {rev}: cannot export the package at that revision: {exc}")
        variants[variant.name] = variant
        names.append(variant.name)
    chosen: list[Variant] = []
    skipped: dict[str, str] = {}
    for name in names:
        variant = variants[name]
        missing = variant.missing()
        if missing:
            skipped[name] = f"not installed: {', '.join(missing)} (pip install -e '.[bench]')"
            _log(f"skipping {name}: {skipped[name]}")
            continue
        chosen.append(variant)
        write_site(corpus, variant, work / name)

    records: list[dict[str, Any]] = []
    timings: list[dict[str, float]] = []
    # Started before the first build, so every variant is timed beside its idle processes.
    cluster = start_cluster() if any(v.ray for v in chosen) else None
    load_before = os.getloadavg()
    try:
        for rep in range(args.reps):
            _log(f"repetition {rep + 1}/{args.reps} ({label})")
            for variant in chosen:
                count = cold_reps.get(variant.name, args.reps)
                root = work / variant.name
                run_variant(
                    corpus,
                    variant,
                    root,
                    rep,
                    scenarios,
                    args.timeout,
                    records,
                    timings,
                    count,
                    cluster,
                )
                # Let what the variant left behind (kernels shutting down after
                # mkdocs-jupyter's serve, workers exiting) finish before the next is timed.
                time.sleep(args.settle)
    finally:
        left = cluster.stop() if cluster else []
        if left:
            _log(f"Ray cluster: processes still there after stopping it: {left}")

    target_log = corpus.logs[corpus.edit_target()].stem
    own = [t[target_log] for t in timings if target_log in t]
    own_compute = statistics.median(own) if own else None
    summary = report.summarise(records)
    checks = report.targets(summary, own_compute, _default_jobs())
    meta = {
        "date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %z"),
        "size": args.size,
        "n": args.n,
        "k": args.k,
        "reps": args.reps,
        "seed": args.seed,
        "cpus": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "python": platform.python_version(),
        "versions": _versions(),
        "default_jobs": _default_jobs(),
        "edited_log": target_log,
        "edited_log_compute_s": own_compute,
        "cold_reps": cold_reps,
        "ray_nodes": cluster.nodes if cluster else None,
        "ray_isolated": cluster.isolated if cluster else None,
        # Other work on the machine skews every figure: the 1-minute load average at the
        # start and at the end of the run say whether it was idle.
        "load_before": round(load_before[0], 2),
        "load_after": round(os.getloadavg()[0], 2),
    }
    table = report.markdown(meta, summary, checks, [v.name for v in chosen], skipped)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"results-{label}.md").write_text(table, encoding="utf-8")
    result = {
        "meta": meta,
        "skipped": skipped,
        "records": records,
        "summary": report.jsonable(summary),
        "targets": [t.as_dict() for t in checks],
    }
    (args.out / f"results-{label}.json").write_text(
        json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(table)
    failed = [r for r in records if not r["ok"]]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
