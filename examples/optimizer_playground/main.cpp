// examples/optimizer_playground: every optimizer on five 2-D test functions (Rosenbrock, Beale,
// Himmelblau, an ill-conditioned quadratic, a saddle) from a fixed start. Writes, into --out:
//   trajectories.csv   function,optimizer,lr,step,x,y,f for every step of every run
//   summary.csv        final value, gap to the minimum and steps to converge of every run
//   <function>_grid.csv, <function>.gp, <function>.svg
//                      f on a grid, the gnuplot script, and the contour plot with every path
// and prints the summary as a table. Without gnuplot the CSVs and scripts are still written.
//   optimizer_playground [--steps N] [--function NAME]... [--optimizer LABEL]... [--schedule S]
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <filesystem>
#include <fstream>

#include "core/factories.h"
#include "core/grad_mode.h"
#include "core/ops/math.h"
#include "examples/common/plot.h"
#include "examples/common/threads.h"
#include "examples/optimizer_playground/playground.h"

using namespace minidl;
using examples::Path;
using examples::TestFunction;

namespace {

constexpr int64_t kGrid = 121;          // grid points per axis for the contours
constexpr double kContourFloor = 0.01;  // contours are of log10(f − f* + kContourFloor)

// f on a kGrid × kGrid grid of the plotting window, computed with the same tensor ops.
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

// "ill_conditioned" -> "ill conditioned" (gnuplot's enhanced text reads _ as a subscript).
std::string display_name(std::string name) {
  std::replace(name.begin(), name.end(), '_', ' ');
  return name;
}

std::string gnuplot_script(const TestFunction& function, const std::vector<Path>& paths,
                           const std::string& dir, const std::string& schedule) {
  static const std::vector<std::string> colors = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728",
                                                  "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
                                                  "#bcbd22", "#17becf", "#000000"};
  const std::string svg = dir + "/" + function.name + ".svg";
  std::string s = examples::gnuplot_svg_preamble(svg, 1000, 720);
  s += fmt::format(
      "set title {}\n"
      "set xlabel 'x'\nset ylabel 'y'\n"
      "set xrange [{}:{}]\nset yrange [{}:{}]\n"
      "set view map\nset contour base\nset cntrparam levels 24\nunset clabel\n"
      "set key outside right top box opaque title 'optimizer (lr)'\n"
      "$marks << EOD\n",
      examples::gnuplot_quote(fmt::format("{}: f = {}  (schedule: {}; contours of log10(f - f* + "
                                          "{}))",
                                          display_name(function.name), function.formula, schedule,
                                          kContourFloor)),
      function.low.x, function.high.x, function.low.y, function.high.y);
  for (const examples::Point2d& m : function.minima) s += fmt::format("{},{}\n", m.x, m.y);
  s += fmt::format("EOD\n$start << EOD\n{},{}\nEOD\n", function.start.x, function.start.y);
  const std::string traj = examples::gnuplot_quote(dir + "/trajectories.csv");
  s += fmt::format("splot {} using 1:2:4 with lines lc rgb '#c8c8c8' nosurface notitle",
                   examples::gnuplot_quote(dir + "/" + function.name + "_grid.csv"));
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

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Every optimizer on five 2-D test functions, with contour plots of the paths"};
  std::string out_dir = "playground_out";
  int64_t steps = 500;
  double tolerance = 1e-4;
  std::vector<std::string> function_names;
  std::vector<std::string> labels;
  examples::ScheduleConfig schedule;
  app.add_option("--out", out_dir, "output folder")->capture_default_str();
  app.add_option("--steps", steps, "steps per run")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--tolerance", tolerance, "converged once f - f* < tolerance")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--function", function_names,
                 "functions to run (rosenbrock, beale, himmelblau, ill_conditioned, saddle; "
                 "default all)");
  app.add_option("--optimizer", labels,
                 "optimizers to run (sgd, momentum, adagrad, ..., lbfgs; default all)");
  app.add_option("--schedule", schedule.name,
                 "learning-rate schedule applied to every run over --steps steps (plateau = "
                 "constant here)")
      ->check(CLI::IsMember(examples::schedule_names()))
      ->capture_default_str();
  examples::add_threads_option(app);
  CLI11_PARSE(app, argc, argv);

  std::filesystem::create_directories(out_dir);
  std::ofstream trajectories(out_dir + "/trajectories.csv");
  trajectories << "function,optimizer,lr,step,x,y,f\n";
  std::ofstream summary(out_dir + "/summary.csv");
  summary << "function,optimizer,lr,final_f,gap_to_min,steps_to_converge,diverged\n";

  for (const TestFunction& function : examples::test_functions()) {
    if (!function_names.empty() && std::find(function_names.begin(), function_names.end(),
                                             function.name) == function_names.end())
      continue;
    fmt::print("\n{}: f = {}, start ({}, {}), minimum f* = {} (converged: f - f* < {:g})\n",
               function.name, function.formula, function.start.x, function.start.y,
               function.min_value, tolerance);
    fmt::print("  {:<10} {:>8} {:>13} {:>11} {:>9}\n", "optimizer", "lr", "final f", "f - f*",
               "converged");
    std::vector<Path> paths;
    for (const examples::PlaygroundRun& run : examples::playground_runs(function)) {
      if (!labels.empty() && std::find(labels.begin(), labels.end(), run.label) == labels.end())
        continue;
      Path path = examples::run_path(function, run, steps, schedule, tolerance);
      for (const examples::PathPoint& p : path.points) {
        trajectories << fmt::format("{},{},{:g},{},{:.7g},{:.7g},{:.7g}\n", function.name,
                                    path.label, path.lr, p.step, p.x, p.y, p.f);
      }
      const double final_f = path.points.back().f;
      const std::string converged = path.diverged           ? "diverged"
                                    : path.converged_at < 0 ? "-"
                                                            : fmt::format("{}", path.converged_at);
      fmt::print("  {:<10} {:>8g} {:>13.6g} {:>11.3g} {:>9}\n", path.label, path.lr, final_f,
                 final_f - function.min_value, converged);
      summary << fmt::format("{},{},{:g},{:.7g},{:.3g},{},{}\n", function.name, path.label, path.lr,
                             final_f, final_f - function.min_value, path.converged_at,
                             path.diverged ? 1 : 0);
      paths.push_back(std::move(path));
    }
    write_grid(function, out_dir + "/" + function.name + "_grid.csv");
    trajectories.flush();
    const std::string script = out_dir + "/" + function.name + ".gp";
    std::ofstream(script) << gnuplot_script(function, paths, out_dir, schedule.name);
    examples::run_gnuplot(script, out_dir + "/" + function.name + ".svg",
                          out_dir + "/trajectories.csv");
  }
  fmt::print("\nwrote {0}/trajectories.csv and {0}/summary.csv\n", out_dir);
  return 0;
}
