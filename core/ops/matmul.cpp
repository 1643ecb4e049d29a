// Matmul. Shapes use M, K, N: a [..., M, K] @ b [..., K, N] = out [..., M, N].
// Every batch matrix goes to kernels::sgemm directly from the operand's storage: a transposed
// view becomes a transpose flag and a broadcast batch dim a repeated pointer, never a copy.
// Backward: grad_a = g @ b^T, grad_b = a^T @ g (transposed views, so again just flags),
// then summed over the batch dims each input was broadcast along.
#include "core/ops/matmul.h"

#include <algorithm>
#include <optional>

#include "core/autograd/node.h"
#include "core/autograd/saved_tensor.h"
#include "core/error.h"
#include "core/kernels/blas.h"
#include "core/kernels/strided.h"
#include "core/ops/reduction.h"
#include "core/ops/view.h"

namespace minidl {

using autograd::SavedTensor;

namespace {

// How sgemm reads one matrix of a batch: transposed or not, and its row stride.
struct GemmLayout {
  bool transposed;
  int64_t leading;
};

// The layout of a rows x cols matrix with the given strides, if BLAS can read it in place.
std::optional<GemmLayout> gemm_layout(int64_t rows, int64_t cols, int64_t row_stride,
                                      int64_t col_stride) {
  if ((cols == 1 || col_stride == 1) && (rows == 1 || row_stride >= std::max<int64_t>(cols, 1))) {
    return GemmLayout{false, rows == 1 ? std::max<int64_t>(cols, 1) : row_stride};
  }
  if ((rows == 1 || row_stride == 1) && (cols == 1 || col_stride >= std::max<int64_t>(rows, 1))) {
    return GemmLayout{true, cols == 1 ? std::max<int64_t>(rows, 1) : col_stride};
  }
  return std::nullopt;
}

// `t` if its matrices are BLAS-readable, else a contiguous copy; fills `layout`.
Tensor gemm_operand(const Tensor& t, GemmLayout& layout) {
  const size_t n = t.shape().size();
  auto found =
      gemm_layout(t.shape()[n - 2], t.shape()[n - 1], t.strides()[n - 2], t.strides()[n - 1]);
  if (found) {
    layout = *found;
    return t;
  }
  Tensor compact = t.detach().contiguous();
  layout = GemmLayout{false, std::max<int64_t>(t.shape()[n - 1], 1)};
  return compact;
}

// out = a @ b for a [..., M, K], b [..., K, N] (both at least 2-D), not recorded.
Tensor batched_matmul_forward(const Tensor& a, const Tensor& b) {
  const size_t na = a.shape().size();
  const size_t nb = b.shape().size();
  const int64_t M = a.shape()[na - 2];
  const int64_t K = a.shape()[na - 1];
  const int64_t N = b.shape()[nb - 1];
  MINIDL_CHECK(b.shape()[nb - 2] == K, "matmul: inner dimensions differ: {} @ {}", a.shape(),
               b.shape());
  Shape batch_a(a.shape().begin(), a.shape().end() - 2);
  Shape batch_b(b.shape().begin(), b.shape().end() - 2);
  Shape batch = broadcast_shapes("matmul", batch_a, batch_b);
  Shape out_shape = batch;
  out_shape.push_back(M);
  out_shape.push_back(N);
  Tensor out = Tensor::empty(out_shape, "matmul");

  GemmLayout layout_a{};
  GemmLayout layout_b{};
  Tensor ma = gemm_operand(a, layout_a);
  Tensor mb = gemm_operand(b, layout_b);
  Strides strides_a(ma.strides().begin(), ma.strides().end() - 2);
  Strides strides_b(mb.strides().begin(), mb.strides().end() - 2);
  Strides batch_out = contiguous_strides(batch);
  for (int64_t& stride : batch_out) stride *= M * N;
  const float* pa = ma.data();
  const float* pb = mb.data();
  float* pc = out.data();
  kernels::for_each_element<3>(batch,
                               {batch_out, broadcast_strides(batch_a, strides_a, batch),
                                broadcast_strides(batch_b, strides_b, batch)},
                               {0, 0, 0}, [&](int64_t oc, int64_t oa, int64_t ob) {
                                 kernels::sgemm(layout_a.transposed, layout_b.transposed, M, N, K,
                                                1.0F, pa + oa, layout_a.leading, pb + ob,
                                                layout_b.leading, 0.0F, pc + oc,
                                                std::max<int64_t>(N, 1));
                               });
  return out;
}

// The recorded op for operands of rank >= 2.
Tensor batched_matmul(const Tensor& a, const Tensor& b) {
  Tensor out = batched_matmul_forward(a, b);
  return autograd::record(
      "matmul", {a, b}, out,
      // grad_a needs b and grad_b needs a: each is saved only when the other needs it
      [saved_a = b.requires_grad() ? SavedTensor(a) : SavedTensor(),
       saved_b = a.requires_grad() ? SavedTensor(b) : SavedTensor(), shape_a = a.shape(),
       shape_b = b.shape()](const Tensor& g) {
        Tensor grad_a;
        Tensor grad_b;
        if (saved_b.defined()) {
          grad_a = sum_to(batched_matmul_forward(g, transpose(saved_b.unpack(), -1, -2)), shape_a);
        }
        if (saved_a.defined()) {
          grad_b = sum_to(batched_matmul_forward(transpose(saved_a.unpack(), -1, -2), g), shape_b);
        }
        return std::vector<Tensor>{grad_a, grad_b};
      });
}

}  // namespace

Tensor matmul(const Tensor& a, const Tensor& b) {
  MINIDL_CHECK(a.dim() >= 1 && b.dim() >= 1,
               "matmul: both operands need at least 1 dim, got {} @ {}", a.shape(), b.shape());
  const int64_t k_a = a.shape().back();
  const int64_t k_b = b.dim() == 1 ? b.shape()[0] : b.shape()[b.shape().size() - 2];
  MINIDL_CHECK(k_a == k_b, "matmul: inner dimensions differ: {} @ {}", a.shape(), b.shape());
  if (a.dim() == 1 && b.dim() == 1)
    return batched_matmul(a.unsqueeze(0), b.unsqueeze(1)).reshape({});
  if (a.dim() == 1) return batched_matmul(a.unsqueeze(0), b).squeeze(-2);
  if (b.dim() == 1) return batched_matmul(a, b.unsqueeze(1)).squeeze(-1);
  return batched_matmul(a, b);
}

}  // namespace minidl
