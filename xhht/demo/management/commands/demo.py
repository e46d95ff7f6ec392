from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from xhht.demo.foundation import DEMO_ACCOUNTS, DEMO_PASSWORD, REFORM_ACCOUNTS
from xhht.demo.loader import demo_loaders


class Command(BaseCommand):
    help = "Tạo hoặc cập nhật cơ sở dữ liệu và nạp dữ liệu mẫu huyện Hòa An (chạy lại nhiều lần không sao)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--only", nargs="*", help="chỉ nạp các phần này (foundation, indicators, …)")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        parts = [(n, load) for n, load in demo_loaders() if not options["only"] or n in options["only"]]
        with tqdm(total=len(parts), desc="Nạp dữ liệu mẫu", unit="phần", disable=options["verbosity"] == 0) as bar:
            for name, load in parts:
                bar.set_postfix_str(name)
                load(actor=None)
                bar.update(1)
        self.stdout.write(self.style.SUCCESS("Đã nạp dữ liệu mẫu: tỉnh Cao Bằng › huyện Hòa An (21 xã, thị trấn)."))
        self.stdout.write("Tài khoản mẫu (mật khẩu chung: %s):" % DEMO_PASSWORD)
        for account in [*DEMO_ACCOUNTS, *REFORM_ACCOUNTS]:
            self.stdout.write(f"  {account.username:<14} {account.note}")
