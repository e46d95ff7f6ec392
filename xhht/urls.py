"""URL map. Each capability's app mounts its own urls.py under one prefix."""

from importlib.util import find_spec

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from xhht.accounts import unit_pages
from xhht.accounts import views as account_views

admin.site.site_header = "XHHT – Quản trị dữ liệu danh mục"
admin.site.site_title = "XHHT"

urlpatterns = [
    path("", account_views.home, name="home"),
    path("dang-nhap/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("doi-mat-khau/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("doi-mat-khau/xong/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("don-vi/", include("xhht.accounts.unit_urls")),
    path("van-ban/", include("xhht.steering.urls")),
    path("nhat-ky/", include("xhht.accounts.change_log_urls")),
    path("api/units/<str:code>/", unit_pages.api_detail, name="api_unit"),
    path("quan-tri/", admin.site.urls),
    path("tai-khoan/", include("xhht.accounts.urls")),
    # The REST API (issue 17): /api/v1/, its schema /api/v1/schema, its reference page /api/v1/docs.
    path("api/v1/", include("xhht.api.urls")),
]

# Later capabilities mount themselves here when their urls.py exists.
for prefix, module in [
    ("chi-tieu/", "xhht.indicators.urls"),
    ("xoa-mu-chu/", "xhht.literacy.urls"),
    ("bao-cao-dinh-ky/", "xhht.reporting.urls"),
    ("mo-hinh-hoc-tap/", "xhht.learning_models.urls"),
    ("hoat-dong/", "xhht.activities.urls"),
    ("bao-cao/", "xhht.official_reports.urls"),
    ("cong-khai/", "xhht.official_reports.public_urls"),
    ("kiem-tra-bao-cao/", "xhht.report_checker.urls"),
]:
    if find_spec(module) is not None:
        urlpatterns.append(path(prefix, include(module)))

# Monitoring (issue 12): database, job worker, disk.
from xhht.jobs.views import healthz  # noqa: E402

urlpatterns.append(path("healthz", healthz, name="healthz"))
