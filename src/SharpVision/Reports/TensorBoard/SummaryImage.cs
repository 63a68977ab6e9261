namespace SharpVision.Reports.TensorBoard;

/// <summary>A decoded Summary.Image: size, colour space (1 grey, 3 RGB, 4 RGBA) and the encoded (PNG) bytes.</summary>
/// <param name="Height">Height in pixels.</param>
/// <param name="Width">Width in pixels.</param>
/// <param name="Colorspace">Number of channels.</param>
/// <param name="EncodedImage">The encoded image file.</param>
public sealed record SummaryImage(int Height, int Width, int Colorspace, byte[] EncodedImage);
