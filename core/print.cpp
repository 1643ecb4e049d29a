// operator<< for tensors: values nested by dimension, elided in the middle of long dims.
#include <ostream>
#include <string>

#include "core/autograd/node.h"
#include "core/tensor.h"

namespace minidl {

namespace {

constexpr int64_t kElideAbove = 1000;  // elements; larger tensors print the edges only
constexpr int64_t kEdgeItems = 3;

void print_dim(std::string& text, const Tensor& tensor, size_t dim, int64_t offset, bool elide) {
  if (dim == tensor.shape().size()) {
    text += fmt::format("{:.4f}", tensor.data()[offset]);
    return;
  }
  const int64_t size = tensor.shape()[dim];
  const int64_t stride = tensor.strides()[dim];
  const std::string separator =
      dim + 1 == tensor.shape().size() ? ", " : ",\n" + std::string(8 + dim, ' ');
  text += '[';
  for (int64_t i = 0; i < size; ++i) {
    if (elide && size > 2 * kEdgeItems && i == kEdgeItems) {
      text += "..." + separator;
      i = size - kEdgeItems;
    }
    print_dim(text, tensor, dim + 1, offset + i * stride, elide);
    if (i + 1 < size) text += separator;
  }
  text += ']';
}

}  // namespace

std::ostream& operator<<(std::ostream& out, const Tensor& tensor) {
  if (!tensor.defined()) return out << "Tensor(undefined)";
  std::string text = "tensor(";
  print_dim(text, tensor, 0, 0, tensor.numel() > kElideAbove);
  text += fmt::format(", shape={}", tensor.shape());
  if (tensor.grad_fn()) {
    text += fmt::format(", grad_fn={}", tensor.grad_fn()->name);
  } else if (tensor.requires_grad()) {
    text += ", requires_grad";
  }
  return out << text << ')';
}

}  // namespace minidl
