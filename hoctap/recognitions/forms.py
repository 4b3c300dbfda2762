from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from hoctap.core.forms import BootstrapForm
from hoctap.recognitions.models import Model


class RoundCreateForm(BootstrapForm):
    commune = forms.ChoiceField(label="Xã, phường, đặc khu")
    model = forms.ChoiceField(label="Danh hiệu", choices=Model.choices)
    year = forms.IntegerField(label="Năm đánh giá", min_value=2016, max_value=2100)

    def __init__(self, *args: Any, communes: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        commune_field = self.fields["commune"]
        assert isinstance(commune_field, forms.ChoiceField)
        commune_field.choices = [(c.public_id, c.name) for c in communes]
        self.fields["year"].initial = date.today().year


class ReturnForm(BootstrapForm):
    reason = forms.CharField(label="Lý do trả lại", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class DecideForm(BootstrapForm):
    decision_date = forms.DateField(label="Ngày ký", widget=forms.DateInput(attrs={"type": "date"}))
    signer = forms.CharField(label="Người ký", max_length=200)


class RevokeForm(BootstrapForm):
    reason = forms.CharField(label="Lý do thu hồi", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    reference = forms.CharField(label="Văn bản thu hồi (số, ngày)", max_length=200)
