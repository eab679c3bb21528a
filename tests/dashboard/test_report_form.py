"""有奖举报 through HTTP on both back-ends: the public form at /report (no account, CSRF on, Chinese and English,
multipart with a photo), its refusals as pages (a field, a text file named .jpg, a photo over the cap, a body over
Flask's limit, a flood) with nothing written, the lookup page, the public JSON API, and staff's API."""
from __future__ import annotations

import base64
import dataclasses
import io
import re

import pytest
from PIL import Image
from sqlalchemy import text

from config import PhotoLimits
from dashboard.app import create_app
from services.data.imports import import_file
from services.db import read_session
from tests.conftest import BACKENDS, _cleanup, call, csv_for, prepared, shanghai_today, signed_in
from tests.services.test_imports import enterprise_row

LIMITS = PhotoLimits(max_per_record=2, max_bytes=40_000, max_pixels=4_000_000)
HOME = "500114003"
ROOT = "/api/v1/supervision/reports"


@pytest.fixture(scope="module", params=BACKENDS)
def settings(request, tmp_path_factory):
    base = prepared(request.param, tmp_path_factory.mktemp(f"reports-{request.param}"), tmp_path_factory,
                    with_sample=False)
    settings = dataclasses.replace(base, photos=LIMITS, public_reports=dataclasses.replace(
        base.public_reports, max_per_hour=3, max_per_day=5))
    call(settings, import_file, "enterprises", csv_for("enterprises", [enterprise_row(1)]), "e.csv")
    yield settings
    _cleanup(settings)


@pytest.fixture(scope="module")
def app(settings):
    return create_app(settings).server


_ADDRESSES = iter(range(1, 250))


@pytest.fixture
def visitor(app):
    """A browser of the public from an address of its own (the flood limit counts per address)."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = f"192.0.2.{next(_ADDRESSES)}"
    return client


def count(settings, sql: str = "SELECT count(*) FROM public_report", **params):
    with read_session(settings.database_url) as session:
        return session.execute(text(sql), params).scalar()


def files(settings) -> int:
    root = settings.instance_dir / "photos" / "reports"
    return len(list(root.iterdir())) if root.exists() else 0


def jpeg(size=(32, 24)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(out, "JPEG")
    return out.getvalue()


def token(client, lang: str = "zh") -> str:
    page = client.get(f"/report?lang={lang}")
    assert page.status_code == 200
    return re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)


def send(client, photo: tuple[bytes, str] | None = None, lang: str = "zh", **fields):
    form = {"csrf_token": token(client, lang), "lang": lang, "description": "饭店后厨液化气钢瓶放在楼梯间",
            "enterprise_name": "某饭店", "place": "城西街道", "township_code": HOME, "contact": "13800001111", **fields}
    if photo is not None:
        form["photo"] = (io.BytesIO(photo[0]), photo[1])
    return client.post("/report", data=form, content_type="multipart/form-data")


def test_the_form_is_public_bilingual_and_made_for_a_phone(visitor):
    for lang, title in (("zh", "有奖举报"), ("en", "Report a safety hazard")):
        page = visitor.get(f"/report?lang={lang}")
        html = page.get_data(as_text=True)
        assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
        assert f"<title>{title}</title>" in html and 'name="viewport" content="width=device-width' in html
        assert 'enctype="multipart/form-data"' in html and 'name="csrf_token"' in html and 'type="file"' in html
        assert "@media (max-width:600px)" in html and "<script" not in html
        assert ("城西街道" in html) == (lang == "zh") and ("Qianjiang" in html) == (lang == "en")
    assert visitor.get("/report/lookup").status_code == 200
    assert 'href="/report?lang=en"' in visitor.get("/login?lang=en").get_data(as_text=True)  # the way in


def test_a_report_sent_through_the_form_shows_its_reference_and_its_outcome(visitor, settings, app):
    before, photos = count(settings), files(settings)
    sent = send(visitor, photo=(jpeg(), "现场.jpg"))
    assert sent.status_code == 303 and sent.headers["Location"].startswith("/report/lookup?ref=JB-")
    page = visitor.get(sent.headers["Location"])
    html = page.get_data(as_text=True)
    reference = re.search(r'<output class="ref">(JB-[0-9A-Z-]+)</output>', html).group(1)
    assert "举报已收到" in html and "待核实" in html
    assert count(settings) == before + 1 and files(settings) == photos + 1
    stored = count(settings, "SELECT contact FROM public_report WHERE reference = :r", r=reference)
    assert stored == "13800001111"
    staff = signed_in(app.test_client(), settings, "planner")
    report_id = count(settings, "SELECT id FROM public_report WHERE reference = :r", r=reference)
    firm = count(settings, "SELECT id FROM enterprise LIMIT 1")
    verified = staff.post(f"{ROOT}/{report_id}/verification", json={
        "status": "属实", "enterprise_id": firm, "deadline": shanghai_today().isoformat(), "outcome": "已责令整改"})
    assert verified.status_code == 200 and verified.get_json()["danger_code"].startswith("YH-")
    english = visitor.get(f"/report/lookup?ref={reference.lower()}&lang=en").get_data(as_text=True)
    assert "Confirmed" in english and "已责令整改" in english and "To be rectified" in english
    assert "t-planner" not in english and "13800001111" not in english
    missing = visitor.get("/report/lookup?ref=JB-2026-00000-00000")
    assert missing.status_code == 404 and "没有这个举报编号" in missing.get_data(as_text=True)


def test_without_the_csrf_token_the_form_is_refused_as_a_page(visitor, settings):
    before = count(settings)
    answer = visitor.post("/report", data={"description": "没有令牌的举报内容"}, content_type="multipart/form-data")
    assert answer.status_code == 400 and "页面已过期" in answer.get_data(as_text=True)
    assert count(settings) == before


def test_a_text_file_named_jpg_or_a_photo_over_the_cap_is_refused_with_a_message(visitor, settings):
    before, photos = count(settings), files(settings)
    fake = send(visitor, photo=("这不是照片".encode(), "fake.jpg"), lang="en")
    assert fake.status_code == 400
    html = fake.get_data(as_text=True)
    assert "Photo: photo 1 (fake.jpg) is not a readable JPEG, PNG or WebP image" in html
    assert "饭店后厨液化气钢瓶放在楼梯间" in html  # what was typed is kept
    big = send(visitor, photo=(b"\xff\xd8" + bytes(60_000), "big.jpg"))  # over 40 kB, under the body cap
    assert big.status_code == 400 and "超过" in big.get_data(as_text=True)
    assert count(settings) == before and files(settings) == photos


def test_a_body_over_the_routes_limit_is_a_friendly_413_page(visitor, settings):
    before = count(settings)
    answer = send(visitor, photo=(bytes(400_000), "huge.jpg"))  # beyond the photo cap + 256 kB of form
    html = answer.get_data(as_text=True)
    assert answer.status_code == 413 and answer.mimetype == "text/html"
    assert "上传内容超过" in html and "<form" in html and 'name="csrf_token"' in html
    assert count(settings) == before


def test_a_field_refused_names_the_field(visitor, settings):
    before = count(settings)
    answer = send(visitor, lang="en", contact="call me maybe")
    assert answer.status_code == 400
    assert "is not a phone number" in answer.get_data(as_text=True) and 'aria-invalid="true"' in answer.get_data(
        as_text=True)
    assert count(settings) == before


def test_a_flood_from_one_address_is_refused_at_the_limit_plus_one(visitor, settings):
    for _ in range(3):
        assert send(visitor).status_code == 303
    before = count(settings)
    flood = send(visitor)
    assert flood.status_code == 429 and int(flood.headers["Retry-After"]) > 0
    assert "每小时最多提交 3 条举报" in flood.get_data(as_text=True)
    assert count(settings) == before
    key = count(settings, "SELECT source_key FROM public_report ORDER BY id DESC LIMIT 1")
    assert count(settings, "SELECT count(*) FROM public_report WHERE source_key = :k", k=key) == 3


def test_the_public_json_api_takes_a_report_with_the_same_limits(visitor, settings):
    answer = visitor.post(ROOT, json={"description": "商场安全出口被货物堵塞", "township_code": HOME,
                                      "photo_base64": "data:image/jpeg;base64," + base64.b64encode(jpeg()).decode()})
    assert answer.status_code == 201, answer.get_json()
    receipt = answer.get_json()
    assert receipt["has_photo"] and receipt["lookup_url"].endswith(receipt["reference"])
    seen = visitor.get(receipt["lookup_url"])
    assert seen.status_code == 200 and seen.get_json()["status"] == "待核实"
    assert set(seen.get_json()) == {"reference", "submitted_on", "status", "verified_on", "outcome", "danger_status",
                                    "reward_status", "reward_yuan"}
    assert visitor.get(f"{ROOT}/lookup?reference=JB-1").status_code == 404
    before = count(settings)
    refusals = [
        visitor.post(ROOT, data="description=x", content_type="application/x-www-form-urlencoded"),  # not JSON
        visitor.post(ROOT, json={"description": "假照片的举报内容", "photo_base64": base64.b64encode(b"text").decode()}),
        visitor.post(ROOT, json={"description": "坏的编码内容", "photo_base64": "@@@"}),
        visitor.post(ROOT, json={"description": "过大的请求体", "photo_base64": "A" * 400_000}),  # over the body cap
        visitor.post(ROOT, json={"description": "来自别的网站"}, headers={"Origin": "https://evil.example"}),
    ]
    assert [r.status_code for r in refusals] == [415, 400, 400, 413, 400]
    assert refusals[1].get_json()["error"] == "photo.not_image" and refusals[3].get_json()["error"] == "too_large"
    for _ in range(2):
        assert visitor.post(ROOT, json={"description": "同一地址的第二条举报"}).status_code == 201
    flood = visitor.post(ROOT, json={"description": "同一地址的第四条举报"})
    assert flood.status_code == 429 and flood.get_json()["error"] == "report.flood_hour"
    assert "Retry-After" in flood.headers
    assert count(settings) == before + 2


def test_staff_list_verify_and_reward_through_the_api(app, settings, visitor):
    sent = visitor.post(ROOT, json={"description": "建筑工地塔吊无证操作", "township_code": HOME}).get_json()
    report_id = count(settings, "SELECT id FROM public_report WHERE reference = :r", r=sent["reference"])
    anonymous = app.test_client()
    assert anonymous.get(ROOT).status_code == 401
    township = signed_in(app.test_client(), settings, "township", "500114001")
    assert sent["reference"] not in {r["reference"] for r in township.get(f"{ROOT}?status=all").get_json()["reports"]}
    assert township.get(f"{ROOT}/{report_id}").status_code == 403
    viewer = signed_in(app.test_client(), settings, "viewer")
    listed = viewer.get(f"{ROOT}?status=pending").get_json()
    assert sent["reference"] in {r["reference"] for r in listed["reports"]} and listed["total"] >= 1
    assert viewer.post(f"{ROOT}/{report_id}/verification", json={"status": "不属实", "outcome": "x"}).status_code == 403
    staff = signed_in(app.test_client(), settings, "planner")
    firm = count(settings, "SELECT id FROM enterprise LIMIT 1")
    open_before = count(settings, "SELECT open_hidden_dangers FROM enterprise WHERE id = :i", i=firm)
    done = staff.post(f"{ROOT}/{report_id}/verification", json={"status": "属实", "enterprise_id": firm,
                                                                "deadline": shanghai_today().isoformat()}).get_json()
    assert done["status"] == "属实" and done["contact"] is None
    assert count(settings, "SELECT source FROM hidden_danger WHERE id = :i", i=done["danger_id"]) == "群众举报"
    assert count(settings, "SELECT open_hidden_dangers FROM enterprise WHERE id = :i", i=firm) == open_before + 1
    again = staff.post(f"{ROOT}/{report_id}/verification", json={"status": "不属实", "outcome": "x"})
    assert again.status_code == 409
    steps = [staff.post(f"{ROOT}/{report_id}/reward", json=body) for body in (
        {"status": "已发放"}, {"status": "待发放", "amount_yuan": "500.00"}, {"status": "已发放"})]
    assert [s.status_code for s in steps] == [409, 200, 200]
    assert (steps[2].get_json()["reward_status"], steps[2].get_json()["reward_yuan"]) == ("已发放", "500.00")
    seen = visitor.get(sent["lookup_url"]).get_json()
    assert (seen["reward_status"], seen["reward_yuan"], seen["danger_status"]) == ("已发放", "500.00", "待整改")
