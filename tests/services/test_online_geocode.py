"""The online geocoder adapter (天地图, 高德): off by default (no socket opened), and when configured asked only for rows
the gazetteer places at 乡镇级 or nowhere; its answers pass only at village or point level inside the row's township.

A local HTTP server plays both providers with the answers their documentation shows (services/data/online_geocode.py
cites them), an error answer, bad JSON and a timeout.
"""
from __future__ import annotations

import dataclasses
import json
import logging
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
import shapely
from sqlalchemy import select, text

from config import OnlineGeocoding, load_settings
from geo.coords import wgs84_to_gcj02
from geo.distance import haversine_m
from services.data.imports import ImportRejected, import_file, load_context
from services.models import AuditLog, Township
from tests.conftest import call, csv_for, read
from tests.services.test_geocode import hazard, stored, township_seat

SHIHUI, ZHUOSHUI = "500114106", "500114112"
GUANHOU = "500114106001"


def _points(settings) -> dict[str, tuple[float, float]]:
    """Points the fake providers answer with: three in 石会镇, two in 濯水镇, one far outside the district."""
    polys = read(settings, lambda uow: dict(uow.session.execute(select(Township.code, Township.geom)).all()))
    s, z = polys[SHIHUI].representative_point(), polys[ZHUOSHUI].representative_point()
    points = {"中元村": (s.x + 0.002, s.y), "小学": (s.x, s.y + 0.002), "某路": (s.x - 0.002, s.y),
              "濯水的点": (z.x + 0.002, z.y), "农场": (z.x, z.y + 0.002)}
    for name, (lon, lat) in points.items():
        assert polys[ZHUOSHUI if name in ("濯水的点", "农场") else SHIHUI].covers(shapely.Point(lon, lat))
    return {name: (round(lon, 7), round(lat, 7)) for name, (lon, lat) in points.items()} | {"区外": (100.0, 20.0)}


AMAP_LEVELS = {"中元村": "村庄", "小学": "兴趣点", "某路": "道路", "濯水的点": "兴趣点", "农场": "兴趣点", "区外": "兴趣点"}
TIANDITU_LEVELS = {"中元村": "地名地址", "小学": "科教文化", "某路": "行政区划", "濯水的点": "地名地址", "农场": "地名地址",
                   "区外": "地名地址"}


class _Providers(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 — the http.server name
        url = urlsplit(self.path)
        params = {k: v[0] for k, v in parse_qs(url.query).items()}
        query = json.loads(params["ds"])["keyWord"] if url.path == "/tianditu" else params.get("address", "")
        self.server.requests.append((url.path, params, query))
        if "超时" in query:
            time.sleep(1.0)
        body = (_tianditu if url.path == "/tianditu" else _amap)(self.server.points, query)
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up waiting (the timeout case)
            pass

    def log_message(self, *args):
        pass


def _marker(points, query) -> str | None:
    return next((name for name in points if name in query), None)


def _amap(points, query) -> bytes:
    if "错误" in query:
        return json.dumps({"status": "0", "info": "INVALID_USER_KEY", "infocode": "10001"}).encode()
    if "坏" in query:
        return b'{"status": "1", "geocodes": ['
    name = _marker(points, query)
    if name is None:
        return json.dumps({"status": "1", "info": "OK", "infocode": "10000", "count": "0", "geocodes": []}).encode()
    lon, lat = wgs84_to_gcj02(*points[name])  # 高德 answers in GCJ-02
    return json.dumps({"status": "1", "info": "OK", "infocode": "10000", "count": "1", "geocodes": [{
        "formatted_address": query, "country": "中国", "province": "重庆市", "city": "重庆市", "district": "黔江区",
        "adcode": "500114", "location": f"{lon:.6f},{lat:.6f}", "level": AMAP_LEVELS[name]}]},
        ensure_ascii=False).encode()


def _tianditu(points, query) -> bytes:
    if "错误" in query:
        return json.dumps({"status": "404", "msg": "服务异常"}, ensure_ascii=False).encode()
    if "坏" in query:
        return b"<html>gateway</html>"
    name = _marker(points, query)
    if name is None:
        return json.dumps({"status": "101", "msg": "结果为空"}, ensure_ascii=False).encode()
    lon, lat = points[name]
    return json.dumps({"location": {"lon": str(lon), "level": TIANDITU_LEVELS[name], "lat": str(lat)},
                       "status": "0", "msg": "ok", "searchVersion": "4.8.0"}, ensure_ascii=False).encode()


@pytest.fixture
def providers(fresh):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Providers)
    server.daemon_threads = True
    server.requests, server.points = [], _points(fresh)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def online(settings, server, provider: str, **limits):
    config = OnlineGeocoding(provider=provider, key="the-users-key",
                             url=f"http://127.0.0.1:{server.server_address[1]}/{provider}",
                             **({"timeout_s": 0.3, "max_failures": 10} | limits))
    return dataclasses.replace(settings, geocoding=config)


def real_seat(settings, code: str, lon: float, lat: float) -> None:
    call(settings, lambda uow: uow.session.execute(text(
        "UPDATE village SET seat_lon = :lon, seat_lat = :lat, seat_is_sample = :f WHERE code = :c"),
        {"lon": lon, "lat": lat, "f": False, "c": code}))


ROWS = [hazard("A-1", address="石会镇中元村2组"),      # 村庄 in 石会镇: 村级 there
        hazard("A-2", address="石会镇小学后山"),        # 兴趣点 in 石会镇: 村级
        hazard("A-3", address="石会镇某路边"),          # 道路: not a village's point, the township's seat stays
        hazard("A-4", address="石会镇濯水的点"),        # a point, but in 濯水镇: the row names 石会镇, seat stays
        hazard("A-5", address="石会镇错误"),            # an error answer
        hazard("A-6", address="石会镇超时"),            # no answer within the timeout
        hazard("A-7", address="石会镇坏"),              # not JSON
        hazard("A-8", address="石会镇没有的地方"),      # no result
        hazard("A-9", address="石会镇关后社区"),        # 村级 offline already: not asked
        hazard("A-10", township="石会镇"),              # a township alone: not asked
        hazard("A-11", address="某某农场")]             # 未定位 offline, a point in 濯水镇: 村级 in 濯水镇


@pytest.mark.parametrize("provider", ["amap", "tianditu"])
def test_answers_pass_only_at_village_or_point_level_inside_the_rows_township(fresh, providers, provider, caplog):
    real_seat(fresh, GUANHOU, 108.61234, 29.56789)
    settings = online(fresh, providers, provider)
    with caplog.at_level(logging.WARNING, logger="services.data.online_geocode"):
        call(settings, import_file, "hazards", csv_for("hazards", ROWS), "在线.csv")
    got, seat = stored(fresh), township_seat(fresh, SHIHUI)
    points = providers.points
    for code, name in (("A-1", "中元村"), ("A-2", "小学"), ("A-11", "农场")):
        assert got[code][0] == "村级"
        assert haversine_m(*got[code][1:3], *points[name]) < 1.0  # 高德's GCJ-02 converted back to WGS-84
        if provider == "tianditu":
            assert got[code][1:3] == points[name]  # CGCS2000 as given
    assert got["A-1"][3] == SHIHUI and got["A-11"][3] == ZHUOSHUI
    assert got["A-3"][:3] == ("乡镇级", *seat)  # 高德's 道路, 天地图's 行政区划: no village's point
    for code in ("A-4", "A-5", "A-6", "A-7", "A-8", "A-10"):
        assert got[code][:4] == ("乡镇级", *seat, SHIHUI), code
    assert got["A-9"][:3] == ("村级", 108.61234, 29.56789)
    asked = [q for _, _, q in providers.requests]
    assert len(asked) == 9 and not any("关后" in q for q in asked)
    assert all(q.startswith("黔江区") for q in asked) and "黔江区石会镇中元村2组" in asked
    params = providers.requests[0][1]
    assert params.get("key" if provider == "amap" else "tk") == "the-users-key"
    if provider == "amap":
        assert params["city"] == "500114"
    warned = " ".join(r.getMessage() for r in caplog.records)
    assert warned.count("the offline placement stands") == 3  # error, timeout, bad JSON; none for no result
    detail = read(fresh, lambda uow: json.loads(uow.session.scalar(select(AuditLog.detail).where(
        AuditLog.action == "import"))))
    assert (detail["geocoder"], detail["geocoder_lookups"]) == (provider, 9)


def test_an_address_the_geocoder_places_outside_the_district_is_still_refused(fresh, providers):
    settings = online(fresh, providers, "amap")
    with pytest.raises(ImportRejected) as caught:
        call(settings, import_file, "hazards", csv_for("hazards", [hazard("B-1", address="区外某处")]), "b.csv")
    assert [e.code for e in caught.value.errors] == ["unlocated"] and stored(fresh) == {}
    assert len(providers.requests) == 1


def test_a_failing_geocoder_is_left_after_a_few_failures_and_asked_at_most_max_lookups(fresh, providers):
    slow = [hazard(f"C-{i}", address=f"石会镇超时{i}") for i in range(5)]
    started = time.perf_counter()
    call(online(fresh, providers, "amap", max_failures=2), import_file, "hazards", csv_for("hazards", slow), "c.csv")
    assert len(providers.requests) == 2 and time.perf_counter() - started < 5
    assert {v[0] for v in stored(fresh).values()} == {"乡镇级"}
    providers.requests.clear()
    many = [hazard(f"D-{i}", address=f"石会镇中元村{i}组") for i in range(4)]
    call(online(fresh, providers, "amap", max_lookups=1), import_file, "hazards", csv_for("hazards", many), "d.csv")
    got = stored(fresh)
    assert len(providers.requests) == 1
    assert [got[f"D-{i}"][0] for i in range(4)] == ["村级", "乡镇级", "乡镇级", "乡镇级"]


def test_with_default_settings_no_socket_is_opened(fresh, monkeypatch):
    assert not fresh.geocoding.enabled and read(fresh, load_context).online is None
    opened = []

    def refuse(*args, **kwargs):
        opened.append(args)
        raise OSError("no network in this test")
    for name in ("connect", "connect_ex", "sendto"):
        monkeypatch.setattr(socket.socket, name, refuse)
    for name in ("getaddrinfo", "create_connection"):  # a name looked up is a question asked outside too
        monkeypatch.setattr(socket, name, refuse)
    rows = [hazard("E-1", address="石会镇中元村2组"), hazard("E-2", address="濯水镇某小学")]
    call(fresh, import_file, "hazards", csv_for("hazards", rows), "e.csv")
    assert {v[0] for v in stored(fresh).values()} == {"乡镇级"} and opened == []


def test_settings_from_the_environment(monkeypatch):
    for name in ("QJ_GEOCODER", "QJ_GEOCODER_KEY", "QJ_GEOCODER_URL"):
        monkeypatch.delenv(name, raising=False)
    assert load_settings().geocoding == OnlineGeocoding()
    monkeypatch.setenv("QJ_GEOCODER", "off")
    assert not load_settings().geocoding.enabled
    monkeypatch.setenv("QJ_GEOCODER", "Amap")
    with pytest.raises(ValueError, match="QJ_GEOCODER_KEY"):
        load_settings()
    monkeypatch.setenv("QJ_GEOCODER_KEY", "k")
    monkeypatch.setenv("QJ_GEOCODER_TIMEOUT_S", "1.5")
    got = load_settings().geocoding
    assert (got.provider, got.key, got.url, got.timeout_s, got.enabled) == ("amap", "k", None, 1.5, True)
    monkeypatch.setenv("QJ_GEOCODER", "baidu")
    with pytest.raises(ValueError, match="tianditu, amap"):
        load_settings()
