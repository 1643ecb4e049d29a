// The classification training loop (see loop.h).
#include "train/loop.h"

#include <cmath>

#include "core/error.h"
#include "core/grad_mode.h"
#include "nn/functional.h"

namespace minidl::train {

StepResult train_step_unchecked(nn::Module& model, optim::Optimizer& optimizer,
                                const data::Example& batch, const GradientHook& after_backward) {
  StepResult last;  // overwritten by every evaluation of the closure
  auto closure = [&] {
    optimizer.zero_grad();
    Tensor logits = model(batch.input);
    Tensor loss = nn::cross_entropy(logits, batch.target);
    loss.backward();
    if (after_backward) after_backward();
    last = {logits.detach(), static_cast<double>(loss.item())};
    return loss;
  };
  optimizer.step(closure);
  return last;
}

StepResult train_step(nn::Module& model, optim::Optimizer& optimizer, const data::Example& batch,
                      const GradientHook& after_backward) {
  const StepResult last = train_step_unchecked(model, optimizer, batch, after_backward);
  MINIDL_CHECK(std::isfinite(last.loss),
               "training diverged: the loss became {} at step {} with learning rate {}; lower the "
               "learning rate",
               last.loss, optimizer.step_count(), optimizer.lr());
  return last;
}

Tally train_epoch(nn::Module& model, optim::Optimizer& optimizer, data::DataLoader& loader,
                  int64_t& step, const EpochOptions& options) {
  model.train();
  Tally tally;
  int64_t index = 0;
  for (const data::Example& batch : loader) {
    if (options.schedule != nullptr) optimizer.set_lr_factor(options.schedule->factor_at(step));
    const StepResult result = train_step(model, optimizer, batch, options.after_backward);
    tally.add(result.logits, batch.target, result.loss);
    ++step;
    if (options.on_batch) options.on_batch(++index, tally);
  }
  return tally;
}

Tally evaluate(nn::Module& model, data::DataLoader& loader) {
  NoGradGuard no_grad;
  model.eval();
  Tally tally;
  for (const data::Example& batch : loader) {
    Tensor logits = model(batch.input);
    tally.add(logits, batch.target, nn::cross_entropy(logits, batch.target).item());
  }
  model.train();
  return tally;
}

ConfusionMatrix confusion_matrix(nn::Module& model, data::DataLoader& loader, int64_t classes) {
  NoGradGuard no_grad;
  model.eval();
  ConfusionMatrix matrix(classes);
  for (const data::Example& batch : loader) matrix.add(model(batch.input), batch.target);
  model.train();
  return matrix;
}

}  // namespace minidl::train
