"""gunicorn settings of ``xhht serve`` (read with ``-c python:xhht.gunicorn_conf``); each can be set by environment."""

import os

worker_class = "xhht.serving.HeadFirstThreadWorker"
# One process per core (Python runs one thread at a time per process); threads overlap the waits on PostgreSQL.
# Each thread keeps one database connection (CONN_MAX_AGE): 2 × 8 = 16, well under PostgreSQL's 100.
workers = int(os.environ.get("XHHT_WORKERS", "2"))
threads = int(os.environ.get("XHHT_THREADS", "8"))
# A process is replaced after this many requests (± jitter, so both never restart together): memory a large
# page took is given back to the system.
max_requests = int(os.environ.get("XHHT_MAX_REQUESTS", "5000"))
max_requests_jitter = 500
# Connections a worker holds at once (most of them waiting, threadless, for their head or a keep-alive request).
worker_connections = int(os.environ.get("XHHT_WORKER_CONNECTIONS", "1000"))
# Long work runs in ``xhht worker``: no request should take a minute.
timeout = int(os.environ.get("XHHT_REQUEST_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190
# Behind nginx on the same host: trust its X-Forwarded-* headers only from there.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = None  # requests are logged as JSON lines by xhht.core.logs' middleware
errorlog = "-"
loglevel = os.environ.get("XHHT_GUNICORN_LOG_LEVEL", "warning")
