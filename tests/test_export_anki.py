"""``studylog export anki``: the package read back as Anki reads it (a zip holding a SQLite
collection), and a second export after an edit that updates one note and adds none."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path
from typing import Any

import pytest

from studylog.cli import main

CONFIG = """\
site_name: Course notes
site_url: https://example.org/notes/
theme:
  name: material
  language: ko
plugins:
  - studylog:
      course_start: 2024-03-04
"""

DAY1 = """\
---
date: 2024-03-04
keywords: [MLP, Weight Decay]
---
# Day 1

Q: What does `x.view(-1)` return?
A: A flat view of the same storage.

Q: What is the derivative of $x^2$?
A: $2x$, by the power rule.

Q: Still open: why does warm-up help?
"""

DAY8 = """\
---
date: 2024-03-13
keywords: [Attention]
---
# Day 8

Scaled dot product::divides the scores by $\\sqrt{d_k}$
"""


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    (tmp_path / "mkdocs.yml").write_text(CONFIG, "utf-8")
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "day1.md").write_text(DAY1, "utf-8")
    (tmp_path / "logs" / "day8.md").write_text(DAY8, "utf-8")
    return tmp_path


Notes = dict[str, dict[str, Any]]


def read_package(path: Path, tmp_path: Path) -> tuple[Notes, list[str]]:
    """What the package holds: notes by GUID (fields, tags, deck name), and deck names."""
    with zipfile.ZipFile(path) as package:
        assert "collection.anki2" in package.namelist()
        package.extract("collection.anki2", tmp_path)
    db = sqlite3.connect(tmp_path / "collection.anki2")
    try:
        (decks_json,) = db.execute("select decks from col").fetchone()
        decks = {int(k): v["name"] for k, v in json.loads(decks_json).items()}
        notes = {}
        for guid, fields, tags, deck in db.execute(
            "select n.guid, n.flds, n.tags, c.did from notes n join cards c on c.nid = n.id"
        ):
            notes[guid] = {
                "fields": fields.split("\x1f"),
                "tags": tags.split(),
                "deck": decks[deck],
            }
        return notes, sorted(decks.values())
    finally:
        db.close()
        (tmp_path / "collection.anki2").unlink()


def test_the_package_holds_a_note_per_answered_question_with_tags_and_decks(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "deck.apkg"
    assert main(["export", "anki", str(out), "--root", str(project)]) == 0
    assert "3 notes in 3 decks; 1 questions without an answer left out" in capsys.readouterr().out
    found, decks = read_package(out, tmp_path)
    notes = list(found.values())
    assert decks == [
        "Course notes",
        "Course notes::1주차",
        "Course notes::2주차",
        "Default",  # Anki's own, in every collection
    ]
    by_question = {n["fields"][0]: n for n in notes}
    view = by_question["What does <code>x.view(-1)</code> return?"]
    assert view["fields"][1] == "A flat view of the same storage."
    assert view["deck"] == "Course notes::1주차"
    assert sorted(view["tags"]) == ["MLP", "Weight_Decay", "week-01"]
    assert 'href="https://example.org/notes/logs/day1/"' in view["fields"][2]
    assert "<code>logs/day1.md:7</code>" in view["fields"][2]
    square = by_question['What is the derivative of <span class="arithmatex">\\(x^2\\)</span>?']
    assert square["fields"][1].startswith('<span class="arithmatex">\\(2x\\)</span>')
    card = by_question["Scaled dot product"]
    assert card["deck"] == "Course notes::2주차" and card["tags"] == ["Attention", "week-02"]
    assert "\\(\\sqrt{d_k}\\)" in card["fields"][1]


def test_a_second_export_after_an_edit_updates_one_note_and_adds_none(
    project: Path, tmp_path: Path
) -> None:
    first, second = tmp_path / "first.apkg", tmp_path / "second.apkg"
    assert main(["export", "anki", str(first), "--root", str(project)]) == 0
    log = project / "logs" / "day1.md"
    text = log.read_text("utf-8")
    # An answer corrected, and a paragraph written above every question (lines move).
    text = text.replace("A flat view of the same storage.", "A flat view; no copy is made.")
    log.write_text(text.replace("# Day 1\n", "# Day 1\n\nWarm-up notes first.\n"), "utf-8")
    assert main(["export", "anki", str(second), "--root", str(project)]) == 0
    before, _ = read_package(first, tmp_path)
    after, _ = read_package(second, tmp_path)
    assert set(after) == set(before)  # the same notes: none added, none lost
    changed = [guid for guid in after if after[guid]["fields"][:2] != before[guid]["fields"][:2]]
    assert len(changed) == 1
    assert after[changed[0]]["fields"][1] == "A flat view; no copy is made."


def test_nothing_to_export_is_said_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "a.md").write_text("---\ndate: 2024-03-04\n---\nQ: open?\n", "utf-8")
    out = tmp_path / "none.apkg"
    assert main(["export", "anki", str(out), "--root", str(tmp_path)]) == 1
    assert "no answered question in 1 logs" in capsys.readouterr().err
    assert not out.exists()
