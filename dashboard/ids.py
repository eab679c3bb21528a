"""Component ids, defined once so layouts and callbacks never retype them."""
from __future__ import annotations

URL = "url"
HEADER = "shell-header"
SAMPLE_BANNER = "sample-banner"

MAP = "map"
MAP_PANEL = "map-panel"


def map_layer(layer: str) -> str:
    return f"map-layer-{layer}"


DATA_ENTITY = "data-entity"
DATA_CRS = "data-crs"
DATA_UPLOAD = "data-upload"
DATA_RESULT = "data-result"
DATA_TEMPLATE = "data-template"
DATA_COUNTS = "data-counts"
DATA_AUDIT = "data-audit"
