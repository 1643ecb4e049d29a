// Bucketed gradient averaging (see allreduce.h).
#include "dist/allreduce.h"

#include <mpi.h>

#include <algorithm>
#include <vector>

#include "core/error.h"
#include "core/factories.h"
#include "dist/mpi_error.h"

namespace minidl::dist {

namespace {

// 1 for each parameter that has a gradient on at least one rank (one small MPI_Allreduce).
std::vector<int> gradient_anywhere(const std::vector<Tensor>& params, MPI_Comm comm) {
  std::vector<int> present(params.size());
  for (size_t i = 0; i < params.size(); ++i) present[i] = params[i].grad().defined() ? 1 : 0;
  check_mpi(MPI_Allreduce(MPI_IN_PLACE, present.data(), static_cast<int>(present.size()), MPI_INT,
                          MPI_MAX, comm),
            "allreduce_gradients");
  return present;
}

// A position in the stream of all gradients: a tensor and an element offset inside it.
struct Cursor {
  size_t tensor = 0;
  int64_t offset = 0;
};

// Calls visit(pointer into a gradient, offset in the bucket, length) for each contiguous piece of
// the next `count` floats of the stream from `cursor`, and moves the cursor past them.
template <class Visit>
void for_each_piece(const std::vector<Tensor>& grads, Cursor& cursor, int64_t count,
                    Visit&& visit) {
  for (int64_t done = 0; done < count;) {
    const Tensor& grad = grads[cursor.tensor];
    const int64_t length = std::min(grad.numel() - cursor.offset, count - done);
    visit(grad.data() + cursor.offset, done, length);
    done += length;
    cursor.offset += length;
    if (cursor.offset == grad.numel()) {
      ++cursor.tensor;
      cursor.offset = 0;
    }
  }
}

}  // namespace

void allreduce_gradients(const nn::Module& module, AllreduceOptions options, const Group& group) {
  MINIDL_CHECK(options.bucket_bytes >= static_cast<int64_t>(sizeof(float)),
               "dist::allreduce_gradients: bucket_bytes must be at least {}, got {}", sizeof(float),
               options.bucket_bytes);
  const std::vector<Tensor> params = module.parameters();
  const MPI_Comm comm = MPI_Comm_f2c(group.handle());
  const std::vector<int> present = gradient_anywhere(params, comm);
  // The gradients to average, each contiguous (a missing one becomes zeros).
  std::vector<Tensor> grads;
  int64_t total = 0;
  for (size_t i = 0; i < params.size(); ++i) {
    if (present[i] == 0) continue;
    Tensor grad = params[i].grad();
    if (!grad.defined() || !grad.is_contiguous()) {
      params[i].set_grad(grad.defined() ? grad.contiguous() : zeros(params[i].shape()));
    }
    grads.push_back(params[i].grad());
    total += grads.back().numel();
  }
  const int64_t bucket_size =
      std::min<int64_t>(options.bucket_bytes / static_cast<int64_t>(sizeof(float)), INT32_MAX);
  std::vector<float> bucket(static_cast<size_t>(std::min(bucket_size, total)));
  const float scale = 1.0F / static_cast<float>(group.size());
  Cursor cursor;  // the stream position of the current bucket's first float
  for (int64_t start = 0; start < total; start += bucket_size) {
    const int64_t count = std::min(bucket_size, total - start);
    Cursor pack = cursor;
    for_each_piece(grads, pack, count, [&](float* grad, int64_t at, int64_t length) {
      std::copy_n(grad, length, bucket.data() + at);
    });
    check_mpi(MPI_Allreduce(MPI_IN_PLACE, bucket.data(), static_cast<int>(count), MPI_FLOAT,
                            MPI_SUM, comm),
              "allreduce_gradients");
    for_each_piece(grads, cursor, count, [&](float* grad, int64_t at, int64_t length) {
      for (int64_t k = 0; k < length; ++k) grad[k] = bucket[static_cast<size_t>(at + k)] * scale;
    });
  }
}

void allreduce_sum(std::span<double> values, const Group& group) {
  MINIDL_CHECK(values.size() <= static_cast<size_t>(INT32_MAX),
               "dist::allreduce_sum: {} values is too many for one MPI message", values.size());
  check_mpi(MPI_Allreduce(MPI_IN_PLACE, values.data(), static_cast<int>(values.size()), MPI_DOUBLE,
                          MPI_SUM, MPI_Comm_f2c(group.handle())),
            "allreduce_sum");
}

}  // namespace minidl::dist
