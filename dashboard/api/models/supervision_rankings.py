"""Request and response models of the monthly ranking and bulletin (/api/v1/supervision/rankings, bulletin.docx,
rankings.xlsx)."""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from dashboard.api.models import Reply, Request
from services.supervision.rankings import GROUPINGS

MONTH_PATTERN = r"^(20\d\d)-(0[1-9]|1[0-2])$"


class BulletinQuery(Request):
    month: str = Field(pattern=MONTH_PATTERN, description="the local calendar month (Asia/Shanghai), e.g. 2026-07; "
                                                          "not one still to come")
    township: str | None = Field(default=None, pattern="^[0-9]{9}$",
                                 description="one township's enterprises only (township staff: always their own)")
    lang: Literal["zh", "en"] = Field(default="zh", description="the language of the document")


class RankingsQuery(Request):
    month: str = Field(pattern=MONTH_PATTERN, description="the local calendar month (Asia/Shanghai), e.g. 2026-07; "
                                                          "not one still to come")
    by: Literal[GROUPINGS] = Field(  # type: ignore[valid-type]
        default="sector", description="sector, township, or department (of the inspection that found it; "
                                      "key \"\" gathers what no department's inspection found)")
    township: str | None = Field(default=None, pattern="^[0-9]{9}$",
                                 description="one township's enterprises only (township staff: always their own)")


class RankingFigures(Reply):
    """A month's figures; ``in_time_share`` is null when nothing was closed off; ``penalty_yuan`` is exact text."""

    inspections: int
    dangers_found: int
    dangers_closed: int
    closed_in_time: int
    in_time_share: float | None
    overdue: int
    penalties: int
    penalty_yuan: str = Field(pattern=r"^[0-9]+\.[0-9]{2}$")


class RankingRowReply(RankingFigures):
    rank: int
    key: str
    name: str
    name_en: str


class MajorOverdueReply(Reply):
    id: int
    code: str
    enterprise_id: int
    enterprise: str
    township_code: str
    sector: str
    found_on: str
    deadline: str
    days_overdue: int
    supervising_leader: str | None
    status: str
    closed_on: str | None


class RankingsReply(Reply):
    """The month's groups in ranking order (ties share a rank), the totals, and the 重大隐患 overdue on ``as_of``
    (the month's last day, or today in the current month): their count and the longest overdue first."""

    month: str
    by: str
    starts_on: str
    ends_on: str
    as_of: str
    township_code: str | None
    sample: bool
    totals: RankingFigures
    rows: list[RankingRowReply]
    major_overdue_total: int
    major_overdue: list[MajorOverdueReply]
