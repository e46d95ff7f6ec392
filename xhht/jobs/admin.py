from django.contrib import admin

from xhht.jobs.models import Job, WorkerBeat


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("id", "handler", "state", "unit_code", "user", "phase", "done_units", "attempts", "created_at", "finished_at")
    list_filter = ("state", "handler")
    readonly_fields = [f.name for f in Job._meta.fields]


@admin.register(WorkerBeat)
class WorkerBeatAdmin(admin.ModelAdmin):
    list_display = ("name", "host", "pid", "started_at", "beat_at")
