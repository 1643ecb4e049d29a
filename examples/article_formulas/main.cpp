// examples/article_formulas: what some update rules and schedule names printed in the articles
// minidl was specified from do, next to what minidl implements (docs/optimizers-and-schedules.md,
// "Formulas you will meet in articles"). Writes into --out:
//   adam.svg       minidl's Adam, the article's Adam and Adam without √v on a quadratic
//   rmsprop.svg    minidl's RMSprop and Adagrad at the same rate, and the article's RMSprop
//   decay.svg      exponential decay α γ^t against α (1 + t/T)^(−β), which an article calls
//                  "exponential decay", on a log scale
//   trajectories.csv, <figure>_grid.csv, <figure>.gp, decay.csv: the data and the scripts
// and prints, for every rule, the length of its first steps and where it ended.
//   article_formulas [--steps 200] [--out DIR]
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <optional>

#include "core/error.h"
#include "examples/article_formulas/article_rules.h"
#include "examples/common/cli.h"
#include "examples/common/plot.h"
#include "examples/common/threads.h"
#include "examples/optimizer_playground/contour_plot.h"
#include "optim/schedules/decay.h"

using namespace minidl;
using examples::Path;
using examples::TestFunction;

namespace {

// The playground's x²/2 + 25y² from (−4, 1), in a window wide enough for the articles' rules.
TestFunction quadratic() {
  TestFunction function = examples::test_function("ill_conditioned");
  function.name = "quadratic";
  function.low = {-6.0, -5.0};
  function.high = {6.0, 3.0};
  return function;
}

// |θ_t − θ_{t−1}| for t = 1, 2, 10, 100 (as far as the path goes), then the final f.
void print_path(const Path& path) {
  std::string row = fmt::format("  {:<27} {:>6g}", path.label, path.lr);
  for (int64_t t : {1, 2, 10, 100}) {
    if (t >= static_cast<int64_t>(path.points.size())) {
      row += fmt::format(" {:>9}", "-");
      continue;
    }
    const auto& a = path.points[static_cast<size_t>(t - 1)];
    const auto& b = path.points[static_cast<size_t>(t)];
    row += fmt::format(" {:>9.3g}", std::hypot(b.x - a.x, b.y - a.y));
  }
  const auto& last = path.points.back();
  fmt::print("{} {:>11.4g}  ({:.3g}, {:.3g}){}\n", row, last.f, last.x, last.y,
             path.diverged ? " diverged" : "");
}

// One contour figure: the paths, their CSV rows, the grid and the plot.
void draw_figure(const std::string& name, const std::vector<Path>& paths,
                 const std::string& out_dir, std::ostream& trajectories) {
  TestFunction function = quadratic();
  function.name = name;  // the CSV rows of each figure apart
  fmt::print("{}: f = {} from ({}, {})\n  {:<27} {:>6} {:>9} {:>9} {:>9} {:>9} {:>11}  {}\n", name,
             function.formula, function.start.x, function.start.y, "rule", "lr", "|step 1|",
             "|step 2|", "|step 10|", "|step 100|", "final f", "final point");
  for (const Path& path : paths) {
    print_path(path);
    examples::write_trajectory(trajectories, function, path);
  }
  trajectories.flush();
  const examples::ContourPlotFiles files{.trajectories = out_dir + "/trajectories.csv",
                                         .grid = out_dir + "/" + name + "_grid.csv",
                                         .svg = out_dir + "/" + name + ".svg"};
  examples::write_grid(function, files.grid);
  const std::string script = out_dir + "/" + name + ".gp";
  std::ofstream(script) << examples::contour_plot_script(function, paths, files,
                                                         "articles vs minidl");
  examples::run_gnuplot(script, files.svg, files.trajectories);
}

// minidl's ExponentialLR (halving every 10 steps) and InverseTimeLR with T = 10, β = 1 (also
// half at step 10), as a table and on a log scale.
void draw_decay(const std::string& out_dir, int64_t steps) {
  const optim::ExponentialLR exponential({.lr = 0.1, .gamma = std::pow(0.5, 0.1)});
  const optim::InverseTimeLR inverse_time({.lr = 0.1, .decay_steps = 10.0, .power = 1.0});
  const std::string csv = out_dir + "/decay.csv";
  std::ofstream data(csv);
  data << "step,exponential,inverse_time\n";
  fmt::print("\ndecay: lr 0.1, both half at step 10\n  {:>5} {:>12} {:>12}\n", "step", "α γ^t",
             "α/(1+t/T)");
  for (int64_t t = 0; t < steps; ++t) {
    data << fmt::format("{},{:.6g},{:.6g}\n", t, exponential.lr_at(t), inverse_time.lr_at(t));
    if (t == 0 || t == 10 || t == 30 || t == 70 || t == 150 || t == steps - 1) {
      fmt::print("  {:>5} {:>12.4g} {:>12.4g}\n", t, exponential.lr_at(t), inverse_time.lr_at(t));
    }
  }
  data.close();
  const std::string svg = out_dir + "/decay.svg";
  std::string script = examples::gnuplot_svg_preamble(svg, 720, 420);
  script += fmt::format(
      "set title 'Exponential decay against the decay an article calls exponential'\n"
      "set xlabel 'step t'\nset ylabel 'learning rate (log scale)'\nset logscale y\n"
      "set format y '10^{{%L}}'\nset key top right box\n"
      "plot {0} using 1:2 with lines lw 2 lc rgb '#1f77b4' title 'exponential: 0.1 · "
      "0.5^{{t/10}}', "
      "\\\n  {0} using 1:3 with lines lw 2 lc rgb '#d62728' title "
      "'inverse time: 0.1 · (1 + t/10)^{{-1}}'\n",
      examples::gnuplot_quote(csv));
  const std::string script_path = out_dir + "/decay.gp";
  std::ofstream(script_path) << script;
  examples::run_gnuplot(script_path, svg, csv);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"The articles' update rules and schedule names next to minidl's, drawn"};
  std::string out_dir = "article_formulas_out";
  int64_t steps = 200;
  examples::cli::show_defaults(app);
  app.add_option("--out", out_dir, "output folder")->check(examples::cli::output_folder());
  app.add_option("--steps", steps, "steps per path and schedule")
      ->check(examples::cli::integer_at_least(1));
  examples::add_threads_option(app);
  if (std::optional<int> code = examples::cli::parse(app, argc, argv)) return *code;
  return examples::cli::run([&] {
    std::filesystem::create_directories(out_dir);
    std::ofstream trajectories(out_dir + "/trajectories.csv");
    MINIDL_CHECK(trajectories.good(), "article_formulas: cannot write {}/trajectories.csv",
                 out_dir);
    trajectories << examples::kTrajectoriesHeader;
    const TestFunction function = quadratic();
    constexpr double kTolerance = 1e-4;
    auto minidl = [&](const std::string& label, const std::string& name, double lr) {
      return examples::run_path(function, {label, {.name = name, .lr = lr}}, steps, {}, kTolerance);
    };
    auto article = [&](const std::string& label, double lr) {
      return examples::run_article_rule(function, examples::article_rule(label), lr, steps,
                                        kTolerance);
    };
    draw_figure("adam",
                {minidl("minidl Adam", "adam", 0.05), article("article Adam", 0.05),
                 article("article Adam without sqrt", 0.05)},
                out_dir, trajectories);
    fmt::print("\n");
    draw_figure("rmsprop",
                {minidl("minidl RMSprop", "rmsprop", 0.05),
                 minidl("minidl Adagrad", "adagrad", 0.05), article("article RMSprop", 0.05)},
                out_dir, trajectories);
    draw_decay(out_dir, steps);
    return 0;
  });
}
