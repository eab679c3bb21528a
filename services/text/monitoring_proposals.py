"""Texts of 风险感知's warning proposals (预警建议): the reasons services/monitoring/proposals.py gives, the warning
headline it writes, the duty view's 预警建议 panel and the map's details of a point with an open proposal."""
from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
    # reasons (FieldError codes)
    "proposal.not_found": ("没有编号为 {id} 的预警建议", "no warning proposal {id}"),
    "proposal.hazard_unknown": ("没有编号为 {id} 的隐患点（字段 hazard_point_id）",
                                "no hazard point {id} (field hazard_point_id)"),
    "proposal.level_invalid": ("建议等级“{level}”无效，应为 蓝/黄/橙/红（字段 level）",
                               "level {level} is not one of 蓝, 黄, 橙, 红 (field level)"),
    "proposal.decided": ("预警建议 {id} 已处理（{status}，{by}）", "warning proposal {id} was decided already ({status}, {by})"),
    "proposal.changed": ("预警建议 {id} 已被新读数提升为{level}，请按新等级重新确认",
                         "warning proposal {id} was raised to {level} by newer readings meanwhile: decide again"),
    "proposal.reason_required": ("驳回须填写理由（字段 reason）", "a rejection needs a reason (field reason)"),
    "proposal.reason_long": ("理由不能超过 {limit} 个字（字段 reason）", "the reason must not exceed {limit} characters "
                                                                "(field reason)"),
    "proposal.status_invalid": ("状态“{status}”无效，应为 {allowed} 之一（参数 status）",
                                "status {status} is not one of {allowed} (parameter status)"),
    # what a confirmation writes (zh stored, like a warning's area description)
    "proposal.headline": ("{hazard}：{metric} {observed}（临界值 {threshold}），发布{level}色预警",
                          "{hazard}: {metric} {observed} against a critical value of {threshold}, {level} warning"),
    "proposal.plan_name": ("{hazard}{level}色预警转移方案", "{hazard} {level} warning: transfer plan"),
    # the metrics, with their units
    "proposal.metric.rain_1h": ("1小时雨量(mm)", "1 h rainfall (mm)"),
    "proposal.metric.rain_3h": ("3小时雨量(mm)", "3 h rainfall (mm)"),
    "proposal.metric.rain_24h": ("24小时雨量(mm)", "24 h rainfall (mm)"),
    "proposal.metric.water_warning": ("水位(m，警戒)", "water level (m, warning)"),
    "proposal.metric.water_guarantee": ("水位(m，保证)", "water level (m, guarantee)"),
    "proposal.metric.displacement_rate": ("位移速率(mm/24h)", "displacement rate (mm/24 h)"),
    "proposal.metric.crack_width": ("裂缝宽度(mm)", "crack width (mm)"),
    # the duty view's panel and the map's details
    "proposal.panel": ("预警建议", "Warning proposals"),
    "proposal.none": ("暂无待确认的预警建议", "No warning proposal waiting"),
    "proposal.summary": ("待确认 {n} 条：{levels}", "{n} waiting: {levels}"),
    "proposal.count_level": ("{level} {n}", "{level} {n}"),
    "proposal.more": ("另有 {n} 条未在此列出（等级较低或较晚），上面的建议处理后依次显示；其隐患点在一张图上闪烁",
                      "{n} more (lower or later) are not listed yet: they follow as the ones above are decided; "
                      "their points pulse on the map"),
    "proposal.proposed": ("建议{level}色预警", "proposed: {level}"),
    "proposal.where": ("{township} · 受威胁 {people} 人 · 现等级 {current}",
                       "{township} · {people} people threatened · now {current}"),
    "proposal.decisive": ("{metric} {observed} / 临界 {threshold}（{ratio} 倍）· {station} · {time}",
                          "{metric} {observed} / critical {threshold} ({ratio} ×) · {station} · {time}"),
    # A water level is judged on its stage (services/monitoring/rules.py): how far above or below the level it is.
    "proposal.decisive_water": ("{metric} {observed} / {threshold}（{diff} 米）· {station} · {time}",
                                "{metric} {observed} / {threshold} ({diff} m) · {station} · {time}"),
    "proposal.incomplete": ("（时段内有缺测）", " (readings missing in the window)"),
    "proposal.confirm": ("确认并发布预警", "Confirm: issue the warning"),
    "proposal.reject": ("驳回", "Reject"),
    "proposal.reason_hint": ("驳回理由（必填）", "Reason for rejecting (required)"),
    "proposal.confirmed": ("已确认预警建议 {id}：预警 #{warning} 已发布，{recipients} 人待叫应",
                           "proposal {id} confirmed: warning #{warning} issued, {recipients} recipients to acknowledge"),
    "proposal.planned": ("；已预置转移方案 #{plan}（{assigned}/{people} 人有安置点）",
                         "; transfer plan #{plan} pre-filled ({assigned} of {people} people housed)"),
    "proposal.rejected": ("已驳回预警建议 {id}", "proposal {id} rejected"),
    "proposal.commander_only": ("红色预警须由指挥长确认", "a red warning is the commander's to confirm"),
    "proposal.map_title": ("预警建议（待确认）", "Warning proposal (waiting)"),
    "proposal.since": ("提出于 {time}", "proposed at {time}"),
    # the audit view's sentences (dashboard/components/audit_view.py)
    "audit.warning_proposal.propose": ("{who} 于 {time} 提出预警建议 #{ref}：{hazard} {level}色",
                                       "{who} proposed {level_en} for {hazard} at {time} (proposal #{ref})"),
    "audit.warning_proposal.raise": ("{who} 于 {time} 将预警建议 #{ref}（{hazard}）提升为{level}色",
                                     "{who} raised proposal #{ref} ({hazard}) to {level_en} at {time}"),
    "audit.warning_proposal.lapse": ("{who} 于 {time} 撤销预警建议 #{ref}（{hazard}，读数已回落）",
                                     "{who} let proposal #{ref} ({hazard}) lapse at {time}: readings back down"),
    "audit.warning_proposal.confirm": ("{who} 于 {time} 确认预警建议 #{ref}（{hazard} {level}色），发布预警 #{warning_id}",
                                       "{who} confirmed proposal #{ref} ({hazard}, {level_en}) at {time}: warning "
                                       "#{warning_id}"),
    "audit.warning_proposal.auto_confirm": ("{who} 于 {time} 自动确认红色预警建议 #{ref}（{hazard}），发布预警 #{warning_id}",
                                            "{who} auto-confirmed red proposal #{ref} ({hazard}) at {time}: warning "
                                            "#{warning_id}"),
    "audit.warning_proposal.reject": ("{who} 于 {time} 驳回预警建议 #{ref}（{hazard}）：{reason}",
                                      "{who} rejected proposal #{ref} ({hazard}) at {time}: {reason}"),
}
