from django.urls import path

from hoctap.documents import views

app_name = "documents"

urlpatterns = [
    path("mau/", views.template_list, name="templates"),
    path("mau/<str:doc_type>/tai-ve.docx", views.template_download, name="template_download"),
    path("mau/<str:doc_type>/nap/", views.template_upload, name="template_upload"),
    path("mau/<str:doc_type>/<int:version>/tai-ve.docx", views.template_download, name="template_version"),
    path("mau/<str:doc_type>/<int:version>/ap-dung/", views.template_activate, name="template_activate"),
]
