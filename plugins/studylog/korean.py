"""Korean, the one place its rules live: Hangul syllables, counters, and word forms for search.

* Hangul arithmetic: a precomposed syllable is ``BASE + (initial * VOWELS + vowel) *
  FINALS + final`` (Unicode), so its initial consonant, vowel and final consonant
  are numbers; :func:`initial_consonant` gives the keyword index's letter, and the
  search script in the browser is written from the same constants
  (:mod:`studylog.mkdocs_plugin.search`).
* Counters: ``3번``, ``3회`` (:data:`COUNT_UNIT`), which the parser strips from
  question and answer counts.
* Search forms. Material's search (lunr) finds a token when a query term is its
  prefix: every term gets a trailing wildcard. Korean writes particles and endings
  onto the word (eojeol), so a reader who types ``디코더의`` must find a page that
  says ``디코더가``, ``학습했다`` must find ``학습하는``, and ``미분`` must find
  ``자동미분을``. Two halves make that work, and both follow the rules here:

  - the query: each Korean word typed is searched as written *and* as its stems
    (:func:`query_terms`): ``디코더의`` -> ``디코더의``, ``디코더``. A stem is a
    prefix of every form of the word, so the wildcard finds them all;
  - the index: each page gets a hidden field with the forms of its words that a
    stem cannot reach by prefix (:func:`index_forms`): the uncontracted verb
    (``바꿔`` -> ``바꾸``, so ``바꾸는`` finds it) and the later parts of a word
    (``자동미분`` -> ``동미분``, ``미분``), so a part of a compound is a prefix of
    a token.

  The page text is never changed. The rules are plain data (:data:`ENDINGS`) and
  a few small functions; :func:`studylog.mkdocs_plugin.search.script` writes the
  same rules into the script that treats the query in the browser.

This module imports nothing of studylog: the parser, the statistics and the search
glue all ask it.
"""

from __future__ import annotations

import functools
import re

# Where Material's search cuts text into words (its ``separator``, a JavaScript regular
# expression read by the search worker, and by :func:`page_forms` here). Material's default
# cuts at white space and hyphens only, so ``대화(맥락을`` and ``“맥락”을`` would each be one
# word and ``맥락`` would find neither. This one also cuts at the punctuation Korean and
# English writing attach to words (brackets, straight and curly quotes, corner brackets,
# commas, colons, slashes, ellipses), at a period that does not start a decimal
# (``nn.Linear``, not ``0.5``), at escaped angle brackets, and before the capital of a
# camelCase part (``ResNet`` -> ``Res``, ``Net``).
SEPARATOR = (
    r"[\s\-_,:;!?=\[\](){}<>\"'`/|“”‘’「」『』《》〈〉【】·…]+"
    r"|\.(?!\d)|&[lg]t;|(?!\b)(?=[A-Z][a-z])"
)

# Particles (조사), the copula and common verb endings that follow a stem, as written
# after it. A stem is what is left when one of them is cut off the end of a word.
ENDINGS: tuple[str, ...] = tuple(
    sorted(
        {
            # particles
            "은",
            "는",
            "이",
            "가",
            "을",
            "를",
            "의",
            "에",
            "로",
            "와",
            "과",
            "도",
            "만",
            "랑",
            "께",
            "나",
            "들",
            "에서",
            "에게",
            "한테",
            "으로",
            "부터",
            "까지",
            "처럼",
            "보다",
            "마다",
            "이나",
            "이랑",
            "께서",
            "라는",
            "라고",
            "이라는",
            "이라고",
            "에는",
            "와는",
            "과는",
            "로는",
            "으로는",
            "에서는",
            "에서도",
            "까지는",
            "부터는",
            "으로써",
            "로써",
            "에도",
            "으로도",
            "로도",
            "만으로",
            "만이",
            "만을",
            "만의",
            "조차",
            "마저",
            "밖에",
            "이라",
            "이며",
            "이고",
            "이면",
            "이지만",
            "인데",
            "이다",
            "이에요",
            "예요",
            "에요",
            "입니다",
            "들은",
            "들이",
            "들을",
            "들의",
            "들에",
            "들과",
            "들도",
            "들로",
            "적인",
            "적으로",
            "적이",
            "에서의",
            "으로의",
            "로의",
            "과의",
            "와의",
            "에게서",
            # verb and adjective endings (the past tense is undone by the contraction rule)
            "다",
            "고",
            "며",
            "면",
            "서",
            "니",
            "게",
            "지",
            "기",
            "음",
            "요",
            "죠",
            "네",
            "던",
            "어",
            "아",
            "여",
            "해",
            "어서",
            "아서",
            "여서",
            "어도",
            "아도",
            "어야",
            "아야",
            "으면",
            "으니",
            "으며",
            "는데",
            "은데",
            "지만",
            "거나",
            "는지",
            "은지",
            "도록",
            "려고",
            "으려고",
            "면서",
            "으면서",
            "니까",
            "으니까",
            "었다",
            "았다",
            "였다",
            "습니다",
            "어요",
            "아요",
            "세요",
            "으세요",
            "고서",
            "자마자",
            "한다",
            "했다",
            "하는",
            "하고",
            "해서",
            "하여",
            "하면",
            "하기",
            "했고",
            "하게",
            "하지",
            "하며",
            "하니",
            "한",
            "할",
            "함",
            "했던",
            "하던",
            "하였다",
            "했습니다",
            "합니다",
            "된다",
            "되는",
            "되어",
            "됐다",
            "되었다",
            "되고",
            "되면",
            "된",
            "될",
            "시키는",
            "시켜",
            "시켰다",
            "시킨",
            "더니",
            "다가",
            "다고",
            "기로",
            "기에",
            "기도",
            "지는",
            "지도",
            "고는",
            # auxiliary verbs after a connective (바꿔 보니, 돌려 가며), often written as one word
            "보니",
            "보고",
            "보면",
            "봤다",
            "보는",
            "본",
            "가며",
            "가면서",
            "갔다",
            "주는",
            "주고",
            "줬다",
            "두고",
            "놓고",
        },
        key=lambda e: (-len(e), e),
    )
)

_ENDING_SET = frozenset(ENDINGS)
MIN_PART = 2  # syllables in a later part of a word that is indexed on its own

# -- Hangul syllable arithmetic (Unicode: BASE + (initial * VOWELS + vowel) * FINALS + final) --

BASE, VOWELS, FINALS = 0xAC00, 21, 28
LAST = 0xD7A3  # the last precomposed syllable (힣)
SYLLABLES = f"\\u{BASE:04x}-\\u{LAST:04x}"  # a character class range, for Python and JavaScript
# The 19 initial consonants in syllable order: the index letters of Korean keywords.
INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
IEUNG, HIEUT = INITIALS.index("ㅇ"), INITIALS.index("ㅎ")  # initials the contraction rules name
# Vowels (in syllable order) the contraction rules name.
A, AE, EO, YEO, VOWEL_O, WA, WAE, OE, U, WO, VOWEL_I = 0, 1, 4, 6, 8, 9, 10, 11, 13, 14, 20
SS = 20  # final ㅆ: the past tense fused into the syllable (했, 봤, 렸, 웠)
# A vowel that a following 어/아 contracted into, and the stem's own vowel.
UNCONTRACT = {YEO: VOWEL_I, WO: U, WA: VOWEL_O, WAE: OE}
# Compatibility jamo (ㄱ, ㅏ) and conjoining jamo: Hangul too, though not syllables.
_JAMO = ((0x3131, 0x318E), (0x1100, 0x11FF))

_HANGUL = re.compile(f"[{SYLLABLES}]")
_HANGUL_WORD = re.compile(f"^[{SYLLABLES}]+$")
_LATIN_THEN_HANGUL = re.compile(f"^([0-9a-z][0-9a-z.+#]*)([{SYLLABLES}]+)$")

# Counters written after a count (``질문 3번``, ``3회``), and English "time(s)".
COUNT_UNIT = "번|회|개|건|times?"


def is_syllable(ch: str) -> bool:
    """A precomposed Hangul syllable (가 ... 힣)."""
    return BASE <= ord(ch) <= LAST if len(ch) == 1 else False


def is_hangul(ch: str) -> bool:
    """A Hangul syllable or jamo."""
    return is_syllable(ch) or any(lo <= ord(ch) <= hi for lo, hi in _JAMO)


def initial_consonant(syllable: str) -> str:
    """The initial consonant of a Hangul syllable: 디 -> ㄷ, 학 -> ㅎ."""
    return INITIALS[(ord(syllable) - BASE) // (VOWELS * FINALS)]


def _parts(syllable: str) -> tuple[int, int, int]:
    code = ord(syllable) - BASE
    return code // (VOWELS * FINALS), code // FINALS % VOWELS, code % FINALS


def _syllable(initial: int, vowel: int, final: int = 0) -> str:
    return chr(BASE + (initial * VOWELS + vowel) * FINALS + final)


def uncontract(stem: str) -> str:
    """The verb stem before a contracted ending: 바꿔 -> 바꾸, 돌렸 -> 돌리, 쌓았 -> 쌓.

    Only the last syllable changes; a word it does not apply to comes back as it is."""
    if not stem or not _HANGUL.fullmatch(stem[-1]):
        return stem
    initial, vowel, final = _parts(stem[-1])
    if final not in (0, SS):
        return stem
    if final == SS and initial == IEUNG and vowel in (A, EO) and len(stem) > 1:
        return stem[:-1]  # 쌓았 -> 쌓, 먹었 -> 먹
    if initial == HIEUT and vowel == AE:
        return stem[:-1] + _syllable(HIEUT, A)  # 해, 했 -> 하
    if vowel in UNCONTRACT:
        return stem[:-1] + _syllable(initial, UNCONTRACT[vowel])
    if final == SS:
        return stem[:-1] + _syllable(initial, vowel)  # 냈 -> 내, 갔 -> 가
    return stem


def stems(word: str) -> list[str]:
    """The stems of one word as the search tokenizer cut it (lower-case), word excluded.

    ``디코더가`` -> ``디코더``; ``학습했다`` -> ``학습했``, ``학습하``, ``학습``;
    ``lstm의`` -> ``lstm``. Every ending the word ends with is cut, so a word that
    only looks like it ends in a particle (``차이``) also gives a (harmless, short) stem.
    """
    return list(_stems(word))


# A site's pages say the same words again and again: each word's forms are worked out once.
_WORDS_KEPT = 1 << 16


@functools.lru_cache(maxsize=_WORDS_KEPT)
def _stems(word: str) -> tuple[str, ...]:
    mixed = _LATIN_THEN_HANGUL.match(word)
    if mixed:
        return (mixed.group(1),)
    if not _HANGUL_WORD.match(word):
        return ()
    out: list[str] = []
    for ending in ENDINGS:
        if len(word) > len(ending) and word.endswith(ending):
            stem = word[: -len(ending)]
            for form in (stem, uncontract(stem)):
                if form and form != word and form not in out:
                    out.append(form)
    bare = uncontract(word)  # 바꿔, 돌려: a connective form with no ending after it
    if bare != word and bare not in out:
        out.append(bare)
    return tuple(out)


def query_terms(word: str) -> list[str]:
    """What one typed word (lower-case) is searched as: the word, then its stems."""
    return [word, *stems(word)]


def expand_query(query: str, separator: re.Pattern[str] | None = None) -> str:
    """The query as the search runs it: each plain word lower-cased, cut where the
    index's ``separator`` cuts text (``nn.LSTM의`` -> ``nn``, ``lstm의``), then searched
    as written and as its stems. Lower-case first, so a separator that cuts camelCase
    leaves ``ResNet`` whole (the index holds it whole too, see :func:`page_forms`).
    Words with search syntax (``+`` ``-`` ``"`` ``~`` ``^`` ``*`` ``:``) are kept as
    typed. The browser script (``studylog.mkdocs_plugin.search``) does the same."""
    out: list[str] = []
    for word in query.split():
        if _SYNTAX.search(word):
            out.append(word)
            continue
        low = word.lower()
        pieces = [p for p in separator.split(low) if p] if separator is not None else [low]
        for piece in pieces:
            for term in query_terms(piece):
                if term not in out:
                    out.append(term)
    return " ".join(out)


_SYNTAX = re.compile(r'[+\-"~^*:]')
_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"[^\W_]+")
# ResNet, ResNet의: words a camelCase separator cuts in pieces
_CAMEL = re.compile(f"^[A-Za-z]+[{SYLLABLES}]*$")


def index_forms(word: str) -> list[str]:
    """Forms of a page's word that a query's stem cannot reach by prefix.

    The uncontracted stems (``바꿔`` -> ``바꾸``, also inside the word: ``바꿔가며`` ->
    ``바꾸``) and every later part of the word
    and of its stems, from ``MIN_PART`` syllables (``자동미분을`` -> ``동미분``,
    ``미분``, ``분을``...). Forms that are a prefix of the word are left out: the
    query's wildcard reaches them already.
    """
    return list(_index_forms(word))


@functools.lru_cache(maxsize=_WORDS_KEPT)
def _index_forms(word: str) -> tuple[str, ...]:
    if not _HANGUL.search(word):
        return ()
    out: set[str] = set()
    for end in range(2, len(word)):  # a verb inside the word: 바꿔가며 -> 바꾸 (바꾸어 가며)
        head = uncontract(word[:end])
        if head != word[:end]:
            out.add(head)
    for form in (word, *stems(word)):
        if not word.startswith(form):
            out.add(form)
        if _HANGUL_WORD.match(form):
            out.update(form[i:] for i in range(1, len(form) - MIN_PART + 1))
    return tuple(sorted(out - _ENDING_SET))


def page_forms(text: str, separator: re.Pattern[str] | None = None) -> list[str]:
    """The forms of every word of a page's search text (HTML tags skipped), sorted.

    A word the index's ``separator`` cuts in pieces (``ResNet`` -> ``res``, ``net``)
    is added whole too, so ``resnet`` typed in lower case finds it."""
    out: set[str] = set()
    for word in set(_WORD.findall(_TAG.sub(" ", text))):
        low = word.lower()
        if (
            separator is not None
            and _CAMEL.match(word)
            and len([p for p in separator.split(word) if p]) > 1
        ):
            out.add(low)
            out.update(_stems(low))
        out.update(_index_forms(low))
    return sorted(out)
