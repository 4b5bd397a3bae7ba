"""``studylog export anki OUT.apkg``: the logs' questions as an Anki deck.

Reads the logs with the site's options (as every command does), makes the review deck
(:mod:`studylog.deck`) and writes its answered questions with genanki
(:mod:`studylog.cli.anki`): the deck named after the site (``site_name``, or ``--deck``),
a sub-deck per week in the site's language, tags from the keywords and the week.
Exporting again after editing the logs updates the notes Anki has instead of adding
them twice.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from studylog.cli import project

if TYPE_CHECKING:
    from studylog.model import Log
    from studylog.project import Project

FORMATS = ("anki",)


def _page_urls(logs: list[Log], site: Project) -> dict[str, str]:
    """Each log's page URL in the site (relative to its root), as the plugin files it."""
    from studylog.render.links import Linker, log_uri

    linker = Linker(directory_urls=site.site.directory_urls)
    logs_dir = site.logs_dir.resolve()
    urls = {}
    for log in logs:
        try:
            rel = (site.root / log.path).resolve().relative_to(logs_dir).as_posix()
        except ValueError:
            continue
        urls[log.path] = linker.url(log_uri(rel))
    return urls


def main(args: argparse.Namespace, site: Project) -> int:
    """Write the package; the exit status (1 when no question has an answer)."""
    from studylog.cli.anki import write
    from studylog.deck import deck
    from studylog.words import words_for

    site = site.with_settings(default_year=args.default_year)
    paths = [Path(p) for p in args.paths] or [site.logs_dir]
    logs = project.read_logs(site, paths)
    if not site.settings.logs_drafts:
        logs = [lg for lg in logs if not lg.draft]
    cards = deck(logs)
    name = args.deck or site.site.name or site.root.name
    done = write(
        cards,
        args.out,
        site_name=name,
        words=words_for(site.site.language),
        site_url=site.site.url,
        page_urls=_page_urls(logs, site),
    )
    if not done["notes"]:
        print(
            f"no answered question in {len(logs)} logs: nothing written "
            "(write answers under the questions, or cards as Question::Answer)",
            file=sys.stderr,
        )
        return 1
    unanswered = sum(1 for c in cards if not c.answered)
    print(
        f"wrote {args.out}: {done['notes']} notes in {len(done['decks'])} decks"
        + (f"; {unanswered} questions without an answer left out" if unanswered else "")
    )
    return 0


COMMAND = project.Subcommand(
    "export",
    help="export the logs' questions and answers as an Anki deck",
    description="Export every answered question of the logs as flashcards.",
    options=(
        project.option("format", choices=FORMATS, help="anki: an .apkg package for Anki"),
        project.option("out", type=Path, metavar="OUT.apkg", help="the file to write"),
        project.paths("log files or folders"),
        project.option("--deck", default=None, help="the deck's name (default: site_name)"),
        project.default_year("year for dates written without one"),
    ),
    run=main,
)
