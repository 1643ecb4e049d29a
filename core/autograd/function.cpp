// Context: the tensors and flags a custom Function's forward hands to its backward.
#include "core/autograd/function.h"

namespace minidl::autograd {

void Context::save_for_backward(const std::vector<Tensor>& tensors) {
  saved_.clear();
  for (const Tensor& tensor : tensors) {
    MINIDL_CHECK(tensor.defined(), "{}: save_for_backward got an undefined tensor", op_);
    saved_.emplace_back(tensor);
  }
}

std::vector<Tensor> Context::saved() const {
  std::vector<Tensor> tensors;
  tensors.reserve(saved_.size());
  for (const SavedTensor& saved : saved_) tensors.push_back(saved.unpack());
  return tensors;
}

bool Context::needs_input_grad(size_t index) const {
  MINIDL_CHECK(index < needs_input_grad_.size(),
               "{}: needs_input_grad({}) asked, but the op has {} tensor inputs", op_, index,
               needs_input_grad_.size());
  return needs_input_grad_[index];
}

}  // namespace minidl::autograd
