// Grad mode: whether ops record the graph. NoGradGuard turns recording off in a scope.
#pragma once

namespace minidl {

/// Thread-local switch read by every op before it records an autograd node.
class GradMode {
 public:
  static bool is_enabled();
  static void set_enabled(bool enabled);
};

/// RAII: disables graph recording on this thread until the guard is destroyed.
class NoGradGuard {
 public:
  NoGradGuard() : previous_(GradMode::is_enabled()) { GradMode::set_enabled(false); }
  ~NoGradGuard() { GradMode::set_enabled(previous_); }
  NoGradGuard(const NoGradGuard&) = delete;
  NoGradGuard& operator=(const NoGradGuard&) = delete;

 private:
  bool previous_;
};

}  // namespace minidl
