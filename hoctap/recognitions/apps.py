from django.apps import AppConfig


class RecognitionsConfig(AppConfig):
    name = "hoctap.recognitions"
    label = "recognitions"
    verbose_name = "Công nhận danh hiệu học tập hằng năm"

    def ready(self) -> None:
        from hoctap.recognitions import demo, imports  # noqa: F401  (import kind and demo step)
