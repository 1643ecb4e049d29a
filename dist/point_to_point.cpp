// Tensor send/recv: a header message (rank, then the dims) followed by the float data, both with
// the caller's tag; MPI keeps messages between one pair of ranks with one tag in order.
#include "dist/point_to_point.h"

#include <mpi.h>

#include <cstdint>
#include <vector>

#include "core/error.h"
#include "dist/mpi_error.h"

namespace minidl::dist {

namespace {

constexpr int kMaxDims = 8;

}  // namespace

void send(const Tensor& tensor, int destination, int tag) {
  MINIDL_CHECK(tensor.defined(), "dist::send: the tensor is undefined");
  MINIDL_CHECK(tensor.dim() <= kMaxDims, "dist::send: {} dims is more than the {} supported",
               tensor.dim(), kMaxDims);
  MINIDL_CHECK(tensor.numel() <= INT32_MAX,
               "dist::send: {} elements is too many for one MPI message", tensor.numel());
  std::vector<int64_t> header{tensor.dim()};
  header.insert(header.end(), tensor.shape().begin(), tensor.shape().end());
  check_mpi(MPI_Send(header.data(), static_cast<int>(header.size()), MPI_INT64_T, destination, tag,
                     MPI_COMM_WORLD),
            "send");
  const Tensor values = tensor.contiguous();
  check_mpi(MPI_Send(values.data(), static_cast<int>(values.numel()), MPI_FLOAT, destination, tag,
                     MPI_COMM_WORLD),
            "send");
}

Tensor recv(int source, int tag) {
  std::vector<int64_t> header(kMaxDims + 1);
  check_mpi(MPI_Recv(header.data(), kMaxDims + 1, MPI_INT64_T, source, tag, MPI_COMM_WORLD,
                     MPI_STATUS_IGNORE),
            "recv");
  const Shape shape(header.begin() + 1, header.begin() + 1 + header[0]);
  Tensor tensor = Tensor::empty(shape);
  check_mpi(MPI_Recv(tensor.data(), static_cast<int>(tensor.numel()), MPI_FLOAT, source, tag,
                     MPI_COMM_WORLD, MPI_STATUS_IGNORE),
            "recv");
  return tensor;
}

}  // namespace minidl::dist
