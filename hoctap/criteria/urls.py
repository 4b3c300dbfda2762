from django.urls import path, register_converter

from hoctap.criteria import views


class SetCodeConverter:
    regex = r"[a-z0-9]+(?:-[a-z0-9]+)*"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(SetCodeConverter, "setcode")

app_name = "criteria"

urlpatterns = [
    path("phong-trao/", views.movement, name="movement"),
    path("chi-tieu/", views.target_list, name="targets"),
    path("chi-tieu/tinh/<str:public_id>/", views.province_targets, name="province_targets"),
    path("tieu-chi/", views.set_list, name="list"),
    path("tieu-chi/nap-tep/", views.set_upload, name="upload"),
    path("tieu-chi/<setcode:code>/", views.set_current, name="set"),
    path("tieu-chi/<setcode:code>/so-sanh/", views.version_compare, name="compare"),
    path("tieu-chi/<setcode:code>/<int:version>/", views.version_detail, name="version"),
    path("tieu-chi/<setcode:code>/<int:version>/ap-dung/", views.version_activate, name="activate"),
    path("tieu-chi/<setcode:code>/<int:version>/thu-danh-gia/", views.version_try, name="try"),
    path(
        "tieu-chi/<setcode:code>/<int:version>/tai-ve.<str:fmt>",
        views.version_download,
        name="download",
    ),
]
