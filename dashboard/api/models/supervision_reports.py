"""Request and response models of 有奖举报 (public reports): the public's report and lookup, staff's list,
verification and reward steps."""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field

from dashboard.api.models import RecordId, Reply, Request, Text
from dashboard.api.models.supervision import Day, DangerLevel, Yuan
from services import vocabulary
from services.supervision.report_review import STATUS_FILTERS

Verdict = Literal[vocabulary.REPORT_VERDICTS]  # type: ignore[valid-type]
RewardStatus = Literal[vocabulary.REWARD_STATUSES]  # type: ignore[valid-type]
MAX_PHOTO_BASE64 = 50 * 1024 * 1024  # the route's body cap (from the photo size setting) is what really bounds it


class ReportSubmit(Request):
    """A report from the public (no account, no token): what was seen and, if known, where and at which business;
    a phone to be reached at (for the check and the reward); a photo as base64 (JPEG, PNG or WebP within the
    photo size cap). At most a few reports an hour and a day come from one network address (429 beyond)."""

    description: Text(20_000, 1) = Field(description="what was seen (the configured minimum and maximum apply)")
    enterprise_name: Text(200) = ""
    place: Text(200) = ""
    township_code: Text(9) | None = Field(default=None, description="the township's 9-digit code, if known")
    contact: Text(40) = Field(default="", description="a phone number (optional)")
    photo_base64: Annotated[str, Field(max_length=MAX_PHOTO_BASE64)] | None = Field(
        default=None, description="the photo's bytes in base64 (a data: URL prefix is allowed)")
    photo_name: Text(120) = ""


class ReportReceipt(Reply):
    """The report is stored: keep ``reference`` to look its outcome up."""

    reference: str
    submitted_at: str
    has_photo: bool
    lookup_url: str


class LookupQuery(Request):
    reference: Text(60, 1) = Field(description="the reference given when the report was made (JB-2026-…)")


class ReportOutcome(Reply):
    """What the reporter may read: the state of the report, its answer, the hidden danger's rectification and
    the reward (never who handled it nor who sent it)."""

    reference: str
    submitted_on: dt.date
    status: str
    verified_on: dt.date | None
    outcome: str | None
    danger_status: str | None
    reward_status: str
    reward_yuan: str | None


class ReportQuery(Request):
    """``status``: pending (待核实), verified, reward_due (待发放), all, or one status."""

    status: Literal[STATUS_FILTERS] = "pending"  # type: ignore[valid-type]
    township: Text(9) | None = None
    limit: Annotated[int, Field(ge=1, le=1000)] = 200
    offset: Annotated[int, Field(ge=0, le=10_000_000)] = 0


class ReportOut(Reply):
    id: int
    reference: str
    submitted_at: str
    township_code: str | None
    enterprise_name: str | None
    enterprise_id: int | None
    place: str | None
    description: str
    contact: str | None
    has_photo: bool
    photo_url: str | None
    status: str
    verified_by: str | None
    verified_at: str | None
    outcome: str | None
    danger_id: int | None
    danger_code: str | None
    danger_status: str | None
    reward_status: str
    reward_yuan: str | None


class ReportList(Reply):
    """A page of reports, the newest first (township staff: their township's), and how many match in all."""

    total: int
    reports: list[ReportOut]


class VerificationCreate(Request):
    """属实: the enterprise and deadline of the hidden danger it becomes (source 群众举报); 不属实 / 重复: ``outcome``,
    the answer the reporter reads, and for 重复 optionally the ``danger_id`` already recorded."""

    status: Verdict
    outcome: Text(2000) = ""
    enterprise_id: RecordId | None = None
    deadline: Day | None = None
    level: DangerLevel = vocabulary.DANGER_ORDINARY
    description: Text(4000) = ""
    supervising_leader: Text(50) = ""
    danger_id: RecordId | None = None


class RewardStep(Request):
    """待发放 with ``amount_yuan`` (proposed), 已发放 (paid), or 不适用 (a proposal withdrawn)."""

    status: RewardStatus
    amount_yuan: Yuan | None = None


def report_out(row) -> dict:
    """A service's ReportRow as the API answers it (with the address of its photo)."""
    data = row.to_json()
    data["photo_url"] = f"/api/v1/supervision/reports/{row.id}/photo" if row.has_photo else None
    return data

