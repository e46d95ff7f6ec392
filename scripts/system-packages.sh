#!/usr/bin/env bash
# Debian packages the test suite needs: Chromium and its driver for the browser tests, and a
# Times-New-Roman-metric font with Vietnamese glyphs for the PDF, LibreOffice (headless, .docx → .pdf)
# poppler-utils (pdftoppm/pdftotext, the tests that read the PDF) and clamav (clamscan, sigtool: the
# attachment scan tests, with a signature made in the test). Installs only what is missing.
set -euo pipefail
wanted=(chromium chromium-driver fonts-liberation2 libreoffice-writer-nogui poppler-utils clamav)
[ -n "${XHHT_EXTRA_PACKAGES:-}" ] && wanted+=(${XHHT_EXTRA_PACKAGES})
missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Cài gói hệ thống: ${missing[*]}"
sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
