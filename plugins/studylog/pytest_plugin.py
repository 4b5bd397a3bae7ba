"""pytest glue: every executable session of a study log, and every snippet file, is a test.

Loaded through the ``pytest11`` entry point into *every* pytest run on the
machine, so it must stay cheap and harmless: importing it pulls in neither
torch nor mkdocs (the parser and executor are imported when a file is
claimed), and it claims nothing until a project names its folders::

    [tool.pytest.ini_options]
    studylog_logs = ["logs"]          # .md and .ipynb logs under these folders
    studylog_snippets = ["snippets"]  # .py files under these folders

Shape follows pytest's non-Python collection example and ``_pytest/doctest.py``:
a ``pytest.File`` per log (``logs/2022/day015.md``), a ``pytest.Item`` per
session (``logs/2022/day015.md::mlp``; a notebook's code cells are one item,
``logs/a1.ipynb::notebook``), ``repr_failure`` printing the executor's report
in log line numbers (a notebook's: cell and line), ``reportinfo`` pointing at
the log line.
One executor per pytest process (the site's, see ``executor`` in mkdocs.yml),
closed at the end; results go through the same content-addressed cache as the
site. Once collection is final (after ``-k``/``-m`` deselection), the selected
sessions are started together on it in the background, so they run side by side
while pytest reports them in order; under pytest-xdist each process runs its own
items one at a time, on its share of the cores.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from studylog.execute import Cache, Executor, Running
    from studylog.execute.results import Session, SessionResult
    from studylog.model import Problem
    from studylog.settings import Settings

MARKER = "studylog"
CUDA_MARKER = "studylog_cuda"


# --------------------------------------------------------------------------- options


def pytest_addoption(parser: pytest.Parser) -> None:
    """studylog's command-line options and ini keys."""
    from studylog.execute import executors

    group = parser.getgroup("studylog", "study log snippets")
    group.addoption(
        "--studylog-no-cache",
        action="store_true",
        default=False,
        help="run every studylog session even when the snippet cache holds its result",
    )
    group.addoption(
        "--studylog-executor",
        choices=executors.names(),
        default=None,
        help=f"where studylog sessions run ({executors.summary()}; default: the site's "
        "executor in mkdocs.yml, else local)",
    )
    for executor, option, spec in executors.options():
        key = executors.option_key(executor, option)
        group.addoption(
            f"--studylog-{key.replace('_', '-')}",
            default=None,
            dest=f"studylog_{key}",
            metavar="VALUE",
            help=f"for --studylog-executor {executor}, {spec.help}; default: the site's {key}",
        )
    parser.addini(
        "studylog_logs",
        type="args",
        default=[],
        help="folders (relative to rootdir) whose .md and .ipynb logs are collected as "
        "snippet sessions",
    )
    parser.addini(
        "studylog_snippets",
        type="args",
        default=[],
        help="folders (relative to rootdir) whose .py files are each run as a test",
    )
    parser.addini(
        "studylog_cache_dir",
        type="string",
        default="",
        help="snippet cache folder, relative to rootdir (default: the site's cache_dir in "
        "mkdocs.yml, else .studylog-cache)",
    )
    parser.addini(
        "studylog_timeout",
        type="string",
        default="",
        help="default per-block timeout in seconds (default: the site's timeout in "
        "mkdocs.yml, else 120)",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Register the markers and this run's studylog state."""
    config.addinivalue_line("markers", f"{MARKER}: a snippet session from a study log or snippets/")
    config.addinivalue_line(
        "markers", f"{CUDA_MARKER}: a studylog session that requires a CUDA device"
    )
    config.stash[_state_key] = _State(config)
    config.pluginmanager.register(_Tally(config), "studylog-tally")


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the selected sessions together, once collection is final."""
    state = session.config.stash.get(_state_key, None)
    if state is None or not state.enabled or hasattr(session.config, "workerinput"):
        return  # pytest-xdist hands items out one by one: nothing to run ahead
    specs = [
        item.spec for item in session.items if isinstance(item, SessionItem) and not item.problems
    ]
    if len(specs) > 1:
        state.run_ahead(specs)
    elif specs:
        state.check_executor()


def pytest_unconfigure(config: pytest.Config) -> None:
    """Stop what still runs and close the executor."""
    state = config.stash.get(_state_key, None)
    if state is not None:
        state.close()


# --------------------------------------------------------------------------- state


class _State:
    """Per-process settings, and the executor and cache made on first use."""

    def __init__(self, config: pytest.Config) -> None:
        root = config.rootpath
        self.root = root
        self.logs_dirs = _folders(root, config.getini("studylog_logs"))
        self.snippet_dirs = _folders(root, config.getini("studylog_snippets"))
        self.use_cache = not config.getoption("studylog_no_cache")
        # Under pytest-xdist: how many processes share the cores. Read from this process's
        # own worker input: an environment variable would also be inherited by a pytest
        # that an xdist worker starts (a test of a test suite) and wrongly shrink its pool.
        workerinput = getattr(config, "workerinput", None)
        processes = _int(str(workerinput.get("workercount", "")), 1) if workerinput else 1
        self.settings = _settings(config, processes) if self.enabled else None
        self.warnings = _config_warnings(config) if self.enabled else ()
        self._executor: Executor | None = None
        self._cache: Cache | None = None
        self._ahead: Running | None = None  # the selected sessions, started together

    @property
    def enabled(self) -> bool:
        return bool(self.logs_dirs or self.snippet_dirs)

    def runs_code_of(self, path: Path) -> bool:
        """A log whose code studylog runs (a notebook's only with execute_notebooks: run)."""
        return self.settings is None or self.settings.runs_code_of(path.name)

    @property
    def cache_dir(self) -> Path:
        assert self.settings is not None
        return self.root / self.settings.cache_dir

    @property
    def default_timeout(self) -> float:
        assert self.settings is not None
        return self.settings.timeout

    def executor(self) -> Executor:
        """The executor the settings name, made on first use."""
        if self._executor is None:
            from studylog.execute import make_executor

            assert self.settings is not None
            self._executor = make_executor(self.settings, self.root)
        return self._executor

    def check_executor(self) -> None:
        """Get the executor ready now (a Ray cluster is joined), so one that cannot run
        anything stops the run before any test."""
        from studylog.execute import ExecutorError

        if self.settings is None:
            return
        try:
            self.executor().start(0)
        except ExecutorError as exc:
            raise pytest.UsageError(f"studylog: {exc}") from None

    def cache(self) -> Cache | None:
        if not self.use_cache:
            return None
        if self._cache is None:
            from studylog.execute import Cache

            self._cache = Cache(self.cache_dir, shown_root=self.root)
        return self._cache

    @property
    def workers_started(self) -> int:
        """Workers (or actors) this process started."""
        return self._executor.workers_started if self._executor else 0

    def run_ahead(self, sessions: Sequence[Session]) -> None:
        """Start ``sessions`` on the executor in the background (cache first)."""
        from studylog.execute import ExecutorError, start

        self.check_executor()
        try:
            self._ahead = start(
                sessions, project_root=self.root, cache=self.cache(), executor=self.executor()
            )
        except ExecutorError as exc:
            raise pytest.UsageError(f"studylog: {exc}") from None

    def run(self, session: Session) -> SessionResult:
        """The result of ``session``: from the sessions run ahead, else run now."""
        from studylog.execute import run

        if self._ahead is not None:
            ahead = self._ahead.get(session.id)
            if ahead is not None:
                return ahead
        (result,) = run(
            [session], project_root=self.root, cache=self.cache(), executor=self.executor()
        )
        return result

    def close(self) -> None:
        """Stop what still runs and close the executor."""
        if self._ahead is not None and not self._ahead.done():
            self._ahead.cancel()  # -x or Ctrl+C: start nothing more, stop what still runs
            self._ahead.wait(30)
        if self._executor is not None:
            self._executor.close()
            self._executor = None


def _config_warnings(config: pytest.Config) -> tuple[str, ...]:
    """What the site's mkdocs.yml gets wrong but not fatally (a misspelled option)."""
    from studylog.project import ProjectError, find_config, load

    found = find_config(config.rootpath)
    if found is None or found.parent != config.rootpath:
        return ()
    try:
        return load(found).warnings
    except ProjectError:
        return ()


def _settings(config: pytest.Config, processes: int) -> Settings:
    """The site's settings (mkdocs.yml beside rootdir), the command line and the ini
    options overriding them; under pytest-xdist (``processes`` > 1) each process runs one
    session at a time on its share of the cores."""
    from studylog import settings as rules
    from studylog.project import ProjectError, find_config, load

    found = find_config(config.rootpath)
    try:
        site = load(found) if found is not None and found.parent == config.rootpath else None
    except ProjectError as exc:
        raise pytest.UsageError(f"studylog: {exc}") from None
    settings = site.settings if site is not None else rules.DEFAULTS
    executor = settings.executor.overridden(
        name=config.getoption("studylog_executor"), options=_executor_options(config)
    )
    if processes > 1:
        executor = executor.overridden(jobs=1, threads=max(1, (os.cpu_count() or 1) // processes))
    settings = replace(settings, executor=executor)
    cache_dir = str(config.getini("studylog_cache_dir") or "").strip()
    timeout = str(config.getini("studylog_timeout") or "").strip()
    try:
        seconds = rules.seconds(timeout) if timeout else settings.timeout
    except ValueError as exc:
        raise pytest.UsageError(
            f"studylog_timeout = {timeout!r}: {exc} (set it in [tool.pytest.ini_options], "
            'e.g. studylog_timeout = "120")'
        ) from None
    return replace(settings, cache_dir=cache_dir or settings.cache_dir, timeout=seconds)


def _executor_options(config: pytest.Config) -> dict[str, dict[str, object]]:
    """The executors' options given on the command line, checked by their executors."""
    from studylog.execute import executors

    given: dict[str, dict[str, object]] = {}
    for executor, option, spec in executors.options():
        key = executors.option_key(executor, option)
        text = config.getoption(f"studylog_{key}")
        if text is None:
            continue
        try:
            given.setdefault(executor, {})[option] = spec.check(text)
        except ValueError as exc:
            raise pytest.UsageError(f"--studylog-{key.replace('_', '-')}: {exc}") from None
    return given


_state_key = pytest.StashKey[_State]()


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text else default
    except ValueError:
        return default


def _folders(root: Path, values: Sequence[str]) -> tuple[Path, ...]:
    return tuple((root / value).resolve() for value in values if str(value).strip())


def _is_under(path: Path, folders: Sequence[Path]) -> bool:
    return any(path.is_relative_to(folder) for folder in folders)


# --------------------------------------------------------------------------- collection


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.File | None:
    """A log under ``studylog_logs`` or a snippet under ``studylog_snippets``, as a test file."""
    state = parent.config.stash.get(_state_key, None)
    if state is None or not state.enabled:
        return None
    from studylog.parse.files import SUFFIXES  # what a log file is named

    resolved = file_path.resolve()
    if (
        file_path.suffix in SUFFIXES
        and _is_under(resolved, state.logs_dirs)
        and state.runs_code_of(file_path)
    ):
        return LogFile.from_parent(parent, path=file_path)
    from studylog.execute.sessions import is_snippet_file

    if is_snippet_file(file_path.name) and _is_under(resolved, state.snippet_dirs):
        return SnippetFile.from_parent(parent, path=file_path)
    return None


class CollectProblems(Exception):
    """A log whose executable blocks cannot be turned into sessions."""


class StudylogWarning(pytest.PytestWarning):
    """A problem in a log that does not stop its sessions from running."""


class _StudylogFile(pytest.File):
    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException]) -> str:  # type: ignore[override]
        if isinstance(excinfo.value, CollectProblems):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))


class LogFile(_StudylogFile):
    """A study log: one item per executable session."""

    def collect(self) -> Iterator[SessionItem]:
        """One item per session of the log; a problem no session owns fails the file."""
        from studylog.execute import collect_sessions
        from studylog.parse import parse_file
        from studylog.parse.config import parser_config

        state = self.config.stash[_state_key]
        assert state.settings is not None
        log = parse_file(self.path, root=state.root, config=parser_config(state.settings))
        sessions, includes = collect_sessions(
            [log],
            project_root=state.root,
            default_timeout=state.default_timeout,
            include_allowed=state.settings.include_allowed,
        )
        problems = [p for snippet in log.snippets for p in snippet.problems] + includes
        for problem in problems:
            if problem.kind != "error":
                self.warn(StudylogWarning(str(problem)))
        # An error in a block's options fails that block's session; one that belongs to
        # no session (a bad exec value, a non-Python block) fails the whole file.
        owned: dict[int, list[Problem]] = {}
        stray: list[Problem] = []
        for problem in problems:
            if problem.kind != "error":
                continue
            index = next((i for i, one in enumerate(sessions) if _holds(one, problem)), None)
            if index is None:
                stray.append(problem)
            else:
                owned.setdefault(index, []).append(problem)
        if stray:
            raise CollectProblems(problems_text(stray))
        for index, session in enumerate(sessions):
            yield SessionItem.from_parent(
                self, name=session.name, spec=session, problems=tuple(owned.get(index, ()))
            )


class SnippetFile(_StudylogFile):
    """A runnable snippet file: one item that runs it top to bottom."""

    def collect(self) -> Iterator[SessionItem]:
        """The one item that runs the snippet file."""
        from studylog.execute.sessions import snippet_file_session

        state = self.config.stash[_state_key]
        rel = _relative(self.path, state.root)
        try:
            code = self.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CollectProblems(
                f"{rel}:1: cannot read the snippet ({exc}) (save it as UTF-8 text)"
            ) from None
        session = snippet_file_session(rel, code, state.default_timeout)
        yield SessionItem.from_parent(self, name=session.name, spec=session)


def _holds(session: Session, problem: Problem) -> bool:
    """The problem is about a block of ``session`` (a notebook's blocks are its cells)."""
    where = problem.cell if problem.cell is not None else problem.line
    return any(block.line == where for block in session.blocks)


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.resolve().as_posix()


# --------------------------------------------------------------------------- items


class SessionFailed(Exception):
    """A session whose outcome is a test failure; the message is the whole report."""


class SessionItem(pytest.Item):
    """One session: its blocks run in order in one namespace, through the cache."""

    # ``session`` is taken: pytest names its own Session node so.
    def __init__(self, *, spec: Session, problems: tuple[Problem, ...] = (), **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.spec = spec
        self.problems = problems
        self.add_marker(MARKER)
        if spec.requires_cuda:
            self.add_marker(CUDA_MARKER)

    def runtest(self) -> None:
        """Run the session (or take its result from the run ahead) and judge it."""
        if self.problems:
            raise SessionFailed(problems_text(self.problems))
        state = self.config.stash[_state_key]
        result = state.run(self.spec)
        self.user_properties.append(("studylog_run", _how_it_ran(result)))
        self.user_properties.append(("studylog_device", result.device))
        from studylog.verdicts import judge

        # -vv shows the frames inside torch that a failure's traceback folds otherwise.
        outcome = judge(self.spec, result, full=self.config.get_verbosity() >= 2)
        if outcome.skip:
            pytest.skip(outcome.skip)
        if outcome.failures:
            raise SessionFailed("\n\n".join(outcome.failures))

    def repr_failure(
        self,
        excinfo: pytest.ExceptionInfo[BaseException],
        style: Any = None,
    ) -> str:
        """The session's report in log line numbers, not a traceback of studylog."""
        if isinstance(excinfo.value, SessionFailed):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo, style=style))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        """Where the session is: its log and first block's line (a notebook's: none)."""
        from studylog.execute.status import block_place

        cell, first = block_place(
            self.spec.log, self.spec.blocks[0].line if self.spec.blocks else 1
        )
        # A notebook has no file line to point at: its report names the cell.
        return (
            self.path,
            None if cell is not None else first - 1,
            (f"studylog session {self.spec.id}"),
        )


def _how_it_ran(result: SessionResult) -> str:
    from studylog.execute.status import how

    return {"run": "executed", "frozen": "cached"}.get(how(result), how(result))


def problems_text(problems: Sequence[Problem]) -> str:
    """Problems, one ``path:line: message (hint)`` a line."""
    return "\n".join(str(p) for p in problems)


# --------------------------------------------------------------------------- summary


def pytest_report_header(config: pytest.Config) -> list[str] | None:
    """Which cache folder the run uses (or that it is off), and what mkdocs.yml gets wrong."""
    state = config.stash.get(_state_key, None)
    if state is None or not state.enabled:
        return None
    cache = _relative(state.cache_dir, state.root) if state.use_cache else "off"
    return [f"studylog: cache {cache}", *(f"studylog: warning: {w}" for w in state.warnings)]


class _Tally:
    """Counts executed, cached and unrun sessions from test reports.

    Counted from reports rather than items so that, under pytest-xdist, the
    controller process sees the runs of every worker.
    """

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.counts = {"executed": 0, "cached": 0, "not run": 0}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when != "call":
            return
        ran = dict(report.user_properties).get("studylog_run")
        if ran in self.counts:
            self.counts[str(ran)] += 1

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        total = sum(self.counts.values())
        if not total:
            return
        state = self.config.stash.get(_state_key, None)
        started = state.workers_started if state else 0
        unrun = self.counts["not run"]
        terminalreporter.write_sep("-", "studylog")
        terminalreporter.write_line(
            f"studylog: {total} sessions, {self.counts['executed']} executed, "
            f"{self.counts['cached']} from cache"
            + (f", {unrun} not run" if unrun else "")
            + f"; workers started in this process: {started}"
        )
        cache = state.cache() if state else None
        for problem in cache.problems if cache is not None else ():
            terminalreporter.write_line(f"studylog: warning: {problem}")
