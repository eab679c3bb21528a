"""One enterprise's supervision record at a glance: its level and why, its risk points, its open hidden dangers
with their deadlines, its last inspection, its penalties and its 两单两卡 cards (the map's details, the page)."""
from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy import func, select

from services.db.uow import UnitOfWork
from services.models import Enterprise, Penalty
from services.supervision.cards import cards_of
from services.supervision.dangers import DangerRow, list_dangers
from services.supervision.inspections import InspectionRow, inspections_of, penalties_of
from services.supervision.risk_points import RiskPointRow, require_enterprise, risk_points_of


@dataclass(frozen=True)
class EnterpriseRecord:
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
    risk_points: list[RiskPointRow]
    open_dangers: list[DangerRow]
    inspections: list[InspectionRow]
    penalties_count: int
    penalties_total_yuan: str
    penalties: list

    def to_json(self) -> dict:
        return asdict(self)

    @property
    def last_inspection(self) -> InspectionRow | None:
        return self.inspections[0] if self.inspections else None


def enterprise_record(uow: UnitOfWork, enterprise_id: int, *, limit: int = 20) -> EnterpriseRecord:
    """The record of ``enterprise_id`` (township staff: of their township only)."""
    require_enterprise(uow, enterprise_id)
    firm = uow.session.get(Enterprise, enterprise_id)
    count, total = uow.session.execute(select(func.count(Penalty.id), func.coalesce(func.sum(Penalty.amount_yuan), 0))
                                       .where(Penalty.enterprise_id == enterprise_id)).one()
    _, dangers = list_dangers(uow, status="open", enterprise_id=enterprise_id, limit=limit)
    return EnterpriseRecord(
        id=firm.id, name=firm.name, credit_code=firm.credit_code, township_code=firm.township_code, sector=firm.sector,
        scale=firm.scale, risk_level=firm.risk_level, risk_level_by_department=firm.risk_level_by_department,
        duty_pilot=firm.duty_pilot, duty_card_status=firm.duty_card_status,
        open_hidden_dangers=firm.open_hidden_dangers, cards=cards_of(uow.session, enterprise_id),
        risk_points=risk_points_of(uow, enterprise_id)[:limit], open_dangers=dangers,
        inspections=inspections_of(uow, enterprise_id, limit), penalties_count=int(count),
        penalties_total_yuan=f"{total:.2f}", penalties=penalties_of(uow, enterprise_id, limit))
