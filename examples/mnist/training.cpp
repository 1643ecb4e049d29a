// Classification training loop (see training.h).
#include "examples/mnist/training.h"

#include <cmath>

#include "core/error.h"
#include "core/grad_mode.h"
#include "core/ops/reduction.h"
#include "nn/functional.h"

namespace minidl::examples {

void Tally::add(const Tensor& logits, const Tensor& targets, double mean_loss) {
  const int64_t n = targets.numel();
  loss_sum += mean_loss * static_cast<double>(n);
  const std::vector<float> predicted = argmax(logits, 1).to_vector();
  const std::vector<float> truth = targets.to_vector();
  for (size_t i = 0; i < truth.size(); ++i) correct += predicted[i] == truth[i] ? 1 : 0;
  seen += n;
}

double Tally::loss() const { return seen == 0 ? 0.0 : loss_sum / static_cast<double>(seen); }

double Tally::accuracy() const {
  return seen == 0 ? 0.0 : static_cast<double>(correct) / static_cast<double>(seen);
}

std::pair<Tensor, double> train_step(nn::Module& model, optim::Optimizer& optimizer,
                                     const data::Example& batch,
                                     const GradientHook& after_backward) {
  Tensor logits;
  auto closure = [&] {
    optimizer.zero_grad();
    logits = model(batch.input);
    Tensor loss = nn::cross_entropy(logits, batch.target);
    loss.backward();
    if (after_backward) after_backward();
    return loss;
  };
  const double loss = optimizer.step(closure).item();
  MINIDL_CHECK(std::isfinite(loss),
               "training diverged: the loss became {} at step {} with learning rate {}; lower the "
               "learning rate",
               loss, optimizer.step_count(), optimizer.lr());
  return {logits.detach(), loss};
}

Tally train_epoch(nn::Module& model, optim::Optimizer& optimizer, data::DataLoader& loader,
                  const optim::LrSchedule* schedule, int64_t& step, const BatchCallback& on_batch,
                  const GradientHook& after_backward) {
  model.train();
  Tally tally;
  int64_t index = 0;
  for (const data::Example& batch : loader) {
    if (schedule != nullptr) optimizer.set_lr_factor(schedule->factor_at(step));
    auto [logits, loss] = train_step(model, optimizer, batch, after_backward);
    tally.add(logits, batch.target, loss);
    ++step;
    if (on_batch) on_batch(++index, tally);
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

}  // namespace minidl::examples
