"""Panels over the map: one feature's details, what a drawn area holds, and search results.

Everything from data is passed as text children, which React escapes: a name with ``<script>`` shows as text.
"""
from __future__ import annotations

from dash import html

from dashboard import ids
from services import vocabulary
from services.data.locations import LOCATED
from services.text import t, term
from services.map.area import AreaSummary
from services.map.features import FeatureDetails
from services.map.nearby import NearbyFeature, RadiusSummary

RADIUS_KM = (1, 3, 5, 10)
RADIUS_ROWS = 6  # per list in the panel (the figures count everything): short enough to read at a glance
from services.map.search import SearchHit


def _value(value, lang: str) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return t("map.yes" if value else "map.no", lang)
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    return term(str(value), lang)  # a vocabulary value in the reader's language; other text as it is


def details_container(lang: str) -> html.Div:
    """The panel over the map; its body is filled by a click, a search hit or a drawn area."""
    close = html.Button("×", id=ids.DETAILS_CLOSE, className="details-close", title=t("map.close", lang), n_clicks=0)
    return html.Div([close, html.Div(id=ids.DETAILS_BODY)], id=ids.DETAILS, className="details-panel hidden")


def latest_patrols(uow, layer: str, feature_id: int, limit: int = 5) -> list:
    """A hazard point's latest patrols (巡查) with their local times, for its details; none for other layers."""
    from services.clock import format_local
    from services.errors import FieldError
    from services.field.patrols import patrols_of
    if layer != "hazards":
        return []
    try:
        return [(format_local(p.at, uow.settings, "%m-%d %H:%M"), p) for p in patrols_of(uow, feature_id, limit)]
    except FieldError:  # another township's point, for township staff: its details, not its patrols
        return []


def supervision_record(uow, layer: str, feature_id: int):
    """An enterprise's supervision record (risk points, open dangers, last inspection) for its details; else None."""
    from services.errors import FieldError
    from services.supervision.enterprise_record import enterprise_record
    if layer != "enterprises":
        return None
    try:
        return enterprise_record(uow, feature_id, limit=5)
    except FieldError:  # another township's enterprise, for township staff
        return None


def _supervision_list(record, lang: str) -> list:
    """Risk points, open hidden dangers with their deadlines, and the last inspection, in a few lines."""
    if record is None:
        return []
    points = [html.Li(f"{p.name} · {term(p.level, lang)} · {term(p.control_tier, lang)}") for p in record.risk_points]
    dangers = [html.Li([f"{d.code} · {term(d.level, lang)} · {term(d.status, lang)} · ",
                        html.Span(t("map.danger_deadline", lang, deadline=d.deadline),
                                  className="overdue" if d.overdue else ""), f" · {d.description[:40]}"])
               for d in record.open_dangers]
    last = record.last_inspection
    return [
        html.H4(t("safe.risk_points", lang)), html.Ul(points or [html.Li(t("safe.none", lang))], className="details-nearby"),
        html.H4(t("safe.open_dangers", lang)), html.Ul(dangers or [html.Li(t("safe.none", lang))],
                                                         className="details-nearby"),
        html.P(t("map.last_inspection", lang, on=last.inspected_on, by=last.inspectors, n=len(last.danger_ids))
               if last else t("map.no_inspection", lang), className="hint"),
        html.A(t("map.supervision_record", lang), href=f"/supervision?lang={lang}&enterprise={record.id}", className="details-link"),
    ]


def _patrol_list(patrols: list, lang: str) -> list:
    """A hazard point's latest patrols: when, what was found, the crack width, a level raised, by whom."""
    if not patrols:
        return []
    rows = []
    for when, p in patrols:
        parts = [when, term(p.state, lang)]
        if p.crack_width_mm is not None:
            parts.append(t("field.crack_value", lang, mm=f"{p.crack_width_mm:g}"))
        if p.raised_to:
            parts.append(t("field.raised_value", lang, level=p.raised_to))
        line = " · ".join(parts + [p.actor])
        rows.append(html.Li(t("field.patrol_note", lang, text=line, note=p.note) if p.note else line))
    return [html.H4(t("field.recent_patrols", lang)), html.Ul(rows, className="details-nearby")]


def relocate_button(d: FeatureDetails, lang: str) -> list:
    """修正位置 (dashboard/components/map_relocate.py) for a point of a located layer."""
    if d.layer not in LOCATED:
        return []
    return [html.Button(t("location.correct", lang), id={"type": ids.RELOCATE, "layer": d.layer, "id": d.id},
                        n_clicks=0, className="button-link relocate-button")]


def feature_panel(d: FeatureDetails, lang: str, patrols: list | tuple = (), relocatable: bool = False,
                  record=None, proposal: list | tuple = ()) -> list:
    """A feature's details; ``relocatable``: the user may move its point (``record.edit``), so 修正位置 is offered;
    ``proposal``: a hazard point's open warning proposal (dashboard/components/map_proposals.py), under its title."""
    english = {"township_name": d.properties.get("township_name_en")} if lang == "en" else {}
    rows = [html.Tr([html.Th(zh if lang == "zh" else en), html.Td(_value(english.get(field) or v, lang))])
            for field, zh, en, v in d.fields]
    nearby = [html.Li([t("label_value", lang, label=t("map.nearest_shelter" if n.kind == "shelter" else
                                                     "map.nearest_depot", lang), value=""),
                       html.Strong(n.name), " · ", t("map.straight", lang, km=f"{n.distance_m / 1000:.1f}")])
              for n in d.nearby]
    return [
        html.Div(t(f"layer.{d.layer}", lang), className="details-layer"),
        html.H3(d.name, className="details-title", **{"data-name": d.name}),
        *proposal,
        html.Table(html.Tbody(rows), className="details-table"),
        html.Ul(nearby, className="details-nearby"),
        *_patrol_list(list(patrols), lang),
        *_supervision_list(record, lang),
        *([html.Button(t("map.isochrones", lang), id={"type": ids.ISOCHRONE, "lon": d.lon, "lat": d.lat},
                       n_clicks=0, className="button-link iso-button")] if d.layer in ("depots", "teams") else []),
        radius_buttons(d.lon, d.lat, lang),
        *(relocate_button(d, lang) if relocatable else []),
        html.A(t("map.record", lang), href=f"/api/v1/features/{d.layer}/{d.id}", target="_blank",
               className="details-link"),
    ]


def radius_buttons(lon: float, lat: float, lang: str, chosen: float | None = None) -> html.Div:
    """周边研判: one button per radius; each opens what lies within it."""
    return html.Div([html.Span(t("map.radius", lang)), *(
        html.Button(t("map.radius_km", lang, km=km), n_clicks=0,
                    className="button-link radius-button" + (" chosen" if chosen == km else ""),
                    id={"type": ids.RADIUS, "lon": lon, "lat": lat, "km": km}) for km in RADIUS_KM)],
        className="radius-buttons")


def _nearby_rows(features: tuple[NearbyFeature, ...], lang: str) -> html.Table | html.P:
    if not features:
        return html.P(t("map.radius_none", lang), className="hint")
    rows = []
    for f in features[:RADIUS_ROWS]:
        if f.layer == "shelters":
            extra = t("map.radius_free", lang, n=f"{f.people:,}")
        elif f.layer == "hazards":
            extra = t("map.radius_people", lang, n=f"{f.people:,}")
        else:
            extra = " · ".join(term(v, lang) for v in (f.kind, f.level) if v)
        rows.append(html.Tr([html.Td(f.name), html.Td(extra), html.Td(t("map.radius_km", lang, km=f"{f.distance_m / 1000:.1f}"))]))
    return html.Table(html.Tbody(rows), className="details-table radius-items")


def radius_panel(s: RadiusSummary, name: str, lang: str) -> list:
    """What lies within the radius of a feature: figures first, then each list (riskiest or nearest first)."""
    km = f"{s.radius_m / 1000:g}"
    risk = [html.Li(t("label_value", lang, label=t(f"risk.{level}", lang), value=s.enterprises_by_risk.get(level, 0)))
            for level in vocabulary.RISK_LEVELS]
    return [
        html.H3(t("map.radius_title", lang, name=name, km=km), className="details-title radius-title",
                **{"data-name": name}),
        radius_buttons(s.lon, s.lat, lang, s.radius_m / 1000),
        html.P(t("map.radius_hazards", lang, n=s.hazards, people=f"{s.threatened_people:,}"), className="radius-hazards"),
        _nearby_rows(s.hazard_points, lang),
        html.P(t("map.radius_enterprises", lang, n=sum(s.enterprises_by_risk.values()), chem=s.hazardous_chemicals),
               className="radius-enterprises"),
        html.Ul(risk, className="area-risk"), _nearby_rows(s.enterprises, lang),
        html.P(t("map.radius_shelters", lang, n=s.shelters_with_room, free=f"{s.free_places:,}"),
               className="radius-shelters"),
        _nearby_rows(s.shelters, lang),
        html.H4(t("layer.teams", lang)), _nearby_rows(s.teams, lang),
        html.H4(t("layer.depots", lang)), _nearby_rows(s.depots, lang),
    ]


def area_panel(s: AreaSummary, lang: str) -> list:
    risk = [html.Li(t("label_value", lang, label=t(f"risk.{level}", lang), value=s.enterprises_by_risk.get(level, 0)))
            for level in vocabulary.RISK_LEVELS]
    items = [html.Tr([html.Td(t(f"layer.{i.layer}", lang)), html.Td(i.name), html.Td(_value(i.level, lang)),
                      html.Td(_value(i.people, lang))]) for i in s.items]
    return [
        html.H3(t("map.area_title", lang), className="details-title"),
        html.P(t("map.area_size", lang, km2=f"{s.area_km2:,.2f}")),
        html.H4(t("map.area_enterprises", lang)), html.Ul(risk, className="area-risk"),
        html.P(t("map.area_hazards", lang, n=s.hazards, people=f"{s.threatened_people:,}"), className="area-hazards"),
        html.P(t("map.area_shelters", lang, n=s.shelters, cap=f"{s.shelter_capacity:,}",
                 free=f"{s.shelter_available:,}"), className="area-shelters"),
        html.H4(t("map.area_list", lang)),
        html.Table(html.Tbody(items), className="details-table area-items"),
    ]


def search_results(hits: list[SearchHit], text: str, lang: str) -> list:
    if not text:
        return []
    if not hits:
        return [html.Div(t("map.search_none", lang, q=text), className="search-none")]
    english = lang == "en"
    return [html.Button([html.Span(h.name_en if english and h.name_en else h.name, className="hit-name"),
                         html.Span(t(f"layer.{h.layer}", lang) if h.layer == "townships" else
                                   f"{t(f'layer.{h.layer}', lang)} · "
                                   f"{h.township_name_en if english and h.township_name_en else h.township_name}",
                                   className="hit-meta")],
                        id={"type": ids.SEARCH_HIT, "layer": h.layer, "id": h.id}, className="search-hit", n_clicks=0)
            for h in hits]
