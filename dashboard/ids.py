"""Component ids, defined once so layouts and callbacks never retype them."""
from __future__ import annotations

URL = "url"
HEADER = "shell-header"

MAP = "map"
MAP_PANEL = "map-panel"
MAP_LANG = "map-lang"
MAP_PICK = "map-pick"  # the feature chosen among overlapping symbols
MAP_TICK = "map-tick"  # polls the change counter (the map is live)
MAP_VERSION = "map-version"  # the change counter the live overlays were drawn at
DRAW = "map-draw"
DETAILS = "map-details"
DETAILS_BODY = "map-details-body"
DETAILS_CLOSE = "map-details-close"
SEARCH_INPUT = "map-search"
SEARCH_RESULTS = "map-search-results"
SEARCH_HIT = "map-search-hit"  # pattern-matching: {"type": SEARCH_HIT, "layer": ..., "id": ...}
CHOROPLETH = "map-choropleth"
BASEMAP = "map-basemap"
LAYERS_CONTROL = "map-layers-control"
EXPORT_HTML = "map-export-html"
BLOCK_MODE = "map-block-mode"
BLOCK_REASON = "map-block-reason"
BLOCK_LIST = "map-block-list"
BLOCK_LIFT = "map-block-lift"  # pattern-matching: {"type": BLOCK_LIFT, "id": ...}
BLOCK_AREA = "map-block-area"
BLOCK_MESSAGE = "map-block-message"
ISOCHRONE = "map-isochrone"  # pattern-matching: {"type": ISOCHRONE, "lon": ..., "lat": ...}
ISOCHRONE_MESSAGE = "map-isochrone-message"  # in the isochrones' key over the map (always there)
ISOCHRONE_LEGEND = "map-isochrone-legend"  # over the map while isochrones are shown
ISOCHRONE_CLEAR = "map-isochrone-clear"
RADIUS = "map-radius"  # pattern-matching: {"type": RADIUS, "lon": ..., "lat": ..., "km": ...}
RELOCATE = "map-relocate"  # pattern-matching: {"type": RELOCATE, "layer": ..., "id": ...}, 修正位置 in the details
RELOCATE_PIN = "map-relocate-pin"  # pattern-matching: {"type": RELOCATE_PIN, "layer": ..., "id": ...}, the marker
RELOCATE_GROUP = "map-relocate-group"  # the LayerGroup holding the draggable marker while a point is corrected
RELOCATE_BOX = "map-relocate-box"  # over the map while a point is corrected: hint, save, cancel, message
RELOCATE_HINT = "map-relocate-hint"
RELOCATE_SAVE = "map-relocate-save"
RELOCATE_CANCEL = "map-relocate-cancel"
RELOCATE_MESSAGE = "map-relocate-message"
EXPORT_PNG = "map-export-png"
BASEMAP_GROUP = "map-basemap-group"
CHOROPLETH_LEGEND = "map-choropleth-legend"
FIGURE_THREATENED = "figure-threatened"

FILTER_TOWNSHIP = "filter-township"
# Filters of the point layers: (layer, field) → component id.
LAYER_FILTERS: dict[tuple[str, str], str] = {
    ("enterprises", "sector"): "filter-sector",
    ("enterprises", "category"): "filter-category",
    ("enterprises", "risk_level"): "filter-risk",
    ("hazards", "hazard_type"): "filter-hazard-type",
    ("hazards", "warning_level"): "filter-warning",
    ("shelters", "status"): "filter-shelter-status",
    ("enterprises", "danger"): "filter-danger",  # enterprises with an overdue or a major open hidden danger
}


def map_layer(layer: str) -> str:
    return f"map-layer-{layer}"


def layer_count(layer: str) -> str:
    return f"count-{layer}"


DATA_ENTITY = "data-entity"
DATA_CRS = "data-crs"
DATA_UPLOAD = "data-upload"
DATA_RESULT = "data-result"
DATA_TEMPLATE = "data-template"
DATA_COUNTS = "data-counts"
DATA_AUDIT = "data-audit"
DATA_PREVIEW = "data-preview"            # the import preview: mapping, rows as understood, errors, confirm
DATA_PREVIEW_ROWS = "data-preview-rows"
DATA_CONFIRM = "data-confirm"
DATA_MAP = "data-map"                    # pattern-matching type of the column → field dropdowns ({"col": i})
