"""Korean search: forms in Material's search index, and the script that treats the query.

Material's search plugin writes ``search/search_index.json``; its web worker builds
a lunr index from it and adds a trailing wildcard to every query term. studylog
extends that pipeline in two documented places, both following the rules of
:mod:`studylog.korean`:

* the index: every entry gets a hidden field, ``forms`` (in ``config.fields``, so the
  worker indexes it; Material shows only ``title`` and ``text``), with the forms of
  its words that a stem cannot reach by prefix. ``title`` and ``text`` are unchanged.
* the words: Material cuts text into words with its ``separator``; a site that sets
  none gets :data:`studylog.korean.SEPARATOR`, which also cuts at punctuation
  stuck to a word (``대화(맥락을``, ``“맥락”을``).
* the query: ``assets/studylog/search.js`` (added to ``extra_javascript``) rewrites
  each query on its way to the worker: every word searched as written and as its
  stems, lower-cased and cut by the index's own separator. It reads the separator from the index
  as the page hands it to the worker, and changes nothing else.
"""

from __future__ import annotations

import json
import re
from functools import partial
from pathlib import Path
from typing import Any

from studylog import korean
from studylog import memo as memos

FIELD = "forms"
SCRIPT_URI = "assets/studylog/search.js"


def set_separator(plugins: Any) -> bool:
    """Give Material's search plugin studylog's word separator (:data:`korean.SEPARATOR`)
    when the site sets none itself; True if it was set.

    Called before the search plugin's own ``on_config``, which otherwise takes the
    default of the site's language (white space and hyphens only)."""
    done = False
    for plugin in plugins.values():
        config = getattr(plugin, "config", None)
        if (
            type(plugin).__module__.startswith("material.plugins.search")
            and config is not None
            and config.get("separator") is None
        ):
            config.separator = korean.SEPARATOR
            done = True
    return done


def separator_pattern(separator: str) -> re.Pattern[str] | None:
    """Material's separator (a JavaScript regular expression) for Python, if it reads as one."""
    try:
        return re.compile(separator.replace("\\u200b", "\u200b"))
    except re.error:
        return None


def add_forms(site_dir: str, memo: memos.Memo | None = None) -> bool:
    """Add the ``forms`` field to ``search/search_index.json``; False if there is none.

    ``memo`` keeps each entry's forms between builds."""
    path = Path(site_dir) / "search" / "search_index.json"
    if not path.is_file():
        return False
    data = json.loads(path.read_text(encoding="utf-8"))
    config = data.setdefault("config", {})
    separator = str(config.get("separator") or r"[\s\-]+")
    pattern = separator_pattern(separator)
    for doc in data.get("docs", []):
        text = " ".join(str(doc.get(f) or "") for f in ("title", "text"))
        forms = memos.remember(
            memo, str, partial(_forms, text, pattern), "search-forms", separator, text
        )
        if forms:
            doc[FIELD] = forms
    fields = config.setdefault("fields", {"title": {"boost": 1000.0}, "text": {"boost": 1.0}})
    fields[FIELD] = {"boost": 1.0}
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return True


def _forms(text: str, pattern: re.Pattern[str] | None) -> str:
    return " ".join(korean.page_forms(text, pattern))


SCRIPT = """\
// studylog: Korean search. Material's search worker adds a trailing wildcard to each
// query term; this treats each query like studylog treated the index (see
// studylog/korean.py, whose rules and numbers are written in below): every plain word is
// lower-cased, cut by the index's separator and searched as written and as its stems.
(function () {
  "use strict";
  if (window.studylogSearch) return;
  var ENDINGS = __ENDINGS__;
__NUMBERS__
  var HANGUL = /[__SYLLABLES__]/, HANGUL_WORD = /^[__SYLLABLES__]+$/;
  var LATIN_THEN_HANGUL = /^([0-9a-z][0-9a-z.+#]*)([__SYLLABLES__]+)$/;
  var SYNTAX = /[+\\-"~^*:]/;
  var separator = null;

  function syllable(initial, vowel, final) {
    return String.fromCharCode(BASE + (initial * VOWELS + vowel) * FINALS + (final || 0));
  }
  function uncontract(stem) {
    var last = stem.charAt(stem.length - 1);
    if (!stem || !HANGUL.test(last)) return stem;
    var code = last.charCodeAt(0) - BASE;
    var initial = Math.floor(code / (VOWELS * FINALS));
    var vowel = Math.floor(code / FINALS) % VOWELS, final = code % FINALS;
    var head = stem.slice(0, -1);
    if (final !== 0 && final !== SS) return stem;
    if (final === SS && initial === O && (vowel === A || vowel === EO) && stem.length > 1)
      return head;
    if (initial === H && vowel === AE) return head + syllable(H, A);
    if (UNCONTRACT.hasOwnProperty(vowel)) return head + syllable(initial, UNCONTRACT[vowel]);
    if (final === SS) return head + syllable(initial, vowel);
    return stem;
  }
  function stems(word) {
    var mixed = LATIN_THEN_HANGUL.exec(word);
    if (mixed) return [mixed[1]];
    if (!HANGUL_WORD.test(word)) return [];
    var out = [];
    function add(form) {
      if (form && form !== word && out.indexOf(form) < 0) out.push(form);
    }
    for (var i = 0; i < ENDINGS.length; i++) {
      var ending = ENDINGS[i];
      if (word.length > ending.length && word.slice(-ending.length) === ending) {
        var stem = word.slice(0, -ending.length);
        add(stem);
        add(uncontract(stem));
      }
    }
    add(uncontract(word));
    return out;
  }
  function queryTerms(word) {
    return [word].concat(stems(word));
  }
  function expand(query) {
    var out = [];
    query.split(/\\s+/).forEach(function (word) {
      if (!word) return;
      if (SYNTAX.test(word)) { out.push(word); return; }
      var low = word.toLowerCase();
      var pieces = separator ? low.split(separator) : [low];
      pieces.forEach(function (piece) {
        if (!piece) return;
        queryTerms(piece).forEach(function (term) {
          if (out.indexOf(term) < 0) out.push(term);
        });
      });
    });
    return out.join(" ");
  }

  // Material's page talks to its search worker with {type, data} messages: the index
  // (data.config, data.docs) once, then each query as a string.
  var post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (message) {
    var args = Array.prototype.slice.call(arguments);
    if (message && typeof message === "object") {
      var data = message.data;
      if (data && data.config && typeof data.config.separator === "string") {
        try { separator = new RegExp(data.config.separator); } catch (e) { separator = null; }
      } else if (typeof data === "string") {
        args[0] = {type: message.type, data: expand(data)};
      }
    }
    return post.apply(this, args);
  };
  window.studylogSearch = {expand: expand, queryTerms: queryTerms};
})();
"""


def _numbers() -> str:
    """The Hangul arithmetic of :mod:`studylog.korean` as the script's variables."""
    k = korean
    unc = "{" + ", ".join(f"{vowel}: {stem}" for vowel, stem in k.UNCONTRACT.items()) + "}"
    first = [("BASE", f"0x{k.BASE:x}"), ("VOWELS", k.VOWELS), ("FINALS", k.FINALS)]
    first += [("O", k.IEUNG), ("H", k.HIEUT), ("A", k.A), ("AE", k.AE), ("EO", k.EO)]
    second = [("SS", k.SS), ("UNCONTRACT", unc)]
    return "\n".join(
        "  var " + ", ".join(f"{name} = {value}" for name, value in line) + ";"
        for line in (first, second)
    )


def script() -> str:
    """The browser script, with the endings and the Hangul numbers of :mod:`studylog.korean`
    written in: the script holds no rule of its own."""
    values = {
        "ENDINGS": json.dumps(list(korean.ENDINGS), ensure_ascii=False),
        "NUMBERS": _numbers(),
        "SYLLABLES": korean.SYLLABLES,
    }
    return re.sub(r"__([A-Z]+)__", lambda m: values[m.group(1)], SCRIPT)
