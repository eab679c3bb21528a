"""CAP 1.2 (OASIS Common Alerting Protocol; GB/T 35965.1-2018 in China) export and import of warnings.

Colour levels map to CAP severity: 红 Extreme, 橙 Severe, 黄 Moderate, 蓝 Minor. The warning's area is
written as one or more <polygon> elements ("lat,lon lat,lon …", closed rings).
"""
from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET  # writing only; documents from outside are parsed by defusedxml

import defusedxml
import shapely
from defusedxml import ElementTree as SafeET
from shapely.geometry import MultiPolygon, Polygon

from services import vocabulary
from services.clock import to_local
from services.db.uow import UnitOfWork
from services.dispatch.warnings import WarningRequest, issue_warning, warning_status
from services.errors import FieldError, NotFound
from services.map.area import polygon_from_geojson

NS = "urn:oasis:names:tc:emergency:cap:1.2"
SEVERITY = {vocabulary.WARNING_RED: "Extreme", vocabulary.WARNING_ORANGE: "Severe",
            vocabulary.WARNING_YELLOW: "Moderate", vocabulary.WARNING_BLUE: "Minor"}
LEVEL = {v: k for k, v in SEVERITY.items()}
REQUIRED = ("identifier", "sender", "sent", "status", "msgType", "scope")
MAX_BYTES = 1_000_000


class CapError(FieldError):
    """A CAP document that cannot be used; the field names the element."""


def _cap_time(at: str, settings) -> str:
    """CAP times carry their offset; written in the deployment's zone."""
    return to_local(dt.datetime.fromisoformat(at), settings).isoformat(timespec="seconds")


def _rings(polygon: Polygon) -> list[tuple[list, int]]:
    """Outer rings to write and their decimals: snapped to 1e-5° (≈1 m) so the rounded ring stays valid; a part
    that snapping splits gives several rings, one it collapses (a sliver under a metre wide) is written unsnapped."""
    snapped = shapely.set_precision(polygon, 1e-5)
    parts = [p for p in getattr(snapped, "geoms", [snapped]) if p.geom_type == "Polygon" and not p.is_empty]
    if not parts:
        return [(list(polygon.exterior.coords), 7)]
    return [(list(p.exterior.coords), 5) for p in parts]


def warning_to_cap(uow: UnitOfWork, warning_id: int) -> str:
    settings = uow.settings
    w = warning_status(uow, warning_id)
    if w is None:
        raise NotFound.of("id", "warning.not_found", id=warning_id)
    ET.register_namespace("", NS)
    alert = ET.Element(f"{{{NS}}}alert")
    for tag, value in (("identifier", f"{settings.region.adcode}-warning-{w['id']}"), ("sender", w["issued_by"]),
                       ("sent", _cap_time(w["issued_at"], settings)), ("status", "Exercise" if settings.drill else "Actual"), ("msgType", "Alert"),
                       ("scope", "Public")):
        ET.SubElement(alert, f"{{{NS}}}{tag}").text = value
    info = ET.SubElement(alert, f"{{{NS}}}info")
    for tag, value in (("language", "zh-CN"), ("category", "Geo"), ("event", w["hazard_type"]),
                       ("urgency", "Expected"), ("severity", SEVERITY[w["level"]]), ("certainty", "Likely"),
                       ("expires", _cap_time(w["valid_until"], settings)), ("senderName", settings.region.name_zh),
                       ("headline", w["headline"])):
        ET.SubElement(info, f"{{{NS}}}{tag}").text = value
    area = ET.SubElement(info, f"{{{NS}}}area")
    ET.SubElement(area, f"{{{NS}}}areaDesc").text = w["area_description"]
    geometry = shapely.geometry.shape(w["area"]) if w["area"] else None
    polygons = list(geometry.geoms) if isinstance(geometry, MultiPolygon) else [geometry] if geometry else []
    for polygon in polygons:
        for ring, digits in _rings(polygon):
            ET.SubElement(area, f"{{{NS}}}polygon").text = " ".join(f"{lat:.{digits}f},{lon:.{digits}f}"
                                                                     for lon, lat in ring)
    return ET.tostring(alert, encoding="unicode", xml_declaration=True)


def _text(parent, tag: str, required: bool = True) -> str | None:
    node = parent.find(f"{{{NS}}}{tag}")
    if node is None or not (node.text or "").strip():
        if required:
            raise CapError.of(tag, "cap.missing", tag=tag)
        return None
    return node.text.strip()


def _parse(xml: str | bytes) -> ET.Element:
    """The document's root, parsed with DTDs, entity declarations and external references refused, whatever the
    encoding (a byte search for "<!DOCTYPE" misses UTF-16); raises CapError("body")."""
    try:
        return SafeET.fromstring(xml, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except defusedxml.DTDForbidden as exc:
        raise (CapError.of("body", "cap.dtd_external", sysid=exc.sysid) if exc.sysid
               else CapError.of("body", "cap.dtd")) from None
    except defusedxml.EntitiesForbidden as exc:
        raise CapError.of("body", "cap.entities", name=exc.name) from None
    except defusedxml.ExternalReferenceForbidden as exc:
        raise CapError.of("body", "cap.external", sysid=exc.sysid) from None
    except (ET.ParseError, ValueError) as exc:  # ValueError: a str with an encoding declaration, and the like
        raise CapError.of("body", "cap.not_xml", error=str(exc)) from None


def _polygon(text: str | None) -> Polygon | MultiPolygon:
    """A <polygon> ("lat,lon lat,lon …") checked as any drawn area is: valid, finite, in range, not too large."""
    try:
        points = [tuple(float(v) for v in pair.split(",")) for pair in (text or "").split()]
        ring = [[lon, lat] for lat, lon in points]
    except (TypeError, ValueError):
        raise CapError.of("polygon", "cap.polygon_pairs") from None
    return polygon_from_geojson({"type": "Polygon", "coordinates": [ring]}, "polygon", CapError)


def cap_to_request(xml: str | bytes) -> tuple[WarningRequest, str]:
    """A warning request (and the sender) from a CAP 1.2 alert; raises CapError naming the element."""
    if len(xml) > MAX_BYTES:
        raise CapError.of("body", "cap.too_large")
    root = _parse(xml)
    if root.tag != f"{{{NS}}}alert":
        raise CapError.of("alert", "cap.root")
    for tag in REQUIRED:
        _text(root, tag)
    info = root.find(f"{{{NS}}}info")
    if info is None:
        raise CapError.of("info", "cap.missing", tag="info")
    severity = _text(info, "severity")
    if severity not in LEVEL:
        raise CapError.of("severity", "cap.severity", severity=severity)
    expires = _text(info, "expires", required=False)
    hours = 24.0
    if expires:
        try:
            delta = dt.datetime.fromisoformat(expires) - dt.datetime.now(dt.timezone.utc)
        except (TypeError, ValueError):
            raise CapError.of("expires", "cap.time", value=expires) from None
        hours = delta.total_seconds() / 3600
        if hours <= 0:
            raise CapError.of("expires", "cap.expired")
    polygons = [_polygon(node.text) for area in info.findall(f"{{{NS}}}area")
                for node in area.findall(f"{{{NS}}}polygon")]
    if not polygons:
        raise CapError.of("polygon", "cap.no_polygon")
    area_geometry = shapely.union_all(polygons)
    request = WarningRequest(level=LEVEL[severity], hazard_type=_text(info, "event"),
                             headline=_text(info, "headline", required=False) or _text(info, "event"),
                             valid_hours=min(hours, 720.0),
                             polygon={"type": "Feature", "properties": {},
                                      "geometry": shapely.geometry.mapping(area_geometry)})
    return request, _text(root, "sender")


def import_cap(uow: UnitOfWork, xml: str | bytes, *, recipients: list[dict] | None = None) -> int:
    """Issue the warning a CAP alert describes, to the named recipients and the hazard monitors in its area."""
    request, _sender = cap_to_request(xml)
    request.recipients = recipients or []
    return issue_warning(uow, request)
