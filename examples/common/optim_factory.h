// Builds any optimizer or learning-rate schedule by name from command-line settings, so every
// example (MNIST, the optimizer playground) offers the whole of optim/ with the same flags. A
// flag that the chosen optimizer or schedule would ignore is refused (refuse_unused_options).
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <vector>

#include "optim/optim.h"

namespace minidl::examples {

/// Optimizer settings shared by the examples' command lines.
struct OptimizerOptions {
  std::string name = "sgd";                  ///< one of optimizer_names()
  double lr = 0.01;                          ///< base learning rate
  double momentum = 0.0;                     ///< SGD and RMSprop momentum
  std::string momentum_form = "heavy_ball";  ///< SGD: heavy_ball | moving_average | lr_inside
  bool nesterov = false;                     ///< SGD: Nesterov momentum
  double weight_decay = 0.0;                 ///< L2 (coupled) or decoupled for AdamW
};

/// Schedule settings; lengths are in epochs and converted to steps with steps_per_epoch.
struct ScheduleOptions {
  std::string name = "constant";   ///< one of schedule_names()
  double step_size = 1.0;          ///< step: epochs between decays
  std::vector<double> milestones;  ///< multistep: epochs where gamma applies
  double gamma = 0.1;              ///< step, multistep, exponential (per epoch), cyclic exp_range
  double power = 1.0;              ///< inverse_time, polynomial
  double decay_epochs = 1.0;       ///< inverse_time: T
  double min_lr = 0.0;             ///< floor of cosine, warm_restarts, linear, polynomial;
                                   ///< one_cycle's last lr (0: lr / 1e4)
  double cycle_epochs = 1.0;       ///< warm_restarts: T_0; cyclic: half-cycle length
  int64_t cycle_mult = 1;          ///< warm_restarts: T_mult
  double max_lr = 0.1;             ///< cyclic, one_cycle peak (one_cycle starts at the lr)
  std::string cyclic_mode = "triangular";  ///< triangular | triangular2 | exp_range
  double pct_start = 0.3;                  ///< one_cycle: fraction spent rising
  double warmup_epochs = 0.0;              ///< linear warmup in front of any schedule (0 = none)
  double plateau_factor = 0.1;             ///< plateau: lr factor
  int64_t plateau_patience = 2;            ///< plateau: epochs without improvement before reducing
};

/// Every optimizer the examples can build.
const std::vector<std::string>& optimizer_names();
/// Every schedule the examples can build ("plateau" is ReduceLROnPlateau, driven per epoch).
const std::vector<std::string>& schedule_names();

/// Adds --optimizer, --lr, --momentum, --momentum-form, --nesterov, --weight-decay.
void add_optimizer_options(CLI::App& app, OptimizerOptions& config);
/// Adds --schedule and its parameters (in epochs).
void add_schedule_options(CLI::App& app, ScheduleOptions& config);

/// The optimizer `config.name` over `params`.
std::unique_ptr<optim::Optimizer> make_optimizer(const OptimizerOptions& config,
                                                 std::vector<Tensor> params);
/// The step schedule `config.name` with base rate `lr` (the optimizer's, which it scales) for a
/// run of `epochs` epochs; for "plateau" a constant schedule (see make_plateau).
std::shared_ptr<const optim::LrSchedule> make_schedule(const ScheduleOptions& config, double lr,
                                                       int64_t steps_per_epoch, int64_t epochs);
/// The ReduceLROnPlateau of "plateau", starting at `lr` (the caller feeds it once per epoch).
optim::ReduceLROnPlateau make_plateau(const ScheduleOptions& config, double lr);

/// After `app` parsed the options added above: throws CLI::ValidationError (a usage error, exit
/// 2) naming the first flag given on the command line that the chosen optimizer or schedule does
/// not use, e.g. --weight-decay with lbfgs or --warmup-epochs with plateau.
void refuse_unused_options(const CLI::App& app, const OptimizerOptions& optimizer,
                           const ScheduleOptions& schedule);

}  // namespace minidl::examples
