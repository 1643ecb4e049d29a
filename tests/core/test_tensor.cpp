// Tensor handle: factories, geometry, views sharing storage, element access, printing, flags.
#include <doctest/doctest.h>

#include <sstream>
#include <thread>

#include "core/serialize.h"
#include "minidl.h"

using namespace minidl;

TEST_CASE("factories fill shapes with the requested values") {
  CHECK(zeros({2, 3}).to_vector() == std::vector<float>(6, 0.0F));
  CHECK(ones({4}).to_vector() == std::vector<float>(4, 1.0F));
  CHECK(full({2, 2}, 7.5F).to_vector() == std::vector<float>(4, 7.5F));
  CHECK(arange(4).to_vector() == std::vector<float>{0, 1, 2, 3});
  CHECK(arange(1, 2, 0.25F).to_vector() == std::vector<float>{1, 1.25F, 1.5F, 1.75F});
  Tensor m = from_vector({1, 2, 3, 4, 5, 6}, {2, 3});
  CHECK(m.shape() == Shape{2, 3});
  CHECK(m.strides() == Strides{3, 1});
  CHECK(m.at({1, 2}) == 6.0F);
  CHECK(scalar_tensor(3.0F).dim() == 0);
  CHECK(scalar_tensor(3.0F).item() == 3.0F);
}

TEST_CASE("random factories are reproducible from the generator seed") {
  Generator a(42);
  Generator b(42);
  Generator c(43);
  CHECK(randn({100}, a).to_vector() == randn({100}, b).to_vector());
  CHECK(rand({10}, a).to_vector() != rand({10}, c).to_vector());
  Generator g(7);
  std::vector<float> u = uniform({10000}, -2.0F, 3.0F, g).to_vector();
  for (float v : u) {
    CHECK(v >= -2.0F);
    CHECK(v < 3.0F);
  }
}

TEST_CASE("randn has mean 0 and std 1 and uniform has the right mean") {
  Generator g(1);
  Tensor x = randn({20000}, g);
  CHECK(mean(x).item() == doctest::Approx(0.0).epsilon(0.02).scale(1.0));
  CHECK(std::sqrt(var(x).item()) == doctest::Approx(1.0).epsilon(0.02));
  Tensor u = uniform({20000}, 2.0F, 4.0F, g);
  CHECK(mean(u).item() == doctest::Approx(3.0).epsilon(0.01));
}

TEST_CASE("generator state round-trips exactly") {
  Generator g(5);
  g.next();
  std::string saved = g.state();
  float first = g.normal();
  Generator restored;
  restored.set_state(saved);
  CHECK(restored.normal() == first);
  CHECK_THROWS_AS(restored.set_state("not a state"), Error);
}

TEST_CASE("views share storage with their base") {
  Tensor base = arange(6).reshape({2, 3});
  Tensor t = base.transpose(0, 1);
  CHECK(t.shape() == Shape{3, 2});
  CHECK(t.storage() == base.storage());
  CHECK_FALSE(t.is_contiguous());
  base.at({0, 1}) = 10.0F;
  CHECK(t.at({1, 0}) == 10.0F);
  Tensor s = base.slice(1, 1, 3);
  CHECK(s.shape() == Shape{2, 2});
  CHECK(s.offset() == 1);
  CHECK(s.to_vector() == std::vector<float>{10, 2, 4, 5});
  CHECK(base.expand({4, 2, 3}).strides() == Strides{0, 3, 1});
}

TEST_CASE("contiguous compacts a view and clone copies storage") {
  Tensor t = arange(6).reshape({2, 3}).transpose(0, 1);
  Tensor c = t.contiguous();
  CHECK(c.is_contiguous());
  CHECK(c.storage() != t.storage());
  CHECK(c.to_vector() == std::vector<float>{0, 3, 1, 4, 2, 5});
  Tensor already = arange(3);
  CHECK(already.contiguous().storage() == already.storage());
  Tensor copy = already.clone();
  copy.at({0}) = 9.0F;
  CHECK(already.at({0}) == 0.0F);
}

TEST_CASE("detach shares storage but leaves the graph") {
  Tensor x = ones({2}).requires_grad_();
  Tensor y = x * 2.0F;
  Tensor d = y.detach();
  CHECK(y.requires_grad());
  CHECK_FALSE(d.requires_grad());
  CHECK(d.grad_fn() == nullptr);
  CHECK(d.storage() == y.storage());
}

TEST_CASE("item and at check their arguments") {
  CHECK_THROWS_AS(ones({2}).item(), Error);
  CHECK_THROWS_AS(ones({2, 2}).at({2, 0}), Error);
  CHECK_THROWS_AS(ones({2, 2}).at({0}), Error);
}

TEST_CASE("printing shows values, shape and grad state") {
  std::ostringstream small;
  small << from_vector({1, 2, 3, 4}, {2, 2}).requires_grad_();
  CHECK(small.str() ==
        "tensor([[1.0000, 2.0000],\n        [3.0000, 4.0000]], shape=[2, 2], requires_grad)");
  std::ostringstream large;
  large << arange(2000);
  CHECK(large.str().find("...") != std::string::npos);
  CHECK(large.str().find("1999.0000") != std::string::npos);
  CHECK(large.str().find("1000.0000") == std::string::npos);
  std::ostringstream recorded;
  recorded << (ones({1}).requires_grad_() * 2.0F);
  CHECK(recorded.str().find("grad_fn=mul_scalar") != std::string::npos);
}

TEST_CASE("in-place updates refuse tensors that require grad while grad mode is on") {
  Tensor w = ones({3}).requires_grad_();
  CHECK_THROWS_AS(w.add_(ones({3})), Error);
  {
    NoGradGuard no_grad;
    w.add_(ones({3}), 2.0F).mul_(0.5F);
  }
  CHECK(w.to_vector() == std::vector<float>{1.5F, 1.5F, 1.5F});
  Tensor view = zeros({2, 3}).transpose(0, 1);
  view.fill_(4.0F);
  CHECK(view.to_vector() == std::vector<float>(6, 4.0F));
  view.copy_(arange(6).reshape({3, 2}));
  CHECK(view.at({2, 1}) == 5.0F);
}

TEST_CASE("requires_grad can only be set on leaves") {
  Tensor x = ones({2}).requires_grad_();
  Tensor y = x + 1.0F;
  CHECK_THROWS_AS(y.requires_grad_(false), Error);
  CHECK(x.is_leaf());
  CHECK_FALSE(y.is_leaf());
}

TEST_CASE("serialize round-trips values and accepts empty float arrays") {
  io::ByteWriter writer;
  writer.u32(7);
  writer.str("name");
  writer.floats(nullptr, 0);
  const float values[2] = {1.5F, -2.0F};
  writer.floats(values, 2);
  io::ByteReader reader(io::verify_checksum(io::with_checksum(writer.buffer()), "mem"), "mem");
  CHECK(reader.u32("a") == 7);
  CHECK(reader.str("b") == "name");
  reader.floats(nullptr, 0, "empty");
  float back[2] = {};
  reader.floats(back, 2, "values");
  CHECK(back[1] == -2.0F);
  CHECK(reader.at_end());
  CHECK_THROWS_WITH_AS(reader.u32("past the end"), doctest::Contains("mem: truncated file"), Error);
  std::string corrupt = io::with_checksum("abc");
  corrupt[1] = 'X';
  CHECK_THROWS_WITH_AS(io::verify_checksum(corrupt, "f.bin"),
                       doctest::Contains("f.bin: checksum mismatch"), Error);
}

TEST_CASE("random factories draw from the default generator, which manual_seed reproduces") {
  manual_seed(123);
  const std::vector<float> first = randn({8}).to_vector();
  const std::vector<float> second = rand({8}).to_vector();
  manual_seed(123);
  CHECK(randn({8}).to_vector() == first);
  CHECK(rand({8}).to_vector() == second);
  CHECK(first != randn({8}).to_vector());
  Generator own(123);  // an explicit Generator is independent of the default one
  CHECK(randn({8}, own).to_vector() == first);
}

TEST_CASE("each thread has its own default generator, started from the latest manual_seed") {
  manual_seed(77);
  const std::vector<float> alone = randn({16}).to_vector();
  manual_seed(77);
  randn({1000});  // draws on this thread do not shift what other threads draw
  std::vector<float> in_thread_a;
  std::vector<float> in_thread_b;
  std::thread a([&] { in_thread_a = randn({16}).to_vector(); });
  std::thread b([&] { in_thread_b = randn({16}).to_vector(); });
  a.join();
  b.join();
  CHECK(in_thread_a == alone);
  CHECK(in_thread_b == alone);
}
