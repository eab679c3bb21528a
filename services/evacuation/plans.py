"""Evacuation plans (疏散方案): who moves from which hazard point to which shelter, by which road.

A scenario selects the people to move (hazard points by type, warning level, township or a drawn area);
they are assigned to open shelters with free places by exact min-cost flow on road travel time (see
geo/assignment.py for the objective), within a travel-time limit. Plans are saved with their inputs.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

import numpy as np
import shapely
from shapely.geometry import shape
from sqlalchemy import select

from config import Settings
from geo import travel
from geo.assignment import assign
from geo.roads import RoadGraph
from services import vocabulary
from services.db import audit, read_session, transaction
from services.errors import FieldError
from services.evacuation.shelters import capacity_summary
from services.map.area import polygon_from_geojson
from services.map.layers import LayerFilter, point_layer
from services.models import EvacuationPlan
from services.roads.network import road_graph


class ScenarioError(FieldError):
    """A scenario that cannot be planned."""


@dataclass
class Scenario:
    name: str = "疏散方案"
    hazard_types: list[str] = field(default_factory=list)     # empty: all types
    warning_levels: list[str] = field(default_factory=list)   # empty: all levels
    townships: list[str] = field(default_factory=list)        # township codes; empty: the whole district
    area: dict | None = None                                  # GeoJSON polygon drawn on the map
    max_travel_min: float = 60.0
    exclude_unsafe: bool = False
    block_hazard_roads: bool = False  # close roads in the zones of red/orange-warning hazard points

    @classmethod
    def from_json(cls, body: dict, known_townships: set[str]) -> Scenario:
        if not isinstance(body, dict):
            raise ScenarioError("body", "请求体应为 JSON 对象", "body must be a JSON object")
        unknown = sorted(set(body) - set(cls.__dataclass_fields__) - {"actor"})
        if unknown:
            raise ScenarioError(unknown[0], f"未知字段“{unknown[0]}”", f"unknown field '{unknown[0]}'")
        s = cls(**{k: body[k] for k in cls.__dataclass_fields__ if k in body})
        for name, allowed in (("hazard_types", vocabulary.HAZARD_TYPES), ("warning_levels", vocabulary.WARNING_LEVELS),
                              ("townships", tuple(known_townships))):
            if not isinstance(getattr(s, name), list):
                raise ScenarioError(name, f"{name} 应为列表", f"{name} must be a list")
            bad = [v for v in getattr(s, name) if v not in allowed]
            if bad:
                raise ScenarioError(name, f"“{bad[0]}” 不是允许的值", f"'{bad[0]}' is not allowed for {name}")
        try:
            s.max_travel_min = float(s.max_travel_min)
        except (TypeError, ValueError):
            s.max_travel_min = -1
        if not 1 <= s.max_travel_min <= 600:
            raise ScenarioError("max_travel_min", "最长行程应为 1 到 600 分钟", "max_travel_min must be 1 to 600")
        if not isinstance(s.name, str) or not isinstance(s.exclude_unsafe, bool) or \
                not isinstance(s.block_hazard_roads, bool):
            raise ScenarioError("name", "name 应为文字，exclude_unsafe 应为 true/false",
                                "name must be text and exclude_unsafe true or false")
        if s.area is not None:
            area = polygon_from_geojson(s.area, "area", ScenarioError)
            s.area = json.loads(shapely.to_geojson(area))  # a circle (point + radius) becomes its polygon
        return s


def _demand(settings: Settings, scenario: Scenario) -> list[dict]:
    where = {k: tuple(v) for k, v in (("hazard_type", scenario.hazard_types),
                                      ("warning_level", scenario.warning_levels)) if v}
    features = point_layer(settings, "hazards", LayerFilter(where=where), "map")["features"]
    if scenario.townships:
        codes = set(scenario.townships)
        full = {f["properties"]["id"]: f["properties"]["township_code"]
                for f in point_layer(settings, "hazards", LayerFilter(where=where), "full")["features"]}
        features = [f for f in features if full[f["properties"]["id"]] in codes]
    if scenario.area is not None and features:
        area = shape(scenario.area.get("geometry", scenario.area))
        xy = np.array([f["geometry"]["coordinates"][:2] for f in features], dtype=float)
        inside = shapely.contains_xy(area, xy[:, 0], xy[:, 1])
        features = [f for f, keep in zip(features, inside) if keep]
    return [{"id": f["properties"]["id"], "name": f["properties"]["name"],
             "township_name": f["properties"]["township_name"], "lon": f["geometry"]["coordinates"][0],
             "lat": f["geometry"]["coordinates"][1], "people": int(f["properties"]["threatened_people"])}
            for f in features if f["properties"]["threatened_people"] > 0]


def _travel(graph: RoadGraph, demand: list[dict], shelters: list, limit_s: float):
    """Travel seconds (demand × shelter) including walking to and from the road, and both sides snapped."""
    d_snapped = travel.snap(graph, [d["lon"] for d in demand], [d["lat"] for d in demand])
    s_snapped = travel.snap(graph, [s.lon for s in shelters], [s.lat for s in shelters])
    return travel.travel_matrix(graph, d_snapped, s_snapped, limit=limit_s), d_snapped, s_snapped


def _routes(graph: RoadGraph, flows: np.ndarray, d_snapped: travel.Snapped, s_snapped: travel.Snapped,
            demand: list[dict], shelters: list) -> dict:
    """(demand index, shelter index) → route coordinates and road names, for every pair with people."""
    routes = {}
    for j in np.nonzero(flows.sum(axis=0))[0]:
        users = np.nonzero(flows[:, j])[0]
        for i, trip in zip(users, travel.routes_to(graph, d_snapped.take(users), s_snapped.take([j]))):
            if trip is not None:
                routes[(int(i), int(j))] = {"route": trip.coords, "via": trip.via}
    return routes


def plan(settings: Settings, scenario: Scenario) -> dict:
    """Compute a plan for ``scenario`` (not saved); a JSON-ready dict."""
    demand = _demand(settings, scenario)
    summary = capacity_summary(settings, exclude_unsafe=scenario.exclude_unsafe)
    shelters = [s for s in summary.shelters if s.status != "关闭" and s.available_places > 0
                and not (scenario.exclude_unsafe and s.unsafe_reasons)]
    graph = road_graph(settings, hazard_blocks=scenario.block_hazard_roads)
    limit_s = scenario.max_travel_min * 60
    routes: dict = {}
    if demand and shelters:
        travel, d_nodes, s_nodes = _travel(graph, demand, shelters, limit_s)
        result = assign(travel, [d["people"] for d in demand], [s.available_places for s in shelters], limit_s)
        flows, unmet = result.flows, result.unmet
        routes = _routes(graph, flows, d_nodes, s_nodes, demand, shelters)
    else:
        travel = np.full((len(demand), len(shelters)), np.inf)
        flows, unmet = np.zeros(travel.shape, dtype=np.int64), np.array([d["people"] for d in demand], np.int64)
    rows = []
    for i, d in enumerate(demand):
        assigned = [{"shelter_id": shelters[j].id, "shelter_name": shelters[j].name, "people": int(flows[i, j]),
                     "travel_s": round(float(travel[i, j])), "to": [shelters[j].lon, shelters[j].lat],
                     **routes.get((i, int(j)), {"route": None, "via": []})}
                    for j in np.nonzero(flows[i])[0]]
        reason = None
        if unmet[i]:
            reachable = np.isfinite(travel[i]) & (travel[i] <= limit_s) if len(shelters) else np.array([])
            reason = (f"{scenario.max_travel_min:g} 分钟内无可达的避难场所" if not reachable.any()
                      else "可达的避难场所已无空位")
        rows.append({**d, "assigned": assigned, "unmet": int(unmet[i]), "unmet_reason": reason})
    arrivals = flows.sum(axis=0) if len(demand) else np.zeros(len(shelters), dtype=np.int64)
    used = flows > 0
    people_s = (flows * np.where(used, travel, 0)).sum()
    assigned_total = int(flows.sum())
    return {
        "scenario": asdict(scenario),
        "road_network": {"synthetic": graph.synthetic, "nodes": graph.node_count, "edges": graph.edge_count,
                         "blocked_edges": int(graph.blocked.sum())},
        "objective": "先使安置人数最多，再使总行程（人·秒）最小 / house as many as possible, then minimise "
                     "total person-seconds of road travel",
        "totals": {"demand_points": len(demand), "people": int(sum(d["people"] for d in demand)),
                   "assigned": assigned_total, "unmet": int(unmet.sum()),
                   "max_travel_s": round(float(travel[used].max())) if used.any() else None,
                   "mean_travel_s": round(float(people_s / assigned_total)) if assigned_total else None},
        "demand": rows,
        "shelters": [{"id": s.id, "name": s.name, "township_name": s.township_name, "lon": s.lon, "lat": s.lat,
                      "available_before": s.available_places, "arrivals": int(arrivals[j]),
                      "remaining": s.available_places - int(arrivals[j])} for j, s in enumerate(shelters)],
    }


def save_plan(settings: Settings, scenario: Scenario, *, actor: str) -> tuple[int, dict]:
    """Compute and store a plan with its inputs; returns (id, plan)."""
    result = plan(settings, scenario)
    with transaction(settings.database_url) as session:
        row = EvacuationPlan(name=scenario.name[:100], actor=actor, scenario=json.dumps(asdict(scenario),
                             ensure_ascii=False), result=json.dumps(result, ensure_ascii=False),
                             people=result["totals"]["people"], assigned=result["totals"]["assigned"])
        session.add(row)
        session.flush()
        audit.record(session, actor=actor, action="create", entity="evacuation_plan", entity_key=str(row.id),
                     detail=result["totals"])
        plan_id = row.id
    return plan_id, result


def load_plan(settings: Settings, plan_id: int) -> dict | None:
    with read_session(settings.database_url) as session:
        row = session.get(EvacuationPlan, plan_id)
        if row is None:
            return None
        return {"id": row.id, "name": row.name, "created_at": row.created_at.isoformat(), "actor": row.actor,
                **json.loads(row.result)}


def list_plans(settings: Settings) -> list[dict]:
    with read_session(settings.database_url) as session:
        rows = session.scalars(select(EvacuationPlan).order_by(EvacuationPlan.id.desc()).limit(100)).all()
        return [{"id": r.id, "name": r.name, "created_at": r.created_at.isoformat(), "actor": r.actor,
                 "people": r.people, "assigned": r.assigned} for r in rows]



def plan_workbook(plan_data: dict) -> bytes:
    """The plan as an Excel workbook: a summary sheet, then one sheet per township of the demand points.

    Every cell goes through ``append_row``: a name from the data is text, never a live formula.
    """
    import io

    import openpyxl
    from openpyxl.styles import Font

    from services.data.spreadsheet import append_row, sheet_title

    book = openpyxl.Workbook()
    summary = book.active
    summary.title = "汇总"
    totals = plan_data["totals"]
    append_row(summary, ["方案", plan_data.get("name", "")])
    append_row(summary, ["编制时间(UTC)", plan_data.get("created_at", "")])
    append_row(summary, ["目标", plan_data["objective"]])
    for label, key in (("隐患点数", "demand_points"), ("需转移人数", "people"), ("已安置", "assigned"),
                       ("未安置", "unmet"), ("最长行程(秒)", "max_travel_s"), ("平均行程(秒)", "mean_travel_s")):
        append_row(summary, [label, totals[key]])
    if plan_data["road_network"]["synthetic"]:
        append_row(summary, ["路网", "示例路网（合成数据），行程时间仅供演示"])
    append_row(summary, [])
    append_row(summary, ["避难场所", "乡镇街道", "原可用位", "接收人数", "剩余可用位"])
    for s in plan_data["shelters"]:
        append_row(summary, [s["name"], s["township_name"], s["available_before"], s["arrivals"], s["remaining"]])
    by_township: dict[str, list[dict]] = {}
    for d in plan_data["demand"]:
        by_township.setdefault(d["township_name"], []).append(d)
    for township, rows in sorted(by_township.items()):
        sheet = book.create_sheet(sheet_title(township))
        append_row(sheet, ["隐患点", "需转移人数", "避难场所", "人数", "行程(分钟)", "未安置", "原因"])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for d in rows:
            targets = d["assigned"] or [None]
            for k, a in enumerate(targets):
                append_row(sheet, [d["name"] if k == 0 else "", d["people"] if k == 0 else "",
                                   a["shelter_name"] if a else "", a["people"] if a else "",
                                   round(a["travel_s"] / 60, 1) if a else "", d["unmet"] if k == 0 else "",
                                   d["unmet_reason"] or "" if k == 0 else ""])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def plan_html(plan_data: dict) -> str:
    """A printable page of the plan (A4, tables per township); every text from data is escaped."""
    from html import escape

    totals = plan_data["totals"]
    minutes = (lambda s: "—" if s is None else f"{s / 60:.1f}")  # noqa: E731
    parts = [f"<h1>{escape(plan_data.get('name', ''))}</h1>",
             f"<p>编制时间（UTC）{escape(plan_data.get('created_at', '')[:16].replace('T', ' '))} · 编制人 "
             f"{escape(plan_data.get('actor', ''))}</p>",
             f"<p class='totals'>{totals['demand_points']} 个隐患点 {totals['people']:,} 人：安置 {totals['assigned']:,} 人，"
             f"未安置 {totals['unmet']:,} 人；最长行程 {minutes(totals['max_travel_s'])} 分钟，"
             f"平均 {minutes(totals['mean_travel_s'])} 分钟</p>",
             f"<p class='note'>{escape(plan_data['objective'])}</p>"]
    if plan_data["road_network"]["synthetic"]:
        parts.append("<p class='note'>行程时间基于示例路网（合成数据），仅供演示。</p>")
    by_township: dict[str, list[dict]] = {}
    for d in plan_data["demand"]:
        by_township.setdefault(d["township_name"], []).append(d)
    for township, rows in sorted(by_township.items()):
        body = []
        for d in rows:
            for a in d["assigned"] or [None]:
                body.append("<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in (
                    d["name"], d["people"], a["shelter_name"] if a else "—", a["people"] if a else "—",
                    minutes(a["travel_s"]) if a else "—", "、".join(a["via"]) if a else "",
                    f"{d['unmet']}（{d['unmet_reason']}）" if d["unmet"] else "")) + "</tr>")
        parts.append(f"<h2>{escape(township)}</h2><table><thead><tr><th>隐患点</th><th>需转移</th><th>避难场所</th>"
                     f"<th>人数</th><th>行程(分钟)</th><th>经由道路</th><th>未安置</th></tr></thead>"
                     f"<tbody>{''.join(body)}</tbody></table>")
    style = ("body{font-family:'Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:16mm;color:#111}"
             "table{border-collapse:collapse;width:100%;font-size:11pt;margin-bottom:8mm}"
             "th,td{border:1px solid #999;padding:3px 6px;text-align:left}th{background:#eee}"
             ".note{color:#555;font-size:10pt}.totals{font-weight:bold}h2{page-break-after:avoid}"
             "@page{size:A4;margin:12mm}")
    return (f"<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'><title>{escape(plan_data.get('name', ''))}"
            f"</title><style>{style}</style></head><body>{''.join(parts)}</body></html>")
