from django.urls import path

from hoctap.registry import views

app_name = "registry"

urlpatterns = [
    path("", views.index, name="index"),
    path("ho/", views.household_list, name="households"),
    path("ho/them/", views.household_create, name="household_create"),
    path("ho/xuat-excel/", views.household_export, name="household_export"),
    path("tep-xuat/<str:public_id>/", views.export_detail, name="export"),
    path("tep-xuat/<str:public_id>/tai-ve/", views.export_download, name="export_download"),
    path("ho/<str:public_id>/", views.household_detail, name="household"),
    path("ho/<str:public_id>/sua/", views.household_edit, name="household_edit"),
    path("ho/<str:public_id>/chuyen/", views.household_move, name="household_move"),
    path("ho/<str:public_id>/tinh-trang/", views.household_status, name="household_status"),
    path("ho/<str:public_id>/cccd/", views.household_cccd, name="household_cccd"),
    path("ho/<str:public_id>/them-nhan-khau/", views.citizen_create, name="citizen_create"),
    path("cong-dan/", views.citizen_list, name="citizens"),
    path("cong-dan/<str:public_id>/", views.citizen_detail, name="citizen"),
    path("cong-dan/<str:public_id>/sua/", views.citizen_edit, name="citizen_edit"),
    path("cong-dan/<str:public_id>/chuyen-ho/", views.citizen_move, name="citizen_move"),
    path("cong-dan/<str:public_id>/cccd/", views.citizen_cccd, name="citizen_cccd"),
    path("dong-ho/", views.clan_list, name="clans"),
    path("dong-ho/them/", views.clan_create, name="clan_create"),
    path("dong-ho/<str:public_id>/", views.clan_detail, name="clan"),
    path("dong-ho/<str:public_id>/them-ho/", views.clan_add_household, name="clan_add_household"),
    path("dong-ho/<str:public_id>/bot-ho/", views.clan_remove_household, name="clan_remove_household"),
    path("thon/", views.village_list, name="villages"),
]
