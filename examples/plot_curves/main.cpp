// examples/plot_curves: turns the training logs of the examples into SVG charts with gnuplot.
//   plot_curves --mnist metrics.csv [--out curves.svg]
//       `mnist --metrics metrics.csv` output: loss and accuracy per epoch, train and test
//   plot_curves --regression linear_regression_out [--out loss_curves.svg]
//       the loss_<problem>_<method>.csv files of `linear_regression`: one panel per problem,
//       one line per method, log-scale loss per epoch
// Writes the gnuplot script next to the SVG; without gnuplot it says how to get the chart.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>

#include "core/error.h"
#include "examples/common/cli.h"
#include "examples/common/plot.h"
#include "examples/common/threads.h"

using namespace minidl;
namespace fs = std::filesystem;

namespace {

std::string mnist_script(const std::string& csv, const std::string& svg) {
  const std::string data = examples::gnuplot_quote(csv);
  std::string s = examples::gnuplot_svg_preamble(svg, 1100, 450);
  s += fmt::format(
      "set multiplot layout 1,2 title {1} font ',14'\n"
      "set xlabel 'epoch'\nset key top right box opaque\nset xtics 1\n"
      "set title 'cross-entropy loss'\nset ylabel 'loss'\n"
      "plot {0} using 1:2 with linespoints lw 2 pt 7 title 'train', "
      "{0} using 1:4 with linespoints lw 2 pt 5 title 'test'\n"
      "set title 'accuracy'\nset ylabel 'accuracy (%)'\nset key bottom right\n"
      "plot {0} using 1:($3*100) with linespoints lw 2 pt 7 title 'train', "
      "{0} using 1:($5*100) with linespoints lw 2 pt 5 title 'test'\n"
      "unset multiplot\n",
      data, examples::gnuplot_quote("MNIST training curves"));
  return s;
}

std::string regression_script(const std::string& dir, const std::string& svg) {
  // problem -> (method, csv path), from loss_<problem>_<method>.csv
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> problems;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string file = entry.path().filename().string();
    if (!file.starts_with("loss_") || !file.ends_with(".csv")) continue;
    const std::string stem = file.substr(5, file.size() - 9);
    for (const std::string problem : {"one_feature", "four_features"}) {
      if (stem.starts_with(problem + "_")) {
        problems[problem].emplace_back(stem.substr(problem.size() + 1), entry.path().string());
      }
    }
  }
  MINIDL_CHECK(!problems.empty(), "plot_curves: no loss_<problem>_<method>.csv files in {}", dir);
  std::string s = examples::gnuplot_svg_preamble(svg, 1100, 450);
  s += fmt::format(
      "set multiplot layout 1,{} title 'Linear regression: full-dataset MSE per epoch' font "
      "',14'\nset xlabel 'epoch (L-BFGS: outer step)'\nset ylabel 'mean squared error'\n"
      "set logscale xy\nset format y '10^{{%L}}'\nset key top right box opaque\n",
      problems.size());
  for (auto& [problem, methods] : problems) {
    std::sort(methods.begin(), methods.end());
    s += fmt::format("set title {} noenhanced\nplot ", examples::gnuplot_quote(problem));
    for (size_t i = 0; i < methods.size(); ++i) {
      s += fmt::format("{}{} using 1:2 with lines lw 2 title {} noenhanced", i == 0 ? "" : ", ",
                       examples::gnuplot_quote(methods[i].second),
                       examples::gnuplot_quote(methods[i].first));
    }
    s += "\n";
  }
  return s + "unset multiplot\n";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Plots the examples' training curves with gnuplot"};
  std::string mnist_csv;
  std::string regression_dir;
  std::string svg;
  examples::cli::show_defaults(app);
  auto* mnist = app.add_option("--mnist", mnist_csv, "metrics CSV written by mnist --metrics")
                    ->check(examples::cli::existing_file());
  auto* regression =
      app.add_option("--regression", regression_dir, "folder of linear_regression's loss CSVs")
          ->check(examples::cli::existing_folder());
  mnist->excludes(regression);
  app.add_option("--out", svg, "the SVG to write (default: next to the input)")
      ->check(examples::cli::writable_file());
  examples::add_threads_option(app);
  if (std::optional<int> code = examples::cli::parse(app, argc, argv, [&] {
        if (mnist_csv.empty() && regression_dir.empty()) {
          throw CLI::ValidationError("plot_curves", "give --mnist FILE or --regression DIR");
        }
      })) {
    return *code;
  }
  return examples::cli::run([&] {
    std::string script;
    std::string data;
    if (!mnist_csv.empty()) {
      if (svg.empty()) svg = fs::path(mnist_csv).replace_extension(".svg").string();
      script = mnist_script(mnist_csv, svg);
      data = mnist_csv;
    } else {
      if (svg.empty()) svg = (fs::path(regression_dir) / "loss_curves.svg").string();
      script = regression_script(regression_dir, svg);
      data = regression_dir + "/loss_*.csv";
    }
    const std::string script_path = fs::path(svg).replace_extension(".gp").string();
    std::ofstream script_file(script_path);
    MINIDL_CHECK(script_file.good(), "plot_curves: cannot write {}", script_path);
    script_file << script;
    script_file.close();
    return examples::run_gnuplot(script_path, svg, data) ||
                   examples::find_program("gnuplot").empty()
               ? 0
               : 1;
  });
}
