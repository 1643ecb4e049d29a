// Activation layers: ReLU, LeakyReLU, Sigmoid, Tanh, GELU, Softmax, LogSoftmax. Each applies the core
// op of the same name; none has parameters.
#pragma once

#include <cstdint>
#include <string>

#include "nn/module.h"

namespace minidl::nn {

/// max(x, 0).
class ReLU : public Module {
 public:
  Tensor forward(const Tensor& input) override;
  std::string describe() const override { return "ReLU()"; }
};

/// Options of LeakyReLU.
struct LeakyReLUOptions {
  float negative_slope = 0.01F;  ///< slope for x < 0
};

/// x for x > 0, negative_slope * x otherwise.
class LeakyReLU : public Module {
 public:
  /// A LeakyReLU with the given slope.
  explicit LeakyReLU(const LeakyReLUOptions& options = {}) : options_(options) {}
  Tensor forward(const Tensor& input) override;
  /// `LeakyReLU(negative_slope=0.01)`.
  std::string describe() const override;
  /// The options it was built with.
  const LeakyReLUOptions& options() const { return options_; }

 private:
  LeakyReLUOptions options_;
};

/// 1 / (1 + e^-x).
class Sigmoid : public Module {
 public:
  Tensor forward(const Tensor& input) override;
  std::string describe() const override { return "Sigmoid()"; }
};

/// tanh(x).
class Tanh : public Module {
 public:
  Tensor forward(const Tensor& input) override;
  std::string describe() const override { return "Tanh()"; }
};

/// Options of GELU.
struct GELUOptions {
  std::string approximate = "none";  ///< "none" (exact, with erf) or "tanh"
};

/// x * Phi(x), Phi the standard normal CDF; approximate "tanh" uses PyTorch's tanh formula.
class GELU : public Module {
 public:
  /// A GELU of the given form; throws unless approximate is "none" or "tanh".
  explicit GELU(const GELUOptions& options = {});
  Tensor forward(const Tensor& input) override;
  /// `GELU(approximate=none)`.
  std::string describe() const override;
  /// The options it was built with.
  const GELUOptions& options() const { return options_; }

 private:
  GELUOptions options_;
};

/// Options of Softmax and LogSoftmax.
struct SoftmaxOptions {
  int64_t dim = -1;  ///< the dim that sums to one (negative counts from the end)
};

/// Softmax (exp(x) / sum(exp(x))) or, when `kLog`, log-softmax along options.dim, stably.
template <bool kLog>
class SoftmaxLayer : public Module {
 public:
  /// A softmax over options.dim.
  explicit SoftmaxLayer(const SoftmaxOptions& options = {}) : options_(options) {}
  Tensor forward(const Tensor& input) override;
  /// `Softmax(dim=-1)` or `LogSoftmax(dim=-1)`.
  std::string describe() const override;
  /// The options it was built with.
  const SoftmaxOptions& options() const { return options_; }

 private:
  SoftmaxOptions options_;
};

/// exp(x) / sum(exp(x)) along options.dim.
using Softmax = SoftmaxLayer<false>;
/// log(softmax(x)) along options.dim.
using LogSoftmax = SoftmaxLayer<true>;

extern template class SoftmaxLayer<false>;
extern template class SoftmaxLayer<true>;

}  // namespace minidl::nn
