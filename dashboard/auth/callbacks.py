"""The permission each Dash callback needs, by the id of its first output.

A callback runs only for a principal who holds its permission; a callback that also writes (a button in the
duty view) has its write checked again by the service it calls, with the principal's role and township
(``uow.principal``), so a mixed read/write callback can be listed by what it shows.
"""
from __future__ import annotations

import json

READ, RECORDS, PLANS = "map.read", "records.read", "plan.read"
CALLBACK_PERMISSIONS: dict[str, str] = {
    "shell-header": READ, "_pages_content": READ, "_pages_dummy": READ,
    # the map page
    "map-layer-stations": READ, "map-export-html": READ, "filter-category": READ, "map-layer-townships": READ,
    "map-basemap-group": READ, "map-search-results": READ, "map-details-body": READ,
    "map-layer-blocks": READ, "map-layer-isochrones": READ, "map-layer-outline": READ,
    "map-version": READ,
    "map-layer-proposals": "monitoring.read",  # 风险感知: points with an open proposal pulse (map_proposals.py)
    "map-chart": "monitoring.read",  # a station's or hazard point's readings chart (monitoring_chart.py)
    "map-radius-circle": READ,  # the 周边研判 circle (dashboard/components/map_radius.py)
    "map-layer-plan": PLANS,  # the evacuation plan as a layer of the map (dashboard/components/map_plan.py)
    # 修正位置: the draggable marker, and saving where it was dropped (dashboard/components/map_relocate.py)
    "map-relocate-group": "record.edit", "map-relocate-message": "record.edit",
    # evacuation and supplies
    "plan-leaflet": PLANS, "evac-gauge": PLANS, "sup-map": PLANS, "sup-download": PLANS,
    "sup-print-download": PLANS,
    # the duty view
    "duty-version": RECORDS, "duty-orders": RECORDS, "duty-message": RECORDS, "duty-dispatch-teams": RECORDS,
    "duty-w-message": RECORDS, "duty-feed": RECORDS, "duty-detail": RECORDS,
    "duty-warnings": RECORDS, "duty-handover": RECORDS, "duty-alert": RECORDS,
    "duty-alert-sink": RECORDS,  # client-side only (the tone and the flash): no server call to guard
    # 预警建议 (dashboard/components/duty_proposals.py): confirm/reject are checked again by the service
    # (warning.issue, warning.confirm_red); the auto-confirm check acts as the system, by configuration
    "duty-proposals": "monitoring.read", "duty-proposals-message": "monitoring.read",
    "duty-proposals-auto": "monitoring.read",
    # 熔断管控 (dashboard/components/controls_board.py): the preview is for who issues warnings; the orders' board
    # writes (issue, confirm, close) checked again by services/monitoring/controls.py
    "duty-ctrl-preview-out": "warning.issue", "duty-ctrl-orders": "controls.read", "duty-ctrl-message": "controls.read",
    # 分析研判
    "an-cards": "analysis.read", "an-download": "analysis.read", "an-fig-incidents": "analysis.read",
    "an-report-docx": "analysis.read", "an-cov-tables": "analysis.read", "an-site-result": "analysis.run",
    # records
    "data-template": READ, "data-result": "data.import", "data-preview": "data.import",
    "data-preview-rows": "data.import",  # the import preview (dashboard/pages/data.py) shows nothing it does not import
    # 安全监管 (dashboard/pages/supervision.py): its one writing callback is listed by what it shows; each write is
    # checked again by services/supervision (supervision.write, danger.report and the township)
    "safe-lists": "supervision.read", "safe-record": "supervision.read", "safe-message": "supervision.read",
    # its boards (dashboard/components/supervision_boards.py): 一线责任制, 月排名与通报, 专项整治
    "safe-milestones": "supervision.read", "safe-rankings": "supervision.read",
    "safe-campaign-message": "supervision.read",  # its write (a new campaign) is checked by the service
    "safe-report-message": "supervision.read",
    "safe-danger-photo-message": "supervision.read",
    "safe-enterprise": "supervision.read", "safe-report-firm": "supervision.read",  # typed enterprise searches  # its write (a danger's photo) is checked by the service  # 群众举报: verdicts and rewards are checked by the service
    # accounts
    "users-message": "user.manage",
}


def first_output_id(output: str) -> str:
    """``..a.children...b.data..`` or ``a.children@hash`` → ``a``; a pattern-matching id → its ``type``."""
    text = output[2:] if output.startswith("..") else output
    if text.startswith("{"):
        end = text.index("}") + 1
        try:
            return str(json.loads(text[:end]).get("type", ""))
        except ValueError:
            return ""
    return text.split("...", 1)[0].split("@", 1)[0].rsplit(".", 1)[0]


def callback_permission(body) -> str:
    """The permission of the callback a ``/_dash-update-component`` body asks for ("" if none is listed)."""
    if not isinstance(body, dict) or not isinstance(body.get("output"), str):
        return ""
    return CALLBACK_PERMISSIONS.get(first_output_id(body["output"]), "")
