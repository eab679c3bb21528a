"""Texts of 风险感知 (issue 15): why a batch of station readings was refused, and the readings import's messages."""
from __future__ import annotations

# ``where`` names the reading: readings[3] in a batch of the API (0-based), 第 12 行 / row 12 of an imported sheet.
_AT = "{where}（站点 {station}，时间 {at}）"
_AT_EN = "{where_en} (station {station}, at {at})"

TEXT: dict[str, tuple[str, str]] = {
    # the batch
    "readings.not_list": ("readings 应为读数列表", "readings must be a list of readings"),
    "readings.empty": ("没有读数：readings 为空", "no readings: the list is empty"),
    "readings.too_many": ("一批最多 {max} 条读数，本批 {count} 条：请分批提交",
                          "a batch holds at most {max} readings, this one {count}: send it in parts"),
    "readings.drill": ("演练编号应为不小于 0 的整数（0 为实时数据）",
                       "the drill number must be a whole number from 0 (0: live data)"),
    "readings.not_object": ("{where}应为对象（station、at、kind、value）",
                            "{where_en} must be an object (station, at, kind, value)"),
    "readings.missing": ("{where}缺少 {field}", "{where_en} has no {field}"),
    "readings.extra": ("{where}含未知字段 {field}（可用：station、at、kind、value、unit）",
                       "{where_en} has an unknown field {field} (known: station, at, kind, value, unit)"),
    "readings.body_extra": ("请求体含未知字段 {field}（可用：readings、drill_id）",
                            "the body has an unknown field {field} (known: readings, drill_id)"),
    "readings.body_too_large": ("请求体超过 {max_mb} MB：一批最多 {max} 条读数，请分批提交",
                                "the body exceeds {max_mb} MB: a batch holds at most {max} readings, send it in parts"),
    # one reading
    "readings.station_text": ("{where}的站点编码应为 1–40 个字符的文本",
                              "{where_en}: the station code must be text of 1–40 characters"),
    "readings.unknown_station": (_AT + "：没有编码为 {station} 的监测站点",
                                 _AT_EN + ": no monitoring station has the code {station}"),
    "readings.unknown_kind": (_AT + "：没有读数类型 {kind}（可用：{kinds}）",
                              _AT_EN + ": there is no reading kind {kind} (known: {kinds})"),
    "readings.kind_of_station": (_AT + "：{station_kind}站不测{kind_name}（可测：{measured}）",
                                 _AT_EN + ": a {station_kind_en} station does not measure {kind_name_en} (it measures: "
                                          "{measured_en})"),
    "readings.at_text": ("{where}（站点 {station}）的时间 {at} 不是 ISO 8601 时间（如 2026-07-02T08:00+08:00）",
                         "{where_en} (station {station}): the time {at} is not an ISO 8601 time "
                         "(such as 2026-07-02T08:00+08:00)"),
    "readings.at_naive": (_AT + "：时间须带时区（如 +08:00 或 Z），不带时区的时间无法确定",
                          _AT_EN + ": the time needs its zone (such as +08:00 or Z): without one it is ambiguous"),
    "readings.at_future": (_AT + "：时间晚于当前时间 {minutes} 分钟以上", _AT_EN + ": more than {minutes} min in the future"),
    "readings.at_range": (_AT + "：时间应在 2000 年至 2100 年之间", _AT_EN + ": the time must be between 2000 and 2100"),
    "readings.value_number": (_AT + "：数值 {value} 不是有限的数", _AT_EN + ": the value {value} is not a finite number"),
    "readings.value_range": (_AT + "：{kind_name} {value} {unit} 超出可能范围 {minimum}–{maximum} {unit}",
                             _AT_EN + ": {kind_name_en} {value} {unit} is outside the possible range {minimum}–{maximum} {unit}"),
    "readings.unit": (_AT + "：单位 {unit} 不适用于{kind_name}（应为 {expected} 或可换算的单位：{convertible}）",
                      _AT_EN + ": the unit {unit} does not fit {kind_name_en} (it is {expected}, or one convertible: "
                               "{convertible})"),
    "readings.twice": (_AT + "：与 {first} 同一站点、类型和时间，但数值不同（{first_value} 与 {value}）",
                       _AT_EN + ": the same station, kind and time as {first_en} with another value "
                                "({first_value} and {value})"),
    "readings.stored_differs": (_AT + "：该站点此时间的{kind_name}已记录为 {stored}，与本次的 {value} 不同",
                                _AT_EN + ": the {kind_name_en} of this station at this time is stored as {stored}, not {value}"),
    "readings.where": ("readings[{index}]", "readings[{index}]"),
    "readings.row": ("第 {row} 行", "row {row}"),
    # reads and the map's details of a station
    "label.interval_min": ("上报间隔（分钟）", "Reports every (min)"),
    "label.last_reading_at": ("最新读数时间", "Latest reading"),
    "readings.station_not_found": ("没有编码为 {station} 的监测站点", "no monitoring station has the code {station}"),
    "readings.kind_required": ("请指定读数类型 kind（可用：{kinds}）", "name the reading kind (known: {kinds})"),
    "readings.span": ("起止时间应满足 from < to，且相隔不超过 {days} 天",
                      "from must be before to, at most {days} days apart"),
    # the import (python app.py import-readings)
    "readings.import.no_header": ("找不到表头：应有“站点编码”“时间”“类型”“数值”列（“单位”可选）",
                                  "no header found: the columns are 站点编码 (station), 时间 (time), 类型 (kind), "
                                  "数值 (value), and optionally 单位 (unit)"),
    "readings.import.missing_column": ("缺少“{column}”列", "the column {column} is missing"),
    "readings.import.required": ("此项不能为空", "this cell must not be empty"),
    "readings.import.time": ("“{value}”不是时间（如 2026-07-02 08:00 或 2026-07-02T08:00+08:00）",
                             "'{value}' is not a time (such as 2026-07-02 08:00 or 2026-07-02T08:00+08:00)"),
    "readings.import.kind": ("“{value}”不是读数类型（可用：{kinds}）", "'{value}' is not a reading kind (known: {kinds})"),
    "readings.import.number": ("“{value}”不是数", "'{value}' is not a number"),
    "readings.import.rejected": ("文件未导入（{total} 处错误，未写入任何数据）：",
                                 "not imported ({total} errors, nothing was written):"),
    "readings.import.done": ("导入读数 {rows} 条：新存 {stored} 条，重复 {duplicates} 条，涉及站点 {stations} 个",
                             "{rows} readings imported: {stored} stored, {duplicates} duplicates, {stations} stations"),
    "drill.started": ("演练“{name}”：已复制实况数据库（{database}），回放 {batches} 批读数，{speed} 倍速，约 {minutes} 分钟",
                      "Drill {name}: the live database copied ({database}); replaying {batches} batches of readings "
                      "at {speed} × real time, about {minutes} minutes"),
    "drill.serving": ("演练服务：{url}", "Drill served at {url}"),
    "cli.no_such_file": ("找不到文件“{path}”", "no such file: {path}"),
    "cli.cannot_read": ("无法读取文件“{path}”：{reason}", "cannot read {path}: {reason}"),
    "drill.replayed": ("演练回放结束：{batches} 批，读数 {readings} 条，未能写入的批次 {errors} 个",
                       "Drill replay finished: {batches} batches, {readings} readings, {errors} batches refused"),
    "readings.import.proposals": ("按阈值评估隐患点 {evaluated} 个：新预警建议 {made} 条，升级 {raised} 条，请值班员确认",
                                  "{evaluated} hazard points evaluated against their thresholds: {made} new warning "
                                  "proposals, {raised} raised, for the duty officer to confirm"),
}
