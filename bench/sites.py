"""One buildable project per benchmark variant, written from the same corpus.

Every variant is a folder with its own ``mkdocs.yml`` (or, for the compute floor,
a ``snippets.json`` for ``bench/one_process.py``), built with the folder as the
working directory so each tool's cache lands inside it and a cold build only has
to remove the paths in ``Variant.caches``.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from bench.corpus import Corpus, LogSpec, exec_info, render_markdown, render_notebook

VariantKind = Literal["plain", "script", "markdown-exec", "mkdocs-jupyter", "studylog", "pages"]


@dataclass(frozen=True)
class Variant:
    name: str
    kind: VariantKind
    summary: str
    requires: tuple[str, ...] = ()  # modules that must be importable to build it
    caches: tuple[str, ...] = ()  # paths (relative to the project) a cold build starts without
    jobs: int | None = None  # studylog only; None leaves the plugin's default
    # studylog only: a folder holding another revision's ``studylog`` package (``--baseline``),
    # put first on PYTHONPATH so its build (workers included) runs that code.
    source: str | None = None
    notebooks: bool = False  # studylog only: the logs are notebooks (.ipynb) in logs/
    execute: bool = True  # mkdocs-jupyter only: its ``execute`` option
    # studylog only: sessions on the local Ray cluster the bench starts (bench/ray_cluster.py);
    # its address reaches mkdocs.yml through the environment (RAY_ADDRESS_ENV).
    ray: bool = False

    @property
    def is_floor(self) -> bool:
        return self.kind in ("plain", "script", "pages")

    def missing(self) -> list[str]:
        """Modules this variant needs that are not installed (it is skipped then)."""
        return [m for m in self.requires if not _importable(m)]


def _importable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:  # a missing parent package
        return False


STUDYLOG = ("studylog.mkdocs_plugin",)
VARIANTS: tuple[Variant, ...] = (
    Variant("plain", "plain", "the same pages, code not executed (page floor)", caches=("site",)),
    Variant("one-process", "script", "all snippets in one Python process (compute floor)"),
    Variant(
        "markdown-exec",
        "markdown-exec",
        'markdown-exec, exec="on", in the MkDocs process',
        requires=("markdown_exec",),
        caches=("site",),
    ),
    Variant(
        "mkdocs-jupyter",
        "mkdocs-jupyter",
        "mkdocs-jupyter, one notebook per log, execute: true (its cache on)",
        requires=("mkdocs_jupyter", "nbconvert", "ipykernel"),
        caches=("site", ".cache"),
    ),
    Variant(
        "mkdocs-jupyter-stored",
        "mkdocs-jupyter",
        "mkdocs-jupyter, one notebook per log, execute: false (its cache on)",
        requires=("mkdocs_jupyter", "nbconvert"),
        caches=("site", ".cache"),
        execute=False,
    ),
    Variant(
        "studylog",
        "studylog",
        "studylog, default jobs",
        requires=STUDYLOG,
        caches=("site", ".studylog-cache"),
    ),
    Variant(
        "studylog-notebooks",
        "studylog",
        "studylog, the same logs as notebooks (.ipynb) in logs/, default jobs",
        requires=(*STUDYLOG, "mkdocs_jupyter"),
        caches=("site", ".studylog-cache"),
        notebooks=True,
    ),
    Variant(
        "studylog-pages",
        "pages",
        "studylog's generated pages as static Markdown, plain MkDocs (output floor)",
        requires=STUDYLOG,
        caches=("site",),
    ),
    Variant(
        "studylog-j1",
        "studylog",
        "studylog, jobs=1",
        requires=STUDYLOG,
        caches=("site", ".studylog-cache"),
        jobs=1,
    ),
    Variant(
        "studylog-j2",
        "studylog",
        "studylog, jobs=2",
        requires=STUDYLOG,
        caches=("site", ".studylog-cache"),
        jobs=2,
    ),
    Variant(
        "studylog-ray",
        "studylog",
        "studylog, executor: ray, on a local two-node Ray cluster with the machine's CPUs "
        "split between the nodes",
        requires=(*STUDYLOG, "ray"),
        caches=("site", ".studylog-cache"),
        ray=True,
    ),
)
RAY_ADDRESS_ENV = "STUDYLOG_BENCH_RAY_ADDRESS"
BY_NAME: dict[str, Variant] = {v.name: v for v in VARIANTS}


def baseline(rev: str, source: Path) -> Variant:
    """The ``studylog`` variant run with the package exported from ``rev`` into ``source``."""
    return Variant(
        f"studylog@{rev}",
        "studylog",
        f"studylog at {rev} (baseline), default jobs",
        requires=STUDYLOG,
        caches=("site", ".studylog-cache"),
        source=str(source),
    )


def env(variant: Variant) -> dict[str, str]:
    """Environment additions for building ``variant``."""
    return {"PYTHONPATH": variant.source} if variant.source else {}


def _mkdocs_yml(corpus: Corpus, variant: Variant) -> str:
    lines = [
        f"site_name: bench {variant.name} ({corpus.size}, {len(corpus.logs)} x {corpus.k})",
        "docs_dir: docs",
        "site_dir: site",
        "theme:",
        "  name: material",
        "plugins:",
        "  - search",
    ]
    if variant.kind == "markdown-exec":
        lines += ["  - markdown-exec", "markdown_extensions:", "  - pymdownx.superfences"]
    elif variant.kind == "mkdocs-jupyter":
        lines += [
            "  - mkdocs-jupyter:",
            f"      execute: {str(variant.execute).lower()}",
            "      cache_dir: .cache/mkdocs-jupyter",
        ]
    elif variant.kind == "studylog":
        lines += [
            "  - studylog:",
            "      logs_dir: logs",
            "      cache_dir: .studylog-cache",
        ]
        if variant.jobs is not None:
            lines += [f"      jobs: {variant.jobs}"]
        if variant.ray:
            lines += ["      executor: ray", f"      ray_address: !ENV {RAY_ADDRESS_ENV}"]
    return "\n".join(lines) + "\n"


def log_path(variant: Variant, root: Path, log: LogSpec) -> Path:
    """Where ``log`` lives in the variant's project."""
    suffix = ".ipynb" if variant.kind == "mkdocs-jupyter" or variant.notebooks else ".md"
    if variant.kind == "studylog":
        return root / "logs" / f"{log.stem}{suffix}"
    return root / "docs" / "logs" / f"{log.stem}{suffix}"


def render_log(variant: Variant, log: LogSpec) -> str:
    if variant.kind == "mkdocs-jupyter" or variant.notebooks:
        return render_notebook(log)
    return render_markdown(log, "" if variant.kind == "plain" else exec_info(log))


def write_log(variant: Variant, root: Path, log: LogSpec) -> Path:
    path = log_path(variant, root, log)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_log(variant, log), encoding="utf-8")
    return path


def snippets_json(corpus: Corpus, logs: dict[int, LogSpec] | None = None) -> str:
    chosen = logs or {}
    data = [
        {"name": log.stem, "codes": [s.code for s in chosen.get(log.index, log).snippets]}
        for log in corpus.logs
    ]
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def write_site(corpus: Corpus, variant: Variant, root: Path) -> Path:
    """Write the variant's project into ``root`` (replacing what was there)."""
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    if variant.kind == "script":
        (root / "snippets.json").write_text(snippets_json(corpus), encoding="utf-8")
        return root
    if variant.kind == "pages":
        return root  # written from the studylog variant's build (bench.site_floor)
    (root / "mkdocs.yml").write_text(_mkdocs_yml(corpus, variant), encoding="utf-8")
    docs = root / "docs"
    docs.mkdir()
    (docs / "index.md").write_text(
        f"# Benchmark corpus\n\n{len(corpus.logs)} logs with {corpus.k} "
        f"{corpus.size} PyTorch snippets each ({variant.summary}).\n",
        encoding="utf-8",
    )
    for log in corpus.logs:
        write_log(variant, root, log)
    return root


def clear_caches(variant: Variant, root: Path) -> None:
    for rel in variant.caches:
        path = root / rel
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


# A log whose one block spins past its 20 s timeout: the ``serve-failing`` scenario adds it
# to a studylog variant's site (studylog only: markdown-exec has no timeout to stop it).
STUCK_LOG = "zz-stuck.md"
STUCK_TIMEOUT = 20


def add_stuck_log(root: Path) -> Path:
    """Add :data:`STUCK_LOG` to a studylog variant's logs."""
    path = root / "logs" / STUCK_LOG
    path.write_text(
        "---\ntitle: stuck\ndate: 2023-01-02\n---\n\n# Stuck\n\n"
        f'```python exec="on" session="stuck" timeout="{STUCK_TIMEOUT}"\n'
        "while True:\n    pass\n```\n",
        encoding="utf-8",
    )
    return path


def edit_prose(corpus: Corpus, variant: Variant, root: Path, tag: str) -> Path:
    """Add a line of prose (no code) to the corpus's edit target (``edit_log(..., None)``
    restores it)."""
    log = corpus.logs[corpus.edit_target()]
    path = log_path(variant, root, log)
    path.write_text(
        render_log(variant, log) + f"\nA note added while serving ({tag}).\n", encoding="utf-8"
    )
    return path


def edit_log(corpus: Corpus, variant: Variant, root: Path, tag: str | None) -> Path:
    """Change the first snippet of the corpus's edit target (``tag=None`` restores it)."""
    log = corpus.logs[corpus.edit_target()]
    if tag is not None:
        log = log.edited(tag)
    if variant.kind == "script":
        path = root / "snippets.json"
        path.write_text(snippets_json(corpus, {log.index: log}), encoding="utf-8")
        return path
    return write_log(variant, root, log)
