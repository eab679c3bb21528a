"""/api/v1/supervision endpoints of the 一线责任制 milestones (两单两卡 cards) and the 专项整治 campaigns."""
from __future__ import annotations

from flask import Blueprint, request

from dashboard.api.models import body, parse, parse_query, path, query, responds
from dashboard.api.models.supervision_plans import (
    BehindAnswer,
    BehindQuery,
    CampaignCreate,
    CampaignDetail,
    CampaignList,
    CampaignQuery,
    CardPath,
    CardsAnswer,
    CardUpdate,
    MilestonesAnswer,
    MilestonesQuery,
)
from dashboard.api.support import bad, json_body, unit
from services import vocabulary
from services.supervision import campaigns, milestones
from services.supervision.cards import set_card as set_card_status
from services.supervision.risk_points import choices
from services.text import both

supervision_plans_api = Blueprint("supervision_plans_api", __name__)


@supervision_plans_api.get("/api/v1/supervision/milestones")
@query(MilestonesQuery)
@responds(MilestonesAnswer, errors=(400, 403, 503))
def milestones_progress():
    """Each milestone's date, state and progress (required, done, share), in all and per sector."""
    req = parse_query(MilestonesQuery, request.args)
    with unit() as uow:
        result = milestones.progress(uow, year=req.year, township_code=req.township).to_json()
    for m in result["milestones"]:
        m["label"], m["label_en"] = both(f"milestone.{m['milestone']}")
    return result


@supervision_plans_api.get("/api/v1/supervision/milestones/behind")
@query(BehindQuery)
@responds(BehindAnswer, errors=(400, 403, 503))
def milestones_behind():
    """Who is behind: required by the milestone (default the next one), not done, with their four cards."""
    req = parse_query(BehindQuery, request.args)
    with unit() as uow:
        return milestones.behind(uow, milestone=req.milestone, sector=req.sector, year=req.year,
                                 township_code=req.township, limit=req.limit, offset=req.offset)


@supervision_plans_api.put("/api/v1/supervision/enterprises/<id:enterprise_id>/cards/<card>")
@path(CardPath)
@body(CardUpdate)
@responds(CardsAnswer, errors=(400, 403, 404, 415, 503))
def set_card(enterprise_id: int, card: str):
    """One 两单两卡 card's status (audited); the enterprise's summary follows its four cards."""
    if card not in vocabulary.DUTY_CARDS:
        return bad("card", *both("supervision.one_of", **choices(vocabulary.DUTY_CARDS)), 404)
    req = parse(CardUpdate, json_body())
    with unit(write=True) as uow:
        set_card_status(uow, enterprise_id, card, req.status)
        return milestones.enterprise_cards(uow, enterprise_id)


@supervision_plans_api.get("/api/v1/supervision/campaigns")
@responds(CampaignList, errors=(403, 503))
def campaign_list():
    """Every 专项整治 campaign with its progress, the latest started first."""
    with unit() as uow:
        return {"campaigns": [c.to_json() for c in campaigns.list_campaigns(uow)]}


@supervision_plans_api.post("/api/v1/supervision/campaigns")
@body(CampaignCreate)
@responds(CampaignDetail, 201, errors=(400, 403, 409, 415, 503), links={"campaign_id": "campaign.id"})
def create_campaign():
    """A new campaign (audited); its targets are every enterprise of its sectors unless listed. A name already
    taken answers 409."""
    req = parse(CampaignCreate, json_body())
    with unit(write=True) as uow:
        created = campaigns.create_campaign(uow, campaigns.CampaignInput(
            name=req.name, sectors=req.sectors, starts_on=req.starts_on, ends_on=req.ends_on, note=req.note or "",
            enterprise_ids=req.enterprise_ids))
        return _detail(uow, created.id, "all", 200, 0)


@supervision_plans_api.get("/api/v1/supervision/campaigns/<id:campaign_id>")
@query(CampaignQuery)
@responds(CampaignDetail, errors=(400, 403, 404, 503))
def campaign(campaign_id: int):
    """A campaign's progress and a page of its targets (``targets=uninspected``: those not yet inspected)."""
    req = parse_query(CampaignQuery, request.args)
    with unit() as uow:
        return _detail(uow, campaign_id, req.targets, req.limit, req.offset)


def _detail(uow, campaign_id: int, only: str, limit: int, offset: int) -> dict:
    progress = campaigns.campaign_progress(uow, campaign_id)
    total, rows = campaigns.campaign_targets(uow, campaign_id, only=only, limit=limit, offset=offset)
    return {"campaign": progress.to_json(), "total_targets": total, "targets": [vars(r) for r in rows]}
