from django.urls import path

from xhht.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.profile, name="profile"),
    path("xac-thuc/", views.two_factor, name="two_factor"),
]
