// Autograd against a hand-written backward: for Linear, Conv2d, MaxPool2d and softmax
// cross-entropy, the gradients autograd finds must equal those of the textbook chain rule,
// written here as explicit loops over flat arrays (no autograd, no minidl kernels).
// Each test backpropagates L = sum(output * G) for a fixed random G, so dL/doutput = G.
#include <doctest/doctest.h>

#include <cmath>

#include "minidl.h"
#include "nn_test_helpers.h"

using namespace minidl;
using minidl::testing::check_close;

namespace {

// A fixed upstream gradient G of `shape`.
Tensor upstream(const Shape& shape, uint64_t seed) {
  Generator generator(seed);
  return uniform(shape, -1.0F, 1.0F, generator);
}

}  // namespace

TEST_CASE("Linear: autograd matches the hand-written backward dx = G W, dW = Gᵀ x, db = Σ G") {
  constexpr int64_t kN = 3, kIn = 4, kOut = 2;
  nn::Linear layer({.in = kIn, .out = kOut});
  Tensor x = upstream({kN, kIn}, 1).requires_grad_();
  Tensor grad_out = upstream({kN, kOut}, 2);
  sum(layer(x) * grad_out).backward();

  const std::vector<float> xs = x.to_vector(), w = layer.weight().to_vector(),
                           g = grad_out.to_vector();
  std::vector<float> dx(kN * kIn, 0.0F), dw(kOut * kIn, 0.0F), db(kOut, 0.0F);
  for (int64_t n = 0; n < kN; ++n) {
    for (int64_t o = 0; o < kOut; ++o) {
      const float go = g[static_cast<size_t>(n * kOut + o)];  // dL/dy[n, o]
      db[static_cast<size_t>(o)] += go;
      for (int64_t i = 0; i < kIn; ++i) {
        dx[static_cast<size_t>(n * kIn + i)] += go * w[static_cast<size_t>(o * kIn + i)];
        dw[static_cast<size_t>(o * kIn + i)] += go * xs[static_cast<size_t>(n * kIn + i)];
      }
    }
  }
  check_close(x.grad(), dx);
  check_close(layer.weight().grad(), dw);
  check_close(layer.bias().grad(), db);
}

TEST_CASE("Conv2d: autograd matches the hand-written backward of a strided, padded convolution") {
  constexpr int64_t kN = 2, kC = 2, kH = 5, kW = 5, kO = 3, kK = 3, kStride = 2, kPad = 1;
  constexpr int64_t kOH = (kH + 2 * kPad - kK) / kStride + 1,
                    kOW = (kW + 2 * kPad - kK) / kStride + 1;
  nn::Conv2d layer({.in = kC, .out = kO, .kernel = kK, .stride = kStride, .padding = kPad});
  Tensor x = upstream({kN, kC, kH, kW}, 4).requires_grad_();
  Tensor grad_out = upstream({kN, kO, kOH, kOW}, 6);
  sum(layer(x) * grad_out).backward();

  const std::vector<float> xs = x.to_vector(), w = layer.weight().to_vector(),
                           g = grad_out.to_vector();
  std::vector<float> dx(xs.size(), 0.0F), dw(w.size(), 0.0F), db(kO, 0.0F);
  auto at_x = [&](int64_t n, int64_t c, int64_t h, int64_t v) {
    return static_cast<size_t>(((n * kC + c) * kH + h) * kW + v);
  };
  auto at_w = [&](int64_t o, int64_t c, int64_t kh, int64_t kw) {
    return static_cast<size_t>(((o * kC + c) * kK + kh) * kK + kw);
  };
  // y[n, o, oh, ow] = b[o] + Σ_{c, kh, kw} w[o, c, kh, kw] x[n, c, oh·s − p + kh, ow·s − p + kw]
  for (int64_t n = 0; n < kN; ++n) {
    for (int64_t o = 0; o < kO; ++o) {
      for (int64_t oh = 0; oh < kOH; ++oh) {
        for (int64_t ow = 0; ow < kOW; ++ow) {
          const float go = g[static_cast<size_t>(((n * kO + o) * kOH + oh) * kOW + ow)];
          db[static_cast<size_t>(o)] += go;
          for (int64_t c = 0; c < kC; ++c) {
            for (int64_t kh = 0; kh < kK; ++kh) {
              for (int64_t kw = 0; kw < kK; ++kw) {
                const int64_t ih = oh * kStride - kPad + kh, iw = ow * kStride - kPad + kw;
                if (ih < 0 || ih >= kH || iw < 0 || iw >= kW) continue;  // zero padding
                dx[at_x(n, c, ih, iw)] += go * w[at_w(o, c, kh, kw)];
                dw[at_w(o, c, kh, kw)] += go * xs[at_x(n, c, ih, iw)];
              }
            }
          }
        }
      }
    }
  }
  check_close(x.grad(), dx, 1e-4F);
  check_close(layer.weight().grad(), dw, 1e-4F);
  check_close(layer.bias().grad(), db, 1e-4F);
}

TEST_CASE("MaxPool2d: autograd routes each window's gradient to its maximum, as by hand") {
  constexpr int64_t kN = 1, kC = 2, kH = 4, kW = 6, kK = 2;
  constexpr int64_t kOH = kH / kK, kOW = kW / kK;
  nn::MaxPool2d pool({.kernel = kK});
  Tensor x = minidl::testing::distinct({kN, kC, kH, kW}, 7);  // no ties
  Tensor grad_out = upstream({kN, kC, kOH, kOW}, 8);
  sum(pool(x) * grad_out).backward();

  const std::vector<float> xs = x.to_vector(), g = grad_out.to_vector();
  std::vector<float> dx(xs.size(), 0.0F);
  for (int64_t plane = 0; plane < kN * kC; ++plane) {
    for (int64_t oh = 0; oh < kOH; ++oh) {
      for (int64_t ow = 0; ow < kOW; ++ow) {
        size_t best = 0;
        for (int64_t kh = 0; kh < kK; ++kh) {
          for (int64_t kw = 0; kw < kK; ++kw) {
            const auto at = static_cast<size_t>((plane * kH + oh * kK + kh) * kW + ow * kK + kw);
            if ((kh == 0 && kw == 0) || xs[at] > xs[best]) best = at;
          }
        }
        dx[best] += g[static_cast<size_t>((plane * kOH + oh) * kOW + ow)];  // only the max moves
      }
    }
  }
  check_close(x.grad(), dx);
}

TEST_CASE("softmax cross-entropy: autograd matches the hand-written (softmax − one_hot) / N") {
  constexpr int64_t kN = 3, kC = 4;
  Tensor logits = upstream({kN, kC}, 9).requires_grad_();
  Tensor targets = from_vector({2, 0, 3});
  nn::cross_entropy(logits, targets).backward();  // mean over the batch

  const std::vector<float> z = logits.to_vector(), t = targets.to_vector();
  std::vector<float> dz(z.size(), 0.0F);
  for (int64_t n = 0; n < kN; ++n) {
    const float* row = &z[static_cast<size_t>(n * kC)];
    float max = row[0];
    for (int64_t c = 1; c < kC; ++c) max = std::max(max, row[c]);
    double total = 0.0;
    for (int64_t c = 0; c < kC; ++c) total += std::exp(row[c] - max);
    for (int64_t c = 0; c < kC; ++c) {
      const double p = std::exp(row[c] - max) / total;  // softmax
      const double one_hot = static_cast<int64_t>(t[static_cast<size_t>(n)]) == c ? 1.0 : 0.0;
      dz[static_cast<size_t>(n * kC + c)] = static_cast<float>((p - one_hot) / kN);
    }
  }
  check_close(logits.grad(), dz);
}
