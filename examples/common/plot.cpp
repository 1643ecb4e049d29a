// Running gnuplot and Graphviz from the examples (see plot.h).
#include "examples/common/plot.h"

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>

namespace minidl::examples {

namespace {

// `text` in single quotes for /bin/sh.
std::string shell_quote(std::string_view text) {
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

// Runs a shell command line; true when it exited with status 0.
bool run(const std::string& command) { return std::system(command.c_str()) == 0; }

}  // namespace

std::string find_program(std::string_view program) {
  const char* disabled = std::getenv("MINIDL_NO_PLOT");
  if (disabled != nullptr && std::string_view(disabled) != "" && std::string_view(disabled) != "0")
    return "";
  const char* path = std::getenv("PATH");
  if (path == nullptr) return "";
  std::stringstream dirs(path);
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (dir.empty()) continue;
    const std::filesystem::path candidate = std::filesystem::path(dir) / program;
    std::error_code error;
    if (std::filesystem::is_regular_file(candidate, error)) return candidate.string();
  }
  return "";
}

bool run_gnuplot(const std::string& script_path, const std::string& svg_path,
                 const std::string& data_hint) {
  const std::string gnuplot = find_program("gnuplot");
  if (gnuplot.empty()) {
    fmt::print(
        "gnuplot not found: install gnuplot-nox (apt-get install gnuplot-nox) to get {}; the data "
        "is in {} and the plot script in {} (run: gnuplot {})\n",
        svg_path, data_hint, script_path, script_path);
    return false;
  }
  if (!run(fmt::format("{} {}", shell_quote(gnuplot), shell_quote(script_path)))) {
    fmt::print("gnuplot failed on {}\n", script_path);
    return false;
  }
  fmt::print("wrote {}\n", svg_path);
  return true;
}

bool render_dot(const std::string& dot_path, const std::string& svg_path) {
  const std::string dot = find_program("dot");
  if (dot.empty()) {
    fmt::print(
        "Graphviz not found: install graphviz (apt-get install graphviz) to get {}, or run: "
        "dot -Tsvg {} -o {}\n",
        svg_path, dot_path, svg_path);
    return false;
  }
  if (!run(fmt::format("{} -Tsvg {} -o {}", shell_quote(dot), shell_quote(dot_path),
                       shell_quote(svg_path)))) {
    fmt::print("dot failed on {}\n", dot_path);
    return false;
  }
  fmt::print("wrote {}\n", svg_path);
  return true;
}

std::string gnuplot_quote(std::string_view text) {
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("''") : std::string(1, c);
  return quoted + "'";
}

std::string gnuplot_svg_preamble(const std::string& svg_path, int width, int height) {
  return fmt::format(
      "set terminal svg size {},{} dynamic enhanced font 'Helvetica,12' background rgb 'white'\n"
      "set output {}\n"
      "set datafile separator ','\n"
      "set grid lc rgb '#dddddd'\n",
      width, height, gnuplot_quote(svg_path));
}

}  // namespace minidl::examples
