// SavedTensor's version check and the thread's current backward op.
#include "core/autograd/saved_tensor.h"

#include "core/error.h"

namespace minidl::autograd {

namespace {

thread_local std::string_view backward_op;

}  // namespace

SavedTensor::SavedTensor(const Tensor& tensor)
    : tensor_(tensor.detach()), version_(tensor.version()) {}

const Tensor& SavedTensor::unpack() const {
  const uint64_t now = tensor_.version();
  MINIDL_CHECK(now == version_,
               "a tensor of shape {} saved by '{}' for backward was modified in place after it "
               "was saved (version {} now, {} when saved); modify a clone() of it instead, or "
               "make the change before the forward or after the backward",
               tensor_.shape(), current_backward_op(), now, version_);
  return tensor_;
}

std::string_view current_backward_op() { return backward_op.empty() ? "an op" : backward_op; }

BackwardOpScope::BackwardOpScope(std::string_view op) : previous_(backward_op) { backward_op = op; }

BackwardOpScope::~BackwardOpScope() { backward_op = previous_; }

}  // namespace minidl::autograd
