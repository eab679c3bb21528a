"""Texts of the station and hazard charts (风险感知, issue 15 point 5): legend names, axis titles, the window's
choice and its messages (services/monitoring/charts.py, dashboard/components/monitoring_chart.py)."""
from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
    "chart.hours": ("时段须为 {allowed} 小时之一", "the window must be one of {allowed} hours"),
    "chart.title": ("监测读数与阈值", "Readings and thresholds"),
    "chart.hours_choice": ("{hours} 小时", "{hours} h"),
    "chart.none": ("近 {hours} 小时无读数", "no readings in the last {hours} h"),
    "chart.time": ("时间（{zone}）", "Time ({zone})"),
    "chart.axis": ("{kind}（{unit}）", "{kind} ({unit})"),
    "chart.line.reading": ("{kind}", "{kind}"),
    "chart.line.sum_1h": ("1小时累计雨量", "1 h rainfall"),
    "chart.line.sum_3h": ("3小时累计雨量", "3 h rainfall"),
    "chart.line.sum_24h": ("24小时累计雨量", "24 h rainfall"),
    "chart.line.rate_24h": ("位移速率（mm/24h）", "displacement rate (mm/24 h)"),
    "chart.of_station": ("{station} {name}", "{station} {name}"),  # a hazard point's chart names the station
    "chart.interval_axis": ("时段雨量（mm）", "rain per interval (mm)"),
    "chart.threshold_own": ("{metric} {value} {unit}", "{metric} {value} {unit}"),
    "chart.threshold_of": ("{metric} {value} {unit}（{station}）", "{metric} {value} {unit} ({station})"),
    "chart.failed": ("无法绘制读数图：{reason}", "the readings chart cannot be drawn: {reason}"),
}
