// Tutorial snippet (docs/optimizers-and-schedules.md): a schedule is a pure function of the
// step, so it can be printed before training: warmup for 5 steps, then cosine to 0.001.
#include <iostream>
#include <memory>

#include "optim/optim.h"

using namespace minidl;

int main() {
  auto cosine = std::make_shared<optim::CosineAnnealingLR>(
      optim::CosineAnnealingLROptions{.lr = 0.1, .total_steps = 45, .min_lr = 1e-3});
  const optim::LinearWarmup schedule(cosine, {.warmup_steps = 5});
  std::cout << optim::preview_table(schedule, 50, 5);
  return schedule.lr_at(5) == 0.1 ? 0 : 1;
}
