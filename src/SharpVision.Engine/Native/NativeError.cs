using System.Runtime.InteropServices;

namespace SharpVision.Engine.Native;

/// <summary>Turns the shim's thread-local error into a typed <see cref="TorchException"/>.</summary>
internal static class NativeError
{
    internal static IntPtr Check(IntPtr result)
    {
        if (result == IntPtr.Zero) throw Current();
        return result;
    }

    internal static void Check(int status)
    {
        if (status < 0) throw Current();
    }

    internal static TorchException Current()
    {
        var code = NativeMethods.sv_last_error_code();
        var message = Marshal.PtrToStringUTF8(NativeMethods.sv_last_error_message()) ?? "unknown native error";
        NativeMethods.sv_clear_error();
        return code switch
        {
            2 => new TorchIndexException(message) { Code = code },
            3 => new TorchValueException(message) { Code = code },
            4 => new TorchTypeException(message) { Code = code },
            5 => new TorchNotImplementedException(message) { Code = code },
            6 => new TorchOutOfMemoryException(message) { Code = code },
            9 => new DistributedException(message) { Code = code },
            10 => new TorchNotImplementedException(message) { Code = code },
            _ => new TorchException(message) { Code = code },
        };
    }
}
