// The --threads option every example program takes: minidl::set_num_threads, the one thread
// knob (minidl's parallel loops and GEMMs; OpenBLAS itself stays single-threaded).
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>

#include "core/parallel.h"
#include "examples/common/cli.h"

namespace minidl::examples {

/// Adds `--threads N` (1 to 4096) to `app`; when given, it sets minidl's thread count while
/// parsing.
inline CLI::Option* add_threads_option(CLI::App& app) {
  return app
      .add_option_function<int64_t>(
          "--threads", [](const int64_t& threads) { set_num_threads(threads); },
          "threads for minidl's loops and GEMMs (default: all cores)")
      ->check(cli::integer_in(1, 4096));
}

}  // namespace minidl::examples
