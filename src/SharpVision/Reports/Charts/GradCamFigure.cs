using SharpVision.Imaging;

namespace SharpVision.Reports.Charts;

/// <summary>The Grad-CAM figure: the input, the heat map over it, and the colour bar that says which colour is strong.</summary>
public static class GradCamFigure
{
    private const int Pad = 12, TitleHeight = 24, CaptionHeight = 20, BarWidth = 16;

    /// <summary>Draws input | overlay | colour bar (low → high) with a title and captions.</summary>
    public static RgbImage Render(RgbImage input, RgbImage overlay, string title, Colormap? colormap = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(overlay);
        colormap ??= Colormap.Jet;
        var h = Math.Max(input.Height, overlay.Height);
        var labelWidth = BitmapFont.Regular.Measure("high") + 6;
        var canvas = new Canvas(Pad + input.Width + Pad + overlay.Width + Pad + BarWidth + 6 + labelWidth + Pad, TitleHeight + h + CaptionHeight + Pad / 2);
        canvas.Fill(Color.White);
        canvas.DrawText(title, canvas.Width / 2, 6, Color.Ink, horizontal: HorizontalAlign.Center);
        var x = Pad;
        canvas.DrawImage(input, x, TitleHeight, input.Width, input.Height);
        canvas.DrawText("input", x + input.Width / 2, TitleHeight + h + 4, Color.Gray, horizontal: HorizontalAlign.Center);
        x += input.Width + Pad;
        canvas.DrawImage(overlay, x, TitleHeight, overlay.Width, overlay.Height);
        canvas.DrawText("Grad-CAM", x + overlay.Width / 2, TitleHeight + h + 4, Color.Gray, horizontal: HorizontalAlign.Center);
        x += overlay.Width + Pad;
        for (var y = 0; y < h; y++) canvas.FillRect(x, TitleHeight + y, BarWidth, 1, colormap.Map(1 - (double)y / Math.Max(1, h - 1)));
        canvas.DrawRect(x, TitleHeight, BarWidth, h, Color.Gray);
        canvas.DrawText("high", x + BarWidth + 6, TitleHeight, Color.Ink);
        canvas.DrawText("low", x + BarWidth + 6, TitleHeight + h, Color.Ink, vertical: VerticalAlign.Bottom);
        return canvas.ToImage();
    }
}
