"""A project on disk: the folder holding ``mkdocs.yml``, and its studylog settings.

The command line and the pytest plugin read the ``plugins.studylog`` options of
the project's ``mkdocs.yml`` through MkDocs' own YAML loader (``!ENV``,
``INHERIT`` and ``!!python/name`` tags work as in a build) and check them with
the plugin's own config class, so a value is accepted or refused the same way by
``mkdocs build``, ``studylog run`` and ``pytest``. A project without
``mkdocs.yml`` (or without the plugin in it) gets :data:`~studylog.settings.DEFAULTS`.

This is glue: it imports MkDocs' config machinery, never its build.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from studylog.settings import DEFAULTS, Settings

CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml")
PLUGIN = "studylog"


class ProjectError(Exception):
    """``mkdocs.yml`` cannot be read or its studylog options are wrong; the message says where."""


@dataclass(frozen=True)
class Project:
    """A project: its folder, its studylog settings and the mkdocs.yml they came from."""

    root: Path  # the folder holding mkdocs.yml (or the folder given)
    settings: Settings = DEFAULTS
    config_file: Path | None = None
    # What is wrong but not fatal in its options (an unknown, likely misspelled, option),
    # as `path:line: message (did you mean ...)` lines for the front end to show.
    warnings: tuple[str, ...] = ()

    def path(self, rel: str) -> Path:
        """A path relative to the project's folder."""
        return self.root / rel

    @property
    def logs_dir(self) -> Path:
        """The logs folder."""
        return self.root / self.settings.logs_dir

    @property
    def snippets_dir(self) -> Path:
        """The snippets folder."""
        return self.root / self.settings.snippets_dir

    @property
    def cache_dir(self) -> Path:
        """The snippet cache folder (the build memo is kept inside it)."""
        return self.root / self.settings.cache_dir

    def with_settings(self, **changes: Any) -> Project:
        """A copy whose settings have ``changes`` (command-line overrides)."""
        given = {k: v for k, v in changes.items() if v is not None}
        return replace(self, settings=replace(self.settings, **given)) if given else self


def find_config(start: Path) -> Path | None:
    """The nearest ``mkdocs.yml`` in ``start`` or a folder above it."""
    start = start.resolve()
    for folder in (start, *start.parents):
        for name in CONFIG_NAMES:
            if (folder / name).is_file():
                return folder / name
    return None


def load(config_file: Path | None = None, *, start: Path | None = None) -> Project:
    """The project of ``config_file``, else of the nearest mkdocs.yml above ``start``
    (default: the working folder); raises :class:`ProjectError` on a bad config."""
    if config_file is None:
        config_file = find_config(start or Path.cwd())
        if config_file is None:
            return Project((start or Path.cwd()).resolve())
    config_file = Path(config_file).resolve()
    if not config_file.is_file():
        raise ProjectError(f"{config_file}: no such file")
    options = plugin_options(_read(config_file))
    found, warnings = _settings(options, config_file)
    return Project(config_file.parent, found, config_file, warnings)


def _read(config_file: Path) -> dict[str, Any]:
    import yaml
    from mkdocs.utils.yaml import yaml_load

    try:
        with open(config_file, "rb") as handle:
            data = yaml_load(handle)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ProjectError(
            f"{config_file}{line}: cannot read it ({problem}); fix the YAML there"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ProjectError(f"{config_file}: cannot read it ({exc})") from None
    except Exception as exc:  # MkDocs' loader: a missing !ENV variable, a bad INHERIT ...
        raise ProjectError(f"{config_file}: cannot read it ({exc})") from None
    return data if isinstance(data, dict) else {}


def plugin_options(data: dict[str, Any]) -> dict[str, Any] | None:
    """The ``plugins.studylog`` options of a loaded mkdocs.yml; None if the plugin is absent."""
    plugins = data.get("plugins")
    entries: Iterable[Any] = plugins.items() if isinstance(plugins, dict) else (plugins or ())
    for entry in entries:
        if isinstance(entry, tuple):  # the mapping form: plugins: {studylog: {...}}
            name, options = entry
        elif isinstance(entry, dict) and len(entry) == 1:
            ((name, options),) = entry.items()
        else:
            name, options = entry, {}
        if name == PLUGIN:
            return dict(options or {})
    return None


def _settings(
    options: dict[str, Any] | None, config_file: Path
) -> tuple[Settings, tuple[str, ...]]:
    if options is None:
        return DEFAULTS, ()
    from studylog.mkdocs_plugin.config import unknown_options, validate

    found, errors = validate(options)
    if errors or found is None:
        raise ProjectError("; ".join(f"{config_file}: plugins.{PLUGIN}.{e}" for e in errors))
    return found, tuple(unknown_options(options, str(config_file)))
