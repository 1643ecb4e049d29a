// SavedTensor: a tensor an op keeps for its backward, with the version its storage had when it
// was saved. Every in-place change bumps a storage's version (Tensor::add_, an optimizer step...),
// so when a backward unpacks a tensor whose values changed since the forward, it throws instead of
// silently computing a wrong gradient — as PyTorch does. Built-in ops capture SavedTensor in
// their backward closures; custom Functions get it through Context::save_for_backward.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/tensor.h"

namespace minidl::autograd {

/// A tensor kept for backward together with its storage's version at save time.
class SavedTensor {
 public:
  /// Nothing saved (an op that does not need this tensor in its backward).
  SavedTensor() = default;
  /// Saves `tensor` (detached: the saved copy never holds the graph) and its storage's version.
  explicit SavedTensor(const Tensor& tensor);

  /// The saved tensor; throws minidl::Error naming the op whose backward is running when the
  /// tensor was modified in place after it was saved.
  const Tensor& unpack() const;
  /// True when a tensor was saved.
  bool defined() const { return tensor_.defined(); }

 private:
  Tensor tensor_;
  uint64_t version_ = 0;
};

/// The name of the op whose backward closure runs on this thread ("" outside the engine).
std::string_view current_backward_op();

/// RAII: names the op whose backward closure is about to run on this thread (the engine sets it).
class BackwardOpScope {
 public:
  /// Makes `op` the current backward op until destruction.
  explicit BackwardOpScope(std::string_view op);
  ~BackwardOpScope();
  BackwardOpScope(const BackwardOpScope&) = delete;
  BackwardOpScope& operator=(const BackwardOpScope&) = delete;

 private:
  std::string_view previous_;
};

}  // namespace minidl::autograd
