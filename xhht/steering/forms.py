from __future__ import annotations

from pathlib import Path

from django import forms
from django.conf import settings

from xhht.steering.models import DocumentKind

ALLOWED_SUFFIXES = {".pdf", ".doc", ".docx", ".xlsx", ".odt", ".jpg", ".jpeg", ".png"}


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label="Loại văn bản", choices=DocumentKind.choices)
    number = forms.CharField(label="Số, ký hiệu", max_length=60, help_text="ví dụ: 33/KH-UBND")
    issued_on = forms.DateField(label="Ngày ban hành", widget=forms.DateInput(attrs={"type": "date"}), input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    issuer = forms.CharField(label="Cơ quan ban hành", max_length=200)
    title = forms.CharField(label="Trích yếu", widget=forms.Textarea(attrs={"rows": 3}))
    file = forms.FileField(label="Tệp đính kèm (PDF, Word, Excel, ảnh)", required=False)

    def clean_file(self) -> object:
        upload = self.cleaned_data.get("file")
        if upload is None:
            return None
        if Path(upload.name).suffix.lower() not in ALLOWED_SUFFIXES:
            raise forms.ValidationError("Chỉ nhận tệp PDF, Word, Excel, ODT hoặc ảnh JPG/PNG.")
        if upload.size > settings.XHHT_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(f"Tệp quá lớn (tối đa {settings.XHHT_MAX_UPLOAD_BYTES // (1024 * 1024)} MB).")
        return upload
