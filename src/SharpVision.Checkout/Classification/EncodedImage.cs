namespace SharpVision.Checkout;

/// <summary>An uploaded image, still encoded (JPEG, PNG or WebP bytes).</summary>
/// <param name="Data">The file's bytes as uploaded.</param>
/// <param name="Name">The client's file name, sanitised; used in messages only and never as a path.</param>
public sealed record EncodedImage(byte[] Data, string Name);
