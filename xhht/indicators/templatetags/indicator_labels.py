"""Template filters over xhht/indicators/labels.py: {% load indicator_labels %}."""

from __future__ import annotations

from django import template

from xhht.indicators import labels

register = template.Library()
register.filter("element_label", labels.element_label)
register.filter("rule_label", labels.rule_label)
register.filter("disaggregation_label", labels.disaggregation_label)
register.filter("moment_label", labels.moment_label)
