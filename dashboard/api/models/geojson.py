"""GeoJSON (RFC 7946) answers: geometries, features and feature collections, WGS-84 longitude/latitude.

A feature's ``properties`` are open: each layer (and view) carries its own fields; the layer pages read them.
"""
from __future__ import annotations

from typing import Any, Literal

from pydantic import ConfigDict

from dashboard.api.models import Reply

GeometryType = Literal["Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon",
                       "GeometryCollection"]


class Geometry(Reply):
    """A GeoJSON geometry: ``coordinates`` ([lon, lat] nested by the type), or ``geometries`` for a collection."""

    model_config = ConfigDict(extra="allow")  # bbox and foreign members are allowed by RFC 7946
    type: GeometryType
    coordinates: list[Any] = None  # absent in a GeometryCollection
    geometries: list[Geometry] = None


class LineString(Reply):
    type: Literal["LineString"]
    coordinates: list[list[float]]  # [lon, lat] pairs


class Feature(Reply):
    type: Literal["Feature"]
    id: str | int = None
    geometry: Geometry | None
    properties: dict[str, Any] | None


class FeatureCollection(Reply):
    type: Literal["FeatureCollection"]
    features: list[Feature]


class RoadNetwork(FeatureCollection):
    """The road lines; ``metadata`` says where the network comes from (and whether it is the synthetic sample)."""

    metadata: dict[str, Any] = None


class Isochrones(FeatureCollection):
    """The area reachable within each travel time: one feature per time (``properties.minutes``)."""

    synthetic_network: bool
