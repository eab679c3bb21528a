"""Column definitions of the import files, one spec per entity, with their Chinese headers.

The importer, the downloadable templates and the sample-data generator all read these specs, so a
header is spelled in one place only.
"""
from __future__ import annotations

from dataclasses import dataclass

from services import vocabulary


@dataclass(frozen=True)
class Column:
    """One column of an import file.

    ``kind`` is one of: text, int, float, decimal, date, bool, choice, lon, lat, credit_code, phone, township.
    A ``decimal`` is a counted quantity, read exactly (``decimal.Decimal``) with at most ``decimals`` places.
    """

    header: str
    field: str
    kind: str = "text"
    required: bool = True
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    max_length: int = 200
    header_en: str = ""
    decimals: int = 3


@dataclass(frozen=True)
class EntitySpec:
    key: str            # URL and CLI name: enterprises, hazards, ...
    title_zh: str
    title_en: str
    columns: tuple[Column, ...]
    id_field: str       # natural key, unique within the entity
    has_location: bool = True

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    def column(self, field: str) -> Column:
        return next(c for c in self.columns if c.field == field)


def _location(required_township: bool = False) -> tuple[Column, ...]:
    return (
        Column("地址", "address", required=False, header_en="Address"),
        Column("乡镇街道", "township", "township", required=required_township, header_en="Township"),
        Column("经度", "lon", "lon", header_en="Longitude"),
        Column("纬度", "lat", "lat", header_en="Latitude"),
    )


def _contact(person: str = "联系人", phone: str = "联系电话") -> tuple[Column, ...]:
    return (
        Column(person, "contact_person", required=False, max_length=50, header_en="Contact"),
        Column(phone, "contact_phone", "phone", required=False, header_en="Phone"),
    )


# A yes/no column: the two values an export writes (and the template shows), and every spelling the import
# accepts (compared lower-cased). Part of the file format, like the headers.
YES, NO = "是", "否"
TRUE_CELLS = frozenset({YES, "有", "y", "yes", "true", "1", "√"})
FALSE_CELLS = frozenset({NO, "无", "n", "no", "false", "0", "×"})
# The coordinate system a file is declared in is no column, but errors and the template's notes sheet name it as
# if it were one: this pseudo-header, in the file format's Chinese, with its English like every header.
CRS_HEADER, CRS_HEADER_EN = "坐标系", "CRS"
# How offices write numbers, coordinates and dates in a cell (services/data/cells.py reads them): part of the
# file format too. Units by dimension, as a factor of the dimension's base unit (yuan, people, kg).
CELL_UNITS: dict[str, tuple[str, float]] = {
    "元": ("money", 1.0), "万元": ("money", 1e4), "亿元": ("money", 1e8), "万": ("money", 1e4),
    "人": ("count", 1.0), "户": ("count", 1.0), "个": ("count", 1.0), "名": ("count", 1.0), "处": ("count", 1.0),
    "座": ("count", 1.0), "辆": ("count", 1.0), "台": ("count", 1.0), "套": ("count", 1.0), "支": ("count", 1.0),
    "kg": ("mass", 1.0), "千克": ("mass", 1.0), "公斤": ("mass", 1.0), "吨": ("mass", 1000.0), "t": ("mass", 1000.0),
}
# before or after a coordinate; letters in capitals only (a lower-case s is the seconds mark of 14.5s)
HEMISPHERES = ("东经", "北纬", "西经", "南纬", "E", "N", "W", "S")
WEST_OR_SOUTH = frozenset({"西经", "南纬", "W", "S"})
DMS_MARKS = "°度′'’分″\"”秒"  # degree, minute and second marks as typed (ASCII d, m, s and colons too)
DATE_MARKS = ("年", "月", "日")  # 2026年7月2日

ENTERPRISES = EntitySpec(
    "enterprises", "企业", "Enterprises",
    (
        Column("统一社会信用代码", "credit_code", "credit_code", header_en="Credit code"),
        Column("企业名称", "name", header_en="Name"),
        Column("行业", "sector", "choice", choices=tuple(vocabulary.ENTERPRISE_SECTORS), header_en="Sector"),
        Column("类别", "category", "choice", choices=vocabulary.ENTERPRISE_CATEGORIES, header_en="Category"),
        Column("规模", "scale", "choice", choices=vocabulary.ENTERPRISE_SCALES, header_en="Scale"),
        Column("风险等级", "risk_level", "choice", choices=vocabulary.RISK_LEVELS, header_en="Risk level"),
        Column("两单两卡", "duty_card_status", "choice", choices=vocabulary.DUTY_CARD_STATUSES,
               header_en="Duty cards"),
        Column("未整改隐患数", "open_hidden_dangers", "int", minimum=0, maximum=10000,
               header_en="Open hidden dangers"),
        Column("所在园区", "industrial_park", required=False, max_length=100, header_en="Industrial park"),
        *_contact(),
        *_location(),
    ),
    id_field="credit_code",
)

HAZARDS = EntitySpec(
    "hazards", "灾害隐患点", "Hazard points",
    (
        Column("隐患点编号", "code", max_length=40, header_en="Code"),
        Column("名称", "name", header_en="Name"),
        Column("灾害类型", "hazard_type", "choice", choices=vocabulary.HAZARD_TYPES, header_en="Type"),
        Column("威胁户数", "threatened_households", "int", minimum=0, maximum=100000,
               header_en="Households threatened"),
        Column("威胁人数", "threatened_people", "int", minimum=0, maximum=500000,
               header_en="People threatened"),
        Column("威胁财产(万元)", "threatened_property_10k_yuan", "float", minimum=0, maximum=1e7,
               header_en="Property threatened (10k yuan)"),
        Column("稳定性", "stability", "choice", choices=vocabulary.HAZARD_STABILITY, header_en="Stability"),
        Column("影响半径(米)", "influence_radius_m", "float", minimum=0, maximum=10000,
               header_en="Influence radius (m)"),
        Column("预警等级", "warning_level", "choice", choices=vocabulary.WARNING_LEVELS,
               header_en="Warning level"),
        Column("村(社区)", "village", required=False, max_length=80, header_en="Village"),
        *_contact("监测人", "监测人电话"),
        *_location(),
    ),
    id_field="code",
)

SHELTERS = EntitySpec(
    "shelters", "应急避难场所", "Shelters",
    (
        Column("场所编号", "code", max_length=40, header_en="Code"),
        Column("名称", "name", header_en="Name"),
        Column("场所类型", "shelter_type", "choice", choices=vocabulary.SHELTER_TYPES, header_en="Type"),
        Column("场所级别", "shelter_class", "choice", choices=vocabulary.SHELTER_CLASSES, header_en="Class"),
        Column("依托设施", "site_kind", "choice", choices=vocabulary.SHELTER_SITES, header_en="Site"),
        Column("有效面积(平方米)", "effective_area_m2", "float", minimum=1, maximum=1e7,
               header_en="Effective area (m²)"),
        Column("核定容量(人)", "declared_capacity_people", "int", required=False, minimum=0,
               maximum=1000000, header_en="Declared capacity (people)"),
        Column("已安置人数", "occupancy_people", "int", minimum=0, maximum=1000000,
               header_en="Occupancy (people)"),
        Column("不可用位数", "blocked_places", "int", minimum=0, maximum=1000000,
               header_en="Blocked places"),
        Column("状态", "status", "choice", choices=vocabulary.SHELTER_STATUSES, header_en="Status"),
        Column("有饭吃", "has_food", "bool", header_en="Food"),
        Column("有衣穿", "has_clothing", "bool", header_en="Clothing"),
        Column("有干净水", "has_water", "bool", header_en="Clean water"),
        Column("有住处", "has_shelter", "bool", header_en="Safe shelter"),
        Column("有医疗", "has_medical", "bool", header_en="Medical care"),
        *_contact("负责人", "联系电话"),
        *_location(),
    ),
    id_field="code",
)

DEPOTS = EntitySpec(
    "depots", "物资储备库", "Supply depots",
    (
        Column("储备库编号", "code", max_length=40, header_en="Code"),
        Column("名称", "name", header_en="Name"),
        Column("级别", "level", "choice", choices=vocabulary.DEPOT_LEVELS, header_en="Level"),
        Column("库容(立方米)", "capacity_m3", "float", minimum=0, maximum=1e7, header_en="Capacity (m³)"),
        *_contact("负责人", "联系电话"),
        *_location(),
    ),
    id_field="code",
)

STOCK = EntitySpec(
    "stock", "库存", "Stock",
    (
        Column("储备库编号", "depot_code", max_length=40, header_en="Depot code"),
        Column("物资编码", "item_code", max_length=40, header_en="Item code"),
        Column("数量", "quantity", "decimal", minimum=0, maximum=1e9, header_en="Quantity"),
        Column("最低库存", "minimum_quantity", "decimal", minimum=0, maximum=1e9, header_en="Minimum level"),
        Column("有效期至", "expires_on", "date", required=False, header_en="Expires on"),
    ),
    id_field="",
    has_location=False,
)

TEAMS = EntitySpec(
    "teams", "救援队伍", "Rescue teams",
    (
        Column("队伍编号", "code", max_length=40, header_en="Code"),
        Column("名称", "name", header_en="Name"),
        Column("队伍类型", "kind", "choice", choices=vocabulary.TEAM_KINDS, header_en="Kind"),
        Column("人数", "members", "int", minimum=1, maximum=10000, header_en="Members"),
        Column("专长", "specialties", required=False, header_en="Specialties"),
        Column("主要装备", "equipment", required=False, max_length=500, header_en="Equipment"),
        Column("状态", "status", "choice", choices=vocabulary.TEAM_STATUSES, header_en="Status"),
        *_contact("负责人", "联系电话"),
        *_location(),
    ),
    id_field="code",
)

VEHICLES = EntitySpec(
    "vehicles", "车辆", "Vehicles",
    (
        Column("车牌号", "plate", max_length=20, header_en="Plate"),
        Column("车辆类型", "kind", "choice", choices=vocabulary.VEHICLE_KINDS, header_en="Kind"),
        Column("所属储备库编号", "depot_code", required=False, max_length=40, header_en="Depot code"),
        Column("所属队伍编号", "team_code", required=False, max_length=40, header_en="Team code"),
        Column("载重(千克)", "payload_kg", "float", minimum=0, maximum=100000, header_en="Payload (kg)"),
        Column("容积(立方米)", "volume_m3", "float", minimum=0, maximum=1000, header_en="Volume (m³)"),
        Column("状态", "status", "choice", choices=vocabulary.VEHICLE_STATUSES, header_en="Status"),
        Column("驾驶员", "driver_name", required=False, max_length=50, header_en="Driver"),
        Column("驾驶员电话", "driver_phone", "phone", required=False, header_en="Driver's phone"),
    ),
    id_field="plate",
    has_location=False,
)

STATIONS = EntitySpec(
    "stations", "监测站点", "Monitoring stations",
    (
        Column("站点编号", "code", max_length=40, header_en="Code"),
        Column("名称", "name", header_en="Name"),
        Column("站点类型", "kind", "choice", choices=vocabulary.STATION_KINDS, header_en="Kind"),
        Column("状态", "status", "choice", choices=vocabulary.STATION_STATUSES, header_en="Status"),
        *_location(),
    ),
    id_field="code",
)

SPECS: dict[str, EntitySpec] = {
    s.key: s for s in (ENTERPRISES, HAZARDS, SHELTERS, DEPOTS, STOCK, TEAMS, VEHICLES, STATIONS)
}
# Order that respects references (stock and vehicles name depots and teams).
LOAD_ORDER: tuple[str, ...] = (
    "enterprises", "hazards", "shelters", "depots", "stock", "teams", "vehicles", "stations",
)
