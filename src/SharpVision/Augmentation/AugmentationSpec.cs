using System.Globalization;
using SharpVision.Engine;

namespace SharpVision.Augmentation;

/// <summary>
/// Every training-time augmentation setting (Keras ImageDataGenerator parity plus random resized crop, colour jitter,
/// noise, random erasing, MixUp and CutMix). The default instance has everything off. The compact CLI form is parsed by
/// <see cref="Parse"/> and written back by <see cref="ToString"/>, e.g.
/// <c>"flip=h,rotate=30,shift=0.1,zoom=0.1,brightness=0.75:1.25,fill=reflect"</c>.
/// </summary>
public sealed record AugmentationSpec
{
    /// <summary>The keys <see cref="Parse"/> accepts, in the order <see cref="ToString"/> writes them.</summary>
    public static IReadOnlyList<string> ValidKeys { get; } = new[]
    {
        "flip", "rotate", "shift", "width_shift", "height_shift", "zoom", "shear", "crop", "crop_ratio", "fill", "fill_value",
        "interp", "brightness", "channel_shift", "jitter", "hue", "noise", "erase", "mixup", "cutmix",
    };

    /// <summary>The preset names <see cref="Parse"/> and <see cref="Preset"/> accept.</summary>
    public static IReadOnlyList<string> PresetNames { get; } = new[] { "none", "light", "case-study", "strong" };

    /// <summary>Nothing enabled.</summary>
    public static AugmentationSpec None { get; } = new();

    /// <summary>Mild geometry: horizontal flip, ±10° rotation, 5 % shift, 5 % zoom.</summary>
    public static AugmentationSpec Light { get; } = new()
    {
        FlipHorizontal = true, Rotation = 10, WidthShift = 0.05, HeightShift = 0.05, Zoom = new UniformRange(0.95, 1.05),
    };

    /// <summary>The textbook Keras setting: ±30° rotation, 10 % shift, 10 % zoom, horizontal flip, brightness 0.75–1.25.</summary>
    public static AugmentationSpec CaseStudy { get; } = new()
    {
        FlipHorizontal = true, Rotation = 30, WidthShift = 0.1, HeightShift = 0.1, Zoom = new UniformRange(0.9, 1.1),
        Brightness = new UniformRange(0.75, 1.25),
    };

    /// <summary>A modern recipe: random resized crop, flip, small rotation and shear, colour jitter, random erasing, MixUp and CutMix.</summary>
    public static AugmentationSpec Strong { get; } = new()
    {
        FlipHorizontal = true, Rotation = 15, Shear = 10, CropScale = new UniformRange(0.25, 1), Fill = FillMode.Reflect,
        Jitter = 0.3, Hue = 0.05, Erase = 0.25, MixUp = 0.2, CutMix = 1.0,
    };

    /// <summary>Flip left–right with probability ½ (key <c>flip=h</c>).</summary>
    public bool FlipHorizontal { get; init; }

    /// <summary>Flip top–bottom with probability ½ (key <c>flip=v</c>).</summary>
    public bool FlipVertical { get; init; }

    /// <summary>Maximum rotation in degrees; the angle is uniform in ±this (key <c>rotate</c>, 0–180).</summary>
    public double Rotation { get; init; }

    /// <summary>Maximum horizontal shift as a fraction of the width, uniform in ±this (keys <c>width_shift</c>, <c>shift</c>).</summary>
    public double WidthShift { get; init; }

    /// <summary>Maximum vertical shift as a fraction of the height, uniform in ±this (keys <c>height_shift</c>, <c>shift</c>).</summary>
    public double HeightShift { get; init; }

    /// <summary>
    /// Content scale factor range (1.1 = content 10 % larger); null = off (key <c>zoom</c>: "a:b", or z for 1−z:1+z).
    /// One factor per image for both axes, so the aspect ratio is kept.
    /// </summary>
    public UniformRange? Zoom { get; init; }

    /// <summary>Maximum shear angle in degrees, uniform in ±this (key <c>shear</c>, 0–80).</summary>
    public double Shear { get; init; }

    /// <summary>
    /// Random resized crop: fraction of the image area kept, drawn from this range, then resized back to the full size;
    /// null = off (key <c>crop</c>: "a:b", or a for a:1).
    /// </summary>
    public UniformRange? CropScale { get; init; }

    /// <summary>Aspect-ratio range (width/height) of the random resized crop, drawn log-uniformly (key <c>crop_ratio</c>).</summary>
    public UniformRange CropRatio { get; init; } = new(3.0 / 4.0, 4.0 / 3.0);

    /// <summary>How the geometric transforms fill the area they bring in (key <c>fill</c>: nearest, reflect, constant).</summary>
    public FillMode Fill { get; init; } = FillMode.Nearest;

    /// <summary>The fill value in [0, 1] for <see cref="FillMode.Constant"/> (key <c>fill_value</c>).</summary>
    public double FillValue { get; init; }

    /// <summary>Resampling of the geometric transforms (key <c>interp</c>: bilinear, nearest).</summary>
    public GridSampleMode Interpolation { get; init; } = GridSampleMode.Bilinear;

    /// <summary>Multiplicative brightness range, Keras semantics (key <c>brightness</c>: "0.75:1.25", or b for 1−b:1+b); null = off.</summary>
    public UniformRange? Brightness { get; init; }

    /// <summary>Maximum additive shift per channel, uniform in ±this, in [0, 1] pixel units (key <c>channel_shift</c>).</summary>
    public double ChannelShift { get; init; }

    /// <summary>
    /// Colour jitter strength j: brightness, contrast and saturation factors each uniform in [1−j, 1+j] (key <c>jitter</c>).
    /// </summary>
    public double Jitter { get; init; }

    /// <summary>Maximum hue rotation as a fraction of the colour wheel, uniform in ±this (key <c>hue</c>, 0–0.5).</summary>
    public double Hue { get; init; }

    /// <summary>Standard deviation of additive Gaussian noise (key <c>noise</c>).</summary>
    public double Noise { get; init; }

    /// <summary>Probability of random erasing (cutout) of one rectangle per image (key <c>erase</c>).</summary>
    public double Erase { get; init; }

    /// <summary>MixUp Beta(α, α) parameter; 0 = off (key <c>mixup</c>). Applied by <see cref="BatchMixer"/>.</summary>
    public double MixUp { get; init; }

    /// <summary>CutMix Beta(α, α) parameter; 0 = off (key <c>cutmix</c>). Applied by <see cref="BatchMixer"/>.</summary>
    public double CutMix { get; init; }

    /// <summary>True when any geometric transform (flip, rotation, shift, zoom, shear, crop) is enabled.</summary>
    public bool HasGeometry => FlipHorizontal || FlipVertical || Rotation > 0 || WidthShift > 0 || HeightShift > 0 ||
                               Zoom is { } z && (z.Low != 1 || z.High != 1) || Shear > 0 || CropScale is not null;

    /// <summary>True when any per-pixel colour or noise operation (brightness, channel shift, jitter, hue, noise, erasing) is enabled.</summary>
    public bool HasPhotometric => Brightness is { } b && (b.Low != 1 || b.High != 1) || ChannelShift > 0 || Jitter > 0 || Hue > 0 ||
                                  Noise > 0 || Erase > 0;

    /// <summary>True when MixUp or CutMix is enabled.</summary>
    public bool HasBatchMixing => MixUp > 0 || CutMix > 0;

    /// <summary>True when nothing at all is enabled.</summary>
    public bool IsIdentity => !HasGeometry && !HasPhotometric && !HasBatchMixing;

    /// <summary>A named preset: none, light, case-study or strong.</summary>
    /// <exception cref="ArgumentException">The name is not a preset; the message lists the presets.</exception>
    public static AugmentationSpec Preset(string name) => TryPreset(name.Trim(), out var spec)
        ? spec
        : throw new ArgumentException($"unknown augmentation preset '{name}'; presets: {string.Join(", ", PresetNames)}", nameof(name));

    /// <summary>
    /// Parses the compact form: comma-separated <c>key=value</c> items, optionally starting with a preset name whose
    /// settings the items then override (e.g. <c>"case-study,erase=0.25"</c>). Ranges are "a:b" or a single value.
    /// An empty string or "none" is the identity.
    /// </summary>
    /// <exception cref="FormatException">An unknown key or preset, or a bad value; the message names it and lists all valid keys.</exception>
    public static AugmentationSpec Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var result = None;
        var items = spec.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < items.Length; i++)
        {
            var item = items[i];
            var eq = item.IndexOf('=');
            if (eq < 0)
            {
                if (i == 0 && TryPreset(item, out var preset))
                {
                    result = preset;
                    continue;
                }
                throw Error($"'{item}' is neither key=value nor a preset{(i > 0 ? " (a preset may only come first)" : "")}");
            }
            var key = item[..eq].Trim().ToLowerInvariant();
            var value = item[(eq + 1)..].Trim();
            result = Apply(result, key, value);
        }
        return result;
    }

    /// <summary>The compact form (only settings that differ from the defaults, in <see cref="ValidKeys"/> order); "none" when nothing is set.</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        if (FlipHorizontal || FlipVertical) parts.Add("flip=" + (FlipHorizontal ? "h" : "") + (FlipVertical ? "v" : ""));
        if (Rotation != 0) parts.Add("rotate=" + F(Rotation));
        if (WidthShift != 0 && WidthShift == HeightShift) parts.Add("shift=" + F(WidthShift));
        else
        {
            if (WidthShift != 0) parts.Add("width_shift=" + F(WidthShift));
            if (HeightShift != 0) parts.Add("height_shift=" + F(HeightShift));
        }
        if (Zoom is { } zoom) parts.Add("zoom=" + zoom);
        if (Shear != 0) parts.Add("shear=" + F(Shear));
        if (CropScale is { } crop) parts.Add("crop=" + crop);
        if (CropRatio != None.CropRatio) parts.Add("crop_ratio=" + CropRatio);
        if (Fill != FillMode.Nearest) parts.Add("fill=" + Fill.ToString().ToLowerInvariant());
        if (FillValue != 0) parts.Add("fill_value=" + F(FillValue));
        if (Interpolation != GridSampleMode.Bilinear) parts.Add("interp=" + Interpolation.ToString().ToLowerInvariant());
        if (Brightness is { } brightness) parts.Add("brightness=" + brightness);
        if (ChannelShift != 0) parts.Add("channel_shift=" + F(ChannelShift));
        if (Jitter != 0) parts.Add("jitter=" + F(Jitter));
        if (Hue != 0) parts.Add("hue=" + F(Hue));
        if (Noise != 0) parts.Add("noise=" + F(Noise));
        if (Erase != 0) parts.Add("erase=" + F(Erase));
        if (MixUp != 0) parts.Add("mixup=" + F(MixUp));
        if (CutMix != 0) parts.Add("cutmix=" + F(CutMix));
        return parts.Count == 0 ? "none" : string.Join(",", parts);
    }

    private static bool TryPreset(string name, out AugmentationSpec spec)
    {
        spec = name.ToLowerInvariant() switch
        {
            "none" => None,
            "light" => Light,
            "case-study" or "case_study" or "casestudy" => CaseStudy,
            "strong" => Strong,
            _ => null!,
        };
        return spec is not null;
    }

    private static AugmentationSpec Apply(AugmentationSpec s, string key, string value) => key switch
    {
        "flip" => value.ToLowerInvariant() switch
        {
            "h" => s with { FlipHorizontal = true, FlipVertical = false },
            "v" => s with { FlipHorizontal = false, FlipVertical = true },
            "hv" or "vh" => s with { FlipHorizontal = true, FlipVertical = true },
            "none" or "off" => s with { FlipHorizontal = false, FlipVertical = false },
            _ => throw BadValue(key, value, "h, v, hv or none"),
        },
        "rotate" => s with { Rotation = Number(key, value, 0, 180) },
        "shift" => s with { WidthShift = Number(key, value, 0, 1), HeightShift = Number(key, value, 0, 1) },
        "width_shift" => s with { WidthShift = Number(key, value, 0, 1) },
        "height_shift" => s with { HeightShift = Number(key, value, 0, 1) },
        "zoom" => s with { Zoom = Range(key, value, single: z => CheckedRange(key, value, 1 - Bounded(key, value, z, 0, 0.99), 1 + z), min: 0.01, max: 100) },
        "shear" => s with { Shear = Number(key, value, 0, 80) },
        "crop" => s with { CropScale = Range(key, value, single: a => CheckedRange(key, value, a, 1), min: 1e-4, max: 1) },
        "crop_ratio" => s with
        {
            CropRatio = Range(key, value, single: r => CheckedRange(key, value, Math.Min(r, 1 / r), Math.Max(r, 1 / r)), min: 1e-3, max: 1e3),
        },
        "fill" => s with
        {
            Fill = value.ToLowerInvariant() switch
            {
                "nearest" => FillMode.Nearest,
                "reflect" => FillMode.Reflect,
                "constant" => FillMode.Constant,
                _ => throw BadValue(key, value, "nearest, reflect or constant"),
            },
        },
        "fill_value" => s with { FillValue = Number(key, value, 0, 1) },
        "interp" => s with
        {
            Interpolation = value.ToLowerInvariant() switch
            {
                "bilinear" => GridSampleMode.Bilinear,
                "nearest" => GridSampleMode.Nearest,
                _ => throw BadValue(key, value, "bilinear or nearest"),
            },
        },
        "brightness" => s with { Brightness = Range(key, value, single: b => CheckedRange(key, value, 1 - Bounded(key, value, b, 0, 1), 1 + b), min: 0, max: 10) },
        "channel_shift" => s with { ChannelShift = Number(key, value, 0, 1) },
        "jitter" => s with { Jitter = Number(key, value, 0, 1) },
        "hue" => s with { Hue = Number(key, value, 0, 0.5) },
        "noise" => s with { Noise = Number(key, value, 0, 1) },
        "erase" => s with { Erase = Number(key, value, 0, 1) },
        "mixup" => s with { MixUp = Number(key, value, 0, 100) },
        "cutmix" => s with { CutMix = Number(key, value, 0, 100) },
        _ => throw Error($"unknown key '{key}'"),
    };

    private static double Number(string key, string value, double min, double max)
    {
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
            throw BadValue(key, value, $"a number in [{F(min)}, {F(max)}]");
        return Bounded(key, value, v, min, max);
    }

    private static double Bounded(string key, string value, double v, double min, double max) =>
        v >= min && v <= max ? v : throw BadValue(key, value, $"a number in [{F(min)}, {F(max)}]");

    private static UniformRange Range(string key, string value, Func<double, UniformRange> single, double min, double max)
    {
        var colon = value.IndexOf(':');
        if (colon < 0) return single(Number(key, value, 0, max));
        var low = Number(key, value[..colon], min, max);
        var high = Number(key, value[(colon + 1)..], min, max);
        return CheckedRange(key, value, low, high);
    }

    private static UniformRange CheckedRange(string key, string value, double low, double high) =>
        low <= high ? new UniformRange(low, high) : throw BadValue(key, value, "a range low:high with low ≤ high");

    private static FormatException BadValue(string key, string value, string expected) =>
        Error($"bad value '{value}' for key '{key}': expected {expected}");

    private static FormatException Error(string what) => new(
        $"augmentation spec: {what}. Valid keys: {string.Join(", ", ValidKeys)}; presets (first item only): {string.Join(", ", PresetNames)}.");

    private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
