#!/usr/bin/env bash
# Installs what QualityPress needs to build, test and publish. Idempotent: it installs
# only what is missing, so `make site` and `make test` can call it every time (CI does).
set -euo pipefail

APT_PACKAGES=(
  # Markdown
  libcmark-gfm-dev libcmark-gfm-extensions-dev cmark-gfm
)

missing=()
for package in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
