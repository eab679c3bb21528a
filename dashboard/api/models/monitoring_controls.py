"""Request and response models of 熔断 (/api/v1/monitoring/controls): the preview of the controls 禁停撤疏 in an
area at a level, the order issued from it, its items and their confirmation."""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from dashboard.api.models import RecordId, Reply, Request, Text, Timestamp
from dashboard.api.models.geojson import Geometry
from services import vocabulary

Level = Literal[vocabulary.WARNING_COLOUR_LEVELS]  # type: ignore[valid-type]
Action = Literal[vocabulary.CONTROL_ACTIONS]  # type: ignore[valid-type]


class ControlsCreate(Request):
    """The area: a warning (``warning_id``: its area, level and hazard type unless ``level`` is given), or
    ``townships`` (9-digit codes) and/or a drawn ``polygon`` (GeoJSON, WGS-84) with a ``level``."""

    level: Level | None = None
    warning_id: RecordId | None = None
    townships: list[Text(9, min_length=1)] = Field(default_factory=list, max_length=100)
    polygon: dict | None = None
    hazard_type: Text(20, min_length=1) = vocabulary.WARNING_DEFAULT_HAZARD
    drill_id: int = Field(default=0, ge=0, le=2**31 - 1, strict=True)  # 0: live


class ControlConfirm(Request):
    note: Text(500) | None = None


class ControlsQuery(Request):
    drill_id: int = Field(default=0, ge=0, le=2**31 - 1)
    open: Literal["0", "1"] = "0"  # 1: only orders not yet closed
    warning_id: RecordId | None = None


class ControlDocumentQuery(Request):
    lang: Literal["zh", "en"] = "zh"


class ControlTarget(Reply):
    """A control that applies: the action, what it names (``layer`` enterprises / hazards / roads and its id), and
    who to call. ``people``: 撤's threatened people; ``detail``: 禁's roads through the zone."""

    action: Action
    layer: Literal[vocabulary.CONTROL_TARGETS]  # type: ignore[valid-type]
    target_id: int
    name: str
    sector: str | None
    category: str | None
    township_code: str
    township_name: str
    contact_person: str | None
    contact_phone: str | None
    people: int | None
    detail: str | None
    is_sample: bool


class ControlPreview(Reply):
    level: Level
    hazard_type: str
    warning_id: int | None
    area_description: str
    counts: dict[str, int]  # action -> items
    people: int  # 撤: the threatened people in all
    sample: bool  # sample (示例数据) records are listed
    items: list[ControlTarget]


class ControlProgress(Reply):
    confirmed: int
    total: int


class ControlOrderSummary(Reply):
    id: int
    drill_id: int
    warning_id: int | None
    level: Level
    hazard_type: str
    area_description: str
    created_at: Timestamp
    created_by: str
    closed_at: Timestamp | None
    closed_by: str | None
    open: bool
    progress: dict[str, ControlProgress]  # action (禁停撤疏) -> confirmed / total
    confirmed: int
    total: int
    sample: bool


class ControlItem(ControlTarget):
    id: int
    confirmed_at: Timestamp | None
    confirmed_by: str | None
    note: str | None
    road_block_id: int | None  # 禁: the road closure its confirmation made


class ControlOrder(ControlOrderSummary):
    area: Geometry
    items: list[ControlItem]


class ControlOrders(Reply):
    orders: list[ControlOrderSummary]


class ControlConfirmed(Reply):
    item: ControlItem
    road_block_id: int | None


class ControlClosed(Reply):
    order: ControlOrderSummary
    road_blocks_lifted: list[int]
