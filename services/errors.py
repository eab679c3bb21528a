"""The one shape of a user's mistake: which field, and why, in Chinese and English."""
from __future__ import annotations


class FieldError(ValueError):
    """Bad input named by its field; pages and the API show ``reason`` (or ``reason_en``) to the user."""

    def __init__(self, field_name: str, reason: str, reason_en: str):
        super().__init__(f"{field_name}: {reason_en}")
        self.field = field_name
        self.reason = reason
        self.reason_en = reason_en
