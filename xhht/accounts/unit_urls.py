from django.urls import path

from xhht.accounts import unit_pages

# The unit pages (/don-vi/), routed through the access policy: accounts.unit_pages checks the user and passes
# its decisions to units.views; units sits below accounts and does not import it (layering contract).
app_name = "units"
urlpatterns = [
    path("", unit_pages.tree, name="tree"),
    path("thay-doi-dia-gioi/", unit_pages.changes_import, name="changes_import"),
    path("thay-doi-dia-gioi/nhap/<str:job>/", unit_pages.changes_job, name="changes_job"),
    path("thay-doi-dia-gioi/nhap/<str:job>/trang-thai", unit_pages.changes_job_status, name="changes_job_status"),
    path("<str:code>/", unit_pages.detail, name="detail"),
    path("<str:code>/export.xlsx", unit_pages.export_xlsx, name="export"),
]
