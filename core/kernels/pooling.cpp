// 2-D pooling kernels (see pooling.h for the legend). Windows are clipped to the input, so
// padding is never read: max pooling ignores it, average pooling counts it only in the divisor.
// Max pooling keeps the first maximum of a window (and any NaN, which then propagates).
#include "core/kernels/pooling.h"

#include <algorithm>
#include <cmath>

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

}  // namespace

int64_t pool_out_size(int64_t in, int64_t kernel, int64_t stride, int64_t pad) {
  return (in + 2 * pad - kernel) / stride + 1;
}

// Max pooling without padding: every window lies inside the plane, so the loops need no
// clipping and the compiler keeps everything in registers.
static void max_pool2d_forward_unpadded(float* out, int64_t* argmax, const float* input,
                                        const Pool2dShape& s) {
  const int64_t W = s.width;
  for (int64_t plane = 0; plane < s.batch * s.channels; ++plane) {
    const float* in = input + plane * s.height * W;  // [H, W]
    float* o = out + plane * s.out_h * s.out_w;      // [OH, OW]
    int64_t* arg = argmax + plane * s.out_h * s.out_w;
    for (int64_t oy = 0; oy < s.out_h; ++oy) {
      for (int64_t ox = 0; ox < s.out_w; ++ox) {
        const int64_t first = oy * s.stride_h * W + ox * s.stride_w;
        float best = in[first];
        int64_t best_index = first;
        for (int64_t ky = 0; ky < s.kernel_h; ++ky) {
          for (int64_t kx = 0; kx < s.kernel_w; ++kx) {
            const int64_t index = first + ky * W + kx;
            const float value = in[index];
            const bool take = value > best || (value != value && best == best);
            best = take ? value : best;
            best_index = take ? index : best_index;
          }
        }
        o[oy * s.out_w + ox] = best;
        arg[oy * s.out_w + ox] = best_index;
      }
    }
  }
}

void max_pool2d_forward(float* out, int64_t* argmax, const float* input, const Pool2dShape& s) {
  if (s.pad_h == 0 && s.pad_w == 0) {
    max_pool2d_forward_unpadded(out, argmax, input, s);
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
        // Take a larger value, or a NaN over a number; written as selects, not branches,
        // because on real activations the comparison is a coin flip.
        const bool take = value > best || (value != value && best == best);
        best = take ? value : best;
        best_index = take ? y * W + x : best_index;
      }
    }
    out[out_base + o] = best;
    argmax[out_base + o] = best_index;
  });
}

void max_pool2d_backward(float* grad_input, const float* grad_out, const int64_t* argmax,
                         const Pool2dShape& s) {
  const int64_t in_plane = s.height * s.width;
  const int64_t out_plane = s.out_h * s.out_w;
  for (int64_t plane = 0; plane < s.batch * s.channels; ++plane) {
    float* grad_plane = grad_input + plane * in_plane;  // [H, W]
    for (int64_t o = plane * out_plane; o < (plane + 1) * out_plane; ++o) {
      grad_plane[argmax[o]] += grad_out[o];
    }
  }
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
