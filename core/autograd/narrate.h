// Backprop narration: while a NarrateGuard is alive on a thread, every backward() on that thread
// prints each chain-rule step in the order it runs — the op, the gradient arriving from its
// output, the gradient it sends to each input and where that goes, the dims summed away where
// the input was broadcast, and when a node or leaf receives a contribution from another consumer.
// Gradients of at most 6 elements are shown with their values. Named tensors (leaves, the output,
// and intermediate results such as `h` below) are called by their names.
//
//   autograd::NarrateGuard narrate(std::cout, {{w, "W"}, {b, "b"}, {h, "h"}, {loss, "loss"}});
//   loss.backward();
//
// The engine checks for a narrator once per backward(); with no guard alive it costs nothing.
#pragma once

#include <iosfwd>
#include <unordered_map>
#include <vector>

#include "core/autograd/names.h"
#include "core/tensor.h"

namespace minidl::autograd {

struct Node;

/// Narrates every backward() on this thread to `out` while alive (guards nest).
class NarrateGuard {
 public:
  /// Starts narrating to `out`, calling the tensors in `names` by their names.
  explicit NarrateGuard(std::ostream& out, TensorNames names = {});
  /// Restores the narrator that was active before (usually none).
  ~NarrateGuard();
  NarrateGuard(const NarrateGuard&) = delete;
  NarrateGuard& operator=(const NarrateGuard&) = delete;

 private:
  std::ostream* out_;
  TensorNames names_;
  NarrateGuard* previous_;
  std::unordered_map<const void*, int> step_of_;   // node -> its step number in this backward
  std::unordered_map<const void*, int> expected_;  // node or leaf -> consumers in the graph
  std::unordered_map<const void*, int> received_;  // node or leaf -> contributions so far

  friend NarrateGuard* active_narrator();
  friend void narrate_begin(NarrateGuard&, const Tensor&, const Tensor&, const std::vector<Node*>&);
  friend void narrate_step(NarrateGuard&, const Node&, const Tensor&, const std::vector<Tensor>&);
};

/// The innermost live NarrateGuard of this thread, or nullptr (used by the engine).
NarrateGuard* active_narrator();
/// Engine hook: prints the header (the output and the seed gradient) and the order of the walk.
void narrate_begin(NarrateGuard& narrator, const Tensor& root, const Tensor& seed,
                   const std::vector<Node*>& order);
/// Engine hook: prints one step, after `node`'s closure turned `grad_output` into `grads`.
void narrate_step(NarrateGuard& narrator, const Node& node, const Tensor& grad_output,
                  const std::vector<Tensor>& grads);

/// The dims of `output` that backward sums away to reach `input` when `input` was broadcast to
/// `output` (NumPy rules); empty when the shapes are not a broadcast pair.
std::vector<int64_t> broadcast_dims(const Shape& input, const Shape& output);

}  // namespace minidl::autograd
