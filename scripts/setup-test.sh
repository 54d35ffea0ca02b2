#!/usr/bin/env bash
# Installs what the tests need: Debian's xmllint (XSD validation), Chromium (browser tests and PDF printing),
# poppler-utils (pdfinfo/pdftotext/pdftoppm to check the reports) and
# PostgreSQL 15 (the second warehouse engine), then the npm packages from the lockfile.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v xmllint >/dev/null || need+=(libxml2-utils)
command -v pdftoppm >/dev/null || need+=(poppler-utils)
fc-list 2>/dev/null | grep -qi dejavu || need+=(fonts-dejavu-core)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v pg_ctlcluster >/dev/null || [ -x /usr/lib/postgresql/15/bin/initdb ] || need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "Please install: ${need[*]} (e.g. sudo apt-get install -y ${need[*]})" >&2
    exit 1
  fi
fi
npm install --no-audit --no-fund
