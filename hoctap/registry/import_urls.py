from django.urls import path

from hoctap.registry import import_views as views

app_name = "imports"

urlpatterns = [
    path("", views.import_index, name="index"),
    path("lan/<str:batch_id>/", views.import_batch_detail, name="batch"),
    path("lan/<str:batch_id>/trang-thai/", views.import_batch_status, name="status"),
    path("lan/<str:batch_id>/bao-cao.<str:fmt>", views.import_batch_report, name="report"),
    path("<str:unit_id>/<str:kind>/", views.import_upload, name="upload"),
    path("<str:unit_id>/<str:kind>/mau.xlsx", views.import_template, name="template"),
]
