"""``xhht import-instance ARCHIVE.zip``: load an archive of ``xhht export-instance`` into an empty instance."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xhht.exchange.instance import InstanceError, instance_import


class Command(BaseCommand):
    help = "Nhập một tệp xuất toàn bộ của XHHT vào hệ thống này (phải trống, cùng phiên bản); tất cả hoặc không gì."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="tệp .zip do «xhht export-instance» ghi")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            result = instance_import(path=opts["archive"])
        except InstanceError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Đã nhập {result['rows']} dòng, {result['files']} tệp.")
        if result["catalogue_differences"]:
            self.stdout.write("Lưu ý: danh mục ở hệ thống này khác danh mục lúc xuất: " + ", ".join(result["catalogue_differences"]))
        self.stdout.write("Tài khoản được nhập không có mật khẩu: mỗi người đặt lại mật khẩu (quản trị viên dùng «xhht changepassword TÊN»).")
