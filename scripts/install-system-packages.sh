#!/usr/bin/env bash
# Debian packages the tests and the paper forms need. Installs only what is missing (needs root).
set -euo pipefail
packages=(
  chromium            # real headless browser for the browser and accessibility tests
  poppler-utils       # pdftoppm: paper forms rendered to PNG, scanned PDFs read back
  fonts-noto-core     # Noto Sans/Naskh Arabic, Bengali, Gujarati, Gurmukhi for shaping on paper
  fonts-noto-extra    # Noto Nastaliq Urdu
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b  # WeasyPrint's text layout and shaping
)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi
echo "system packages: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "not root: run 'sudo apt-get install ${missing[*]}' and try again" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
for attempt in 1 2 3; do
  if apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; then
    exit 0
  fi
  echo "apt-get failed (attempt $attempt); retrying in 10 s" >&2
  sleep 10
done
exit 1
