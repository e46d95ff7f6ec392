"""``xhht export-instance ARCHIVE.zip``: the whole instance as one archive (docs/exchange.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from xhht.exchange.instance import instance_export


class Command(BaseCommand):
    help = "Xuất toàn bộ dữ liệu của hệ thống (đơn vị, số liệu, báo cáo, sổ theo dõi, tệp) ra một tệp .zip để chuyển sang XHHT khác."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="tệp .zip sẽ ghi, ví dụ xhht-caobang.zip")

    def handle(self, *args: Any, **opts: Any) -> None:
        manifest = instance_export(path=opts["archive"])
        rows = sum(t["rows"] for t in manifest["tables"])
        self.stdout.write(f"Đã ghi {opts['archive']}: {len(manifest['tables'])} bảng, {rows} dòng, {len(manifest['files'])} tệp.")
