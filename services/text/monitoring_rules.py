"""Texts of 风险感知's thresholds, station assignments and rule (issue 15 point 2): the services' messages and the
labels of the threshold metrics and assignment kinds."""
from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
    "monitoring.hazard_not_found": ("没有编号为“{owner}”的隐患点", "no hazard point has the code '{owner}'"),
    "monitoring.station_not_found": ("没有编号为“{owner}”的监测站点", "no monitoring station has the code '{owner}'"),
    "monitoring.station_kind_unused": ("站点“{owner}”为{kind}站，其读数不参与预警规则（须为雨量、气象、水文或地质灾害站）",
                                       "station '{owner}' ({kind_en}) reads nothing a rule uses (rain gauge, "
                                       "weather, hydrology or geological hazard stations only)"),
    "monitoring.thresholds_empty": ("请至少提供一条阈值", "give at least one threshold"),
    "monitoring.one_owner": ("每条阈值须且只能指定一个隐患点编号（hazard）或站点编码（station）",
                             "each threshold names exactly one hazard point (hazard) or station (station)"),
    "monitoring.metric_unknown": ("没有指标“{metric}”，可选：{allowed}", "no metric '{metric}'; one of: {allowed}"),
    "monitoring.threshold_range": ("指标 {metric} 的阈值须大于 0 且不超过 {high} {unit}（收到 {value}）",
                                   "a {metric} threshold must be above 0 and at most {high} {unit} (got {value})"),
    "monitoring.threshold_twice": ("指标 {metric} 对同一对象重复出现（首次在第 {first} 条）",
                                   "metric {metric} is given twice for the same owner (first as item {first})"),
    "monitoring.metric_not_of_station": ("站点“{owner}”为{kind}站，不测量指标 {metric} 所需的数据",
                                         "station '{owner}' ({kind_en}) does not read what {metric} needs"),
    "monitoring.guarantee_below_warning": ("“{owner}”的保证水位 {guarantee} 米低于警戒水位 {warning} 米",
                                           "the guarantee water level of '{owner}' ({guarantee} m) is below its "
                                           "warning level ({warning} m)"),
    "monitoring.threshold_not_found": ("“{owner}”没有指标 {metric} 的阈值", "'{owner}' has no {metric} threshold"),
    "monitoring.hazard_and_station": ("请只指定隐患点（hazard）或站点（station）之一",
                                      "name a hazard point (hazard) or a station (station), not both"),
    # python app.py import-thresholds FILE: the columns (names a header may have, separated by |) and cell problems
    "import.threshold_column.hazard": ("隐患点编号|隐患编号|灾害点编号", "hazard|hazard code"),
    "import.threshold_column.station": ("站点编码|站点编号|测站编码", "station|station code"),
    "import.threshold_column.metric": ("指标|预警指标", "metric"),
    "import.threshold_column.value": ("阈值|临界值", "value|threshold"),
    "import.threshold_columns": ("缺少列：{columns}", "missing columns: {columns}"),
    "import.threshold_metric": ("无法识别的指标“{value}”（可用 rain_1h、rain_3h、rain_24h、water_warning、"
                                "water_guarantee、displacement_rate、crack_width 或其中文名称）",
                                "unknown metric '{value}' (rain_1h, rain_3h, rain_24h, water_warning, "
                                "water_guarantee, displacement_rate, crack_width or their labels)"),
    "import.threshold_value": ("阈值“{value}”不是数字", "threshold '{value}' is not a number"),
    "cli.thresholds_imported": ("导入阈值 {rows} 条：{metrics}", "imported {rows} thresholds: {metrics}"),
    # labels of the stored codes (term())
    "term.rain_1h": ("1小时临界雨量", "Critical 1 h rainfall"),
    "term.rain_3h": ("3小时临界雨量", "Critical 3 h rainfall"),
    "term.rain_24h": ("24小时临界雨量", "Critical 24 h rainfall"),
    "term.water_warning": ("警戒水位", "Warning water level"),
    "term.water_guarantee": ("保证水位", "Guarantee water level"),
    "term.displacement_rate": ("位移速率", "Displacement rate"),
    "term.explicit": ("人工指定", "Assigned"),
    "term.distance": ("就近", "Nearest"),
}
