"""/api/v1 endpoints of evacuation and supplies: capacity against the target, 五有 coverage, occupancy."""
from __future__ import annotations

from flask import Blueprint, Response, request

from dashboard.api.models import XLSX, body, parse, parse_query, query, responds
from dashboard.api.models.evacuation import (
    Capacity,
    Coverage,
    MoveCreate,
    Moves,
    OccupancySet,
    Plan,
    PlanList,
    PrintoutQuery,
    Profile,
    ProfileSave,
    ProfileVersion,
    Progress,
    SavedPlan,
    ScenarioBody,
    ShelterState,
)
from dashboard.api.models.map import CapacityQuery, CoverageQuery
from dashboard.api.support import app_settings, bad, json_body, unit
from dashboard.api.models.geojson import FeatureCollection
from services.evacuation.plan_geojson import plan_features
from services.evacuation.plan_printout import plan_html, plan_workbook
from services.evacuation.plans import Scenario, ScenarioError, list_plans, load_plan, save_plan
from services.evacuation.moves import update_occupancy
from services.data.geography import township_names
from services.evacuation.shelters import capacity_summary
from services.supply.needs import current_profile, supply_coverage
from services.text import both

evacuation_api = Blueprint("evacuation_api", __name__)


@evacuation_api.get("/api/v1/evacuation/capacity")
@query(CapacityQuery)
@responds(Capacity, errors=(400, 503))
def capacity():
    """Shelter places against the evacuation target (``exclude_unsafe``: leave out shelters near hazards)."""
    req = parse_query(CapacityQuery, request.args)
    with unit() as uow:
        return capacity_summary(uow, exclude_unsafe=req.exclude_unsafe)


@evacuation_api.get("/api/v1/supplies/coverage")
@query(CoverageQuery)
@responds(Coverage, errors=(400, 503))
def coverage():
    """五有 coverage of the stock for ``people`` over ``days`` (defaults: the people at risk, the rule's days)."""
    req = parse_query(CoverageQuery, request.args)
    with unit() as uow:
        return supply_coverage(uow, req.people, req.days)


@evacuation_api.get("/api/v1/supplies/profile")
@responds(Profile, errors=(503,))
def profile():
    """The needs profile in use: what each person needs per day (or per person), by 五有."""
    with unit() as uow:
        version, needs = current_profile(uow)
    return {"version": version, "needs": needs}


@evacuation_api.post("/api/v1/supplies/profile")
@body(ProfileSave)
@responds(ProfileVersion, 201, errors=(400, 415, 503))
def save_needs_profile():
    """Store a new version of the needs profile (earlier versions stay, plans name the one they used)."""
    from services.supply.needs import ProfileError, save_profile
    raw = json_body()
    req = parse(ProfileSave, raw)
    try:
        with unit(write=True) as uow:
            version = save_profile(uow, req.entries(), note=req.note or None)
    except ProfileError as exc:
        return bad("needs", exc.reason, exc.reason_en)
    return {"version": version}


@evacuation_api.post("/api/v1/shelters/<id:shelter_id>/occupancy")
@body(OccupancySet)
@responds(ShelterState, errors=(400, 404, 409, 415, 503))
def occupancy(shelter_id: int):
    """Set the head count of a shelter (people housed now), within its capacity."""
    raw = json_body()
    req = parse(OccupancySet, raw)
    with unit(write=True) as uow:
        shelter = update_occupancy(uow, shelter_id, req.occupancy_people)
    return shelter


@evacuation_api.post("/api/v1/evacuation/plans")
@body(ScenarioBody)
@responds(Plan, 201, errors=(400, 415, 503), links={"plan_id": "id"})
def create_plan():
    """Plan an evacuation for a scenario (hazards, levels, townships or a drawn area) and store it."""
    from services.map.layers import township_codes
    raw = json_body()
    req = parse(ScenarioBody, raw)
    try:
        with unit(write=True) as uow:
            scenario = Scenario.from_json(req.model_dump(exclude_unset=True), township_codes(uow))
            saved = save_plan(uow, scenario)
    except ScenarioError as exc:
        return bad(exc.field, exc.reason, exc.reason_en)
    return {"id": saved.id, **saved.plan.to_json()}


def _saved_plan(plan_id: int):
    with unit() as uow:
        return load_plan(uow, plan_id)


def _printable(plan_id: int):
    """A saved plan, the language asked for and the township names in it (one snapshot); the plan is None if unknown."""
    lang = parse_query(PrintoutQuery, request.args).lang
    with unit() as uow:
        return load_plan(uow, plan_id), lang, township_names(uow, lang)


@evacuation_api.get("/api/v1/evacuation/plans")
@responds(PlanList, errors=(503,))
def plans():
    """The saved plans, newest first (at most 100)."""
    with unit() as uow:
        listed = list_plans(uow)
    return {"plans": [p.to_json() for p in listed]}


@evacuation_api.get("/api/v1/evacuation/plans/<id:plan_id>")
@responds(SavedPlan, errors=(404, 503))
def get_plan(plan_id: int):
    """A saved plan with its scenario, assignments and routes."""
    plan = _saved_plan(plan_id)
    if plan is None:
        return bad("id", *both("plan.not_found", id=plan_id), 404)
    return plan


@evacuation_api.get("/api/v1/evacuation/plans/<id:plan_id>.xlsx")
@query(PrintoutQuery)
@responds(None, media_type=XLSX, errors=(400, 404, 503))
def plan_xlsx(plan_id: int):
    """A saved plan as an Excel workbook: a summary, then one sheet per township (``lang``: zh or en)."""
    plan, lang, names = _printable(plan_id)
    if plan is None:
        return bad("id", *both("plan.not_found", id=plan_id), 404)
    return Response(plan_workbook(plan, app_settings(), lang, names), mimetype=XLSX,
                    headers={"Content-Disposition": f"attachment; filename=evacuation_plan_{plan_id}.xlsx"})


@evacuation_api.get("/api/v1/evacuation/plans/<id:plan_id>.geojson")
@responds(FeatureCollection, errors=(404, 503))
def plan_geojson(plan_id: int):
    """A saved plan as map layers: flows (``kind`` flow, ``people``, ``weight`` in px) and points (``kind``
    shelter / housed / partly / unmet), each with a tooltip in Chinese (``tip``) and English (``tip_en``)."""
    plan = _saved_plan(plan_id)
    if plan is None:
        return bad("id", *both("plan.not_found", id=plan_id), 404)
    return plan_features(plan)


@evacuation_api.get("/api/v1/evacuation/plans/<id:plan_id>.html")
@query(PrintoutQuery)
@responds(None, media_type="text/html", errors=(400, 404, 503))
def plan_printable(plan_id: int):
    """A saved plan as a printable page (``lang``: zh or en)."""
    plan, lang, names = _printable(plan_id)
    if plan is None:
        return bad("id", *both("plan.not_found", id=plan_id), 404)
    return Response(plan_html(plan, app_settings(), lang, names), content_type="text/html; charset=utf-8")


@evacuation_api.post("/api/v1/evacuation/moves")
@body(MoveCreate)
@responds(Moves, 201, errors=(400, 404, 409, 415, 503))
def evacuation_move():
    """From the field: people moved away from a hazard point (and housed in a shelter, within its free places)."""
    from services.evacuation.moves import record_move
    raw = json_body()
    req = parse(MoveCreate, raw)
    with unit(write=True) as uow:
        totals = record_move(uow, req.hazard_id, req.people, shelter_id=req.shelter_id)
    return totals


@evacuation_api.get("/api/v1/evacuation/progress")
@responds(Progress, errors=(503,))
def progress():
    """People moved per hazard point against the people it threatens, and the totals."""
    from services.evacuation.moves import evacuation_progress
    with unit() as uow:
        return evacuation_progress(uow)
