// The report of mnist --find-lr (see lr_range_test.h).
#include "examples/mnist/lr_range_test.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "examples/common/plot.h"

namespace minidl::examples {

std::string lr_range_table(const train::LrFinderResult& result, int64_t rows) {
  const auto count = static_cast<int64_t>(result.points.size());
  const int64_t every = std::max<int64_t>(1, count / std::max<int64_t>(rows, 1));
  std::string table = fmt::format("{:>5} {:>11} {:>10} {:>10}\n", "step", "lr", "loss", "smoothed");
  for (int64_t i = 0; i < count; ++i) {
    const bool suggested = result.suggestion && *result.suggestion == static_cast<size_t>(i);
    if (i % every != 0 && !suggested && i != count - 1) continue;
    const train::LrFinderPoint& point = result.points[static_cast<size_t>(i)];
    table += fmt::format("{:>5} {:>11.4g} {:>10.4f} {:>10.4f}{}\n", point.step, point.lr,
                         point.loss, point.smoothed_loss, suggested ? "  <- suggested" : "");
  }
  return table;
}

std::string lr_range_summary(const train::LrFinderResult& result) {
  const train::LrFinderPoint& last = result.points.back();
  const std::string ending =
      result.diverged ? fmt::format("the loss diverged at lr {:.4g} (step {})", last.lr, last.step)
                      : fmt::format("the loss did not diverge up to lr {:.4g}", last.lr);
  if (!result.suggestion) {
    return fmt::format("no suggestion: the smoothed loss never fell; {}", ending);
  }
  return fmt::format(
      "suggested learning rate: {:.4g} (steepest descent of the smoothed loss); {}; train with "
      "--lr {:.2g}",
      result.suggested_lr(), ending, result.suggested_lr());
}

bool plot_lr_range_test(const train::LrFinderResult& result, const std::string& svg_path) {
  const std::filesystem::path svg(svg_path);
  if (svg.has_parent_path()) std::filesystem::create_directories(svg.parent_path());
  const std::string csv = std::filesystem::path(svg).replace_extension(".csv").string();
  const std::string script_path = std::filesystem::path(svg).replace_extension(".gp").string();
  std::ofstream data(csv);
  MINIDL_CHECK(data.good(), "mnist: cannot write the range test's data to {}", csv);
  data << "step,lr,loss,smoothed_loss\n";
  for (const train::LrFinderPoint& point : result.points) {
    data << fmt::format("{},{:.6g},{:.6g},{:.6g}\n", point.step, point.lr, point.loss,
                        point.smoothed_loss);
  }
  data.close();
  // The loss explodes at the end; show it up to 1.5 times the first smoothed loss.
  const double top = 1.5 * result.points.front().smoothed_loss;
  std::string script = gnuplot_svg_preamble(svg_path, 800, 500);
  script += fmt::format(
      "set title 'Learning-rate range test: loss against learning rate'\n"
      "set xlabel 'learning rate (log scale)'\nset ylabel 'training loss'\n"
      "set logscale x\nset format x '10^{{%L}}'\nset yrange [0:{:.4g}]\nset key top left box\n",
      top);
  if (result.suggestion) {
    script += fmt::format(
        "set arrow from {0:.6g}, graph 0 to {0:.6g}, graph 1 nohead dt 2 lw 1.5 lc rgb '#d62728'\n"
        "set label 'suggested: {0:.3g}' at {0:.6g}, graph 0.95 right offset -1,0 "
        "tc rgb '#d62728'\n",
        result.suggested_lr());
  }
  script += fmt::format(
      "plot {0} using 2:3 with points pt 7 ps 0.4 lc rgb '#9ecae1' title 'batch loss', \\\n"
      "  {0} using 2:4 with lines lw 2 lc rgb '#1f77b4' title 'smoothed loss'\n",
      gnuplot_quote(csv));
  std::ofstream(script_path) << script;
  return run_gnuplot(script_path, svg_path, csv);
}

}  // namespace minidl::examples
