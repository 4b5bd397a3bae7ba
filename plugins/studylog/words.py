"""The words studylog writes into a site, in the site's language (``theme.language``).

One catalog per language, keyed by the English text: every generated page name,
navigation label, table heading and header label is looked up here, so a
``language: ko`` site reads Korean throughout and an English one English. A text
missing from a catalog is shown in English. ``{name}`` fields are filled by
:meth:`Words.__call__`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

KO: Mapping[str, str] = {
    # page names and navigation
    "Keywords": "키워드",
    "Questions and answers": "질문과 답변",
    "Execution report": "실행 보고서",
    "Weeks": "주차별 기록",
    "Undated": "날짜 없는 기록",
    "Week {n}": "{n}주차",
    "{week} overview": "{week} 요약",
    "Retrospective: {title}": "회고: {title}",
    "{date} study log": "{date} 학습 기록",
    "Day {n}": "{n}일차",
    "Days {first}–{last}": "{first}–{last}일차",
    # header and table labels
    "Date": "날짜",
    "Dates": "기간",
    "Week": "주차",
    "Log": "기록",
    "Logs": "기록",
    "Days": "공부한 날",
    "Questions": "질문",
    "Answers": "답변",
    "Q / A": "질문 / 답변",
    "Q/A": "질문/답변",
    "Tasks": "할 일",
    "{done} done · {open} open": "완료 {done} · 남음 {open}",
    "Multi-day logs": "여러 날 기록",
    "Retrospective": "회고",
    "Days with a record": "기록이 있는 날",
    "{recorded} of {days}": "{days}일 중 {recorded}일",
    "Per week": "주별",
    "Month": "월",
    "Months": "월별 기록",
    "Per day": "날짜별",
    "{n} more day has no record of questions or answers.": (
        "질문·답변 기록이 없는 날이 {n}일 더 있습니다."
    ),
    "{n} more days have no record of questions or answers.": (
        "질문·답변 기록이 없는 날이 {n}일 더 있습니다."
    ),
    "No day has a record of questions or answers.": "질문·답변 기록이 있는 날이 없습니다.",
    "{keywords} keywords in {logs} logs.": "기록 {logs}개에서 키워드 {keywords}개.",
    # the execution report
    "Sessions": "세션",
    "Session": "세션",
    "Failed": "실패",
    "Run now": "이번에 실행",
    "From the cache": "캐시에서",
    "Total duration": "총 실행 시간",
    "Status": "상태",
    "Time": "시간",
    "Device": "장치",
    "Note": "메모",
    "run": "실행",
    "cached": "캐시",
    "frozen": "저장된 출력",
    "not run": "실행 안 함",
    "No executable snippets in the logs.": "기록에 실행할 코드가 없습니다.",
    # the dashboard
    "Weeks (count)": "주차",
    "Snippet sessions": "코드 세션",
    "{ok} ok of {total}": "{total}개 중 {ok}개 성공",
    "Latest": "최근 기록",
    "All Q/A statistics": "질문·답변 통계 전체",
    "Top keywords": "자주 나온 키워드",
    "Q/A over time": "날짜별 질문과 답변",
}

CATALOGS: Mapping[str, Mapping[str, str]] = {"en": {}, "ko": KO}

# Texts whose English differs from their key (the key says which sense is meant).
EN: Mapping[str, str] = {"Weeks (count)": "Weeks"}


@dataclass(frozen=True)
class Words:
    """The catalog of one language; ``words("Week {n}", n=3)`` is the text to write."""

    language: str = "en"
    catalog: Mapping[str, str] = field(default_factory=dict)

    def __call__(self, text: str, **fields: Any) -> str:
        said = self.catalog.get(text) or EN.get(text, text)
        return said.format(**fields) if fields else said


def words_for(language: object) -> Words:
    """The words of ``theme.language`` (``ko``, ``ko-KR``, ``en``...); English when studylog
    has no catalog for it."""
    code = str(language or "en").replace("_", "-").split("-")[0].lower()
    if code not in CATALOGS:
        code = "en"
    return Words(code, CATALOGS[code])


ENGLISH = words_for("en")
