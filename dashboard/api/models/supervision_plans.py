"""Request and response models of the 一线责任制 milestones, the 两单两卡 cards and the 专项整治 campaigns."""
from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from dashboard.api.models import RecordId, Reply, Request, Text
from services import vocabulary
from services.supervision.campaigns import TARGET_FILTERS
from services.supervision.milestones import MILESTONES

Sector = Literal[tuple(vocabulary.ENTERPRISE_SECTORS)]  # type: ignore[valid-type]
Milestone = Literal[MILESTONES]  # type: ignore[valid-type]
Card = Literal[vocabulary.DUTY_CARDS]  # type: ignore[valid-type]
CardStatus = Literal[vocabulary.CARD_STATUSES]  # type: ignore[valid-type]
Township = Text(9)
Year = Field(default=None, ge=2000, le=2100, description="the plan's year (default: configured, else this year)")


class MilestonesQuery(Request):
    year: int | None = Year
    township: Township | None = Field(default=None, description="one township's enterprises (9-digit code); "
                                                                "township staff always see their own")


class BehindQuery(Request):
    milestone: Milestone | None = Field(default=None, description="pilots / above_size / all (default: the next "
                                                                 "one, which includes every passed one)")
    sector: Sector | None = None
    year: int | None = Year
    township: Township | None = None
    limit: int = Field(default=200, ge=1, le=1000)
    offset: int = Field(default=0, ge=0, le=10_000_000)


class SectorProgress(Reply):
    sector: str
    required: int
    done: int
    share: float | None


class MilestoneProgress(Reply):
    milestone: str
    label: str
    label_en: str
    due_on: dt.date
    state: Literal["passed", "next", "later"]
    days_left: int = Field(description="days until the date; negative: days past it")
    required: int
    done: int
    share: float | None
    behind: int
    sectors: list[SectorProgress]


class MilestonesAnswer(Reply):
    """Each milestone's progress: enterprises required (cumulative), done (all four cards at ``done_status``)."""

    year: int
    today: dt.date
    done_status: str
    township_code: str | None
    milestones: list[MilestoneProgress]


class BehindRow(Reply):
    enterprise_id: int
    credit_code: str
    name: str
    sector: str
    scale: str
    township_code: str
    duty_pilot: bool
    milestone: str
    due_on: dt.date
    days_overdue: int
    cards: dict[str, str]
    summary: str


class BehindAnswer(Reply):
    """Enterprises required by the milestone and not done, the longest overdue first (a page of ``total``)."""

    year: int
    milestone: str
    due_on: dt.date
    total: int
    enterprises: list[BehindRow]


class CardPath(Request):
    enterprise_id: RecordId
    card: Card


class CardUpdate(Request):
    """The card's status as the check found it (any step, forward or back)."""

    status: CardStatus


class CardsAnswer(Reply):
    enterprise_id: int
    cards: dict[str, str]
    summary: str


class CampaignCreate(Request):
    """A campaign; ``enterprise_ids`` (each of one of its sectors) or, left out, every enterprise of the sectors."""

    name: Text(100, 1)
    sectors: list[Sector] = Field(min_length=1, max_length=len(vocabulary.ENTERPRISE_SECTORS))
    starts_on: dt.date
    ends_on: dt.date
    note: Text(2000) | None = None
    enterprise_ids: list[RecordId] | None = Field(default=None, min_length=1, max_length=20_000)


class CampaignQuery(Request):
    targets: Literal[TARGET_FILTERS] = "all"  # type: ignore[valid-type]
    limit: int = Field(default=200, ge=1, le=1000)
    offset: int = Field(default=0, ge=0, le=10_000_000)


class Campaign(Reply):
    id: int
    name: str
    sectors: list[str]
    starts_on: dt.date
    ends_on: dt.date
    note: str | None
    state: Literal["upcoming", "ongoing", "ended"]
    targets: int
    inspected: int
    inspected_share: float | None
    targets_with_dangers: int
    targets_all_closed: int
    closed_share: float | None = Field(description="of the targets with dangers found in the period, the share "
                                                   "whose every such danger is closed off")
    dangers_found: int
    dangers_closed: int


class CampaignList(Reply):
    campaigns: list[Campaign]


class CampaignTarget(Reply):
    enterprise_id: int
    credit_code: str
    name: str
    sector: str
    township_code: str
    inspected: bool
    inspections: int
    last_inspected_on: dt.date | None
    dangers_found: int
    dangers_open: int


class CampaignDetail(Reply):
    """The campaign's progress and a page of its targets (not yet inspected first)."""

    campaign: Campaign
    total_targets: int
    targets: list[CampaignTarget]
