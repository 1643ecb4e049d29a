// Loss modules: MSELoss, L1Loss, CrossEntropyLoss, NLLLoss, BCEWithLogitsLoss. Each holds
// LossOptions and calls the function of the same name in nn/functional.h.
#pragma once

#include <string>

#include "nn/functional.h"
#include "nn/module.h"

namespace minidl::nn {

/// Base of the loss modules: forward(input, target) -> loss (a scalar unless reduction None).
class Loss : public Module {
 public:
  using Module::forward;
  using Module::operator();
  /// The loss of `input` against `target`.
  Tensor forward(const Tensor& input, const Tensor& target);
  /// Same as forward(input, target).
  Tensor operator()(const Tensor& input, const Tensor& target) { return forward(input, target); }
  /// `CrossEntropyLoss(reduction=mean)`.
  std::string describe() const override;
  /// The options it was built with.
  const LossOptions& options() const { return options_; }

 protected:
  /// The function a loss module calls.
  using LossFunction = Tensor (*)(const Tensor&, const Tensor&, const LossOptions&);
  Loss(std::string name, LossFunction function, const LossOptions& options)
      : name_(std::move(name)), function_(function), options_(options) {}

 private:
  std::string name_;
  LossFunction function_;
  LossOptions options_;
};

/// Mean squared error (see functional::mse_loss).
class MSELoss : public Loss {
 public:
  /// An MSELoss with the given reduction.
  explicit MSELoss(const LossOptions& options = {}) : Loss("MSELoss", &mse_loss, options) {}
};

/// Mean absolute error (see functional::l1_loss).
class L1Loss : public Loss {
 public:
  /// An L1Loss with the given reduction.
  explicit L1Loss(const LossOptions& options = {}) : Loss("L1Loss", &l1_loss, options) {}
};

/// Cross-entropy from logits [N, C] and class indices [N] (see functional::cross_entropy).
class CrossEntropyLoss : public Loss {
 public:
  /// A CrossEntropyLoss with the given reduction.
  explicit CrossEntropyLoss(const LossOptions& options = {})
      : Loss("CrossEntropyLoss", &functional::cross_entropy, options) {}
};

/// Negative log-likelihood from log-probabilities [N, C] (see functional::nll_loss).
class NLLLoss : public Loss {
 public:
  /// An NLLLoss with the given reduction.
  explicit NLLLoss(const LossOptions& options = {})
      : Loss("NLLLoss", &functional::nll_loss, options) {}
};

/// Binary cross-entropy from logits (see functional::binary_cross_entropy_with_logits).
class BCEWithLogitsLoss : public Loss {
 public:
  /// A BCEWithLogitsLoss with the given reduction.
  explicit BCEWithLogitsLoss(const LossOptions& options = {})
      : Loss("BCEWithLogitsLoss", &functional::binary_cross_entropy_with_logits, options) {}
};

}  // namespace minidl::nn
