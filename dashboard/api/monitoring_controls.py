"""/api/v1/monitoring/controls: 熔断 — the controls 禁、停、撤、疏 of a warning area at a level. Preview them, issue
them as an order (the commander), tick each item off as its site confirms, close the order; the list as Word or
Excel for print."""
from __future__ import annotations

from flask import Blueprint, Response, request

from dashboard.api.models import XLSX, body, parse, parse_query, query, responds
from dashboard.api.models.dispatch import EmptyBody
from dashboard.api.models.monitoring_controls import (
    ControlClosed,
    ControlConfirmed,
    ControlsCreate,
    ControlDocumentQuery,
    ControlConfirm,
    ControlOrder,
    ControlOrders,
    ControlsQuery,
    ControlPreview,
)
from dashboard.api.models.reports import DOCX
from dashboard.api.support import json_body, unit
from services.errors import NotFound
from services.models import ControlItem
from services.monitoring import control_print, control_reads, controls

controls_api = Blueprint("controls_api", __name__)
ROOT = "/api/v1/monitoring/controls"


def _request(req: ControlsCreate) -> controls.ControlRequest:
    return controls.ControlRequest(level=req.level, townships=list(req.townships), polygon=req.polygon,
                                   warning_id=req.warning_id, hazard_type=req.hazard_type, drill_id=req.drill_id)


@controls_api.post(f"{ROOT}/preview")
@body(ControlsCreate)
@responds(ControlPreview, errors=(400, 404, 415, 503))
def preview():
    """What an order would hold: every control of the level in the area (the configured table), by action 禁停撤疏,
    with each site's contact; nothing is stored. An unknown township, a bad polygon or level answers 400 naming it."""
    req = parse(ControlsCreate, json_body())
    with unit() as uow:
        return controls.preview_controls(uow, _request(req))


@controls_api.post(ROOT)
@body(ControlsCreate)
@responds(ControlOrder, 201, errors=(400, 404, 415, 503), links={"order_id": "id"})
def create():
    """Issue the controls as an order (the commander's: ``controls.issue``): the preview's items, stored at once."""
    req = parse(ControlsCreate, json_body())
    with unit(write=True) as uow:
        order_id = controls.issue_controls(uow, _request(req))
        return control_reads.order_detail(uow, order_id)


@controls_api.get(ROOT)
@query(ControlsQuery)
@responds(ControlOrders, errors=(400, 503))
def orders():
    """The orders of a drill (0: live), newest first, each with its progress per action (township staff: those
    with items in their township)."""
    req = parse_query(ControlsQuery, request.args)
    with unit() as uow:
        listed = control_reads.list_orders(uow, drill_id=req.drill_id, open_only=req.open == "1",
                                           warning_id=req.warning_id)
    return {"orders": [o.to_json() for o in listed]}


@controls_api.get(f"{ROOT}/<id:order_id>")
@responds(ControlOrder, errors=(403, 404, 503))
def order(order_id: int):
    """One order with its items and who confirmed each (township staff: their township's items)."""
    with unit() as uow:
        return control_reads.order_detail(uow, order_id)


def _item(uow, item_id: int) -> dict:
    item = uow.session.get(ControlItem, item_id)
    if item is None:
        raise NotFound.of("item_id", "controls.item_not_found", id=item_id)
    detail = control_reads.order_detail(uow, item.order_id)
    return next(i.to_json() for i in detail.items if i.id == item_id)


@controls_api.post(f"{ROOT}/items/<id:item_id>/confirm")
@body(ControlConfirm)
@responds(ControlConfirmed, errors=(400, 404, 409, 415, 503))
def confirm(item_id: int):
    """Tick an item off as its site confirms, once (409 when confirmed already or the order is closed); township
    staff confirm their own township's items. A road item closes its hazard zone (``road_block_id``)."""
    req = parse(ControlConfirm, json_body())
    with unit(write=True) as uow:
        block_id = controls.confirm_item(uow, item_id, req.note)
        return {"item": _item(uow, item_id), "road_block_id": block_id}


@controls_api.post(f"{ROOT}/<id:order_id>/close")
@body(EmptyBody)
@responds(ControlClosed, errors=(400, 404, 409, 415, 503))
def close(order_id: int):
    """Close an order (the commander's), once; the road closures its items made are lifted with it."""
    parse(EmptyBody, json_body())
    with unit(write=True) as uow:
        lifted = controls.close_order(uow, order_id)
        summary = control_reads.order_detail(uow, order_id).summary
    return {"order": summary.to_json(), "road_blocks_lifted": lifted}


@controls_api.get(f"{ROOT}/<id:order_id>.docx")
@query(ControlDocumentQuery)
@responds(None, media_type=DOCX, errors=(400, 403, 404, 503))
def order_docx(order_id: int):
    """The controls list as a Word document, one table per action with each site's contact and a box to tick."""
    req = parse_query(ControlDocumentQuery, request.args)
    with unit() as uow:
        data = control_print.order_docx(uow, order_id, req.lang)
    return Response(data, mimetype=DOCX,
                    headers={"Content-Disposition": f"attachment; filename=controls_{order_id}.docx"})


@controls_api.get(f"{ROOT}/<id:order_id>.xlsx")
@query(ControlDocumentQuery)
@responds(None, media_type=XLSX, errors=(400, 403, 404, 503))
def order_xlsx(order_id: int):
    """The controls list as an Excel workbook: a summary, then one sheet per action."""
    req = parse_query(ControlDocumentQuery, request.args)
    with unit() as uow:
        data = control_print.order_xlsx(uow, order_id, req.lang)
    return Response(data, mimetype=XLSX,
                    headers={"Content-Disposition": f"attachment; filename=controls_{order_id}.xlsx"})


@controls_api.get(f"{ROOT}/<id:order_id>.html")
@query(ControlDocumentQuery)
@responds(None, media_type="text/html", errors=(400, 403, 404, 503))
def order_printable(order_id: int):
    """The controls list as a page to print (one table per action, a box to tick)."""
    req = parse_query(ControlDocumentQuery, request.args)
    with unit() as uow:
        page = control_print.order_html(uow, order_id, req.lang)
    return Response(page, content_type="text/html; charset=utf-8")
