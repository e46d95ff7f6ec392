from __future__ import annotations

import getpass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xhht.accounts.models import Role
from xhht.accounts.services import user_create_or_update
from xhht.organisations.models import Organisation
from xhht.units.models import Unit


class Command(BaseCommand):
    help = "Tạo (hoặc cập nhật) một người dùng với vai trò và đơn vị."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--unit", help="mã đơn vị hành chính của người dùng")
        parser.add_argument("--organisation", type=int, help="mã (id) cơ quan, tổ chức, với vai trò organisation_officer")
        parser.add_argument("--name", default="", help="họ và tên")
        parser.add_argument("--email", default="")
        parser.add_argument("--phone", default="")
        parser.add_argument("--password", help="mật khẩu (bỏ trống để nhập khi chạy)")

    def handle(self, *args: Any, **options: Any) -> None:
        unit = organisation = None
        if options["unit"]:
            unit = Unit.objects.filter(code=options["unit"]).first()
            if unit is None:
                raise CommandError(f"Không có đơn vị mã «{options['unit']}».")
        if options["organisation"]:
            organisation = Organisation.objects.filter(pk=options["organisation"]).first()
            if organisation is None:
                raise CommandError(f"Không có cơ quan, tổ chức mã «{options['organisation']}».")
        password = options["password"] or getpass.getpass("Mật khẩu: ")
        try:
            user = user_create_or_update(
                actor=None, username=options["username"], password=password, role=options["role"], unit=unit,
                organisation=organisation, full_name=options["name"], email=options["email"], phone=options["phone"],
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(f"Đã lưu người dùng {user.username} ({user.get_role_display()})."))
