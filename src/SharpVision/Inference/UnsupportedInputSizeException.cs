namespace SharpVision.Inference;

/// <summary>
/// A model was asked to run at an input size its layers cannot take (e.g. a flatten + dense head sized for the
/// training resolution). The message names the file, the trained size, the asked size and the layer's complaint.
/// </summary>
public sealed class UnsupportedInputSizeException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    public UnsupportedInputSizeException(string message, Exception innerException) : base(message, innerException) { }
}
