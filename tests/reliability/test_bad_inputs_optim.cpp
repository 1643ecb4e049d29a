// The bad-input table of optim (see bad_input_table.h): optimizer and schedule options.
#include <limits>

#include "bad_input_table.h"
#include "minidl.h"

using namespace minidl;
using minidl::testing::BadInput;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::vector<Tensor> some_params() { return {zeros({3}).requires_grad_()}; }

std::vector<BadInput> optim_rows() {
  return {
      {"SGD: NaN learning rate", [] { optim::SGD(some_params(), {.lr = kNaN}); },
       "SGD: lr must be a finite number >= 0, got nan"},
      {"Adam: NaN learning rate", [] { optim::Adam(some_params(), {.lr = kNaN}); },
       "Adam: lr must be a finite number >= 0, got nan"},
      {"RMSprop: NaN learning rate", [] { optim::RMSprop(some_params(), {.lr = kNaN}); },
       "RMSprop: lr must be a finite number >= 0, got nan"},
      {"Adagrad: negative learning rate", [] { optim::Adagrad(some_params(), {.lr = -1.0}); },
       "Adagrad: lr must be a finite number >= 0, got -1"},
      {"set_lr: NaN (e.g. from a broken schedule)",
       [] { optim::SGD(some_params(), {.lr = 0.1}).set_lr(kNaN); }, "SGD: lr must be a finite"},
      {"Adam: NaN beta1", [] { optim::Adam(some_params(), {.beta1 = kNaN}); },
       "Adam: beta1 must be in [0, 1), got nan"},
      {"StepLR: NaN learning rate", [] { optim::StepLR({.lr = kNaN, .step_size = 2}); },
       "StepLR: lr must be a finite number >= 0, got nan"},
      {"CosineAnnealingLR: NaN learning rate",
       [] { optim::CosineAnnealingLR({.lr = kNaN, .total_steps = 10}); },
       "CosineAnnealingLR: lr must be a finite number >= 0, got nan"},
      {"ExponentialLR: NaN gamma", [] { optim::ExponentialLR({.lr = 0.1, .gamma = kNaN}); },
       "ExponentialLR: gamma must be > 0, got nan"},
      {"OneCycleLR: NaN max_lr", [] { optim::OneCycleLR({.max_lr = kNaN, .total_steps = 10}); },
       "OneCycleLR: max_lr must be a finite number >= 0, got nan"},
      {"ReduceLROnPlateau: NaN initial lr", [] { optim::ReduceLROnPlateau(kNaN, {}); },
       "ReduceLROnPlateau: initial_lr must be a finite number >= 0, got nan"},
      {"ReduceLROnPlateau: NaN metric", [] { optim::ReduceLROnPlateau(0.1, {}).update(kNaN); },
       "ReduceLROnPlateau: metric must be finite, got nan"},
      {"schedule: negative step",
       [] { (void)optim::StepLR({.lr = 0.1, .step_size = 2}).lr_at(-1); },
       "StepLR: step must be >= 0, got -1"},
      {"optimizer: no parameters", [] { optim::SGD(std::vector<Tensor>{}, {.lr = 0.1}); },
       "SGD: got an empty parameter list"},
  };
}

}  // namespace

TEST_CASE("optimizers and schedules refuse NaN and negative learning rates and bad options") {
  minidl::testing::check_rows(optim_rows());
}
