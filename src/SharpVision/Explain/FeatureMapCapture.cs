using SharpVision.Imaging;
using SharpVision.Reports.Charts;

namespace SharpVision.Explain;

/// <summary>A layer's activations for one image: C × H × W floats, channel-major.</summary>
/// <param name="Layer">The layer's path.</param>
/// <param name="Values">The activations.</param>
/// <param name="Channels">C.</param>
/// <param name="Height">H.</param>
/// <param name="Width">W.</param>
public sealed record FeatureMapCapture(string Layer, float[] Values, int Channels, int Height, int Width)
{
    /// <summary>Mean activation of each channel.</summary>
    public double[] ChannelMeans()
    {
        var plane = Height * Width;
        var means = new double[Channels];
        for (var c = 0; c < Channels; c++)
        {
            double s = 0;
            foreach (var v in Values.AsSpan(c * plane, plane)) s += v;
            means[c] = s / plane;
        }
        return means;
    }

    /// <summary>Number of tiles <see cref="Render"/> draws with <paramref name="maxChannels"/>.</summary>
    public int TilesShown(int maxChannels) => Math.Min(Channels, maxChannels);

    /// <summary>
    /// The grid of channel heat maps (viridis, each channel scaled to its own range; the lecture's first/middle/last
    /// conv figures) for the first <paramref name="maxChannels"/> channels.
    /// </summary>
    public RgbImage Render(int maxChannels = 64, int tileSize = 64, string? title = null) =>
        FeatureMapGrid.Render(Values, Channels, Height, Width, tileSize, maxChannels, title: title);
}
