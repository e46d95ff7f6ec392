from django.urls import path

from xhht.official_reports import views

app_name = "official_reports"
urlpatterns = [
    path("", views.report_index, name="index"),
    path("tao/", views.report_new, name="new"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/dau-trang/", views.report_header, name="header"),
    path("<int:pk>/muc/<int:section_id>/", views.report_section, name="section"),
    path("<int:pk>/muc/<int:section_id>/soan-lai/", views.report_section_redraft_view, name="section_redraft"),
    path("<int:pk>/nguon/", views.report_trace, name="trace"),
    path("<int:pk>/tao-tep/", views.report_issue_view, name="issue"),
    path("<int:pk>/tao-tep/<int:job>/", views.report_issue_status, name="issue_status"),
    path("<int:pk>/kiem-tra/", views.report_checklist_view, name="checklist"),
    path("<int:pk>/phien-ban/<int:version>/cong-khai/", views.report_publish_view, name="publish"),
    path("<int:pk>/phien-ban/<int:version>/go-cong-khai/", views.report_withdraw_view, name="withdraw"),
    path("<int:pk>/phien-ban/<int:version>/<str:fmt>/", views.report_download, name="download"),
    path("<int:pk>/phien-ban/<int:version>/", views.report_version, name="version"),
]
