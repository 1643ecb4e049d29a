// nn::Linear: y = x W^T + b, the fully connected layer.
#pragma once

#include <cstdint>
#include <string>

#include "core/generator.h"
#include "nn/module.h"

namespace minidl::nn {

/// Options of Linear.
struct LinearOptions {
  int64_t in = 0;    ///< input features (last dim of the input)
  int64_t out = 0;   ///< output features
  bool bias = true;  ///< add a learned bias
};

/// Fully connected layer: input [*, in] -> output [*, out]. Parameters: weight [out, in] and
/// bias [out], both drawn uniformly from [-1/sqrt(in), 1/sqrt(in)] (init::layer_default_).
class Linear : public Module {
 public:
  /// Initializes the parameters from `generator` (by default the default Generator).
  explicit Linear(const LinearOptions& options, Generator& generator = default_generator());

  Tensor forward(const Tensor& input) override;
  /// `Linear(in=4, out=2)`, plus `bias=false` when there is none.
  std::string describe() const override;

  /// Redraws weight and bias with init::layer_default_.
  void reset_parameters(Generator& generator = default_generator());

  /// The options it was built with.
  const LinearOptions& options() const { return options_; }
  /// The weight [out, in].
  Tensor weight() const { return parameter("weight"); }
  /// The bias [out] (undefined when options.bias is false).
  Tensor bias() const { return find_parameter("bias"); }

 private:
  LinearOptions options_;
};

}  // namespace minidl::nn
