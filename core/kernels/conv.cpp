// 2-D convolution as im2col + sgemm (see conv.h for the shape legend).
//
// Forward, for every group g (one sgemm each, over the whole batch at once):
//   columns     [C*KH*KW, P]  = im2col(input)              rows of group g: [g*K, (g+1)*K)
//   out_columns [OC, P]        = weight_g [OCG, K] @ columns_g [K, P]
//   out         [N, OC, OH, OW] = out_columns reordered from [OC, N, OH*OW], plus bias
// Backward, with grad_out reordered to grad_out_columns [OC, P] and the forward's columns kept:
//   grad_bias   [OC]           += sum over P of grad_out_columns
//   grad_weight_g [OCG, K]     += grad_out_columns_g [OCG, P] @ columns_g^T [P, K]
//   grad_columns_g [K, P]      = weight_g^T [K, OCG] @ grad_out_columns_g [OCG, P]
//   grad_input  [N, C, H, W]  += col2im(grad_columns)
// This file deliberately has no special cases (1x1 kernels, single samples): one path, checked
// against a naive convolution in the tests.
#include "core/kernels/conv.h"

#include <algorithm>

#include "core/kernels/blas.h"

namespace minidl::kernels {

namespace {

// The outputs [begin, end) along one axis whose input position o * stride + first lies in
// [0, in); the others read padding.
struct Span {
  int64_t begin;
  int64_t end;
};

Span valid_outputs(int64_t out, int64_t in, int64_t stride, int64_t first) {
  // o * stride + first >= 0       <=>  o >= ceil(-first / stride)
  // o * stride + first <= in - 1  <=>  o <= (in - 1 - first) / stride
  const int64_t begin = first >= 0 ? 0 : (-first + stride - 1) / stride;
  const int64_t last = in - 1 - first;
  const int64_t end = last < 0 ? 0 : last / stride + 1;
  const int64_t clamped_begin = std::min(begin, out);
  return {clamped_begin, std::max(clamped_begin, std::min(end, out))};
}

// Calls row(column_row, input_row, span, first_x) for every run of OW columns: one per
// (channel c, kernel offset ky, kx, sample n, output row oy). column_row points at OW floats of
// the column buffer; input_row at the W floats of input row iy (null when iy is padding);
// column ox reads input_row[ox * stride_w + first_x] for ox in span.
template <class ColumnFloat, class InputFloat, class Row>
void for_each_column_run(ColumnFloat* columns_base, InputFloat* input_base, const Conv2dShape& s,
                         Row row) {
  const int64_t P = s.batch * s.out_h * s.out_w;
  for (int64_t c = 0; c < s.in_channels; ++c) {
    for (int64_t ky = 0; ky < s.kernel_h; ++ky) {
      for (int64_t kx = 0; kx < s.kernel_w; ++kx) {
        const int64_t r = (c * s.kernel_h + ky) * s.kernel_w + kx;  // row of the column buffer
        const int64_t first_x = kx * s.dilation_w - s.pad_w;
        const Span span = valid_outputs(s.out_w, s.width, s.stride_w, first_x);
        for (int64_t n = 0; n < s.batch; ++n) {
          InputFloat* plane = input_base + (n * s.in_channels + c) * s.height * s.width;  // [H, W]
          for (int64_t oy = 0; oy < s.out_h; ++oy) {
            const int64_t iy = oy * s.stride_h + ky * s.dilation_h - s.pad_h;
            ColumnFloat* column_row = columns_base + r * P + (n * s.out_h + oy) * s.out_w;  // [OW]
            InputFloat* input_row = iy >= 0 && iy < s.height ? plane + iy * s.width : nullptr;
            row(column_row, input_row, span, first_x);
          }
        }
      }
    }
  }
}

}  // namespace

int64_t conv_out_size(int64_t in, int64_t kernel, int64_t stride, int64_t pad, int64_t dilation) {
  return (in + 2 * pad - dilation * (kernel - 1) - 1) / stride + 1;
}

int64_t conv2d_columns_size(const Conv2dShape& s) {
  return s.in_channels * s.kernel_h * s.kernel_w * s.batch * s.out_h * s.out_w;
}

void im2col(float* columns, const float* input, const Conv2dShape& s) {
  const int64_t stride = s.stride_w;
  const int64_t OW = s.out_w;
  for_each_column_run(
      columns, input, s,
      [stride, OW](float* column_row, const float* input_row, Span span, int64_t first_x) {
        if (input_row == nullptr) {
          std::fill(column_row, column_row + OW, 0.0F);
          return;
        }
        std::fill(column_row, column_row + span.begin, 0.0F);
        if (stride == 1) {  // a unit-stride run: a plain (vectorised) copy
          const float* source = input_row + first_x;
          for (int64_t ox = span.begin; ox < span.end; ++ox) column_row[ox] = source[ox];
        } else {
          for (int64_t ox = span.begin; ox < span.end; ++ox) {
            column_row[ox] = input_row[ox * stride + first_x];
          }
        }
        std::fill(column_row + span.end, column_row + OW, 0.0F);
      });
}

void col2im(float* grad_input, const float* columns, const Conv2dShape& s) {
  const int64_t stride = s.stride_w;
  for_each_column_run(
      columns, grad_input, s,
      [stride](const float* column_row, float* input_row, Span span, int64_t first_x) {
        if (input_row == nullptr) return;
        if (stride == 1) {
          float* target = input_row + first_x;
          for (int64_t ox = span.begin; ox < span.end; ++ox) target[ox] += column_row[ox];
          return;
        }
        for (int64_t ox = span.begin; ox < span.end; ++ox) {
          input_row[ox * stride + first_x] += column_row[ox];
        }
      });
}

namespace {

// The GEMM sizes of a convolution: groups G, output channels OC (OCG per group), the patch size
// K of one group, the output plane OH*OW and the number of output positions P.
struct GemmSizes {
  int64_t G, OC, OCG, K, plane, P;
};

GemmSizes gemm_sizes(const Conv2dShape& s) {
  const int64_t plane = s.out_h * s.out_w;
  return {s.groups,
          s.out_channels,
          s.out_channels / s.groups,
          s.in_channels / s.groups * s.kernel_h * s.kernel_w,
          plane,
          s.batch * plane};
}

}  // namespace

void conv2d_forward(float* out, float* columns, float* out_columns, const float* input,
                    const float* weight, const float* bias, const Conv2dShape& s) {
  const auto [G, OC, OCG, K, plane, P] = gemm_sizes(s);

  im2col(columns, input, s);  // columns [G, K, P]
  for (int64_t g = 0; g < G; ++g) {
    // out_columns_g [OCG, P] = weight_g [OCG, K] @ columns_g [K, P]
    sgemm(false, false, OCG, P, K, 1.0F, weight + g * OCG * K, K, columns + g * K * P, P, 0.0F,
          out_columns + g * OCG * P, P);
  }
  // out_columns [OC, N, OH*OW] -> out [N, OC, OH*OW], adding bias [OC]
  for (int64_t n = 0; n < s.batch; ++n) {
    for (int64_t oc = 0; oc < OC; ++oc) {
      const float* source = out_columns + (oc * s.batch + n) * plane;  // [OH*OW]
      float* target = out + (n * OC + oc) * plane;                     // [OH*OW]
      const float shift = bias != nullptr ? bias[oc] : 0.0F;
      for (int64_t i = 0; i < plane; ++i) target[i] = source[i] + shift;
    }
  }
}

void conv2d_backward(float* grad_input, float* grad_weight, float* grad_bias, const float* columns,
                     float* grad_columns, float* grad_out_columns, const float* grad_out,
                     const float* weight, const Conv2dShape& s) {
  const auto [G, OC, OCG, K, plane, P] = gemm_sizes(s);

  // grad_out [N, OC, OH*OW] -> grad_out_columns [OC, N, OH*OW]
  for (int64_t n = 0; n < s.batch; ++n) {
    for (int64_t oc = 0; oc < OC; ++oc) {
      const float* source = grad_out + (n * OC + oc) * plane;
      std::copy(source, source + plane, grad_out_columns + (oc * s.batch + n) * plane);
    }
  }
  if (grad_bias != nullptr) {
    for (int64_t oc = 0; oc < OC; ++oc) {
      const float* row = grad_out_columns + oc * P;  // [P]
      // Eight float lanes (vectorisable) summed over blocks of 1024, each block total added in
      // double: fast, and as accurate as one double accumulator for these lengths.
      double total = 0.0;
      for (int64_t start = 0; start < P; start += 1024) {
        const int64_t end = std::min<int64_t>(P, start + 1024);
        float lanes[8] = {};
        int64_t p = start;
        for (; p + 8 <= end; p += 8) {
          for (int64_t k = 0; k < 8; ++k) lanes[k] += row[p + k];
        }
        for (; p < end; ++p) lanes[0] += row[p];
        for (float lane : lanes) total += lane;
      }
      grad_bias[oc] += static_cast<float>(total);
    }
  }
  if (grad_weight != nullptr) {
    for (int64_t g = 0; g < G; ++g) {
      // grad_weight_g [OCG, K] += grad_out_columns_g [OCG, P] @ columns_g^T [P, K]
      sgemm(false, true, OCG, K, P, 1.0F, grad_out_columns + g * OCG * P, P, columns + g * K * P, P,
            1.0F, grad_weight + g * OCG * K, K);
    }
  }
  if (grad_input != nullptr) {
    for (int64_t g = 0; g < G; ++g) {
      // grad_columns_g [K, P] = weight_g^T [K, OCG] @ grad_out_columns_g [OCG, P]
      sgemm(true, false, K, P, OCG, 1.0F, weight + g * OCG * K, K, grad_out_columns + g * OCG * P,
            P, 0.0F, grad_columns + g * K * P, P);
    }
    col2im(grad_input, grad_columns, s);
  }
}

}  // namespace minidl::kernels
