"""Summaries, ratios and targets of one benchmark run, as Markdown and JSON.

Every figure is a median over the repetitions, with the min-max range beside it;
ratios and targets use medians from the same run, so they compare like with like.
The page floor is the plain variant's build, the compute floor the one-process run.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

SCENARIOS: tuple[str, ...] = ("cold", "warm", "edit", "serve", "serve-failing")
DEFAULT_SCENARIOS: tuple[str, ...] = SCENARIOS[:4]  # serve-failing is asked for by name
SCENARIO_TITLES = {
    "cold": "cold build",
    "warm": "warm rebuild",
    "edit": "edit one snippet, `mkdocs build`",
    "serve": "edit one snippet, `mkdocs serve` rebuild",
    "serve-failing": "edit prose, `mkdocs serve` rebuild, a 20 s failing session elsewhere",
}
TOOLS = ("studylog", "markdown-exec", "mkdocs-jupyter")
# What studylog's notebook variant is compared with: mkdocs-jupyter executing, and not.
NOTEBOOK_TOOLS = ("mkdocs-jupyter", "mkdocs-jupyter-stored")
JOBS_NOISE = 1.05  # "the default is the faster" allows 5 % run-to-run noise


@dataclass(frozen=True)
class Stat:
    median: float
    low: float
    high: float
    n: int

    def cell(self, reps: int = 1) -> str:
        runs = f" [{self.n} run{'s' if self.n > 1 else ''}]" if self.n != reps else ""
        if self.n == 1 or self.low == self.high:
            return f"{self.median:.2f}{runs}"
        return f"{self.median:.2f} ({self.low:.2f}–{self.high:.2f}){runs}"


def stat(values: Iterable[float | None]) -> Stat | None:
    got = [v for v in values if v is not None]
    if not got:
        return None
    return Stat(statistics.median(got), min(got), max(got), len(got))


def summarise(records: list[dict[str, Any]]) -> dict[str, dict[str, dict[str, Any]]]:
    """variant -> scenario -> {wall, self_mib, children_mib, tree_mib, wait, failures}."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in records:
        groups.setdefault((r["variant"], r["scenario"]), []).append(r)
    summary: dict[str, dict[str, dict[str, Any]]] = {}
    for (variant, scenario), rs in groups.items():
        ok = [r for r in rs if r["ok"]]
        summary.setdefault(variant, {})[scenario] = {
            "wall": stat(r["wall_s"] for r in ok),
            "self_mib": stat(r["self_mib"] for r in ok),
            "children_mib": stat(r["children_mib"] for r in ok),
            "tree_mib": stat(r["tree_mib"] for r in ok),
            "wait": stat(r["detail"].get("wait_s") for r in ok),
            "first": stat(_first_rebuild(r) for r in ok),
            "failures": [r["error"] for r in rs if not r["ok"]],
        }
    return summary


def _first_rebuild(record: dict[str, Any]) -> float | None:
    rebuilds = record["detail"].get("rebuilds") or []
    return rebuilds[0]["rebuild_s"] if len(rebuilds) > 1 else None


def _median(summary: dict[str, Any], variant: str, scenario: str) -> float | None:
    s = summary.get(variant, {}).get(scenario, {}).get("wall")
    return s.median if s else None


def _peak(summary: dict[str, Any], variant: str, key: str) -> float | None:
    highs = [s[key].high for s in summary.get(variant, {}).values() if s.get(key)]
    return max(highs) if highs else None


@dataclass(frozen=True)
class Target:
    name: str
    measured: float | None
    limit: float | None
    passed: bool | None  # None: not measurable in this run
    how: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "measured": self.measured,
            "limit": self.limit,
            "passed": self.passed,
            "how": self.how,
        }


def _target(
    name: str, measured: float | None, limit: float | None, how: str, at_least: bool = False
) -> Target:
    if measured is None or limit is None:
        return Target(name, measured, limit, None, how)
    passed = measured >= limit if at_least else measured <= limit
    return Target(name, round(measured, 3), round(limit, 3), passed, how)


def targets(
    summary: dict[str, Any], own_compute_s: float | None, default_jobs: int | None
) -> list[Target]:
    m = lambda v, s: _median(summary, v, s)  # noqa: E731
    page = m("plain", "cold")
    out = []

    warm = m("studylog", "warm")
    out.append(
        _target(
            "warm rebuild ≤ 1.15 × plain build",
            warm,
            page and 1.15 * page,
            "studylog warm / plain cold",
        )
    )
    pages = m("studylog-pages", "cold")
    if pages is not None:
        out.append(
            _target(
                "(output floor) warm rebuild ≤ 1.15 × the same pages built statically",
                warm,
                1.15 * pages,
                "studylog warm / studylog-pages cold",
            )
        )
    cold, mdx = m("studylog", "cold"), m("markdown-exec", "cold")
    out.append(
        _target(
            "cold build ≤ 0.8 × markdown-exec cold",
            cold,
            mdx and 0.8 * mdx,
            "studylog cold vs 0.8 × markdown-exec cold",
        )
    )
    compute = m("one-process", "cold")
    out.append(
        _target(
            "cold build ≤ 0.9 × the compute floor (one process)",
            cold,
            compute and 0.9 * compute,
            "studylog cold vs 0.9 × one-process",
        )
    )
    for baseline in sorted(v for v in summary if v.startswith("studylog@")):
        before = m(baseline, "cold")
        out.append(
            _target(
                f"cold build not slower than {baseline}",
                cold,
                before,
                f"studylog cold vs {baseline} cold",
            )
        )
    nbs = m("mkdocs-jupyter", "cold")
    speedup = nbs / cold if nbs and cold else None
    out.append(
        _target(
            "cold build ≥ 10 × faster than mkdocs-jupyter",
            speedup,
            10.0,
            "mkdocs-jupyter cold / studylog cold",
            at_least=True,
        )
    )
    # Notebook logs: the same corpus as notebooks, studylog against mkdocs-jupyter.
    nb_cold, nb_warm = m("studylog-notebooks", "cold"), m("studylog-notebooks", "warm")
    if nb_cold is not None or nb_warm is not None:
        nb_speedup = nbs / nb_cold if nbs and nb_cold else None
        out.append(
            _target(
                "notebooks: cold build ≥ 10 × faster than mkdocs-jupyter (execute: true)",
                nb_speedup,
                10.0,
                "mkdocs-jupyter cold / studylog-notebooks cold",
                at_least=True,
            )
        )
        stored = m("mkdocs-jupyter-stored", "warm")
        out.append(
            _target(
                "notebooks: warm rebuild ≤ 1.15 × mkdocs-jupyter's with execution off",
                nb_warm,
                stored and 1.15 * stored,
                "studylog-notebooks warm / mkdocs-jupyter-stored warm",
            )
        )
    edit, mdx_edit = m("studylog", "edit"), m("markdown-exec", "edit")
    out.append(
        _target(
            "edit + `mkdocs build` ≤ 0.5 × markdown-exec",
            edit,
            mdx_edit and 0.5 * mdx_edit,
            "studylog edit vs markdown-exec edit",
        )
    )
    serve = m("studylog", "serve")
    floor = page + own_compute_s if page is not None and own_compute_s is not None else None
    out.append(
        _target(
            "edit under `mkdocs serve` ≤ 1.3 × (plain build + the log's compute)",
            serve,
            floor and 1.3 * floor,
            f"serve rebuild vs 1.3 × (plain cold + {own_compute_s or 0:.2f} s)",
        )
    )
    failing = m("studylog", "serve-failing")
    if failing is not None:
        out.append(
            _target(
                "serve: edit with a failing 20 s session elsewhere ≤ 1.5 s",
                failing,
                1.5,
                "serve-failing rebuild (s)",
            )
        )
    out.append(
        _target(
            "MkDocs process peak memory ≤ 120 MiB",
            _peak(summary, "studylog", "self_mib"),
            120.0,
            "highest RUSAGE_SELF of any studylog build (MiB)",
        )
    )
    ray = m("studylog-ray", "cold")
    if ray is not None:
        out.append(
            _target(
                "Ray: cold build ≤ 1.25 × the local pool's on one machine",
                ray,
                cold and 1.25 * cold,
                "studylog-ray cold vs 1.25 × studylog cold",
            )
        )
    ray_edit = m("studylog-ray", "edit")
    if ray_edit is not None:
        out.append(
            _target(
                "Ray: edit + `mkdocs build` ≤ 1.3 × the local pool's",
                ray_edit,
                edit and 1.3 * edit,
                "studylog-ray edit vs 1.3 × studylog edit",
            )
        )
    # On a machine whose default is 1 or 2 jobs, the default variant stands for that one.
    by_jobs = {1: m("studylog-j1", "cold"), 2: m("studylog-j2", "cold")}
    if default_jobs in by_jobs and by_jobs[default_jobs] is None:
        by_jobs[default_jobs] = cold
    j1, j2 = by_jobs[1], by_jobs[2]
    if j1 is not None and j2 is not None and cold is not None:
        out.append(
            _target(
                f"default jobs ({default_jobs}) is the faster of jobs=1/2 (cold)",
                cold,
                JOBS_NOISE * min(j1, j2),
                f"studylog cold vs {JOBS_NOISE} × min(jobs=1 {j1:.2f} s, jobs=2 {j2:.2f} s)",
            )
        )
    return out


def _fmt(value: float | None, digits: int = 2, suffix: str = "") -> str:
    return "—" if value is None else f"{value:.{digits}f}{suffix}"


def markdown(
    meta: dict[str, Any],
    summary: dict[str, Any],
    checks: list[Target],
    order: list[str],
    skipped: dict[str, str],
) -> str:
    # The default scenarios always, the others where measured.
    shown = [
        s for s in SCENARIOS if s in DEFAULT_SCENARIOS or any(s in by for by in summary.values())
    ]
    lines = [
        f"### {meta['size']} corpus: N={meta['n']} logs × K={meta['k']} snippets, "
        f"{meta['reps']} repetitions",
        "",
        f"{meta['date']}, {meta['cpus']} CPUs ({meta['cpu_model']}), Python {meta['python']}; "
        + ", ".join(f"{k} {v}" for k, v in meta["versions"].items())
        + f"; 1-minute load average {meta['load_before']} before, {meta['load_after']} after.",
        "",
        "Wall time in seconds, median (min–max):",
        "",
        "| variant | " + " | ".join(SCENARIO_TITLES[s] for s in shown) + " |",
        "| --- |" + " ---: |" * len(shown),
    ]
    for variant in order:
        cells = []
        for scenario in shown:
            s = summary.get(variant, {}).get(scenario)
            if s is None:
                cells.append("—")
            elif s["wall"] is None:
                cells.append("failed")
            else:
                cells.append(s["wall"].cell(meta["reps"]) + (" ⚠" if s["failures"] else ""))
        lines.append(f"| {variant} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "Serve: after serve is up, one snippet is edited twice (1 s apart); the table shows the "
        "second rebuild (the warm state a working session is in), timed from its `Building "
        "documentation` to its `Reloading browsers` line. First rebuild after starting serve, "
        "median: "
        + _serve_note(summary, order, "first")
        + ". Edit to reload for the second (what a user waits, 0.5 s file polling included), "
        "median: " + _serve_note(summary, order, "wait") + ".",
        "",
        "Peak memory in MiB, highest over all builds of the variant:",
        "",
        "| variant | MkDocs process (RSS) | largest child process | whole process tree |",
        "| --- | ---: | ---: | ---: |",
    ]
    for variant in order:
        if variant not in summary:
            continue
        lines.append(
            f"| {variant} | {_fmt(_peak(summary, variant, 'self_mib'), 0)} | "
            f"{_fmt(_peak(summary, variant, 'children_mib'), 0)} | "
            f"{_fmt(_peak(summary, variant, 'tree_mib'), 0)} |"
        )
    page = _median(summary, "plain", "cold")
    compute = _median(summary, "one-process", "cold")
    lines += [
        "",
        f"Ratios of medians to the page floor (plain build, {_fmt(page)} s) / the compute floor "
        f"(one process, {_fmt(compute)} s), and studylog's time as a fraction of the other "
        "tools':",
        "",
        "| variant | " + " | ".join(SCENARIO_TITLES[s] for s in shown) + " |",
        "| --- |" + " ---: |" * len(shown),
    ]
    for variant in order:
        if variant not in summary or variant in ("plain", "one-process"):
            continue
        cells = []
        for scenario in shown:
            v = _median(summary, variant, scenario)
            cells.append(
                "—"
                if v is None or not page or not compute
                else f"{v / page:.2f}× / {v / compute:.2f}×"
            )
        lines.append(f"| {variant} | " + " | ".join(cells) + " |")
    baselines = [v for v in order if v.startswith("studylog@")]  # --baseline REV
    pairs = [("studylog", other) for other in (*TOOLS[1:], "studylog-pages", *baselines)]
    pairs += [("studylog-notebooks", other) for other in NOTEBOOK_TOOLS]
    pairs += [("studylog-ray", "studylog")]
    for ours_name, other in pairs:
        if other not in summary or ours_name not in summary:
            continue
        cells = []
        for scenario in shown:
            ours, theirs = _median(summary, ours_name, scenario), _median(summary, other, scenario)
            cells.append("—" if not ours or not theirs else f"{ours / theirs:.3f}×")
        lines.append(f"| {ours_name} ÷ {other} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "Targets (studylog with its default jobs):",
        "",
        "| target | measured | limit | result |",
        "| --- | ---: | ---: | --- |",
    ]
    for t in checks:
        result = {True: "pass", False: "**missed**", None: "not measured"}[t.passed]
        lines.append(f"| {t.name} | {_fmt(t.measured)} | {_fmt(t.limit)} | {result} |")
    failures = [
        f"- {v} {s}: {e.splitlines()[0] if e else 'failed'}"
        for v, by in summary.items()
        for s, d in by.items()
        for e in d["failures"]
    ]
    if failures:
        lines += ["", "Failed measurements (⚠):", "", *failures]
    if skipped:
        lines += ["", "Skipped variants:", ""]
        lines += [f"- {v}: {why}" for v, why in skipped.items()]
    return "\n".join(lines) + "\n"


def _serve_note(summary: dict[str, Any], order: list[str], key: str) -> str:
    found = [
        f"{v} {summary[v]['serve'][key].median:.2f} s"
        for v in order
        if summary.get(v, {}).get("serve", {}).get(key)
    ]
    return ", ".join(found) or "—"


def jsonable(summary: dict[str, Any]) -> dict[str, Any]:
    def conv(v: Any) -> Any:
        if isinstance(v, Stat):
            return {"median": v.median, "min": v.low, "max": v.high, "n": v.n}
        if isinstance(v, dict):
            return {k: conv(x) for k, x in v.items()}
        if isinstance(v, list):
            return [conv(x) for x in v]
        return v

    return conv(summary)
