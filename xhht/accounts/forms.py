"""Forms of the user's own account page."""

from __future__ import annotations

from django import forms

from xhht.core.dates import VietnameseDateField


class ApiTokenForm(forms.Form):
    """A new API token's optional expiry (its name, required and at most 100 characters, is checked by
    ``tokens.api_token_create``, as is an expiry already past)."""

    expires_on = VietnameseDateField(label="Ngày hết hạn", required=False)
