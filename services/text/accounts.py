"""Texts of accounts, roles, permissions and signing in."""
from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
    "account.sign_in_failed": ("用户名或密码不正确", "wrong user name or password"),
    "account.too_many_attempts": ("尝试次数过多，请 {seconds} 秒后再试", "too many attempts; try again in {seconds} s"),
    "account.locked": ("账号因多次密码错误已锁定，请 {minutes} 分钟后再试或联系管理员",
                       "the account is locked after repeated wrong passwords; try again in {minutes} min or ask an admin"),
    "account.password_short": ("密码至少 {min} 个字符", "the password needs at least {min} characters"),
    "account.password_long": ("密码不能超过 {max} 个字符", "the password must not exceed {max} characters"),
    "account.password_control": ("密码不能含控制字符", "the password must not contain control characters"),
    "account.password_is_name": ("密码不能与用户名相同", "the password must not be the user name"),
    "account.password_wrong": ("当前密码不正确", "the current password is wrong"),
    "account.password_same": ("新密码不能与当前密码相同", "the new password must differ from the current one"),
    "account.username_invalid": ("用户名须为 2–40 个字母、数字或 _ . -", "a user name is 2–40 letters, digits or _ . -"),
    "account.username_taken": ("用户名“{username}”已被使用", "the user name '{username}' is taken"),
    "account.not_found": ("没有用户“{username}”", "no user '{username}'"),
    "account.role_unknown": ("“{role}”不是角色（可选：{roles}）", "'{role}' is not a role (one of {roles})"),
    "account.township_required": ("乡镇用户须指定乡镇街道", "a township user needs a township"),
    "account.township_not_for_role": ("角色 {role} 不属于某个乡镇", "role {role} is not tied to a township"),
    "account.township_unknown": ("没有代码为 {code} 的乡镇街道", "no township with code {code}"),
    "account.token_label_invalid": ("令牌名称最多 {max} 个字符，不含控制字符",
                                    "a token label is at most {max} characters without control characters"),
    "account.token_not_found": ("没有编号为 {id} 的令牌", "no token {id}"),
    "permission.denied": ("当前角色（{role}）无权执行此操作（{permission}）",
                          "your role ({role}) may not do this ({permission})"),
    "permission.other_township": ("只能处理本乡镇（{own}）的记录，此记录属于 {township}",
                                  "you may act only on records of your township ({own}); this one is {township}"),
    "permission.sign_in_required": ("请先登录", "please sign in"),
    "role.admin": ("系统管理员", "administrator"),
    "role.commander": ("指挥长", "commander"),
    "role.duty": ("值班员", "duty officer"),
    "role.planner": ("规划/监管", "planner / supervisor"),
    "role.township": ("乡镇", "township staff"),
    "role.viewer": ("只读", "viewer"),
}
TEXT.update({
    "cli.first_admin": ("首个管理员账号：{user}  密码：{password}（仅显示一次，亦保存在 {file}，首次登录须修改）",
                        "first admin account: {user}  password: {password} (shown once, also in {file}; "
                        "change it at the first sign-in)"),
    "cli.user_password": ("账号 {user} 的初始密码：{password}（首次登录须修改）",
                          "initial password of {user}: {password} (to be changed at the first sign-in)"),
    "cli.token_once": ("{user} 的 API 令牌（仅显示一次，请妥善保存）：", "API token of {user} (shown once; keep it safe):"),
})
