from django.urls import path

from xhht.report_checker import views

app_name = "report_checker"

urlpatterns = [
    path("", views.check, name="check"),
    path("nhan-so-lieu/", views.accept, name="accept"),
    path("<int:pk>/", views.accepted, name="accepted"),
    path("<int:pk>/tep/", views.download, name="download"),
]
