// Contour plots of the optimizer playground: a test function's values on a grid, the paths of
// optimizers as CSV rows, and the gnuplot script that draws the contours of log10(f − f*) with
// every path, the start and the minima (examples/optimizer_playground, examples/article_formulas).
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "examples/optimizer_playground/functions.h"
#include "examples/optimizer_playground/playground.h"

namespace minidl::examples {

/// What a contour plot reads and writes.
struct ContourPlotFiles {
  std::string trajectories;  ///< CSV rows function,optimizer,lr,step,x,y,f (write_trajectory)
  std::string grid;          ///< f on a grid of the window (write_grid)
  std::string svg;           ///< the picture
};

/// The header line of a trajectories CSV.
inline constexpr const char* kTrajectoriesHeader = "function,optimizer,lr,step,x,y,f\n";

/// f on a 121 x 121 grid of the function's window as CSV (x, y, f, log10(f − f* + 0.01)), one
/// blank line after each x (gnuplot's scan lines), computed with the same tensor ops.
void write_grid(const TestFunction& function, const std::string& path);

/// Appends every point of `path` to a trajectories CSV.
void write_trajectory(std::ostream& out, const TestFunction& function, const Path& path);

/// The gnuplot script drawing the contours of `function` over its window with `paths` (read back
/// from files.trajectories by function name and label; labels must not contain ' or ,) into
/// files.svg; `note` goes into the title (e.g. "schedule: constant").
std::string contour_plot_script(const TestFunction& function, const std::vector<Path>& paths,
                                const ContourPlotFiles& files, const std::string& note);

}  // namespace minidl::examples
