from django.urls import path

from xhht.units import views

app_name = "units"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("thay-doi-dia-gioi/", views.changes_import, name="changes_import"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/export.xlsx", views.export_xlsx, name="export"),
]
