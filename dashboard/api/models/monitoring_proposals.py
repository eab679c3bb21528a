"""Request and response models of 风险感知's warning proposals (/api/v1/monitoring/proposals): the list, one
proposal with its evidence, and the duty officer's confirm (with an optional note) and reject (a reason)."""
from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Literal

from pydantic import Field

from dashboard.api.models import Reply, Request, Text
from services import vocabulary

Status = Literal[vocabulary.PROPOSAL_STATUSES]  # type: ignore[valid-type]


class ProposalQuery(Request):
    status: Status | None = Field(default=vocabulary.PROPOSAL_OPEN,
                                  description="open (the default), confirmed, rejected, auto-confirmed or lapsed: "
                                              "one of " + ", ".join(vocabulary.PROPOSAL_STATUSES))
    drill_id: int = Field(default=0, ge=0, le=2**31 - 1, description="0: live; a drill's number otherwise")
    limit: int = Field(default=200, ge=1, le=1000)


class ConfirmRequest(Request):
    note: Text(500) = Field(default="", description="optional: what the duty officer adds")


class RejectRequest(Request):
    reason: Text(500) = Field(description="why the proposal is rejected (required)")


class EvidenceOut(Reply):
    metric: str
    station_id: int
    station_code: str | None
    observed: float
    threshold: float
    ratio: float
    observed_at: dt.datetime
    complete: bool


class ProposalOut(Reply):
    """A proposal with its hazard point; ``evidence`` starts with the decisive metric."""

    id: int
    drill_id: int
    hazard_point_id: int
    hazard_code: str
    hazard_name: str
    hazard_type: str
    township_code: str
    township_name: str
    threatened_people: int
    current_level: str
    lon: float
    lat: float
    level: str
    colour: str
    status: str
    metric: str
    station_code: str | None
    observed: float
    threshold: float
    ratio: float
    observed_at: dt.datetime
    evidence: list[EvidenceOut]
    created_at: dt.datetime
    level_at: dt.datetime | None
    decided_at: dt.datetime | None
    decided_by: str | None
    reason: str | None
    warning_id: int | None
    plan_id: int | None


class ProposalList(Reply):
    proposals: list[ProposalOut]


class DecisionOut(Reply):
    """The decided proposal, and the warning and plan a confirmation made."""

    proposal: ProposalOut
    warning_id: int | None
    plan_id: int | None
    plan_people: int
    plan_assigned: int


def proposal_out(view) -> dict:
    data = {f.name: getattr(view, f.name) for f in dataclasses.fields(view) if f.name != "township_name_en"}
    data["evidence"] = [dataclasses.asdict(e) for e in view.evidence]
    return {**data, "colour": view.colour}
