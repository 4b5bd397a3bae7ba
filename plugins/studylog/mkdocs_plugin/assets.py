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
.studylog-cards dl > div { flex: 1 1 6.5rem; text-align: center; }
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
/* A traceback wraps instead of scrolling: its last line (the error) and the log's line
   number stay readable on a phone. */
.md-typeset pre.studylog-error > code, .md-typeset .jp-OutputArea-output.jp-RenderedText pre {
  white-space: pre-wrap; overflow-wrap: anywhere; }
.studylog-frames summary { font-size: .64rem; cursor: pointer; }
.studylog-footer { font-size: .6rem; color: var(--md-default-fg-color--light); }
.studylog-figure { margin: .4rem 0; }
/* Snippet figures are drawn on white by matplotlib; keep them readable in dark mode. */
.studylog-figure img { background: #fff; border-radius: .2rem; max-width: 100%; height: auto; }
.studylog-chart { width: 100%; height: auto; max-height: 22rem; color: var(--md-default-fg-color); }
/* The Q/A chart is drawn twice: bars across for a phone (its text legible at the phone's
   width), upright bars for a wider column. */
.studylog-chart-phone { display: none; max-height: none; }
@media screen and (max-width: 44.984375em) {
  .studylog-chart-wide { display: none; }
  .studylog-chart-phone { display: block; }
}
/* Material's figure is fit-content, which collapses an SVG sized in percent. */
.md-typeset .studylog-chart-figure { margin: .8rem 0; width: 100%; }
/* Generated tables fit their column: Material styles only class-less tables, so ours get
   the same look here. Cells wrap between words (Korean ones included, never inside one);
   on a phone each row becomes a card of "label value" lines (the label is the cell's
   data-label), so no column is hidden off the side of the screen. */
.studylog-table-wrap { max-width: 100%; overflow-x: auto; margin: 1em 0; }
.md-typeset table.studylog-table { display: table; width: 100%; font-size: .64rem;
  border: .05rem solid var(--md-typeset-table-color); border-radius: .1rem;
  border-spacing: 0; background-color: var(--md-default-bg-color); margin: 0; }
.md-typeset table.studylog-table th { font-weight: 700; text-align: left;
  padding: .6em .8em; vertical-align: top; white-space: nowrap; }
.md-typeset table.studylog-table td { border-top: .05rem solid var(--md-typeset-table-color);
  padding: .6em .8em; vertical-align: top; white-space: nowrap; }
.md-typeset table.studylog-table td.studylog-wrap { white-space: normal; }
.md-typeset table.studylog-table code { white-space: nowrap; word-break: normal; }
.md-typeset table.studylog-table tbody tr:hover {
  background-color: var(--md-typeset-table-color--light); }
@media screen and (max-width: 44.984375em) {
  .md-typeset table.studylog-table, .md-typeset table.studylog-table tbody,
  .md-typeset table.studylog-table tr, .md-typeset table.studylog-table td { display: block; }
  .md-typeset table.studylog-table thead { position: absolute; width: 1px; height: 1px;
    overflow: hidden; clip: rect(0 0 0 0); }
  .md-typeset table.studylog-table tr { padding: .4em 0; }
  .md-typeset table.studylog-table tr + tr {
    border-top: .05rem solid var(--md-typeset-table-color); }
  .md-typeset table.studylog-table td { position: relative; border: 0; min-height: 1.6em;
    padding: .15em .8em .15em 7.4em; white-space: normal; overflow-wrap: anywhere; }
  .md-typeset table.studylog-table td:empty { display: none; }
  .md-typeset table.studylog-table td::before { content: attr(data-label); position: absolute;
    left: .8em; width: 6.2em; font-weight: 700; color: var(--md-default-fg-color--light); }
}
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
