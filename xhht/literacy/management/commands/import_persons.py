"""``xhht import persons FILE --year YYYY``: household-survey persons (format 2).

``xhht import persons FOLDER --year YYYY --workers N``: every .csv/.xlsx file of the folder (the national path),
N files at a time in worker processes, each file all-or-nothing; the refused ones are listed with their problems.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from xhht.core.commands import rejected_as_command_error
from xhht.core.tabular import Rejected
from xhht.jobs.services import JobBusy, job_held
from xhht.literacy.jobs import GROUP
from xhht.literacy.services import persons_import, persons_import_folder

PHASES = {"checking": "Đang kiểm tra", "writing": "Đang ghi", "done": "Xong"}


class Command(BaseCommand):
    help = "Nhập phiếu điều tra hộ gia đình PCGD-XMC (mỗi dòng một người) cho một năm điều tra."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="tệp CSV/XLSX, hoặc thư mục chứa nhiều tệp (nhập song song)")
        parser.add_argument("--workers", type=int, default=2, help="số tiến trình nhập song song khi nhập cả thư mục (mặc định 2)")
        parser.add_argument("--year", type=int, required=True, help="năm điều tra, ví dụ 2019")
        parser.add_argument("--user", help="tên đăng nhập của người nhập: chỉ được nhập các xã trong đơn vị của người đó")
        parser.add_argument("--no-publish", action="store_true", help="không ghi số liệu tổng hợp vào kho chỉ tiêu")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = None
        if options["user"]:
            from xhht.accounts.models import User

            actor = User.objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"Không có người dùng «{options['user']}».")
        year = options["year"]
        if Path(options["file"]).is_dir():
            self._folder(actor, year, Path(options["file"]), options)
            return
        bar = tqdm(unit=" dòng", desc="Đang kiểm tra", disable=options["verbosity"] == 0)

        def progress(rows: int, phase: str) -> None:
            bar.set_description(PHASES.get(phase, phase))
            bar.update(rows - bar.n)

        try:
            # Holds the year's import lock: a web import of the same year waits, or this one is refused.
            with job_held(handler="cli:import_persons", params={"year": year, "file": str(options["file"])}, user=actor,
                          unit_code=getattr(actor, "unit_id", None) or "", group=f"{GROUP}{year}"):
                result = persons_import(actor=actor, year=year, path=options["file"], progress=progress,
                                        publish=not options["no_publish"])
        except JobBusy:
            raise CommandError(f"Một lượt nhập phiếu điều tra khác của năm {year} đang chạy; xin chờ lượt đó xong rồi nhập lại.") from None
        except Rejected as exc:
            raise rejected_as_command_error(exc) from None
        finally:
            bar.close()
        replaced = sum(1 for n in result.replaced.values() if n)
        self.stdout.write(f"Đã nhập {result.persons} người của {len(result.communes)} xã năm {options['year']}"
                          f" (thay thế dữ liệu cũ của {replaced} xã).")

    def _folder(self, actor: Any, year: int, folder: Path, options: dict[str, Any]) -> None:
        paths = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in {".csv", ".xlsx", ".txt"})
        if not paths:
            raise CommandError(f"Thư mục «{folder}» không có tệp .csv hay .xlsx nào.")
        bar = tqdm(total=len(paths), unit=" tệp", desc="Đang nhập", disable=options["verbosity"] == 0)

        def progress(name: str, result: Any, problems: list[str]) -> None:
            bar.update(1)

        try:
            with job_held(handler="cli:import_persons", params={"year": year, "file": str(folder)}, user=actor,
                          unit_code=getattr(actor, "unit_id", None) or "", group=f"{GROUP}{year}"):
                result = persons_import_folder(actor=actor, year=year, paths=paths, workers=max(1, options["workers"]),
                                               publish=not options["no_publish"], progress=progress)
        except JobBusy:
            raise CommandError(f"Một lượt nhập phiếu điều tra khác của năm {year} đang chạy; xin chờ lượt đó xong rồi nhập lại.") from None
        finally:
            bar.close()
        self.stdout.write(f"Đã nhập {result.persons} người của {len(result.communes)} xã năm {year} "
                          f"từ {len(paths) - len(result.refused)}/{len(paths)} tệp.")
        if result.refused:
            lines = [f"{len(result.refused)} tệp không được nhập (không ghi gì từ các tệp này):"]
            for problems in result.refused.values():
                lines.extend(f"  {p}" for p in problems)
            raise CommandError("\n".join(lines))
