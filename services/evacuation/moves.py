"""People in shelters and on the move (转移安置): occupancy set by a shelter, moves reported from the field.

Both change a counter shared by every user, so both change it in the database: ``UPDATE shelter SET
occupancy_people = … WHERE <capacity rule> - occupancy - blocked >= :n RETURNING …``; zero rows back means no
room (or no shelter), reported as such. Two clients can never pass the free-places check with the same places.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, update

from services import vocabulary
from services.db import audit
from services.db.uow import UnitOfWork
from services.errors import Conflict, FieldError, NotFound
from services.evacuation.capacity import available_places, capacity_sql, free_places_sql, shelter_capacity
from services.evacuation.shelters import ShelterCapacity, shelters_in
from services.models import EvacuationMove, HazardPoint, Shelter
from services.text import both

MAX_PEOPLE_PER_MOVE = 100_000  # more than the district's whole evacuation target many times over
MAX_OCCUPANCY = 1_000_000


class OccupancyError(FieldError):
    """An occupancy value or a move that cannot be used."""


@dataclass(frozen=True)
class MoveTotals:
    moved: int            # people moved away from hazard points, in all
    housed_by_moves: int  # of them, people recorded as arriving in a shelter


def _whole(value, name: str, label_key: str, low: int, high: int) -> int:
    """``value`` as a whole number in [low, high]; refused naming the field by its catalogue label."""
    label, label_en = both(label_key)
    if isinstance(value, bool):
        value = None
    try:
        number = int(str(value).strip()) if not isinstance(value, int) else value
    except ValueError:
        raise OccupancyError.of(name, "number.whole", label=label, label_en=label_en, value=value) from None
    if number < low:
        raise OccupancyError.of(name, "number.negative" if low == 0 else "number.at_least", label=label,
                                label_en=label_en, low=low)
    if number > high:
        raise OccupancyError.of(name, "number.at_most", label=label, label_en=label_en, high=f"{high:,}")
    return number


def _shelter_or_404(uow: UnitOfWork, shelter_id: int, name: str = "shelter_id") -> Shelter:
    shelter = uow.session.get(Shelter, shelter_id)
    if shelter is None:
        raise NotFound.of(name, "shelter.not_found", id=shelter_id)
    return shelter


def update_occupancy(uow: UnitOfWork, shelter_id: int, occupancy_people) -> ShelterCapacity:
    """Set how many people a shelter now houses (a head count there), within its capacity; audited."""
    value = _whole(occupancy_people, "occupancy_people", "label.occupancy_people", 0, MAX_OCCUPANCY)
    settings = uow.settings
    uow.principal.require_township("occupancy.update", _township_of(uow, Shelter, shelter_id, "shelter_id"))
    # The row is locked before it is read (PostgreSQL; SQLite's BEGIN IMMEDIATE already serialises writers), so
    # the audited "from" is the value this write replaced, not one another writer changed meanwhile.
    before = uow.session.scalar(select(Shelter.occupancy_people).where(Shelter.id == shelter_id).with_for_update())
    row = uow.session.execute(
        update(Shelter).where(Shelter.id == shelter_id, Shelter.status != vocabulary.SHELTER_CLOSED,
                              value + Shelter.blocked_places <= capacity_sql(settings))
        .values(occupancy_people=value).returning(Shelter.code)).first()
    if row is None:
        shelter = _shelter_or_404(uow, shelter_id)
        if shelter.status == vocabulary.SHELTER_CLOSED:
            raise Conflict.of("occupancy_people", "shelter.closed_occupancy", shelter=shelter.name)
        cap = shelter_capacity(settings, shelter.declared_capacity_people, shelter.effective_area_m2,
                               shelter.shelter_type)
        raise Conflict.of("occupancy_people", "shelter.over_capacity", people=value, blocked=shelter.blocked_places,
                          capacity=cap)
    audit.record(uow.session, actor=uow.actor, action="update", entity="shelter_occupancy", entity_key=row.code,
                 detail={"from": before, "to": value})
    uow.session.expire_all()
    return shelters_in(uow, [shelter_id])[0]


def _township_of(uow: UnitOfWork, model, record_id: int, field: str) -> str | None:
    """The township of a shelter or hazard point (404 if there is none): what township staff are held to."""
    code = uow.session.scalar(select(model.township_code).where(model.id == record_id))
    if code is None:
        raise NotFound.of(field, "shelter.not_found" if model is Shelter else "hazard.not_found", id=record_id)
    return code


def record_move(uow: UnitOfWork, hazard_id: int, people, *, shelter_id: int | None = None) -> MoveTotals:
    """People moved away from a hazard point; with a shelter they are housed there too, if it has room."""
    count = _whole(people, "people", "label.people", 1, MAX_PEOPLE_PER_MOVE)
    hazard_code = uow.session.scalar(select(HazardPoint.code).where(HazardPoint.id == hazard_id))
    if hazard_code is None:
        raise NotFound.of("hazard_id", "hazard.not_found", id=hazard_id)
    uow.principal.require_township("move.record", _township_of(uow, HazardPoint, hazard_id, "hazard_id"))
    if shelter_id is not None:
        housed = uow.session.execute(
            update(Shelter).where(Shelter.id == shelter_id, Shelter.status != vocabulary.SHELTER_CLOSED,
                                  free_places_sql(uow.settings) >= count)
            .values(occupancy_people=Shelter.occupancy_people + count).returning(Shelter.occupancy_people)).first()
        if housed is None:
            _refuse_move(uow, shelter_id, count)
    uow.session.add(EvacuationMove(hazard_id=hazard_id, shelter_id=shelter_id, people=count, actor=uow.actor))
    audit.record(uow.session, actor=uow.actor, action="evacuate", entity="hazard_point", entity_key=hazard_code,
                 detail={"people": count, "shelter": shelter_id})
    uow.session.flush()
    return move_totals(uow)


def _refuse_move(uow: UnitOfWork, shelter_id: int, count: int) -> None:
    shelter = _shelter_or_404(uow, shelter_id)
    if shelter.status == vocabulary.SHELTER_CLOSED:
        raise Conflict.of("shelter_id", "shelter.closed", shelter=shelter.name)
    cap = shelter_capacity(uow.settings, shelter.declared_capacity_people, shelter.effective_area_m2,
                           shelter.shelter_type)
    free = available_places(cap, shelter.occupancy_people, shelter.blocked_places)
    raise Conflict.of("people", "shelter.full", shelter=shelter.name, free=free, people=count)


def _home_moves(uow: UnitOfWork, stmt):
    """``stmt`` limited to moves from hazard points of the principal's township (township staff), else as is."""
    home = uow.principal.township_filter()
    if home is None:
        return stmt
    return stmt.where(EvacuationMove.hazard_id.in_(select(HazardPoint.id).where(HazardPoint.township_code == home)))


def move_totals(uow: UnitOfWork) -> MoveTotals:
    """People moved, and of them housed in a shelter (township staff: from their township's hazard points)."""
    moved, housed = uow.session.execute(_home_moves(uow, select(
        func.coalesce(func.sum(EvacuationMove.people), 0),
        func.coalesce(func.sum(EvacuationMove.people).filter(EvacuationMove.shelter_id.is_not(None)), 0)))).one()
    return MoveTotals(int(moved), int(housed))


def evacuation_progress(uow: UnitOfWork) -> dict:
    """People moved per hazard point against people threatened, and in all."""
    rows = uow.session.execute(_home_moves(uow,
        select(HazardPoint.id, HazardPoint.name, HazardPoint.threatened_people, func.sum(EvacuationMove.people))
        .join(EvacuationMove, EvacuationMove.hazard_id == HazardPoint.id))
        .group_by(HazardPoint.id, HazardPoint.name, HazardPoint.threatened_people).order_by(HazardPoint.id)).all()
    totals = move_totals(uow)
    return {"hazards": [{"hazard_id": r[0], "name": r[1], "threatened": r[2], "moved": int(r[3])} for r in rows],
            "totals": {"moved": totals.moved, "housed_by_moves": totals.housed_by_moves}}
