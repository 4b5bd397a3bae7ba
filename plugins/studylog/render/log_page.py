"""The page of one log: its own Markdown, escaped, with a metadata header,
day anchors, and every executable block replaced by its source and outputs."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from studylog.execute.results import Block, BlockResult, SessionResult
from studylog.model import Day, Log, Snippet
from studylog.render import links
from studylog.render.links import Linker
from studylog.render.outputs import missing_output, render_block
from studylog.render.slots import Rendered, Slots
from studylog.render.text import PreparedBody, esc, md_text, prepare_body
from studylog.stats import canonical, log_title, log_week, normalise_aliases, slug

Results = Mapping[int, tuple[BlockResult, SessionResult]]  # fence line -> results


def count(value: int | None) -> str:
    return "—" if value is None else str(value)


def keyword_links(
    keywords: Sequence[str], uri: str, linker: Linker, aliases: Mapping[str, str]
) -> str:
    folded = normalise_aliases(aliases)
    out = []
    for raw in keywords:
        name = canonical(raw, folded)
        href = linker.href(uri, links.KEYWORDS, slug(name))
        out.append(f'<a class="studylog-keyword" href="{esc(href)}">{esc(raw)}</a>')
    return " ".join(out)


def _row(label: str, value: str) -> str:
    return f"<div><dt>{esc(label)}</dt><dd>{value}</dd></div>"


def header(log: Log, uri: str, linker: Linker, aliases: Mapping[str, str], weeks: set[str]) -> str:
    rows = []
    dates = sorted({d.date for d in log.days if d.date} | ({log.date} if log.date else set()))
    if dates:
        span = dates[0].isoformat()
        if dates[-1] != dates[0]:
            span += f" – {dates[-1].isoformat()}"
        rows.append(_row("Date", span))
    week = log_week(log)
    if week is not None:
        target = links.week_uri(week)
        label = esc(week.label)
        if target in weeks:
            label = f'<a href="{esc(linker.href(uri, target))}">{label}</a>'
        rows.append(_row("Week", label))
    if log.questions is not None or log.answers is not None:
        rows.append(_row("Questions / answers", f"{count(log.questions)} / {count(log.answers)}"))
    if log.tasks_done or log.tasks_open:
        rows.append(_row("Tasks", f"{log.tasks_done} done · {log.tasks_open} open"))
    if log.keywords:
        rows.append(_row("Keywords", keyword_links(log.keywords, uri, linker, aliases)))
    if log.days:
        days = " · ".join(f'<a href="#{esc(d.anchor)}">{esc(d.title)}</a>' for d in log.days)
        rows.append(_row("Days", days))
    if not rows:
        return ""
    return '<div class="studylog-meta"><dl>' + "".join(rows) + "</dl></div>"


def day_header(day: Day, uri: str, linker: Linker, aliases: Mapping[str, str]) -> str:
    parts = []
    if day.date:
        parts.append(f"<span>{esc(day.date.isoformat())}</span>")
    if day.questions is not None or day.answers is not None:
        parts.append(f"<span>Q/A {count(day.questions)} / {count(day.answers)}</span>")
    if day.keywords:
        parts.append(f"<span>{keyword_links(day.keywords, uri, linker, aliases)}</span>")
    return '<div class="studylog-day-meta">' + " · ".join(parts) + "</div>" if parts else ""


def _fence(code: str, lang: str) -> list[str]:
    ticks = "```"
    while ticks in code:
        ticks += "`"
    return [f"{ticks}{lang}", *code.rstrip("\n").split("\n"), ticks]


def _snippet_lines(
    snippet: Snippet,
    block: Block | None,
    result: tuple[BlockResult, SessionResult] | None,
    slots: Slots,
    linker: Linker,
    uri: str,
) -> list[str]:
    show = (block or snippet).options.show
    code = block.code if block else snippet.code
    out: list[str] = []
    if show in ("both", "source"):
        out += _fence(code, snippet.lang or "python")
    if show in ("both", "output"):
        where = f"{snippet.path}:{snippet.line}"
        if result is None:
            html = missing_output(where)
        else:
            def asset_url(name: str) -> str:
                return linker.href(uri, links.asset_uri(name))

            html = render_block(result[0], result[1], asset_url, where=where)
        out += slots.add(html).split("\n")
    return out


def render_log(
    log: Log,
    uri: str,
    *,
    linker: Linker,
    results: Results | None = None,
    blocks: Mapping[int, Block] | None = None,
    aliases: Mapping[str, str] | None = None,
    week_pages: set[str] | None = None,
    prepare: Callable[[str], PreparedBody] = prepare_body,
) -> Rendered:
    """The page of ``log`` at ``uri``; ``results``/``blocks`` are keyed by fence line.

    ``prepare`` parses the body (a caller that keeps bodies between builds passes its own)."""
    results = results or {}
    blocks = blocks or {}
    aliases = aliases or {}
    slots = Slots()
    body = prepare(log.body)
    lines = list(body.lines)
    # edits: (start, end, new lines), applied bottom-up so indexes stay valid
    edits: list[tuple[int, int, list[str]]] = []

    snippets = {s.line: s for s in log.snippets}
    block_starts: dict[int, tuple[str, int]] = {}
    first_h1: tuple[int, int] | None = None
    for span in body.spans:
        if span.type in ("heading_open", "paragraph_open"):
            block_starts.setdefault(span.start, (span.type, span.end))
        if span.type == "heading_open" and span.tag == "h1" and first_h1 is None:
            first_h1 = (span.start, span.end)
        if span.type == "fence":
            line = log.body_line + span.start
            snippet = snippets.get(line)
            # Blocks that are not executed (exec="off", other languages) stay plain fences.
            if snippet is not None and snippet.executable:
                new = _snippet_lines(
                    snippet, blocks.get(line), results.get(line), slots, linker, uri
                )
                edits.append((span.start, span.end, new))

    for day in log.days:
        start = day.line - log.body_line
        if not 0 <= start < len(lines):
            continue
        anchor = slots.add(f'<a id="{esc(day.anchor)}" class="studylog-anchor"></a>').split("\n")
        meta = day_header(day, uri, linker, aliases)
        meta_lines = slots.add(meta).split("\n") if meta else []
        kind, end = block_starts.get(start, ("paragraph_open", start + 1))
        if kind == "heading_open":
            edits.append((start, start, anchor))
            edits.append((end, end, meta_lines))
        else:
            # A day line such as "[Day1] 2021/08/09" inside a paragraph becomes a heading.
            edits.append((start, start + 1, [*anchor, f"## {lines[start].strip()}", *meta_lines]))

    title = log_title(log)
    head = header(log, uri, linker, aliases, week_pages or set())
    head_lines = slots.add(head).split("\n") if head else []
    has_title = first_h1 is not None and all(
        not lines[j].strip() for j in range(0, first_h1[0])
    )
    if has_title and first_h1 is not None:
        edits.append((first_h1[1], first_h1[1], head_lines))
    else:
        edits.append((0, 0, [f"# {md_text(title)}", "", *head_lines]))

    for start, end, new in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        lines[start:end] = new
    return Rendered(
        markdown="\n".join(lines) + "\n",
        slots=slots.fragments,
        title=esc(title),
        tags=tuple(esc(t) for t in log.tags),
    )
