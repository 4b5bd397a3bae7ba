"""Rendering one log body: GitHub's rules, Jekyll/kramdown forms, the sanitizer (no mkdocs)."""

from __future__ import annotations

import markdown
import pytest

from studylog.emoji import emojize
from studylog.execute.results import Block, BlockOptions, BlockResult, SessionResult
from studylog.model import Log, Snippet
from studylog.render import markers
from studylog.render.body import BodySettings, prepare_body
from studylog.render.images import ImageFolders
from studylog.render.jekyll import SiteAddress, unliquid
from studylog.render.links import Linker
from studylog.render.log_page import render_log
from studylog.render.plan import BodyOptions, LogPage, RenderContext
from studylog.render.sanitize import sanitize
from studylog.render.slots import Outcomes, fill
from studylog.render.slugs import Slugger


def html(body: str, **settings: object) -> str:
    return prepare_body(body, BodySettings(**settings)).html  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("강의 정리\n- 하나\n- 둘\n", "<p>강의 정리</p>\n<ul>\n<li>하나</li>"),  # list under a line
        ("- Q. 질문\n  - A. 답\n", "<li>Q. 질문\n<ul>\n<li>A. 답</li>"),  # 2-space nesting
        ("~~old~~ new", "<s>old</s>"),
        ("- [x] done\n", 'class="task-list-item"><input class="task-list-item-checkbox"'),
        ("see www.example.com", '<a href="http://www.example.com">www.example.com</a>'),
        ("a[^1]\n\n[^1]: note\n", '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a>'),
        (
            "so $x<y$ costs $5 and $10",
            r'<span class="arithmatex">\(x&lt;y\)</span> costs $5 and $10',
        ),
        ("$$\na^2\n$$\n", r'<div class="arithmatex">\[a^2\]</div>'),
        (
            '!!! note "Title"\n    body\n',
            '<div class="admonition note">\n<p class="admonition-title">Title</p>',
        ),
        ("??? tip\n    hidden\n", '<details class="tip">\n<summary>Tip</summary>'),
        (
            "> [!WARNING]\n> careful\n",
            '<div class="admonition warning">\n<p class="admonition-title">Warning</p>',
        ),
        (":handshake: 협업", "<p>🤝 협업</p>"),
        ("| a | b |\n|:-|-:|\n| 1 | 2 |\n", '<td style="text-align:left">1</td>'),
        ("[x](javascript:alert(1))", "<p><a>x</a></p>"),
    ],
)
def test_github_rules(source: str, expected: str) -> None:
    assert expected in html(source)


def test_github_heading_ids_unicode_and_repeats() -> None:
    out = html(
        "## 3. 피어세션 정리\n## 3. 피어세션 정리\n# `nn.Module` 정리 :tada:\n<h3>Raw 제목</h3>\n"
    )
    assert '<h2 id="3-피어세션-정리">' in out and '<h2 id="3-피어세션-정리-1">' in out
    assert '<h1 id="nnmodule-정리-">' in out and '<h3 id="raw-제목">' in out
    slugs = Slugger()
    assert [slugs.slug(t) for t in ("A", "A", "A-1")] == ["a", "a-1", "a-1-1"]


def test_code_blocks_take_pymdownx_highlight_markup() -> None:
    body = prepare_body('```python exec="off"\nx = 1\n```\n\n``` foo bar\n<b>\n```\n')
    assert [f.line for f in body.fences] == [0, 4]  # where each fence opens
    assert body.fences[0].html.startswith('<div class="highlight"><pre><span></span><code>')
    assert "&lt;b&gt;" in body.fences[1].html
    site = '{"pygments_lang_class": true}'
    options = prepare_body("```python\nx\n```\n", BodySettings(highlight=site))
    assert options.fences[0].html.startswith('<div class="language-python highlight">')


@pytest.mark.parametrize(
    ("source", "expected", "absent"),
    [
        ("> tip\n{: .prompt-tip }\n", '<div class="admonition tip">', "{:"),
        ("> info\n> {: .prompt-info }\n", '<div class="admonition info">', "blockquote"),
        ('centred\n{: style="text-align: center;" }\n', '<p style="text-align:center">', "{:"),
        (
            '![a](https://x.org/a.png){: w="700" h="400" .shadow }',
            '<img src="https://x.org/a.png" alt="a" width="700" height="400">',
            "shadow",
        ),
        ('text\n{: onclick="alert(1)" #keep }\n', '<p id="keep">text</p>', "onclick"),
        ("## Title\n{: #other .no_toc }\n", '<h2 id="title">Title', "other"),
        ('```\ncode\n```\n{: file="train.py" }\n', "", "{:"),
        ('<div markdown="1">\n**bold**\n- a\n</div>\n', "<strong>bold</strong>", "markdown="),
        (
            '<details markdown="1">\n<summary>S</summary>\n- a\n- b\n</details>\n',
            "<summary>S</summary>\n<ul>\n<li>a</li>",
            "- a",
        ),
    ],
)
def test_kramdown_attribute_lists_and_markdown_in_html(
    source: str, expected: str, absent: str
) -> None:
    out = html(source)
    assert expected in out and absent not in out


def test_a_code_block_takes_its_file_name_from_an_attribute_line() -> None:
    body = prepare_body('```python\nx = 1\n```\n{: file="train.py" }\n')
    assert '<span class="filename">train.py</span>' in body.fences[0].html


def test_liquid_is_translated_removed_and_reported_with_its_line() -> None:
    source = (
        "a {% include video.html id='x' %} b\n"
        "[home]({{ site.url }}{{ site.baseurl }}/) [about]({{ '/about/' | relative_url }})\n"
        "`{{ kept }}` {{ page.title }}\n"
        "```\n{% raw %}\n{{ code }}\n{% endraw %}\n```\n"
        "{% comment %}\nhidden\n{% endcomment %}\n"
    )
    text, notes = unliquid(source, SiteAddress.from_site_url("https://me.github.io/blog/"))
    lines = text.split("\n")
    assert len(lines) == len(source.split("\n"))  # line numbers hold
    assert lines[0] == "a  b"
    assert lines[1] == "[home](https://me.github.io/blog/) [about](/blog/about/)"
    assert lines[2] == "`{{ kept }}` "
    assert "{{ code }}" in text and "{% raw %}" not in text and "hidden" not in text
    assert [(n.line, n.message) for n in notes] == [
        (0, "Liquid tag {% include video.html id='x' %} removed"),
        (2, "Liquid output {{ page.title }} removed"),
    ]


def test_emoji_in_plain_text() -> None:
    assert emojize(":rocket: launch :+1: a:b:c :octocat:") == "🚀 launch 👍 a:b:c :octocat:"


def test_sanitizer_allowlist() -> None:
    dirty = (
        '<p align="center" style="color:red;text-align:right" onclick="x">a</p>'
        '<img src="a.png" width="30" onerror="x"><a href="jav&#x61;script:x">b</a>'
        '<div class="admonition note evil" id="__search">c</div><iframe>d</iframe>'
        '<script>e()</script><style>f{}</style><input type="text"><center>g</center>'
    )
    assert sanitize(dirty) == (
        '<p align="center" style="text-align:right">a</p><img src="a.png" width="30">'
        '<a>b</a><div class="admonition note">c</div>d<input><center>g</center>'
    )


def test_images_resolve_against_the_log_assets_and_project(tmp_path) -> None:
    (tmp_path / "logs" / "w1" / "img").mkdir(parents=True)
    (tmp_path / "logs" / "w1" / "img" / "a.png").write_bytes(b"png")
    (tmp_path / "blog" / "assets" / "img").mkdir(parents=True)
    (tmp_path / "blog" / "assets" / "img" / "b.png").write_bytes(b"png")
    (tmp_path.parent / "secret.png").write_bytes(b"png")
    folders = ImageFolders(
        project=tmp_path,
        logs=tmp_path / "logs",
        assets=tmp_path / "blog",
        site=SiteAddress.from_site_url("https://me.github.io/blog/"),
    )
    found = folders.find("img/a.png?raw=true", "logs/w1/day.md")
    assert found is not None and found.uri == "logs/w1/img/a.png" and found.copy
    for src in ("/assets/img/b.png", "https://me.github.io/blog/assets/img/b.png"):
        hit = folders.find(src, "logs/w1/day.md")
        assert hit is not None and hit.uri == "assets/img/b.png", src
    assert folders.find("../../../secret.png", "logs/w1/day.md") is None  # outside the project
    assert folders.find("img/missing.png", "logs/w1/day.md") is None


def test_missing_image_is_a_problem_with_its_line(tmp_path) -> None:
    log = Log(path="logs/a.md", body="text\n\n![x](gone.png)\n", body_line=4)
    options = BodyOptions(images=ImageFolders(project=tmp_path, logs=tmp_path / "logs"))
    page = render_log(LogPage(log, "logs/a.md", context=RenderContext(body=options)))
    assert [str(p) for p in page.problems] == [
        "logs/a.md:6: image gone.png not found (put it beside the log, in the project, or "
        "in the folder plugins.studylog.logs_assets_dir names)"
    ]
    assert '<img src="gone.png" alt="x">' in (page.html or "")


def test_missing_image_warnings_show_the_file_name_as_written(tmp_path) -> None:
    log = Log(
        path="logs/a.md", body="![그림](./그림 1.png)\n![x](<./손글씨 노트.png>)\n", body_line=1
    )
    options = BodyOptions(images=ImageFolders(project=tmp_path, logs=tmp_path / "logs"))
    page = render_log(LogPage(log, "logs/a.md", context=RenderContext(body=options)))
    assert [p.message for p in page.problems] == ["image ./손글씨 노트.png not found"]


def test_links_to_other_logs_point_at_their_pages(tmp_path) -> None:
    logs = tmp_path / "logs"
    (logs / "week2" / "Pandas").mkdir(parents=True)
    (logs / "week2" / "day13.md").write_text("# 13\n", encoding="utf-8")
    (logs / "week2" / "Pandas" / "Pandas.md").write_text("# P\n", encoding="utf-8")
    (logs / "week2" / "실습.ipynb").write_text("{}", encoding="utf-8")
    (tmp_path / "notes.md").write_text("# outside the logs\n", encoding="utf-8")
    body = (
        "[지난 글](./day13.md) and [pandas](./Pandas/Pandas.md#groupby)\n\n"
        "[노트북](실습.ipynb) [notes](../../notes.md) [web](https://example.com/a.md)\n\n"
        '<a href="day13.md#q1">again</a> [gone](./day99.md) [또 없음](<./없는 글.md>)\n'
    )
    log = Log(path="logs/week2/day14.md", body=body, body_line=3)
    options = BodyOptions(images=ImageFolders(project=tmp_path, logs=logs))
    page = render_log(LogPage(log, "logs/week2/day14.md", context=RenderContext(body=options)))
    html = page.html or ""
    assert '<a href="../day13/">지난 글</a>' in html
    assert '<a href="../Pandas/Pandas/#groupby">pandas</a>' in html
    assert '<a href="../%EC%8B%A4%EC%8A%B5/">노트북</a>' in html
    assert '<a href="../../notes.md">notes</a>' in html  # a project file, not a log: as written
    assert '<a href="https://example.com/a.md">web</a>' in html
    assert '<a href="../day13/#q1">again</a>' in html
    assert '<a href="./day99.md">gone</a>' in html  # missing: left as written, and reported
    assert [str(p) for p in page.problems] == [
        "logs/week2/day14.md:7: link to ./day99.md: no such file "
        "(correct the link, or add the file to the logs folder)",
        "logs/week2/day14.md:7: link to ./없는 글.md: no such file "
        "(correct the link, or add the file to the logs folder)",
    ]
    flat = render_log(
        LogPage(
            log,
            "logs/week2/day14.md",
            context=RenderContext(linker=Linker(directory_urls=False), body=options),
        )
    )
    assert '<a href="day13.html">지난 글</a>' in (flat.html or "")


def test_days_in_html_headings_emphasis_and_list_items_keep_their_markup() -> None:
    body = (
        "<h3>Day 1 - Sunday, July 8th, 2018</h3>\n<b>Progress:</b> set up\n\n"
        "*08/10/2022, 8:40 am*\n\nmixing\n\n- 2019-01-01\n    - Lesson 2\n"
    )
    prepared = prepare_body(body, days=frozenset({0, 3, 7}))
    assert prepared.days == (0, 3, 7)
    marks = prepared.html
    for line in (0, 3, 7):
        a, m = (markers.marker(prepared.nonce, kind, line) for kind in "am")
        assert marks.index(a) < marks.index(m)
    assert '<h3 id="day-1---sunday-july-8th-2018">Day 1 - Sunday, July 8th, 2018</h3>' in marks
    assert "<p><em>08/10/2022, 8:40 am</em></p>" in marks
    assert "studylog-day" not in marks  # none of them became a heading of studylog's


def test_python_markdown_renderer_is_sanitized_after_conversion_and_keeps_its_slots() -> None:
    body = (
        "# Day 1\n\n<b>bold</b> <img src=x onerror=alert(1)>\n\n"
        '```python exec="on"\nprint(1)\n```\n'
    )
    snippet = Snippet("logs/a.md", 5, "python", 'python exec="on"', {"exec": "on"}, "print(1)\n")
    log = Log(path="logs/a.md", body=body, body_line=1, snippets=(snippet,))
    block = Block(log.path, 5, "print(1)\n", log.path, 6, BlockOptions())
    result = BlockResult(line=5, status="ok", stdout="<i>1</i>\n")
    session = SessionResult(log.path, "default", "ok", 0.1, "cpu", blocks=(result,))
    context = RenderContext(body=BodyOptions(renderer="python-markdown"))
    page = render_log(LogPage(log, "logs/a.md", {5: block}, context))
    # The Markdown MkDocs converts is final before the results are in.
    assert page.finish(Outcomes.of([session])).markdown == page.markdown
    page = page.finish(Outcomes.of([session]))
    assert page.sanitize and page.html is None and "<b>bold</b>" in page.markdown
    converted = markdown.markdown(page.markdown, extensions=["fenced_code"])
    final = fill(sanitize(converted), page.slots, page.nonce)
    assert "<b>bold</b>" in final and "onerror" not in final
    assert '<pre class="studylog-stdout"><code>&lt;i&gt;1&lt;/i&gt;</code></pre>' in final


@pytest.mark.parametrize("depth", [10, 1000])
def test_a_list_nested_past_the_limit_never_drops_the_rest_of_the_body(depth: int) -> None:
    text = "".join("  " * i + f"- level {i}\n" for i in range(depth))
    text += "\nThe paragraph after the list.\n\n## A later heading\n\n<b>kept</b>\n"
    body = prepare_body(text, BodySettings(), frozenset())
    assert "The paragraph after the list." in body.html
    assert [h.name for h in body.headings] == ["A later heading"]
    assert "<b>kept</b>" in body.html
    assert body.html.count("<li>") >= min(depth, 40)
