"""Notebook pages: mkdocs-jupyter's markup for code cells, nothing executable from the notebook,
and no Jupyter kernel ever started."""

from __future__ import annotations

import base64
import html
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from notebooks import code, display, md, raw, stream, write
from studylog.execute.results import BlockResult
from studylog.render.notebook_outputs import from_result, safe_data
from studylog.render.sanitize import sanitize_cell
from test_render_security import article, executable

SVG_SCRIPT = (
    '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(\'svg-onload\')">'
    "<script>alert('svg-script')</script><circle r=\"4\"/></svg>"
)
PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n" + bytes(32)).decode("ascii")
HOSTILE_HTML = (
    "<b>bold stays</b><script>alert('html-script')</script>"
    "<img src=x onerror=\"alert('html-onerror')\"><style>body{display:none}</style>"
    '<iframe src="https://example.org"></iframe>'
    "<a href=\"javascript:alert('html-js-link')\">link stays</a>"
    "<a href=\"data:text/html,<script>alert('data-link')</script>\">data link</a>"
)
MARKERS = (
    "html-script",
    "html-onerror",
    "display:none",
    "svg-onload",
    "svg-script",
    "md-script",
    "md-onerror",
    "tag-script",
    "png-onerror",
    "js-output",
    "raw-script",
    "value-script",
    "data-link",
    "stream-script",
    "error-script",
)


def hostile(path: Path) -> Path:
    return write(
        path,
        raw("---\ntitle: hostile\ndate: 2024-03-05\n---"),
        md(
            "# hostile\n\n<script>alert('md-script')</script>\n\n"
            '<img src="a.png" onerror="alert(\'md-onerror\')"> [js](javascript:alert(1))'
        ),
        raw("<script>alert('raw-script')</script>"),
        code(
            "class Shown:\n    def _repr_html_(self):\n"
            "        return \"<i>value html</i><script>alert('value-script')</script>\"\n"
            "    def __repr__(self):\n        return \"<script>alert('value-script')</script>\"\n"
            "print(\"<script>alert('stream-script')</script>\")\nShown()"
        ),
        code(
            "raise ValueError(\"<script>alert('error-script')</script>\")",
            tags=("raises-exception", "\"><script>alert('tag-script')</script>"),
        ),
        code(
            "never run",
            tags=("skip-execution",),
            count=4,
            outputs=[
                stream("<script>alert('stream-script')</script>\n"),
                display({"text/html": HOSTILE_HTML, "text/plain": "plain"}),
                display({"image/svg+xml": SVG_SCRIPT}),
                display({"image/png": "AAAA\" onerror=\"alert('png-onerror')"}),
                display({"image/png": PNG}),
                display({"application/javascript": "alert('js-output')", "text/plain": "js plain"}),
                display({"text/markdown": "**md output** <script>alert('md-script')</script>"}),
                {
                    "output_type": "error",
                    "ename": "<script>alert('error-script')</script>",
                    "evalue": "bad",
                    "traceback": ["\x1b[31m<script>alert('error-script')</script>"],
                },
            ],
        ),
        widgets={"application/vnd.jupyter.widget-state+json": {"state": {}}},
    )


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("hostile") / "project"
    (project / "docs").mkdir(parents=True)
    (project / "docs" / "index.md").write_text("# Home\n", "utf-8")
    hostile(project / "logs" / "2024-03-05-hostile.ipynb")
    (project / "mkdocs.yml").write_text(
        "site_name: hostile\ntheme:\n  name: material\nplugins:\n  - search\n  - studylog:\n"
        "      logs_dir: logs\n      cache_dir: .studylog-cache\n",
        "utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return project / "site"


def test_nothing_executable_from_a_notebook_reaches_its_page(hostile_site: Path) -> None:
    page = (hostile_site / "logs" / "2024-03-05-hostile" / "index.html").read_text("utf-8")
    body = article(page)
    # Images inlined by the notebook stay, only as base64 PNG/JPEG/GIF/SVG on <img src>.
    found = [
        f
        for f in executable(body)
        if not re.fullmatch(r"<img src=data:image/(png|svg\+xml);base64,[\w+/=]+>", f)
    ]
    assert found == []
    text = html.unescape(re.sub(r"<[^>]+>", " ", body))
    for marker in MARKERS:
        # What shows as text is escaped code or output, never markup.
        assert f"<script>alert('{marker}')" not in re.sub(r"<pre.*?</pre>", "", body, flags=re.S)
    assert "<b>bold stays</b>" in body and ">link stays</a>" in body
    assert "<i>value html</i>" in body and "<strong>md output</strong>" in body
    assert 'src="data:image/png;base64,' + PNG + '"' in body
    svg = re.search(r'src="data:image/svg\+xml;base64,([\w+/=]+)"', body)
    assert svg and base64.b64decode(svg.group(1)).decode() == SVG_SCRIPT  # shown as an image
    assert "js plain" in text  # JavaScript output: its text form only
    assert "<style" not in body and "widget-state" not in page


def test_nothing_executable_reaches_the_search_index(hostile_site: Path) -> None:
    index = json.loads((hostile_site / "search" / "search_index.json").read_text("utf-8"))
    entries = [d for d in index["docs"] if "hostile" in d["location"]]
    assert entries
    for entry in entries:
        assert executable(entry["text"]) == [] or all(
            f.startswith("<img src=data:image/") for f in executable(entry["text"])
        )


@pytest.mark.parametrize(
    ("value", "kept"),
    [
        (
            '<div class="jp-OutputArea-output ansi-red-fg k evil-class" onclick="x()">a</div>',
            '<div class="jp-OutputArea-output ansi-red-fg k">a</div>',
        ),
        (
            '<div data-mime-type="text/plain" data-other="1">b</div>',
            '<div data-mime-type="text/plain">b</div>',
        ),
        ('<div data-mime-type="x&quot; onclick=&quot;y">c</div>', "<div>c</div>"),
        ('<img src="data:image/png;base64,AAAA">', '<img src="data:image/png;base64,AAAA">'),
        ('<img src="data:text/html;base64,AAAA">', "<img>"),
        ('<a href="data:image/png;base64,AAAA">d</a>', "<a>d</a>"),
        ("<svg><script>alert(1)</script></svg><style>p{}</style>e", "e"),
    ],
)
def test_the_cell_allowlist(value: str, kept: str) -> None:
    assert sanitize_cell(value) == kept


@pytest.mark.parametrize(
    ("bundle", "shown"),
    [
        (
            {"text/html": "<b>x</b><script>1</script>", "text/plain": "x"},
            {"text/html": "<b>x</b>", "text/plain": "x"},
        ),
        (
            {"image/svg+xml": "<svg/>"},
            {"text/html": '<img src="data:image/svg+xml;base64,PHN2Zy8+" alt="figure">'},
        ),
        ({"image/png": "iVBO\nRw0K"}, {"image/png": "iVBORw0K"}),
        ({"image/png": 'AA" onerror="x', "text/plain": "<Figure>"}, {"text/plain": "<Figure>"}),
        ({"application/javascript": "alert(1)"}, {}),
        (
            {"text/markdown": "# Title\n\n*x*"},
            {"text/html": '<h1 id="title">Title</h1>\n\n<p><em>x</em></p>\n'},
        ),
    ],
)
def test_stored_outputs_become_safe_forms(bundle: dict[str, str], shown: dict[str, str]) -> None:
    assert safe_data(tuple(bundle.items())) == shown


def test_a_result_becomes_notebook_outputs_in_notebook_order() -> None:
    block = BlockResult(
        line=3,
        status="error-allowed",
        stdout="loss 0.5\n",
        stderr="warn\n",
        value="Text(0.5, 1.0, 'loss')",
        html=None,
        figures=("<svg/>",),
        error='Traceback (most recent call last):\n  File "logs/a.ipynb, '
        'cell 3", line 1, in <module>\nValueError: bad shape',
    )
    outputs = from_result(block, 2, lambda name: f"../assets/{name}", "logs/a.ipynb, cell 3")
    assert [o["output_type"] for o in outputs] == [
        "stream",
        "stream",
        "execute_result",
        "display_data",
        "error",
    ]
    assert outputs[2]["execution_count"] == 2
    assert outputs[3]["data"]["text/html"].startswith('<img src="../assets/')
    assert (outputs[4]["ename"], outputs[4]["evalue"]) == ("ValueError", "bad shape")


def test_no_jupyter_kernel_is_started(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A whole build in this process, with every way nbconvert could reach a kernel made to
    fail, and every process started recorded."""
    import jupyter_client
    import nbclient
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from nbconvert.preprocessors import ExecutePreprocessor

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a Jupyter kernel was asked for")

    monkeypatch.setattr(jupyter_client.KernelManager, "__init__", refuse)
    monkeypatch.setattr(jupyter_client.KernelManager, "start_kernel", refuse)
    for name in ("execute", "async_execute", "start_new_kernel", "async_start_new_kernel"):
        monkeypatch.setattr(nbclient.NotebookClient, name, refuse)
    monkeypatch.setattr(ExecutePreprocessor, "preprocess", refuse)
    started: list[str] = []
    real_popen = subprocess.Popen.__init__

    def popen(self: subprocess.Popen[bytes], args: object, *rest: object, **kw: object) -> None:
        started.append(" ".join(map(str, args)) if isinstance(args, list) else str(args))
        real_popen(self, args, *rest, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(subprocess.Popen, "__init__", popen)
    project = tmp_path / "project"
    (project / "docs").mkdir(parents=True)
    (project / "docs" / "index.md").write_text("# Home\n", "utf-8")
    write(
        project / "logs" / "2024-03-05-nb.ipynb",
        md("# nb"),
        code("print('ran by studylog', 6 * 7)"),
    )
    (project / "mkdocs.yml").write_text(
        "site_name: nokernel\nplugins:\n  - studylog:\n      logs_dir: logs\n", "utf-8"
    )
    monkeypatch.chdir(project)
    build(load_config(str(project / "mkdocs.yml")))
    page = (project / "site" / "logs" / "2024-03-05-nb" / "index.html").read_text("utf-8")
    assert "ran by studylog 42" in page and "jp-CodeCell" in page
    assert started  # studylog's worker ran the cell
    assert not [s for s in started if "kernel" in s or "jupyter" in s.split()[0]], started
    shutil.rmtree(project / ".studylog-cache", ignore_errors=True)


def test_the_notebook_stylesheet_changes_nothing_outside_notebook_cells() -> None:
    """mkdocs-jupyter's stylesheet, linked from every page of a site with notebooks, styles
    only what is inside a cell (its own pages have it alone; here it meets other pages)."""
    from studylog.render.notebook_css import stylesheet

    css = re.sub(r"/\*.*?\*/", "", stylesheet(), flags=re.S)
    selectors = [
        s.strip()
        for rule in re.findall(r"(?:^|\})([^{}@]+)\{", css)
        for s in re.split(r",(?![^(]*\))", rule)
    ]  # commas outside :is(...)
    keyframes = re.compile(r"(from|to|[\d.]+%)")
    outside = [
        s
        for s in selectors
        if not keyframes.fullmatch(s)
        and ".jupyter-wrapper" not in s
        and not s.startswith(".highlight-ipynb")
    ]
    assert outside == []
    assert '[data-md-color-scheme="slate"] .jupyter-wrapper{' in css  # the dark theme


def test_a_page_problem_names_the_cell_and_line(tmp_path: Path) -> None:
    """What the page finds (a missing image in a Markdown cell) names its cell, as the
    parser's problems do."""
    from studylog.parse import parse_file
    from studylog.render.images import ImageFolders
    from studylog.render.notebook_page import render_notebook
    from studylog.render.plan import BodyOptions, LogPage, RenderContext

    path = write(
        tmp_path / "logs" / "2024-03-05-nb.ipynb",
        md("# nb"),
        code("x = 1"),
        md("Some text.\n\n![loss curve](img/missing.png)"),
    )
    log = parse_file(path, root=tmp_path)
    folders = ImageFolders(project=tmp_path, logs=tmp_path / "logs")
    context = RenderContext(body=BodyOptions(images=folders))
    page = render_notebook(LogPage(log, "logs/2024-03-05-nb.md", context=context))
    (problem,) = page.problems
    assert str(problem).startswith(
        "logs/2024-03-05-nb.ipynb, cell 3, line 3: image img/missing.png not found"
    )
