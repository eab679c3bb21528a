"""安全监管 and 风险感知 calls of tests/dashboard/test_api_responses.py kept here (that file stays within 420 lines): the
有奖举报 routes, the photos of a hidden danger (隐患照片) and the station readings, called on the sample database and
checked against the OpenAPI document by its ``Caller`` (the public's routes without a token, staff's with one)."""
from __future__ import annotations

import datetime as dt
import io

from services.clock import now_utc
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


def monitoring_answers(call) -> None:
    """风险感知: a batch of readings in (a retry, a conflicting value, an unknown station), the stations and a series."""
    root = "/api/v1/monitoring"
    at = (now_utc() - dt.timedelta(minutes=10)).replace(microsecond=0)
    batch = {"readings": [{"station": "QJ-ST-001", "at": at.isoformat(), "kind": "rainfall", "value": 2.5}]}
    assert call("POST", f"{root}/readings", json=batch).get_json()["stored"] == 1
    assert call("POST", f"{root}/readings", json=batch).get_json()["duplicates"] == 1
    refused = call("POST", f"{root}/readings", json={"readings": [{**batch["readings"][0], "value": 3}]})
    assert refused.status_code == 409
    assert call("POST", f"{root}/readings", json={"readings": [{**batch["readings"][0], "station": "x"}]}
                ).status_code == 400
    stations = call("GET", f"{root}/stations").get_json()["stations"]
    assert stations[0]["code"] == "QJ-ST-001" and stations[0]["latest"][0]["value"] == 2.5
    series = call("GET", f"{root}/stations/{{code}}/readings", f"{root}/stations/QJ-ST-001/readings?kind=rainfall")
    assert series.get_json()["readings"] == [{"at": at.isoformat(), "value": 2.5}]
    assert call("GET", f"{root}/stations/{{code}}/readings", f"{root}/stations/QJ-ST-999/readings?kind=rainfall"
                ).status_code == 404
