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

# Month names as the calendar writes them (keys of the catalogs).
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

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
    # the Questions page
    "All questions": "질문 모음",
    "By week": "주차별",
    "By keyword": "키워드별",
    "Unanswered": "답 없음",
    "Card": "카드",
    "No answer was written.": "적어 둔 답이 없습니다.",
    "No questions in the logs yet.": "기록에 아직 질문이 없습니다.",
    "{questions} questions from {logs} logs, {open} without an answer.": (
        "기록 {logs}개에서 질문 {questions}개, 그중 답이 없는 질문 {open}개."
    ),
    "Review them": "복습하기",
    # the Review page
    "Review": "복습",
    "All weeks": "모든 주차",
    "All keywords": "모든 키워드",
    "Keyword": "키워드",
    "Show answer": "답 보기",
    "Space": "스페이스",
    "Again": "다시",
    "Hard": "어려움",
    "Good": "좋음",
    "Easy": "쉬움",
    "Space or Enter shows the answer; 1 to 4 grade it.": (
        "스페이스나 엔터로 답을 보고, 1–4로 평가합니다."
    ),
    "The schedule stays in this browser.": "복습 일정은 이 브라우저에만 저장됩니다.",
    "The review runs in the browser with JavaScript.": (
        "복습은 브라우저의 자바스크립트로 동작합니다."
    ),
    "No answered questions to review yet.": "복습할 답이 있는 질문이 아직 없습니다.",
    "{due} due of {total} cards": "카드 {total}장 중 {due}장 복습할 차례",
    "Nothing is due now.": "지금 복습할 카드가 없습니다.",
    "Next card is due on {date}.": "다음 복습: {date}",
    "The review could not start: {error}": "복습을 시작하지 못했습니다: {error}",
    "min": "분",
    "h": "시간",
    "d": "일",
    # the study calendar
    "Study calendar": "학습 달력",
    "Current streak": "현재 연속 학습",
    "Longest streak": "최장 연속 학습",
    "Study days": "학습한 날",
    "{n} day": "{n}일",
    "{n} days": "{n}일",
    "{n} log": "기록 {n}개",
    "{n} logs": "기록 {n}개",
    "{n} question": "질문 {n}개",
    "{n} questions": "질문 {n}개",
    "Less": "적음",
    "More": "많음",
    "As of {date}.": "{date} 기준.",
    **{name: f"{number}월" for number, name in enumerate(MONTHS, start=1)},
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
