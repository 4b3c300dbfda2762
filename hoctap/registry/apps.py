from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "hoctap.registry"
    label = "registry"
    verbose_name = "Hộ gia đình, công dân, dòng họ"

    def ready(self) -> None:
        from hoctap.registry import demo  # noqa: F401  (registers the demo step)
