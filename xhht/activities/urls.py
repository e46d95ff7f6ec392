from django.urls import path

from xhht.activities import views

app_name = "activities"
urlpatterns = [
    path("", views.index, name="index"),
    path("day-nghe/<int:pk>/hoc-vien/", views.learner_list, name="learners"),
    path("day-nghe/<int:pk>/hoc-vien.xlsx", views.learner_export, name="learners_export"),
    path("day-nghe/<int:pk>/hoc-vien/nhap/<str:job>/", views.learners_import_job, name="learners_job"),
    path("day-nghe/<int:pk>/hoc-vien/nhap/<str:job>/trang-thai/", views.learners_import_job, {"status_only": True}, name="learners_status"),
    path("<slug:slug>/", views.register_list, name="list"),
    path("<slug:slug>/them/", views.record_create, name="create"),
    path("<slug:slug>/nhap/", views.register_import, name="import"),
    path("<slug:slug>/nhap/<str:job>/", views.register_import_job, name="import_job"),
    path("<slug:slug>/nhap/<str:job>/trang-thai/", views.register_import_job, {"status_only": True}, name="import_status"),
    path("<slug:slug>/xuat.xlsx", views.register_export, name="export"),
    path("<slug:slug>/<int:pk>/", views.record_edit, name="edit"),
    path("<slug:slug>/<int:pk>/xoa/", views.record_delete, name="delete"),
]
