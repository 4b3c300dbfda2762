from django.apps import AppConfig


class RecognitionsConfig(AppConfig):
    name = "hoctap.recognitions"
    label = "recognitions"
    verbose_name = "Công nhận danh hiệu học tập hằng năm"

    def ready(self) -> None:
        from hoctap.recognitions import imports  # noqa: F401  (registers the "recognitions" import kind)
