from django.urls import path

from xhht.reporting import views

app_name = "reporting"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("tong-hop/<str:code>/<str:period>/", views.completeness_view, name="completeness"),
    path("chat-luong/<str:code>/<str:period>/", views.quality, name="quality"),
    path("tai-len/", views.upload_any, name="upload"),
    path("mau-nhieu-don-vi/<str:form_code>/<str:code>/<str:period>/", views.bulk_template, name="bulk_template"),
    path("bieu/<str:form_code>/<str:reporter_token>/<str:period>/", views.entry, name="entry"),
    path("bieu/<str:form_code>/<str:reporter_token>/<str:period>/duyet/", views.decide, name="decide"),
    path("bieu/<str:form_code>/<str:reporter_token>/<str:period>/mau.xlsx", views.template_download, name="template"),
    path("bieu/<str:form_code>/<str:reporter_token>/<str:period>/tai-len/", views.upload_for_form, name="upload_for_form"),
]
