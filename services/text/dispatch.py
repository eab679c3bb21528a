"""Texts of incidents, dispatch, warnings and CAP: timeline events (stored as code + params) and the reasons
these services give for refusing a request.

A placeholder ``x_en`` in an English text that the caller does not pass is the English label of the vocabulary
value ``x`` (``services.text.term``): ``{status_en}`` shows 出发 as "On the way".
"""
from __future__ import annotations

# Timeline events (incident_event.code, .params): what happened, rendered in the reader's language.
EVENTS: dict[str, tuple[str, str]] = {
    "event.report": ("接报：{title}（{kind}，{level}级）", "Reported: {title} ({kind_en}, level {level_en})"),
    "event.status": ("{before} → {status}", "{before_en} → {status_en}"),
    "event.status_note": ("{before} → {status}：{note}", "{before_en} → {status_en}: {note}"),
    "event.dispatch": ("派遣 {team}", "Dispatched {team}"),
    "event.order": ("{team}：{before} → {status}", "{team}: {before_en} → {status_en}"),
    # An event written before timeline codes whose text matched no template: kept as it was written.
    "event.text": ("{text}", "{text}"),
    # The duty feed's other lines (services/dispatch/feed.py), from the records themselves.
    "feed.warning_issued": ("发布{level}色预警 #{id}：{headline}", "{level_en} warning #{id} issued: {headline}"),
    "feed.warning_lifted": ("解除预警 #{id}：{headline}", "Warning #{id} lifted: {headline}"),
    "feed.ack": ("{name} 已叫应预警 #{id}（{headline}）", "{name} acknowledged warning #{id} ({headline})"),
    "feed.ack_overdue": ("{name} 超时未叫应预警 #{id}（{headline}）",
                         "{name} has not acknowledged warning #{id} in time ({headline})"),
    "feed.escalated": ("{name} 未叫应预警 #{id}，已升级（{headline}）",
                       "{name} had not acknowledged warning #{id}: escalated ({headline})"),
    # Why a recommended team stands where it does (services/dispatch/recommendations.py).
    "team.reason.specialist": ("专业对口：{kind}适用于{incident_kind}", "specialist for {incident_kind_en}: {kind_en}"),
    "team.reason.specialist_farther": (
        "专业对口：{kind}适用于{incident_kind}；比最近的{nearest}多 {extra} 分钟，仍排在前面",
        "specialist for {incident_kind_en}: {kind_en}; {extra} min farther than the nearest, {nearest}, and "
        "ranked above it"),
    "team.reason.first_response": ("最近的队伍（{minutes} 分钟），专业不对口：可先期处置，等待对口队伍",
                                   "nearest team ({minutes} min), not a specialist: can respond first while the "
                                   "specialists come"),
    "team.reason.no_specialist": ("没有可派的对口专业队伍（{wanted}）：综合救援队伍按道路行程排序",
                                  "no specialist team ({wanted_en}) is free: general rescue teams by road time"),
    "team.reason.general_backup": ("综合救援队伍：排在对口专业队伍之后", "general rescue: after the specialists"),
    "team.reason.general": ("综合救援队伍：此类事件没有对口专业，按道路行程排序",
                            "general rescue: no specialty for this kind of incident, by road time"),
    "team.reason.other": ("专业不对口（{kind}）", "not a match ({kind_en})"),
    "team.reason.unreachable": ("没有道路可达，无法估算行程", "no road reaches the incident: no travel time"),
    "feed.closure": ("道路封闭 #{id}：{reason}", "Road closed #{id}: {reason}"),
    "feed.closure_lifted": ("解除道路封闭 #{id}：{reason}", "Road closure #{id} lifted: {reason}"),
    "feed.move": ("从 {hazard} 转移 {people} 人", "{people} people moved from {hazard}"),
    "feed.move_housed": ("从 {hazard} 转移 {people} 人，安置于 {shelter}",
                         "{people} people moved from {hazard}, housed at {shelter}"),
}

REASONS: dict[str, tuple[str, str]] = {
    "noun.incident": ("事件", "incident"), "noun.order": ("指令", "order"),
    "order.not_found": ("没有编号为 {id} 的派遣指令", "no dispatch order {id}"),
    "incident.kind_unknown": ("“{kind}”不是可选的事件类型", "'{kind}' is not an incident kind"),
    "incident.title_required": ("请填写事件名称", "a title is required"),
    "incident.level_invalid": ("等级应为 Ⅰ、Ⅱ、Ⅲ、Ⅳ 之一", "level must be Ⅰ, Ⅱ, Ⅲ or Ⅳ (I to IV)"),
    "incident.count_range": ("人数应在 0 到 {limit} 之间", "counts must be from 0 to {limit}"),
    "incident.outside": ("位置不在{region}范围内", "the place lies outside {region_en}"),
    "warning.escalated_already": ("{name} 已由 {by} 升级", "{name} was escalated already by {by}"),
    "handover.note_required": ("请填写交班留言", "write the handover note"),
    "handover.note_long": ("交班留言不超过 {limit} 字", "the note is at most {limit} characters"),
    "handover.not_found": ("没有编号为 {id} 的交班留言", "no handover note {id}"),
    "handover.taken_over": ("已由 {by} 接班", "already taken over by {by}"),
    "feed.kinds_invalid": ("动态类型应为 {kinds} 之一（逗号分隔）", "kinds must be among {kinds}, comma-separated"),
    "warning.township_unknown": ("含有不是本{region_unit}的乡镇街道代码", "a township code not of this {region_unit_en}"),
    "warning.area_required": ("请选择预警范围（乡镇、隐患点或圈选）", "choose an area: townships, hazards or a polygon"),
    "warning.level_invalid": ("预警等级应为 蓝/黄/橙/红", "level must be 蓝, 黄, 橙 or 红 (blue, yellow, orange, red)"),
    "warning.headline_required": ("请填写预警标题和灾种", "headline and hazard type are required"),
    "warning.limits": ("有效期 0–720 小时，叫应时限 1–1440 分钟", "valid_hours 0-720 and ack_timeout_min 1-1440"),
    "warning.no_recipient": ("预警没有接收人", "the warning has no recipient"),
    # Written into the warning when it is issued (the area's description, a monitor's role), in Chinese.
    "warning.area_drawn": ("圈选范围", "drawn area"),
    "warning.monitor_role": ("监测员（{hazard}）", "Monitor ({hazard})"),
    "cap.too_large": ("CAP 文件过大", "CAP document too large"),
    "cap.root": ("根元素应为 CAP 1.2 的 <alert>", "the root must be a CAP 1.2 <alert>"),
    "cap.missing": ("CAP 缺少 <{tag}>", "CAP document lacks <{tag}>"),
    "cap.severity": ("不支持的 severity “{severity}”", "unsupported severity '{severity}'"),
    "cap.time": ("时间格式有误：{value}", "bad time: {value}"),
    "cap.expired": ("预警已过期", "the alert has expired"),
    "cap.polygon_pairs": ("polygon 应为“纬度,经度”对", "polygon must be 'lat,lon' pairs"),
    "cap.no_polygon": ("CAP 区域缺少 <polygon>", "CAP area lacks a <polygon>"),
    "cap.dtd": ("CAP 文件不得含 DOCTYPE/DTD：可借此展开实体或读取外部文件，一律拒绝",
                "CAP documents must not declare a DOCTYPE/DTD: it can expand entities or read outside files, "
                "so it is refused"),
    "cap.dtd_external": ("CAP 文件不得含 DOCTYPE/DTD（外部引用 {sysid}）：可借此展开实体或读取外部文件，一律拒绝",
                         "CAP documents must not declare a DOCTYPE/DTD (external {sysid}): it can expand entities "
                         "or read outside files, so it is refused"),
    "cap.entities": ("CAP 文件不得声明实体“{name}”", "CAP documents must not declare entities ('{name}')"),
    "cap.external": ("CAP 文件不得引用外部资源“{sysid}”", "CAP documents must not reference outside resources ('{sysid}')"),
    "cap.not_xml": ("不是有效的 XML：{error}", "not well-formed XML: {error}"),
}

TEXT: dict[str, tuple[str, str]] = {**EVENTS, **REASONS}
TEXT.update({
    "ack.message": ("【{region}应急】{level}色预警：{headline}，有效至 {until}。收到请点击确认（叫应）：{link}",
                    "[{region} emergency] {level} warning: {headline}, in force until {until}. "
                    "Please confirm you received it: {link}"),
    "ack.unknown": ("该确认链接无效", "this confirmation link is not valid"),
    "ack.title": ("预警确认（叫应）", "Confirm the warning"),
    "ack.button": ("我已收到，确认", "I have received it"),
    "ack.done": ("已于 {at} 确认收到，谢谢。", "Confirmed at {at}. Thank you."),
    "ack.inactive": ("该预警已解除或已过期，无需确认。", "The warning is lifted or expired: nothing to confirm."),
    "ack.for": ("致 {name}", "To {name}"),
    "ack.until": ("有效至 {until}", "In force until {until}"),
})
TEXT.update({
    "duty.messages": ("短信与叫应链接（可电话读出）", "Messages and confirmation links (to read out by phone)"),
    "duty.acked_mark": ("已确认", "confirmed"),
    "duty.waiting_mark": ("未确认", "not yet"),
})
