namespace SharpVision.Reports.Charts;

/// <summary>Where an anchor x lies on a text box.</summary>
public enum HorizontalAlign
{
    /// <summary>The box starts at x.</summary>
    Left,

    /// <summary>The box is centred on x.</summary>
    Center,

    /// <summary>The box ends at x.</summary>
    Right,
}
