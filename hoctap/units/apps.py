from django.apps import AppConfig


class UnitsConfig(AppConfig):
    name = "hoctap.units"
    label = "units"
    verbose_name = "Đơn vị hành chính"
