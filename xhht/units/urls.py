from django.urls import path

from xhht.units import views

app_name = "units"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("thay-doi-dia-gioi/", views.changes_import, name="changes_import"),
    path("thay-doi-dia-gioi/nhap/<str:job>/", views.changes_job, name="changes_job"),
    path("thay-doi-dia-gioi/nhap/<str:job>/trang-thai", views.changes_job_status, name="changes_job_status"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/export.xlsx", views.export_xlsx, name="export"),
]
