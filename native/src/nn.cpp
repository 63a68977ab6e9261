// Neural-network operations: convolution, pooling, normalisation, dropout, activations, losses, resampling.
#include "common.h"

using sv::T;
using sv::arr;
using sv::opt;

namespace {
int64_t reduction_of(int32_t r) {
  // 0 none, 1 mean, 2 sum (at::Reduction order).
  TORCH_CHECK_VALUE(r >= 0 && r <= 2, "unknown reduction ", r);
  return r;
}
}  // namespace

// ---- convolution ----
SV_API void* sv_conv2d(void* x, void* w, void* b, const int64_t* stride, const int64_t* padding, const int64_t* dilation,
                       int64_t groups) {
  SV_TENSOR_FN(at::conv2d(T(x), T(w), opt(b), arr(stride, 2), arr(padding, 2), arr(dilation, 2), groups))
}
// padding_mode: 0 = "valid", 1 = "same" (PyTorch's string padding).
SV_API void* sv_conv2d_padmode(void* x, void* w, void* b, const int64_t* stride, int32_t padding_mode,
                               const int64_t* dilation, int64_t groups) {
  SV_TENSOR_FN(at::conv2d(T(x), T(w), opt(b), arr(stride, 2), padding_mode == 1 ? "same" : "valid", arr(dilation, 2), groups))
}
SV_API void* sv_conv_transpose2d(void* x, void* w, void* b, const int64_t* stride, const int64_t* padding,
                                 const int64_t* output_padding, int64_t groups, const int64_t* dilation) {
  SV_TENSOR_FN(at::conv_transpose2d(T(x), T(w), opt(b), arr(stride, 2), arr(padding, 2), arr(output_padding, 2), groups,
                                    arr(dilation, 2)))
}

// ---- pooling ----
SV_API void* sv_max_pool2d(void* x, const int64_t* k, const int64_t* s, const int64_t* p, const int64_t* d, int32_t ceil) {
  SV_TENSOR_FN(at::max_pool2d(T(x), arr(k, 2), arr(s, 2), arr(p, 2), arr(d, 2), ceil != 0))
}
SV_API void* sv_avg_pool2d(void* x, const int64_t* k, const int64_t* s, const int64_t* p, int32_t ceil, int32_t count_pad) {
  SV_TENSOR_FN(at::avg_pool2d(T(x), arr(k, 2), arr(s, 2), arr(p, 2), ceil != 0, count_pad != 0))
}
SV_API void* sv_adaptive_avg_pool2d(void* x, const int64_t* out) { SV_TENSOR_FN(at::adaptive_avg_pool2d(T(x), arr(out, 2))) }
SV_API void* sv_adaptive_max_pool2d(void* x, const int64_t* out) {
  SV_TENSOR_FN(std::get<0>(at::adaptive_max_pool2d(T(x), arr(out, 2))))
}

// ---- normalisation and dropout ----
// In training mode the running statistics are updated in place, as in torch.nn.BatchNorm2d.
SV_API void* sv_batch_norm(void* x, void* w, void* b, void* rm, void* rv, int32_t training, double momentum, double eps) {
  SV_TENSOR_FN(at::batch_norm(T(x), opt(w), opt(b), opt(rm), opt(rv), training != 0, momentum, eps, true))
}
SV_API void* sv_layer_norm(void* x, const int64_t* shape, int32_t n, void* w, void* b, double eps) {
  SV_TENSOR_FN(at::layer_norm(T(x), arr(shape, n), opt(w), opt(b), eps))
}
SV_API void* sv_dropout(void* x, double p, int32_t train) { SV_TENSOR_FN(at::dropout(T(x), p, train != 0)) }
// Channel dropout (Keras SpatialDropout2D, torch.nn.Dropout2d): whole feature maps are zeroed.
SV_API void* sv_feature_dropout(void* x, double p, int32_t train) { SV_TENSOR_FN(at::feature_dropout(T(x), p, train != 0)) }

// ---- activations ----
SV_API void* sv_relu(void* x) { SV_TENSOR_FN(at::relu(T(x))) }
SV_API void* sv_relu6(void* x) { SV_TENSOR_FN(at::hardtanh(T(x), 0.0, 6.0)) }
SV_API void* sv_leaky_relu(void* x, double slope) { SV_TENSOR_FN(at::leaky_relu(T(x), slope)) }
SV_API void* sv_gelu(void* x, int32_t tanh_approx) { SV_TENSOR_FN(at::gelu(T(x), tanh_approx ? "tanh" : "none")) }
SV_API void* sv_silu(void* x) { SV_TENSOR_FN(at::silu(T(x))) }
SV_API void* sv_hardswish(void* x) { SV_TENSOR_FN(at::hardswish(T(x))) }
SV_API void* sv_sigmoid(void* x) { SV_TENSOR_FN(at::sigmoid(T(x))) }
SV_API void* sv_tanh(void* x) { SV_TENSOR_FN(at::tanh(T(x))) }
SV_API void* sv_softmax(void* x, int64_t d) { SV_TENSOR_FN(at::softmax(T(x), d)) }
SV_API void* sv_log_softmax(void* x, int64_t d) { SV_TENSOR_FN(at::log_softmax(T(x), d)) }
SV_API int32_t sv_relu_(void* x) { SV_STATUS_FN(at::relu_(T(x))) }

// ---- losses ----
// target: class indices (int64) or class probabilities (float, same shape as logits).
SV_API void* sv_cross_entropy(void* logits, void* target, void* weight, int32_t reduction, int64_t ignore_index,
                              double label_smoothing) {
  SV_TENSOR_FN(at::cross_entropy_loss(T(logits), T(target), opt(weight), reduction_of(reduction), ignore_index, label_smoothing))
}
SV_API void* sv_nll_loss(void* logp, void* target, void* weight, int32_t reduction, int64_t ignore_index) {
  SV_TENSOR_FN(at::nll_loss_nd(T(logp), T(target), opt(weight), reduction_of(reduction), ignore_index))
}
SV_API void* sv_bce_with_logits(void* x, void* y, void* weight, void* pos_weight, int32_t reduction) {
  SV_TENSOR_FN(at::binary_cross_entropy_with_logits(T(x), T(y), opt(weight), opt(pos_weight), reduction_of(reduction)))
}
SV_API void* sv_mse_loss(void* x, void* y, int32_t reduction) { SV_TENSOR_FN(at::mse_loss(T(x), T(y), reduction_of(reduction))) }

// ---- resampling ----
// mode: 0 nearest, 1 bilinear, 2 bilinear with antialias (for downscaling, like PIL), 3 bicubic.
SV_API void* sv_interpolate(void* x, const int64_t* size, int32_t mode, int32_t align_corners) {
  try {
    const at::Tensor& in = T(x);
    auto out = arr(size, 2);
    switch (mode) {
      case 0: return sv::wrap(at::upsample_nearest2d(in, out));
      case 1: return sv::wrap(at::upsample_bilinear2d(in, out, align_corners != 0));
      case 2: return sv::wrap(at::_upsample_bilinear2d_aa(in, out, align_corners != 0));
      case 3: return sv::wrap(at::upsample_bicubic2d(in, out, align_corners != 0));
      default: TORCH_CHECK_VALUE(false, "unknown interpolation mode ", mode);
    }
  } SV_CATCH_ALL(nullptr)
}
SV_API void* sv_affine_grid(void* theta, const int64_t* size, int32_t n, int32_t align_corners) {
  SV_TENSOR_FN(at::affine_grid_generator(T(theta), arr(size, n), align_corners != 0))
}
// interpolation: 0 bilinear, 1 nearest, 2 bicubic; padding: 0 zeros, 1 border, 2 reflection.
SV_API void* sv_grid_sample(void* x, void* grid, int32_t interpolation, int32_t padding, int32_t align_corners) {
  SV_TENSOR_FN(at::grid_sampler(T(x), T(grid), interpolation, padding, align_corners != 0))
}
// mode: 0 constant, 1 reflect, 2 replicate, 3 circular.
SV_API void* sv_pad(void* x, const int64_t* pads, int32_t n, int32_t mode, double value) {
  static const char* modes[] = {"constant", "reflect", "replicate", "circular"};
  try {
    TORCH_CHECK_VALUE(mode >= 0 && mode <= 3, "unknown pad mode ", mode);
    return sv::wrap(at::pad(T(x), arr(pads, n), modes[mode], mode == 0 ? c10::optional<double>(value) : c10::nullopt));
  } SV_CATCH_ALL(nullptr)
}
