"""Which pattern-matching button was really clicked (Dash also fires when such buttons are re-rendered)."""
from __future__ import annotations

from dash import ctx


def clicked_id() -> dict | None:
    """The id of the pattern-matching component whose click triggered the callback, or None.

    ``ctx.triggered`` can carry value None for a real click when the buttons were redrawn meanwhile, so the
    n_clicks is read from the callback's inputs instead.
    """
    trigger = ctx.triggered_id
    if not isinstance(trigger, dict):
        return None
    for group in ctx.inputs_list:
        for item in group if isinstance(group, list) else [group]:
            if item.get("id") == trigger and item.get("value"):
                return trigger
    return None
