from django.urls import path

from xhht.steering import views

app_name = "steering"
urlpatterns = [
    path("", views.documents, name="documents"),
    path("<int:pk>/", views.document, name="document"),
    path("them/<str:code>/", views.document_create, name="document_create"),
    path("<int:pk>/file", views.document_file, name="document_file"),
]
