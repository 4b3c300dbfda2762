from __future__ import annotations

from django import forms

from hoctap.documents.services import MAX_TEMPLATE_BYTES


class TemplateUploadForm(forms.Form):
    file = forms.FileField(label="Tệp mẫu Word (.docx)")
    note = forms.CharField(label="Ghi chú (nội dung đã sửa)", required=False, max_length=1000)

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_TEMPLATE_BYTES:
            raise forms.ValidationError("Tệp quá lớn (tối đa 5 MB).")
        return upload
