"""专项整治 campaigns (燃气, 成品油, 危化品, 人员密集场所, 再生资源回收 …): a name, sectors, a period and the
target enterprises, and how far the campaign has got.

The targets are fixed when the campaign is created: every enterprise of its sectors then, or an explicit list
(each of one of its sectors). Progress, for the targets a reader may see (township staff: their township's):

- inspected: targets with an inspection (检查诊断) dated within the period, whether or not the inspection names
  the campaign (``Inspection.campaign_id`` may, for the record);
- closed: of the targets with hidden dangers found within the period, those whose every such danger is 已销号.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from sqlalchemy import and_, case, func, insert, literal, select
from sqlalchemy.exc import IntegrityError

from services import vocabulary
from services.clock import local_today, now_utc
from services.db import audit
from services.db.uow import UnitOfWork
from services.errors import Conflict, FieldError, NotFound
from services.models import Campaign, CampaignTarget, Enterprise, HiddenDanger, Inspection
from services.supervision.risk_points import choices
from services.text import t

MAX_NOTE = 2000
MAX_TARGETS = 20000
SEPARATOR = t("list.separator")  # sectors are stored joined by it (the model's column note)
TARGET_FILTERS = ("all", "uninspected")
OPEN = vocabulary.DANGER_OPEN_STATUSES


@dataclass(frozen=True)
class CampaignInput:
    name: str
    sectors: Sequence[str]
    starts_on: dt.date
    ends_on: dt.date
    note: str = ""
    enterprise_ids: Sequence[int] | None = None  # None: every enterprise of the sectors


@dataclass(frozen=True)
class CampaignProgress:
    id: int
    name: str
    sectors: list[str]
    starts_on: str
    ends_on: str
    note: str | None
    state: str                 # upcoming / ongoing / ended (today, local)
    targets: int
    inspected: int
    inspected_share: float | None
    targets_with_dangers: int  # targets with hidden dangers found within the period
    targets_all_closed: int    # … of which every such danger is 已销号
    closed_share: float | None
    dangers_found: int
    dangers_closed: int

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class TargetRow:
    enterprise_id: int
    credit_code: str
    name: str
    sector: str
    township_code: str
    inspected: bool
    inspections: int
    last_inspected_on: str | None
    dangers_found: int
    dangers_open: int


def _check(data: CampaignInput) -> tuple[str, list[str], str | None]:
    name = (data.name or "").strip()
    if not name:
        raise FieldError.of("name", "supervision.required")
    if len(name) > 100:
        raise FieldError.of("name", "supervision.too_long", limit=100)
    sectors = list(dict.fromkeys(data.sectors or ()))
    if not sectors:
        raise FieldError.of("sectors", "campaign.sectors_required")
    if any(s not in vocabulary.ENTERPRISE_SECTORS for s in sectors):
        raise FieldError.of("sectors", "supervision.one_of", **choices(tuple(vocabulary.ENTERPRISE_SECTORS)))
    sectors.sort(key=list(vocabulary.ENTERPRISE_SECTORS).index)
    for field in ("starts_on", "ends_on"):
        if not isinstance(getattr(data, field), dt.date):
            raise FieldError.of(field, "supervision.date_invalid")
    if data.ends_on < data.starts_on:
        raise FieldError.of("ends_on", "campaign.period_reversed")
    note = (data.note or "").strip()
    if len(note) > MAX_NOTE:
        raise FieldError.of("note", "supervision.too_long", limit=MAX_NOTE)
    return name, sectors, note or None


def _explicit_targets(uow: UnitOfWork, ids: Sequence[int], sectors: list[str]) -> list[int]:
    wanted = list(dict.fromkeys(int(i) for i in ids))
    if not wanted:
        raise FieldError.of("enterprise_ids", "campaign.no_targets")
    if len(wanted) > MAX_TARGETS:
        raise FieldError.of("enterprise_ids", "supervision.too_long", limit=MAX_TARGETS)
    found = dict(uow.session.execute(select(Enterprise.id, Enterprise.sector).where(Enterprise.id.in_(wanted))).all())
    missing = [i for i in wanted if i not in found]
    if missing:
        raise FieldError.of("enterprise_ids", "campaign.target_missing", ids=", ".join(map(str, missing[:10])))
    other = [i for i in wanted if found[i] not in sectors]
    if other:
        raise FieldError.of("enterprise_ids", "campaign.target_other_sector", ids=", ".join(map(str, other[:10])))
    return wanted


def _is_name_clash(exc: IntegrityError) -> bool:
    """True when the unique name refused the row (PostgreSQL names the constraint; SQLite names the column)."""
    text = str(exc.orig)
    return "campaign_name_key" in text or "campaign.name" in text


def create_campaign(uow: UnitOfWork, data: CampaignInput) -> CampaignProgress:
    """A new campaign with its targets (one transaction, audited); a name already taken is a Conflict, decided
    by the database's unique constraint."""
    uow.principal.require("supervision.write")
    name, sectors, note = _check(data)
    explicit = None if data.enterprise_ids is None else _explicit_targets(uow, data.enterprise_ids, sectors)
    in_sectors = select(func.count()).select_from(Enterprise).where(Enterprise.sector.in_(sectors))
    if explicit is None and not uow.session.scalar(in_sectors):
        raise FieldError.of("sectors", "campaign.no_targets")
    campaign = Campaign(name=name, sectors=SEPARATOR.join(sectors), starts_on=data.starts_on, ends_on=data.ends_on,
                        note=note, is_sample=False)
    session = uow.session
    try:
        with session.begin_nested():  # the unique name decides here, in the database
            session.add(campaign)
            session.flush()
    except IntegrityError as exc:
        if not _is_name_clash(exc):
            raise
        raise Conflict.of("name", "campaign.name_taken", name=name) from None
    if explicit is None:
        chosen = select(literal(campaign.id), Enterprise.id).where(Enterprise.sector.in_(sectors))
        session.execute(insert(CampaignTarget).from_select(["campaign_id", "enterprise_id"], chosen))
    else:
        session.execute(insert(CampaignTarget), [{"campaign_id": campaign.id, "enterprise_id": i} for i in explicit])
    targets = session.scalar(select(func.count()).select_from(CampaignTarget)
                             .where(CampaignTarget.campaign_id == campaign.id))
    audit.record(session, actor=uow.actor, action="create", entity="campaign", entity_key=name,
                 detail={"sectors": sectors, "starts_on": data.starts_on.isoformat(),
                         "ends_on": data.ends_on.isoformat(), "targets": targets,
                         "explicit": explicit is not None})
    return campaign_progress(uow, campaign.id)


def _in_period(column):
    return column.between(Campaign.starts_on, Campaign.ends_on)


def _target_rows(uow: UnitOfWork):
    """One row per (campaign, visible target): its inspections and dangers within the campaign's period."""
    target = CampaignTarget.enterprise_id
    inspections = (select(func.count()).where(Inspection.enterprise_id == target, _in_period(Inspection.inspected_on))
                   .correlate(CampaignTarget, Campaign).scalar_subquery())
    last = (select(func.max(Inspection.inspected_on))
            .where(Inspection.enterprise_id == target, _in_period(Inspection.inspected_on))
            .correlate(CampaignTarget, Campaign).scalar_subquery())
    found = (select(func.count()).where(HiddenDanger.enterprise_id == target, _in_period(HiddenDanger.found_on))
             .correlate(CampaignTarget, Campaign).scalar_subquery())
    still_open = (select(func.count()).where(HiddenDanger.enterprise_id == target, _in_period(HiddenDanger.found_on),
                                             HiddenDanger.status.in_(OPEN))
                  .correlate(CampaignTarget, Campaign).scalar_subquery())
    query = (select(CampaignTarget.campaign_id, target.label("enterprise_id"), Enterprise.credit_code, Enterprise.name,
                    Enterprise.sector, Enterprise.township_code, inspections.label("inspections"),
                    last.label("last_inspected_on"), found.label("found"), still_open.label("still_open"))
             .join(Campaign, Campaign.id == CampaignTarget.campaign_id)
             .join(Enterprise, Enterprise.id == target))
    scope = uow.principal.township_filter()
    return query.where(Enterprise.township_code == scope) if scope is not None else query


def _state(campaign: Campaign, today: dt.date) -> str:
    if today < campaign.starts_on:
        return "upcoming"
    return "ongoing" if today <= campaign.ends_on else "ended"


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _progress(uow: UnitOfWork, campaign_ids: list[int] | None) -> list[CampaignProgress]:
    uow.principal.require_overview("supervision.read")
    rows = _target_rows(uow)
    if campaign_ids is not None:
        rows = rows.where(CampaignTarget.campaign_id.in_(campaign_ids))
    per = rows.subquery()
    figures = {r.campaign_id: r for r in uow.session.execute(select(
        per.c.campaign_id, func.count().label("targets"),
        func.sum(case((per.c.inspections > 0, 1), else_=0)).label("inspected"),
        func.sum(case((per.c.found > 0, 1), else_=0)).label("with_dangers"),
        func.sum(case((and_(per.c.found > 0, per.c.still_open == 0), 1), else_=0)).label("all_closed"),
        func.sum(per.c.found).label("found"), func.sum(per.c.found - per.c.still_open).label("closed"))
        .group_by(per.c.campaign_id)).all()}
    query = select(Campaign).order_by(Campaign.starts_on.desc(), Campaign.id)
    if campaign_ids is not None:
        query = query.where(Campaign.id.in_(campaign_ids))
    today = local_today(uow.settings, now_utc())
    answers = []
    for c in uow.session.scalars(query).all():
        f = figures.get(c.id)
        targets, inspected = (int(f.targets), int(f.inspected or 0)) if f else (0, 0)
        with_dangers, all_closed = (int(f.with_dangers or 0), int(f.all_closed or 0)) if f else (0, 0)
        answers.append(CampaignProgress(
            id=c.id, name=c.name, sectors=[s for s in c.sectors.split(SEPARATOR) if s],
            starts_on=c.starts_on.isoformat(), ends_on=c.ends_on.isoformat(), note=c.note, state=_state(c, today),
            targets=targets, inspected=inspected, inspected_share=_share(inspected, targets),
            targets_with_dangers=with_dangers, targets_all_closed=all_closed,
            closed_share=_share(all_closed, with_dangers), dangers_found=int(f.found or 0) if f else 0,
            dangers_closed=int(f.closed or 0) if f else 0))
    return answers


def list_campaigns(uow: UnitOfWork) -> list[CampaignProgress]:
    """Every campaign with its progress, the latest started first."""
    return _progress(uow, None)


def campaign_progress(uow: UnitOfWork, campaign_id: int) -> CampaignProgress:
    found = _progress(uow, [campaign_id])
    if not found:
        raise NotFound.of("campaign_id", "campaign.not_found", id=campaign_id)
    return found[0]


def campaign_targets(uow: UnitOfWork, campaign_id: int, *, only: str = "all", limit: int = 200,
                     offset: int = 0) -> tuple[int, list[TargetRow]]:
    """The campaign's targets (``only="uninspected"``: those with no inspection in the period yet), not yet
    inspected first, then by township and name. Returns (total matching, the page)."""
    if only not in TARGET_FILTERS:
        raise FieldError.of("targets", "campaign.targets_filter")
    campaign_progress(uow, campaign_id)  # 404
    per = _target_rows(uow).where(CampaignTarget.campaign_id == campaign_id).subquery()
    query = select(per)
    if only == "uninspected":
        query = query.where(per.c.inspections == 0)
    total = uow.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = uow.session.execute(query.order_by(case((per.c.inspections > 0, 1), else_=0), per.c.township_code,
                                              per.c.name, per.c.enterprise_id)
                               .limit(max(1, min(limit, 1000))).offset(max(0, offset))).all()
    return total or 0, [TargetRow(r.enterprise_id, r.credit_code, r.name, r.sector, r.township_code,
                                  r.inspections > 0, int(r.inspections),
                                  r.last_inspected_on.isoformat() if r.last_inspected_on else None,
                                  int(r.found), int(r.still_open)) for r in rows]


def uninspected_targets(uow: UnitOfWork, campaign_id: int, *, limit: int = 200, offset: int = 0):
    """The targets not yet inspected within the period (a shortcut of ``campaign_targets``)."""
    return campaign_targets(uow, campaign_id, only="uninspected", limit=limit, offset=offset)

