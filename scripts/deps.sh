# Sourced by scripts/run, scripts/test and bench/run: installs the Debian 12
# packages dyad needs when any is missing. Needs root or sudo for apt-get.
DYAD_APT_PACKAGES="ca-certificates build-essential cmake git libgtest-dev libgmock-dev libbenchmark-dev
  libcli11-dev nlohmann-json3-dev libpugixml-dev pkg-config zlib1g-dev libsqlite3-dev libicu-dev
  libgumbo-dev libpqxx-dev libxxhash-dev libcld2-dev libcpp-httplib-dev libcurl4-openssl-dev libtoml11-dev postgresql
  libdawgdic-dev
  python3-dev pybind11-dev python3-pytest python3-pandas python3-dask python3-distributed python3-matplotlib"

# The dashboard is built with npm (Debian's nodejs 18 and npm 9 are enough);
# the browser tests drive Debian's chromium.
DYAD_WEB_PACKAGES="nodejs npm"
DYAD_TEST_PACKAGES="chromium"

# Installs the missing packages of $DYAD_APT_PACKAGES plus any named as
# arguments. nodejs/npm count as present when the commands exist (a
# machine may have Node.js from elsewhere).
dyad_install_deps() {
  local missing=()
  for p in $DYAD_APT_PACKAGES "$@"; do
    case "$p" in
      nodejs) command -v node >/dev/null 2>&1 && continue ;;
      npm) command -v npm >/dev/null 2>&1 && continue ;;
      chromium) [ -x /usr/bin/chromium ] && continue ;;
    esac
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "dyad: installing Debian packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Configures and builds into $1 (default build/) with extra CMake args.
dyad_build() {
  local dir=${1:-build}; shift || true
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
  cmake --build "$dir" -j"$(nproc)"
}

# Builds the dashboard into web/dist (npm ci from the committed lock file).
dyad_build_web() {
  (cd web && npm ci --no-audit --no-fund --loglevel=error && npm run --silent build)
}

# The Russian morphology dictionary (OpenCorpora as compiled by the npm
# package az, pinned in data/ru/package-lock.json; docs/russian.md): npm ci
# into data/ru/node_modules. Needs node and npm ($DYAD_WEB_PACKAGES). A no-op
# when the pinned version is already installed.
dyad_install_ru_morphology() {
  local dir want have
  dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/data/ru"
  want=$(sed -n 's/^ *"az": *"\([^"]*\)".*/\1/p' "$dir/package.json" | head -n1)
  # Not installed yet: no package.json to read (|| true: the scripts run with pipefail).
  have=$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$dir/node_modules/az/package.json" 2>/dev/null | head -n1 || true)
  if [ -n "$want" ] && [ "$want" = "$have" ] && [ -f "$dir/node_modules/az/dicts/words.dawg" ]; then
    return 0
  fi
  echo "dyad: installing the Russian morphology dictionary (npm az@$want) into data/ru/node_modules"
  (cd "$dir" && npm ci --omit=dev --no-audit --no-fund --loglevel=error)
}
