"""Forms of the registry screens: they only parse input; the services decide and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from hoctap.registry.models import HouseholdStatus, Sex
from hoctap.registry.services import CitizenData, HouseholdData

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _Bootstrap:
    """Give every widget Bootstrap's classes."""

    def _style(self) -> None:
        for field in self.fields.values():  # type: ignore[attr-defined]
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


class HouseholdForm(_Bootstrap, forms.Form):
    head_name = forms.CharField(label="Họ và tên chủ hộ", max_length=200)
    head_cccd = forms.CharField(label="Số CCCD chủ hộ", max_length=20, required=False)
    head_birth_date = forms.DateField(label="Ngày sinh chủ hộ", required=False, widget=DATE_WIDGET)
    head_sex = forms.ChoiceField(label="Giới tính chủ hộ", choices=[("", "—"), *Sex.choices], required=False)
    member_count = forms.IntegerField(label="Số nhân khẩu", min_value=1, max_value=99, initial=1)
    address = forms.CharField(label="Địa chỉ", max_length=300, required=False)
    version = forms.DateTimeField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, villages: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if villages is not None:
            self.fields["village"] = forms.ChoiceField(label="Thôn, tổ dân phố", choices=villages)
            self.order_fields(["village"])
        self._style()

    def data_object(self) -> HouseholdData:
        d = self.cleaned_data
        return HouseholdData(
            head_name=d["head_name"],
            head_cccd=d["head_cccd"],
            head_birth_date=d["head_birth_date"],
            head_sex=d["head_sex"],
            member_count=d["member_count"],
            address=d["address"],
        )


class HouseholdMoveForm(_Bootstrap, forms.Form):
    village = forms.ChoiceField(label="Chuyển đến thôn, tổ dân phố")
    on = forms.DateField(label="Từ ngày", widget=DATE_WIDGET, initial=timezone.localdate)

    def __init__(self, *args: Any, villages: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = villages  # type: ignore[attr-defined]
        self._style()


class HouseholdStatusForm(_Bootstrap, forms.Form):
    status = forms.ChoiceField(label="Tình trạng mới", choices=HouseholdStatus.choices)
    on = forms.DateField(label="Từ ngày", widget=DATE_WIDGET, initial=timezone.localdate)
    reason = forms.CharField(label="Lý do", max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()


class CitizenForm(_Bootstrap, forms.Form):
    full_name = forms.CharField(label="Họ và tên", max_length=200)
    sex = forms.ChoiceField(label="Giới tính", choices=Sex.choices)
    birth_date = forms.DateField(label="Ngày sinh", widget=DATE_WIDGET)
    cccd = forms.CharField(label="Số CCCD", max_length=20, required=False)
    ethnicity = forms.CharField(label="Dân tộc", max_length=50, initial="Kinh")
    relationship = forms.CharField(label="Quan hệ với chủ hộ", max_length=50, required=False)
    version = forms.DateTimeField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()

    def data_object(self) -> CitizenData:
        d = self.cleaned_data
        return CitizenData(
            full_name=d["full_name"],
            sex=d["sex"],
            birth_date=d["birth_date"],
            cccd=d["cccd"],
            ethnicity=d["ethnicity"],
            relationship=d["relationship"],
        )


class CitizenMoveForm(_Bootstrap, forms.Form):
    household_code = forms.CharField(label="Mã hộ chuyển đến", max_length=20)
    relationship = forms.CharField(label="Quan hệ với chủ hộ mới", max_length=50, required=False)
    on = forms.DateField(label="Từ ngày", widget=DATE_WIDGET, initial=timezone.localdate)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()


class ClanForm(_Bootstrap, forms.Form):
    commune = forms.ChoiceField(label="Xã, phường")
    name = forms.CharField(label="Tên dòng họ", max_length=200)
    branch = forms.CharField(label="Chi, nhánh", max_length=200, required=False)
    representative = forms.CharField(label="Người đại diện (trưởng họ)", max_length=200, required=False)

    def __init__(self, *args: Any, communes: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commune"].choices = communes  # type: ignore[attr-defined]
        self._style()


class ClanHouseholdForm(_Bootstrap, forms.Form):
    household_code = forms.CharField(label="Mã hộ", max_length=20)
    on = forms.DateField(label="Ngày", widget=DATE_WIDGET, initial=timezone.localdate)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()
