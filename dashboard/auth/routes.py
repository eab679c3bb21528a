"""The permission each Flask endpoint needs (see services/accounts/permissions.py for who holds what).

Pages and Dash's own endpoints need ``map.read``; each page may need more (``PAGE_PERMISSIONS``). Every
endpoint of the app must be listed here or in PUBLIC: tests/dashboard/test_permissions.py derives the list from
the app's own route map and fails on one that is missing.
"""
from __future__ import annotations

PUBLIC = frozenset({
    "api.healthz",                      # monitors and load balancers
    "auth_pages.login", "auth_pages.logout",
    "ack_pages.ack_link",               # a recipient's personal 叫应 link: its token is the key
    "report_pages.report_form", "report_pages.report_lookup",  # 有奖举报: the public's form and lookup (/report)
    "supervision_reports_api.submit", "supervision_reports_api.lookup",  # the same for a program (JSON)
    "static", "_dash_assets.static",    # vendored JS/CSS and the login page's needs: no data
    "/_favicon.ico", "/_dash-component-suites/<string:package_name>/<path:fingerprinted_path>",
})
# Public routes that take JSON only: the guard checks that a write comes from this site (Origin) but asks for no
# session's CSRF token (a program has none; a page of another site cannot send JSON without a CORS preflight).
PUBLIC_JSON = frozenset({"supervision_reports_api.submit"})

READ, RECORDS, PLANS = "map.read", "records.read", "plan.read"
ROUTE_PERMISSIONS: dict[str, str] = {
    # the map
    "api.townships": READ, "api.boundary": READ, "api.layer": READ, "api.feature": READ, "api.search": READ,
    "api.area": READ, "api.nearby": READ, "api.choropleth_measure": READ, "tiles.tile": READ, "openapi_api.openapi": READ,
    "export.map_html_download": READ, "export.map_png_download": READ,
    "api.template": READ, "api.records": "records.export",
    # evacuation and supplies
    "evacuation_api.capacity": PLANS, "evacuation_api.progress": PLANS, "evacuation_api.plans": PLANS,
    "evacuation_api.get_plan": PLANS, "evacuation_api.plan_printable": PLANS,
    "evacuation_api.plan_xlsx": PLANS, "evacuation_api.plan_geojson": PLANS, "evacuation_api.create_plan": "plan.save",
    "evacuation_api.evacuation_move": "move.record", "evacuation_api.occupancy": "occupancy.update",
    "evacuation_api.coverage": PLANS, "evacuation_api.profile": PLANS,
    "evacuation_api.save_needs_profile": "needs.edit",
    # incidents, dispatch and warnings
    "incidents_api.events": RECORDS, "incidents_api.feed": RECORDS, "incidents_api.incidents": RECORDS, "incidents_api.incident": RECORDS,
    "incidents_api.create_incident": "incident.report", "incidents_api.incident_status": "incident.manage",
    "incidents_api.recommendations": RECORDS, "incidents_api.create_order": "dispatch.order",
    "incidents_api.order_status": "dispatch.order",
    "incidents_api.warnings": RECORDS, "incidents_api.warning": RECORDS, "incidents_api.warning_cap": RECORDS,
    "incidents_api.issue": "warning.issue", "incidents_api.import_warning_cap": "warning.issue",
    "incidents_api.ack": "warning.acknowledge", "incidents_api.lift": "warning.lift",
    "incidents_api.warning_messages": "warning.issue",
    "locations_api.unverified": "records.read", "locations_api.move": "record.edit",  # 待核实 locations
    # 熔断 禁停撤疏 (dashboard/api/monitoring_controls.py): previewed by who issues warnings, issued and closed by the
    # commander, confirmed by the duty officer or the township's staff (their township's items, checked by the service)
    "controls_api.preview": "warning.issue", "controls_api.create": "controls.issue",
    "controls_api.orders": "controls.read", "controls_api.order": "controls.read",
    "controls_api.order_docx": "controls.read", "controls_api.order_xlsx": "controls.read",
    "controls_api.order_printable": "controls.read",
    "controls_api.confirm": "controls.confirm", "controls_api.close": "controls.issue",
    "incidents_api.latest_handover": "incident.manage", "incidents_api.create_handover": "incident.manage",  # 交接班
    # roads and routing
    "roads_api.roads": READ, "roads_api.blocks": READ, "roads_api.add_block": "road.close",
    "roads_api.remove_block": "road.close", "roads_api.isochrones": READ, "roads_api.matrix": READ,
    "roads_api.route": READ, "roads_api.supply_plan": PLANS,
    # field work (dashboard/api/field.py) and the phone page for township staff (dashboard/field/)
    "field_api.create_patrol": "hazard.patrol", "field_api.patrols": RECORDS,
    "field_api.incident_photos_upload": "incident.report", "field_api.incident_photos": RECORDS,
    # A photo's file: its record decides who may read it (services/field/photos.py photo_file): records.read for
    # an incident's or a patrol's, the danger's readers (supervision.read, scoped) for a hidden danger's. The guard
    # asks for supervision.read, held by every role that holds records.read and by an enterprise's account.
    "field_api.patrol_photos_upload": "hazard.patrol", "field_api.photo": "supervision.read",
    "field_api.photo_thumbnail": "supervision.read",
    "field_api.ack_mine": "warning.acknowledge", "field_api.township_field": RECORDS,
    "field_page.page": RECORDS, "field_page.warnings_fragment": RECORDS,
    # 分析研判 (dashboard/api/analysis.py)
    "analysis_api.distribution": "analysis.read", "analysis_api.risk_index": "analysis.read",
    # analysis: trends and the planners' reports (dashboard/api/reports.py)
    "reports_api.trends": "analysis.read", "reports_api.report_docx": "analysis.run",
    "reports_api.report_xlsx": "analysis.run",
    # analysis (分析研判): coverage gaps by road and siting
    "coverage_api.coverage": "analysis.read", "coverage_api.siting": "analysis.run",
    # 安全监管 (dashboard/api/supervision.py): reads for everyone (township: its own), reports by township staff,
    # enforcement and acceptance checks by the supervisors
    "supervision_api.dangers": "supervision.read", "supervision_api.danger": "supervision.read",
    "supervision_api.create_danger": "danger.report", "supervision_api.rectification": "danger.report",
    "supervision_api.submission": "danger.report", "supervision_api.recheck": "supervision.write",
    "supervision_api.reopen": "supervision.write", "supervision_api.inspections": "supervision.read",
    "supervision_api.create_inspection": "supervision.write", "supervision_api.case": "supervision.read",
    "supervision_api.flagged": "supervision.read", "supervision_api.penalties": "supervision.read",
    "supervision_api.create_penalty": "supervision.write", "supervision_api.enterprise": "supervision.read",
    "supervision_api.create_risk_point": "supervision.write", "supervision_api.delete_risk_point": "supervision.write",
    "supervision_api.risk_level": "supervision.write", "supervision_api.danger_photos_upload": "danger.report",
    # 安全监管: the monthly ranking and bulletin (dashboard/api/supervision_rankings.py)
    "rankings_api.rankings": "supervision.read", "rankings_api.bulletin_document": "supervision.read",
    "rankings_api.rankings_workbook": "supervision.read",
    # 安全监管: the 一线责任制 milestones, 两单两卡 cards and 专项整治 campaigns (dashboard/api/supervision_plans.py)
    "supervision_plans_api.milestones_progress": "supervision.read",
    "supervision_plans_api.milestones_behind": "supervision.read",
    "supervision_plans_api.set_card": "supervision.write",
    "supervision_plans_api.campaign_list": "supervision.read", "supervision_plans_api.campaign": "supervision.read",
    "supervision_plans_api.create_campaign": "supervision.write",
    # 有奖举报 (dashboard/api/supervision_reports.py): staff read them (township: its own), supervisors verify and reward
    "supervision_reports_api.reports": "supervision.read", "supervision_reports_api.report": "supervision.read",
    "supervision_reports_api.report_photo": "supervision.read",
    "supervision_reports_api.verification": "supervision.write", "supervision_reports_api.reward": "supervision.write",
    # 风险感知 (dashboard/api/monitoring_readings.py): readings in by the operational roles, status and series for all
    "monitoring_readings_api.readings_in": "monitoring.ingest", "monitoring_readings_api.stations": "monitoring.read",
    "monitoring_readings_api.station_series": "monitoring.read", "monitoring_readings_api.chart": "monitoring.read",
    # 风险感知: warning proposals (dashboard/api/monitoring_proposals.py); confirm/reject check warning.confirm_red
    # again in the service for a red one
    "monitoring_proposals_api.proposals": "monitoring.read", "monitoring_proposals_api.proposal": "monitoring.read",
    "monitoring_proposals_api.confirm_proposal": "warning.issue",
    "monitoring_proposals_api.reject_proposal": "warning.issue",
    # 风险感知: thresholds, which stations watch a point, the rule's current verdicts (dashboard/api/monitoring_rules.py)
    "monitoring_rules_api.thresholds": RECORDS, "monitoring_rules_api.set_thresholds": "monitoring.configure",
    "monitoring_rules_api.remove_threshold": "monitoring.configure", "monitoring_rules_api.assignments": RECORDS,
    "monitoring_rules_api.assign": "monitoring.configure", "monitoring_rules_api.unassign": "monitoring.configure",
    "monitoring_rules_api.recompute": "monitoring.configure", "monitoring_rules_api.evaluation": RECORDS,
    # accounts
    "auth_pages.password": "account.self",
}

# Each Dash callback is checked by its own entry in dashboard/auth/callbacks.py.
CALLBACK_ENDPOINT = "/_dash-update-component"
# Dash serves every page through these endpoints; what a page shows comes from its callbacks.
DASH_PAGE_ENDPOINTS = frozenset({"/", "/<path:path>", "/_dash-layout", "/_dash-dependencies", "/_reload-hash"})


# What a page needs beyond map.read. Dash renders every page through one callback, so the page's layout checks
# this itself (dashboard/components/refused.py) and its own callbacks are listed in callbacks.py with the same.
PAGE_PERMISSIONS: dict[str, str] = {
    "/evacuation": PLANS, "/supply": PLANS,   # county-wide plans: township staff have their phone page
    "/analysis": "analysis.read", "/users": "user.manage", "/supervision": "supervision.read",
}


def page_permission(path: str, endpoint: str) -> str | None:
    """The permission of a Dash page or Dash endpoint, or None if ``endpoint`` is not one of Dash's."""
    if endpoint not in DASH_PAGE_ENDPOINTS:
        return None
    return READ
