from __future__ import annotations

from django import forms

from xhht.literacy.models import Disability, Recognition, Sex


class UploadForm(forms.Form):
    year = forms.IntegerField(label="Năm điều tra", min_value=1990, max_value=2100)
    file = forms.FileField(label="Tệp CSV hoặc Excel (.xlsx) theo mẫu 2")


class PersonForm(forms.Form):
    """Text in, checked by the same rules as an imported row (services.person_update)."""

    full_name = forms.CharField(label="Họ và tên", max_length=120, required=False)
    sex = forms.ChoiceField(label="Giới tính", choices=Sex.choices)
    birth_date = forms.CharField(label="Ngày sinh (YYYY-MM-DD hoặc năm)", max_length=10)
    ethnicity = forms.CharField(label="Dân tộc", max_length=40, required=False)
    village = forms.CharField(label="Thôn, tổ", max_length=120, required=False)
    household_code = forms.CharField(label="Mã hộ", max_length=40)
    disability = forms.TypedChoiceField(label="Khuyết tật", choices=Disability.choices, coerce=str)
    highest_grade = forms.CharField(label="Lớp cao nhất đã hoàn thành (0–12)", max_length=2)
    enrolled_grade = forms.CharField(label="Đang học lớp (để trống nếu không đi học)", max_length=2, required=False)
    literacy_phase = forms.ChoiceField(label="Giai đoạn xóa mù chữ đã hoàn thành", choices=[("0", "0"), ("1", "1"), ("2", "2")])
    primary_completion_year = forms.CharField(label="Năm hoàn thành tiểu học", max_length=4, required=False)
    lower_secondary_completion_year = forms.CharField(label="Năm tốt nghiệp THCS", max_length=4, required=False)


class AttestationForm(forms.Form):
    literacy = forms.TypedChoiceField(label=Recognition.LITERACY.label, choices=[(i, f"mức {i}") for i in range(0, 3)], coerce=int)
    primary = forms.TypedChoiceField(label=Recognition.PRIMARY.label, choices=[(i, f"mức {i}") for i in range(0, 4)], coerce=int)
    lower_secondary = forms.TypedChoiceField(label=Recognition.LOWER_SECONDARY.label, choices=[(i, f"mức {i}") for i in range(0, 4)], coerce=int)
    note = forms.CharField(label="Căn cứ (biên bản kiểm tra …)", required=False, widget=forms.Textarea(attrs={"rows": 2}))
