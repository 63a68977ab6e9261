namespace SharpVision.Augmentation;

/// <summary>
/// One image's geometric transform, described by what happens to the content: an optional crop (resized back to the
/// full size), then flips, zoom, shear and rotation about the image centre, then a shift. The default is the identity.
/// <see cref="SamplingMatrix"/> turns it into the θ that <c>Functional.AffineGrid</c> needs.
/// </summary>
public sealed record AffineTransform
{
    /// <summary>The identity transform.</summary>
    public static AffineTransform Identity { get; } = new();

    /// <summary>Rotation in degrees; positive turns the content counter-clockwise as displayed.</summary>
    public double Rotation { get; init; }

    /// <summary>Shift of the content to the right, as a fraction of the width.</summary>
    public double ShiftX { get; init; }

    /// <summary>Shift of the content downwards, as a fraction of the height.</summary>
    public double ShiftY { get; init; }

    /// <summary>Content scale factor (2 = twice as large).</summary>
    public double Zoom { get; init; } = 1;

    /// <summary>Shear angle in degrees: x moves by tan(shear)·y (y pointing down).</summary>
    public double Shear { get; init; }

    /// <summary>Mirror left–right.</summary>
    public bool FlipHorizontal { get; init; }

    /// <summary>Mirror top–bottom.</summary>
    public bool FlipVertical { get; init; }

    /// <summary>Width of the crop window as a fraction of the image width (1 = no crop).</summary>
    public double CropWidth { get; init; } = 1;

    /// <summary>Height of the crop window as a fraction of the image height (1 = no crop).</summary>
    public double CropHeight { get; init; } = 1;

    /// <summary>Horizontal offset of the crop window's centre from the image centre, as a fraction of the width.</summary>
    public double CropCenterX { get; init; }

    /// <summary>Vertical offset of the crop window's centre from the image centre, as a fraction of the height.</summary>
    public double CropCenterY { get; init; }

    /// <summary>
    /// The 2×3 matrix θ (row-major, 6 values) mapping normalised output coordinates to normalised input coordinates, as
    /// <c>affine_grid</c> with <c>align_corners=false</c> expects, for an image of the given size.
    /// </summary>
    /// <exception cref="ArgumentException">The size is not positive or the transform is singular (zoom or crop size 0).</exception>
    public double[] SamplingMatrix(int width, int height)
    {
        if (width <= 0 || height <= 0) throw new ArgumentException($"image size must be positive, got {width}×{height}");
        if (Zoom <= 0 || CropWidth <= 0 || CropHeight <= 0)
            throw new ArgumentException($"zoom and crop size must be positive, got zoom {Zoom}, crop {CropWidth}×{CropHeight}");

        // Work in pixel units centred on the image (x right, y down) so rotation and shear keep their angles on
        // non-square images. Forward content map: q = T + A·p with A = R·Sh·Z·Fl; sampling needs p = A⁻¹(q − T).
        var r = Rotation * Math.PI / 180;
        double cos = Math.Cos(r), sin = Math.Sin(r);
        var tanShear = Math.Tan(Shear * Math.PI / 180);
        var fx = FlipHorizontal ? -Zoom : Zoom;
        var fy = FlipVertical ? -Zoom : Zoom;
        // R = [[cos, sin], [−sin, cos]] (counter-clockwise on screen with y down), Sh = [[1, tan], [0, 1]], Z·Fl = diag(fx, fy).
        var a00 = cos * fx;
        var a01 = (cos * tanShear + sin) * fy;
        var a10 = -sin * fx;
        var a11 = (-sin * tanShear + cos) * fy;
        var det = a00 * a11 - a01 * a10;
        double i00 = a11 / det, i01 = -a01 / det, i10 = -a10 / det, i11 = a00 / det;

        // Then the crop: the output frame shows the window, so the source point is C + D·p with D = diag(cw, ch).
        var m00 = CropWidth * i00;
        var m01 = CropWidth * i01;
        var m10 = CropHeight * i10;
        var m11 = CropHeight * i11;
        double tx = ShiftX * width, ty = ShiftY * height;
        var bx = CropCenterX * width - (m00 * tx + m01 * ty);
        var by = CropCenterY * height - (m10 * tx + m11 * ty);

        // Normalised coordinates: x_n = 2x/W, y_n = 2y/H (centred pixel units, align_corners=false).
        return new[]
        {
            m00, m01 * height / width, bx * 2 / width,
            m10 * width / height, m11, by * 2 / height,
        };
    }
}
