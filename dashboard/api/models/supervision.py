"""Request and response models of 安全监管 (issue 14): hidden dangers, their steps, inspections, penalties,
risk points and the enterprise record."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field

from dashboard.api.models import MAX_ID, RecordId, Reply, Request, Text
from dashboard.api.models.field import PhotoAnswer
from services import vocabulary

QueryId = Annotated[int, Field(ge=1, le=MAX_ID)]  # a record id in a query string (written as text)
Yuan = Annotated[Decimal, Field(ge=0, le=1_000_000_000, decimal_places=2)]
Day = Annotated[dt.date, Field(ge=dt.date(2000, 1, 1), le=dt.date(2100, 1, 1))]
DangerLevel = Literal[vocabulary.DANGER_LEVELS]  # type: ignore[valid-type]
DangerSource = Literal[vocabulary.DANGER_SOURCES]  # type: ignore[valid-type]
Cycle = Literal[vocabulary.SELF_CHECK_CYCLES]  # type: ignore[valid-type]
StatusFilter = Literal[("open", "overdue", "major", "closed", "all") + vocabulary.DANGER_STATUSES]  # type: ignore[misc]


class DangerQuery(Request):
    """``status``: open (not 已销号), overdue, major (重大 open: 挂牌督办), closed, all, or one status."""

    status: StatusFilter = "open"
    enterprise_id: QueryId | None = None
    township: Text(12) | None = None
    limit: Annotated[int, Field(ge=1, le=1000)] = 200
    offset: Annotated[int, Field(ge=0, le=10_000_000)] = 0


class DangerCreate(Request):
    enterprise_id: RecordId
    level: DangerLevel
    source: DangerSource
    self_check_cycle: Cycle | None = None
    description: Text(4000, 1)
    found_on: Day
    found_by: Text(100, 1)
    deadline: Day
    place: Text(200) = ""
    responsible_person: Text(50) = ""
    measures: Text(4000) = ""
    funds_yuan: Yuan | None = None
    supervising_leader: Text(50) = ""
    campaign_id: RecordId | None = None


class Rectification(Request):
    responsible_person: Text(50, 1)
    measures: Text(4000, 1)
    deadline: Day | None = None
    funds_yuan: Yuan | None = None


class Submission(Request):
    note: Text(4000) = ""


class RecheckCreate(Request):
    """整改复查 / 验收: passed closes the danger off (by someone other than its reporter), failed sends it back."""

    passed: bool
    checked_by: Text(100, 1)
    checked_on: Day
    note: Text(4000) = ""


class Reopen(Request):
    reason: Text(4000, 1)
    deadline: Day


class Danger(Reply):
    id: int
    code: str
    enterprise_id: int
    enterprise: str
    township_code: str
    level: str
    source: str
    self_check_cycle: str | None
    status: str
    found_on: str
    found_by: str
    deadline: str
    overdue: bool
    days_overdue: int
    description: str
    place: str | None
    responsible_person: str | None
    measures: str | None
    funds_yuan: str | None
    supervising_leader: str | None
    inspection_id: int | None
    campaign_id: int | None
    reported_by: str
    closed_on: str | None
    reopened_count: int
    photo_ids: list[int]  # 隐患照片, oldest first: /api/v1/photos/{id} (and /thumbnail)


class RecheckRow(Reply):
    id: int
    checked_on: str
    checked_by: str
    passed: bool
    note: str | None
    actor: str


class DangerDetail(Danger):
    rechecks: list[RecheckRow]
    photos: list[PhotoAnswer]


class DangerList(Reply):
    total: int
    dangers: list[Danger]


class FindingIn(Request):
    description: Text(4000, 1)
    deadline: Day
    level: DangerLevel = vocabulary.DANGER_ORDINARY
    place: Text(200) = ""
    responsible_person: Text(50) = ""
    measures: Text(4000) = ""
    supervising_leader: Text(50) = ""


class InspectionCreate(Request):
    enterprise_id: RecordId
    inspected_on: Day
    inspectors: Text(200, 1)
    department: Text(100) = ""
    items: Annotated[list[Text(200, 1)], Field(max_length=100)] = []
    campaign_id: RecordId | None = None
    note: Text(4000) = ""
    findings: Annotated[list[FindingIn], Field(max_length=50)] = []


class InspectionOut(Reply):
    id: int
    code: str
    enterprise_id: int
    inspected_on: str
    inspectors: str
    department: str | None
    items: list[str]
    campaign_id: int | None
    note: str | None
    danger_ids: list[int]


class InspectionList(Reply):
    inspections: list[InspectionOut]


class EnterpriseQuery(Request):
    enterprise_id: QueryId


class PenaltyCreate(Request):
    enterprise_id: RecordId
    decision_no: Text(60, 1)
    penalty_type: Literal[vocabulary.PENALTY_TYPES]  # type: ignore[valid-type]
    decided_on: Day
    amount_yuan: Yuan | None = None
    inspection_id: RecordId | None = None
    note: Text(4000) = ""


class PenaltyOut(Reply):
    id: int
    decision_no: str
    enterprise_id: int
    inspection_id: int | None
    penalty_type: str
    amount_yuan: str | None
    decided_on: str
    note: str | None


class PenaltyList(Reply):
    penalties: list[PenaltyOut]


class CaseStep(Reply):
    on: str
    kind: str
    ref: str
    params: dict


class CaseFlag(Reply):
    code: str
    danger: str
    deadline: str
    reason: str
    reason_en: str


class CaseOut(Reply):
    """The closed loop of one inspection: 检查诊断 → 行政处罚 → 整改复查, with the steps missing after a deadline."""

    inspection_id: int
    code: str
    enterprise_id: int
    enterprise: str
    steps: list[CaseStep]
    flags: list[CaseFlag]


class FlaggedDanger(Reply):
    code: str
    deadline: str
    missing: str
    level: str


class FlaggedCase(Reply):
    inspection_id: int
    code: str
    enterprise_id: int
    enterprise: str
    dangers: list[FlaggedDanger]
    oldest_deadline: str


class FlaggedCases(Reply):
    cases: list[FlaggedCase]


class RiskPointCreate(Request):
    """LS: likelihood L and severity S, 1–5 each; LEC: likelihood L, exposure E, consequence C (severity)."""

    name: Text(200, 1)
    kind: Literal[vocabulary.RISK_POINT_KINDS]  # type: ignore[valid-type]
    method: Literal[vocabulary.RISK_METHODS]  # type: ignore[valid-type]
    likelihood: Annotated[float, Field(gt=0, le=10, allow_inf_nan=False)]
    severity: Annotated[float, Field(gt=0, le=100, allow_inf_nan=False)]
    exposure: Annotated[float, Field(gt=0, le=10, allow_inf_nan=False)] | None = None
    control_tier: Literal[vocabulary.CONTROL_TIERS] = vocabulary.CONTROL_TIERS[0]  # type: ignore[valid-type]
    measures: Text(2000) = ""
    responsible_person: Text(50) = ""


class RiskPointOut(Reply):
    id: int
    enterprise_id: int
    name: str
    kind: str
    method: str
    likelihood: float
    exposure: float | None
    severity: float
    score: float
    level: str
    control_tier: str
    measures: str | None
    responsible_person: str | None


class RiskPointRemoved(Reply):
    removed: int


class RiskLevelSet(Request):
    """The supervising department's level, kept whatever the risk points say; null hands it back to them."""

    risk_level: Literal[vocabulary.RISK_LEVELS] | None  # type: ignore[valid-type]


class RiskLevelOut(Reply):
    risk_level: str


class EnterpriseRecordOut(Reply):
    id: int
    name: str
    credit_code: str
    township_code: str
    sector: str
    scale: str
    risk_level: str
    risk_level_by_department: bool
    duty_pilot: bool
    duty_card_status: str
    open_hidden_dangers: int
    cards: dict[str, str]
    risk_points: list[RiskPointOut]
    open_dangers: list[Danger]
    inspections: list[InspectionOut]
    penalties_count: int
    penalties_total_yuan: str
    penalties: list[PenaltyOut]
