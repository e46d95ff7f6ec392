"""django-axes ships no Vietnamese: its admin pages said "Access attempts", "Locked out"… (issue 15). The names a
person reads there, set once when the app registry is ready (labels only; no field, table or behaviour changes)."""

from __future__ import annotations

from django.apps import apps

APP = "Đăng nhập, khóa tài khoản"
MODELS = {
    "accessattempt": ("lần đăng nhập sai đang tính", "các lần đăng nhập sai đang tính"),
    "accesslog": ("nhật ký đăng nhập", "nhật ký đăng nhập"),
    "accessfailurelog": ("lần đăng nhập sai", "các lần đăng nhập sai"),
    "accessattemptexpiration": ("hạn xóa lần đăng nhập sai", "hạn xóa các lần đăng nhập sai"),
}
FIELDS = {
    "id": "mã", "user_agent": "trình duyệt", "ip_address": "địa chỉ IP", "username": "tên đăng nhập", "http_accept": "HTTP Accept",
    "path_info": "đường dẫn", "attempt_time": "thời điểm", "get_data": "dữ liệu GET", "post_data": "dữ liệu POST",
    "failures_since_start": "số lần sai", "locked_out": "bị khóa", "logout_time": "thời điểm đăng xuất",
    "session_hash": "mã phiên (băm sha256)", "access_attempt": "lần đăng nhập", "expires_at": "hết hạn lúc",
}


def axes_labels_apply() -> None:
    if not apps.is_installed("axes"):
        return
    config = apps.get_app_config("axes")
    config.verbose_name = APP
    for model in config.get_models():
        names = MODELS.get(model._meta.model_name or "")
        if names:
            model._meta.verbose_name, model._meta.verbose_name_plural = names
        for f in model._meta.fields:
            if f.name in FIELDS:
                f.verbose_name = FIELDS[f.name]
    from axes.admin import IsLockedOutFilter

    IsLockedOutFilter.title = "bị khóa"
