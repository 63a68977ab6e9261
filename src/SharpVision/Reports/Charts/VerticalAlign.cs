namespace SharpVision.Reports.Charts;

/// <summary>Where an anchor y lies on a text box.</summary>
public enum VerticalAlign
{
    /// <summary>The box starts at y.</summary>
    Top,

    /// <summary>The box is centred on y.</summary>
    Middle,

    /// <summary>The box ends at y.</summary>
    Bottom,
}
