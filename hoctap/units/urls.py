from django.urls import path

from hoctap.units import views

app_name = "units"

urlpatterns = [
    path("", views.unit_browser, name="browser"),
    path("<str:public_id>/", views.unit_detail, name="detail"),
    path("<str:public_id>/nhat-ky/", views.unit_audit, name="audit"),
]
