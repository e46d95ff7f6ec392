"""``xhht import activities REGISTER FILE [--user NAME]``: import one activity register from CSV/XLSX, all or nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xhht.activities.registers import BY_SLUG, REGISTERS
from xhht.activities.services import activity_records_import
from xhht.core.commands import rejected_as_command_error
from xhht.core.tabular import Rejected


class Command(BaseCommand):
    help = "Nhập một sổ hoạt động (chuyên đề, dạy nghề, tuần lễ học tập, truyền thông, khen thưởng, kinh phí) từ tệp CSV/XLSX."

    def add_arguments(self, parser: CommandParser) -> None:
        names = sorted([*REGISTERS, *BY_SLUG])
        parser.add_argument("register", help="tên sổ: " + ", ".join(names))
        parser.add_argument("path")
        parser.add_argument("--user", help="tên đăng nhập của người nhập (giới hạn theo đơn vị của người đó)")

    def handle(self, *args: Any, **options: Any) -> None:
        spec = REGISTERS.get(options["register"]) or BY_SLUG.get(options["register"])
        if spec is None:
            raise CommandError(f"Không có sổ «{options['register']}».")
        actor = None
        if options.get("user"):
            from xhht.accounts.models import User

            actor = User.objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"Không có người dùng «{options['user']}».")
        try:
            result = activity_records_import(actor=actor, register=spec.key, path=options["path"])
        except Rejected as exc:
            raise rejected_as_command_error(exc) from None
        self.stdout.write(f"Đã nhập {result.rows} dòng vào sổ «{spec.title}»: {result.scopes} nhóm đơn vị – kỳ, {result.changed_scopes} nhóm có thay đổi.")
