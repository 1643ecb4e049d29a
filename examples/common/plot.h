// Charts and graph pictures through real tools: the examples write their data as CSV plus a
// gnuplot script and run gnuplot (Debian: gnuplot-nox) to get an SVG, and render autograd DOT
// files with Graphviz's dot (Debian: graphviz). When a tool is missing the programs still write
// their data and scripts, and say how to install the tool. MINIDL_NO_PLOT=1 pretends both are
// missing (used by tests and to skip rendering).
#pragma once

#include <string>
#include <string_view>

namespace minidl::examples {

/// The full path of `program` on PATH, or "" when it is not there (or MINIDL_NO_PLOT is set).
std::string find_program(std::string_view program);

/// Runs gnuplot on `script_path` to write `svg_path`; returns true when the SVG was written.
/// Without gnuplot, prints "install gnuplot-nox ... data is in `data_hint`" and returns false.
bool run_gnuplot(const std::string& script_path, const std::string& svg_path,
                 const std::string& data_hint);

/// Renders the DOT file `dot_path` to `svg_path` with Graphviz; returns true when written.
/// Without Graphviz, prints how to install it and returns false.
bool render_dot(const std::string& dot_path, const std::string& svg_path);

/// `text` as a single-quoted gnuplot string ('it''s').
std::string gnuplot_quote(std::string_view text);

/// The lines every chart script starts with: SVG terminal of the given size, white background,
/// output file, and a light grid.
std::string gnuplot_svg_preamble(const std::string& svg_path, int width, int height);

}  // namespace minidl::examples
