#!/usr/bin/env bash
# Renders the Kunming sample's HTML report in a real browser (headless
# Chromium) to PNG and PDF, as a reader would see and print it.
#
#   scripts/render-report.sh            # screenshots into docs/, PDFs into target/report/
#   KMGOV=target/release/kmgov scripts/render-report.sh
#
# Installs Debian's chromium (and a Chinese font, and poppler-utils for the
# PDF's page images) when missing. The browser is run with networking off
# beyond the page itself: the report must need nothing from outside.
set -euo pipefail
cd "$(dirname "$0")/.."

need() { command -v "$1" >/dev/null 2>&1; }
install() {
    if [ "$(id -u)" -ne 0 ]; then
        echo "render-report: $* missing; install it (apt-get install -y $*) or run as root" >&2
        exit 1
    fi
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null
}
need chromium || install chromium
# Without a CJK font Chinese shows as boxes: the reader's fonts draw the text.
fc-list :lang=zh 2>/dev/null | grep -q . || install fonts-wqy-zenhei
need pdftoppm || install poppler-utils

if [ -z "${KMGOV:-}" ]; then
    cargo build --quiet
    KMGOV=target/debug/kmgov
fi
out=target/report
mkdir -p "$out" docs

chrome() {
    local profile
    profile=$(mktemp -d)
    # The wrapper script of Debian's chromium may print a harmless shell
    # warning; Chromium's own D-Bus complaints are noise here too.
    timeout 180 chromium --headless --no-sandbox --disable-gpu \
        --disable-background-networking --disable-component-update --disable-sync \
        --no-first-run --hide-scrollbars --force-device-scale-factor=1 \
        --user-data-dir="$profile" "$@" 2>"$out/chromium.log" || {
        cat "$out/chromium.log" >&2
        return 1
    }
    rm -rf "$profile"
}

for lang in zh en; do
    html="$out/report-$lang.html"
    "$KMGOV" report samples/kunming.csv --lang "$lang" -o "$html" -q
    page="file://$PWD/$html"
    chrome --window-size=1000,1500 --screenshot="$out/report-$lang.png" "$page"
    chrome --no-pdf-header-footer --print-to-pdf="$out/report-$lang.pdf" "$page"
    echo "render-report: $html → $out/report-$lang.png, $out/report-$lang.pdf"
done

# The first screen in Chinese and the first unit's profile as printed (page 5).
cp "$out/report-zh.png" docs/report-zh.png
pdftoppm -f 5 -l 5 -r 60 -png -singlefile "$out/report-zh.pdf" docs/report-zh-profile
pages=$(pdfinfo "$out/report-zh.pdf" | awk '/^Pages:/ {print $2}')
echo "render-report: docs/report-zh.png, docs/report-zh-profile.png ($pages PDF pages)"
