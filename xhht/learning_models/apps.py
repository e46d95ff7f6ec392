from django.apps import AppConfig


class LearningModelsConfig(AppConfig):
    name = "xhht.learning_models"
    verbose_name = "Mô hình học tập"

    def ready(self) -> None:
        # Refuse to start with a bad rubric file (the message names file and line).
        from xhht.learning_models.rubrics import all_rubrics

        all_rubrics()
