"""The benchmark cannot rot: its corpus, sites and report work, and a tiny run completes.

The full benchmark (bench/README.md) is not part of the suite; this runs it at
N=2, K=1, one repetition, on the variants that need no optional package.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow  # the benchmark's own tests: not needed while editing studylog


@pytest.fixture
def bench(project_root: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.syspath_prepend(str(project_root))
    import bench.corpus
    import bench.report
    import bench.sites

    return bench


def test_corpus_is_deterministic_and_mixes_every_workload(bench) -> None:
    a = bench.corpus.make_corpus(6, 2, "tiny", seed=7)
    b = bench.corpus.make_corpus(6, 2, "tiny", seed=7)
    assert a == b
    assert bench.corpus.make_corpus(6, 2, "tiny", seed=8) != a
    assert len(a.logs) == 6 and all(len(log.snippets) == 2 for log in a.logs)
    assert {s.workload for log in a.logs for s in log.snippets} == {"mlp", "cnn", "lstm", "mha"}
    for log in a.logs:
        for snippet in log.snippets:
            compile(snippet.code, log.stem, "exec")  # every snippet is valid Python
            assert "torch.manual_seed(" in snippet.code


@pytest.mark.parametrize("size", ["tiny", "course"])
def test_sizes_differ_only_in_parameters(bench, size: str) -> None:
    corpus = bench.corpus.make_corpus(4, 1, size)
    other = bench.corpus.make_corpus(4, 1, "course" if size == "tiny" else "tiny")
    for mine, theirs in zip(corpus.logs, other.logs, strict=True):
        assert mine.snippets[0].workload == theirs.snippets[0].workload
        assert mine.snippets[0].code != theirs.snippets[0].code


def test_every_variant_renders_the_same_log(bench, tmp_path: Path) -> None:
    corpus = bench.corpus.make_corpus(3, 2, "tiny")
    log = corpus.logs[1]
    texts = {}
    for variant in bench.sites.VARIANTS:
        root = bench.sites.write_site(corpus, variant, tmp_path / variant.name)
        if variant.kind == "script":
            data = json.loads((root / "snippets.json").read_text(encoding="utf-8"))
            assert [d["codes"] for d in data] == [
                [s.code for s in lg.snippets] for lg in corpus.logs
            ]
            continue
        if variant.kind == "pages":  # written from the studylog variant's build, later
            assert not any(root.iterdir())
            continue
        assert (root / "mkdocs.yml").is_file()
        kind = "notebooks" if variant.notebooks else variant.kind
        texts[kind] = bench.sites.log_path(variant, root, log).read_text(encoding="utf-8")
    plain = texts["plain"]
    assert 'exec="on"' not in plain and "```python\n" in plain
    # Markdown variants differ from the plain page only by the fence's attributes.
    for kind in ("markdown-exec", "studylog"):
        assert texts[kind].replace(f" {bench.corpus.exec_info(log)}", "") == plain
    notebook = json.loads(texts["mkdocs-jupyter"])
    code = ["".join(c["source"]) + "\n" for c in notebook["cells"] if c["cell_type"] == "code"]
    assert code == [s.code for s in log.snippets]
    # studylog's notebook variant builds the very notebooks mkdocs-jupyter builds.
    assert texts["notebooks"] == texts["mkdocs-jupyter"]
    assert notebook["metadata"]["studylog"]["date"] == log.date.isoformat()


def test_edit_changes_one_snippet_and_restores(bench, tmp_path: Path) -> None:
    corpus = bench.corpus.make_corpus(3, 2, "tiny")
    variant = bench.sites.BY_NAME["studylog"]
    root = bench.sites.write_site(corpus, variant, tmp_path / "site")
    target = corpus.logs[corpus.edit_target()]
    path = bench.sites.log_path(variant, root, target)
    before = path.read_text(encoding="utf-8")
    bench.sites.edit_log(corpus, variant, root, "t1")
    after = path.read_text(encoding="utf-8")
    assert after != before and after.count('print("edit t1")') == 1
    bench.sites.edit_log(corpus, variant, root, None)
    assert path.read_text(encoding="utf-8") == before


def _records(walls: dict[tuple[str, str], float], self_mib: float = 80.0) -> list[dict]:
    return [
        {
            "variant": v,
            "scenario": s,
            "rep": 0,
            "ok": True,
            "wall_s": w,
            "self_mib": self_mib,
            "children_mib": None,
            "tree_mib": None,
            "detail": {},
            "error": "",
        }
        for (v, s), w in walls.items()
    ]


@pytest.mark.parametrize(
    ("studylog", "expected"),
    [
        ({"cold": 5.0, "warm": 1.1, "edit": 2.0, "serve": 1.0}, [True] * 7),
        ({"cold": 12.0, "warm": 1.3, "edit": 6.0, "serve": 9.0}, [False] * 6 + [True]),
    ],
)
def test_targets_compare_medians_from_the_same_run(bench, studylog, expected) -> None:
    walls = {("plain", "cold"): 1.0, ("one-process", "cold"): 8.0}
    walls |= {("markdown-exec", s): 10.0 for s in ("cold", "edit")}
    walls |= {("mkdocs-jupyter", "cold"): 100.0}
    walls |= {("studylog", s): w for s, w in studylog.items()}
    summary = bench.report.summarise(_records(walls))
    checks = bench.report.targets(summary, own_compute_s=0.1, default_jobs=2)
    assert [t.passed for t in checks] == expected
    memory = bench.report.targets(bench.report.summarise(_records(walls, self_mib=300.0)), 0.1, 2)[
        -1
    ]
    assert memory.passed is False and memory.measured == 300.0


def test_tiny_benchmark_runs_end_to_end(project_root: Path, tmp_path: Path) -> None:
    variants = "plain,one-process,studylog,studylog-pages,studylog-notebooks"
    result = _tiny_run(project_root, tmp_path, "--variants", variants, "--timeout", "120")
    ran = {r["variant"] for r in result["records"]}
    assert ran | set(result["skipped"]) == set(variants.split(","))
    assert {"plain", "one-process"} <= ran
    for r in result["records"]:
        assert r["ok"] and r["wall_s"] > 0 and r["self_mib"] > 0, r
    scenarios = {(r["variant"], r["scenario"]) for r in result["records"]}
    for variant in ran - {"one-process", "studylog-pages"}:
        assert {(variant, s) for s in ("cold", "warm", "edit", "serve")} <= scenarios
    # The output floor: studylog's own pages, built statically (nothing to edit there).
    assert {("studylog-pages", "cold"), ("studylog-pages", "warm")} <= scenarios
    pages_site = tmp_path / "work" / "tiny-n2-k1" / "studylog-pages"
    assert (
        "studylog"
        not in (pages_site / "mkdocs.yml")
        .read_text(encoding="utf-8")
        .split("plugins:")[1]
        .split("extra_css")[0]
    )
    assert (pages_site / "site" / "keywords" / "index.html").is_file()
    assert result["meta"]["edited_log_compute_s"] > 0
    table = (tmp_path / "results-tiny-n2-k1.md").read_text(encoding="utf-8")
    assert "| plain |" in table and "Targets" in table
    # The snippets really ran: the last build (after the edit) shows computed numbers.
    computed = re.compile(r"(MLP|CNN) after \d+ (epochs|steps): loss \d+\.\d{4}")
    for variant in ran - {"one-process"}:
        pages = "".join(
            p.read_text(encoding="utf-8")
            for p in (tmp_path / "work" / "tiny-n2-k1" / variant / "site").rglob("*.html")
        )
        assert bool(computed.search(pages)) is (variant != "plain"), variant


@pytest.mark.parametrize(
    ("walls", "name", "passed"),
    [
        ({("studylog", "serve-failing"): 1.2}, "failing 20 s session", True),
        ({("studylog", "serve-failing"): 21.0}, "failing 20 s session", False),
        ({("studylog-ray", "edit"): 7.0}, "Ray: edit", True),
        ({("studylog-ray", "edit"): 9.0}, "Ray: edit", False),
        ({("studylog@main", "cold"): 10.0}, "not slower than studylog@main", True),
        ({("studylog@main", "cold"): 9.0}, "not slower than studylog@main", False),
    ],
)
def test_the_targets_of_sessions_run_ahead_and_remembered(
    bench, walls: dict[tuple[str, str], float], name: str, passed: bool
) -> None:
    walls = {("studylog", "cold"): 10.0, ("studylog", "edit"): 6.0, **walls}
    checks = bench.report.targets(bench.report.summarise(_records(walls)), None, default_jobs=2)
    (found,) = [t for t in checks if name in t.name]
    assert found.passed is passed


@pytest.mark.parametrize(("pages", "passed"), [(1.0, True), (0.9, False)])
def test_warm_is_also_checked_against_the_output_floor(bench, pages: float, passed: bool) -> None:
    walls = {("plain", "cold"): 0.5, ("studylog", "warm"): 1.1, ("studylog-pages", "cold"): pages}
    checks = bench.report.targets(bench.report.summarise(_records(walls)), None, default_jobs=2)
    (floor,) = [t for t in checks if "output floor" in t.name]
    assert floor.passed is passed and floor.limit == round(1.15 * pages, 3)
    assert checks[0].passed is False  # against the plain floor, 1.1 > 0.575


@pytest.mark.parametrize(("j1", "passed"), [(8.0, True), (5.1, True), (4.0, False)])
def test_default_jobs_must_be_the_faster(bench, j1: float, passed: bool) -> None:
    walls = {("plain", "cold"): 1.0, ("studylog", "cold"): 5.0, ("studylog-j1", "cold"): j1}
    checks = bench.report.targets(bench.report.summarise(_records(walls)), None, default_jobs=2)
    jobs = [t for t in checks if t.name.startswith("default jobs")]
    assert len(jobs) == 1 and jobs[0].passed is passed


def test_baseline_revision_is_built_beside_the_working_tree(
    project_root: Path, tmp_path: Path
) -> None:
    """``--baseline REV`` builds the same project with the package as it was at REV."""
    if not (project_root / ".git").exists():
        pytest.skip("the benchmark's --baseline needs a git checkout of the project")
    result = _tiny_run(
        project_root,
        tmp_path,
        "--variants",
        "studylog",
        "--scenarios",
        "cold,warm",
        "--baseline",
        "HEAD",
        "--timeout",
        "120",
    )
    assert {(r["variant"], r["scenario"]) for r in result["records"]} == {
        (v, s) for v in ("studylog", "studylog@HEAD") for s in ("cold", "warm")
    }
    assert "| studylog ÷ studylog@HEAD |" in (tmp_path / "results-tiny-n2-k1.md").read_text(
        encoding="utf-8"
    )
    # The baseline's builds import the exported package, not the installed one.
    exported = tmp_path / "baseline" / "HEAD" / "plugins"
    assert (exported / "studylog" / "__init__.py").is_file()
    sys.path.insert(0, str(project_root))
    try:
        from bench.measure import _env
        from bench.sites import baseline, env
    finally:
        sys.path.remove(str(project_root))
    where = subprocess.run(
        [sys.executable, "-c", "import studylog; print(studylog.__file__)"],
        env=_env(env(baseline("HEAD", exported))),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(where).resolve().is_relative_to(exported.resolve())


@pytest.mark.parametrize(
    ("cold", "warm", "passed"), [(9.0, 1.1, [True, True]), (11.0, 1.2, [False, False])]
)
def test_notebook_targets_compare_with_mkdocs_jupyter(
    bench, cold: float, warm: float, passed: list[bool]
) -> None:
    walls = {
        ("plain", "cold"): 1.0,
        ("mkdocs-jupyter", "cold"): 100.0,
        ("mkdocs-jupyter-stored", "warm"): 1.0,
        ("studylog-notebooks", "cold"): cold,
        ("studylog-notebooks", "warm"): warm,
    }
    checks = bench.report.targets(bench.report.summarise(_records(walls)), None, default_jobs=2)
    notebooks = [t for t in checks if t.name.startswith("notebooks:")]
    assert [t.passed for t in notebooks] == passed
    assert notebooks[1].limit == 1.15


def test_ray_variant_runs_on_its_own_local_cluster(project_root: Path, tmp_path: Path) -> None:
    """The studylog-ray variant: the bench starts a two-node cluster, builds through it
    beside the local pool, reports the ratio and the Ray target, and stops the cluster."""
    pytest.importorskip("ray")
    result = _tiny_run(
        project_root,
        tmp_path,
        "--variants",
        "studylog,studylog-ray",
        "--scenarios",
        "cold",
        "--timeout",
        "240",
        timeout=600,
    )
    assert {r["variant"] for r in result["records"]} == {"studylog", "studylog-ray"}
    assert result["meta"]["ray_nodes"] and len(result["meta"]["ray_nodes"]) == 2
    table = (tmp_path / "results-tiny-n2-k1.md").read_text(encoding="utf-8")
    assert "| studylog-ray ÷ studylog |" in table
    assert "Ray: cold build ≤ 1.25 × the local pool's" in table
    site = tmp_path / "work" / "tiny-n2-k1"
    ray_pages = "".join(
        p.read_text(encoding="utf-8") for p in (site / "studylog-ray" / "site").rglob("*.html")
    )
    assert re.search(r"(MLP|CNN) after \d+ (epochs|steps): loss \d+\.\d{4}", ray_pages)
    assert "executor: ray" in (site / "studylog-ray" / "mkdocs.yml").read_text(encoding="utf-8")
    assert _cluster_processes() == []  # the bench stopped its cluster


def _cluster_processes() -> list[int]:
    """Processes of any bench/test Ray cluster (they carry its tag in their environment)."""
    mark = b"STUDYLOG_RAY_CLUSTER="
    found = []
    for entry in Path("/proc").iterdir():
        try:
            environ = (entry / "environ").read_bytes().split(b"\0")
        except OSError:
            continue
        if entry.name.isdigit() and any(v.startswith(mark) for v in environ):
            found.append(int(entry.name))
    return found


def test_gpu_check_without_a_gpu_says_so_and_exits_0(project_root: Path) -> None:
    gpu_check = _gpu_check(project_root)
    if gpu_check.cuda_available():
        pytest.skip("this machine has a CUDA GPU: the check runs for real there")
    proc = subprocess.run(
        [sys.executable, str(project_root / "bench" / "gpu_check.py")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "no CUDA GPU here" in proc.stdout


def test_gpu_check_flags_sessions_on_the_wrong_device(project_root: Path, tmp_path: Path) -> None:
    """Its checks, on a real CPU run: right when it is the cpu pass, wrong as a cuda pass."""
    gpu_check = _gpu_check(project_root)
    project = tmp_path / "p"
    (project / "logs").mkdir(parents=True)
    (project / "mkdocs.yml").write_text("site_name: t\nplugins:\n  - studylog\n", encoding="utf-8")
    (project / "logs" / "a.md").write_text(
        '# A\n\n```python exec="on"\nprint(DEVICE)\n```\n', encoding="utf-8"
    )
    (project / "logs" / "gpu-check.md").write_text(gpu_check.GPU_LOG, encoding="utf-8")
    result = gpu_check.run(project, "demo", "cpu")
    assert len(result.sessions) == 2
    assert gpu_check.check(result) == []
    as_cuda = gpu_check.Run("demo", "cuda", result.wall, result.sessions)
    problems = "\n".join(gpu_check.check(as_cuda))
    assert "logs/a.md::default: ran on 'cpu', not cuda" in problems
    assert "logs/gpu-check.md::gpu: unavailable" in problems
    assert 'the requires="cuda" session did not run on the GPU' in problems
    assert "| demo | cpu | 2 |" in gpu_check.table([result], "none")


def _gpu_check(project_root: Path):
    sys.path.insert(0, str(project_root))
    import bench.gpu_check

    return bench.gpu_check


def _tiny_run(project_root: Path, out: Path, *args: str, timeout: float = 300) -> Any:
    """``bench/run.py`` at N=2, K=1, one repetition, writing to ``out``; its JSON result."""
    proc = subprocess.run(
        [
            sys.executable,
            str(project_root / "bench" / "run.py"),
            "--n",
            "2",
            "--k",
            "1",
            "--reps",
            "1",
            "--out",
            str(out),
            "--settle",
            "0",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads((out / "results-tiny-n2-k1.json").read_text(encoding="utf-8"))


def test_scale_scenario_runs_end_to_end(project_root: Path, tmp_path: Path) -> None:
    """``bench/run.py scale`` at a dozen logs, one tiny snippet per four: both variants
    built cold and warm, an edit served, the site measured."""
    done = subprocess.run(
        [
            sys.executable,
            "bench/run.py",
            "scale",
            "--n",
            "12",
            "--snippet-every",
            "4",
            "--out",
            str(tmp_path),
            "--timeout",
            "300",
        ],
        cwd=project_root,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    rows = json.loads((tmp_path / "scale.json").read_text(encoding="utf-8"))
    assert [r["variant"] for r in rows] == ["plain", "studylog"]
    for row in rows:
        assert row["cold"] > 0 and row["warm"] > 0 and row["serve"] > 0, row
        assert row["bytes"] > 0 and 0 < row["nav_entries_max"] < 40, row
    site = tmp_path / "work" / "scale-n12-s4" / "studylog" / "site"
    page = next(site.glob("logs/*/week01/*day0001/index.html")).read_text(encoding="utf-8")
    assert "studylog-output" in page  # the snippet ran
    assert "| 12 | 3 | studylog |" in (tmp_path / "scale.md").read_text(encoding="utf-8")
