"""The audit log read as sentences ("张三 于 12:03 封闭了道路…" / "Zhang San closed a road at 12:03 …"), rendered
from each entry's action, entity, key and parameters through the catalogue (services/text/display.py)."""
from __future__ import annotations

from dash import html

from services.data.audit_log import LINK_ACTOR, AuditEntry
from services.text import CATALOGUE, t

# Import entities (services/data/specs.py keys) → the layer name the pages use for them.
_IMPORTED = {"stock": "stock_lines"}


def _who(e: AuditEntry, lang: str) -> str:
    if e.actor.startswith(LINK_ACTOR):
        return e.actor[len(LINK_ACTOR):]
    if f"audit.actor.{e.actor}" in CATALOGUE:
        return t(f"audit.actor.{e.actor}", lang)
    return e.actor_name or e.actor  # the person's name, as the users page shows it


def _key(e: AuditEntry) -> str:
    if e.action in ("import", "relocate"):
        return f"audit.{e.action}"
    if e.action == "attach_photos":
        return "audit.photos"
    return f"audit.{e.entity}.{e.action}"


def audit_sentence(e: AuditEntry, time: str, lang: str) -> str:
    """One entry as a sentence; an action the catalogue has no sentence for (or a row without the parameters
    its sentence needs, written before they were kept) reads as who, when, what and which."""
    params = {k: v for k, v in e.params.items() if isinstance(k, str)}
    params.update(who=_who(e, lang), time=time, ref=e.key or "")
    if "role" in params and f"role.{params['role']}" in CATALOGUE:
        params["role"] = t(f"role.{params['role']}", lang)
    if e.action in ("import", "relocate"):
        layer = _IMPORTED.get(e.entity, e.entity)
        what = t(f"layer.{layer}", lang) if f"layer.{layer}" in CATALOGUE else e.entity
        params["what"] = what.lower() if lang == "en" else what  # mid-sentence
    if e.action == "attach_photos":
        params["entity"] = t(f"audit.entity.{e.entity}", lang) if f"audit.entity.{e.entity}" in CATALOGUE \
            else e.entity
        params["n"] = len(params.get("photos") or ())
    key = _key(e)
    if key in CATALOGUE:
        try:
            return t(key, lang, **params)
        except (KeyError, IndexError, ValueError):
            pass
    return t("audit.other", lang, who=params["who"], time=time, action=e.action, entity=e.entity, ref=e.key or "")


def audit_list(entries: list[AuditEntry], local_time, lang: str) -> html.Ol:
    """The newest entries first, one sentence each (``local_time`` shows a UTC time in the deployment's zone)."""
    return html.Ol([html.Li(audit_sentence(e, local_time(e.at), lang), className=f"audit-{e.action}")
                    for e in entries], className="audit-list")
