// Optimizer steps over many parameters in one call.
//
// Adam's update is eight elementwise passes per parameter when written with ATen ops (what torch.optim.Adam's
// single-tensor path runs): each pass reads and writes whole tensors, and on a data-parallel worker the step is the part
// that does not shrink with more workers. The fused loop below reads each element of param, grad, exp_avg and exp_avg_sq
// once and writes three of them once, with the same arithmetic in the same order as the ATen sequence
// (mul_ + add_, mul_ + addcmul_, sqrt / bias correction + eps, addcdiv_), in the tensor's own precision.
// It covers contiguous float32/float64 CPU tensors; the caller (Adam.UpdateGroup) steps any other parameter op by op.
#include "common.h"

#include <ATen/Parallel.h>
#include <torch/csrc/autograd/variable.h>

#include <cmath>
#include <type_traits>

namespace {

struct AdamHyper {
  double lr, beta1, beta2, eps, weight_decay;
  bool decoupled;
};

bool fusable(const at::Tensor& p, const at::Tensor& g, const at::Tensor& m, const at::Tensor& v) {
  const auto type = p.scalar_type();
  if (type != at::kFloat && type != at::kDouble) return false;
  for (const at::Tensor* t : {&p, &g, &m, &v}) {
    if (!t->device().is_cpu() || t->scalar_type() != type || !t->is_contiguous() || t->numel() != p.numel()) return false;
  }
  return true;
}

// The element loop, compiled for AVX-512, AVX2 and baseline x86-64 and picked at load time (GCC/Clang function
// multi-versioning): Debian's libtorch dispatches its own kernels the same way, and a baseline-only loop loses to them.
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && !defined(__APPLE__)
#define SV_VECTOR_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define SV_VECTOR_CLONES
#endif

enum class Decay { None, L2, Decoupled };

template <typename scalar_t, Decay decay>
SV_VECTOR_CLONES void adam_elements(scalar_t* __restrict__ pp, const scalar_t* __restrict__ gp, scalar_t* __restrict__ mp,
                                    scalar_t* __restrict__ vp, int64_t begin, int64_t end, scalar_t beta1, scalar_t one_minus_beta1,
                                    scalar_t beta2, scalar_t one_minus_beta2, scalar_t bc2_sqrt, scalar_t eps, scalar_t neg_step_size,
                                    scalar_t l2, scalar_t shrink) {
  for (int64_t i = begin; i < end; ++i) {
    const scalar_t param = decay == Decay::Decoupled ? pp[i] * shrink : pp[i];  // AdamW: param.mul_(1 - lr·wd)
    const scalar_t grad = decay == Decay::L2 ? gp[i] + l2 * param : gp[i];      // Adam: grad.add(param, alpha=wd)
    const scalar_t exp_avg = mp[i] * beta1 + one_minus_beta1 * grad;
    const scalar_t exp_avg_sq = vp[i] * beta2 + one_minus_beta2 * grad * grad;
    const scalar_t denom = std::sqrt(exp_avg_sq) / bc2_sqrt + eps;
    mp[i] = exp_avg;
    vp[i] = exp_avg_sq;
    pp[i] = param + neg_step_size * exp_avg / denom;
  }
}

template <typename scalar_t>
void adam_fused(at::Tensor& p, const at::Tensor& g, at::Tensor& m, at::Tensor& v, int64_t step, const AdamHyper& h) {
  // Scalars as ATen hands them to a kernel of this dtype: converted once to scalar_t.
  const double bias_correction1 = 1 - std::pow(h.beta1, static_cast<double>(step));
  const double bias_correction2 = 1 - std::pow(h.beta2, static_cast<double>(step));
  const scalar_t beta1 = static_cast<scalar_t>(h.beta1), one_minus_beta1 = static_cast<scalar_t>(1 - h.beta1);
  const scalar_t beta2 = static_cast<scalar_t>(h.beta2), one_minus_beta2 = static_cast<scalar_t>(1 - h.beta2);
  const scalar_t bc2_sqrt = static_cast<scalar_t>(std::sqrt(bias_correction2));
  const scalar_t eps = static_cast<scalar_t>(h.eps);
  const scalar_t neg_step_size = static_cast<scalar_t>(-(h.lr / bias_correction1));
  const scalar_t l2 = static_cast<scalar_t>(h.weight_decay);
  const scalar_t shrink = static_cast<scalar_t>(1 - h.lr * h.weight_decay);
  const Decay decay = h.weight_decay == 0 ? Decay::None : h.decoupled ? Decay::Decoupled : Decay::L2;

  scalar_t* pp = p.data_ptr<scalar_t>();
  const scalar_t* gp = g.data_ptr<scalar_t>();
  scalar_t* mp = m.data_ptr<scalar_t>();
  scalar_t* vp = v.data_ptr<scalar_t>();
  at::parallel_for(0, p.numel(), 32768, [&](int64_t begin, int64_t end) {
    const auto run = [&](auto mode) {
      adam_elements<scalar_t, decltype(mode)::value>(pp, gp, mp, vp, begin, end, beta1, one_minus_beta1, beta2, one_minus_beta2,
                                                     bc2_sqrt, eps, neg_step_size, l2, shrink);
    };
    switch (decay) {
      case Decay::None: run(std::integral_constant<Decay, Decay::None>{}); break;
      case Decay::L2: run(std::integral_constant<Decay, Decay::L2>{}); break;
      case Decay::Decoupled: run(std::integral_constant<Decay, Decay::Decoupled>{}); break;
    }
  });
  // In-place writes through ATen bump a tensor's version counter, which autograd checks for saved tensors; do the same.
  torch::autograd::impl::bump_version(p);
  torch::autograd::impl::bump_version(m);
  torch::autograd::impl::bump_version(v);
}

}  // namespace

// One Adam (or AdamW, decoupled != 0) step for n parameters: params[i] is updated from grads[i] with its moment
// buffers exp_avgs[i] / exp_avg_sqs[i] (updated in place) at its own step count steps[i] (1 on the first step).
SV_API int32_t sv_adam_step(void** params, void** grads, void** exp_avgs, void** exp_avg_sqs, const int64_t* steps, int32_t n,
                            double lr, double beta1, double beta2, double eps, double weight_decay, int32_t decoupled) {
  try {
    at::NoGradGuard no_grad;
    const AdamHyper h{lr, beta1, beta2, eps, weight_decay, decoupled != 0};
    for (int32_t i = 0; i < n; ++i) {
      at::Tensor& p = sv::T(params[i]);
      const at::Tensor& g = sv::T(grads[i]);
      at::Tensor& m = sv::T(exp_avgs[i]);
      at::Tensor& v = sv::T(exp_avg_sqs[i]);
      TORCH_CHECK(steps[i] >= 1, "Adam: parameter ", i, " has step ", steps[i], "; steps count from 1");
      TORCH_CHECK(g.sizes() == p.sizes() && m.sizes() == p.sizes() && v.sizes() == p.sizes(),
                  "Adam: parameter ", i, " has shape ", p.sizes(), " but its gradient or state has another (", g.sizes(), ", ",
                  m.sizes(), ", ", v.sizes(), ")");
      TORCH_CHECK(fusable(p, g, m, v), "Adam: parameter ", i, " (", p.scalar_type(), " on ", p.device(),
                  ") is not a contiguous float32/float64 CPU tensor with a gradient and state like it; step it op by op");
      AT_DISPATCH_FLOATING_TYPES(p.scalar_type(), "sv_adam_step", [&] { adam_fused<scalar_t>(p, g, m, v, steps[i], h); });
    }
    return 0;
  }
  SV_CATCH_ALL(-1)
}
