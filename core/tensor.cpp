// Tensor handle: geometry accessors, element access, in-place updates and method forwarding.
#include "core/tensor.h"

#include <algorithm>
#include <cstring>

#include "core/autograd/node.h"
#include "core/error.h"
#include "core/grad_mode.h"
#include "core/kernels/strided.h"
#include "core/ops/matmul.h"
#include "core/ops/reduction.h"
#include "core/ops/view.h"

namespace minidl {

Tensor Tensor::empty(const Shape& shape, std::string_view op) {
  const int64_t numel = checked_numel(op, shape);
  auto impl = std::make_shared<TensorImpl>();
  try {
    impl->storage = std::make_shared<Storage>(numel);
  } catch (const Error& error) {
    throw Error(fmt::format("{}: shape {}: {}", op, shape, error.what()));
  }
  impl->shape = shape;
  impl->strides = contiguous_strides(shape);
  return Tensor(std::move(impl));
}

Tensor Tensor::view_of(std::shared_ptr<Storage> storage, int64_t offset, Shape shape,
                       Strides strides) {
  auto impl = std::make_shared<TensorImpl>();
  impl->storage = std::move(storage);
  impl->offset = offset;
  impl->shape = std::move(shape);
  impl->strides = std::move(strides);
  return Tensor(std::move(impl));
}

const TensorImpl& Tensor::checked() const {
  MINIDL_CHECK(impl_ != nullptr, "Tensor: use of an undefined tensor");
  return *impl_;
}

const Shape& Tensor::shape() const { return checked().shape; }
const Strides& Tensor::strides() const { return checked().strides; }
int64_t Tensor::offset() const { return checked().offset; }
float* Tensor::data() const { return checked().storage->data() + impl_->offset; }
const std::shared_ptr<Storage>& Tensor::storage() const { return checked().storage; }
uint64_t Tensor::version() const { return checked().storage->version(); }

int64_t Tensor::size(int64_t dim) const {
  return shape()[static_cast<size_t>(wrap_dim("size", dim, this->dim()))];
}

bool Tensor::is_contiguous() const {
  const TensorImpl& impl = checked();
  int64_t expected = 1;
  for (size_t d = impl.shape.size(); d-- > 0;) {
    if (impl.shape[d] == 1) continue;
    if (impl.strides[d] != expected) return false;
    expected *= impl.shape[d];
  }
  return true;
}

float Tensor::item() const {
  MINIDL_CHECK(numel() == 1, "item: tensor of shape {} has {} elements, expected 1", shape(),
               numel());
  return *data();
}

float& Tensor::at(std::initializer_list<int64_t> index) const {
  MINIDL_CHECK(static_cast<int64_t>(index.size()) == dim(),
               "at: {} indices for a tensor of shape {}", index.size(), shape());
  int64_t offset = 0;
  size_t d = 0;
  for (int64_t i : index) {
    MINIDL_CHECK(i >= 0 && i < shape()[d], "at: index {} out of range for dim {} of shape {}", i, d,
                 shape());
    offset += i * strides()[d];
    ++d;
  }
  return data()[offset];
}

std::vector<float> Tensor::to_vector() const {
  Tensor compact = detach().contiguous();
  return {compact.data(), compact.data() + compact.numel()};
}

Tensor Tensor::contiguous() const { return minidl::contiguous(*this); }
Tensor Tensor::clone() const { return minidl::clone(*this); }

Tensor Tensor::detach() const {
  const TensorImpl& impl = checked();
  return view_of(impl.storage, impl.offset, impl.shape, impl.strides);
}

bool Tensor::requires_grad() const { return checked().requires_grad; }

const Tensor& Tensor::requires_grad_(bool enabled) const {
  MINIDL_CHECK(is_leaf(), "requires_grad_: only leaf tensors can change requires_grad (shape {})",
               shape());
  impl_->requires_grad = enabled;
  return *this;
}

const std::shared_ptr<autograd::Node>& Tensor::grad_fn() const { return checked().grad_fn; }

Tensor Tensor::grad() const { return Tensor(checked().grad); }

void Tensor::set_grad(const Tensor& gradient) const {
  if (gradient.defined()) {
    MINIDL_CHECK(gradient.shape() == shape(),
                 "set_grad: gradient of shape {} for tensor of shape {}", gradient.shape(),
                 shape());
  }
  impl_->grad = gradient.impl();
}

void Tensor::zero_grad() const {
  checked();
  impl_->grad.reset();
}

void Tensor::backward(const Tensor& gradient, bool retain_graph) const {
  autograd::backward(*this, gradient, retain_graph);
}

void Tensor::begin_inplace(const char* op) const {
  MINIDL_CHECK(!(GradMode::is_enabled() && requires_grad()),
               "{}: in-place update of a tensor of shape {} that requires grad; do it under "
               "NoGradGuard",
               op, shape());
  impl_->storage->bump_version();
}

const Tensor& Tensor::zero_() const { return fill_(0.0F); }

const Tensor& Tensor::fill_(float value) const {
  begin_inplace("fill_");
  float* out = data();
  if (is_contiguous()) {
    std::fill(out, out + numel(), value);
  } else {
    kernels::for_each_element<1>(shape(), {strides()}, {0},
                                 [&](int64_t offset) { out[offset] = value; });
  }
  return *this;
}

const Tensor& Tensor::copy_(const Tensor& source) const {
  MINIDL_CHECK(source.shape() == shape(), "copy_: source of shape {} into tensor of shape {}",
               source.shape(), shape());
  begin_inplace("copy_");
  float* out = data();
  const float* in = source.data();
  if (is_contiguous() && source.is_contiguous()) {
    std::memmove(out, in, static_cast<size_t>(numel()) * sizeof(float));
  } else {
    kernels::for_each_element<2>(shape(), {strides(), source.strides()}, {0, 0},
                                 [&](int64_t o, int64_t i) { out[o] = in[i]; });
  }
  return *this;
}

const Tensor& Tensor::add_(const Tensor& other, float alpha) const {
  MINIDL_CHECK(other.shape() == shape(), "add_: tensor of shape {} added into shape {}",
               other.shape(), shape());
  begin_inplace("add_");
  float* out = data();
  const float* in = other.data();
  if (is_contiguous() && other.is_contiguous()) {
    const int64_t n = numel();
    for (int64_t i = 0; i < n; ++i) out[i] += alpha * in[i];
  } else {
    kernels::for_each_element<2>(shape(), {strides(), other.strides()}, {0, 0},
                                 [&](int64_t o, int64_t i) { out[o] += alpha * in[i]; });
  }
  return *this;
}

const Tensor& Tensor::mul_(float factor) const {
  begin_inplace("mul_");
  float* out = data();
  kernels::for_each_element<1>(shape(), {strides()}, {0},
                               [&](int64_t offset) { out[offset] *= factor; });
  return *this;
}

Tensor Tensor::reshape(const Shape& shape) const { return minidl::reshape(*this, shape); }
Tensor Tensor::view(const Shape& shape) const { return minidl::view(*this, shape); }
Tensor Tensor::flatten(int64_t start_dim, int64_t end_dim) const {
  return minidl::flatten(*this, start_dim, end_dim);
}
Tensor Tensor::squeeze() const { return minidl::squeeze(*this); }
Tensor Tensor::squeeze(int64_t dim) const { return minidl::squeeze(*this, dim); }
Tensor Tensor::unsqueeze(int64_t dim) const { return minidl::unsqueeze(*this, dim); }
Tensor Tensor::transpose(int64_t dim0, int64_t dim1) const {
  return minidl::transpose(*this, dim0, dim1);
}
Tensor Tensor::permute(const std::vector<int64_t>& dims) const {
  return minidl::permute(*this, dims);
}
Tensor Tensor::expand(const Shape& shape) const { return minidl::expand(*this, shape); }
Tensor Tensor::slice(int64_t dim, int64_t start, int64_t end, int64_t step) const {
  return minidl::slice(*this, dim, start, end, step);
}
Tensor Tensor::narrow(int64_t dim, int64_t start, int64_t length) const {
  return minidl::narrow(*this, dim, start, length);
}
Tensor Tensor::sum() const { return minidl::sum(*this); }
Tensor Tensor::sum(const std::vector<int64_t>& dims, bool keepdim) const {
  return minidl::sum(*this, dims, keepdim);
}
Tensor Tensor::mean() const { return minidl::mean(*this); }
Tensor Tensor::mean(const std::vector<int64_t>& dims, bool keepdim) const {
  return minidl::mean(*this, dims, keepdim);
}
Tensor Tensor::matmul(const Tensor& other) const { return minidl::matmul(*this, other); }

}  // namespace minidl
