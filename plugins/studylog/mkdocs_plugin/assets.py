"""The stylesheet the generated pages use, shipped as a generated file.

Kept as a string in the package so it needs no package-data configuration and
no network; colours come from Material's CSS variables, so light and dark
palettes both work.
"""

from __future__ import annotations

CSS_URI = "assets/studylog/studylog.css"

CSS = """\
.studylog-meta dl, .studylog-cards dl { display: flex; flex-wrap: wrap; gap: .4rem 1.2rem;
  margin: .6rem 0 1rem; padding: .6rem .8rem; border-radius: .2rem;
  background: var(--md-code-bg-color); font-size: .7rem; }
.studylog-meta dl > div, .studylog-cards dl > div { margin: 0; }
.md-typeset .studylog-meta dt, .md-typeset .studylog-cards dt { display: inline; font-weight: 700;
  color: var(--md-default-fg-color--light); margin-right: .3rem; }
.md-typeset .studylog-meta dd, .md-typeset .studylog-cards dd { display: inline; margin: 0; }
.studylog-cards dl > div { flex: 1 1 8rem; text-align: center; }
.md-typeset .studylog-cards dd { display: block; font-size: 1.2rem; font-weight: 700; }
.md-typeset .studylog-cards dt { display: block; margin: 0; }
.md-typeset a.studylog-keyword { display: inline-block; margin: 0 .15rem .15rem 0;
  padding: 0 .4rem; border-radius: .6rem; background: var(--md-accent-fg-color--transparent); }
.studylog-day-meta { font-size: .65rem; color: var(--md-default-fg-color--light);
  margin: -.4rem 0 .8rem; }
.studylog-output { margin: -.4rem 0 1rem; border-left: .2rem solid var(--md-primary-fg-color);
  padding-left: .6rem; }
.md-typeset .studylog-output pre { margin: .3rem 0; }
.md-typeset .studylog-stderr code { color: var(--md-code-hl-special-color, #c33); }
.studylog-footer { font-size: .6rem; color: var(--md-default-fg-color--light); }
.studylog-figure { margin: .4rem 0; }
/* Snippet figures are drawn on white by matplotlib; keep them readable in dark mode. */
.studylog-figure img { background: #fff; border-radius: .2rem; max-width: 100%; }
.studylog-chart { width: 100%; height: auto; max-height: 22rem; color: var(--md-default-fg-color); }
/* Material's figure is fit-content, which collapses an SVG sized in percent. */
.md-typeset .studylog-chart-figure { margin: .8rem 0; width: 100%; }
/* Material styles only class-less tables; give ours the same look. They sit in Material's
   own scrolling wrapper (.md-typeset__scrollwrap): a table wider than a phone scrolls
   sideways, and its cells keep their text on one line instead of breaking letter by letter. */
.md-typeset table[class^="studylog-"] { display: table; font-size: .64rem;
  border: .05rem solid var(--md-typeset-table-color); border-radius: .1rem;
  border-spacing: 0; background-color: var(--md-default-bg-color); }
.md-typeset table[class^="studylog-"] th { font-weight: 700; text-align: left;
  padding: .6em .9em; vertical-align: top; white-space: nowrap; }
.md-typeset table[class^="studylog-"] td { border-top: .05rem solid var(--md-typeset-table-color);
  padding: .6em .9em; vertical-align: top; white-space: nowrap; }
.md-typeset table[class^="studylog-"] td.studylog-wrap { white-space: normal; min-width: 12rem;
  overflow-wrap: normal; }
.md-typeset table[class^="studylog-"] code { white-space: nowrap; word-break: normal; }
.md-typeset table[class^="studylog-"] tbody tr:hover {
  background-color: var(--md-typeset-table-color--light); }
/* Korean breaks between words (at spaces), never inside one; a run longer than the line
   still breaks rather than overflow. Chips and counts never split. */
.md-typeset, .md-nav, .md-search-result, .md-header__topic { word-break: keep-all;
  overflow-wrap: break-word; }
/* Material lets a link break anywhere (for long URLs): a link's Korean words are kept whole
   too, and a URL longer than the line still breaks (overflow-wrap). */
.md-typeset a { word-break: keep-all; }
.md-typeset a.studylog-keyword, .studylog-count { white-space: nowrap; }
.studylog-count { font-size: .65rem; padding: 0 .35rem; border-radius: .5rem;
  background: var(--md-default-fg-color--lightest); }
.studylog-keyword-entry { margin: .2rem 0 .6rem; scroll-margin-top: 3.6rem; }
.studylog-keyword-entry ul { margin-top: .1rem !important; }
a.studylog-anchor { display: block; position: relative; top: -3.6rem; visibility: hidden; }
.studylog-status-ok { color: #2e7d32; }
.studylog-status-failed, .studylog-status-timeout, .studylog-status-crashed,
.studylog-status-unavailable, .studylog-status-refused { color: #c62828; font-weight: 700; }
"""
