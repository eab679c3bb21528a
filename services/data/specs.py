"""Column definitions of the import files, one spec per entity, with their Chinese headers.

The importer, the downloadable templates and the sample-data generator all read these specs, so a
header is spelled in one place only.
"""
from __future__ import annotations

import re
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
        # Empty in both when the address (or the township or village) places the row: 待核实 (services/data/geocode.py)
        Column("经度", "lon", "lon", required=False, header_en="Longitude"),
        Column("纬度", "lat", "lat", required=False, header_en="Latitude"),
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
        # 风险感知: how often the station reports (minutes); empty keeps the stored value (60 for a new station).
        Column("上报间隔(分钟)", "interval_min", "int", required=False, minimum=1, maximum=1440,
               header_en="Reporting interval (min)"),
        *_location(),
    ),
    id_field="code",
)

# Headers as offices write them, one table per entity: field → other names of the column (the spec's header
# is always the first name). Compared after services/data/headers.py's normalisation (full-width → half-width,
# spaces and line breaks dropped), so "受威胁\n人数" and "经度（°）" need no entry of their own.
_LOCATION_NAMES: dict[str, tuple[str, ...]] = {
    "address": ("详细地址", "具体位置", "位置", "所在地址", "地理位置", "住址"),
    "township": ("乡镇", "乡镇(街道)", "所属乡镇", "所在乡镇", "镇街", "乡(镇、街道)", "乡镇街道名称", "乡镇代码"),
    "lon": ("东经", "X坐标", "经度坐标", "坐标X"),
    "lat": ("北纬", "Y坐标", "纬度坐标", "坐标Y"),
}
_PHONES = ("联系电话", "电话", "手机", "手机号", "手机号码", "联系方式", "电话号码")
HEADER_SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "enterprises": {
        "credit_code": ("信用代码", "社会信用代码", "统一代码"), "name": ("单位名称", "名称", "企业(单位)名称"),
        "sector": ("所属行业", "行业类别"), "category": ("企业类别", "行业小类"), "scale": ("企业规模",),
        "risk_level": ("风险级别", "安全风险等级"),
        "industrial_park": ("园区",), "contact_person": ("负责人", "安全负责人", "法定代表人"),
        "contact_phone": _PHONES, **_LOCATION_NAMES,
    },
    "hazards": {
        "code": ("编号", "统一编号", "灾害点编号", "隐患编号"), "name": ("隐患点名称", "灾害点名称", "隐患点"),
        "hazard_type": ("类型", "灾种", "灾害种类", "隐患类型"),
        "threatened_households": ("受威胁户数", "威胁户", "威胁住户"),
        "threatened_people": ("受威胁人数", "威胁人口", "受威胁人口", "威胁人员"),
        "threatened_property_10k_yuan": ("受威胁财产(万元)", "威胁财产", "潜在经济损失(万元)"),
        "stability": ("稳定性现状", "稳定状态"), "influence_radius_m": ("影响范围(米)", "影响半径"),
        "village": ("村", "村社区", "村(居)", "所在村", "村/社区", "村(社区)名称", "村居"),
        "contact_person": ("监测责任人", "监测员", "群测群防员", "责任人"),
        "contact_phone": ("监测人联系电话", "监测员电话", *_PHONES), **_LOCATION_NAMES,
    },
    "shelters": {
        "code": ("编号",), "name": ("场所名称", "避难场所名称"), "shelter_type": ("类型",),
        "shelter_class": ("级别",), "effective_area_m2": ("有效面积(m2)", "有效面积", "有效避难面积(平方米)"),
        "declared_capacity_people": ("容纳人数", "可容纳人数", "核定容量"), "occupancy_people": ("已安置",),
        "contact_person": ("联系人", "管理人"), "contact_phone": _PHONES, **_LOCATION_NAMES,
    },
    "depots": {
        "code": ("编号", "仓库编号"), "name": ("仓库名称", "储备库名称"), "capacity_m3": ("库容(m3)", "库容"),
        "contact_person": ("联系人", "管理人"), "contact_phone": _PHONES, **_LOCATION_NAMES,
    },
    "stock": {"depot_code": ("仓库编号",), "item_code": ("物资代码", "编码"), "quantity": ("库存数量", "数量"),
              "minimum_quantity": ("最低储备",), "expires_on": ("有效期", "保质期至", "到期日期")},
    "teams": {
        "code": ("编号",), "name": ("队伍名称",), "kind": ("类型", "队伍类别"), "members": ("队员人数", "人员数量"),
        "contact_person": ("队长", "联系人"), "contact_phone": _PHONES, **_LOCATION_NAMES,
    },
    "vehicles": {"plate": ("车牌", "车牌号码", "号牌号码"), "kind": ("类型",), "driver_phone": ("司机电话", *_PHONES),
                 "driver_name": ("司机", "驾驶人")},
    "stations": {"code": ("编号", "测站编码"), "name": ("站点名称", "测站名称"), "kind": ("类型", "站类"),
                 "interval_min": ("上报间隔", "采集间隔", "上报周期(分钟)", "采集间隔(分钟)"), **_LOCATION_NAMES},
    "danger_ledger": {
        "credit_code": ("信用代码", "社会信用代码", "统一代码", "企业信用代码"), "code": ("编号", "隐患序号编号"),
        "found_on": ("检查日期", "排查日期", "发现时间"), "found_by": ("检查人", "排查人", "发现人员"),
        "source": ("来源", "发现方式"), "self_check_cycle": ("排查周期",), "level": ("等级", "隐患级别"),
        "description": ("隐患内容", "存在问题", "隐患情况", "问题描述"), "place": ("部位", "隐患位置", "地点"),
        "responsible_person": ("责任人", "整改负责人"), "measures": ("整改要求", "整改措施及方案"),
        "funds_yuan": ("整改资金", "整改费用", "资金"), "deadline": ("整改时限", "整改期限日期", "限期"),
        "supervising_leader": ("挂牌督办领导", "督办人"), "status": ("状态", "整改情况", "是否整改"),
        "checked_by": ("复查人", "验收人员", "销号人"), "checked_on": ("复查日期", "验收时间", "销号日期"),
    },
    "inspection_ledger": {
        "credit_code": ("信用代码", "社会信用代码", "统一代码", "企业信用代码"),
        "inspected_on": ("日期", "检查时间"), "inspectors": ("检查人", "执法人员"),
        "department": ("检查单位", "执法部门"), "items": ("检查内容", "检查项目"), "note": ("说明",),
    },
}
# A row below the data with only one cell, starting with one of these, is a note of the sheet (填表人, 审核人),
# not a record: it is skipped, as the title rows above the header are.
NOTE_ROW_STARTS = ("填表人", "审核人", "制表人", "填报人", "负责人签字", "备注", "注:", "说明", "合计", "总计")
# Township and village names as written: the gazetteer's full name, or the name without its kind (石会 for 石会镇,
# 城西 for 城西街道), and village names with or without 村民委员会/居民委员会 and 村/社区 (关云村村民委员会,
# 关云村, 关云).
TOWNSHIP_SUFFIXES = ("街道办事处", "街道", "民族乡", "镇", "乡")
VILLAGE_SUFFIXES = (("村民委员会", "居民委员会", "村委会", "居委会"), ("社区", "村"))
# How an address may name a residents' committee besides 社区: 文汇居委, 文汇居委会 (officially 文汇社区居民委员会).
COMMUNITY, COMMUNITY_FORMS = "社区", ("居委会", "居委")

SPECS: dict[str, EntitySpec] = {
    s.key: s for s in (ENTERPRISES, HAZARDS, SHELTERS, DEPOTS, STOCK, TEAMS, VEHICLES, STATIONS)
}

# 安全监管 ledgers offices already keep (隐患台账, 检查记录): imported through the same reader, header matching,
# cell parsing, preview and all-or-nothing rule; written by services/supervision/ledgers.py, which keeps each
# danger's closed loop (an acceptance check by someone other than its finder) and the enterprises' open counts.
_ENTERPRISE_REF = Column("统一社会信用代码", "credit_code", "credit_code", header_en="Credit code")
DANGER_LEDGER = EntitySpec(
    "danger_ledger", "隐患台账", "Hidden-danger ledger",
    (
        _ENTERPRISE_REF,
        Column("隐患编号", "code", required=False, max_length=30, header_en="Danger number"),
        Column("发现日期", "found_on", "date", header_en="Found on"),
        Column("发现人", "found_by", max_length=100, header_en="Found by"),
        Column("隐患来源", "source", "choice", choices=vocabulary.DANGER_SOURCES, header_en="Source"),
        Column("自查周期", "self_check_cycle", "choice", required=False, choices=vocabulary.SELF_CHECK_CYCLES,
               header_en="Self-check cycle"),
        Column("隐患等级", "level", "choice", choices=vocabulary.DANGER_LEVELS, header_en="Level"),
        Column("隐患描述", "description", max_length=2000, header_en="Description"),
        Column("隐患部位", "place", required=False, max_length=200, header_en="Place"),
        Column("整改责任人", "responsible_person", required=False, max_length=50, header_en="Responsible person"),
        Column("整改措施", "measures", required=False, max_length=2000, header_en="Measures"),
        Column("整改资金(元)", "funds_yuan", "decimal", required=False, minimum=0, maximum=1e10, decimals=2,
               header_en="Funds (yuan)"),
        Column("整改期限", "deadline", "date", header_en="Deadline"),
        Column("督办领导", "supervising_leader", required=False, max_length=50, header_en="Supervising leader"),
        Column("整改状态", "status", "choice", choices=vocabulary.DANGER_STATUSES, header_en="Status"),
        Column("验收人", "checked_by", required=False, max_length=100, header_en="Checked by"),
        Column("验收日期", "checked_on", "date", required=False, header_en="Checked on"),
    ),
    id_field="code",
    has_location=False,
)
INSPECTION_LEDGER = EntitySpec(
    "inspection_ledger", "检查记录", "Inspection records",
    (
        _ENTERPRISE_REF,
        Column("检查日期", "inspected_on", "date", header_en="Inspected on"),
        Column("检查人员", "inspectors", max_length=200, header_en="Inspectors"),
        Column("检查部门", "department", required=False, max_length=100, header_en="Department"),
        Column("检查事项", "items", required=False, max_length=2000, header_en="Items checked"),
        Column("备注", "note", required=False, max_length=2000, header_en="Note"),
    ),
    id_field="",
    has_location=False,
)
ITEM_BREAKS = re.compile(r"[\n；;、]+")  # how a 检查事项 cell lists its items: one per line, or 、 and ；
LEDGERS: dict[str, EntitySpec] = {s.key: s for s in (DANGER_LEDGER, INSPECTION_LEDGER)}
IMPORTABLE: dict[str, EntitySpec] = {**SPECS, **LEDGERS}  # what 数据管理 and `app.py import` take
# Order that respects references (stock and vehicles name depots and teams).
LOAD_ORDER: tuple[str, ...] = (
    "enterprises", "hazards", "shelters", "depots", "stock", "teams", "vehicles", "stations",
)

# 风险感知 (issue 15): the columns of a readings sheet (``python app.py import-readings FILE``), each by its header and
# the ways people write it; 单位 is optional (a header such as 数值(mm) gives the column's unit). A kind is written
# as its Chinese label (the catalogue's term), its English code or label, or one of these words.
READING_HEADERS: dict[str, tuple[str, ...]] = {
    "station": ("站点编码", "站点代码", "测站编码", "测站编号", "站码", "站号", "站点编号", "station", "station_code"),
    "at": ("时间", "观测时间", "监测时间", "采集时间", "日期时间", "at", "time", "datetime"),
    "kind": ("类型", "读数类型", "监测类型", "监测要素", "要素", "kind", "type"),
    "value": ("数值", "读数", "监测值", "观测值", "值", "value"),
    "unit": ("单位", "unit"),
}
READING_KIND_WORDS: dict[str, str] = {
    "降雨量": "rainfall", "降雨": "rainfall", "降水量": "rainfall", "降水": "rainfall", "雨量": "rainfall",
    "水位": "water_level", "河道水位": "water_level", "库水位": "water_level",
    "位移": "displacement", "地表位移": "displacement", "累计位移": "displacement",
    "裂缝": "crack_width", "裂缝宽度": "crack_width", "裂缝宽": "crack_width",
    "风速": "wind_speed", "气温": "temperature", "温度": "temperature",
}
# How a time written with Chinese marks (2026年7月2日 8时30分) reads as digits and separators.
READING_TIME_MARKS: dict[str, str] = {"年": "-", "月": "-", "日": " ", "时": ":", "点": ":", "分": ":", "秒": ""}
# Units as sheets write them in Chinese → the symbols the readings ingest takes (vocabulary.READING_UNIT_SPELLINGS).
READING_UNIT_WORDS: dict[str, str] = {"毫米": "mm", "厘米": "cm", "米": "m", "米/秒": "m/s", "米每秒": "m/s",
                                      "公里/小时": "km/h", "千米/小时": "km/h", "节": "kn", "摄氏度": "°C", "度": "°C"}
