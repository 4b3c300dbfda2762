from django.urls import path

from hoctap.recognitions import views

app_name = "recognitions"

urlpatterns = [
    path("", views.round_list, name="rounds"),
    path("tien-do/", views.progress, name="progress"),
    path("dot/<str:public_id>/", views.round_detail, name="round"),
    path("dot/<str:public_id>/tai/<str:kind>", views.round_document, name="round_document"),
    path("dot/<str:public_id>/<slug:action>/", views.round_action, name="round_action"),
    path("phieu/<str:public_id>/", views.assessment_form, name="assessment"),
    path("danh-hieu/<str:public_id>/thu-hoi/", views.recognition_revoke, name="revoke"),
]
