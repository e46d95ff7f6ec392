"""Where a stored value was made, as a link: each app that writes into the store says how to reach the page
its values come from (the survey results, the submitted form, the commune's evaluations…), so that the trace
of a figure ends on its source and the indicator engine needs to know none of those apps."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import NoReverseMatch

from xhht.indicators.models import DataValue

SourceLink = tuple[str, str]  # (Vietnamese label, URL)
Resolver = Callable[[DataValue], SourceLink | None]

_RESOLVERS: dict[str, Resolver] = {}


def source_link_register(*, rule_prefix: str, resolver: Resolver) -> None:
    """Called from an app's ``ready()``: values whose ``rule`` starts with ``rule_prefix`` link through ``resolver``."""
    _RESOLVERS[rule_prefix] = resolver


def source_link(value: DataValue) -> SourceLink | None:
    for prefix, resolver in _RESOLVERS.items():
        if value.rule.startswith(prefix):
            try:
                return resolver(value)
            except (NoReverseMatch, ValueError):  # a period or unit the page cannot take: no link rather than a crash
                return None
    return None
