namespace SharpVision.Checkout;

/// <summary>A catalogue file could not be read: <see cref="Source"/> names the file and the message says where and why.</summary>
public sealed class CatalogueFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CatalogueFormatException(string source, string reason, Exception? inner = null)
        : base($"catalogue {source}: {reason}", inner)
    {
        Source = source;
    }

    /// <summary>The catalogue file (or "built-in").</summary>
    public new string Source { get; }
}
