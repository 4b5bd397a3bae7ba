"""What a block gives back: output, last value, figures, tables, namespaces, line numbers."""

from __future__ import annotations

import importlib.util
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from studylog.execute import LocalExecutor, SessionResult, collect_sessions, run
from studylog.model import Log
from studylog.parse.fences import make_snippet

LOG = "logs/outputs.md"
HAS_PANDAS = importlib.util.find_spec("pandas") is not None

BLOCKS = [
    # (fence line, session, code, extra attrs)
    (3, "default", "shared = 41\nprint('set')\n", {}),
    (8, "default", "shared + 1\n", {}),  # a later block of the same session sees it
    (12, "other", "'shared' in globals()\n", {}),  # another session does not
    (
        16,
        "plot",
        "import matplotlib.pyplot as plt\nplt.plot([0, 1], [1, 0])\n"
        "plt.title('loss')\nplt.figure()\nplt.bar([1], [2]);\n",
        {},
    ),
    (24, "table", "import pandas as pd\npd.DataFrame({'loss': [0.5, 0.25]})\n", {}),
    (30, "value", "t = torch.arange(3)\nt * 2\n", {}),
    (34, "quiet", "x = 5\nx;\n", {}),
    (38, "none", "print('only output')\nNone\n", {}),
    (42, "trace", "def f(n):\n    return 1 / n\n", {}),
    (47, "trace", "y = 2\nf(0)\n", {}),
    (52, "include", "", {"file": "snippets/helper.py"}),
    (55, "include", "twice(21)\n", {}),
    (
        60,
        "seeds-a",
        "import random, numpy as np\n"
        "(random.random(), float(np.random.rand()), torch.rand(1).item())\n",
        {},
    ),
    (
        65,
        "seeds-b",
        "import random, numpy as np\n"
        "(random.random(), float(np.random.rand()), torch.rand(1).item())\n",
        {},
    ),
    (70, "cwd-a", "import os\nopen('scratch.txt', 'w').write('a')\nos.getcwd()\n", {}),
    (75, "cwd-b", "import os\n(os.path.exists('scratch.txt'), os.getcwd())\n", {}),
    (80, "device", "import warnings\nwarnings.warn('careful')\nstr(DEVICE)\n", {}),
    (
        85,
        "stderr",
        "import sys\nprint('to err', file=sys.stderr)\n"
        "print('\\x1b[32mgreen\\x1b[0m 10%\\r 50%\\r100%')\n",
        {},
    ),
    (
        90,
        "plot-again",
        "import matplotlib.pyplot as plt\nplt.plot([0, 1], [1, 0])\n"
        "plt.title('loss')\nplt.figure()\nplt.bar([1], [2]);\n",
        {},
    ),
]


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, SessionResult]]:
    root = tmp_path_factory.mktemp("project")
    (root / "snippets").mkdir()
    (root / "snippets" / "helper.py").write_text(
        "def twice(v):\n    return 2 * v\n\nprint('helper loaded')\n", encoding="utf-8"
    )
    blocks = [b for b in BLOCKS if HAS_PANDAS or b[1] != "table"]
    snippets = tuple(
        make_snippet(LOG, line, code, {"exec": "on", "session": name, **attrs})
        for line, name, code, attrs in blocks
    )
    sessions, problems = collect_sessions([Log(LOG, "", 1, snippets=snippets)], project_root=root)
    assert problems == []
    with LocalExecutor(jobs=2) as executor:
        yield {r.session: r for r in run(sessions, project_root=root, executor=executor)}


def test_blocks_of_a_session_share_a_namespace(results: dict[str, SessionResult]) -> None:
    first, second = results["default"].blocks
    assert (first.stdout, first.value) == ("set\n", None)
    assert second.value == "42"


def test_sessions_do_not_see_each_other(results: dict[str, SessionResult]) -> None:
    assert results["other"].blocks[0].value == "False"


def test_figures_come_back_as_valid_svg(results: dict[str, SessionResult]) -> None:
    (block,) = results["plot"].blocks
    assert block.status == "ok" and len(block.figures) == 2
    for svg in block.figures:
        root = ET.fromstring(svg.encode("utf-8"))
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "loss" in block.figures[0] or "<path" in block.figures[0]
    assert block.value is None  # the trailing ";" hides the value, as in a notebook


def test_the_same_figure_gives_the_same_svg(results: dict[str, SessionResult]) -> None:
    """Stable ids and no date: a rerun does not change a published (or committed) figure."""
    assert results["plot-again"].blocks[0].figures == results["plot"].blocks[0].figures
    assert 'id="' in results["plot"].blocks[0].figures[0]


@pytest.mark.skipif(not HAS_PANDAS, reason="pandas is a test extra")
def test_dataframe_comes_back_as_an_html_table(results: dict[str, SessionResult]) -> None:
    (block,) = results["table"].blocks
    assert block.status == "ok", block.error
    assert block.html is not None and "<table" in block.html and "0.25" in block.html
    assert "loss" in (block.value or "")


def test_last_expression_value(results: dict[str, SessionResult]) -> None:
    assert results["value"].blocks[0].value == "tensor([0, 2, 4])"
    assert results["quiet"].blocks[0].value is None
    none = results["none"].blocks[0]
    assert (none.stdout, none.value) == ("only output\n", None)


def test_traceback_names_the_log_lines(results: dict[str, SessionResult]) -> None:
    r = results["trace"]
    assert r.status == "failed"
    error = r.blocks[1].error
    assert 'File "logs/outputs.md", line 49, in <module>' in error  # the f(0) call
    assert 'File "logs/outputs.md", line 44, in f' in error  # inside f, defined earlier
    assert "return 1 / n" in error and "ZeroDivisionError" in error


def test_file_blocks_run_the_file_and_share_the_session(results: dict[str, SessionResult]) -> None:
    included, used = results["include"].blocks
    assert included.stdout == "helper loaded\n"
    assert used.value == "42"


def test_every_session_starts_from_the_same_seeds(results: dict[str, SessionResult]) -> None:
    a, b = results["seeds-a"].blocks[0].value, results["seeds-b"].blocks[0].value
    assert a is not None and a == b


def test_each_session_has_its_own_temporary_directory(results: dict[str, SessionResult]) -> None:
    cwd_a = results["cwd-a"].blocks[0].value
    exists, cwd_b = eval(results["cwd-b"].blocks[0].value or "")  # a tuple repr
    assert exists is False and cwd_a != repr(cwd_b)
    assert not Path(cwd_b).exists()  # removed after the session


def test_device_warnings_and_duration(results: dict[str, SessionResult]) -> None:
    r = results["device"]
    (block,) = r.blocks
    assert r.device == "cpu" and block.value == "'cpu'"
    assert "logs/outputs.md:82: UserWarning: careful" in block.stderr
    assert block.duration > 0 and r.duration >= block.duration


def test_stderr_separate_and_terminal_codes_cleaned(results: dict[str, SessionResult]) -> None:
    (block,) = results["stderr"].blocks
    assert block.stderr == "to err\n"
    assert block.stdout == "100%\n"
