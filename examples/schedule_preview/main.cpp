// examples/schedule_preview: every learning-rate schedule of optim/, built by name exactly as
// `mnist --schedule NAME` builds it, plotted as lr against step in one SVG (one panel per
// schedule) and printed as a table. ReduceLROnPlateau is driven by a scripted validation loss
// that improves, stalls, improves once more and stalls again. Writes into --out:
//   schedules.csv (step, one column per schedule), schedules.gp (gnuplot script), schedules.svg
//   schedule_preview [--epochs 10] [--steps-per-epoch 10] [--every 5] [--out DIR]
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <optional>

#include "core/error.h"
#include "examples/common/cli.h"
#include "examples/common/optim_factory.h"
#include "examples/common/plot.h"
#include "examples/common/threads.h"

using namespace minidl;

namespace {

// The scripted validation loss per epoch that drives "plateau".
double scripted_loss(int64_t epoch) {
  static const std::vector<double> losses = {1.0, 0.8, 0.7, 0.7, 0.7, 0.7, 0.5, 0.5, 0.5, 0.5};
  return losses[static_cast<size_t>(std::min<int64_t>(epoch, 9))];
}

// lr per step of the schedule `name` (plus "cosine+warmup"), for `epochs` epochs.
std::vector<double> curve(const std::string& name, const examples::ScheduleOptions& base, double lr,
                          int64_t steps_per_epoch, int64_t epochs) {
  examples::ScheduleOptions config = base;
  config.name = name == "cosine+warmup" ? "cosine" : name;
  if (name == "cosine+warmup") config.warmup_epochs = 1.0;
  std::vector<double> lrs;
  if (name == "plateau") {
    optim::ReduceLROnPlateau plateau = examples::make_plateau(config, lr);
    double current = lr;
    for (int64_t epoch = 0; epoch < epochs; ++epoch) {
      for (int64_t s = 0; s < steps_per_epoch; ++s) lrs.push_back(current);
      current = plateau.update(scripted_loss(epoch));  // end of epoch: validation
    }
    return lrs;
  }
  auto schedule = examples::make_schedule(config, lr, steps_per_epoch, epochs);
  for (const optim::LrPoint& point : optim::preview(*schedule, steps_per_epoch * epochs))
    lrs.push_back(point.lr);
  return lrs;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Plots every learning-rate schedule as lr against step, and prints them"};
  std::string out_dir = "schedule_preview_out";
  int64_t epochs = 10;
  int64_t steps_per_epoch = 10;
  int64_t every = 5;
  double lr = 0.1;
  examples::ScheduleOptions config{.step_size = 3.0,
                                   .milestones = {3.0, 6.0, 8.0},
                                   .gamma = 0.5,
                                   .power = 2.0,
                                   .decay_epochs = 2.0,
                                   .min_lr = 1e-3,
                                   .cycle_epochs = 2.0,
                                   .max_lr = 0.3,
                                   .plateau_factor = 0.5,
                                   .plateau_patience = 2};
  examples::cli::show_defaults(app);
  app.add_option("--out", out_dir, "output folder")->check(examples::cli::output_folder());
  app.add_option("--epochs", epochs, "epochs")->check(examples::cli::integer_at_least(1));
  app.add_option("--steps-per-epoch", steps_per_epoch, "steps per epoch")
      ->check(examples::cli::integer_at_least(1));
  app.add_option("--every", every, "print every N-th step in the table")
      ->check(examples::cli::integer_at_least(1));
  app.add_option("--lr", lr, "base learning rate")->check(examples::cli::positive_number());
  examples::add_threads_option(app);
  if (std::optional<int> code = examples::cli::parse(app, argc, argv, [&] {
        // preview() plots fewer than kMaxPreviewRows steps; a division, as the product may not fit
        if (epochs > (optim::kMaxPreviewRows - 1) / steps_per_epoch) {
          throw CLI::ValidationError(
              "--epochs and --steps-per-epoch",
              fmt::format("give {} x {} steps; a preview plots fewer than {}", epochs,
                          steps_per_epoch, optim::kMaxPreviewRows));
        }
        if (epochs * steps_per_epoch < 4) {  // one_cycle rises over 30% of them, less 1
          throw CLI::ValidationError("--epochs and --steps-per-epoch",
                                     fmt::format("give {} x {} steps; one_cycle needs at least 4",
                                                 epochs, steps_per_epoch));
        }
      })) {
    return *code;
  }
  return examples::cli::run([&] {
    std::vector<std::string> names = examples::schedule_names();
    names.push_back("cosine+warmup");
    std::vector<std::vector<double>> curves;
    for (const std::string& name : names)
      curves.push_back(curve(name, config, lr, steps_per_epoch, epochs));
    const int64_t steps = steps_per_epoch * epochs;

    fmt::print(
        "Every schedule with lr {}, {} epochs of {} steps (step 3 epochs, milestones 3,6,8, gamma "
        "0.5 per decay or per epoch, power 2, min/end lr 0.001, cycles of 2 epochs, max lr 0.3; "
        "plateau: factor 0.5, patience 2, scripted losses)\n\n",
        lr, epochs, steps_per_epoch);
    std::string header = fmt::format("{:>5}", "step");
    for (const std::string& name : names) header += fmt::format(" {:>9.9}", name);
    fmt::print("{}\n", header);
    std::filesystem::create_directories(out_dir);
    const std::string csv = out_dir + "/schedules.csv";
    std::ofstream table(csv);
    MINIDL_CHECK(table.good(), "schedule_preview: cannot write {}", csv);
    table << "step," << fmt::format("{}", fmt::join(names, ",")) << "\n";
    for (int64_t step = 0; step < steps; ++step) {
      std::string row = fmt::format("{:>5}", step);
      table << step;
      for (const auto& lrs : curves) {
        row += fmt::format(" {:>9.4g}", lrs[static_cast<size_t>(step)]);
        table << fmt::format(",{:.6g}", lrs[static_cast<size_t>(step)]);
      }
      table << "\n";
      if (step % every == 0 || step == steps - 1) fmt::print("{}\n", row);
    }
    table.close();

    const std::string svg = out_dir + "/schedules.svg";
    std::string script = examples::gnuplot_svg_preamble(svg, 1200, 900);
    script += fmt::format(
        "set multiplot layout 4,4 title 'Learning-rate schedules: base lr {}, {} epochs of {} "
        "steps' "
        "font ',14'\nset xlabel 'step' offset 0,0.5\nset ylabel 'lr' offset 1,0\nunset key\n"
        "set xrange [0:{}]\nset yrange [0:*]\nset format y '%.2g'\nset xtics {}\n",
        lr, epochs, steps_per_epoch, steps - 1, std::max<int64_t>(1, steps / 5));
    for (size_t i = 0; i < names.size(); ++i) {
      script += fmt::format(
          "set title {} noenhanced\nplot {} using 1:{} with lines lw 2 lc rgb '#1f77b4'\n",
          examples::gnuplot_quote(names[i]), examples::gnuplot_quote(csv), i + 2);
    }
    script += "unset multiplot\n";
    const std::string script_path = out_dir + "/schedules.gp";
    std::ofstream(script_path) << script;
    fmt::print("\nwrote {}\n", csv);
    examples::run_gnuplot(script_path, svg, csv);
    return 0;
  });
}
