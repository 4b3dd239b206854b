#!/usr/bin/env bash
# Installs what QualityPress needs to build, test and publish. Idempotent: it installs
# only what is missing, so `make site` and `make test` can call it every time (CI does).
set -euo pipefail

# Debian packages, one group per feature.
APT_PACKAGES=(
  # Markdown
  libcmark-gfm-dev libcmark-gfm-extensions-dev cmark-gfm
  # Link checker (HTML5 parser)
  libgumbo-dev
  # Publishing (qpress deploy: rsync over SSH, rclone; sshd and nginx for its tests)
  rsync openssh-client openssh-server rclone nginx
)

# PyPI packages, pinned: NAME==VERSION.
PIP_PACKAGES=(
)

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"

missing=()
for package in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: apt-get install ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

missing=()
for requirement in "${PIP_PACKAGES[@]}"; do
  name=${requirement%%==*}
  version=${requirement##*==}
  installed=$(python3 -m pip show "$name" 2>/dev/null | sed -n 's/^Version: //p')
  [ "$installed" = "$version" ] || missing+=("$requirement")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: pip install ${missing[*]}"
  python3 -m pip install -q --disable-pip-version-check "${missing[@]}"
fi
