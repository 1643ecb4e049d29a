// nn::Linear: y = x W^T + b, the fully connected layer.
#pragma once

#include <cstdint>
#include <string>

#include "core/generator.h"
#include "nn/module.h"

namespace minidl::nn {

/// Options of Linear.
struct LinearOptions {
  int64_t in = 0;     ///< input features (last dim of the input)
  int64_t out = 0;    ///< output features
  bool bias = true;   ///< add a learned bias
  uint64_t seed = 0;  ///< seeds the default init when no Generator is passed
};

/// Fully connected layer: input [*, in] -> output [*, out]. Parameters: weight [out, in] and
/// bias [out], both drawn uniformly from [-1/sqrt(in), 1/sqrt(in)] (init::layer_default).
class Linear : public Module {
 public:
  /// Initializes from Generator(options.seed).
  explicit Linear(const LinearOptions& options);
  /// Initializes from `generator` (options.seed is ignored).
  Linear(const LinearOptions& options, Generator& generator);

  Tensor forward(const Tensor& input) override;
  /// `Linear(in=4, out=2)`, plus `bias=false` when there is none.
  std::string describe() const override;

  /// Redraws weight and bias with init::layer_default.
  void reset_parameters(Generator& generator);

  /// The options it was built with.
  const LinearOptions& options() const { return options_; }
  /// The weight [out, in].
  Tensor weight() const { return parameter("weight"); }
  /// The bias [out] (undefined when options.bias is false).
  Tensor bias() const { return find_parameter("bias"); }

 private:
  Linear(const LinearOptions& options, Generator* generator);  // null: Generator(options.seed)
  LinearOptions options_;
};

}  // namespace minidl::nn
