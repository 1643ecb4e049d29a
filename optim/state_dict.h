// An optimizer's state in memory (what save_state writes and load_state reads) and StateFields,
// the visitor through which each optimizer lists its state, and each options struct its options,
// by name. One `visit_state` function per optimizer serves saving, loading (checked field by
// field) and the teaching trace, so the three can never disagree about what the state is.
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

/// One parameter group: how many parameters it spans, its learning rates and its options.
struct GroupState {
  int64_t size = 0;                   // its parameters are the next `size` entries of params
  double lr = 0.0;                    // the learning rate of the next step
  double initial_lr = 0.0;            // the rate the group was built with (what schedules scale)
  std::vector<StateField> options{};  // every option but lr, by name
};

/// Everything needed to resume an optimizer exactly: kind, step count, groups and all state.
struct StateDict {
  std::string kind{};                // the optimizer's name, e.g. "Adam"
  int64_t step_count = 0;            // number of steps so far
  bool has_options = true;           // false for version-1 files, which stored one lr and no
                                     // options or initial lr: loading restores only the lr
  std::vector<GroupState> groups{};  // the parameter groups, in order
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
  /// One of `count` choices numbered from 0 (an enum or a bool option), stored as a counter.
  virtual void choice(std::string_view name, int64_t& value, int64_t count) = 0;
  /// A double, e.g. NAdam's running product of momentum coefficients.
  virtual void scalar(std::string_view name, double& value) = 0;
  /// A float buffer that must hold exactly `size` values.
  virtual void buffer(std::string_view name, std::vector<float>& values, int64_t size) = 0;

  /// A bool option, stored as choice 0 (false) or 1 (true).
  void flag(std::string_view name, bool& value) {
    int64_t number = value ? 1 : 0;
    choice(name, number, 2);
    value = number == 1;
  }
  /// An enum option whose cases are numbered from 0 to `last`, stored as a choice.
  template <class Enum>
  void enum_choice(std::string_view name, Enum& value, Enum last) {
    auto number = static_cast<int64_t>(value);
    choice(name, number, static_cast<int64_t>(last) + 1);
    value = static_cast<Enum>(number);
  }
};

/// Appends copies of the visited fields to a list (used to build a StateDict).
class FieldCollector final : public StateFields {
 public:
  /// Collects into `out`.
  explicit FieldCollector(std::vector<StateField>& out) : out_(out) {}
  void counter(std::string_view name, int64_t& value) override;
  void choice(std::string_view name, int64_t& value, int64_t count) override;
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
  void choice(std::string_view name, int64_t& value, int64_t count) override;
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
  void choice(std::string_view name, int64_t& value, int64_t count) override;
  void scalar(std::string_view name, double& value) override;
  void buffer(std::string_view name, std::vector<float>& values, int64_t size) override;

 private:
  int64_t element_;
  int64_t numel_;
  std::vector<NamedValue>& out_;
};

}  // namespace minidl::optim
