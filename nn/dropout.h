// nn::Dropout: randomly zeroes elements in training mode; the identity in eval mode.
#pragma once

#include <cstdint>
#include <string>

#include "core/generator.h"
#include "nn/module.h"

namespace minidl::nn {

/// Options of Dropout.
struct DropoutOptions {
  float p = 0.5F;     ///< probability of zeroing an element, in [0, 1]
  uint64_t seed = 0;  ///< seeds the layer's own Generator, so masks are reproducible
};

/// In training, each element is zeroed with probability p and the survivors scaled by
/// 1 / (1 - p), so the expected output equals the input; in eval mode it returns the input.
/// The layer owns a Generator seeded with options.seed: the sequence of masks is reproducible.
class Dropout : public Module {
 public:
  /// A Dropout with its Generator seeded from options.seed.
  explicit Dropout(const DropoutOptions& options = {});
  Tensor forward(const Tensor& input) override;
  /// `Dropout(p=0.5)`.
  std::string describe() const override;
  /// The options it was built with.
  const DropoutOptions& options() const { return options_; }
  /// The layer's mask generator (training checkpoints save and restore its state).
  Generator& generator() { return generator_; }

 private:
  DropoutOptions options_;
  Generator generator_;
};

}  // namespace minidl::nn
