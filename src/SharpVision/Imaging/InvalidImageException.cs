namespace SharpVision.Imaging;

/// <summary>A file or upload could not be decoded as an image; <see cref="Source"/> and <see cref="Reason"/> say which and why.</summary>
public class InvalidImageException : Exception
{
    /// <summary>Creates the exception.</summary>
    public InvalidImageException(string source, string reason, Exception? inner = null)
        : base($"{source}: {reason}", inner)
    {
        Source = source;
        Reason = reason;
    }

    /// <summary>The file path or upload name.</summary>
    public new string Source { get; }

    /// <summary>Why it is not a usable image (e.g. "truncated JPEG", "unsupported format: GIF").</summary>
    public string Reason { get; }
}
