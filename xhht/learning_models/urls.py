from django.urls import path

from xhht.learning_models import views

app_name = "learning_models"

urlpatterns = [
    path("", views.index, name="index"),
    path("bo-tieu-chi/", views.rubric_list, name="rubrics"),
    path("bo-tieu-chi/<str:code>/", views.rubric_detail, name="rubric"),
    path("don-vi/<str:code>/xep-loai/", views.classification, name="classification"),
    path("don-vi/<str:code>/<int:year>/", views.commune, name="commune"),
    path("don-vi/<str:code>/<int:year>/dang-ky/", views.register, name="register"),
    path("don-vi/<str:code>/<int:year>/dang-ky/mau.xlsx", views.registration_template, name="registration_template"),
    path("don-vi/<str:code>/<int:year>/dang-ky/nhap/", views.registrations_upload, name="registrations_import"),
    path("don-vi/<str:code>/<int:year>/so-ho/", views.households, name="households"),
    path("don-vi/<str:code>/<int:year>/doan-kiem-tra/", views.inspection_team, name="team"),
    path("don-vi/<str:code>/<int:year>/cong-nhan/<str:kind>/", views.recognise, name="recognise"),
    path("don-vi/<str:code>/<int:year>/danh-sach/<str:kind>/", views.recognised_list, name="list"),
    path("mo-hinh/<int:pk>/<int:year>/danh-gia/", views.evaluation_open, name="evaluation_open"),
    path("danh-gia/<int:pk>/", views.evaluation, name="evaluation"),
    path("danh-gia/<int:pk>/in/", views.score_sheet, name="score_sheet"),
    path("danh-gia/<int:pk>/minh-chung/<int:evidence_pk>/", views.evidence_download, name="evidence"),
]
