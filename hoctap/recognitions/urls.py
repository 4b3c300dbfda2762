from django.urls import path

from hoctap.recognitions import self_views, views

app_name = "recognitions"

urlpatterns = [
    path("", views.round_list, name="rounds"),
    path("tien-do/", views.progress, name="progress"),
    path("dot/<str:public_id>/", views.round_detail, name="round"),
    path("dot/<str:public_id>/tai/<str:kind>", views.round_document, name="round_document"),
    path("dot/<str:public_id>/tac-vu/<str:job_id>/", self_views.round_job_status, name="round_job"),
    path("dot/<str:public_id>/<slug:action>/", views.round_action, name="round_action"),
    path("phieu/<str:public_id>/", views.assessment_form, name="assessment"),
    path("phieu/<str:public_id>/tra-lai/", self_views.assessment_return, name="assessment_return"),
    path("phieu/<str:public_id>/minh-chung/", self_views.evidence_upload, name="evidence_upload"),
    path("minh-chung/<str:public_id>/", self_views.evidence_download, name="evidence"),
    path("tu-danh-gia/", self_views.self_home, name="self_home"),
    path("tu-danh-gia/<int:year>/", self_views.self_form, name="self_form"),
    path("danh-hieu/<str:public_id>/thu-hoi/", views.recognition_revoke, name="revoke"),
]
