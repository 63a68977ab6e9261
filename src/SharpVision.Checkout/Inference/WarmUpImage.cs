using SharpVision.Imaging;

namespace SharpVision.Checkout;

/// <summary>The image used for the start-up warm-up pass: a mid-grey PNG at the model's input size.</summary>
internal static class WarmUpImage
{
    public static byte[] GreyPng(int width, int height)
    {
        var image = new RgbImage(width, height);
        Array.Fill(image.Pixels, (byte)128);
        return PngEncoder.Encode(image);
    }
}
