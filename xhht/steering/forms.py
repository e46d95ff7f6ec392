from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from xhht.core.attachments import DOCUMENT_TYPES, AttachmentRefused, attachment_check
from xhht.core.dates import VietnameseDateField
from xhht.steering.models import DocumentKind

ALLOWED_SUFFIXES = DOCUMENT_TYPES


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label="Loại văn bản", choices=DocumentKind.choices)
    number = forms.CharField(label="Số, ký hiệu", max_length=60, help_text="ví dụ: 33/KH-UBND")
    issued_on = VietnameseDateField(label="Ngày ban hành")
    issuer = forms.CharField(label="Cơ quan ban hành", max_length=200)
    title = forms.CharField(label="Trích yếu", widget=forms.Textarea(attrs={"rows": 3}))
    file = forms.FileField(label="Tệp đính kèm (PDF, Word .docx, Excel .xlsx, ODT, ảnh JPG/PNG)", required=False)

    def clean_file(self) -> object:
        upload = self.cleaned_data.get("file")
        if upload is None:
            return None
        if upload.size > settings.XHHT_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(f"Tệp quá lớn (tối đa {settings.XHHT_MAX_UPLOAD_BYTES // (1024 * 1024)} MB).")
        content = upload.read()
        try:
            # Type by name and content, no macros, ClamAV where installed (issue 12, hole 8).
            name = attachment_check(name=upload.name or "", content=content, allowed=DOCUMENT_TYPES)
        except AttachmentRefused as exc:
            raise forms.ValidationError(f"{exc} Chỉ nhận tệp PDF, Word, Excel, ODT hoặc ảnh JPG/PNG.") from None
        return SimpleUploadedFile(name, content, content_type=upload.content_type)
