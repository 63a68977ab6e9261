namespace SharpVision.Onnx;

/// <summary>A model (or one of its layers) cannot be expressed in ONNX; the message names the layer.</summary>
public sealed class OnnxExportException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public OnnxExportException(string message) : base(message) { }
}
