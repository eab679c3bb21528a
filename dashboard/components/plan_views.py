"""How an evacuation plan is shown: totals, flows on a map (hazard point → shelter), assignment tables.

The map is built once with the page and its layers are GeoJSON data the plan callback replaces (flows, shelters,
hazard points), and the tables are DataTables: a whole-district plan is a few hundred rows and points, which as
separate Dash components (html.Td, CircleMarker + Tooltip) cost the browser tens of seconds to mount.
"""
from __future__ import annotations

import dash_leaflet as dl
from dash import dash_table, html

from dashboard.components.map_layers import district_frame, boundary_layer, roads_layer
from services.clock import format_local, local_zone
from services.evacuation.plan_geojson import (  # noqa: F401 — flows_geojson and points_geojson: the page's layers
    EMPTY,
    flow_weight,
    flows_geojson,
    largest_flow,
    points_geojson,
)
from services.evacuation.plan_result import SavedPlan
from services.text import t, term

PLAN_DRAW = "plan-draw"
PLAN_LEAFLET, PLAN_FLOWS, PLAN_POINTS = "plan-leaflet", "plan-flows", "plan-points"
PAGE_ROWS = 25
FONT = "'Microsoft YaHei','PingFang SC','Noto Sans CJK SC',sans-serif"


def _minutes(seconds) -> str:
    return "—" if seconds is None else f"{seconds / 60:.1f}"


def plan_viewport(saved: SavedPlan | None) -> dict | None:
    """Bounds around the plan's hazard points and the shelters it uses, for the map to fit; None without any."""
    if not saved:
        return None
    points = [(d.lat, d.lon) for d in saved.plan.demand] + [(s.lat, s.lon) for s in saved.plan.shelters
                                                             if s.arrivals]
    if not points:
        return None
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    pad = 0.01  # about 1 km, so a plan of one point is not drawn at street level
    return {"bounds": [[min(lats) - pad, min(lons) - pad], [max(lats) + pad, max(lons) + pad]],
            "transition": "fitBounds", "options": {"padding": [24, 24], "maxZoom": 15}}


def plan_legend(lang: str, largest: int | None = None) -> html.Div:
    """What the map's lines and dots mean; the line widths for the plan's largest flow and smaller ones."""
    largest = largest or 0
    samples = sorted({n for n in (largest, round(largest / 4), round(largest / 16)) if n > 0}, reverse=True)
    lines = [html.Div([html.Span(className="plan-legend-line", style={"height": f"{flow_weight(n, largest)}px"}),
                       t("plan.legend_flow", lang, people=f"{n:,}")], className="plan-legend-row") for n in samples]
    dots = [html.Div([html.Span(className=f"plan-legend-dot {kind}"), t(f"plan.legend_{kind}", lang)],
                     className="plan-legend-row") for kind in ("shelter", "housed", "partly", "unmet")]
    return html.Div([html.Div(t("plan.legend_title", lang), className="plan-legend-title"), *lines, *dots],
                    className="plan-legend", id="plan-legend")


def plan_map(lang: str) -> html.Div:
    """The plan's map, built once: the plan callback replaces its layers' data, its view and its legend."""
    draw = dl.FeatureGroup([dl.EditControl(id=PLAN_DRAW, position="topleft", edit={"edit": False},
                                           draw={"polyline": False, "marker": False, "circlemarker": False,
                                                 "circle": False, "polygon": True, "rectangle": True})])
    children = [boundary_layer(lang), roads_layer(lang, muted=True), draw,
                dl.GeoJSON(data=EMPTY, id=PLAN_FLOWS, style={"variable": "qj.planFlowStyle"},
                           onEachFeature={"variable": "qj.planTip"}),
                dl.GeoJSON(data=EMPTY, id=PLAN_POINTS, pointToLayer={"variable": "qj.planPoint"},
                           onEachFeature={"variable": "qj.planTip"})]
    return html.Div([dl.Map(children=children, id=PLAN_LEAFLET, **district_frame(),
                            zoom=9.25, zoomSnap=0.25, className="plan-map", attributionControl=False),
                     html.Div(plan_legend(lang), id="plan-legend-wrap")], className="plan-map-box")


def _grid(columns: list[tuple[str, str]], rows: list[dict], class_name: str) -> html.Div:
    grid = dash_table.DataTable(
        data=rows, columns=[{"name": name, "id": key, "type": "numeric" if key in ("people", "minutes", "unmet")
                             else "text"} for key, name in columns],
        sort_action="native", page_action="native", page_size=PAGE_ROWS,  # pages, not a 300-row scroll to lay out
        style_table={"overflowX": "auto"},
        style_cell={"fontFamily": FONT, "fontSize": 12, "padding": "4px 8px", "whiteSpace": "normal",
                    "height": "auto", "minWidth": "60px", "maxWidth": "360px", "textAlign": "left"},
        style_cell_conditional=[{"if": {"column_type": "numeric"}, "textAlign": "right"}],
        style_header={"backgroundColor": "#eef2f7", "fontWeight": "bold"})
    return html.Div(grid, className=class_name)


def table_loader() -> html.Div:
    """An empty DataTable in the page's first layout, so the table's scripts load with the page, not on the click."""
    return html.Div(dash_table.DataTable(data=[], columns=[{"name": "", "id": "x"}]), style={"display": "none"})


def plan_summary(saved: SavedPlan | None, lang: str, settings=None, townships: dict[str, str] | None = None) -> list:
    """A saved plan's totals and rows; ``townships`` names townships in the reader's language, by code (or by the
    Chinese name a plan saved before codes were kept carries)."""
    if not saved:
        return []
    plan, totals = saved.plan, saved.plan.totals
    if not totals.people:
        return [html.P(t("plan.none", lang), className="short")]
    townships = townships or {}

    def township(d) -> str:
        return townships.get(d.township_code or d.township_name, d.township_name)
    rows = [{"hazard": d.name, "township": township(d), "shelter": a.shelter_name, "people": a.people,
             "minutes": None if a.travel_s is None else round(a.travel_s / 60, 1)}
            for d in plan.demand for a in d.assigned]
    unmet = [{"hazard": d.name, "township": township(d), "unmet": d.unmet,
              "reason": d.unmet_reason.text(lang) if d.unmet_reason else ""} for d in plan.demand if d.unmet]
    parts = [
        html.P(t("plan.totals", lang, points=totals.demand_points, people=f"{totals.people:,}",
                 assigned=f"{totals.assigned:,}", unmet=f"{totals.unmet:,}",
                 max=_minutes(totals.max_travel_s), mean=_minutes(totals.mean_travel_s)),
               className="ok plan-totals" if not totals.unmet else "short plan-totals"),
        html.P(t("plan.objective", lang), className="hint"),
    ]
    if settings is not None:  # when and by whom, in the deployment's zone (Asia/Shanghai), as on the printout
        parts.insert(0, html.P(t("plan_print.made_by", lang, time=format_local(saved.created_at, settings),
                                 zone=str(local_zone(settings)), actor=saved.made_by(lang)), className="plan-made"))
    if plan.road_network.synthetic:
        parts.append(html.P(t("plan.synthetic", lang), className="hint"))
    if saved.stored:
        parts.append(html.Div([
            html.A(t("plan.excel", lang), href=f"/api/v1/evacuation/plans/{saved.id}.xlsx?lang={lang}",
                   className="button-link plan-excel"),
            html.A(t("plan.print", lang), href=f"/api/v1/evacuation/plans/{saved.id}.html?lang={lang}",
                   target="_blank",
                   className="button-link plan-print")], className="plan-links"))
    else:  # a what-if (试算): nothing stored to download or print
        parts.append(html.P(t("plan.unsaved", lang), className="hint plan-unsaved"))
    hazard, township_col = ("hazard", t("plan.col_hazard", lang)), ("township", t("evac.col_township", lang))
    if unmet:
        parts += [html.H4(t("plan.unmet_title", lang)),
                  _grid([hazard, township_col, ("unmet", t("plan.col_people", lang)),
                         ("reason", t("plan.col_reason", lang))], unmet, "plan-unmet")]
    parts.append(_grid([hazard, township_col, ("shelter", t("plan.col_shelter", lang)),
                        ("people", t("plan.col_people", lang)), ("minutes", t("plan.col_minutes", lang))],
                       rows, "plan-rows"))
    return parts


def plan_comparison(plans: list[SavedPlan], lang: str) -> html.Table:
    """Totals of saved plans side by side."""
    def listed(values) -> str:
        return t("list.separator", lang).join([term(v, lang) for v in values] or [t("map.any", lang)])
    rows = [("plan.col_plan", lambda p: f"#{p.id} {p.name}"),
            ("plan.cmp_scope", lambda p: listed(p.plan.scenario.warning_levels) + " / " +
             listed(p.plan.scenario.hazard_types)),
            ("plan.max_travel", lambda p: f"{p.plan.scenario.max_travel_min:g}"),
            ("plan.col_people", lambda p: f"{p.plan.totals.people:,}"),
            ("plan.cmp_assigned", lambda p: f"{p.plan.totals.assigned:,}"),
            ("plan.unmet_title", lambda p: f"{p.plan.totals.unmet:,}"),
            ("plan.cmp_max", lambda p: _minutes(p.plan.totals.max_travel_s)),
            ("plan.cmp_mean", lambda p: _minutes(p.plan.totals.mean_travel_s))]
    return html.Table(html.Tbody([html.Tr([html.Th(t(key, lang))] + [html.Td(value(p)) for p in plans])
                                  for key, value in rows]), className="data-table plan-compare")


def plan_layers(saved: SavedPlan | None, lang: str) -> tuple[dict, dict, html.Div]:
    """The map's flows, points and legend for ``saved``."""
    return (flows_geojson(saved, lang), points_geojson(saved, lang),
            plan_legend(lang, largest_flow(saved) if saved else None))
