from django.urls import path

from xhht.literacy import views

app_name = "literacy"
urlpatterns = [
    path("", views.index, name="index"),
    path("nhap/", views.upload, name="upload"),
    path("nhap/<str:job>/", views.upload_job, name="upload_job"),
    path("nhap/<str:job>/trang-thai", views.upload_status, name="upload_status"),
    path("<str:code>/<int:year>/", views.results, name="results"),
    path("<str:code>/<int:year>/nguoi/", views.persons, name="persons"),
    # The person by their id on the survey (the key within the commune-year; any text up to 40 characters, "/" too).
    path("<str:code>/<int:year>/nguoi/<path:person_id>/", views.person_edit, name="person_edit"),
    path("<str:code>/<int:year>/xac-nhan/", views.attest, name="attest"),
]
