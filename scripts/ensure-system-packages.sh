#!/usr/bin/env bash
# Installs the Debian packages the product needs at run time (and, with --tests, for the tests).
# Runs as root: installs what is missing. Otherwise: prints exactly what to install and fails.
set -euo pipefail

want_tests=0
[ "${1:-}" = "--tests" ] && want_tests=1

missing=()
# OpenCvSharp's official Linux runtime links against GTK 3.
ldconfig -p 2>/dev/null | grep -q 'libgtk-3.so.0' || missing+=(libgtk-3-0)
# The build marks one libstdc++ version requirement of TorchSharp's native shim weak (build/mark-glibcxx-weak.py).
command -v python3 >/dev/null 2>&1 || missing+=(python3)
if [ "$want_tests" -eq 1 ]; then
  # The persistence tests start a throwaway PostgreSQL server with initdb + pg_ctl.
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
  # The dashboard's Playwright end-to-end tests drive Debian's Chromium (Playwright cannot download a browser here).
  [ -x /usr/bin/chromium ] || missing+=(chromium)
fi
if ! command -v dotnet >/dev/null 2>&1; then
  echo "error: the .NET 10 SDK is not installed (https://learn.microsoft.com/dotnet/core/install/linux-debian)." >&2
  exit 1
fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "error: missing system packages: ${missing[*]}. Install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi

echo "installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
