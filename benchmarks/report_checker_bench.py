"""Benchmark: checking a 100-page report (issue 16: under 5 s).

    XHHT_DATA_DIR=/tmp/xhht-bench-checker python benchmarks/report_checker_bench.py [--pages 100]

Builds a Word report of at least ``--pages`` pages from the seed (Báo cáo 298/BC-UBND, its paragraphs and
tables repeated), counts its pages on the PDF LibreOffice makes of it (pdfinfo), then times, best of 3:
the whole check of the .docx, of that .pdf and of the .txt (read safely + check), beside baselines that
only open the file (python-docx loading every paragraph and cell; pdftotext alone; a bare regex pass
over the text for numbers). No database is needed.
"""

from __future__ import annotations

import argparse
import platform
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import best_of  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=100)
    args = parser.parse_args()
    import django

    django.setup()
    import docx

    from xhht.report_checker.documents import document_read
    from xhht.report_checker.engine import check_document
    from xhht.report_checker.tests.documents import docx_from_text, pdf_from_docx, seed_text

    seed = seed_text()
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)

        def pages_of(copies: int) -> tuple[int, Path, Path, Path]:
            text = "\n\n".join([seed] * copies)
            txt = out / f"bao-cao-{copies}.txt"
            txt.write_text(text, encoding="utf-8")
            word = docx_from_text(text, out / f"bao-cao-{copies}.docx")
            pdf = pdf_from_docx(word, out)
            info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
            return int(re.search(r"Pages:\s+(\d+)", info).group(1)), txt, word, pdf  # type: ignore[union-attr]

        one, *_ = pages_of(1)
        copies = max(1, -(-args.pages // one))
        pages, txt, word, pdf = pages_of(copies)
        print(f"machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}; seed = {one} pages; "
              f"report = {copies} × seed = {pages} pages, {word.stat().st_size // 1024} KB .docx")

        def run(path: Path) -> tuple[int, int]:
            result = check_document(document_read(path))
            return result.statements_checked, len(result.findings)

        for label, path in (("docx", word), ("pdf", pdf), ("txt", txt)):
            seconds, (statements, findings) = best_of(lambda p=path: run(p), runs=3)
            print(f"check .{label}: {seconds:.3f} s ({statements} statements, {findings} findings)")

        def docx_open() -> int:
            document = docx.Document(str(word))
            return sum(len(p.text) for p in document.paragraphs) + sum(len(c.text) for t in document.tables for r in t.rows for c in r.cells)

        seconds, _ = best_of(docx_open, runs=3)
        print(f"baseline python-docx, open and read every paragraph and cell: {seconds:.3f} s")
        seconds, _ = best_of(lambda: subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True), runs=3)
        print(f"baseline pdftotext alone: {seconds:.3f} s")
        text = txt.read_text(encoding="utf-8")
        seconds, count = best_of(lambda: len(re.findall(r"\d+(?:[.,]\d+)*", text)), runs=3)
        print(f"baseline one regex pass for numbers over the text: {seconds:.3f} s ({count} numbers)")


if __name__ == "__main__":
    main()
