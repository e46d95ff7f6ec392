"""``xhht exchange export|import``: indicator values as DHIS2 dataValueSets JSON or ADX XML (docs/exchange.md).

    xhht exchange export --unit 051 --from 2016 --to 2020 --format dhis2|adx [--mapping FILE] --user NAME [--out FILE]
    xhht exchange import FILE --format dhis2|adx [--mapping FILE] --user NAME [--dry-run]
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xhht.accounts.models import User
from xhht.exchange.mapping import MappingError, mapping_read
from xhht.exchange.services import ExchangeError, datavalues_export, datavalues_import, max_bytes


def _user(name: str) -> User:
    user = User.objects.filter(username=name, is_active=True).first()
    if user is None:
        raise CommandError(f"Không có tài khoản «{name}» (đang hoạt động): --user là người chịu trách nhiệm về dữ liệu nhập/xuất.")
    return user


class Command(BaseCommand):
    help = "Trao đổi số liệu chỉ tiêu với hệ thống khác: DHIS2 dataValueSet (JSON) hoặc ADX (XML)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        exp = sub.add_parser("export", help="xuất số liệu của một đơn vị và các đơn vị trực thuộc")
        exp.add_argument("--unit", required=True, help="mã đơn vị, ví dụ 051")
        exp.add_argument("--from", dest="period_from", required=True, help="kỳ đầu, ví dụ 2016")
        exp.add_argument("--to", dest="period_to", required=True, help="kỳ cuối, ví dụ 2020")
        exp.add_argument("--element", action="append", help="chỉ phần tử dữ liệu này (lặp lại được)")
        exp.add_argument("--out", help="ghi ra tệp (mặc định: màn hình)")
        imp = sub.add_parser("import", help="nhập số liệu, tất cả hoặc không gì")
        imp.add_argument("file", help="tệp .json (DHIS2) hoặc .xml (ADX)")
        imp.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi")
        for p in (exp, imp):
            p.add_argument("--format", choices=["dhis2", "adx"], default="dhis2")
            p.add_argument("--mapping", help="tệp ánh xạ mã (YAML hoặc CSV)")
            p.add_argument("--user", required=True, help="tài khoản thực hiện (quyền như trên web)")

    def handle(self, *args: Any, **opts: Any) -> None:
        user = _user(opts["user"])
        try:
            mapping = mapping_read(opts["mapping"]) if opts.get("mapping") else None
        except (MappingError, OSError) as exc:
            raise CommandError(str(exc)) from None
        try:
            if opts["action"] == "export":
                body = datavalues_export(user=user, unit_code=opts["unit"], period_from=opts["period_from"], period_to=opts["period_to"],
                                         elements=opts.get("element"), fmt=opts["format"], mapping=mapping)
                if opts.get("out"):
                    Path(opts["out"]).write_bytes(body)
                    self.stdout.write(f"Đã ghi {opts['out']}")
                else:
                    sys.stdout.buffer.write(body)
                    sys.stdout.flush()
                return
            path = Path(opts["file"])
            if not path.is_file():
                raise CommandError(f"Không có tệp «{path}».")
            if path.stat().st_size > max_bytes():
                raise CommandError(f"{path.name}: tệp quá lớn (tối đa {max_bytes() // (1024 * 1024)} MB mỗi lần nhập): hãy chia nhỏ.")
            summary = datavalues_import(user=user, payload=path.read_bytes(), fmt=opts["format"], mapping=mapping, dry_run=opts["dry_run"])
        except ExchangeError as exc:
            raise CommandError(f"{opts.get('file') or ''}: {exc.message}".lstrip(": ")) from None
        if not summary.ok:
            lines = [f"{path.name}: không ghi gì, {len(summary.conflicts)} giá trị bị từ chối:"]
            lines += [f"  {c.message}" for c in summary.conflicts[:50]]
            if len(summary.conflicts) > 50:
                lines.append(f"  … và {len(summary.conflicts) - 50} giá trị khác.")
            raise CommandError("\n".join(lines))
        verb = "Kiểm tra xong (không ghi)" if summary.dry_run else "Đã nhập"
        self.stdout.write(f"{verb} {path.name}: {summary.imported} mới, {summary.updated} thay đổi, {summary.ignored} không đổi.")
