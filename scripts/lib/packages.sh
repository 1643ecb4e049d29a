# ensure_packages PKG...: installs the Debian packages that are missing (non-interactive
# apt-get, as root or through sudo); does nothing when all are present.
ensure_packages() {
  local missing=()
  local package
  for package in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$package")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "error: need root (or sudo) to install: ${missing[*]}" >&2; return 1; }
    sudo="sudo"
  fi
  echo "Installing missing packages: ${missing[*]}"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# The packages every build needs.
MINIDL_BUILD_PACKAGES=(cmake make g++ libopenblas-dev libfmt-dev doctest-dev libcli11-dev)
# Data the examples read: Debian's word list /usr/share/dict/american-english (data::Words and
# the char_lm example).
MINIDL_DATA_PACKAGES=(wamerican)
# Open MPI for minidl::dist (dist/), the distributed examples and their tests; optional: every
# other build works without it (CMake's MINIDL_WITH_MPI follows whether MPI is found).
MINIDL_MPI_PACKAGES=(libopenmpi-dev openmpi-bin)
