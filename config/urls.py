from django.contrib import admin
from django.urls import include, path

from hoctap.recognitions import views as recognitions_views

admin.site.site_header = "hoctap — quản trị"
admin.site.site_title = "hoctap"

urlpatterns = [
    path("", include("hoctap.core.urls")),
    path("", include("hoctap.accounts.urls")),
    path("don-vi/", include("hoctap.units.urls")),
    path("dan-cu/", include("hoctap.registry.urls")),
    path("nhap-du-lieu/", include("hoctap.registry.import_urls")),
    path("", include("hoctap.criteria.urls")),
    path("cong-nhan/", include("hoctap.recognitions.urls")),
    path("van-ban/", include("hoctap.documents.urls")),
    path("xac-minh/", recognitions_views.verify, name="verify"),
    path("xac-minh/<str:code>/", recognitions_views.verify, name="verify_code"),
    path("verify/<str:code>/", recognitions_views.verify, name="verify_code_en"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("quan-tri/", admin.site.urls),
]

handler404 = "hoctap.core.views.not_found"
handler403 = "hoctap.core.views.forbidden"
