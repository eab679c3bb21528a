"""The 一线责任制 "两单两卡" of each enterprise: four cards, each 未编制 → 已编制 → 已培训 → 已应用.

The cards are the record; the enterprise's one-word summary (``duty_card_status``: 未启动 / 建设中 / 已完成, what
offices report and the analysis pages count) is derived from them: 未启动 while all four are 未编制, 已完成 when all
four are 已应用, 建设中 otherwise. An import that states a summary different from the cards' sets the four cards
to match it (未启动 → 未编制, 建设中 → 已编制, 已完成 → 已应用), so the two never disagree.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from services import vocabulary
from services.clock import local_today, now_utc
from services.db import audit
from services.db.uow import UnitOfWork
from services.errors import FieldError
from services.models import DutyCard, Enterprise
from services.supervision.risk_points import choices, lock_enterprise

NOT_STARTED, BUILDING, DONE = vocabulary.DUTY_CARD_STATUSES
_UNDRAFTED, _DRAFTED, _TRAINED, _IN_USE = vocabulary.CARD_STATUSES
CARD_FROM_SUMMARY = {NOT_STARTED: _UNDRAFTED, BUILDING: _DRAFTED, DONE: _IN_USE}
FIRST, LAST = vocabulary.CARD_STATUSES[0], vocabulary.CARD_STATUSES[-1]


def summary_of(statuses: Iterable[str]) -> str:
    """The enterprise's summary of its four cards' statuses (a missing card counts as 未编制)."""
    given = list(statuses)
    given += [FIRST] * (len(vocabulary.DUTY_CARDS) - len(given))
    if all(s == FIRST for s in given):
        return NOT_STARTED
    return DONE if all(s == LAST for s in given) else BUILDING


def cards_of(session: Session, enterprise_id: int) -> dict[str, str]:
    """Each of the four cards → its status (未编制 when there is no row yet)."""
    rows = dict(session.execute(select(DutyCard.card, DutyCard.status)
                                .where(DutyCard.enterprise_id == enterprise_id)).all())
    return {card: rows.get(card, FIRST) for card in vocabulary.DUTY_CARDS}


def sync_cards_from_summary(session: Session, enterprise_ids: Iterable[int]) -> None:
    """After an import: an enterprise whose stated summary is not its cards' gets four cards matching it."""
    ids = list(enterprise_ids)
    if not ids:
        return
    summaries = dict(session.execute(select(Enterprise.id, Enterprise.duty_card_status)
                                     .where(Enterprise.id.in_(ids))).all())
    cards: dict[int, list[str]] = {}
    for firm, status in session.execute(select(DutyCard.enterprise_id, DutyCard.status)
                                        .where(DutyCard.enterprise_id.in_(ids))).all():
        cards.setdefault(firm, []).append(status)
    stale = [firm for firm, summary in summaries.items() if summary_of(cards.get(firm, [])) != summary]
    if not stale:
        return
    session.execute(delete(DutyCard).where(DutyCard.enterprise_id.in_(stale)))
    session.execute(insert(DutyCard), [{"enterprise_id": firm, "card": card,
                                        "status": CARD_FROM_SUMMARY[summaries[firm]]}
                                       for firm in stale for card in vocabulary.DUTY_CARDS])


def set_card(uow: UnitOfWork, enterprise_id: int, card: str, status: str, on: dt.date | None = None) -> str:
    """One card's new status (any step, forward or back, as the check found it); returns the new summary."""
    firm = lock_enterprise(uow, enterprise_id, "supervision.write")
    if card not in vocabulary.DUTY_CARDS:
        raise FieldError.of("card", "supervision.one_of", **choices(vocabulary.DUTY_CARDS))
    if status not in vocabulary.CARD_STATUSES:
        raise FieldError.of("status", "supervision.one_of", **choices(vocabulary.CARD_STATUSES))
    on = on or local_today(uow.settings, now_utc())
    before = cards_of(uow.session, enterprise_id)
    changed = uow.session.execute(update(DutyCard).where(DutyCard.enterprise_id == enterprise_id,
                                                         DutyCard.card == card)
                                  .values(status=status, updated_on=on)).rowcount
    if not changed:  # the enterprise's row lock makes this insert the only one
        uow.session.add(DutyCard(enterprise_id=enterprise_id, card=card, status=status, updated_on=on))
        uow.session.flush()
    summary = summary_of(cards_of(uow.session, enterprise_id).values())
    uow.session.execute(update(Enterprise).where(Enterprise.id == enterprise_id).values(duty_card_status=summary))
    audit.record(uow.session, actor=uow.actor, action="duty_card", entity="enterprise", entity_key=firm.credit_code,
                 detail={"card": card, "from": before[card], "to": status, "summary": summary})
    return summary
