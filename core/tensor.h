// Tensor: a cheap shared handle over (storage, offset, shape, strides) plus autograd metadata.
// Copying a Tensor aliases it (like torch::Tensor); views share storage; `clone()` copies.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <iosfwd>
#include <memory>
#include <string_view>
#include <vector>

#include "core/shape.h"
#include "core/storage.h"

namespace minidl {

namespace autograd {
struct Node;
}

/// What a Tensor handle points at. Library code reaches it through Tensor's methods.
struct TensorImpl {
  std::shared_ptr<Storage> storage;
  int64_t offset = 0;
  Shape shape;
  Strides strides;
  bool requires_grad = false;
  std::shared_ptr<TensorImpl> grad;         // accumulated gradient (leaves)
  std::shared_ptr<autograd::Node> grad_fn;  // the op that produced this tensor, if recorded
};

/// A float32 n-dimensional array with reverse-mode autodiff.
class Tensor {
 public:
  /// An undefined tensor (no storage); `defined()` is false.
  Tensor() = default;
  /// Wraps an existing impl.
  explicit Tensor(std::shared_ptr<TensorImpl> impl) : impl_(std::move(impl)) {}
  /// A new contiguous tensor with unspecified values. A negative size, an element count that
  /// overflows or more memory than the machine has throws minidl::Error naming `op` and the shape.
  static Tensor empty(const Shape& shape, std::string_view op = "empty");
  /// A view of `storage` with the given geometry (no copy).
  static Tensor view_of(std::shared_ptr<Storage> storage, int64_t offset, Shape shape,
                        Strides strides);

  bool defined() const { return impl_ != nullptr; }
  const Shape& shape() const;
  const Strides& strides() const;
  int64_t offset() const;
  /// Number of dimensions.
  int64_t dim() const { return static_cast<int64_t>(shape().size()); }
  /// Size of one dimension (negative dims count from the end).
  int64_t size(int64_t dim) const;
  int64_t numel() const { return numel_of(shape()); }
  /// True when elements are laid out row-major without gaps.
  bool is_contiguous() const;
  /// Pointer to the first element (storage + offset).
  float* data() const;
  const std::shared_ptr<Storage>& storage() const;
  /// The storage's version: how many in-place changes it has had (views share it).
  uint64_t version() const;
  const std::shared_ptr<TensorImpl>& impl() const { return impl_; }

  /// The single value of a one-element tensor.
  float item() const;
  /// Reference to one element, bounds-checked: `t.at({1, 2}) = 3.0F`.
  float& at(std::initializer_list<int64_t> index) const;
  /// All values in row-major order.
  std::vector<float> to_vector() const;

  /// This tensor if contiguous, otherwise a contiguous copy (differentiable).
  Tensor contiguous() const;
  /// A contiguous copy with its own storage (differentiable).
  Tensor clone() const;
  /// The same storage, cut off from the graph: no grad_fn, requires_grad false.
  Tensor detach() const;

  bool requires_grad() const;
  /// Marks a leaf as requiring gradients; returns *this for chaining.
  const Tensor& requires_grad_(bool enabled = true) const;
  /// The op that produced this tensor (null for leaves).
  const std::shared_ptr<autograd::Node>& grad_fn() const;
  /// True for tensors not produced by a recorded op.
  bool is_leaf() const { return grad_fn() == nullptr; }
  /// Accumulated gradient (undefined until a backward reaches this leaf).
  Tensor grad() const;
  /// Replaces the accumulated gradient (undefined clears it).
  void set_grad(const Tensor& gradient) const;
  /// Clears the accumulated gradient.
  void zero_grad() const;
  /// Backpropagates from this tensor: seed 1 for a scalar, else `gradient` of the same shape.
  void backward(const Tensor& gradient = {}, bool retain_graph = false) const;

  // In-place updates, not recorded by autograd (refused on tensors that require grad while
  // grad mode is on). Each bumps the storage's version, so a backward that needs the old values
  // refuses to run. Used by optimizers, initializers and data loading.
  const Tensor& zero_() const;
  const Tensor& fill_(float value) const;
  /// Copies values from a tensor of the same shape.
  const Tensor& copy_(const Tensor& source) const;
  /// this += alpha * other (same shape).
  const Tensor& add_(const Tensor& other, float alpha = 1.0F) const;
  const Tensor& mul_(float factor) const;

  // Views and reductions as methods, same as the free functions in core/ops.
  Tensor reshape(const Shape& shape) const;
  Tensor view(const Shape& shape) const;
  Tensor flatten(int64_t start_dim = 0, int64_t end_dim = -1) const;
  Tensor squeeze() const;
  Tensor squeeze(int64_t dim) const;
  Tensor unsqueeze(int64_t dim) const;
  Tensor transpose(int64_t dim0, int64_t dim1) const;
  Tensor permute(const std::vector<int64_t>& dims) const;
  Tensor expand(const Shape& shape) const;
  Tensor slice(int64_t dim, int64_t start, int64_t end, int64_t step = 1) const;
  Tensor narrow(int64_t dim, int64_t start, int64_t length) const;
  Tensor sum() const;
  Tensor sum(const std::vector<int64_t>& dims, bool keepdim = false) const;
  Tensor mean() const;
  Tensor mean(const std::vector<int64_t>& dims, bool keepdim = false) const;
  Tensor matmul(const Tensor& other) const;

 private:
  const TensorImpl& checked() const;
  // Checks that `op` may change this tensor in place and bumps its storage's version.
  void begin_inplace(const char* op) const;
  std::shared_ptr<TensorImpl> impl_;
};

/// Prints shape, flags and values (elided to the first and last 3 along a dim when large).
std::ostream& operator<<(std::ostream& out, const Tensor& tensor);

}  // namespace minidl
