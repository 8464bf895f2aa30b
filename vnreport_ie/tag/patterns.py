"""The tagger's regular patterns, compiled once from the lexicon.

Word lists come from :mod:`vnreport_ie.lexicon`; the shapes (digits, dates,
document numbers) are the language's own and live here.
"""

from __future__ import annotations

import re

from .. import lexicon as lx
from ..numbers import HEDGES, VAGUE

def _either_case(words) -> str:
    """An alternation of ``words`` with the first letter in either case, the rest as written."""
    return "|".join(f"[{w[0].upper()}{w[0]}]{re.escape(w[1:])}" for w in words)


_SCALE = "|".join(map(re.escape, lx.COUNT_SCALES))
_B = r"(?<![^\W_])"  # no letter or digit before
_E = r"(?![^\W_])"  # no letter or digit after
NUMWORD = "(?:" + "|".join(map(re.escape, lx.COUNT_WORDS)) + ")"
_HEDGE = "|".join(sorted((re.escape(h) for h in HEDGES), key=len, reverse=True))
_VAGUE = "|".join(sorted((re.escape(v) for v in VAGUE), key=len, reverse=True))
NUMBER = re.compile(
    rf"{_B}(?:(?P<hedge>{_HEDGE})\s+)?"
    rf"(?:(?P<vague>{_VAGUE})"
    rf"|(?P<digits>\d{{1,3}}(?:\.\d{{3}})+(?:,\d+)?|\d{{1,15}}(?:,\d+)?)(?![\d/.,-]\d)(?:\s+(?P<scale>{_SCALE})(?!\s+đồng))?"
    rf"|(?P<words>{NUMWORD}(?:\s+{NUMWORD}){{0,6}}))"
    rf"\s+(?=[^\W\d_])",
    re.IGNORECASE,
)
DATE_DMY = re.compile(rf"{_B}(?:(?:ngày|Ngày)\s+)?(\d{{1,2}})\s*([/.-])\s*(\d{{1,2}})\s*\2\s*(\d{{4}}){_E}")
DATE_WORDS = re.compile(rf"{_B}[Nn]gày\s+(\d{{1,2}})\s+tháng\s+(\d{{1,2}})\s+năm\s+(\d{{4}}){_E}")
MONTH = re.compile(rf"{_B}[Tt]háng\s+(\d{{1,2}})\s*(?:/|-|\s+năm\s+)\s*(\d{{4}}){_E}")
YEAR = re.compile(rf"{_B}[Nn]ăm\s+(\d{{4}}){_E}")
PERIOD_MONTHS = re.compile(
    rf"{_B}(\d{{1,2}}|ba|sáu|chín|mười hai)\s+tháng\s+(đầu|cuối)\s+năm(?:\s+(\d{{4}}))?{_E}",
    re.IGNORECASE)
PERIOD_QUARTER = re.compile(
    rf"{_B}[Qq]uý\s+(IV|I{{1,3}}|[1-4])(?:\s*[/-]\s*(\d{{4}})|\s+năm\s+(\d{{4}}))?{_E}")
PERIOD_TERM = re.compile(rf"{_B}[Nn]hiệm\s+kỳ\s+(\d{{4}})\s*[-–]\s*(\d{{4}}){_E}")
PERIOD_RANGE = re.compile(
    rf"{_B}[Tt]ừ\s+(?:ngày\s+)?(\d{{1,2}})(?:\s*/\s*(\d{{1,2}}))?(?:\s*/\s*(\d{{4}}))?"
    rf"\s+(?:đến|tới|-)\s+(?:ngày\s+)?(\d{{1,2}})\s*/\s*(\d{{1,2}})\s*/\s*(\d{{4}}){_E}")
DURATION = re.compile(rf"{_B}(\d{{1,3}}|{NUMWORD}(?:\s+{NUMWORD}){{0,3}})\s+(năm|tháng)(?!\s+(?:\d|đầu|cuối))",
                      re.IGNORECASE)
TERM = re.compile(rf"{_B}[Kk]h(?:óa|oá)\s+([IVXLC]+){_E}")
_DOC_TYPES = "|".join(sorted((re.escape(t) for t in lx.DOC_TYPES), key=len, reverse=True))
# Its code parts may hold digits (`1159/UBND-VX3`, `34/2018/QH14`), and news
# sometimes leaves a space after a separator (`6386/BNV- CCVC`, `1179/ QĐ`).
_DOC_PART = r"[A-ZĐ][A-ZĐa-zđ0-9]*"
_DOC_SUFFIX = rf"(?:/\d{{2,4}})?(?:[-/]\s?{_DOC_PART})+(?:-\s?[A-ZĐ0-9][A-ZĐa-zđ0-9]*)*"
DOC_NUMBER = rf"\d+[a-z]?{_DOC_SUFFIX}"
# Words that may stand between a document's type and its number (`quyết định kỷ luật số`,
# `Công điện hỏa tốc số`); without them `luật` of `kỷ luật` would read as a law.
_DOC_QUAL = "|".join(sorted(map(re.escape, lx.DOC_QUALIFIERS), key=len, reverse=True))
# A bare number after a capitalised document type (`Nghị quyết 29`, `Nghị định số
# 52/2013`) is a reference; after a lower-case one, or before a unit of time, it is a count.
_BARE_NUMBER = r"\d{1,4}(?:/\d{4})?(?![\w/.,-]*\d)(?!\s*(?:năm|tháng|ngày|tuần|giờ|lần|%)(?![^\W_]))"
# A law or code named with its year (`Luật Giáo dục năm 2019`, `Luật GDNN 2014`,
# `Bộ luật Hình sự 2015`): up to six name words.
_LAW_WORD = r"(?!(?:được|đã|có|và|của|thông|năm|do|về|sửa|số)\s)[\wĐđ&]+"
DOC = re.compile(
    rf"{_B}(?<!kỷ\s)(?P<type>{_DOC_TYPES})(?:\s+(?:{_DOC_QUAL}))?\s+(?:(?:số|Số)\s+)?(?P<number>{DOC_NUMBER})"
    rf"|{_B}(?<!kỷ\s)(?P<type2>{_DOC_TYPES})(?:\s+(?:{_DOC_QUAL}))?(?:\s+(?:số|Số))?(?=\s*,?\s+ngày\s+\d)"
    rf"|{_B}(?:số|Số)\s+(?P<number2>{DOC_NUMBER})"
    # Numbers that share a suffix (`Quy định số 131, 132-QĐ/TW`): one document each (spec).
    rf"|{_B}(?<!kỷ\s)(?P<type6>{_DOC_TYPES})\s+(?:(?:số|Số)\s+)?(?P<shared>\d{{1,4}}(?:\s*,\s*\d{{1,4}})*)"
    rf"\s*(?:,|và)\s*(?P<number6>\d{{1,4}}(?P<suffix>{_DOC_SUFFIX}))"
    rf"|{_B}(?-i:(?P<type3>{_DOC_TYPES}))\s+(?:số\s+)?(?P<number3>{_BARE_NUMBER})"
    # A bare number with the document's date after it, whatever the case (`công văn số 1017 ngày 29/4`).
    rf"|{_B}(?<!kỷ\s)(?P<type5>{_DOC_TYPES})\s+(?:số|Số)\s+(?P<number5>\d{{1,5}})(?=\s*,?\s+ngày\s+\d{{1,2}}\s*[/.-]\s*\d)"
    # A resolution or conclusion named by the plenum or congress that passed it (spec v2 `session`):
    # `Nghị quyết Trung ương 4 khóa XII`, `Nghị quyết Đại hội XIII của Đảng`,
    # `Nghị quyết Đại hội đại biểu Đảng bộ tỉnh lần thứ XV`.
    rf"|{_B}(?P<type4>nghị quyết|kết luận)\s+(?:của\s+)?(?P<session>(?:hội nghị\s+)?(?:trung ương|tw)\s+(?P<plenum>\d{{1,2}})"
    rf"|đại hội\s+(?:đại biểu\s+)?(?:toàn quốc\s+)?(?:lần thứ\s+)?(?-i:(?P<congress>[IVXLC]+))(?![^\W_])"
    rf"|đại hội\s+(?:đại biểu\s+)?đảng bộ(?:\s+(?!lần)[\wĐđ]+){{0,4}}?\s+lần thứ\s+(?-i:[IVXLC]+)(?![^\W_]))"
    rf"(?:\s+(?:khóa|khoá)\s+(?-i:(?P<session_term>[IVXLC]+))(?![^\W_]))?"
    rf"|{_B}(?P<lawtype>(?-i:Luật|Bộ\s+luật))\s+(?P<law>(?-i:[A-ZĐ])[\wĐđ&]*(?:\s+{_LAW_WORD}){{0,5}}?)\s+(?:năm\s+)?(?P<law_year>(?:19|20)\d\d)(?!\d)"
    # ... or with its number (`Luật Trồng trọt số 31/2018/QH14`): the name its title.
    rf"|{_B}(?P<lawtype2>(?-i:Luật|Bộ\s+luật))\s+(?P<law2>[^\W\d_]+(?:\s+{_LAW_WORD}){{0,5}}?)\s+(?:số|Số)\s+"
    rf"(?P<law_number>{DOC_NUMBER})",
    re.IGNORECASE)
# The scan's gate for the last two: a document type, then a number or a year within a few words.
DOC_BARE_GATE = re.compile(rf"(?:{'|'.join(sorted((re.escape(t.lower()) for t in lx.DOC_TYPES), key=len, reverse=True))})"
                           r"\s+(?:số\s+)?\d|luật(?:\s+\S+){1,6}?\s+(?:năm\s+)?(?:19|20)\d\d"
                           r"|(?:nghị quyết|kết luận)\s+(?:của\s+)?(?:hội nghị\s+)?(?:trung ương|tw|đại hội)")
# A document named without a number, told issued in a clause that opens with its
# day (`Ngày 9/3, Ban Chỉ đạo tỉnh đã có văn bản gửi ...`): a fact by its date.
_ISSUE = ("(?:(?:" + "|".join(sorted(map(re.escape, lx.DOC_ISSUE_ADVERBS), key=len, reverse=True)) + r")\s+)*(?:"
          + "|".join(sorted(map(re.escape, lx.DOC_ISSUE_VERBS), key=len, reverse=True)) + ")")
DOC_ISSUED = re.compile(
    rf"{_B}{_ISSUE}\s+(?:(?:một|các)\s+)?(?P<type>{'|'.join(sorted(map(re.escape, lx.DOC_DATED_TYPES), key=len, reverse=True))})"
    rf"(?:\s+(?:{_DOC_QUAL}))?{_E}(?!\s*(?:số|Số)(?![^\W_])|\s*\d)", re.IGNORECASE)
_DAY_LEAD = "|".join(sorted(map(re.escape, lx.DAY_WORDS), key=len, reverse=True))
DAY_OPENING = re.compile(rf"\W*(?:[^\W\d_]+(?:\s+[^\W\d_]+)?\s*,\s*)?(?:(?:đến|từ)\s+)?(?:(?:{_DAY_LEAD})(?:\s+(?:nay|qua|ngày))*\s*\(?\s*)?"
                         r"\d{1,2}\s*[/.-]\s*\d{1,2}(?:\s*[/.-]\s*\d{4})?\s*\)?\s*,", re.IGNORECASE)
QUOTE = re.compile(r"[\"“]([^\"“”\n]{3,400})[\"”]")
ABOUT = re.compile(r"về\s+[^;.\n“\"”]{5,300}")
# `kỷ niệm 90 năm Ngày thành lập ...`; news titles leave out `kỷ niệm` before a
# named day (`49 năm Ngày giải phóng tỉnh ...`); `trong 5 năm Ngày hội ...` is a span of time.
ANNIVERSARY = re.compile(rf"{_B}(?:[Kk]ỷ niệm\s+(\d{{1,4}})\s+năm\s+|(?<![\d/.,-])(?<!trong\s)(?<!Trong\s)(?<!sau\s)(?<!Sau\s)(?<!hơn\s)(?<!gần\s)(?<!qua\s)"
                         rf"(\d{{1,3}})\s+năm\s+(?=Ngày\s+[^\W\d_]))")
REVIEW = re.compile(rf"{_B}({_either_case(lx.REVIEW_KINDS)})\s+(?:(\d{{1,3}}|{NUMWORD}(?:\s+{NUMWORD}){{0,2}})\s+năm\s+|giữa\s+nhiệm\s+kỳ\s+)?"
                    r"(?:thực hiện\s+|triển khai\s+|việc thực hiện\s+)?")
# What every period pattern holds, and what a period or a year (`năm 2021`) holds.
PERIODISH = re.compile(r"tháng\s+(?:đầu|cuối)|quý|nhiệm\s+kỳ|từ\s+(?:ngày\s+)?\d", re.IGNORECASE)
YEARISH = re.compile(PERIODISH.pattern + r"|năm\s+\d", re.IGNORECASE)
# Triggers of courses and meetings named without a count of their own.
COURSE_WORD = re.compile(r"(?<![^\W_])(?:" + "|".join(map(re.escape, lx.COURSE_NOUNS)) + r")\s+(?=\w)")
# A course opened or closed: `khai giảng lớp bồi dưỡng ...` (the course starts after the noun).
COURSE_EVENT = re.compile(r"(?<![^\W_])(?:" + "|".join(map(re.escape, lx.COURSE_EVENT_VERBS)) + r")\s+(?:các\s+)?(?:"
                          + "|".join(map(re.escape, lx.COURSE_NOUNS)) + r")(?:\s+học)?\s+(?=[^\W\d_])", re.IGNORECASE)
# Training told given or planned: a marker, then a training word (`đã tập huấn`,
# `sẽ thực hiện tập huấn`); the rule reads the `cho` and group after it.
_TRAINING = "|".join(sorted((re.escape(w) for w in lx.TRAINING_WORDS), key=len, reverse=True))
COURSE_GIVEN = re.compile(r"(?<![^\W_])(?:" + "|".join(sorted((re.escape(w) for w in lx.GIVEN_MARKERS), key=len, reverse=True))
                          + rf")\s+(?=(?:{_TRAINING})(?![^\W_]))", re.IGNORECASE)
# Training told received (`cán bộ, chiến sĩ ... đã được tập huấn ...`): the group is the subject.
COURSE_RECEIVED = re.compile(r"(?<![^\W_])được\s+(?:cử\s+đi\s+)?(?=(?:"
                             + "|".join(sorted((re.escape(w) for w in lx.RECEIVED_WORDS), key=len, reverse=True))
                             + r")(?![^\W_]))", re.IGNORECASE)
# A class or course held whose name is training (`tổ chức lớp tập huấn ...`, `mở khóa đào tạo ...`):
# the course starts at the training word.
COURSE_OPENED = re.compile(r"(?<![^\W_])(?:" + "|".join(sorted((re.escape(w) for w in lx.HOLD_VERBS), key=len, reverse=True))
                           + r")\s+(?:các\s+)?(?:" + "|".join(map(re.escape, lx.COURSE_NOUNS))
                           + rf")\s+(?=(?:{_TRAINING})(?![^\W_]))", re.IGNORECASE)
HOLD_WORD = re.compile(r"(?<![^\W_])(?:" + "|".join(map(re.escape, lx.HOLD_VERBS)) + r")\s+")
# A listed sub-course with its headcount in brackets: `; Kiểm tra giám sát (90 học viên)`.
LIST_ITEM = re.compile(r"(?:(?<=[:;,])|(?<=[:;,] ))\s*([^\W\d_][^():;,\n]{1,80}?)\s*\(\s*(?=[^)]*\))")
# A verb that tells a meeting was held (a single meeting is a fact only with one in its sentence).
MEETING_HELD = re.compile(rf"(?<![^\W_])(?:{'|'.join(re.escape(w) for w in sorted(lx.MEETING_HOLD_VERBS, key=len, reverse=True))})(?![^\W_])",
                          re.IGNORECASE)
# A verb that tells it only right before the meeting's noun (matched on the text before it).
MEETING_HELD_BEFORE = re.compile(rf"(?<![^\W_])(?:{'|'.join(re.escape(w) for w in lx.MEETING_HOLD_BEFORE)})\s+$",
                                 re.IGNORECASE)
# (longest first: `cuộc họp báo` before `cuộc họp`)
MEETING_WORD = re.compile(rf"(?<![^\W_])(?:{_either_case(sorted(lx.MEETING_NAMED, key=len, reverse=True))})(?![^\W_])")
# The same, told held by the verb before it (`có buổi làm việc`): the scan's gate of such sentences.
MEETING_HAD = re.compile(rf"(?<![^\W_])(?:{'|'.join(re.escape(w) for w in lx.MEETING_HOLD_BEFORE)})\s+"
                         rf"(?:{_either_case(lx.MEETING_NAMED)})(?![^\W_])", re.IGNORECASE)
# `cho` before a word: what follows may be the group a course or meeting is for.
CHO = re.compile(r"(?<![^\W_])cho\s+(?=[^\W\d_])")
MONEY_AFTER = re.compile(r"\s*(?:tỷ|tỉ|triệu|nghìn|ngàn)?\s*(?:đồng|USD|usd|VNĐ|VND|đ\b)")
ORG_HEAD = re.compile(
    r"(?<![^\W_])(?:" + "|".join(sorted((re.escape(h) for h in lx.ORG_HEADS), key=len, reverse=True))
    + r")(?![^\W_])", re.IGNORECASE)
GAP_FILLER = re.compile(r"(?:\s+(?:" + "|".join(map(re.escape, lx.GAP_FILLERS)) + r"))+\s*$")
