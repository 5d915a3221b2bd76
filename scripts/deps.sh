# Sourced by scripts/run, scripts/test and bench/run: installs the Debian 12
# packages dyad needs when any is missing. Needs root or sudo for apt-get.
DYAD_APT_PACKAGES="ca-certificates build-essential cmake git libgtest-dev libgmock-dev libbenchmark-dev
  libcli11-dev nlohmann-json3-dev libpugixml-dev pkg-config zlib1g-dev libsqlite3-dev libicu-dev
  libgumbo-dev libpqxx-dev libxxhash-dev libcld2-dev postgresql
  python3-dev pybind11-dev python3-pytest python3-pandas python3-dask python3-distributed python3-matplotlib"

dyad_install_deps() {
  local missing=()
  for p in $DYAD_APT_PACKAGES; do
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
