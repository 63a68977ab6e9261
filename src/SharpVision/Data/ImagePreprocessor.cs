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
    /// <param name="height">Output height.</param>
    /// <param name="width">Output width.</param>
    /// <param name="mode">How the aspect ratio is handled.</param>
    /// <param name="padValue">Fill value of the letterbox bars.</param>
    /// <param name="cropFraction">
    /// <see cref="ResizeMode.CenterCrop"/> only: the fraction of the covering resize that the crop keeps, in (0, 1].
    /// 1 (the default) cuts only what overflows the target; 0.875 is torchvision's ImageNet evaluation transform
    /// (resize the shorter side to 256, centre crop 224).
    /// </param>
    public ImagePreprocessor(int height, int width, ResizeMode mode = ResizeMode.Stretch, byte padValue = 0, double cropFraction = 1.0)
    {
        if (height <= 0 || width <= 0) throw new ArgumentException($"target size must be positive, got {height}×{width} (H×W)");
        if (!(cropFraction > 0 && cropFraction <= 1)) throw new ArgumentOutOfRangeException(nameof(cropFraction), cropFraction, "crop fraction must be in (0, 1]");
        Height = height;
        Width = width;
        Mode = mode;
        PadValue = padValue;
        CropFraction = cropFraction;
    }

    /// <summary>
    /// Resize the shorter side to <paramref name="resizeTo"/>, then cut the centre <paramref name="crop"/>×<paramref name="crop"/>
    /// (torchvision's Resize(256) + CenterCrop(224) evaluation transform when called with 256, 224).
    /// </summary>
    public static ImagePreprocessor ResizeThenCenterCrop(int resizeTo, int crop)
    {
        if (resizeTo < crop) throw new ArgumentOutOfRangeException(nameof(resizeTo), resizeTo, $"the resize ({resizeTo}) must be at least the crop ({crop})");
        return new ImagePreprocessor(crop, crop, ResizeMode.CenterCrop, cropFraction: (double)crop / resizeTo);
    }

    /// <summary>Output height.</summary>
    public int Height { get; }

    /// <summary>Output width.</summary>
    public int Width { get; }

    /// <summary>How the aspect ratio is handled.</summary>
    public ResizeMode Mode { get; }

    /// <summary>Fill value of the letterbox bars.</summary>
    public byte PadValue { get; }

    /// <summary>Centre crop only: fraction of the covering resize kept by the crop (1 = cut only the overflow).</summary>
    public double CropFraction { get; }

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
                // Scale so the image covers the target enlarged by 1/CropFraction, then take the centre target-sized box.
                var scale = Math.Max((double)Width / w, (double)Height / h) / CropFraction;
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
        if (c == 3)
        {
            ImagePlanes.DeinterleaveRgb(src, destination[..plane], destination.Slice(plane, plane), destination.Slice(2 * plane, plane));
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
