// 2-D pooling kernels (see pooling.h for the legend). Windows are clipped to the input, so
// padding is never read: max pooling ignores it, average pooling counts it only in the divisor.
// Max pooling keeps the first maximum of a window (and any NaN, which then propagates).
#include "core/kernels/pooling.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/parallel.h"

namespace minidl::kernels {

namespace {

// The in-bounds part [y0, y1) x [x0, x1) of one window, and its size counting padding.
struct Window {
  int64_t y0, y1, x0, x1;
  int64_t padded_count;
};

Window window_at(int64_t oy, int64_t ox, const Pool2dShape& s) {
  const int64_t top = oy * s.stride_h - s.pad_h;
  const int64_t left = ox * s.stride_w - s.pad_w;
  const int64_t bottom = std::min(top + s.kernel_h, s.height + s.pad_h);
  const int64_t right = std::min(left + s.kernel_w, s.width + s.pad_w);
  return {std::max<int64_t>(top, 0), std::min(bottom, s.height), std::max<int64_t>(left, 0),
          std::min(right, s.width), (bottom - top) * (right - left)};
}

float window_divisor(const Window& w, bool count_include_pad) {
  const int64_t count = count_include_pad ? w.padded_count : (w.y1 - w.y0) * (w.x1 - w.x0);
  return static_cast<float>(std::max<int64_t>(count, 1));
}

// Calls visit(plane_in, plane_out, window, o) for every output element o of every (n, c) plane;
// plane_in / plane_out are the offsets of that plane in the input / output buffers.
template <class Visit>
void for_each_window(const Pool2dShape& s, Visit visit) {
  const int64_t in_plane = s.height * s.width;
  const int64_t out_plane = s.out_h * s.out_w;
  for (int64_t plane = 0; plane < s.batch * s.channels; ++plane) {
    for (int64_t oy = 0; oy < s.out_h; ++oy) {
      for (int64_t ox = 0; ox < s.out_w; ++ox) {
        visit(plane * in_plane, plane * out_plane, window_at(oy, ox, s), oy * s.out_w + ox);
      }
    }
  }
}

// True when `value` should replace `best` as a window's maximum: it is larger, or a NaN over a
// number. Bitwise & and | (no short-circuit branches), so loops calling it vectorise.
inline bool takes_over(float value, float best) {
  return (value > best) | ((value != value) & (best == best));
}

// 2x2 max pooling with stride 2 over planes of even height and width (LeNet's pooling), in two
// flat passes over blocks of whole planes, both of which vectorise: pairs along each row first,
// pair[k] = max(input[2k], input[2k+1]), then the two pair rows of each window.
void max_pool2d_forward_2x2(float* out, int32_t* argmax, const float* input, const Pool2dShape& s) {
  const int64_t plane = s.height * s.width;
  const int64_t OW = s.out_w;
  const int64_t planes_per_block = std::max<int64_t>(1, 8192 / plane);  // pairs fit in L1
  parallel_for(0, s.batch * s.channels, planes_per_block, [&](int64_t first, int64_t last) {
    std::vector<float> pair(
        static_cast<size_t>(std::min(last - first, planes_per_block) * plane / 2));
    std::vector<int32_t> pair_at(pair.size());
    for (int64_t block = first; block < last; block += planes_per_block) {
      const int64_t pairs = std::min(last - block, planes_per_block) * plane / 2;
      const float* in = input + block * plane;
      const auto base = static_cast<int32_t>(block * plane);
      for (int64_t k = 0; k < pairs; ++k) {
        const float left = in[2 * k];
        const float right = in[2 * k + 1];
        const bool take = takes_over(right, left);
        pair[static_cast<size_t>(k)] = take ? right : left;
        pair_at[static_cast<size_t>(k)] = base + static_cast<int32_t>(2 * k) + (take ? 1 : 0);
      }
      // Output row r of the block reads pair rows 2r and 2r + 1 (OW pairs each).
      float* o = out + block * plane / 4;
      int32_t* o_at = argmax + block * plane / 4;
      for (int64_t r = 0; r < pairs / (2 * OW); ++r) {
        const float* top = pair.data() + 2 * r * OW;
        const int32_t* top_at = pair_at.data() + 2 * r * OW;
        for (int64_t ox = 0; ox < OW; ++ox) {
          const float upper = top[ox];
          const float lower = top[OW + ox];
          const int32_t upper_at = top_at[ox];
          const int32_t lower_at = top_at[OW + ox];
          const bool take = takes_over(lower, upper);
          o[r * OW + ox] = take ? lower : upper;
          // (a select between two loaded ints would not vectorise; this arithmetic one does)
          o_at[r * OW + ox] = upper_at + static_cast<int32_t>(take) * (lower_at - upper_at);
        }
      }
    }
  });
}

}  // namespace

int64_t pool_out_size(int64_t in, int64_t kernel, int64_t stride, int64_t pad) {
  return (in + 2 * pad - kernel) / stride + 1;
}

void max_pool2d_forward(float* out, int32_t* argmax, const float* input, const Pool2dShape& s) {
  const bool plain_2x2 = s.kernel_h == 2 && s.kernel_w == 2 && s.stride_h == 2 && s.stride_w == 2 &&
                         s.pad_h == 0 && s.pad_w == 0 && s.height % 2 == 0 && s.width % 2 == 0;
  if (plain_2x2) {
    max_pool2d_forward_2x2(out, argmax, input, s);
    return;
  }
  const int64_t W = s.width;
  for_each_window(s, [&](int64_t in_base, int64_t out_base, const Window& w, int64_t o) {
    const float* plane = input + in_base;  // [H, W]
    int64_t best_index = w.y0 * W + w.x0;
    float best = plane[best_index];
    for (int64_t y = w.y0; y < w.y1; ++y) {
      for (int64_t x = w.x0; x < w.x1; ++x) {
        const float value = plane[y * W + x];
        const bool take = takes_over(value, best);
        best = take ? value : best;
        best_index = take ? y * W + x : best_index;
      }
    }
    out[out_base + o] = best;
    argmax[out_base + o] = static_cast<int32_t>(in_base + best_index);
  });
}

void max_pool2d_backward(float* grad_input, const float* grad_out, const int32_t* argmax,
                         const Pool2dShape& s) {
  // Split by planes: a plane's winners all lie in its own input plane, so chunks never write
  // the same element.
  const int64_t out_plane = s.out_h * s.out_w;
  const int64_t grain = std::max<int64_t>(1, (1 << 14) / std::max<int64_t>(1, out_plane));
  parallel_for(0, s.batch * s.channels, grain, [&](int64_t first, int64_t last) {
    for (int64_t o = first * out_plane; o < last * out_plane; ++o) {
      grad_input[argmax[o]] += grad_out[o];
    }
  });
}

void avg_pool2d_forward(float* out, const float* input, const Pool2dShape& s,
                        bool count_include_pad) {
  const int64_t W = s.width;
  for_each_window(s, [&](int64_t in_base, int64_t out_base, const Window& w, int64_t o) {
    const float* plane = input + in_base;  // [H, W]
    float total = 0.0F;
    for (int64_t y = w.y0; y < w.y1; ++y) {
      for (int64_t x = w.x0; x < w.x1; ++x) total += plane[y * W + x];
    }
    out[out_base + o] = total / window_divisor(w, count_include_pad);
  });
}

void avg_pool2d_backward(float* grad_input, const float* grad_out, const Pool2dShape& s,
                         bool count_include_pad) {
  const int64_t W = s.width;
  for_each_window(s, [&](int64_t in_base, int64_t out_base, const Window& w, int64_t o) {
    float* grad_plane = grad_input + in_base;  // [H, W]
    const float share = grad_out[out_base + o] / window_divisor(w, count_include_pad);
    for (int64_t y = w.y0; y < w.y1; ++y) {
      for (int64_t x = w.x0; x < w.x1; ++x) grad_plane[y * W + x] += share;
    }
  });
}

}  // namespace minidl::kernels
