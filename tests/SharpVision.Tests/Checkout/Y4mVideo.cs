using System.Text;
using SharpVision.Imaging;

namespace SharpVision.Tests.Checkout;

/// <summary>Writes a still photo as a YUV4MPEG2 (4:2:0) video, the format Chromium's fake camera plays (--use-file-for-fake-video-capture).</summary>
internal static class Y4mVideo
{
    public static void Write(string path, RgbImage photo, int width = 320, int height = 240, int frames = 2)
    {
        var frame = ImageResizer.Resize(photo, width, height).Pixels;
        var y = new byte[width * height];
        var u = new byte[width / 2 * (height / 2)];
        var v = new byte[u.Length];
        for (var i = 0; i < width * height; i++)
        {
            int r = frame[3 * i], g = frame[3 * i + 1], b = frame[3 * i + 2];
            y[i] = Clamp(0.299 * r + 0.587 * g + 0.114 * b);
        }
        // Chroma of each 2×2 block (JPEG/JFIF full-range coefficients).
        for (var by = 0; by < height / 2; by++)
            for (var bx = 0; bx < width / 2; bx++)
            {
                double cb = 0, cr = 0;
                for (var dy = 0; dy < 2; dy++)
                    for (var dx = 0; dx < 2; dx++)
                    {
                        var p = 3 * ((2 * by + dy) * width + 2 * bx + dx);
                        int r = frame[p], g = frame[p + 1], b = frame[p + 2];
                        cb += 128 - 0.168736 * r - 0.331264 * g + 0.5 * b;
                        cr += 128 + 0.5 * r - 0.418688 * g - 0.081312 * b;
                    }
                u[by * (width / 2) + bx] = Clamp(cb / 4);
                v[by * (width / 2) + bx] = Clamp(cr / 4);
            }
        using var file = File.Create(path);
        file.Write(Encoding.ASCII.GetBytes($"YUV4MPEG2 W{width} H{height} F30:1 Ip A1:1\n"));
        for (var f = 0; f < frames; f++)
        {
            file.Write("FRAME\n"u8);
            file.Write(y);
            file.Write(u);
            file.Write(v);
        }
    }

    private static byte Clamp(double x) => (byte)Math.Clamp((int)Math.Round(x), 0, 255);
}
