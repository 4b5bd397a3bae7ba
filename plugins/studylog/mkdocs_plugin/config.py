"""The ``studylog`` plugin's options, typed with MkDocs' own config option classes.

Defaults come from :data:`studylog.settings.DEFAULTS` and each value's check from
the validators in :mod:`studylog.settings`, so the plugin, the CLI and the pytest
plugin agree on both. Every option is documented in ``docs/guide.md``; options are
grouped by prefix (``logs_*`` where logs are read, pattern lists for the parser,
execution options, page options). An executor's own options are its table's
(:mod:`studylog.execute.executors`): ``ray_address`` is Ray's ``address``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from mkdocs.config import config_options as c
from mkdocs.config.base import BaseConfigOption, Config, ValidationError

from studylog import settings
from studylog.execute import executors
from studylog.settings import DEFAULTS, Settings
from studylog.suggest import did_you_mean

T = TypeVar("T")


class Checked(BaseConfigOption[T], Generic[T]):
    """An option whose value is checked by one of :mod:`studylog.settings`' validators."""

    def __init__(self, check: Callable[[object], T], default: T) -> None:
        super().__init__()
        self.check = check
        self.default = default

    def run_validation(self, value: object) -> T:
        """The checked value; a refused one is mkdocs' ``ValidationError`` with its message."""
        try:
            return self.check(value)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None


@dataclass(frozen=True)
class _Chosen:
    """The ``executor`` option's value while it is checked: the name, and the executors'
    own options given beside it."""

    name: object
    options: Mapping[str, object]


class ExecutorChoice(BaseConfigOption[str]):
    """``executor``: one of the executors studylog knows. Their own options are written
    beside it as ``<executor>_<option>`` (``ray_address``) and checked by their executor;
    they are held here while MkDocs checks the other options (it would call them
    unknown), and put back once every option is checked."""

    def __init__(self, default: str) -> None:
        super().__init__()
        self.default = default

    def pre_validation(self, config: Config, key_name: str) -> None:
        keys = [executors.option_key(e, o) for e, o, _spec in executors.options()]
        given = {key: config.pop(key) for key in keys if key in config}
        config[key_name] = _Chosen(config.get(key_name), given)

    def run_validation(self, value: object) -> Any:
        chosen = value if isinstance(value, _Chosen) else _Chosen(value, {})
        checked = {}
        for key, given in chosen.options.items():
            try:
                checked[key] = executors.check_option(key, given)
            except ValueError as exc:
                raise ValidationError(f"{key}: {exc}") from None
        try:
            name = executors.check_name(self.default if chosen.name is None else chosen.name)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None
        return _Chosen(name, checked)

    def post_validation(self, config: Config, key_name: str) -> None:
        chosen = config[key_name]
        if isinstance(chosen, _Chosen):
            config.update(chosen.options)
            config[key_name] = chosen.name


def _patterns() -> c.ListOfItems[str]:
    return c.ListOfItems(c.Type(str), default=[])


class StudylogConfig(Config):
    """The plugin's options in mkdocs.yml (``plugins: - studylog: ...``)."""

    enabled = c.Type(bool, default=True)

    # Where the logs are, relative to mkdocs.yml (outside docs_dir on purpose).
    logs_dir = c.Type(str, default=DEFAULTS.logs_dir)
    logs_drafts = c.Type(bool, default=DEFAULTS.logs_drafts)
    snippets_dir = c.Type(str, default=DEFAULTS.snippets_dir)
    # How log bodies are rendered: GitHub's rules (markdown-it), or the site's Python-Markdown.
    logs_renderer = c.Choice(settings.RENDERERS, default=DEFAULTS.logs_renderer)
    # Where site-absolute image paths (/assets/img/a.png) are found, besides the project.
    logs_assets_dir = c.Optional(c.Type(str))

    # What the parser reads.
    default_year = Checked(settings.year, DEFAULTS.default_year)
    course_start = Checked(settings.date, DEFAULTS.course_start)
    keyword_aliases = c.DictOfItems(c.Type(str), default={})
    # Extra labels and patterns, appended to the built-in Korean and English ones
    # (one option per list in studylog.settings.PATTERN_OPTIONS; a test checks they match).
    keyword_line_labels = _patterns()
    keyword_section_labels = _patterns()
    date_line_labels = _patterns()
    question_count_labels = _patterns()
    answer_count_labels = _patterns()
    question_markers = _patterns()
    answer_markers = _patterns()
    day_heading_patterns = _patterns()
    day_line_patterns = _patterns()
    week_patterns = _patterns()
    week_tag_patterns = _patterns()
    title_day_patterns = _patterns()
    title_date_patterns = _patterns()
    weekly_title_patterns = _patterns()
    week_summary_patterns = _patterns()
    daily_title_patterns = _patterns()

    # Running the snippets.
    execute = c.Type(bool, default=DEFAULTS.execute)
    jobs = Checked(settings.jobs, DEFAULTS.executor.jobs)
    # Where sessions run: this machine's worker pool, or a Ray cluster (docs/guide.md);
    # each executor's own options beside it (ray_address).
    executor = ExecutorChoice(DEFAULTS.executor.name)
    cache_dir = c.Type(str, default=DEFAULTS.cache_dir)
    timeout = Checked(settings.seconds, DEFAULTS.timeout)
    strict_snippets = c.Type(bool, default=DEFAULTS.strict_snippets)
    include_allowed = Checked(settings.globs, DEFAULTS.include_allowed)
    # Notebook logs: run their code cells (run), or show the outputs stored in them (stored).
    execute_notebooks = c.Choice(settings.NOTEBOOK_MODES, default=DEFAULTS.execute_notebooks)

    # The generated pages.
    nav_weeks_title = c.Optional(c.Type(str))  # default: "Weeks" in theme.language
    dashboard = c.Type(bool, default=DEFAULTS.dashboard)
    korean_search = c.Type(bool, default=DEFAULTS.korean_search)


# Every option the plugin knows: its schema's, and each executor's own (``ray_address``).
OPTIONS: tuple[str, ...] = (
    *(name for name, _ in StudylogConfig._schema),
    *(executors.option_key(e, o) for e, o, _spec in executors.options()),
)


def unknown_options(options: Mapping[str, Any], config_file: str | None) -> list[str]:
    """One message per option under ``plugins.studylog`` that studylog does not know, with
    the place it is written at and the option it most likely means:
    ``mkdocs.yml:42: unknown option 'timout' of the studylog plugin; did you mean
    'timeout'?``. The same for ``mkdocs build``, every ``studylog`` command and pytest."""
    unknown = [key for key in options if key not in OPTIONS]
    if not unknown:
        return []
    lines = option_lines(config_file) if config_file else {}
    shown = _shown(config_file) if config_file else "mkdocs.yml"
    out = []
    for key in unknown:
        line = lines.get(key)
        where = f"{shown}:{line}" if line else shown
        said = f"{where}: unknown option {key!r} of the studylog plugin; it is ignored"
        hint = did_you_mean(key, OPTIONS) or "see the options in the guide"
        out.append(f"{said} ({hint})")
    return out


def option_lines(config_file: str) -> dict[str, int]:
    """The line of each option under ``plugins: - studylog:`` in ``config_file`` (none
    when it cannot be read, or the options come from an ``INHERIT``-ed file)."""
    import yaml

    try:
        with open(config_file, encoding="utf-8-sig") as handle:
            root = yaml.compose(handle, Loader=yaml.SafeLoader)  # nodes: tags are not run
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    plugins = _get(root, "plugins")
    entries: list[tuple[Any, Any]] = []
    if isinstance(plugins, yaml.SequenceNode):
        for item in plugins.value:
            if isinstance(item, yaml.MappingNode):
                entries.extend(item.value)
    elif isinstance(plugins, yaml.MappingNode):
        entries = list(plugins.value)
    for key, value in entries:
        if getattr(key, "value", None) == "studylog" and isinstance(value, yaml.MappingNode):
            return {
                k.value: k.start_mark.line + 1 for k, _ in value.value if isinstance(k.value, str)
            }
    return {}


def _get(node: Any, name: str) -> Any:
    import yaml

    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if getattr(key, "value", None) == name:
                return value
    return None


def _shown(config_file: str) -> str:
    """``config_file`` as the user names it: relative to the working folder when inside it."""
    path = Path(config_file)
    with contextlib.suppress(ValueError, OSError):
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    return path.as_posix()


def to_settings(config: StudylogConfig) -> Settings:
    """The project settings a validated plugin config describes."""
    values = dict(config.items())
    return settings.from_options(values, executors.options_in(values))


def validate(options: dict[str, Any]) -> tuple[Settings | None, list[str]]:
    """Check a ``plugins.studylog`` mapping as MkDocs would; (settings, error messages)."""
    config = StudylogConfig()
    config.load_dict(options)
    errors, _warnings = config.validate()
    if errors:
        return None, [f"{key}: {error}" for key, error in errors]
    return to_settings(config), []
