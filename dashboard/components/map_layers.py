"""The map's layers: county outlines, townships (plain or choropleth) and the six point layers."""
from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit

import dash_leaflet as dl

from dashboard import ids
from dashboard.state import settings
from services.text import t
from services import vocabulary
from geo.boundaries import min_zoom
from services.data.geography import district_view
from services.map.basemaps import Basemap

# (layer key, switched on by default), drawn bottom → top.
POINT_LAYER_ORDER = (("stations", False), ("enterprises", True), ("teams", True), ("depots", True),
                     ("shelters", True), ("hazards", True))
FIXED_COLOURS = {"depots": vocabulary.DEPOT_COLOUR, "stations": vocabulary.STATION_COLOURS[vocabulary.STATION_NORMAL]}
CLUSTERED = {"enterprises"}
# Road-time bands of the isochrones (minutes) and their colours: distinct hues, not shades of one.
ISOCHRONE_COLOURS = {15: "#1b9e77", 30: "#7570b3", 60: "#d95f02"}
EMPTY = {"type": "FeatureCollection", "features": []}


def district_frame() -> dict:
    """``bounds``, ``center`` and ``minZoom`` of a map showing the served county, from its boundary (any county)."""
    bounds, centre = district_view(settings().region.adcode)
    return {"bounds": bounds, "center": centre, "minZoom": min_zoom(bounds)}


def layer_url(layer: str, args: dict[str, str]) -> str:
    """The API URL the map fetches a layer from, with its filter parameters."""
    query = {"view": "map", **{k: v for k, v in args.items() if v}}
    return f"/api/v1/layers/{layer}?{urlencode(query)}"


def versioned_url(url: str | None, version: int) -> str | None:
    """The layer URL with ``v=version``: a new URL makes the map fetch the layer again (its filters kept)."""
    if not url:
        return url
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "v"] + [("v", str(version))]
    return f"{parts.path}?{urlencode(query)}"


def point_hideout(layer: str, crs: str = "WGS84", lang: str = "zh") -> dict:
    """Styling inputs of a point layer's JS functions, with the display coordinate system and the texts of the
    chooser offered when a click lands on several overlapping symbols."""
    glyphs = {value: t(f"glyph.{value}", lang) for value in vocabulary.GLYPHS} if layer in ("enterprises",
                                                                                            "hazards") else {}
    return {"colours": vocabulary.LAYER_COLOURS.get(layer, {}), "colour": FIXED_COLOURS.get(layer), "crs": crs,
            "glyphs": glyphs, "glyph": t(f"glyph.layer.{layer}", lang), "pick_title": t("map.pick_title", lang),
            "layer_names": {name: t(f"layer.{name}", lang) for name, _ in POINT_LAYER_ORDER}}


def point_layer(layer: str, url: str, lang: str) -> dl.GeoJSON:
    extra = {}
    if layer in CLUSTERED:
        extra = dict(cluster=True, clusterToLayer={"variable": "qj.clusterToLayer"}, zoomToBoundsOnClick=True,
                     superClusterOptions={"radius": 56, "maxZoom": 14})
    return dl.GeoJSON(id=ids.map_layer(layer), url=url, pointToLayer={"variable": "qj.pointToLayer"},
                      hideout=point_hideout(layer, lang=lang), **extra)


def township_layer(lang: str) -> dl.GeoJSON:
    return dl.GeoJSON(url="/api/v1/townships", id=ids.map_layer("townships"), hideout={"lang": lang, "crs": "WGS84"},
                      style={"variable": "qj.townshipStyle"}, onEachFeature={"variable": "qj.townshipOnEach"},
                      coordsToLatLng={"variable": "qj.coordsToLatLng"})


def boundary_layer(lang: str) -> dl.GeoJSON:
    return dl.GeoJSON(url="/api/v1/boundary", id=ids.map_layer("boundary"), hideout={"lang": lang, "crs": "WGS84"},
                      style={"variable": "qj.boundaryStyle"}, onEachFeature={"variable": "qj.boundaryOnEach"},
                      coordsToLatLng={"variable": "qj.coordsToLatLng"})


def roads_layer(lang: str, muted: bool = False) -> dl.GeoJSON:
    """The road network; ``muted`` draws it pale, under routes that must stand out."""
    return dl.GeoJSON(url="/api/v1/roads", id=ids.map_layer("roads") if not muted else "roads-muted",
                      hideout={"lang": lang, "crs": "WGS84", "muted": muted},
                      style={"variable": "qj.roadStyle"}, onEachFeature={"variable": "qj.roadOnEach"},
                      coordsToLatLng={"variable": "qj.coordsToLatLng"})


def basemap_tiles(basemap: Basemap | None) -> list:
    """The tile layer of a configured basemap, or nothing for the offline vector map."""
    if basemap is None:
        return []
    extra = {"subdomains": basemap.subdomains} if basemap.subdomains else {}
    return [dl.TileLayer(url=basemap.url, maxZoom=basemap.max_zoom, attribution=basemap.attribution, **extra)]


def map_component(lang: str, urls: dict[str, str], extra_overlays: tuple | list = (),
                  extra_layers: tuple | list = ()) -> dl.Map:
    """The map; ``extra_overlays`` (the evacuation plan, dashboard/components/map_plan.py) end the layers control's
    list, ``extra_layers`` (the 周边研判 circle, dashboard/components/map_radius.py) are drawn above the rest."""
    overlays = [
        dl.Overlay(boundary_layer(lang), name=t("layer.boundary", lang), checked=True),
        dl.Overlay(township_layer(lang), name=t("layer.townships", lang), checked=True),
        dl.Overlay(roads_layer(lang), name=t("layer.roads", lang), checked=True),
        *(dl.Overlay(point_layer(layer, urls[layer], lang), name=t(f"layer.{layer}", lang), checked=checked)
          for layer, checked in POINT_LAYER_ORDER),
        *extra_overlays,
    ]
    colours = {str(m): c for m, c in ISOCHRONE_COLOURS.items()}
    reach = dl.GeoJSON(id=ids.map_layer("isochrones"), data=EMPTY,
                       style={"variable": "qj.isochroneStyle"}, coordsToLatLng={"variable": "qj.coordsToLatLng"},
                       hideout={"crs": "WGS84", "colours": colours})
    # Closures: the road drawn red, and a no-entry badge at its middle so that it shows at district zoom.
    blocks = dl.GeoJSON(id=ids.map_layer("blocks"), data=EMPTY,
                        style={"variable": "qj.blockStyle"}, coordsToLatLng={"variable": "qj.coordsToLatLng"},
                        pointToLayer={"variable": "qj.blockToLayer"}, hideout={"crs": "WGS84"})
    warnings = dl.GeoJSON(id=ids.map_layer("warnings"), data=EMPTY, style={"variable": "qj.warningAreaStyle"},
                          onEachFeature={"variable": "qj.warningAreaOnEach"},
                          coordsToLatLng={"variable": "qj.coordsToLatLng"}, hideout={"crs": "WGS84"})
    incidents = dl.GeoJSON(id=ids.map_layer("incidents"), data=EMPTY, pointToLayer={"variable": "qj.incidentToLayer"},
                           hideout={"crs": "WGS84"})
    outline = dl.GeoJSON(id=ids.map_layer("outline"), data=EMPTY, style={"variable": "qj.outlineStyle"},
                         coordsToLatLng={"variable": "qj.coordsToLatLng"}, hideout={"crs": "WGS84"})
    draw = dl.FeatureGroup([dl.EditControl(
        id=ids.DRAW, position="topleft",
        draw={"polyline": False, "marker": False, "circlemarker": False, "polygon": True, "rectangle": True,
              "circle": True},
        edit={"edit": False},
    )])
    return dl.Map(
        id=ids.MAP, children=[dl.LayerGroup(id=ids.BASEMAP_GROUP),
                              dl.LayersControl(overlays, id=ids.LAYERS_CONTROL, collapsed=False,
                                                              position="topright",
                                                              overlays=[o.name for o in overlays if o.checked]),
                              warnings, outline, reach, blocks, incidents, *extra_layers, draw,
                              dl.ScaleControl(position="bottomleft", imperial=False)],
        **district_frame(), zoom=10.5, zoomSnap=0.25, maxZoom=18,
        attributionControl=True, className="qj-map qj-zoom-low",
        eventHandlers={"zoomend": {"variable": "qj.onZoom"}, "moveend": {"variable": "qj.onZoom"},
                       "draw:drawstart": {"variable": "qj.onDrawing"}, "draw:drawstop": {"variable": "qj.onDrawing"}},
    )
