#!/bin/sh
# Installs the programs the browser and HTML-validity tests drive, when they are missing:
#   - Chromium (Debian's `chromium` package; Playwright drives it, it never downloads a browser),
#   - Java (to run the Nu HTML Checker),
#   - the npm packages vnu-jar (the Nu HTML Checker) and axe-core, into $NODE_PREFIX (inside .venv/),
#     so the repository needs no package.json of its own.
# As root it installs missing system packages with apt-get; otherwise it stops and says what to install.
# Each step first checks whether its tool is already there, so a run with nothing to do takes milliseconds.
#
# Called by `make install-test` with NODE_PREFIX, VNU_VERSION and AXE_CORE_VERSION set; CHROMIUM_PATH
# (default /usr/bin/chromium) names the browser the tests launch.
set -eu

CHROMIUM_PATH=${CHROMIUM_PATH:-/usr/bin/chromium}
: "${NODE_PREFIX:?NODE_PREFIX must be set}" "${VNU_VERSION:?VNU_VERSION must be set}"
: "${AXE_CORE_VERSION:?AXE_CORE_VERSION must be set}"

apt_updated=no

# apt_install PACKAGE... : install Debian packages as root, or fail with the command a person should run.
apt_install() {
    what=$1
    shift
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "Installing $what with apt-get ($*) ..."
        if [ "$apt_updated" = no ]; then
            apt-get update -qq
            apt_updated=yes
        fi
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
    else
        echo "$what is missing: run \`sudo apt-get install $*\` (Debian/Ubuntu) and re-run make test" >&2
        exit 1
    fi
}

if [ ! -x "$CHROMIUM_PATH" ]; then
    if [ "$CHROMIUM_PATH" != /usr/bin/chromium ]; then
        echo "Chromium is missing: CHROMIUM_PATH=$CHROMIUM_PATH is not an executable file" >&2
        exit 1
    fi
    apt_install Chromium chromium
fi

if ! command -v java >/dev/null 2>&1; then
    apt_install Java default-jre-headless
fi

if ! command -v npm >/dev/null 2>&1; then
    apt_install npm npm
fi

# The stamp names both versions, so changing a pin in the Makefile reinstalls. --ignore-scripts: vnu-jar's
# postinstall script would try to download a JRE from GitHub when java is missing; the system Java is used.
stamp="$NODE_PREFIX/.installed-vnu-jar-$VNU_VERSION-axe-core-$AXE_CORE_VERSION"
if [ ! -f "$stamp" ] || [ ! -f "$NODE_PREFIX/node_modules/vnu-jar/build/dist/vnu.jar" ] \
        || [ ! -f "$NODE_PREFIX/node_modules/axe-core/axe.min.js" ]; then
    echo "Installing vnu-jar@$VNU_VERSION and axe-core@$AXE_CORE_VERSION from npm into $NODE_PREFIX/ ..."
    mkdir -p "$NODE_PREFIX"
    rm -f "$NODE_PREFIX"/.installed-vnu-jar-*
    npm install --prefix "$NODE_PREFIX" --save-exact --ignore-scripts --no-audit --no-fund --loglevel=error \
        "vnu-jar@$VNU_VERSION" "axe-core@$AXE_CORE_VERSION"
    touch "$stamp"
fi
