// Runtime services: errors, threads, seeding and generators, devices, grad mode, allocator tuning.
#include "common.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <c10/core/GradMode.h>
#include <torch/cuda.h>
#include <torch/version.h>
#include <malloc.h>
#include <mutex>

namespace {
thread_local int32_t g_code = SV_OK;
thread_local std::string g_message;
}  // namespace

namespace sv {
void set_error(int32_t code, const std::string& message) {
  g_code = code;
  g_message = message;
}
void clear_error() {
  g_code = SV_OK;
  g_message.clear();
}
at::Device device_of(int32_t type, int32_t index) {
  // 0 = CPU, 1 = CUDA (mirrors DeviceType.cs, which mirrors c10::DeviceType).
  if (type == 0) return at::Device(at::kCPU);
  if (type == 1) return at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(index < 0 ? 0 : index));
  throw c10::ValueError({__func__, __FILE__, static_cast<uint32_t>(__LINE__)}, "unknown device type " + std::to_string(type));
}
}  // namespace sv

SV_API int32_t sv_last_error_code() { return g_code; }
SV_API const char* sv_last_error_message() { return g_message.c_str(); }
SV_API void sv_clear_error() { sv::clear_error(); }

SV_API const char* sv_torch_version() {
  static std::string v = std::to_string(TORCH_VERSION_MAJOR) + "." + std::to_string(TORCH_VERSION_MINOR) + "." +
                         std::to_string(TORCH_VERSION_PATCH);
  return v.c_str();
}

// ---- threads ----
SV_API int32_t sv_set_num_threads(int32_t n) { SV_STATUS_FN(at::set_num_threads(n)) }
SV_API int32_t sv_get_num_threads() { return at::get_num_threads(); }
SV_API int32_t sv_set_num_interop_threads(int32_t n) { SV_STATUS_FN(at::set_num_interop_threads(n)) }

// ---- allocator ----
// glibc hands big buffers straight back to the OS on free (mmap'd blocks), so every training step
// page-faults its activations in again. Raising the thresholds keeps them in the heap for reuse.
SV_API int32_t sv_malloc_tune(int64_t mmap_threshold, int64_t trim_threshold, int32_t mmap_max) {
  int ok = 1;
  if (mmap_threshold >= 0) ok &= mallopt(M_MMAP_THRESHOLD, static_cast<int>(mmap_threshold));
  if (trim_threshold >= 0) ok &= mallopt(M_TRIM_THRESHOLD, static_cast<int>(trim_threshold));
  if (mmap_max >= 0) ok &= mallopt(M_MMAP_MAX, mmap_max);
  return ok ? 0 : -1;
}
SV_API void sv_malloc_trim() { malloc_trim(0); }

// ---- determinism ----
// Seeds the default CPU generator and, on a CUDA build with GPUs, every CUDA generator (as torch.manual_seed).
SV_API int32_t sv_manual_seed(uint64_t seed) { SV_STATUS_FN(at::manual_seed(seed)) }
SV_API int32_t sv_set_deterministic(int32_t on) {
  SV_STATUS_FN({
    at::globalContext().setDeterministicAlgorithms(on != 0, false);
#if SV_TORCH_AT_LEAST(2, 1)
    // 2.1+ also fills every new uninitialised tensor in deterministic mode; 1.13 did not. Keep 1.13's cost profile:
    // our ops never read uninitialised memory, so the fill would only slow reproducible runs down.
    at::globalContext().setDeterministicFillUninitializedMemory(false);
#endif
    at::globalContext().setDeterministicCuDNN(on != 0);
    at::globalContext().setBenchmarkCuDNN(on == 0);
  })
}

// ---- generators (handles are heap-allocated at::Generator) ----
SV_API void* sv_generator_new(uint64_t seed) {
  try { return new at::Generator(at::detail::createCPUGenerator(seed)); } SV_CATCH_ALL(nullptr)
}
SV_API void* sv_generator_default() {
  try { return new at::Generator(at::detail::getDefaultCPUGenerator()); } SV_CATCH_ALL(nullptr)
}
SV_API void sv_generator_free(void* g) { delete static_cast<at::Generator*>(g); }
SV_API void* sv_generator_get_state(void* g) {
  try {
    auto& gen = *static_cast<at::Generator*>(g);
    std::lock_guard<std::mutex> lock(gen.mutex());
    return sv::wrap(gen.get_state());
  } SV_CATCH_ALL(nullptr)
}
SV_API int32_t sv_generator_set_state(void* g, void* state) {
  SV_STATUS_FN({
    auto& gen = *static_cast<at::Generator*>(g);
    std::lock_guard<std::mutex> lock(gen.mutex());
    gen.set_state(sv::T(state));
  })
}
SV_API int32_t sv_generator_seed(void* g, uint64_t seed) {
  SV_STATUS_FN({
    auto& gen = *static_cast<at::Generator*>(g);
    std::lock_guard<std::mutex> lock(gen.mutex());
    gen.set_current_seed(seed);
  })
}

// ---- devices ----
SV_API int32_t sv_cuda_is_available() {
  try { return torch::cuda::is_available() ? 1 : 0; } catch (...) { return 0; }
}
SV_API int32_t sv_cuda_device_count() {
  try { return static_cast<int32_t>(torch::cuda::device_count()); } catch (...) { return 0; }
}
SV_API int32_t sv_cuda_synchronize(int32_t index) { SV_STATUS_FN(torch::cuda::synchronize(index)) }

// ---- grad mode ----
SV_API int32_t sv_set_grad_enabled(int32_t on) {
  bool prev = c10::GradMode::is_enabled();
  c10::GradMode::set_enabled(on != 0);
  return prev ? 1 : 0;
}
SV_API int32_t sv_is_grad_enabled() { return c10::GradMode::is_enabled() ? 1 : 0; }
