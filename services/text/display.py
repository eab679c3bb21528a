"""Texts of what the data names by code: map glyphs, the needs profile, supply items and their units, and the
audit log read as sentences (zh-CN first, English).

A stored code with an entry here is shown in the reader's language (``services.text.label``); a county's own code
without one is shown as its data names it.
"""
from __future__ import annotations

from services import vocabulary

# The one-character map symbols in English: a letter or two (the marker's shape tells the layer apart).
_GLYPHS_EN: dict[str, str] = {
    "危险化学品": "C", "成品油": "O", "燃气": "G", "非煤矿山": "M", "工贸": "I", "建筑施工": "B", "人员密集场所": "P",
    "再生资源": "R", "滑坡": "L", "崩塌": "Rf", "泥石流": "D", "地面塌陷": "Su", "洪涝": "F", "易涝点": "W",
    "病险水库": "Re", "森林火险": "Fi",
}
# The glyph of a layer's markers (and of a point without a category glyph).
_LAYER_GLYPHS: dict[str, tuple[str, str]] = {
    "shelters": (vocabulary.LAYER_GLYPHS["shelters"], "S"), "depots": (vocabulary.LAYER_GLYPHS["depots"], "Dp"),
    "teams": (vocabulary.LAYER_GLYPHS["teams"], "T"), "stations": ("测", "M"), "enterprises": ("企", "E"),
    "hazards": ("险", "H"),
}

TEXT: dict[str, tuple[str, str]] = {
    **{f"glyph.{value}": (vocabulary.GLYPHS[value], en) for value, en in _GLYPHS_EN.items()},
    **{f"glyph.layer.{layer}": texts for layer, texts in _LAYER_GLYPHS.items()},
    # The needs of the 五有 profile (data/needs_profile.json), by key.
    "need.water": ("饮用水", "Drinking water"), "need.rice": ("大米", "Rice"), "need.quilt": ("棉被", "Quilts"),
    "need.clothing": ("衣物", "Clothing"), "need.covered_space": ("遮蔽空间", "Covered space"),
    "need.toilet": ("厕所", "Toilets"), "need.family_kit": ("家庭应急包", "Family kits"),
    "need.medical_kit": ("基本药品包", "Basic medical kits"),
    # The relief supply catalogue (data/supply_catalogue.csv), by item code.
    "item.FOOD-RICE": ("大米", "Rice"), "item.FOOD-INSTANT": ("方便食品", "Instant food"),
    "item.FOOD-OIL": ("食用油", "Cooking oil"), "item.WATER-BOTTLED": ("瓶装饮用水", "Bottled water"),
    "item.WATER-PURIFIER": ("净水设备", "Water purifier"), "item.WATER-TANK": ("储水桶(1吨)", "Water tank (1 t)"),
    "item.CLOTH-QUILT": ("棉被", "Quilt"), "item.CLOTH-COAT": ("棉大衣", "Padded coat"),
    "item.CLOTH-SET": ("衣物", "Clothing set"), "item.SHELTER-TENT": ("救灾帐篷(12平方米)", "Relief tent (12 m²)"),
    "item.SHELTER-BED": ("折叠床", "Folding bed"), "item.SHELTER-TOILET": ("移动厕所", "Mobile toilet"),
    "item.SHELTER-FAMILYKIT": ("家庭应急包", "Family kit"), "item.MED-FIRSTAID": ("医疗急救包", "First-aid kit"),
    "item.MED-KIT100": ("基本药品包(百人)", "Basic medical kit (100 people)"),
    "item.RESCUE-GENERATOR": ("发电机", "Generator"), "item.RESCUE-BOAT": ("冲锋舟", "Assault boat"),
    "item.RESCUE-LIGHT": ("应急照明灯", "Emergency light"), "item.RESCUE-RAINCOAT": ("雨衣雨靴", "Raincoat and boots"),
    "item.RESCUE-PUMP": ("抽水泵", "Water pump"),
    "item.TYPED": ("指定物资", "Supplies as typed"),  # a route plan's demand typed in kg (services/supply/routes.py)
    # Units of the catalogue and the needs profile, as stored.
    "unit.千克": ("千克", "kg"), "unit.箱": ("箱", "boxes"), "unit.升": ("升", "L"), "unit.台": ("台", "units"),
    "unit.个": ("个", "pcs"), "unit.床": ("床", "pcs"), "unit.件": ("件", "pcs"), "unit.套": ("套", "sets"),
    "unit.顶": ("顶", "tents"), "unit.张": ("张", "pcs"), "unit.艘": ("艘", "boats"), "unit.人/个": ("人/个", "people each"),
    "unit.人/套": ("人/套", "people a set"),
}

# The audit log as sentences (services/data/audit_log.py gives each row's action, entity, key and parameters;
# an ``x_en`` placeholder is the English label of the vocabulary value ``x``).
TEXT.update({
    "audit.actor.seed": ("系统初始化", "Setup"), "audit.actor.system": ("系统", "System"),
    "audit.other": ("{who} 于 {time}：{action} {entity} {ref}", "{who} at {time}: {action} {entity} {ref}"),
    "audit.road.block": ("{who} 于 {time} 封闭了道路（封闭 #{ref}，原因：{reason}）",
                         "{who} closed a road at {time} (closure #{ref}, reason: {reason})"),
    "audit.road.lift": ("{who} 于 {time} 解除了道路封闭 #{ref}", "{who} reopened closed road #{ref} at {time}"),
    "audit.warning.issue": ("{who} 于 {time} 发布了{level}色预警 #{ref}（{recipients} 名接收人）",
                            "{who} issued {level_en} warning #{ref} at {time} ({recipients} recipients)"),
    "audit.warning.acknowledge": ("{who} 于 {time} 记录预警 #{ref} 已由 {recipient} 叫应",
                                  "{who} recorded at {time} that {recipient} acknowledged warning #{ref}"),
    "audit.warning.escalate": ("{who} 于 {time} 升级了预警 #{ref} 对 {recipient} 的叫应",
                               "{who} escalated warning #{ref} for {recipient} at {time}"),
    "audit.warning.lift": ("{who} 于 {time} 解除了预警 #{ref}", "{who} lifted warning #{ref} at {time}"),
    "audit.incident.create": ("{who} 于 {time} 接报了事件 #{ref}", "{who} reported incident #{ref} at {time}"),
    "audit.incident.update": ("{who} 于 {time} 将事件 #{ref} 由“{from}”改为“{to}”",
                              "{who} moved incident #{ref} from {from_en} to {to_en} at {time}"),
    "audit.rescue_team.dispatch": ("{who} 于 {time} 派遣队伍 {ref} 前往事件 #{incident}",
                                   "{who} sent team {ref} to incident #{incident} at {time}"),
    "audit.dispatch_order.update": ("{who} 于 {time} 将派遣单 #{ref} 由“{from}”改为“{to}”",
                                    "{who} moved order #{ref} from {from_en} to {to_en} at {time}"),
    "audit.hazard_point.patrol": ("{who} 于 {time} 巡查了隐患点 {ref}：{state}",
                                  "{who} patrolled hazard point {ref} at {time}: {state_en}"),
    "audit.hazard_point.raise_level": ("{who} 于 {time} 将隐患点 {ref} 的预警等级由{from}提升为{to}",
                                       "{who} raised hazard point {ref} from {from_en} to {to_en} at {time}"),
    "audit.hazard_point.evacuate": ("{who} 于 {time} 自隐患点 {ref} 转移了 {people} 人",
                                    "{who} moved {people} people away from hazard point {ref} at {time}"),
    "audit.shelter_occupancy.update": ("{who} 于 {time} 将避难场所 {ref} 的安置人数由 {from} 改为 {to}",
                                       "{who} changed the people housed in shelter {ref} from {from} to {to} at {time}"),
    "audit.evacuation_plan.create": ("{who} 于 {time} 保存了疏散方案 #{ref}（{people} 人，已安置 {assigned} 人）",
                                     "{who} saved evacuation plan #{ref} at {time} ({people} people, {assigned} housed)"),
    "audit.shift_handover.handover": ("{who} 于 {time} 写下了交接班记录 #{ref}",
                                      "{who} wrote shift handover note #{ref} at {time}"),
    "audit.shift_handover.take_over": ("{who} 于 {time} 接班（交接班记录 #{ref}）",
                                       "{who} took over the shift at {time} (handover note #{ref})"),
    "audit.import": ("{who} 于 {time} 导入了{what}：{rows} 行（新增 {created}，更新 {updated}），文件 {ref}",
                     "{who} imported {what} at {time}: {rows} rows ({created} new, {updated} updated) from {ref}"),
    "audit.supply_catalogue.load": ("{who} 于 {time} 载入了物资目录（{items} 项）",
                                    "{who} loaded the supply catalogue ({items} items) at {time}"),
    "audit.geography.load": ("{who} 于 {time} 载入了行政区划（{townships} 个乡镇街道、{villages} 个村社区）",
                             "{who} loaded the geography ({townships} townships, {villages} villages) at {time}"),
    "audit.township_population.update": ("{who} 于 {time} 更新了 {townships} 个乡镇街道的人口",
                                         "{who} updated the population of {townships} townships at {time}"),
    "audit.village_seats.update": ("{who} 于 {time} 更新了 {villages} 个村社区的位置与人口",
                                   "{who} updated the seats and population of {villages} villages at {time}"),
    "audit.needs_profile.create": ("{who} 于 {time} 保存了五有需求标准第 {ref} 版",
                                   "{who} saved version {ref} of the five-needs profile at {time}"),
    "audit.user_account.create": ("{who} 于 {time} 创建了账号 {ref}（{role}）",
                                  "{who} created account {ref} ({role}) at {time}"),
    "audit.user_account.update": ("{who} 于 {time} 修改了账号 {ref}", "{who} changed account {ref} at {time}"),
    "audit.user_account.disable": ("{who} 于 {time} 停用了账号 {ref}", "{who} disabled account {ref} at {time}"),
    "audit.user_account.enable": ("{who} 于 {time} 启用了账号 {ref}", "{who} enabled account {ref} at {time}"),
    "audit.user_account.password": ("{who} 于 {time} 修改了账号 {ref} 的密码",
                                    "{who} changed the password of account {ref} at {time}"),
    "audit.user_account.sign_in": ("{who} 于 {time} 登录", "{who} signed in at {time}"),
    "audit.user_account.sign_in_failed": ("账号 {ref} 于 {time} 登录失败", "Sign-in as {ref} failed at {time}"),
    "audit.api_token.token": ("{who} 于 {time} 为 {user} 签发了 API 令牌 {ref}",
                              "{who} issued API token {ref} for {user} at {time}"),
    "audit.api_token.revoke": ("{who} 于 {time} 吊销了 API 令牌 {ref}", "{who} revoked API token {ref} at {time}"),
    "audit.photos": ("{who} 于 {time} 为 {entity} #{ref} 添加了 {n} 张照片",
                     "{who} added {n} photos to {entity} #{ref} at {time}"),
    "audit.entity.incident": ("事件", "incident"), "audit.entity.patrol": ("巡查记录", "patrol"),
    "audit.entity.danger": ("隐患", "hidden danger"),
})

# The leaflet draw tool's own texts (its L.drawLocal, path by path: dashboard/assets/qj_map.js sets them from
# here, in the page's language).
DRAW_TEXT: dict[str, tuple[str, str]] = {
    "draw.toolbar.actions.title": ("取消绘制", "Cancel drawing"),
    "draw.toolbar.actions.text": ("取消", "Cancel"),
    "draw.toolbar.finish.title": ("完成绘制", "Finish drawing"),
    "draw.toolbar.finish.text": ("完成", "Finish"),
    "draw.toolbar.undo.title": ("删除最后绘制的点", "Delete last point drawn"),
    "draw.toolbar.undo.text": ("删除最后一点", "Delete last point"),
    "draw.toolbar.buttons.polyline": ("画折线", "Draw a polyline"),
    "draw.toolbar.buttons.polygon": ("画多边形", "Draw a polygon"),
    "draw.toolbar.buttons.rectangle": ("画矩形", "Draw a rectangle"),
    "draw.toolbar.buttons.circle": ("画圆", "Draw a circle"),
    "draw.toolbar.buttons.marker": ("放置标记", "Draw a marker"),
    "draw.toolbar.buttons.circlemarker": ("放置圆点", "Draw a circle marker"),
    "draw.handlers.circle.tooltip.start": ("按住并拖动以画圆。", "Click and drag to draw circle."),
    "draw.handlers.circle.radius": ("半径", "Radius"),
    "draw.handlers.circlemarker.tooltip.start": ("点击地图放置圆点。", "Click map to place circle marker."),
    "draw.handlers.marker.tooltip.start": ("点击地图放置标记。", "Click map to place marker."),
    "draw.handlers.polygon.tooltip.start": ("点击开始绘制区域。", "Click to start drawing shape."),
    "draw.handlers.polygon.tooltip.cont": ("点击继续绘制区域。", "Click to continue drawing shape."),
    "draw.handlers.polygon.tooltip.end": ("点击第一个点闭合区域。", "Click first point to close this shape."),
    "draw.handlers.polyline.error": ("<strong>错误：</strong>边线不能交叉！",
                                     "<strong>Error:</strong> shape edges cannot cross!"),
    "draw.handlers.polyline.tooltip.start": ("点击开始画线。", "Click to start drawing line."),
    "draw.handlers.polyline.tooltip.cont": ("点击继续画线。", "Click to continue drawing line."),
    "draw.handlers.polyline.tooltip.end": ("点击最后一点结束画线。", "Click last point to finish line."),
    "draw.handlers.rectangle.tooltip.start": ("按住并拖动以画矩形。", "Click and drag to draw rectangle."),
    "draw.handlers.simpleshape.tooltip.end": ("松开鼠标完成绘制。", "Release mouse to finish drawing."),
    "edit.toolbar.actions.save.title": ("保存修改", "Save changes"),
    "edit.toolbar.actions.save.text": ("保存", "Save"),
    "edit.toolbar.actions.cancel.title": ("取消编辑，放弃所有修改", "Cancel editing, discards all changes"),
    "edit.toolbar.actions.cancel.text": ("取消", "Cancel"),
    "edit.toolbar.actions.clearAll.title": ("清除全部图形", "Clear all layers"),
    "edit.toolbar.actions.clearAll.text": ("全部清除", "Clear All"),
    "edit.toolbar.buttons.edit": ("编辑图形", "Edit layers"),
    "edit.toolbar.buttons.editDisabled": ("没有可编辑的图形", "No layers to edit"),
    "edit.toolbar.buttons.remove": ("删除图形", "Delete layers"),
    "edit.toolbar.buttons.removeDisabled": ("没有可删除的图形", "No layers to delete"),
    "edit.handlers.edit.tooltip.text": ("拖动控制点或标记以编辑图形。", "Drag handles or markers to edit features."),
    "edit.handlers.edit.tooltip.subtext": ("点击取消可撤销修改。", "Click cancel to undo changes."),
    "edit.handlers.remove.tooltip.text": ("点击图形将其删除。", "Click on a feature to remove."),
}
TEXT.update({f"drawtool.{path}": texts for path, texts in DRAW_TEXT.items()})
