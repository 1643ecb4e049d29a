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
#include <optional>

#include "core/error.h"
#include "examples/common/cli.h"
#include "examples/common/plot.h"
#include "examples/common/threads.h"
#include "examples/optimizer_playground/contour_plot.h"
#include "examples/optimizer_playground/playground.h"

using namespace minidl;
using examples::Path;
using examples::TestFunction;

namespace {

// The names --function accepts: every test function's.
std::vector<std::string> function_names() {
  std::vector<std::string> names;
  for (const TestFunction& function : examples::test_functions()) names.push_back(function.name);
  return names;
}

// The labels --optimizer accepts: every run's (the same for every function).
std::vector<std::string> run_labels() {
  std::vector<std::string> labels;
  for (const examples::PlaygroundRun& run :
       examples::playground_runs(examples::test_functions().front())) {
    labels.push_back(run.label);
  }
  return labels;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Every optimizer on five 2-D test functions, with contour plots of the paths"};
  std::string out_dir = "playground_out";
  int64_t steps = 500;
  double tolerance = 1e-4;
  std::vector<std::string> chosen_functions;
  std::vector<std::string> labels;
  examples::ScheduleOptions schedule;
  examples::cli::show_defaults(app);
  app.add_option("--out", out_dir, "output folder")->check(examples::cli::output_folder());
  app.add_option("--steps", steps, "steps per run")->check(examples::cli::integer_at_least(1));
  app.add_option("--tolerance", tolerance, "converged once f - f* < tolerance")
      ->check(examples::cli::positive_number());
  app.add_option("--function", chosen_functions, "functions to run (default all)")
      ->check(examples::cli::one_of(function_names()));
  app.add_option("--optimizer", labels, "optimizers to run (default all)")
      ->check(examples::cli::one_of(run_labels()));
  app.add_option("--schedule", schedule.name,
                 "learning-rate schedule applied to every run over --steps steps (plateau = "
                 "constant here)")
      ->check(examples::cli::one_of(examples::schedule_names()));
  examples::add_threads_option(app);
  if (std::optional<int> code = examples::cli::parse(app, argc, argv)) return *code;
  return examples::cli::run([&] {
    std::filesystem::create_directories(out_dir);
    std::ofstream trajectories(out_dir + "/trajectories.csv");
    MINIDL_CHECK(trajectories.good(), "optimizer_playground: cannot write {}/trajectories.csv",
                 out_dir);
    trajectories << examples::kTrajectoriesHeader;
    std::ofstream summary(out_dir + "/summary.csv");
    summary << "function,optimizer,lr,final_f,gap_to_min,steps_to_converge,diverged\n";

    for (const TestFunction& function : examples::test_functions()) {
      if (!chosen_functions.empty() && std::find(chosen_functions.begin(), chosen_functions.end(),
                                                 function.name) == chosen_functions.end())
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
        examples::write_trajectory(trajectories, function, path);
        const double final_f = path.points.back().f;
        const std::string converged = path.diverged ? "diverged"
                                      : path.converged_at < 0
                                          ? "-"
                                          : fmt::format("{}", path.converged_at);
        fmt::print("  {:<10} {:>8g} {:>13.6g} {:>11.3g} {:>9}\n", path.label, path.lr, final_f,
                   final_f - function.min_value, converged);
        summary << fmt::format("{},{},{:g},{:.7g},{:.3g},{},{}\n", function.name, path.label,
                               path.lr, final_f, final_f - function.min_value, path.converged_at,
                               path.diverged ? 1 : 0);
        paths.push_back(std::move(path));
      }
      const examples::ContourPlotFiles files{.trajectories = out_dir + "/trajectories.csv",
                                             .grid = out_dir + "/" + function.name + "_grid.csv",
                                             .svg = out_dir + "/" + function.name + ".svg"};
      examples::write_grid(function, files.grid);
      trajectories.flush();
      const std::string script = out_dir + "/" + function.name + ".gp";
      std::ofstream(script) << examples::contour_plot_script(function, paths, files,
                                                             "schedule: " + schedule.name);
      examples::run_gnuplot(script, out_dir + "/" + function.name + ".svg",
                            out_dir + "/trajectories.csv");
    }
    fmt::print("\nwrote {0}/trajectories.csv and {0}/summary.csv\n", out_dir);
    return 0;
  });
}
