// Contour plots of the playground's test functions with optimizer paths (see contour_plot.h).
#include "examples/optimizer_playground/contour_plot.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>

#include "core/factories.h"
#include "core/grad_mode.h"
#include "examples/common/plot.h"

namespace minidl::examples {

namespace {

constexpr int64_t kGrid = 121;          // grid points per axis for the contours
constexpr double kContourFloor = 0.01;  // contours are of log10(f − f* + kContourFloor)

// "ill_conditioned" -> "ill conditioned" (gnuplot's enhanced text reads _ as a subscript).
std::string display_name(std::string name) {
  std::replace(name.begin(), name.end(), '_', ' ');
  return name;
}

}  // namespace

void write_grid(const TestFunction& function, const std::string& path) {
  std::vector<float> xs, ys;
  for (int64_t i = 0; i < kGrid; ++i) {
    for (int64_t j = 0; j < kGrid; ++j) {
      const double u = static_cast<double>(i) / (kGrid - 1),
                   v = static_cast<double>(j) / (kGrid - 1);
      xs.push_back(static_cast<float>(function.low.x + u * (function.high.x - function.low.x)));
      ys.push_back(static_cast<float>(function.low.y + v * (function.high.y - function.low.y)));
    }
  }
  NoGradGuard no_grad;
  const std::vector<float> f = function.f(from_vector(xs), from_vector(ys)).to_vector();
  std::ofstream out(path);
  out << "# x,y,f,log10(f - f_min + " << kContourFloor << ")\n";
  for (size_t k = 0; k < f.size(); ++k) {
    const double gap = std::max(0.0, static_cast<double>(f[k]) - function.min_value);
    out << fmt::format("{:.5g},{:.5g},{:.6g},{:.5g}\n", xs[k], ys[k], f[k],
                       std::log10(gap + kContourFloor));
    if ((k + 1) % kGrid == 0) out << '\n';  // gnuplot: one scan line per x
  }
}

void write_trajectory(std::ostream& out, const TestFunction& function, const Path& path) {
  for (const PathPoint& p : path.points) {
    out << fmt::format("{},{},{:g},{},{:.7g},{:.7g},{:.7g}\n", function.name, path.label, path.lr,
                       p.step, p.x, p.y, p.f);
  }
}

std::string contour_plot_script(const TestFunction& function, const std::vector<Path>& paths,
                                const ContourPlotFiles& files, const std::string& note) {
  static const std::vector<std::string> colors = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728",
                                                  "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
                                                  "#bcbd22", "#17becf", "#000000"};
  std::string s = gnuplot_svg_preamble(files.svg, 1000, 720);
  s += fmt::format(
      "set title {}\n"
      "set xlabel 'x'\nset ylabel 'y'\n"
      "set xrange [{}:{}]\nset yrange [{}:{}]\n"
      "set view map\nset contour base\nset cntrparam levels 24\nunset clabel\n"
      "set key outside right top box opaque title 'optimizer (lr)'\n"
      "$marks << EOD\n",
      gnuplot_quote(fmt::format("{}: f = {}  ({}; contours of log10(f - f* + {}))",
                                display_name(function.name), function.formula, note,
                                kContourFloor)),
      function.low.x, function.high.x, function.low.y, function.high.y);
  for (const Point2d& m : function.minima) s += fmt::format("{},{}\n", m.x, m.y);
  s += fmt::format("EOD\n$start << EOD\n{},{}\nEOD\n", function.start.x, function.start.y);
  const std::string traj = gnuplot_quote(files.trajectories);
  s += fmt::format("splot {} using 1:2:4 with lines lc rgb '#c8c8c8' nosurface notitle",
                   gnuplot_quote(files.grid));
  for (size_t i = 0; i < paths.size(); ++i) {
    s += fmt::format(
        ", \\\n  {} using ((strcol(1) eq '{}' && strcol(2) eq '{}') ? $5 : NaN):6:(0) every ::1 "
        "with linespoints lw 1.6 lc rgb '{}' pt {} ps 0.7 pi 20 nocontours title '{} ({:g})'",
        traj, function.name, paths[i].label, colors[i % colors.size()], i % 13 + 1, paths[i].label,
        paths[i].lr);
  }
  s += ", \\\n  $start using 1:2:(0) with points pt 7 ps 1.5 lc rgb 'black' nocontours title "
       "'start'";
  s += ", \\\n  $marks using 1:2:(0) with points pt 3 ps 2.5 lw 2 lc rgb '#b00000' nocontours "
       "title 'minimum'\n";
  return s;
}

}  // namespace minidl::examples
