"""The package's stages point one way, no module imports itself back, and the core
never imports the glue's frameworks, torch or Ray.

Stage order: an import may go to its own stage or an earlier one, never a later one::

    model  <  parse  <  execute  <  stats  <  render  <  glue

* model: the log model, the settings, and what every stage shares (the Korean
  rules, emoji shortcodes, the words of the site's language, "did you mean");
* stats: the aggregations the pages are rendered from (the bottom of rendering);
* render: every page and fragment studylog writes (``render/``, and what a result
  means as a test, ``verdicts``);
* glue: the MkDocs and pytest plugins, the command line, the project loader and the
  build memo. The core is handed what it needs from them, never imports them.

Every ``import`` of every module counts, at module level or inside a function
(a lazy import is still an edge), read from the source's syntax tree; importing
``a.b.c`` also runs ``a.b``'s and ``a``'s ``__init__``, so those are edges too.
"""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import studylog

PACKAGE = Path(studylog.__file__).resolve().parent

# In order; a module belongs to the stage of its longest matching prefix.
STAGES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "model",
        (
            "studylog",
            "studylog.model",
            "studylog.settings",
            "studylog.korean",
            "studylog.emoji",
            "studylog.words",
            "studylog.suggest",
        ),
    ),
    ("parse", ("studylog.parse",)),
    ("execute", ("studylog.execute",)),
    ("stats", ("studylog.stats",)),
    ("render", ("studylog.render", "studylog.verdicts")),
    (
        "glue",
        (
            "studylog.mkdocs_plugin",
            "studylog.pytest_plugin",
            "studylog.cli",
            "studylog.__main__",
            "studylog.project",
            "studylog.memo",
        ),
    ),
)
GLUE = dict(STAGES)["glue"]
# Modules that only ever run inside a worker process, where torch is the point.
WORKER_ONLY = ("studylog.execute.worker",)


def modules() -> dict[str, Path]:
    """Every module of the package by name, with its source file."""
    found = {"studylog": PACKAGE / "__init__.py"}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = modules()


def stage(module: str) -> int:
    """The index in :data:`STAGES` of the stage ``module`` belongs to."""
    best, found = -1, -1
    for index, (_name, prefixes) in enumerate(STAGES):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best:
                best, found = len(prefix), index
    if found < 0:
        raise AssertionError(f"{module} belongs to no stage: add it to STAGES")
    return found


def _module_of(name: str) -> str:
    """``name`` (a module, or a name defined in one) as the module an import runs."""
    while name not in MODULES:
        name = name.rpartition(".")[0]
    return name


def imports(module: str) -> Iterator[tuple[str, int]]:
    """Every studylog module ``module`` imports (parent packages included), with the line."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            targets = [f"{base}.{alias.name}" for alias in node.names]
        for target in targets:
            if target != "studylog" and not target.startswith("studylog."):
                continue
            name = _module_of(target)
            while name:  # the module and the packages above it, which it runs first
                if name != module and not module.startswith(name + "."):
                    yield name, node.lineno
                name = name.rpartition(".")[0]


GRAPH = {module: {name for name, _ in imports(module)} for module in MODULES}


def test_every_import_goes_to_the_same_or_an_earlier_stage() -> None:
    wrong = [
        f"{path.relative_to(PACKAGE.parent)}:{line}: {module} ({STAGES[stage(module)][0]}) "
        f"imports {name} ({STAGES[stage(name)][0]})"
        for module, path in MODULES.items()
        for name, line in imports(module)
        if stage(name) > stage(module)
    ]
    assert wrong == [], "imports against the stage order:\n" + "\n".join(sorted(set(wrong)))


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import each other, directly or through others."""
    reach: dict[str, set[str]] = {}
    for start in graph:
        seen: set[str] = set()
        todo = list(graph[start])
        while todo:
            name = todo.pop()
            if name not in seen:
                seen.add(name)
                todo.extend(graph.get(name, ()))
        reach[start] = seen
    groups = {
        tuple(sorted(m for m in graph if m in reach[start] and start in reach[m]))
        for start in graph
        if start in reach[start]
    }
    return [list(group) for group in sorted(groups)]


def test_no_module_imports_itself_back() -> None:
    found = cycles(GRAPH)
    assert found == [], "import circles (lazy imports included):\n" + "\n".join(
        " <-> ".join(group) for group in found
    )


def test_the_checks_see_what_they_are_meant_to() -> None:
    """A lazy import inside a function, a relative import and a package's ``__init__`` are
    all edges: the checks above would miss nothing of the kind."""
    assert "studylog.render.markdown" in GRAPH["studylog.render.body"]  # inside a function
    assert "studylog.render" in GRAPH["studylog.mkdocs_plugin.pipeline"]  # __init__ runs first
    assert "studylog.parse" not in GRAPH["studylog.parse.facts"]  # its own package: running
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert stage("studylog.render.site") > stage("studylog.stats") > stage("studylog.execute")


def core_modules() -> list[str]:
    names = [
        info.name
        for info in pkgutil.walk_packages(studylog.__path__, prefix="studylog.")
        if not info.name.startswith(GLUE)
    ]
    return sorted(names)


@pytest.mark.parametrize("module", core_modules())
def test_core_module_imports_no_framework(module: str) -> None:
    # Ray is an optional extra: even the Ray executor's modules import it only when used.
    forbidden = ["mkdocs", "pytest", "_pytest", "ray", *GLUE]
    if not module.startswith(WORKER_ONLY):
        forbidden.append("torch")
    code = (
        f"import sys, {module}\n"
        f"bad = [m for m in {forbidden!r} if m in sys.modules]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "", f"{module} imports {out}"


def test_pytest_plugin_import_is_cheap() -> None:
    """The pytest11 entry point is loaded into every pytest run: no torch, no mkdocs."""
    code = (
        "import sys\n"
        "import studylog.pytest_plugin\n"
        "print(','.join(m for m in ('torch', 'mkdocs', 'matplotlib') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == ""
