// Loss modules: MSELoss, L1Loss, CrossEntropyLoss, NLLLoss, BCEWithLogitsLoss. Each holds its
// options (LossOptions, CrossEntropyOptions, NLLLossOptions, BCEWithLogitsOptions) and calls
// the function of the same name in nn/functional.h.
#pragma once

#include <string>

#include "nn/functional.h"
#include "nn/module.h"

namespace minidl::nn {

/// "none", "mean" or "sum".
std::string_view reduction_name(Reduction reduction);

/// Base of the loss modules: forward(input, target) -> loss (a scalar unless reduction None).
template <typename Options>
class Loss : public Module {
 public:
  using Module::forward;
  using Module::operator();
  /// The loss of `input` against `target`.
  Tensor forward(const Tensor& input, const Tensor& target) {
    return with_provenance([&] { return function_(input, target, options_); });
  }
  /// Same as forward(input, target).
  Tensor operator()(const Tensor& input, const Tensor& target) { return forward(input, target); }
  /// `CrossEntropyLoss(reduction=mean)`.
  std::string describe() const override {
    return name_ + "(reduction=" + std::string(reduction_name(options_.reduction)) + ")";
  }
  /// The options it was built with.
  const Options& options() const { return options_; }

 protected:
  /// The function a loss module calls.
  using LossFunction = Tensor (*)(const Tensor&, const Tensor&, const Options&);
  Loss(std::string name, LossFunction function, const Options& options)
      : name_(std::move(name)), function_(function), options_(options) {}

 private:
  std::string name_;
  LossFunction function_;
  Options options_;
};

/// Mean squared error (see functional::mse_loss).
class MSELoss : public Loss<LossOptions> {
 public:
  /// An MSELoss with the given reduction.
  explicit MSELoss(const LossOptions& options = {}) : Loss("MSELoss", &mse_loss, options) {}
};

/// Mean absolute error (see functional::l1_loss).
class L1Loss : public Loss<LossOptions> {
 public:
  /// An L1Loss with the given reduction.
  explicit L1Loss(const LossOptions& options = {}) : Loss("L1Loss", &l1_loss, options) {}
};

/// Cross-entropy from logits [N, C, d1, ...] and class indices [N, d1, ...] or probabilities
/// (see minidl::cross_entropy for the options' formulas).
class CrossEntropyLoss : public Loss<CrossEntropyOptions> {
 public:
  /// A CrossEntropyLoss with the given reduction, weight, ignore_index and label_smoothing.
  explicit CrossEntropyLoss(const CrossEntropyOptions& options = {})
      : Loss("CrossEntropyLoss", &functional::cross_entropy, options) {}
};

/// Negative log-likelihood from log-probabilities [N, C, d1, ...] (see minidl::nll_loss).
class NLLLoss : public Loss<NLLLossOptions> {
 public:
  /// An NLLLoss with the given reduction, weight and ignore_index.
  explicit NLLLoss(const NLLLossOptions& options = {})
      : Loss("NLLLoss", &functional::nll_loss, options) {}
};

/// Binary cross-entropy from logits (see minidl::binary_cross_entropy_with_logits).
class BCEWithLogitsLoss : public Loss<BCEWithLogitsOptions> {
 public:
  /// A BCEWithLogitsLoss with the given reduction and pos_weight.
  explicit BCEWithLogitsLoss(const BCEWithLogitsOptions& options = {})
      : Loss("BCEWithLogitsLoss", &functional::binary_cross_entropy_with_logits, options) {}
};

}  // namespace minidl::nn
