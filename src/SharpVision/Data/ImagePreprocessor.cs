using SharpVision.Engine;
using SharpVision.Imaging;

namespace SharpVision.Data;

/// <summary>
/// Brings decoded images to a fixed size as uint8 (bilinear with antialiasing, see <see cref="ImageResizer"/>).
/// Normalisation to floats is a separate step (<see cref="Normalization"/>) done on whole batches. Thread-safe.
/// </summary>
public sealed class ImagePreprocessor
{
    /// <summary>Creates a preprocessor producing <paramref name="height"/>×<paramref name="width"/> images.</summary>
    public ImagePreprocessor(int height, int width, ResizeMode mode = ResizeMode.Stretch, byte padValue = 0)
    {
        if (height <= 0 || width <= 0) throw new ArgumentException($"target size must be positive, got {height}×{width} (H×W)");
        Height = height;
        Width = width;
        Mode = mode;
        PadValue = padValue;
    }

    /// <summary>Output height.</summary>
    public int Height { get; }

    /// <summary>Output width.</summary>
    public int Width { get; }

    /// <summary>How the aspect ratio is handled.</summary>
    public ResizeMode Mode { get; }

    /// <summary>Fill value of the letterbox bars.</summary>
    public byte PadValue { get; }

    /// <summary>The image resized to <see cref="Height"/>×<see cref="Width"/> (same channel count, interleaved).</summary>
    public RgbImage Process(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        int w = image.Width, h = image.Height;
        switch (Mode)
        {
            case ResizeMode.Stretch:
                return w == Width && h == Height ? image : ImageResizer.Resize(image, Width, Height);
            case ResizeMode.CenterCrop:
            {
                var scale = Math.Max((double)Width / w, (double)Height / h);
                double bw = Math.Min(w, Width / scale), bh = Math.Min(h, Height / scale);
                return ImageResizer.Resize(image, ((w - bw) / 2, (h - bh) / 2, bw, bh), Width, Height);
            }
            default:
            {
                var scale = Math.Min((double)Width / w, (double)Height / h);
                var rw = Math.Clamp((int)Math.Round(w * scale), 1, Width);
                var rh = Math.Clamp((int)Math.Round(h * scale), 1, Height);
                var inner = rw == w && rh == h ? image : ImageResizer.Resize(image, rw, rh);
                if (rw == Width && rh == Height) return inner;
                var c = image.Channels;
                var output = new byte[Width * Height * c];
                if (PadValue != 0) Array.Fill(output, PadValue);
                int x0 = (Width - rw) / 2, y0 = (Height - rh) / 2;
                for (var y = 0; y < rh; y++)
                    inner.Pixels.AsSpan(y * rw * c, rw * c).CopyTo(output.AsSpan(((y0 + y) * Width + x0) * c));
                return new RgbImage(Width, Height, c, output);
            }
        }
    }

    /// <summary>Processes the image and writes it planar (C×H×W) into <paramref name="destination"/>.</summary>
    public void ProcessToChw(RgbImage image, Span<byte> destination)
    {
        var p = Process(image);
        var c = p.Channels;
        var plane = Width * Height;
        if (destination.Length != plane * c) throw new ArgumentException($"destination needs {plane * c} bytes, got {destination.Length}");
        var src = p.Pixels;
        if (c == 1)
        {
            src.AsSpan().CopyTo(destination);
            return;
        }
        for (var ch = 0; ch < c; ch++)
        {
            var d = destination.Slice(ch * plane, plane);
            for (int i = 0, s = ch; i < plane; i++, s += c) d[i] = src[s];
        }
    }

    /// <summary>One image as a uint8 tensor [1, C, H, W] (e.g. for prediction).</summary>
    public Tensor ToTensor(RgbImage image)
    {
        var buffer = new byte[Width * Height * image.Channels];
        ProcessToChw(image, buffer);
        return Tensor.FromBytes(buffer, DType.UInt8, new long[] { 1, image.Channels, Height, Width });
    }
}
