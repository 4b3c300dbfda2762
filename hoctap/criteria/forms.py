from __future__ import annotations

from django import forms

MAX_SET_FILE_BYTES = 2 * 1024 * 1024


class CriteriaSetUploadForm(forms.Form):
    file = forms.FileField(label="Tệp bộ tiêu chí (YAML hoặc JSON)")
    activate = forms.BooleanField(label="Áp dụng ngay sau khi nạp", required=False)

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_SET_FILE_BYTES:
            raise forms.ValidationError("Tệp quá lớn (tối đa 2 MB).")
        return upload


class ProvinceTargetForm(forms.Form):
    target_code = forms.CharField(widget=forms.HiddenInput)
    year = forms.TypedChoiceField(
        label="Năm", coerce=int, choices=[(y, str(y)) for y in range(2023, 2031)], initial=2025
    )
    value = forms.CharField(label="Giá trị (%)", max_length=12)
    note = forms.CharField(label="Ghi chú", required=False, max_length=1000)
