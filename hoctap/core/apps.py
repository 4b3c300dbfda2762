from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "hoctap.core"
    label = "core"
    verbose_name = "Lõi hệ thống"
