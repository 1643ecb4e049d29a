// Parameter and buffer broadcast with a model-shape check first (see broadcast.h).
//
// The check: each rank writes one line per tensor ("parameter fc.weight [10, 84]"), the lines of
// all ranks are gathered everywhere (MPI_Allgatherv), and every rank compares each rank's lines
// with the root's. All ranks see the same data, so they all throw the same error together and
// none is left waiting in the broadcast.
#include "dist/broadcast.h"

#include <mpi.h>

#include <algorithm>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/grad_mode.h"
#include "dist/mpi_error.h"
#include "dist/session.h"

namespace minidl::dist {

namespace {

// One line per parameter and buffer: kind, dotted path, shape.
std::vector<std::string> signature(const nn::Module& module) {
  std::vector<std::string> lines;
  for (const auto& [path, tensor] : module.named_parameters()) {
    lines.push_back(fmt::format("parameter {} {}", path, tensor.shape()));
  }
  for (const auto& [path, tensor] : module.named_buffers()) {
    lines.push_back(fmt::format("buffer {} {}", path, tensor.shape()));
  }
  return lines;
}

// Every rank's signature, gathered on every rank.
std::vector<std::vector<std::string>> gather_signatures(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += line + '\n';
  MINIDL_CHECK(text.size() <= static_cast<size_t>(INT32_MAX),
               "dist::broadcast_parameters: the model's signature is too long ({} bytes)",
               text.size());
  const int world = world_size();
  const int length = static_cast<int>(text.size());
  std::vector<int> lengths(static_cast<size_t>(world));
  check_mpi(MPI_Allgather(&length, 1, MPI_INT, lengths.data(), 1, MPI_INT, MPI_COMM_WORLD),
            "broadcast_parameters");
  std::vector<int> offsets(static_cast<size_t>(world), 0);
  for (size_t r = 1; r < offsets.size(); ++r) offsets[r] = offsets[r - 1] + lengths[r - 1];
  std::string all(static_cast<size_t>(offsets.back() + lengths.back()), '\0');
  check_mpi(MPI_Allgatherv(text.data(), length, MPI_CHAR, all.data(), lengths.data(),
                           offsets.data(), MPI_CHAR, MPI_COMM_WORLD),
            "broadcast_parameters");
  std::vector<std::vector<std::string>> out(static_cast<size_t>(world));
  for (size_t r = 0; r < out.size(); ++r) {
    std::istringstream stream(
        all.substr(static_cast<size_t>(offsets[r]), static_cast<size_t>(lengths[r])));
    for (std::string line; std::getline(stream, line);) out[r].push_back(line);
  }
  return out;
}

// Throws naming the first rank whose signature differs from the root's.
void check_same_model(const std::vector<std::vector<std::string>>& signatures, int root) {
  const auto& expected = signatures[static_cast<size_t>(root)];
  for (size_t r = 0; r < signatures.size(); ++r) {
    const auto& actual = signatures[r];
    for (size_t i = 0; i < std::max(actual.size(), expected.size()); ++i) {
      const std::string mine = i < actual.size() ? actual[i] : "nothing";
      const std::string roots = i < expected.size() ? expected[i] : "nothing";
      MINIDL_CHECK(mine == roots,
                   "dist::broadcast_parameters: models differ across ranks: tensor {} is {} on "
                   "rank {} but {} on rank {} (the root)",
                   i, mine, r, roots, root);
    }
  }
}

void broadcast_tensor(const Tensor& tensor, int root) {
  MINIDL_CHECK(tensor.numel() <= INT32_MAX,
               "dist::broadcast_parameters: a tensor of {} elements is too large for one MPI "
               "message",
               tensor.numel());
  NoGradGuard no_grad;
  Tensor source = tensor.contiguous();
  check_mpi(
      MPI_Bcast(source.data(), static_cast<int>(source.numel()), MPI_FLOAT, root, MPI_COMM_WORLD),
      "broadcast_parameters");
  if (!tensor.is_contiguous()) tensor.copy_(source);
}

}  // namespace

void broadcast_parameters(const nn::Module& module, int root) {
  const int world = world_size();
  MINIDL_CHECK(root >= 0 && root < world, "dist::broadcast_parameters: root {} is outside [0, {})",
               root, world);
  check_same_model(gather_signatures(signature(module)), root);
  for (const Tensor& tensor : module.parameters()) broadcast_tensor(tensor, root);
  for (const Tensor& tensor : module.buffers()) broadcast_tensor(tensor, root);
}

}  // namespace minidl::dist
