"""Request and response models of the 待核实 locations and moving a record to its spot."""
from __future__ import annotations

from dashboard.api.models import Latitude, Longitude, Reply, Request


class LocationMove(Request):
    """The record's right spot, WGS-84 (as the map shows it)."""

    lon: Longitude
    lat: Latitude


class MovedRecord(Reply):
    layer: str
    id: int
    lon: float
    lat: float
    township_code: str
    quality: str
    previous_quality: str


class UnverifiedLocation(Reply):
    layer: str
    id: int
    key: str
    name: str
    township_code: str
    quality: str
    address: str | None
    lon: float
    lat: float


class UnverifiedLocations(Reply):
    """Records placed from their address (村级 / 乡镇级), to be moved to their spot."""

    locations: list[UnverifiedLocation]
