#!/usr/bin/env bash
# Start the local PostgreSQL server if it is down (CI machines have one at 127.0.0.1:5432).
set -euo pipefail
if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then exit 0; fi
echo "PostgreSQL chưa chạy; đang khởi động…"
sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
$sudo pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && exit 0; sleep 1; done
echo "Không khởi động được PostgreSQL." >&2; exit 1
