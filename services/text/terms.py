"""Labels of the controlled vocabularies (services/vocabulary.py): each stored value, in Chinese and English.

Keys are ``term.<value>``; ``services.text.term(value, lang)`` looks them up. A value means the same wherever it
is used (滑坡 is a landslide as a hazard type and as an incident kind), so one entry serves every vocabulary.
Roman numerals (incident levels Ⅰ–Ⅳ, shelter classes Ⅰ–Ⅲ) are glossed bare: the text around them says
"level" or "class".
"""
from __future__ import annotations

_ENGLISH: dict[str, str] = {
    # enterprise sectors and categories
    "危险化学品": "Hazardous chemicals", "成品油": "Refined oil", "燃气": "Gas", "非煤矿山": "Non-coal mines",
    "工贸": "Industry and trade", "建筑施工": "Construction", "人员密集场所": "Crowded places", "再生资源": "Recycling",
    "生产": "Production", "经营(带储存)": "Trade (with storage)", "经营(无储存)": "Trade (no storage)", "使用": "Use",
    "加油站": "Filling station", "油库": "Oil depot", "燃气经营": "Gas supply", "天然气餐饮": "Restaurant (natural gas)",
    "液化气餐饮": "Restaurant (LPG)", "露天矿山": "Open-pit mine", "地下矿山": "Underground mine",
    "尾矿库": "Tailings pond", "冶金": "Metallurgy", "有色": "Non-ferrous metals", "建材": "Building materials",
    "机械": "Machinery", "轻工": "Light industry", "纺织": "Textiles", "烟草": "Tobacco", "商贸": "Commerce",
    "房屋建筑": "Building works", "市政工程": "Municipal works", "交通工程": "Transport works",
    "水利工程": "Water works", "商场超市": "Shopping centre or supermarket", "农贸市场": "Farmers' market",
    "餐饮住宿": "Catering and lodging", "民宿": "Guesthouse", "会展场所": "Exhibition venue",
    "高层建筑": "High-rise building", "古镇古寨": "Historic town or village", "再生资源回收": "Recycling collection",
    "报废汽车回收拆解": "Scrap-vehicle dismantling",
    # risk levels, scales, duty cards
    "重大": "Major", "较大": "Significant", "一般": "Moderate", "低": "Low",
    "规上": "Above designated size", "限上": "Above quota (trade)", "其他": "Other",
    "未启动": "Not started", "建设中": "In progress", "已完成": "Completed",
    # hazards and warnings
    "滑坡": "Landslide", "崩塌": "Rockfall", "泥石流": "Debris flow", "地面塌陷": "Ground subsidence", "洪涝": "Flood",
    "易涝点": "Waterlogging point", "病险水库": "Unsafe reservoir", "森林火险": "Forest fire risk",
    "稳定": "Stable", "基本稳定": "Mostly stable", "不稳定": "Unstable",
    "坐标": "Coordinates", "村级": "Village", "未定位": "Not placed",  # 乡镇级 (Township) is a depot level too
    "无": "None", "蓝": "Blue", "黄": "Yellow", "橙": "Orange", "红": "Red",
    "禁": "Ban entry", "停": "Stop work", "撤": "Move out", "疏": "Disperse",  # 熔断 controls 禁停撤疏
    "地质灾害": "Geological hazard", "责任人": "Responsible person", "监测员": "Monitor",
    "乡镇值守": "Township staff", "异常": "Signs of change", "危险": "Danger",
    # shelters, depots, supplies
    "紧急": "Emergency", "固定(短期)": "Fixed (short stay)", "固定(中期)": "Fixed (medium stay)",
    "固定(长期)": "Fixed (long stay)", "中心": "Central", "Ⅰ": "I", "Ⅱ": "II", "Ⅲ": "III", "Ⅳ": "IV",
    "开放": "Open", "关闭": "Closed", "已满": "Full",
    "学校": "School", "广场": "Square", "体育场馆": "Sports venue", "公园": "Park", "社区服务中心": "Community centre",
    "村委会": "Village committee", "区级": "District", "乡镇级": "Township",
    # teams, vehicles, stations, townships
    "综合性消防救援": "Fire and rescue", "森林消防": "Forest firefighting", "地质灾害救援": "Geological-hazard rescue",
    "水域救援": "Water rescue", "危化救援": "Hazmat rescue", "矿山救援": "Mine rescue", "医疗救护": "Medical rescue",
    "乡镇综合救援": "Township rescue", "社会救援": "Volunteer rescue", "民兵应急": "Militia",
    "待命": "Standby", "出动": "Deployed", "休整": "Resting",
    "货车": "Truck", "皮卡": "Pickup", "客车": "Bus", "救护车": "Ambulance", "消防车": "Fire engine",
    "越野车": "Off-road vehicle", "可用": "Available", "维修": "Under repair",
    "水文": "Hydrology", "雨量": "Rainfall", "地震": "Earthquake", "气象": "Weather", "森林防火": "Forest fire",
    "正常": "Normal", "离线": "Offline", "待确认": "Awaiting decision", "已确认": "Confirmed", "已驳回": "Rejected",
    "自动确认": "Confirmed automatically", "已失效": "Lapsed", "街道": "Subdistrict", "镇": "Town", "乡": "Township",
    "民族乡": "Ethnic township", "苏木": "Sumu", "民族苏木": "Ethnic sumu", "乡级单位": "Township-level unit",
    "区": "District", "县": "County", "自治县": "Autonomous county", "市": "City", "旗": "Banner",
    "自治旗": "Autonomous banner", "林区": "Forestry district", "特区": "Special district",
    # incidents and orders
    "自然灾害": "Natural disaster", "事故灾难": "Accident", "公共卫生事件": "Public-health event",
    "社会安全事件": "Public-security event", "森林火灾": "Forest fire", "气象灾害": "Weather disaster",
    "危化品事故": "Hazardous-chemicals accident", "火灾": "Fire", "道路交通事故": "Road traffic accident",
    "矿山事故": "Mine accident", "建筑施工事故": "Construction accident", "燃气事故": "Gas accident",
    "特种设备事故": "Special-equipment accident", "传染病疫情": "Epidemic", "食物中毒": "Food poisoning",
    "群体性事件": "Mass incident", "其他社会安全事件": "Other public-security event",
    "接报": "Reported", "核实": "Verified", "处置中": "Being handled", "已结束": "Closed",
    "已派": "Assigned", "出发": "On the way", "到达": "Arrived", "完成": "Done", "取消": "Cancelled",
    # work-safety supervision (安全监管)
    "资质以上": "Qualified contractor", "场所": "Site", "设备设施": "Equipment", "作业活动": "Work activity",
    "LS": "Risk matrix (L × S)", "LEC": "LEC (L × E × C)", "企业": "Enterprise", "车间": "Workshop", "班组": "Team",
    "企业自查": "Enterprise self-check", "部门检查": "Department inspection", "群众举报": "Public report",
    "专项整治": "Special campaign", "日": "Daily", "周": "Weekly", "月": "Monthly",
    "待整改": "To be rectified", "整改中": "Being rectified", "待验收": "Awaiting acceptance", "已销号": "Closed off",
    "警告": "Warning", "通报批评": "Public criticism", "罚款": "Fine", "没收违法所得": "Confiscation of illegal gains",
    "暂扣许可证件": "Licence suspended", "降低资质等级": "Qualification downgraded", "吊销许可证件": "Licence revoked",
    "限制开展生产经营活动": "Business activities restricted", "责令停产停业": "Ordered to suspend operations",
    "责令关闭": "Ordered to close", "限制从业": "Barred from the trade",
    "岗位风险清单": "Post risk list", "岗位职责清单": "Post duty list", "岗位操作卡": "Post operating card",
    "岗位应急处置卡": "Post emergency card", "未编制": "Not drafted", "已编制": "Drafted", "已培训": "Trained",
    "已应用": "In use", "待核实": "To be verified", "属实": "Confirmed", "不属实": "Unfounded",
    "重复": "Duplicate", "不适用": "Not applicable", "待发放": "Reward due", "已发放": "Reward paid",
}
# Vocabularies whose stored values are English codes: their Chinese labels.
_CHINESE: dict[str, str] = {
    "food": "食品", "clothing": "衣被", "water": "饮用水", "shelter": "住所", "medical": "医疗", "rescue": "救援装备",
    "other": "其他",
}

# 风险感知 (issue 15): the reading kinds, stored as English codes (vocabulary.READING_KINDS).
_READING_KINDS: dict[str, tuple[str, str]] = {
    "rainfall": ("雨量", "Rainfall"), "water_level": ("水位", "Water level"), "displacement": ("位移", "Displacement"),
    "crack_width": ("裂缝宽度", "Crack width"), "wind_speed": ("风速", "Wind speed"), "temperature": ("气温", "Temperature"),
}

TEXT: dict[str, tuple[str, str]] = {
    **_READING_KINDS,
    **{value: (value, english) for value, english in _ENGLISH.items()},
    **{code: (chinese, code.capitalize()) for code, chinese in _CHINESE.items()},
}
