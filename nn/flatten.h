// nn::Flatten: merges a range of dims into one, [N, C, H, W] -> [N, C*H*W] by default.
#pragma once

#include <cstdint>
#include <string>

#include "nn/module.h"

namespace minidl::nn {

/// Options of Flatten; dims may be negative (counted from the end).
struct FlattenOptions {
  int64_t start_dim = 1;  ///< first dim merged (1 keeps the batch dim)
  int64_t end_dim = -1;   ///< last dim merged
};

/// Merges dims start_dim..end_dim into one (a view when the input is contiguous).
class Flatten : public Module {
 public:
  /// A Flatten over options.start_dim..options.end_dim.
  explicit Flatten(const FlattenOptions& options = {}) : options_(options) {}
  Tensor forward(const Tensor& input) override;
  /// `Flatten(start_dim=1, end_dim=-1)`.
  std::string describe() const override;

 private:
  FlattenOptions options_;
};

}  // namespace minidl::nn
