// 2-D pooling kernels (see pooling.h for the legend). Windows are clipped to the input, so
// padding is never read: max pooling ignores it, average pooling counts it only in the divisor.
// Adaptive pooling visits PyTorch's floor/ceil windows with the same loops.
// Max pooling keeps the first maximum of a window (and any NaN, which then propagates).
#include "core/kernels/pooling.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "core/parallel.h"

namespace minidl::kernels {

namespace {

// The in-bounds elements of one window: rows y0, y0 + dy, ... before y1 and columns x0, x0 + dx,
// ... before x1 (dy, dx: the dilation), and the window's size counting padding (undilated).
struct Window {
  int64_t y0, y1, x0, x1;
  int64_t dy, dx;
  int64_t padded_count;
};

// The first of start, start + step, ... that is >= 0.
int64_t first_in_bounds(int64_t start, int64_t step) {
  return start >= 0 ? start : start + (-start + step - 1) / step * step;
}

Window window_at(int64_t oy, int64_t ox, const Pool2dShape& s) {
  const int64_t top = oy * s.stride_h - s.pad_h;
  const int64_t left = ox * s.stride_w - s.pad_w;
  const int64_t bottom = top + (s.kernel_h - 1) * s.dilation_h + 1;
  const int64_t right = left + (s.kernel_w - 1) * s.dilation_w + 1;
  const int64_t padded_h = std::min(bottom, s.height + s.pad_h) - top;
  const int64_t padded_w = std::min(right, s.width + s.pad_w) - left;
  return {first_in_bounds(top, s.dilation_h),
          std::min(bottom, s.height),
          first_in_bounds(left, s.dilation_w),
          std::min(right, s.width),
          s.dilation_h,
          s.dilation_w,
          padded_h * padded_w};
}

float window_divisor(const Window& w, bool count_include_pad, int64_t divisor_override) {
  if (divisor_override > 0) return static_cast<float>(divisor_override);
  const int64_t count = count_include_pad ? w.padded_count : (w.y1 - w.y0) * (w.x1 - w.x0);
  return static_cast<float>(std::max<int64_t>(count, 1));
}

// Rows [begin, end) of adaptive window i of `out` over `in` (PyTorch's floor / ceil bounds).
int64_t adaptive_begin(int64_t i, int64_t in, int64_t out) { return i * in / out; }
int64_t adaptive_end(int64_t i, int64_t in, int64_t out) { return ((i + 1) * in + out - 1) / out; }

Window adaptive_window_at(int64_t oy, int64_t ox, const Pool2dShape& s) {
  const int64_t y0 = adaptive_begin(oy, s.height, s.out_h);
  const int64_t y1 = adaptive_end(oy, s.height, s.out_h);
  const int64_t x0 = adaptive_begin(ox, s.width, s.out_w);
  const int64_t x1 = adaptive_end(ox, s.width, s.out_w);
  return {y0, y1, x0, x1, 1, 1, (y1 - y0) * (x1 - x0)};
}

// Calls visit(plane_in, plane_out, window, o) for every output element o of every (n, c) plane;
// plane_in / plane_out are the offsets of that plane in the input / output buffers.
template <class Visit, class WindowAt = Window (*)(int64_t, int64_t, const Pool2dShape&)>
void for_each_window(const Pool2dShape& s, Visit visit, WindowAt at = window_at) {
  const int64_t in_plane = s.height * s.width;
  const int64_t out_plane = s.out_h * s.out_w;
  for (int64_t plane = 0; plane < s.batch * s.channels; ++plane) {
    for (int64_t oy = 0; oy < s.out_h; ++oy) {
      for (int64_t ox = 0; ox < s.out_w; ++ox) {
        visit(plane * in_plane, plane * out_plane, at(oy, ox, s), oy * s.out_w + ox);
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

// The maximum of every window (window_at or adaptive_window_at) and its flat input index; -1
// and -infinity for a window without an in-bounds element.
template <class WindowAt>
void max_over_windows(float* out, int32_t* argmax, const float* input, const Pool2dShape& s,
                      WindowAt at) {
  const int64_t W = s.width;
  for_each_window(
      s,
      [&](int64_t in_base, int64_t out_base, const Window& w, int64_t o) {
        const float* plane = input + in_base;  // [H, W]
        if (w.y0 >= w.y1 || w.x0 >= w.x1) {
          out[out_base + o] = -std::numeric_limits<float>::infinity();
          argmax[out_base + o] = -1;
          return;
        }
        int64_t best_index = w.y0 * W + w.x0;
        float best = plane[best_index];
        for (int64_t y = w.y0; y < w.y1; y += w.dy) {
          for (int64_t x = w.x0; x < w.x1; x += w.dx) {
            const float value = plane[y * W + x];
            const bool take = takes_over(value, best);
            best = take ? value : best;
            best_index = take ? y * W + x : best_index;
          }
        }
        out[out_base + o] = best;
        argmax[out_base + o] = static_cast<int32_t>(in_base + best_index);
      },
      at);
}

// out = the sum of each window (undilated) / divisor(window).
template <class WindowAt, class Divisor>
void mean_over_windows(float* out, const float* input, const Pool2dShape& s, WindowAt at,
                       Divisor divisor) {
  const int64_t W = s.width;
  for_each_window(
      s,
      [&](int64_t in_base, int64_t out_base, const Window& w, int64_t o) {
        const float* plane = input + in_base;  // [H, W]
        float total = 0.0F;
        for (int64_t y = w.y0; y < w.y1; ++y) {
          for (int64_t x = w.x0; x < w.x1; ++x) total += plane[y * W + x];
        }
        out[out_base + o] = total / divisor(w);
      },
      at);
}

// grad_input += each grad_out element / divisor(window), over its window: mean's backward.
template <class WindowAt, class Divisor>
void share_over_windows(float* grad_input, const float* grad_out, const Pool2dShape& s, WindowAt at,
                        Divisor divisor) {
  const int64_t W = s.width;
  for_each_window(
      s,
      [&](int64_t in_base, int64_t out_base, const Window& w, int64_t o) {
        float* grad_plane = grad_input + in_base;  // [H, W]
        const float share = grad_out[out_base + o] / divisor(w);
        for (int64_t y = w.y0; y < w.y1; ++y) {
          for (int64_t x = w.x0; x < w.x1; ++x) grad_plane[y * W + x] += share;
        }
      },
      at);
}

}  // namespace

int64_t pool_out_size(int64_t in, int64_t kernel, int64_t stride, int64_t pad, int64_t dilation,
                      bool ceil_mode) {
  const int64_t room = in + 2 * pad - (dilation * (kernel - 1) + 1);
  int64_t out = (ceil_mode ? (room + stride - 1) / stride : room / stride) + 1;
  if (ceil_mode && (out - 1) * stride >= in + pad) --out;
  return out;
}

void max_pool2d_forward(float* out, int32_t* argmax, const float* input, const Pool2dShape& s) {
  const bool plain_2x2 = s.kernel_h == 2 && s.kernel_w == 2 && s.stride_h == 2 && s.stride_w == 2 &&
                         s.pad_h == 0 && s.pad_w == 0 && s.height % 2 == 0 && s.width % 2 == 0 &&
                         s.dilation_h == 1 && s.dilation_w == 1;
  if (plain_2x2) {
    max_pool2d_forward_2x2(out, argmax, input, s);
    return;
  }
  max_over_windows(out, argmax, input, s, window_at);
}

void max_pool2d_backward(float* grad_input, const float* grad_out, const int32_t* argmax,
                         const Pool2dShape& s) {
  // Split by planes: a plane's winners all lie in its own input plane, so chunks never write
  // the same element.
  const int64_t out_plane = s.out_h * s.out_w;
  const int64_t grain = std::max<int64_t>(1, (1 << 14) / std::max<int64_t>(1, out_plane));
  parallel_for(0, s.batch * s.channels, grain, [&](int64_t first, int64_t last) {
    for (int64_t o = first * out_plane; o < last * out_plane; ++o) {
      if (argmax[o] >= 0) grad_input[argmax[o]] += grad_out[o];
    }
  });
}

void avg_pool2d_forward(float* out, const float* input, const Pool2dShape& s,
                        bool count_include_pad, int64_t divisor_override) {
  mean_over_windows(out, input, s, window_at, [&](const Window& w) {
    return window_divisor(w, count_include_pad, divisor_override);
  });
}

void avg_pool2d_backward(float* grad_input, const float* grad_out, const Pool2dShape& s,
                         bool count_include_pad, int64_t divisor_override) {
  share_over_windows(grad_input, grad_out, s, window_at, [&](const Window& w) {
    return window_divisor(w, count_include_pad, divisor_override);
  });
}

void adaptive_avg_pool2d_forward(float* out, const float* input, const Pool2dShape& s) {
  mean_over_windows(out, input, s, adaptive_window_at,
                    [](const Window& w) { return static_cast<float>(w.padded_count); });
}

void adaptive_avg_pool2d_backward(float* grad_input, const float* grad_out, const Pool2dShape& s) {
  share_over_windows(grad_input, grad_out, s, adaptive_window_at,
                     [](const Window& w) { return static_cast<float>(w.padded_count); });
}

void adaptive_max_pool2d_forward(float* out, int32_t* argmax, const float* input,
                                 const Pool2dShape& s) {
  max_over_windows(out, argmax, input, s, adaptive_window_at);
}

}  // namespace minidl::kernels
