namespace SharpVision.Engine;

/// <summary>An error raised by libtorch (through the native shim), carrying libtorch's own message.</summary>
public class TorchException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TorchException(string message) : base(message) { }

    /// <summary>The shim's error code.</summary>
    public int Code { get; init; }
}

/// <summary>An index was out of range (c10::IndexError).</summary>
public sealed class TorchIndexException : TorchException
{
    /// <summary>Creates the exception.</summary>
    public TorchIndexException(string message) : base(message) { }
}

/// <summary>An argument had a bad value (c10::ValueError).</summary>
public sealed class TorchValueException : TorchException
{
    /// <summary>Creates the exception.</summary>
    public TorchValueException(string message) : base(message) { }
}

/// <summary>An operation got a tensor of the wrong dtype (c10::TypeError).</summary>
public sealed class TorchTypeException : TorchException
{
    /// <summary>Creates the exception.</summary>
    public TorchTypeException(string message) : base(message) { }
}

/// <summary>The operation is not implemented for these inputs or this device.</summary>
public sealed class TorchNotImplementedException : TorchException
{
    /// <summary>Creates the exception.</summary>
    public TorchNotImplementedException(string message) : base(message) { }
}

/// <summary>The device ran out of memory.</summary>
public sealed class TorchOutOfMemoryException : TorchException
{
    /// <summary>Creates the exception.</summary>
    public TorchOutOfMemoryException(string message) : base(message) { }
}

/// <summary>A collective operation failed: a peer is gone, a timeout passed, or the rendezvous failed.</summary>
public sealed class DistributedException : TorchException
{
    /// <summary>Creates the exception.</summary>
    public DistributedException(string message) : base(message) { }
}
