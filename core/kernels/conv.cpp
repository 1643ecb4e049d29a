// 2-D convolution as im2col + sgemm, one sample at a time (see conv.h for the shape legend).
// A sample's columns (K * OH*OW floats, tens of KiB for LeNet) stay in the core's cache between
// im2col and the GEMM, the GEMM writes the sample's [OC, OH*OW] output in place (NCHW), and
// OpenBLAS's small-matrix kernels run these shapes 2-5x faster than one thin GEMM over the whole
// batch. Samples are split across minidl's threads; each chunk has its own columns buffer.
//
// Forward, for every sample n and group g (rows of group g: [g*K, (g+1)*K)):
//   columns   [C*KH*KW, OH*OW] = im2col(input_n)
//   out_n_g   [OCG, OH*OW]     = weight_g [OCG, K] @ columns_g [K, OH*OW], plus bias
// Backward, per sample, reading the columns the forward kept (kept only when a weight gradient
// will be needed; inference keeps nothing):
//   grad_bias   [OC]           += sum over N, OH, OW of grad_out
//   grad_weight_g [OCG, K]     += grad_out_n_g [OCG, OH*OW] @ columns_g^T [OH*OW, K]
//                                 (computed transposed for long patches, see conv2d_backward)
//   grad_columns_g [K, OH*OW]   = weight_g^T [K, OCG] @ grad_out_n_g [OCG, OH*OW]
//   grad_input_n [C, H, W]     += col2im(grad_columns)
// One path for every geometry, checked against a naive convolution in the tests; the only fast
// path is im2col/col2im's for the common stride-1, unpadded, undilated case, where every column
// row is plain runs of input floats.
#include "core/kernels/conv.h"

#include <algorithm>
#include <memory>
#include <vector>

#include "core/kernels/blas.h"
#include "core/parallel.h"

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

// True for the common geometry (stride 1, no padding, no dilation), where every column row is
// OH runs of OW consecutive input floats: im2col and col2im take a tight loop for it.
bool is_dense(const Conv2dShape& s) {
  return s.stride_h == 1 && s.stride_w == 1 && s.pad_h == 0 && s.pad_w == 0 && s.dilation_h == 1 &&
         s.dilation_w == 1;
}

// Calls run(column_row, input_row) for every run of a dense geometry: column_row points at the
// OW floats of column row (c, ky, kx) for output row oy, input_row at the OW input floats it
// copies (row oy + ky of channel c, from column kx).
template <class ColumnFloat, class InputFloat, class Run>
void for_each_dense_run(ColumnFloat* columns, InputFloat* input, const Conv2dShape& s, Run run) {
  const int64_t plane = s.out_h * s.out_w;
  for (int64_t n = 0; n < s.batch; ++n) {
    for (int64_t c = 0; c < s.in_channels; ++c) {
      InputFloat* in = input + (n * s.in_channels + c) * s.height * s.width;  // [H, W]
      for (int64_t ky = 0; ky < s.kernel_h; ++ky) {
        for (int64_t kx = 0; kx < s.kernel_w; ++kx) {
          const int64_t r = (c * s.kernel_h + ky) * s.kernel_w + kx;
          ColumnFloat* column = columns + r * s.batch * plane + n * plane;  // [OH, OW]
          for (int64_t oy = 0; oy < s.out_h; ++oy) {
            run(column + oy * s.out_w, in + (oy + ky) * s.width + kx);
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
  if (is_dense(s)) {
    for_each_dense_run(columns, input, s,
                       [OW](float* __restrict column_row, const float* __restrict input_row) {
                         // Blocks of 8 compile to plain vector moves; a loop of variable length
                         // would first run alias and trip-count checks, which cost more than the
                         // copy itself on rows this short.
                         int64_t ox = 0;
                         for (; ox + 8 <= OW; ox += 8) {
                           for (int64_t j = 0; j < 8; ++j) column_row[ox + j] = input_row[ox + j];
                         }
                         for (; ox < OW; ++ox) column_row[ox] = input_row[ox];
                       });
    return;
  }
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
  if (is_dense(s)) {
    const int64_t OW = s.out_w;
    // (blocks of 8 as in im2col measured no faster here: the adds into overlapping input rows
    // are bound by their loads and stores, not by loop overhead)
    for_each_dense_run(columns, grad_input, s, [OW](const float* column_row, float* input_row) {
      for (int64_t ox = 0; ox < OW; ++ox) input_row[ox] += column_row[ox];
    });
    return;
  }
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

// The GEMM sizes of one sample's convolution: groups G, output channels OC (OCG per group), the
// patch size K of one group and the output plane OH*OW.
struct GemmSizes {
  int64_t G, OC, OCG, K, plane;
};

GemmSizes gemm_sizes(const Conv2dShape& s) {
  return {s.groups, s.out_channels, s.out_channels / s.groups,
          s.in_channels / s.groups * s.kernel_h * s.kernel_w, s.out_h * s.out_w};
}

// The same convolution over a single sample.
Conv2dShape one_sample(const Conv2dShape& s) {
  Conv2dShape sample = s;
  sample.batch = 1;
  return sample;
}

// Samples per parallel chunk: enough work (~1 MFLOP) to amortise waking a thread.
int64_t samples_per_chunk(const Conv2dShape& s) {
  const GemmSizes z = gemm_sizes(s);
  return std::max<int64_t>(1, (1 << 20) / std::max<int64_t>(1, 2 * z.OC * z.K * z.plane));
}

// At most this many blocks of samples per weight gradient: bounds its buffers (one [OC, K] each)
// and the serial sum of them; more threads than this do not split a convolution's backward.
constexpr int64_t kMaxWeightGradBlocks = 16;

// Samples per block of conv2d_backward's weight gradient: at least a chunk's worth of work, and
// few enough blocks. A function of the shape only, so the sum's order is too.
int64_t samples_per_block(const Conv2dShape& s) {
  const int64_t fewest = (s.batch + kMaxWeightGradBlocks - 1) / kMaxWeightGradBlocks;
  return std::max(samples_per_chunk(s), fewest);
}

// Sum of n floats: eight float lanes (vectorisable) over blocks of 1024, each block's total added
// in double, as accurate as one double accumulator for these lengths.
double sum_floats(const float* x, int64_t n) {
  double total = 0.0;
  for (int64_t start = 0; start < n; start += 1024) {
    const int64_t end = std::min<int64_t>(n, start + 1024);
    float lanes[8] = {};
    int64_t i = start;
    for (; i + 8 <= end; i += 8) {
      for (int64_t k = 0; k < 8; ++k) lanes[k] += x[i + k];
    }
    for (; i < end; ++i) lanes[0] += x[i];
    for (float lane : lanes) total += lane;
  }
  return total;
}

}  // namespace

void conv2d_forward(float* out, float* kept_columns, const float* input, const float* weight,
                    const float* bias, const Conv2dShape& s) {
  // (plain variables, not a structured binding: clang 14 cannot capture those in lambdas)
  const GemmSizes sizes = gemm_sizes(s);
  const int64_t G = sizes.G, OC = sizes.OC, OCG = sizes.OCG, K = sizes.K, plane = sizes.plane;
  const Conv2dShape sample = one_sample(s);
  const int64_t in_size = s.in_channels * s.height * s.width;
  parallel_for(0, s.batch, samples_per_chunk(s), [&](int64_t first, int64_t last) {
    std::unique_ptr<float[]> scratch;
    if (kept_columns == nullptr) {
      scratch = std::make_unique_for_overwrite<float[]>(static_cast<size_t>(G * K * plane));
    }
    for (int64_t n = first; n < last; ++n) {
      // [G, K, OH*OW]
      float* columns = kept_columns != nullptr ? kept_columns + n * G * K * plane : scratch.get();
      float* out_n = out + n * OC * plane;  // [OC, OH*OW]
      im2col(columns, input + n * in_size, sample);
      for (int64_t g = 0; g < G; ++g) {
        // out_n_g [OCG, OH*OW] = weight_g [OCG, K] @ columns_g [K, OH*OW]
        sgemm(false, false, OCG, plane, K, 1.0F, weight + g * OCG * K, K, columns + g * K * plane,
              plane, 0.0F, out_n + g * OCG * plane, plane);
      }
      if (bias == nullptr) continue;
      for (int64_t oc = 0; oc < OC; ++oc) {
        float* row = out_n + oc * plane;
        for (int64_t i = 0; i < plane; ++i) row[i] += bias[oc];
      }
    }
  });
}

void conv2d_backward(float* grad_input, float* grad_weight, float* grad_bias,
                     const float* kept_columns, const float* grad_out, const float* weight,
                     const Conv2dShape& s) {
  // (plain variables, not a structured binding: clang 14 cannot capture those in lambdas)
  const GemmSizes sizes = gemm_sizes(s);
  const int64_t G = sizes.G, OC = sizes.OC, OCG = sizes.OCG, K = sizes.K, plane = sizes.plane;
  const Conv2dShape sample = one_sample(s);
  const int64_t in_size = s.in_channels * s.height * s.width;

  if (grad_bias != nullptr) {
    for (int64_t oc = 0; oc < OC; ++oc) {
      double total = 0.0;
      for (int64_t n = 0; n < s.batch; ++n) {
        total += sum_floats(grad_out + (n * OC + oc) * plane, plane);
      }
      grad_bias[oc] += static_cast<float>(total);
    }
  }
  if (grad_weight == nullptr && grad_input == nullptr) return;

  // The samples are cut into fixed blocks (samples_per_block: a function of the shape, not of
  // the thread count); each block adds its weight gradient into a private buffer, and the buffers
  // are added into grad_weight in block order afterwards. So the result has the same bits at any
  // thread count, whichever thread finished first, and when another thread's job keeps this loop
  // on one thread. With a long patch (K >= 64, LeNet's second layer) the buffer holds the
  // transposed gradient [G, K, OCG]: its GEMM reads both operands untransposed (columns_g and
  // grad_out_n transposed to [OH*OW, OC]), a form OpenBLAS's small-matrix kernels take, ~2x
  // faster than grad_out_n @ columns_g^T there. With a short patch (LeNet's first layer) the
  // transposition of grad_out_n would cost more than the GEMM saves, so the buffer is [G, OCG, K].
  const bool transposed = K >= 64;
  const int64_t per_block = samples_per_block(s);
  const int64_t blocks = (s.batch + per_block - 1) / per_block;
  std::vector<std::unique_ptr<float[]>> partials(static_cast<size_t>(blocks));  // one per block
  parallel_for(0, blocks, 1, [&](int64_t first_block, int64_t last_block) {
    std::unique_ptr<float[]> grad_columns;  // [G, K, OH*OW]
    if (grad_input != nullptr) {
      grad_columns = std::make_unique_for_overwrite<float[]>(static_cast<size_t>(G * K * plane));
    }
    std::unique_ptr<float[]> grad_out_t;  // [OH*OW, OC]
    if (grad_weight != nullptr && transposed) {
      grad_out_t = std::make_unique_for_overwrite<float[]>(static_cast<size_t>(plane * OC));
    }
    for (int64_t block = first_block; block < last_block; ++block) {
      std::unique_ptr<float[]> partial;  // [G, K, OCG] or [G, OCG, K], zeroed
      if (grad_weight != nullptr) partial = std::make_unique<float[]>(static_cast<size_t>(OC * K));
      const int64_t last = std::min(s.batch, (block + 1) * per_block);
      for (int64_t n = block * per_block; n < last; ++n) {
        const float* grad_out_n = grad_out + n * OC * plane;  // [OC, OH*OW]
        if (grad_weight != nullptr) {
          const float* columns = kept_columns + n * G * K * plane;  // [G, K, OH*OW]
          if (transposed) {
            for (int64_t oc = 0; oc < OC; ++oc) {
              for (int64_t p = 0; p < plane; ++p) {
                grad_out_t[static_cast<size_t>(p * OC + oc)] = grad_out_n[oc * plane + p];
              }
            }
          }
          for (int64_t g = 0; g < G; ++g) {
            if (transposed) {
              // partial_g [K, OCG] += columns_g [K, OH*OW] @ grad_out_n_g^T [OH*OW, OCG]
              sgemm(false, false, K, OCG, plane, 1.0F, columns + g * K * plane, plane,
                    grad_out_t.get() + g * OCG, OC, 1.0F, partial.get() + g * K * OCG, OCG);
            } else {
              // partial_g [OCG, K] += grad_out_n_g [OCG, OH*OW] @ columns_g^T [OH*OW, K]
              sgemm(false, true, OCG, K, plane, 1.0F, grad_out_n + g * OCG * plane, plane,
                    columns + g * K * plane, plane, 1.0F, partial.get() + g * OCG * K, K);
            }
          }
        }
        if (grad_input != nullptr) {
          for (int64_t g = 0; g < G; ++g) {
            // grad_columns_g [K, OH*OW] = weight_g^T [K, OCG] @ grad_out_n_g [OCG, OH*OW]
            sgemm(true, false, K, plane, OCG, 1.0F, weight + g * OCG * K, K,
                  grad_out_n + g * OCG * plane, plane, 0.0F, grad_columns.get() + g * K * plane,
                  plane);
          }
          col2im(grad_input + n * in_size, grad_columns.get(), sample);
        }
      }
      partials[static_cast<size_t>(block)] = std::move(partial);
    }
  });
  if (grad_weight == nullptr) return;
  for (const std::unique_ptr<float[]>& partial : partials) {
    for (int64_t g = 0; g < G; ++g) {
      for (int64_t o = 0; o < OCG; ++o) {
        for (int64_t k = 0; k < K; ++k) {
          const int64_t at = transposed ? (g * K + k) * OCG + o : (g * OCG + o) * K + k;
          grad_weight[(g * OCG + o) * K + k] += partial[static_cast<size_t>(at)];
        }
      }
    }
  }
}

}  // namespace minidl::kernels
