"""Online geocoders (天地图, 高德) behind the offline gazetteer, with the user's own key: an adapter, off by default.

Asked only when the gazetteer (services/data/geocode.py) places a row at its township's seat (乡镇级) or nowhere
(未定位), and only when ``QJ_GEOCODER`` names a provider (config.OnlineGeocoding): otherwise nothing leaves the
machine. An answer is taken as 村级 only when the provider's own level says it found a village or a point (a POI,
a house number), and only when the point lies in the district and, when the row names its township, in that
township; anything else — a coarse level, a point elsewhere, no answer, an error, bad JSON, a timeout — keeps the
offline answer (a warning logged for failures). One import asks each address once, stops asking after a few failures
in a row, and asks at most ``max_lookups`` times.

The providers' documented requests and answers:

- 天地图 地理编码 (http://lbs.tianditu.gov.cn/server/geocodinginterface.html): ``GET
  https://api.tianditu.gov.cn/geocoder?ds={"keyWord":"<地址>"}&tk=<key>``; answer ``{"status": "0", "msg": "ok",
  "location": {"lon": "116.001688", "lat": "40.453228", "level": "地名地址"}}``, status 101 no result, 404 an error;
  ``level`` is the category (类别名称) of what matched: 行政区划 (a whole county or township) and 道路 are not a
  point of a village. Coordinates in CGCS2000, which the project treats as WGS-84.
- 高德 地理编码 (https://lbs.amap.com/api/webservice/guide/api/georegeo): ``GET
  https://restapi.amap.com/v3/geocode/geo?key=<key>&address=<地址>&city=<adcode>``; answer ``{"status": "1",
  "info": "OK", "infocode": "10000", "count": "1", "geocodes": [{"location": "116.482086,39.990496", "level":
  "门牌号", "adcode": "110105", …}]}``, status "0" an error named by ``info``; coordinates in GCJ-02, converted with
  geo/coords.py. Levels as listed by 高德 (https://lbs.amap.com/news/geocoder_api, 2023-12-07): 国家 省 市 区县 开发区
  乡镇 村庄 热点商圈 道路 道路交叉路口 兴趣点 门牌号 单元号 楼层 房间 公交地铁站点 门址 小巷 住宅区 未知.
"""
from __future__ import annotations

import json
import logging
import math
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import urlencode

import shapely

from config import OnlineGeocoding
from geo.coords import gcj02_to_wgs84
from services import vocabulary
from services.data.geocode import Placement

log = logging.getLogger(__name__)

MAX_ANSWER_BYTES = 256 * 1024  # a geocoder's answer is a few hundred bytes; more is not an answer
TIANDITU_URL = "https://api.tianditu.gov.cn/geocoder"
AMAP_URL = "https://restapi.amap.com/v3/geocode/geo"
TIANDITU_COARSE = ("行政区划", "道路")
AMAP_PRECISE = ("村庄", "兴趣点", "门牌号", "单元号", "楼层", "房间", "公交地铁站点", "门址", "小巷", "住宅区")


class GeocoderError(Exception):
    """The geocoder could not answer (unreachable, slow, refused, or not its documented JSON); the message says why."""


@dataclass(frozen=True)
class GeocoderHit:
    """A geocoder's point (WGS-84), its own level word, and whether that level is a village or a point."""

    lon: float
    lat: float
    level: str
    precise: bool


class OnlineGeocoder(Protocol):
    name: str

    def locate(self, query: str) -> GeocoderHit | None:
        """The point ``query`` names, or None when the geocoder found nothing; raises GeocoderError."""


def _get_json(url: str, params: dict, timeout_s: float) -> dict:
    request = urllib.request.Request(f"{url}{'&' if '?' in url else '?'}{urlencode(params)}",
                                     headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            body = response.read(MAX_ANSWER_BYTES + 1)
    except (urllib.error.URLError, OSError, ValueError) as exc:  # HTTP errors, refused, timeouts
        raise GeocoderError(f"no answer ({exc})") from exc
    if len(body) > MAX_ANSWER_BYTES:
        raise GeocoderError("answer too large")
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GeocoderError(f"answer is not JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise GeocoderError("answer is not a JSON object")
    return data


def _degrees(lon, lat) -> tuple[float, float]:
    lon, lat = float(lon), float(lat)
    if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        raise ValueError(f"not a point: {lon}, {lat}")
    return lon, lat


@dataclass(frozen=True)
class Tianditu:
    """天地图's geocoder (CGCS2000 points)."""

    key: str
    url: str = TIANDITU_URL
    timeout_s: float = 3.0
    name: str = "tianditu"

    def locate(self, query: str) -> GeocoderHit | None:
        data = _get_json(self.url, {"ds": json.dumps({"keyWord": query}, ensure_ascii=False), "tk": self.key},
                         self.timeout_s)
        status = str(data.get("status"))
        if status == "101":
            return None
        if status != "0":
            raise GeocoderError(f"status {status}: {data.get('msg')}")
        try:
            where = data["location"]
            lon, lat = _degrees(where["lon"], where["lat"])
            level = str(where.get("level") or "")
        except (KeyError, TypeError, ValueError) as exc:
            raise GeocoderError(f"answer without a location ({exc!r})") from exc
        return GeocoderHit(lon, lat, level, bool(level) and level not in TIANDITU_COARSE)


@dataclass(frozen=True)
class Amap:
    """高德's geocoder (GCJ-02 points, converted to WGS-84), asked within ``city`` (the region's adcode)."""

    key: str
    city: str
    url: str = AMAP_URL
    timeout_s: float = 3.0
    name: str = "amap"

    def locate(self, query: str) -> GeocoderHit | None:
        data = _get_json(self.url, {"key": self.key, "address": query, "city": self.city, "output": "JSON"},
                         self.timeout_s)
        if str(data.get("status")) != "1":
            raise GeocoderError(f"status {data.get('status')}: {data.get('info')} ({data.get('infocode')})")
        try:
            found = data.get("geocodes") or []
            if not found:
                return None
            lon, lat = _degrees(*str(found[0]["location"]).split(","))
            level = str(found[0].get("level") or "")
        except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
            raise GeocoderError(f"answer without a location ({exc!r})") from exc
        lon, lat = gcj02_to_wgs84(lon, lat)
        return GeocoderHit(float(lon), float(lat), level, level in AMAP_PRECISE)


def geocoder_for(config: OnlineGeocoding, region_adcode: str) -> OnlineGeocoder | None:
    """The configured geocoder, or None (the default): then nothing is ever sent."""
    if not config.enabled:
        return None
    if config.provider == "tianditu":
        return Tianditu(config.key, config.url or TIANDITU_URL, config.timeout_s)
    return Amap(config.key, region_adcode, config.url or AMAP_URL, config.timeout_s)


@dataclass
class OnlinePlacer:
    """One import's use of the geocoder: the checks its answers must pass, its cache and its limits."""

    geocoder: OnlineGeocoder
    district: shapely.Geometry
    townships: dict[str, shapely.Geometry]       # code → polygon
    township_names: dict[str, str]              # code → name
    region_name: str
    max_failures: int = 3
    max_lookups: int = 500
    lookups: int = 0
    failures: int = 0                            # in a row
    stopped: bool = False
    cache: dict[str, GeocoderHit | None] = field(default_factory=dict)

    def improve(self, placed: Placement, address: str | None, village_name: str | None = None) -> Placement:
        """``placed`` (乡镇级 or 未定位), or 村级 at the geocoder's point when its answer passes every check."""
        if placed.quality not in (vocabulary.LOCATION_TOWNSHIP, vocabulary.LOCATION_NONE):
            return placed
        if not (address or village_name):
            return placed  # a township alone: the geocoder could say no more than its seat
        hit = self._ask(self._query(placed.township_code, address or "", village_name or ""))
        if hit is None or not hit.precise:
            return placed
        point = shapely.Point(hit.lon, hit.lat)
        town = placed.township_code
        if not self.district.covers(point) or (town is not None and not self.townships[town].covers(point)):
            log.info("geocoder %s: %s lies outside the row's township or the district; kept %s", self.geocoder.name,
                     (hit.lon, hit.lat), placed.quality)
            return placed
        town = town or next((c for c, poly in self.townships.items() if poly.covers(point)), None)
        if town is None:  # in the district but in no township's polygon: a record needs its township
            return placed
        return Placement(vocabulary.LOCATION_VILLAGE, round(hit.lon, 7), round(hit.lat, 7), town,
                         placed.village_code)

    def _query(self, township_code: str | None, address: str, village: str) -> str:
        """The address with the district, township and village it leaves out written before it."""
        parts = [self.region_name, self.township_names.get(township_code, ""), village]
        return "".join(p for p in parts if p and p not in address) + address

    def _ask(self, query: str) -> GeocoderHit | None:
        if query in self.cache:
            return self.cache[query]
        if self.stopped or self.lookups >= self.max_lookups:
            return None
        self.lookups += 1
        try:
            hit = self.geocoder.locate(query)
        except Exception as exc:  # noqa: BLE001 — any failure of an outside service leaves the offline answer
            self.failures += 1
            self.stopped = self.failures >= self.max_failures
            log.warning("geocoder %s: no answer for %r (%s); the offline placement stands%s", self.geocoder.name,
                        query, exc, "; no more questions in this import" if self.stopped else "")
            return None
        self.failures = 0
        self.cache[query] = hit
        return hit


def online_placer(config: OnlineGeocoding, region_adcode: str, region_name: str, district,
                  townships: dict[str, shapely.Geometry], township_names: dict[str, str]) -> OnlinePlacer | None:
    """What an import asks the configured geocoder through, or None when none is configured (the default)."""
    geocoder = geocoder_for(config, region_adcode)
    if geocoder is None:
        return None
    return OnlinePlacer(geocoder, district, townships, township_names, region_name, config.max_failures,
                        config.max_lookups)
