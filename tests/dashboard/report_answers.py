"""安全监管 calls of tests/dashboard/test_api_responses.py kept here (that file stays within 420 lines): the 有奖举报
routes and the photos of a hidden danger (隐患照片), called on the sample database and checked against the OpenAPI
document by its ``Caller`` (the public's routes without a token, staff's with one)."""
from __future__ import annotations

import io

from tests.conftest import shanghai_today


def danger_photos(call, danger: int, png: bytes) -> None:
    """隐患照片: a photo sent to a danger (multipart), then in its detail; a non-image refused."""
    root = "/api/v1/supervision/dangers"
    sent = call("POST", f"{root}/{{danger_id}}/photos", f"{root}/{danger}/photos",
                data={"photos": (io.BytesIO(png), "d.png")}, content_type="multipart/form-data").get_json()
    detail = call("GET", f"{root}/{{danger_id}}", f"{root}/{danger}").get_json()
    assert detail["photo_ids"] == [p["id"] for p in detail["photos"]] == [sent["photos"][0]["id"]]
    assert call("POST", f"{root}/{{danger_id}}/photos", f"{root}/{danger}/photos", data={"photos": (
        io.BytesIO(b"not a photo"), "x.png")}, content_type="multipart/form-data").status_code == 400


def public_reports(call, caller, firm: int, photo: str) -> None:
    """有奖举报: a report from the public (no token) with a photo, its lookup; staff's list, record, photo,
    verification and reward."""
    root, today = "/api/v1/supervision/reports", shanghai_today().isoformat()
    public = caller(call.client.application.test_client(), call.doc)  # no bearer token: anyone
    sent = public("POST", root, json={"description": "仓库内违规存放烟花爆竹", "township_code": "500114003",
                                      "contact": "13800000000", "photo_base64": photo}).get_json()
    public("GET", f"{root}/lookup", sent["lookup_url"])
    assert public("GET", f"{root}/lookup", f"{root}/lookup?reference=JB-2026-00000-00000").status_code == 404
    assert public("POST", root, json={"description": ""}).status_code == 400
    call.called |= public.called
    listed = call("GET", root, f"{root}?status=pending&limit=5").get_json()
    one = next(r for r in listed["reports"] if r["reference"] == sent["reference"])
    call("GET", f"{root}/{{report_id}}", f"{root}/{one['id']}")
    call("GET", f"{root}/{{report_id}}/photo", one["photo_url"])
    call("POST", f"{root}/{{report_id}}/verification", f"{root}/{one['id']}/verification",
         json={"status": "属实", "enterprise_id": firm, "deadline": today, "outcome": "属实，已责令整改"})
    assert call("POST", f"{root}/{{report_id}}/verification", f"{root}/{one['id']}/verification",
                json={"status": "重复", "outcome": "x"}).status_code == 409
    call("POST", f"{root}/{{report_id}}/reward", f"{root}/{one['id']}/reward",
         json={"status": "待发放", "amount_yuan": "300.00"})
