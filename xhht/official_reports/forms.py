from __future__ import annotations

from typing import Any

from django import forms

from xhht.core.dates import VietnameseDateField
from xhht.official_reports.catalogue import report_kinds
from xhht.official_reports.issuers import issuers
from xhht.official_reports.models import Report

class ReportNewForm(forms.Form):
    unit = forms.ChoiceField(label="Đơn vị")
    period = forms.CharField(label="Kỳ báo cáo", max_length=20, help_text="2019, 2019-H1, 2019-2020 hoặc 2016-2020")
    kind = forms.ChoiceField(label="Loại báo cáo")
    issuer = forms.ChoiceField(label="Cơ quan ban hành", required=False,
                               help_text="Để trống: cơ quan mặc định của cấp đơn vị (UBND). Cấp tỉnh có thể chọn Sở GD&ĐT (cơ quan thường trực).")

    def __init__(self, *args: Any, units: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        kind_field = self.fields["kind"]
        assert isinstance(unit_field, forms.ChoiceField) and isinstance(kind_field, forms.ChoiceField)
        unit_field.choices = units
        kind_field.choices = [(k.kind, k.name) for k in report_kinds().values()]
        issuer_field = self.fields["issuer"]
        assert isinstance(issuer_field, forms.ChoiceField)
        issuer_field.choices = [("", "Mặc định theo cấp đơn vị")] + [(i.key, i.name) for i in issuers().values()]


class ReportHeaderForm(forms.ModelForm):
    report_date = VietnameseDateField(label="Ngày ban hành")

    class Meta:
        model = Report
        fields = ["issuing_body_superior", "issuing_body", "number", "place", "report_date", "title", "abstract", "intro",
                  "closing", "recipients", "signer_authority", "signer_name", "trace_annex"]
        widgets = {"abstract": forms.Textarea(attrs={"rows": 2}), "intro": forms.Textarea(attrs={"rows": 4}),
                   "closing": forms.Textarea(attrs={"rows": 2}), "recipients": forms.Textarea(attrs={"rows": 8}),
                   "signer_authority": forms.Textarea(attrs={"rows": 3})}


class SectionForm(forms.Form):
    text = forms.CharField(label="Nội dung", required=False, widget=forms.Textarea(attrs={"rows": 16}))
