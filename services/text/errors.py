"""Reasons services give for refusing a request, by code (``FieldError.of(field, code, **params)``)."""
from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
    "shelter.full": ("{shelter} 只剩 {free} 个空位，不能安置 {people} 人", "{shelter} has {free} places left, not {people}"),
    "shelter.closed": ("{shelter} 已关闭", "{shelter} is closed"),
    "shelter.over_capacity": ("{people} 人加不可用位 {blocked} 超过容量 {capacity}",
                              "{people} people plus {blocked} blocked places exceed capacity {capacity}"),
    "shelter.not_found": ("没有编号为 {id} 的避难场所", "no shelter with id {id}"),
    "hazard.not_found": ("没有编号为 {id} 的隐患点", "no hazard point {id}"),
    "incident.not_found": ("没有编号为 {id} 的事件", "no incident {id}"),
    "team.not_found": ("没有编号为 {id} 的救援队伍", "no rescue team {id}"),
    "warning.not_found": ("没有编号为 {id} 的预警", "no warning #{id}"),
    "recipient.not_found": ("该预警没有这个接收人", "no such recipient of this warning"),
    "incident.closed": ("事件已结束，不能再派遣", "the incident is closed"),
    "team.busy": ("该队伍已有进行中的任务，不能重复派遣", "the team already has an active order"),
    "status.unknown": ("“{status}”不是可选的状态", "'{status}' is not a status"),
    "status.transition": ("不能从“{before}”转为“{status}”", "cannot go from {before} to {status}"),
    "changed_meanwhile": ("{what}已被他人更改，请刷新后重试", "the {what_en} changed meanwhile; refresh and retry"),
    "warning.acknowledged": ("{name} 已叫应", "{name} has acknowledged already"),
    "warning.inactive": ("预警 #{id} 已解除或已过期", "warning #{id} is lifted or expired"),
    "warning.lifted": ("预警 #{id} 已解除", "warning #{id} is lifted already"),
    "number.whole": ("{label}“{value}” 不是整数", "{label_en} '{value}' is not a whole number"),
    "number.negative": ("{label}不能为负数", "{label_en} must not be negative"),
    "number.at_least": ("{label}不能小于 {low}", "{label_en} must be at least {low}"),
    "number.at_most": ("{label}不能超过 {high}", "{label_en} must not exceed {high}"),
}
