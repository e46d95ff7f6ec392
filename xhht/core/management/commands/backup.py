from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from xhht.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Sao lưu cơ sở dữ liệu, tệp đã tải lên/đã phát hành và cấu hình vào thư mục DIR (mới, trống)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("dir", type=Path)

    def handle(self, *args: Any, dir: Path, **options: Any) -> None:
        try:
            manifest = backup_create(target=dir)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        size = sum(f["bytes"] for f in manifest["files"].values())
        self.stdout.write(f"Đã sao lưu vào {dir} ({manifest['vendor']}, {size:,} byte, {len(manifest['files'])} tệp).".replace(",", "."))
