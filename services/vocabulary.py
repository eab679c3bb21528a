"""Controlled vocabularies of the domain: sectors, risk levels, hazard types, shelter classes, statuses.

The Chinese terms are the values stored in the database and written in import files; they follow the
district's 2022 work plans, GB 21734-2008 / GB 51143-2015 for shelters and the national warning colours.
Each value's English label is in the catalogue (services/text/terms.py, ``term(value, lang)``); the code names
the values it compares with by the constants below, never by retyping the Chinese.
"""
from __future__ import annotations

# 行业 → 类别 (sector → category), from the work plan's list of supervised sectors.
ENTERPRISE_SECTORS: dict[str, tuple[str, ...]] = {
    "危险化学品": ("生产", "经营(带储存)", "经营(无储存)", "使用"),
    "成品油": ("加油站", "油库"),
    "燃气": ("燃气经营", "天然气餐饮", "液化气餐饮"),
    "非煤矿山": ("露天矿山", "地下矿山", "尾矿库"),
    "工贸": ("冶金", "有色", "建材", "机械", "轻工", "纺织", "烟草", "商贸"),
    "建筑施工": ("房屋建筑", "市政工程", "交通工程", "水利工程"),
    "人员密集场所": ("商场超市", "农贸市场", "餐饮住宿", "民宿", "会展场所", "高层建筑", "古镇古寨"),
    "再生资源": ("再生资源回收", "报废汽车回收拆解"),
}
ENTERPRISE_CATEGORIES: tuple[str, ...] = tuple(c for cs in ENTERPRISE_SECTORS.values() for c in cs)

# 风险等级: 重大 (red) / 较大 (orange) / 一般 (yellow) / 低 (blue).
RISK_LEVELS: tuple[str, ...] = ("重大", "较大", "一般", "低")
RISK_MAJOR, RISK_SIGNIFICANT, RISK_MODERATE, RISK_LOW = RISK_LEVELS
RISK_COLOURS: dict[str, str] = {"重大": "#d7191c", "较大": "#f28e2b", "一般": "#e8c547", "低": "#2c7bb6"}

# 规上 (industrial enterprises above designated size), 限上 (trade above the quota), 资质以上 (construction firms
# holding a qualification grade): the 一线责任制's 9/30 milestone covers these three.
ENTERPRISE_SCALES: tuple[str, ...] = ("规上", "限上", "资质以上", "其他")
SCALES_ABOVE_SIZE: tuple[str, ...] = ENTERPRISE_SCALES[:3]
# 一线责任制 "两单两卡" status.
DUTY_CARD_STATUSES: tuple[str, ...] = ("未启动", "建设中", "已完成")

# 安全监管 (issue 14): risk points (风险点) of an enterprise, graded by the risk matrix (LS) or LEC.
RISK_POINT_KINDS: tuple[str, ...] = ("场所", "设备设施", "作业活动")
RISK_METHODS: tuple[str, ...] = ("LS", "LEC")
RISK_METHOD_LS, RISK_METHOD_LEC = RISK_METHODS
CONTROL_TIERS: tuple[str, ...] = ("企业", "车间", "班组")  # the 三个层级 responsible for a risk point's control
# 隐患: level, how it was found, the self-check cycle, and the lifecycle 待整改 → 整改中 → 待验收 → 已销号.
DANGER_LEVELS: tuple[str, ...] = ("一般", "重大")
DANGER_ORDINARY, DANGER_MAJOR = DANGER_LEVELS
DANGER_SOURCES: tuple[str, ...] = ("企业自查", "部门检查", "群众举报", "专项整治")
SOURCE_SELF, SOURCE_INSPECTION, SOURCE_PUBLIC, SOURCE_CAMPAIGN = DANGER_SOURCES
SELF_CHECK_CYCLES: tuple[str, ...] = ("日", "周", "月")
DANGER_STATUSES: tuple[str, ...] = ("待整改", "整改中", "待验收", "已销号")
DANGER_PENDING, DANGER_RECTIFYING, DANGER_SUBMITTED, DANGER_CLOSED = DANGER_STATUSES
DANGER_OPEN_STATUSES: tuple[str, ...] = DANGER_STATUSES[:3]
# 行政处罚的种类 (《行政处罚法》 2021, art. 9), the ones a work-safety department decides.
PENALTY_TYPES: tuple[str, ...] = ("警告", "通报批评", "罚款", "没收违法所得", "暂扣许可证件", "降低资质等级",
                                  "吊销许可证件", "限制开展生产经营活动", "责令停产停业", "责令关闭", "限制从业")
PENALTY_FINE = PENALTY_TYPES[2]
# 一线责任制 "两单两卡": four cards, each 未编制 → 已编制 → 已培训 → 已应用.
DUTY_CARDS: tuple[str, ...] = ("岗位风险清单", "岗位职责清单", "岗位操作卡", "岗位应急处置卡")
CARD_STATUSES: tuple[str, ...] = ("未编制", "已编制", "已培训", "已应用")
# 有奖举报: a public report is verified true (it becomes a hidden danger), false, or a duplicate of one already
# known; a true one may earn a reward: 不适用 → 待发放 (amount proposed) → 已发放 (paid), or back to 不适用.
REPORT_STATUSES: tuple[str, ...] = ("待核实", "属实", "不属实", "重复")
REPORT_PENDING, REPORT_TRUE, REPORT_FALSE, REPORT_DUPLICATE = REPORT_STATUSES
REPORT_VERDICTS: tuple[str, ...] = REPORT_STATUSES[1:]
REWARD_STATUSES: tuple[str, ...] = ("不适用", "待发放", "已发放")
REWARD_NONE, REWARD_DUE, REWARD_PAID = REWARD_STATUSES

HAZARD_TYPES: tuple[str, ...] = ("滑坡", "崩塌", "泥石流", "地面塌陷", "洪涝", "易涝点", "病险水库", "森林火险")
HAZARD_STABILITY: tuple[str, ...] = ("稳定", "基本稳定", "不稳定")

# How well a record's point is known (issue 13, geocoding): given coordinates, a village's location or a township's
# seat found from the address. A row placed nowhere (未定位) is refused at import, never stored without a point.
LOCATION_EXACT, LOCATION_VILLAGE, LOCATION_TOWNSHIP, LOCATION_NONE = "坐标", "村级", "乡镇级", "未定位"
LOCATION_QUALITIES: tuple[str, ...] = (LOCATION_EXACT, LOCATION_VILLAGE, LOCATION_TOWNSHIP)
# 预警等级: none, then Ⅳ 蓝 / Ⅲ 黄 / Ⅱ 橙 / Ⅰ 红.
WARNING_LEVELS: tuple[str, ...] = ("无", "蓝", "黄", "橙", "红")
WARNING_NONE = WARNING_LEVELS[0]
WARNING_COLOUR_LEVELS: tuple[str, ...] = WARNING_LEVELS[1:]  # what a warning (预警) can be issued at
WARNING_BLUE, WARNING_YELLOW, WARNING_ORANGE, WARNING_RED = WARNING_COLOUR_LEVELS
WARNING_DEFAULT_HAZARD = "地质灾害"  # the hazard type of warnings issued from the duty view
# 接收人 roles the product assigns itself (people typed in name their own): the responsible person, a monitor,
# and the township staff whose township a warning reaches (their accounts are recipients, 叫应 in one tap).
RECIPIENT_ROLES: tuple[str, ...] = ("责任人", "监测员", "乡镇值守")
RECIPIENT_RESPONSIBLE, RECIPIENT_MONITOR, RECIPIENT_TOWNSHIP = RECIPIENT_ROLES
# 巡查 (patrol of a hazard point): what the patrol found. Only a patrol that found more than 正常 may raise the
# point's warning level.
PATROL_STATES: tuple[str, ...] = ("正常", "异常", "危险")
PATROL_NORMAL, PATROL_CHANGED, PATROL_DANGER = PATROL_STATES
WARNING_COLOURS: dict[str, str] = {
    "无": "#7f8c8d", "蓝": "#1f6fd1", "黄": "#e6c200", "橙": "#f07f12", "红": "#d7191c",
}

# GB 51143-2015 types; GB 21734-2008 classes (Ⅲ ≤ 10 days, Ⅱ 10–30 days, Ⅰ > 30 days).
SHELTER_TYPES: tuple[str, ...] = ("紧急", "固定(短期)", "固定(中期)", "固定(长期)", "中心")
SHELTER_CLASSES: tuple[str, ...] = ("Ⅰ", "Ⅱ", "Ⅲ")
SHELTER_STATUSES: tuple[str, ...] = ("开放", "关闭", "已满")
SHELTER_OPEN, SHELTER_CLOSED, SHELTER_FULL = SHELTER_STATUSES
SHELTER_SITES: tuple[str, ...] = ("学校", "广场", "体育场馆", "公园", "社区服务中心", "村委会", "其他")
# The relief "五有" guarantee: food, clothing, clean water, safe shelter, medical care.
FIVE_HAVES: tuple[str, ...] = ("food", "clothing", "water", "shelter", "medical")

DEPOT_LEVELS: tuple[str, ...] = ("区级", "乡镇级")
# 物资类别 of the supply catalogue, mapped to the 五有 they serve ("other" serves none).
SUPPLY_CLASSES: tuple[str, ...] = FIVE_HAVES + ("rescue", "other")

TEAM_KINDS: tuple[str, ...] = (
    "综合性消防救援", "森林消防", "地质灾害救援", "水域救援", "危化救援", "矿山救援", "医疗救护",
    "乡镇综合救援", "社会救援", "民兵应急",
)
TEAM_STATUSES: tuple[str, ...] = ("待命", "出动", "休整")
TEAM_STANDBY, TEAM_DEPLOYED, TEAM_RESTING = TEAM_STATUSES

VEHICLE_KINDS: tuple[str, ...] = ("货车", "皮卡", "客车", "救护车", "消防车", "越野车")
VEHICLE_TRUCK, VEHICLE_PICKUP = VEHICLE_KINDS[:2]
TRUCK_KINDS: tuple[str, ...] = (VEHICLE_TRUCK, VEHICLE_PICKUP)  # what carries supplies (services/supply/routes.py)
VEHICLE_STATUSES: tuple[str, ...] = ("可用", "出动", "维修")
VEHICLE_AVAILABLE = VEHICLE_STATUSES[0]

STATION_KINDS: tuple[str, ...] = ("水文", "雨量", "地质灾害", "地震", "气象", "森林防火")
STATION_STATUSES: tuple[str, ...] = ("正常", "离线")
STATION_NORMAL, STATION_OFFLINE = STATION_STATUSES
# 风险感知 (issue 15). What a station reads (English codes, as the API speaks them) and each kind's unit: rainfall is
# the amount over the reading's interval, the others are instantaneous values.
READING_KINDS: tuple[str, ...] = ("rainfall", "water_level", "displacement", "crack_width", "wind_speed", "temperature")
READING_RAINFALL, READING_WATER_LEVEL, READING_DISPLACEMENT, READING_CRACK_WIDTH = READING_KINDS[:4]
READING_UNITS: dict[str, str] = {"rainfall": "mm", "water_level": "m", "displacement": "mm", "crack_width": "mm",
                                 "wind_speed": "m/s", "temperature": "°C"}
# What each station kind measures (a reading of another kind from it is refused at ingest): a rain gauge rain; a
# hydrology station rain and the river's level; a geological-hazard station the ground's displacement and crack
# width at the point, and rain (most have a gauge); an earthquake station ground displacement (GNSS, in mm); a
# weather station rain, wind and temperature; a forest-fire post temperature, wind and rain (fire-danger weather).
STATION_READING_KINDS: dict[str, tuple[str, ...]] = {
    "雨量": ("rainfall",),
    "水文": ("rainfall", "water_level"),
    "地质灾害": ("displacement", "crack_width", "rainfall"),
    "地震": ("displacement",),
    "气象": ("rainfall", "wind_speed", "temperature"),
    "森林防火": ("temperature", "wind_speed", "rainfall"),
}
# The physical range of a reading in its kind's unit (inclusive): rainfall per interval (the world's hourly record
# is about 300 mm; a longer interval is rarer still at a station reporting at most daily), water level as a datum
# elevation (−500 m, the Dead Sea's shore, to 9000 m), displacement either way and crack width up to 10 m, wind to
# 120 m/s (above the strongest gust measured, 113 m/s), air temperature −60 to 60 °C (China: −52.3 to 50.5 °C).
READING_RANGES: dict[str, tuple[float, float]] = {
    "rainfall": (0.0, 300.0), "water_level": (-500.0, 9000.0), "displacement": (-10_000.0, 10_000.0),
    "crack_width": (0.0, 10_000.0), "wind_speed": (0.0, 120.0), "temperature": (-60.0, 60.0),
}
# Units a reading may be written in besides its kind's own (READING_UNITS). How they are spelled (compared
# NFKC and lower-cased: ℃ is °C) → the unit's symbol; then (symbol, the kind's unit) → (factor, offset) as exact fractions: value in the kind's unit = value ×
# factor + offset, computed on the decimal as written (0.7 cm is 7 mm, 36 km/h is 10 m/s, exactly).
# (Chinese words for these units, as sheets write them: services/data/specs.py READING_UNIT_WORDS.)
READING_UNIT_SPELLINGS: dict[str, str] = {
    "mm": "mm", "cm": "cm", "m": "m", "m/s": "m/s", "km/h": "km/h", "kn": "kn", "°c": "°C", "k": "K",
}
READING_UNIT_FACTORS: dict[tuple[str, str], tuple[str, str]] = {
    ("mm", "mm"): ("1", "0"), ("cm", "mm"): ("10", "0"), ("m", "mm"): ("1000", "0"),
    ("m", "m"): ("1", "0"), ("cm", "m"): ("1/100", "0"), ("mm", "m"): ("1/1000", "0"),
    ("m/s", "m/s"): ("1", "0"), ("km/h", "m/s"): ("5/18", "0"), ("kn", "m/s"): ("1852/3600", "0"),
    ("°C", "°C"): ("1", "0"), ("K", "°C"): ("1", "-273.15"),
}
# The critical values a rule compares with: 临界雨量 over 1 h / 3 h / 24 h, 警戒水位 and 保证水位, displacement rate
# (mm per 24 h), crack width (mm).
THRESHOLD_METRICS: tuple[str, ...] = ("rain_1h", "rain_3h", "rain_24h", "water_warning", "water_guarantee",
                                      "displacement_rate", "crack_width")
STATION_ASSIGNMENTS: tuple[str, ...] = ("explicit", "distance")
STATION_EXPLICIT, STATION_BY_DISTANCE = STATION_ASSIGNMENTS
# A warning proposal: 待确认 until the duty officer confirms (已确认) or rejects (已驳回) it; a red one left unanswered
# may confirm itself (自动确认, configuration); one superseded by a higher level or by readings back below the
# threshold is 已失效.
PROPOSAL_STATUSES: tuple[str, ...] = ("待确认", "已确认", "已驳回", "自动确认", "已失效")
PROPOSAL_OPEN, PROPOSAL_CONFIRMED, PROPOSAL_REJECTED, PROPOSAL_AUTO, PROPOSAL_LAPSED = PROPOSAL_STATUSES
# 熔断 (issue 15 point 4): the emergency controls 禁、停、撤、疏 a warning area's level calls for, by site.
# 禁 = ban entry: the hazard zones and the roads through them closed; 停 = stop work or business (construction,
# mines, scenic spots, hazardous sites); 撤 = move people out (the threatened people of hazard points);
# 疏 = disperse crowds (crowded places). The table of which applies at which level is configuration (config_controls.py).
CONTROL_ACTIONS: tuple[str, ...] = ("禁", "停", "撤", "疏")
CONTROL_BAN, CONTROL_STOP, CONTROL_EVACUATE, CONTROL_DISPERSE = CONTROL_ACTIONS
# What a control item names: an enterprise (or site) of the records, a hazard point (its people), or the roads
# through a hazard point's influence zone (a road closure when confirmed).
CONTROL_TARGETS: tuple[str, ...] = ("enterprises", "hazards", "roads")
# 乡镇街道 kinds, every kind the national gazetteer (data/gazetteer/) has: 街道 (urban subdistrict), 镇 (town),
# 乡 (rural township), 民族乡 (ethnic township), 苏木 and 民族苏木 (Inner Mongolia's townships), 乡级单位 (a unit
# ranked as a township: development zone, state farm, forest farm).
TOWNSHIP_KINDS: tuple[str, ...] = ("街道", "镇", "乡", "民族乡", "苏木", "民族苏木", "乡级单位")
# The county's kind (区县) as the gazetteer names it, and the one character its wording uses (本区, 全县, 市界).
REGION_KINDS: tuple[str, ...] = ("区", "县", "自治县", "市", "旗", "自治旗", "林区", "特区")
REGION_UNITS: tuple[str, ...] = ("区", "县", "市", "旗")

# 突发事件 categories (GB/T 35561-2017) with the kinds this product handles.
INCIDENT_TYPES: dict[str, tuple[str, ...]] = {
    "自然灾害": ("滑坡", "崩塌", "泥石流", "地面塌陷", "洪涝", "森林火灾", "地震", "气象灾害"),
    "事故灾难": ("危化品事故", "火灾", "道路交通事故", "矿山事故", "建筑施工事故", "燃气事故", "特种设备事故"),
    "公共卫生事件": ("传染病疫情", "食物中毒"),
    "社会安全事件": ("群体性事件", "其他社会安全事件"),
}
INCIDENT_KINDS: tuple[str, ...] = tuple(k for ks in INCIDENT_TYPES.values() for k in ks)
INCIDENT_LEVELS: tuple[str, ...] = ("Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ")
# Lifecycle 接报 → 核实 → 处置中 → 已结束 (a report can also be closed straight after checking).
INCIDENT_STATUSES: tuple[str, ...] = ("接报", "核实", "处置中", "已结束")
INCIDENT_REPORTED, INCIDENT_VERIFIED, INCIDENT_HANDLING, INCIDENT_CLOSED = INCIDENT_STATUSES
INCIDENT_TRANSITIONS: dict[str, tuple[str, ...]] = {"接报": ("核实", "已结束"), "核实": ("处置中", "已结束"),
                                                    "处置中": ("已结束",), "已结束": ()}
ORDER_STATUSES: tuple[str, ...] = ("已派", "出发", "到达", "完成", "取消")
ORDER_SENT, ORDER_DEPARTED, ORDER_ARRIVED, ORDER_DONE, ORDER_CANCELLED = ORDER_STATUSES
ORDER_TRANSITIONS: dict[str, tuple[str, ...]] = {"已派": ("出发", "取消"), "出发": ("到达", "取消"),
                                                 "到达": ("完成",), "完成": (), "取消": ()}
ACTIVE_ORDER_STATUSES: tuple[str, ...] = (ORDER_SENT, ORDER_DEPARTED, ORDER_ARRIVED)
ENDED_ORDER_STATUSES: tuple[str, ...] = (ORDER_DONE, ORDER_CANCELLED)

# Which rescue-team kinds suit which incident kinds (services/dispatch/recommendations.py); the general teams
# are the fallback for every kind.
TEAM_SPECIALTIES: dict[str, tuple[str, ...]] = {
    "滑坡": ("地质灾害救援",), "崩塌": ("地质灾害救援",), "泥石流": ("地质灾害救援",), "地面塌陷": ("地质灾害救援",),
    "洪涝": ("水域救援",), "森林火灾": ("森林消防",), "危化品事故": ("危化救援",), "矿山事故": ("矿山救援",),
    "火灾": ("综合性消防救援",), "燃气事故": ("综合性消防救援", "危化救援"), "道路交通事故": ("综合性消防救援", "医疗救护"),
}
GENERAL_TEAM_KINDS: tuple[str, ...] = ("综合性消防救援", "乡镇综合救援", "民兵应急", "社会救援")
# Enterprises a shelter must keep the safety distance from (flammable or explosive: GB 50413-2007), by sector
# and category (services/evacuation/shelters.py).
HAZARDOUS_NEIGHBOURS: dict[str, tuple[str, ...]] = {
    "危险化学品": ("生产", "经营(带储存)", "使用"),
    "成品油": ("加油站", "油库"),
    "燃气": ("燃气经营",),
}

# 火灾形势分析研判 (the quarterly fire-risk analysis, services/analysis/report.py): what its fire variant keeps —
# forest-fire hazard points, fire and gas incidents, oil, gas and crowded-place enterprises, fire teams.
FIRE_HAZARD_TYPES: tuple[str, ...] = ("森林火险",)
WATER_HAZARD_TYPES: tuple[str, ...] = HAZARD_TYPES[4:7]  # 洪涝, 易涝点, 病险水库: judged on water levels too
FIRE_INCIDENT_KINDS: tuple[str, ...] = ("火灾", "森林火灾", "燃气事故")
FIRE_ENTERPRISE_SECTORS: tuple[str, ...] = ("成品油", "燃气", "人员密集场所")
FIRE_WARNING_HAZARDS: tuple[str, ...] = FIRE_HAZARD_TYPES + FIRE_INCIDENT_KINDS  # a warning's hazard type
FIRE_TEAM_KINDS: tuple[str, ...] = ("综合性消防救援", "森林消防")

# Map symbols, declared once: the live map (dashboard/assets/qj_map.js reads them from each layer's hideout),
# the exported HTML map and the print layout all draw with these.
GLYPHS: dict[str, str] = {
    "危险化学品": "危", "成品油": "油", "燃气": "气", "非煤矿山": "矿", "工贸": "工", "建筑施工": "建",
    "人员密集场所": "人", "再生资源": "收",
    "滑坡": "滑", "崩塌": "崩", "泥石流": "泥", "地面塌陷": "塌", "洪涝": "洪", "易涝点": "涝", "病险水库": "库",
    "森林火险": "火",
}
# The glyph inside the square or round marker of the resource layers (避 shelter, 储 depot, 队 team).
LAYER_GLYPHS: dict[str, str] = {"shelters": "避", "depots": "储", "teams": "队"}
OCCUPANCY_COLOURS: dict[str, str] = {"open": "#2a9d8f", "nearly_full": "#f4a261", "full": "#d62828",
                                     "closed": "#8d99ae"}
TEAM_COLOURS: dict[str, str] = {TEAM_STANDBY: "#6a4c93", TEAM_DEPLOYED: "#d62828", TEAM_RESTING: "#8d99ae"}
DEPOT_COLOUR = "#5a189a"
STATION_COLOURS: dict[str, str] = {STATION_NORMAL: "#00798c", STATION_OFFLINE: "#8d99ae"}
ALERT_RING, HAZARD_EDGE, NO_DATA_COLOUR = "#d62828", "#3d2b1f", "#d9d9d9"
LAYER_COLOURS: dict[str, dict[str, str]] = {
    "enterprises": RISK_COLOURS, "hazards": WARNING_COLOURS, "shelters": OCCUPANCY_COLOURS, "teams": TEAM_COLOURS,
    "stations": STATION_COLOURS,
}

# Every controlled vocabulary by name: each value has an English label (tests/services/test_vocabulary.py).
VOCABULARIES: dict[str, tuple[str, ...]] = {
    "enterprise_sector": tuple(ENTERPRISE_SECTORS), "enterprise_category": ENTERPRISE_CATEGORIES,
    "risk_level": RISK_LEVELS, "enterprise_scale": ENTERPRISE_SCALES, "duty_card_status": DUTY_CARD_STATUSES,
    "hazard_type": HAZARD_TYPES, "hazard_stability": HAZARD_STABILITY, "warning_level": WARNING_LEVELS,
    "warning_hazard": (WARNING_DEFAULT_HAZARD,), "recipient_role": RECIPIENT_ROLES, "patrol_state": PATROL_STATES,
    "shelter_type": SHELTER_TYPES, "shelter_class": SHELTER_CLASSES, "shelter_status": SHELTER_STATUSES,
    "shelter_site": SHELTER_SITES, "five_haves": FIVE_HAVES, "depot_level": DEPOT_LEVELS,
    "supply_class": SUPPLY_CLASSES, "team_kind": TEAM_KINDS, "team_status": TEAM_STATUSES,
    "vehicle_kind": VEHICLE_KINDS, "vehicle_status": VEHICLE_STATUSES, "station_kind": STATION_KINDS,
    "station_status": STATION_STATUSES, "township_kind": TOWNSHIP_KINDS, "region_kind": REGION_KINDS,
    "proposal_status": PROPOSAL_STATUSES,
    "incident_category": tuple(INCIDENT_TYPES),
    "incident_kind": INCIDENT_KINDS, "incident_level": INCIDENT_LEVELS, "incident_status": INCIDENT_STATUSES,
    "order_status": ORDER_STATUSES, "location_quality": LOCATION_QUALITIES + (LOCATION_NONE,),
    "risk_point_kind": RISK_POINT_KINDS, "control_tier": CONTROL_TIERS, "danger_level": DANGER_LEVELS,
    "danger_source": DANGER_SOURCES, "self_check_cycle": SELF_CHECK_CYCLES, "danger_status": DANGER_STATUSES,
    "penalty_type": PENALTY_TYPES, "duty_card": DUTY_CARDS, "card_status": CARD_STATUSES,
    "report_status": REPORT_STATUSES, "reward_status": REWARD_STATUSES, "control_action": CONTROL_ACTIONS,
}
