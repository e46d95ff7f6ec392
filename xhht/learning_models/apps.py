from django.apps import AppConfig


class LearningModelsConfig(AppConfig):
    name = "xhht.learning_models"
    verbose_name = "Mô hình học tập"

    def ready(self) -> None:
        # Refuse to start with a bad rubric file (the message names file and line).
        from xhht.learning_models.rubrics import all_rubrics

        all_rubrics()
        # Its counts in the indicator store trace back to the commune's registrations and evaluations.
        from django.urls import reverse

        from xhht.indicators.sources import source_link_register

        source_link_register(rule_prefix="learning_models", resolver=lambda v: (
            "đăng ký, đánh giá và công nhận mô hình học tập", reverse("learning_models:commune", args=[v.unit_id, int(v.period[:4])])))
