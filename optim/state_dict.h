// An optimizer's state in memory (what save_state writes and load_state reads) and StateFields,
// the visitor through which each optimizer lists its state by name. One `visit_state` function per
// optimizer serves saving, loading (checked field by field) and the teaching trace, so the three
// can never disagree about what the state is.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/shape.h"

namespace minidl::optim {

/// One named value of an optimizer's state: an integer counter, a double, or a float buffer.
struct StateField {
  /// The stored kind of value; the numbers are the tags used in state files.
  enum class Type : uint32_t { Counter = 0, Scalar = 1, Buffer = 2 };
  std::string name{};
  Type type = Type::Counter;
  int64_t counter = 0;
  double scalar = 0.0;
  std::vector<float> buffer{};
};

/// The state of one parameter: its shape (checked on load) and its fields in order.
struct ParamState {
  Shape shape{};
  std::vector<StateField> fields{};
};

/// Everything needed to resume an optimizer exactly: kind, step count, lr and all state.
struct StateDict {
  std::string kind{};                // the optimizer's name, e.g. "Adam"
  int64_t step_count = 0;            // number of step() calls so far
  double lr = 0.0;                   // the current learning rate
  std::vector<StateField> global{};  // optimizer-wide state (L-BFGS history); empty for most
  std::vector<ParamState> params{};  // aligned with the optimizer's parameters
};

/// A name and a value, as reported to a trace.
struct NamedValue {
  std::string name{};
  double value = 0.0;
};

/// The visitor an optimizer lists its state through, always in the same order.
class StateFields {
 public:
  virtual ~StateFields() = default;
  /// An integer count, e.g. the per-parameter step t.
  virtual void counter(std::string_view name, int64_t& value) = 0;
  /// A double, e.g. NAdam's running product of momentum coefficients.
  virtual void scalar(std::string_view name, double& value) = 0;
  /// A float buffer that must hold exactly `size` values.
  virtual void buffer(std::string_view name, std::vector<float>& values, int64_t size) = 0;
};

/// Appends copies of the visited fields to a list (used to build a StateDict).
class FieldCollector final : public StateFields {
 public:
  /// Collects into `out`.
  explicit FieldCollector(std::vector<StateField>& out) : out_(out) {}
  void counter(std::string_view name, int64_t& value) override;
  void scalar(std::string_view name, double& value) override;
  void buffer(std::string_view name, std::vector<float>& values, int64_t size) override;

 private:
  std::vector<StateField>& out_;
};

/// Assigns the visited fields from a list, checking each name, type and size in order; errors
/// start with `where` (e.g. "Adam: 'run.optim' parameter 2"). Call finish() to refuse extras.
class FieldLoader final : public StateFields {
 public:
  /// Reads from `fields`; `where` prefixes every error message.
  FieldLoader(const std::vector<StateField>& fields, std::string where);
  void counter(std::string_view name, int64_t& value) override;
  void scalar(std::string_view name, double& value) override;
  void buffer(std::string_view name, std::vector<float>& values, int64_t size) override;
  /// Throws when the list holds fields the optimizer did not ask for.
  void finish() const;

 private:
  const StateField& next(std::string_view name, StateField::Type type);
  const std::vector<StateField>& fields_;
  std::string where_;
  size_t position_ = 0;
};

/// Reads element `element` of every buffer of `numel` values, and every scalar, into a list of
/// named values (used by the teaching trace; counters are left out).
class FieldProbe final : public StateFields {
 public:
  /// Probes element `element` of buffers holding `numel` values; appends to `out`.
  FieldProbe(int64_t element, int64_t numel, std::vector<NamedValue>& out)
      : element_(element), numel_(numel), out_(out) {}
  void counter(std::string_view name, int64_t& value) override;
  void scalar(std::string_view name, double& value) override;
  void buffer(std::string_view name, std::vector<float>& values, int64_t size) override;

 private:
  int64_t element_;
  int64_t numel_;
  std::vector<NamedValue>& out_;
};

}  // namespace minidl::optim
