"""The public pages of official reports, mounted at /cong-khai/: no account needed."""

from django.urls import path

from xhht.official_reports import views

app_name = "public_reports"
urlpatterns = [
    path("", views.public_list, name="list"),
    path("<int:pk>/", views.public_detail, name="detail"),
    path("<int:pk>/<str:fmt>/", views.public_download, name="download"),
]
