"""The SMS / voice gateway adapter: an HTTP webhook that receives each recipient's message (off by default).

Called after the warning's unit of work has committed (a message about a warning that was rolled back must
never leave). Each message is one POST of JSON; a gateway that is down or slow costs at most the configured
timeout per message and is reported, never raised: the warning stands, and the duty view still shows every
recipient's text and link to read out by phone.
"""
from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass

from services.dispatch.ack_links import RecipientMessage

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Delivery:
    sent: int = 0
    failed: int = 0
    skipped: int = 0       # recipients without a phone number
    configured: bool = False


def deliver(settings, warning_id: int, messages: list[RecipientMessage]) -> Delivery:
    url = settings.notifications.webhook_url
    if not url:
        return Delivery(skipped=len(messages))
    sent = failed = skipped = 0
    for m in messages:
        if not m.phone or m.acknowledged:
            skipped += 1
            continue
        body = json.dumps({"warning_id": warning_id, "recipient_id": m.recipient_id, "name": m.name,
                           "phone": m.phone, "text": m.text, "link": m.link}, ensure_ascii=False).encode("utf-8")
        request = urllib.request.Request(url, data=body, method="POST",
                                         headers={"Content-Type": "application/json; charset=utf-8"})
        try:
            with urllib.request.urlopen(request, timeout=settings.notifications.webhook_timeout_s) as response:
                ok = 200 <= response.status < 300
        except (urllib.error.URLError, OSError, ValueError) as exc:
            log.warning("gateway: message to recipient %s of warning %s not delivered: %s", m.recipient_id,
                        warning_id, exc)
            ok = False
        sent, failed = (sent + 1, failed) if ok else (sent, failed + 1)
    return Delivery(sent, failed, skipped, True)
