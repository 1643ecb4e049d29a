// Tally (see metrics.h).
#include "train/metrics.h"

#include <vector>

#include "core/ops/reduction.h"

namespace minidl::train {

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

}  // namespace minidl::train
