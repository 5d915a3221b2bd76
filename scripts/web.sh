#!/usr/bin/env bash
# Builds the dashboard (web/ -> web/dist), installing Node.js and npm from
# Debian when they are missing. `dyad serve` serves web/dist.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
dyad_install_deps $DYAD_WEB_PACKAGES
dyad_build_web
