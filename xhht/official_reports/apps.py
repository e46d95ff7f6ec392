from django.apps import AppConfig


class OfficialReportsConfig(AppConfig):
    name = "xhht.official_reports"
    verbose_name = "Báo cáo chính thức"

    def ready(self) -> None:
        # Report definitions and the document layout are data: refuse a bad file at start-up,
        # naming the file and the line (CatalogueError).
        from xhht.official_reports.catalogue import document_format, report_kinds

        report_kinds()
        document_format()
