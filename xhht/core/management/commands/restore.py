from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from xhht.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Khôi phục bản sao lưu trong DIR vào hệ thống này (trống), rồi chạy migrate."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("dir", type=Path)
        parser.add_argument("--force", action="store_true", help="ghi đè cả khi hệ thống đã có dữ liệu")

    def handle(self, *args: Any, dir: Path, force: bool, **options: Any) -> None:
        try:
            warnings = backup_restore(source=dir, force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        call_command("migrate", interactive=False, verbosity=0)
        for warning in warnings:
            self.stderr.write(f"Lưu ý: {warning}")
        self.stdout.write(f"Đã khôi phục từ {dir}.")
