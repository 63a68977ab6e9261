namespace SharpVision.Engine.IO;

/// <summary>
/// A PyTorch checkpoint asks for something the restricted unpickler does not allow: a Python callable other than the
/// tensor and dictionary constructors, or an opcode that could run code. Nothing from the file was executed.
/// </summary>
public sealed class UnsafePickleException : IOException
{
    /// <summary>Creates the exception.</summary>
    public UnsafePickleException(string message) : base(message)
    {
    }
}
