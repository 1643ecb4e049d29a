#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, AddressSanitizer + UndefinedBehaviorSanitizer, leak
# checking) and runs each for SECONDS (default 60) on a copy of its seed corpus in fuzz/corpus/.
# Any crash, sanitizer report or leak fails the script; the reproducer is left in $BUILD_DIR.
#   scripts/fuzz.sh [SECONDS]        BUILD_DIR (default build-fuzz), JOBS (default 2)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
build_dir=${BUILD_DIR:-build-fuzz}
jobs=${JOBS:-2}

cmake -S . -B "$build_dir" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DMINIDL_FUZZ=ON -DMINIDL_BUILD_TESTS=OFF -DMINIDL_BUILD_EXAMPLES=OFF >/dev/null
cmake --build "$build_dir" -j"$jobs" --target fuzz_idx fuzz_checkpoint

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
for target in fuzz_idx fuzz_checkpoint; do
  work="$build_dir/fuzz-work/$target"
  rm -rf "$work" && mkdir -p "$work/corpus" "$work/artifacts"
  cp fuzz/corpus/"$target"/* "$work/corpus/"
  echo "== $target for ${seconds}s"
  # -rss_limit_mb guards against a parser that allocates what a header claims.
  set +e
  "$build_dir/fuzz/$target" "$work/corpus" -max_total_time="$seconds" -detect_leaks=1 \
    -rss_limit_mb=1024 -max_len=16384 -use_value_profile=1 -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/" 2>&1 | tail -n 25
  status=${PIPESTATUS[0]}
  set -e
  if [ "$status" -ne 0 ] || [ -n "$(ls -A "$work/artifacts")" ]; then
    echo "error: $target found a failure (exit $status); reproducers in $work/artifacts" >&2
    exit 1
  fi
done
echo "fuzzing passed"
