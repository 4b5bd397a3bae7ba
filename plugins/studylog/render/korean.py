"""Korean segmentation for the search index.

lunr splits text on its separator only, so ``트랜스포머를`` is one token and a
search for ``트랜스포머`` never finds it. Korean writes particles and endings
onto the word (eojeol); splitting the common ones off with a zero-width space
(which the search separator includes) makes the stem its own token, the way
Material segments Chinese with jieba. The page text is unchanged: this runs on
the search index only.
"""

from __future__ import annotations

import re

ZWSP = "\u200b"

# Common particles (조사) and verb endings, longest first so "에서는" wins over "는".
ENDINGS = sorted(
    {
        "에서는", "으로는", "에게서", "이라는", "이라고", "에서도", "까지는", "부터는",
        "했습니다", "합니다", "입니다", "하였다", "이었다", "되었다", "에서", "에게",
        "으로", "부터", "까지", "처럼", "보다", "마다", "이나", "이랑", "한테", "께서",
        "라는", "라고", "에는", "와는", "과는", "로는", "으로써", "로써", "했다", "한다",
        "하는", "하고", "해서", "하여", "하면", "하기", "했고", "된다", "되는", "되어",
        "됐다", "이다", "였다", "적인", "적으로", "들은", "들이", "들을", "들의",
        "은", "는", "이", "가", "을", "를", "의", "에", "로", "와", "과", "도", "만", "랑",
    },
    key=len,
    reverse=True,
)
_HANGUL_RUN = re.compile(r"[\uac00-\ud7a3]+")
_LATIN_THEN_HANGUL = re.compile(r"(?<=[A-Za-z0-9])(?=[\uac00-\ud7a3])")
MIN_STEM = 2  # syllables; a one-syllable stem is more often a whole word (길이, 차이)


def split_eojeol(word: str) -> str:
    """``트랜스포머를`` -> ``트랜스포머\\u200b를``; words without a known ending are kept."""
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
            return word[: -len(ending)] + ZWSP + ending
    return word


def segment(text: str) -> str:
    """Text with Korean particles/endings split off by zero-width spaces."""
    text = _LATIN_THEN_HANGUL.sub(ZWSP, text)  # "LSTM의", "MLP를"
    return _HANGUL_RUN.sub(lambda m: split_eojeol(m.group(0)), text)
