from django.apps import AppConfig


class LearningModelsConfig(AppConfig):
    name = "xhht.learning_models"
    verbose_name = "Mô hình học tập"
