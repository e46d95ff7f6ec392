from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    """One change to the data: who, when, what, old → new.

    Written by the service that makes the change, in the same transaction, so there is
    never a change without its entry nor an entry for a change that was rolled back.
    """

    at = models.DateTimeField("thời điểm", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, verbose_name="người thực hiện")
    action = models.CharField("thao tác", max_length=64)
    object_type = models.CharField("loại đối tượng", max_length=100)
    object_id = models.CharField("mã đối tượng", max_length=64)
    object_repr = models.CharField("đối tượng", max_length=300)
    # The unit whose data changed, so an officer can read the log of their own area only.
    unit_code = models.CharField("đơn vị", max_length=20, blank=True, db_index=True)
    changes = models.JSONField("thay đổi (cũ → mới)", default=dict, blank=True)
    note = models.TextField("ghi chú", blank=True)

    class Meta:
        verbose_name = "mục nhật ký"
        verbose_name_plural = "nhật ký thay đổi"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        from xhht.audit.sentences import action_text  # the action in words, never its code (admin titles, breadcrumbs)

        return f"{self.at:%d/%m/%Y %H:%M} {self.actor or 'hệ thống'} {action_text(self)} {self.object_repr}"
