#!/usr/bin/env bash
# install-deps: installs the Debian packages barrage builds and tests with, if any is missing.
# As root it runs apt-get; otherwise it prints the exact command and stops.
# --test adds what the whole test suite uses: Chromium (the HTML report is opened
# headless), Debian's Locust (its CSV headers are compared byte for byte),
# iproute2 (multi-host tests in network namespaces), clang and its libFuzzer
# runtime libclang-rt-14-dev (fuzz targets; clang only recommends it),
# valgrind, Node.js (drives Chromium over the DevTools protocol), Prometheus
# (scrapes /metrics; promtool checks it), nginx-light and openssl (test_tls: HTTPS,
# HTTP/2, h2c and mutual TLS against certificates the test makes), tinyproxy
# (test_transport: the proxy: key) and python3 (barrage import-locust's converter,
# tests/locust).
set -euo pipefail
PKGS=(build-essential cmake pkg-config libzmq3-dev libcurl4-openssl-dev libmsgpack-dev
      libyaml-dev libjansson-dev libsodium-dev libpcre2-dev libcriterion-dev libmicrohttpd-dev libmimalloc-dev curl)
if [ "${1:-}" = "--test" ]; then
    PKGS+=(chromium python3 python3-locust iproute2 clang libclang-rt-14-dev valgrind shellcheck
           python3-yaml prometheus nginx-light openssl tinyproxy)
    command -v node >/dev/null 2>&1 || PKGS+=(nodejs)
fi
missing=()
for p in "${PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
    echo "barrage: missing Debian packages. Run as root:" >&2
    echo "  apt-get update && $cmd" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
$cmd
