// Shared plumbing of the C ABI: handle types, error capture, small argument helpers.
// Every exported function catches every C++ exception; the C# side reads the code and message.
#pragma once

#include <ATen/ATen.h>
#include <c10/util/Exception.h>
#include <torch/version.h>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#define SV_API extern "C" __attribute__((visibility("default")))

// True when compiling against libtorch MAJ.MIN or newer (Debian ships 1.13; PyTorch 2.x wheels are the other target).
#define SV_TORCH_AT_LEAST(MAJ, MIN) \
  (TORCH_VERSION_MAJOR > (MAJ) || (TORCH_VERSION_MAJOR == (MAJ) && TORCH_VERSION_MINOR >= (MIN)))

// Error codes shared with the C# binding (NativeError.cs).
enum sv_error_code : int32_t {
  SV_OK = 0,
  SV_ERR_TORCH = 1,          // c10::Error (shape mismatch, bad argument, ...)
  SV_ERR_INDEX = 2,          // c10::IndexError
  SV_ERR_VALUE = 3,          // c10::ValueError
  SV_ERR_TYPE = 4,           // c10::TypeError (dtype problems)
  SV_ERR_NOT_IMPLEMENTED = 5,
  SV_ERR_OUT_OF_MEMORY = 6,
  SV_ERR_STD = 7,            // any other std::exception
  SV_ERR_UNKNOWN = 8,
  SV_ERR_DISTRIBUTED = 9,    // c10d failure: peer gone, timeout
  SV_ERR_UNAVAILABLE = 10,   // feature not compiled into this libtorch
};

namespace sv {
// A failure of a collective or of the rendezvous (distributed.h). Declared here so that every exported function
// reports it as SV_ERR_DISTRIBUTED, also when it surfaces elsewhere: a collective inside autograd's backward (the
// differentiable all-reduce of SyncBatchNorm) fails in sv_backward.
struct DistributedError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

void set_error(int32_t code, const std::string& message);
void clear_error();

inline at::Tensor& T(void* handle) { return *static_cast<at::Tensor*>(handle); }
inline void* wrap(at::Tensor t) { return new at::Tensor(std::move(t)); }
// A null handle stands for "no tensor" (an absent bias, weight, ...).
inline at::Tensor opt(void* handle) { return handle ? *static_cast<at::Tensor*>(handle) : at::Tensor(); }
inline at::IntArrayRef arr(const int64_t* data, int32_t n) { return at::IntArrayRef(data, static_cast<size_t>(n)); }
inline std::vector<at::Tensor> list(void** handles, int32_t n) {
  std::vector<at::Tensor> v;
  v.reserve(static_cast<size_t>(n));
  for (int32_t i = 0; i < n; ++i) v.push_back(T(handles[i]));
  return v;
}
at::Device device_of(int32_t type, int32_t index);
// A C# scalar: integral (long overloads) keeps integer tensors integer, as a Python int does; otherwise a double.
inline at::Scalar scalar(double value, int32_t integral) {
  return integral ? at::Scalar(static_cast<int64_t>(value)) : at::Scalar(value);
}
}  // namespace sv

#define SV_CATCH_ALL(RET)                                                              \
  catch (const c10::IndexError& e) { sv::set_error(SV_ERR_INDEX, e.what_without_backtrace()); }   \
  catch (const c10::ValueError& e) { sv::set_error(SV_ERR_VALUE, e.what_without_backtrace()); }   \
  catch (const c10::TypeError& e) { sv::set_error(SV_ERR_TYPE, e.what_without_backtrace()); }     \
  catch (const c10::NotImplementedError& e) { sv::set_error(SV_ERR_NOT_IMPLEMENTED, e.what_without_backtrace()); } \
  catch (const c10::OutOfMemoryError& e) { sv::set_error(SV_ERR_OUT_OF_MEMORY, e.what_without_backtrace()); } \
  catch (const c10::Error& e) {                                                        \
    std::string m = e.what_without_backtrace();                                        \
    sv::set_error(m.find("out of memory") != std::string::npos ? SV_ERR_OUT_OF_MEMORY : SV_ERR_TORCH, m); \
  }                                                                                    \
  catch (const std::bad_alloc& e) { sv::set_error(SV_ERR_OUT_OF_MEMORY, "out of memory (std::bad_alloc)"); } \
  catch (const sv::DistributedError& e) { sv::set_error(SV_ERR_DISTRIBUTED, e.what()); } \
  catch (const std::exception& e) { sv::set_error(SV_ERR_STD, e.what()); }              \
  catch (...) { sv::set_error(SV_ERR_UNKNOWN, "unknown native exception"); }            \
  return RET;

// Tensor-returning functions: NULL means an error was recorded.
#define SV_TENSOR_FN(BODY) \
  try { return sv::wrap(BODY); } SV_CATCH_ALL(nullptr)
// Status-returning functions: 0 = ok, -1 = error recorded.
#define SV_STATUS_FN(BODY) \
  try { BODY; return 0; } SV_CATCH_ALL(-1)
