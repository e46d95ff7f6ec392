"""``xhht submit FILE.xlsx``: store (and submit) a filled template, with the same checks as the web."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xhht.accounts.models import User
from xhht.core.commands import rejected_as_command_error
from xhht.core.tabular import Rejected
from xhht.reporting.excel import import_workbook


class Command(BaseCommand):
    help = "Nhập một mẫu Excel đã điền (một hay nhiều trang tính) và nộp báo cáo; có lỗi thì không ghi gì."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--user", help="tên đăng nhập của người nộp (kiểm tra quyền như trên web); bỏ trống: quản trị máy chủ")
        parser.add_argument("--draft", action="store_true", help="chỉ lưu bản nháp, không nộp")
        parser.add_argument("--explain", default="", help="giải trình dùng cho mọi cảnh báo (nếu không có, cảnh báo chặn việc nộp)")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"], is_active=True).first()
            if actor is None:
                raise CommandError(f"Không có người dùng «{options['user']}».")
        try:
            results = import_workbook(path=options["file"], actor=actor, submit=not options["draft"], warning_comment=options["explain"],
                                      check_rights=actor is not None)
        except Rejected as exc:
            raise rejected_as_command_error(exc) from None
        verb = "lưu nháp" if options["draft"] else "nộp"
        for result in results:
            self.stdout.write(f"Đã {verb}: {result.submission} (phiên bản {result.submission.version}).")
