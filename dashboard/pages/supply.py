"""物资调度 (supplies): vehicle routes from depots to shelters on open roads, with loads, ETAs and a dispatch sheet."""
from __future__ import annotations

import dash
import dash_leaflet as dl
from dash import Input, Output, State, callback, dcc, html

from dashboard.components.widgets import dropdown
from dashboard.components.map_layers import boundary_layer, district_frame, roads_layer
from dashboard.components.refused import page_may_show, refused_page
from dashboard.state import settings
from services.db.uow import unit_of_work
from services.errors import FieldError
from services.evacuation.shelters import shelter_capacities
from services.supply.dispatch_sheet import clock_text, dispatch_html, dispatch_workbook, items_text
from services.supply.route_plan import RoutePlan, Stop, TruckChange, VehicleRoute
from services.supply.routes import (
    RoutePlanRequest,
    available_trucks,
    depot_names,
    load_route_inputs,
    solve_supply_routes,
)
from services.supply.solver_slots import PlannerBusy
from services.text import normalise_language, t

dash.register_page(__name__, path="/supply", name=t("nav.supply"), order=2)

DEPOTS, SHELTERS, DAYS, SECONDS, HAZARD, RUN = ("sup-depots", "sup-shelters", "sup-days", "sup-seconds",
                                               "sup-hazard", "sup-run")
MAP, RESULT, STORE, DOWNLOAD, SHEET, LANG = ("sup-map", "sup-result", "sup-store", "sup-download", "sup-sheet",
                                             "sup-lang")
PRINT, PRINT_DOWNLOAD, VEHICLES = "sup-print", "sup-print-download", "sup-vehicles"
COLOURS = ("#1d3557", "#e76f51", "#2a9d8f", "#8338ec", "#fb8500", "#3a86ff", "#d62828", "#6a994e")


def layout(lang: str | None = None, **_query) -> html.Div:
    lang = normalise_language(lang)
    if not page_may_show("/supply"):
        return refused_page("/supply", "sup.title", lang)
    with unit_of_work(settings()) as uow:  # the choices from one snapshot
        depots = [{"label": name, "value": depot_id} for depot_id, name in depot_names(uow)]
        trucks = [{"label": label, "value": vehicle_id} for vehicle_id, label in available_trucks(uow)]
        shelters = [{"label": t("sup.shelter_option", lang, code=x.code, name=x.name, people=x.occupancy_people),
                     "value": x.id} for x in shelter_capacities(uow)]
    return html.Div([
        dcc.Store(id=LANG, data=lang), dcc.Store(id=STORE), dcc.Download(id=DOWNLOAD),
        dcc.Download(id=PRINT_DOWNLOAD),
        html.H2(t("sup.title", lang)),
        html.Div([
            html.Label([t("sup.depots", lang), dropdown(depots, [], lang=lang, id=DEPOTS, multi=True)]),
            html.Label([t("sup.shelters", lang), dropdown(shelters, [], lang=lang, id=SHELTERS, multi=True)]),
            html.Label([t("sup.vehicles", lang), dropdown(trucks, [], lang=lang, id=VEHICLES, multi=True)]),
            html.Label([t("evac.days", lang), dcc.Input(id=DAYS, type="number", min=1, max=30, value=1)]),
            html.Label([t("sup.seconds", lang), dcc.Input(id=SECONDS, type="number", min=1, max=60, value=5)]),
            dcc.Checklist([{"label": t("sup.hazard", lang), "value": "on"}], [], id=HAZARD),
            html.Button(t("sup.run", lang), id=RUN, n_clicks=0, className="button-link"),
        ], className="plan-form"),
        html.P(t("sup.note", lang), className="hint"),
        html.Div([html.Div(_map([], lang), id=MAP, className="plan-map-wrap"),
                  html.Div(id=RESULT, className="plan-result")], className="plan-body"),
    ], className="data-page evac-page work-page supply-page")


def _map(vehicles: tuple[VehicleRoute, ...], lang: str) -> dl.Map:
    children = [boundary_layer(lang), roads_layer(lang, muted=True)]
    for i, v in enumerate(vehicles):
        colour = COLOURS[i % len(COLOURS)]
        children.append(dl.Polyline(positions=[[lat, lon] for lon, lat in (v.geometry or {}).get("coordinates", [])],
                                    color=colour, weight=6, opacity=0.9, className="supply-route",
                                    children=dl.Tooltip(t("label_value", lang, label=v.plate, value=v.depot))))
    return dl.Map(children=children, **district_frame(), zoom=9.25, zoomSnap=0.25, className="plan-map",
                  attributionControl=False)


def _result(plan: RoutePlan, lang: str) -> list:
    totals = plan.totals
    parts = [html.P(t("sup.totals", lang, vehicles=len(plan.vehicles), kg=f"{totals.kg:,}",
                      km=f"{totals.distance_m / 1000:,.1f}", hours=f"{totals.duration_s / 3600:.1f}"),
                    className="plan-totals ok" if not plan.unserved else "plan-totals short")]
    if plan.synthetic_network:
        parts.append(html.P(t("plan.synthetic", lang), className="hint"))
    parts.append(html.Div([html.Button(t("sup.sheet", lang), id=SHEET, n_clicks=0, className="button-link"),
                           html.Button(t("sup.print", lang), id=PRINT, n_clicks=0, className="button-link")],
                          className="plan-links"))
    if plan.unserved:
        parts += [html.H4(t("sup.unserved", lang)),
                  html.Ul([html.Li(t("sup.unserved_row", lang, name=u.name, kg=f"{u.kg:,}", reason=u.reason.text(lang)))
                           for u in plan.unserved], className="short")]
    for i, v in enumerate(plan.vehicles):
        rows = [_stop_row(s, lang) for s in v.stops]
        unknown = t("sup.unknown", lang)
        parts += [html.H4([html.Span("■ ", style={"color": COLOURS[i % len(COLOURS)]}),
                           t("sup.vehicle_heading", lang, plate=v.plate, kind=v.kind, depot=v.depot,
                             kg=f"{v.kg:,}", km=f"{v.distance_m / 1000:.1f}", time=clock_text(v.duration_s))]),
                  html.P(t("sup.driver", lang, name=v.driver_name or unknown, phone=v.driver_phone or unknown),
                         className="hint vehicle-driver"),
                  html.Table([html.Thead(html.Tr([html.Th(t(k, lang)) for k in
                                                  ("sup.stop", "sup.items", "sup.kg", "sup.m3", "sup.eta")])),
                              html.Tbody(rows)], className="data-table vehicle-table")]
    return parts


def _stop_row(s: Stop, lang: str) -> html.Tr:
    name = [s.name]
    if s.trip > 1:
        name.append(html.Span(f" · {t('sup.trip', lang, trip=s.trip)}", className="hint"))
    if s.split is not None:
        name += [html.Br(), html.Small(s.split.text(lang), className="hint stop-split")]
    eta = [clock_text(s.eta_s) + (" ⚠" if s.late else "")]
    if s.wait_s >= 60:
        eta += [html.Br(), html.Small(t("sup.wait", lang, minutes=round(s.wait_s / 60)), className="hint")]
    return html.Tr([html.Td(name), html.Td(items_text(s, lang), className="stop-items"), html.Td(f"{s.kg:,}"),
                    html.Td(f"{s.m3:,}"), html.Td(eta, className="short" if s.late else "")])


def _minutes(change_s: int, lang: str) -> str:
    sign = "+" if change_s > 0 else "−" if change_s < 0 else ""
    return t("sup.chg_minutes", lang, sign=sign, minutes=round(abs(change_s) / 60))


def _changes(changes: tuple[TruckChange, ...], lang: str) -> html.Div:
    """Per vehicle: what the re-plan changed (its shelters added and removed, its time)."""
    counts = {status: sum(c.status == status for c in changes) for status in ("same", "changed", "new", "dropped")}
    heads = [t(k, lang) for k in ("sup.chg_vehicle", "sup.chg_status", "sup.chg_added", "sup.chg_removed",
                                  "sup.chg_time")]
    sep = t("list.separator", lang)
    body = [html.Tr([html.Td(c.plate), html.Td(t(f"sup.chg.{c.status}", lang)), html.Td(sep.join(c.added)),
                     html.Td(sep.join(c.removed)), html.Td(_minutes(c.duration_change_s, lang))],
                    className=f"change-{c.status}") for c in changes]
    return html.Div([html.H4(t("sup.changes", lang)), html.P(t("sup.chg_summary", lang, **counts)),
                     html.Table([html.Thead(html.Tr([html.Th(h) for h in heads])), html.Tbody(body)],
                                className="data-table plan-changes")], className="plan-changes-block")


def _compare(previous: RoutePlan, plan: RoutePlan, lang: str) -> html.Table:
    def row(p: RoutePlan):
        t_ = p.totals
        return [len(p.vehicles), f"{t_.kg:,}", f"{t_.distance_m / 1000:,.1f}", f"{t_.duration_s / 3600:.1f}",
                len(p.unserved)]
    heads = [t(k, lang) for k in ("sup.cmp_plan", "sup.cmp_vehicles", "sup.kg", "sup.cmp_km", "sup.cmp_hours",
                                  "sup.unserved")]
    body = [html.Tr([html.Td(t(label, lang))] + [html.Td(c) for c in row(p)])
            for label, p in (("sup.cmp_previous", previous), ("sup.cmp_current", plan))]
    return html.Table([html.Thead(html.Tr([html.Th(h) for h in heads])), html.Tbody(body)],
                      className="data-table plan-compare")


@callback(Output(MAP, "children"), Output(RESULT, "children"), Output(STORE, "data"),
          Input(RUN, "n_clicks"), State(DEPOTS, "value"), State(SHELTERS, "value"), State(VEHICLES, "value"),
          State(DAYS, "value"), State(SECONDS, "value"), State(HAZARD, "value"), State(STORE, "data"),
          State(LANG, "data"), prevent_initial_call=True)
def _run(_clicks, depots, shelters, vehicles, days, seconds, hazard, previous, lang):
    try:
        before = RoutePlan.from_json(previous) if previous else None
        req = RoutePlanRequest(shelter_ids=shelters or [], depot_ids=depots or [], vehicle_ids=vehicles or [],
                               days=int(days or 1), seconds=min(60.0, max(1.0, float(seconds or 5))),
                               hazard_blocks=bool(hazard), previous=before)
        with unit_of_work(settings()) as uow:  # read the inputs, close the unit, then solve (up to 60 s)
            inputs = load_route_inputs(uow, req)
        plan = solve_supply_routes(settings(), inputs)
    except (FieldError, PlannerBusy) as exc:  # bad input, or every solver slot taken: say so, keep the map
        return dash.no_update, html.P(exc.reason if lang == "zh" else exc.reason_en, className="short"), None
    result = _result(plan, lang)
    if before is not None:  # re-planning (after a closure, say): the last plan beside this one, and what changed
        result = [_compare(before, plan, lang), _changes(plan.changes or (), lang), *result]
    return _map(plan.vehicles, lang), result, plan.to_json()


@callback(Output(DOWNLOAD, "data"), Input(SHEET, "n_clicks"), State(STORE, "data"), State(LANG, "data"),
          prevent_initial_call=True)
def _sheet(clicks, plan, lang):
    if not clicks or not plan:
        return dash.no_update
    return dcc.send_bytes(dispatch_workbook(RoutePlan.from_json(plan), lang), f"{t('export.sheet.file', lang)}.xlsx")


@callback(Output(PRINT_DOWNLOAD, "data"), Input(PRINT, "n_clicks"), State(STORE, "data"), State(LANG, "data"),
          prevent_initial_call=True)
def _printable(clicks, plan, lang):
    """Dispatch sheets as one printable page (a page per vehicle)."""
    if not clicks or not plan:
        return dash.no_update
    return dcc.send_string(dispatch_html(RoutePlan.from_json(plan), lang), f"{t('export.sheet.file', lang)}.html")
