// nn::BatchNorm1d / BatchNorm2d (the computation is functional::batch_norm).
#include "nn/batchnorm.h"

#include <fmt/format.h>

#include "core/factories.h"
#include "nn/functional.h"

namespace minidl::nn {

BatchNorm::BatchNorm(std::string name, int64_t min_rank, int64_t max_rank,
                     const BatchNormOptions& options)
    : name_(std::move(name)), min_rank_(min_rank), max_rank_(max_rank), options_(options) {
  check(options.features > 0, "features must be positive");
  check(options.eps > 0.0F, "eps must be positive, got {}", options.eps);
  check(options.momentum >= 0.0F && options.momentum <= 1.0F, "momentum must be in [0, 1], got {}",
        options.momentum);
  with_provenance([&] {  // features may exceed the memory
    if (options.affine) {
      register_parameter("weight", ones({options.features}));
      register_parameter("bias", zeros({options.features}));
    }
    register_buffer("running_mean", zeros({options.features}));
    register_buffer("running_var", ones({options.features}));
  });
}

Tensor BatchNorm::forward(const Tensor& input) {
  const int64_t C = options_.features;
  if (input.dim() < min_rank_ || input.dim() > max_rank_ || input.size(1) != C) {
    const std::string expected = min_rank_ == max_rank_
                                     ? fmt::format("[N, {}, H, W]", C)
                                     : fmt::format("[N, {}] or [N, {}, L]", C, C);
    fail(fmt::format("expected input of shape {}, got shape {}", expected, input.shape()));
  }
  return with_provenance([&] {
    return batch_norm(input, running_mean(), running_var(), weight(), bias(), is_training(),
                      options_.momentum, options_.eps);
  });
}

std::string BatchNorm::describe() const {
  return fmt::format("{}(features={}, eps={}, momentum={}{})", name_, options_.features,
                     options_.eps, options_.momentum, options_.affine ? "" : ", affine=false");
}

}  // namespace minidl::nn
