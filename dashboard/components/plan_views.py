"""How an evacuation plan is shown: totals, flows on a map (hazard point → shelter), assignment tables."""
from __future__ import annotations

import dash_leaflet as dl
from dash import html

from dashboard.components.map_layers import boundary_layer, roads_layer
from services.evacuation.plan_result import SavedPlan
from services.text import t, term


def _minutes(seconds) -> str:
    return "—" if seconds is None else f"{seconds / 60:.1f}"


def flows_geojson(saved: SavedPlan) -> dict:
    features = []
    for d in saved.plan.demand:
        for a in d.assigned:
            coords = a.route or [[d.lon, d.lat], a.to]  # the road route, else a straight flow
            features.append({"type": "Feature", "properties": {"people": a.people, "name": d.name},
                             "geometry": {"type": "LineString", "coordinates": [list(p) for p in coords]}})
    return {"type": "FeatureCollection", "features": features}


PLAN_DRAW = "plan-draw"


def plan_map(saved: SavedPlan | None, lang: str) -> dl.Map:
    draw = dl.FeatureGroup([dl.EditControl(id=PLAN_DRAW, position="topleft", edit={"edit": False},
                                           draw={"polyline": False, "marker": False, "circlemarker": False,
                                                 "circle": False, "polygon": True, "rectangle": True})])
    children = [boundary_layer(lang), roads_layer(lang, muted=True), draw]
    if saved:
        plan = saved.plan
        children.append(dl.GeoJSON(data=flows_geojson(saved), style={"variable": "qj.flowStyle"}, id="plan-flows"))
        children += [dl.CircleMarker(center=[s.lat, s.lon], radius=6 + min(12, s.arrivals ** 0.5 / 3),
                                     color="#0b6e4f", fillColor="#2a9d8f", fillOpacity=0.9,
                                     children=dl.Tooltip(t("label_value", lang, label=s.name, value=s.arrivals)))
                     for s in plan.shelters if s.arrivals]
        children += [dl.CircleMarker(center=[d.lat, d.lon], radius=4, color="#d62828", fillOpacity=0.9,
                                     children=dl.Tooltip(t("label_value", lang, label=d.name, value=d.unmet)))
                     for d in plan.demand if d.unmet]
    return dl.Map(children=children, center=[29.47, 108.717], zoom=9.25, zoomSnap=0.25,
                  className="plan-map", attributionControl=False)


def plan_summary(saved: SavedPlan | None, lang: str) -> list:
    if not saved:
        return []
    plan, totals = saved.plan, saved.plan.totals
    if not totals.people:
        return [html.P(t("plan.none", lang), className="short")]
    rows = [html.Tr([html.Td(d.name), html.Td(d.township_name), html.Td(a.shelter_name),
                     html.Td(a.people), html.Td(_minutes(a.travel_s))])
            for d in plan.demand for a in d.assigned]
    unmet = [html.Tr([html.Td(d.name), html.Td(d.township_name), html.Td(d.unmet),
                      html.Td(d.unmet_reason.text(lang) if d.unmet_reason else "")])
             for d in plan.demand if d.unmet]
    head = [t("plan.col_hazard", lang), t("evac.col_township", lang), t("plan.col_shelter", lang),
            t("plan.col_people", lang), t("plan.col_minutes", lang)]
    parts = [
        html.P(t("plan.totals", lang, points=totals.demand_points, people=f"{totals.people:,}",
                 assigned=f"{totals.assigned:,}", unmet=f"{totals.unmet:,}",
                 max=_minutes(totals.max_travel_s), mean=_minutes(totals.mean_travel_s)),
               className="ok plan-totals" if not totals.unmet else "short plan-totals"),
        html.P(t("plan.objective", lang), className="hint"),
    ]
    if plan.road_network.synthetic:
        parts.append(html.P(t("plan.synthetic", lang), className="hint"))
    parts.append(html.Div([
        html.A(t("plan.excel", lang), href=f"/api/v1/evacuation/plans/{saved.id}.xlsx",
               className="button-link plan-excel"),
        html.A(t("plan.print", lang), href=f"/api/v1/evacuation/plans/{saved.id}.html", target="_blank",
               className="button-link plan-print")], className="plan-links"))
    if unmet:
        parts += [html.H4(t("plan.unmet_title", lang)), html.Table(
            [html.Thead(html.Tr([html.Th(h) for h in (head[0], head[1], head[3], t("plan.col_reason", lang))])),
             html.Tbody(unmet)], className="data-table plan-unmet")]
    parts.append(html.Table([html.Thead(html.Tr([html.Th(h) for h in head])), html.Tbody(rows)],
                            className="data-table plan-rows"))
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
