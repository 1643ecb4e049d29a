// nn::Dropout: randomly zeroes elements in training mode; the identity in eval mode.
#pragma once

#include <memory>
#include <string>

#include "core/generator.h"
#include "nn/module.h"

namespace minidl::nn {

/// Options of Dropout.
struct DropoutOptions {
  float p = 0.5F;  ///< probability of zeroing an element, in [0, 1]
};

/// In training, each element is zeroed with probability p and the survivors scaled by
/// 1 / (1 - p), so the expected output equals the input; in eval mode it returns the input.
/// The layer owns a Generator, registered as "generator" (so training checkpoints restore it),
/// seeded by one draw from `seed_source`: after manual_seed the sequence of masks is
/// reproducible, and two Dropout layers draw different masks.
class Dropout : public Module {
 public:
  /// A Dropout whose Generator is seeded by one draw from `seed_source`.
  explicit Dropout(const DropoutOptions& options = {},
                   Generator& seed_source = default_generator());
  Tensor forward(const Tensor& input) override;
  /// `Dropout(p=0.5)`.
  std::string describe() const override;
  /// The options it was built with.
  const DropoutOptions& options() const { return options_; }
  /// The layer's mask generator.
  Generator& generator() { return *generator_; }

 private:
  DropoutOptions options_;
  std::shared_ptr<Generator> generator_;
};

}  // namespace minidl::nn
