using System.Globalization;
using System.Text;
using SharpVision.Engine.IO;
using SharpVision.Imaging;
using SharpVision.Reports.Charts;

namespace SharpVision.Evaluation;

/// <summary>
/// Files of a label audit: <c>label-issues.csv</c> (every suspected issue, least likely label first),
/// <c>exclude.txt</c> (their files, one per line, for <c>train --exclude</c>) and <c>label-issues.png</c> (thumbnails of
/// the top issues with the given and the suggested class).
/// </summary>
public static class LabelAuditReport
{
    /// <summary>Writes the files into <paramref name="directory"/> (created if needed) and returns their paths.</summary>
    /// <param name="directory">Output folder.</param>
    /// <param name="result">The audit.</param>
    /// <param name="loadImage">Loads an image by dataset index for the gallery (a failure leaves that tile empty).</param>
    /// <param name="galleryItems">How many issues the gallery shows.</param>
    public static IReadOnlyList<string> Write(string directory, LabelAuditResult result, Func<int, RgbImage?> loadImage, int galleryItems = 36)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(loadImage);
        Directory.CreateDirectory(directory);
        var csv = new StringBuilder("rank,file,given,suggested,p_given,p_suggested\n");
        var rank = 0;
        foreach (var issue in result.Issues)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{++rank},{Reports.CsvText.Quote(issue.Name)},{result.ClassNames[issue.GivenLabel]},{result.ClassNames[issue.SuggestedLabel]},");
            csv.Append(CultureInfo.InvariantCulture, $"{issue.GivenProbability:0.0000},{issue.SuggestedProbability:0.0000}\n");
        }
        var csvPath = Path.Combine(directory, "label-issues.csv");
        AtomicFile.WriteAllText(csvPath, csv.ToString());
        var excludePath = Path.Combine(directory, "exclude.txt");
        AtomicFile.WriteAllText(excludePath, string.Concat(result.Issues.Select(i => i.Name + "\n")));

        var items = result.Issues.Take(Math.Max(0, galleryItems)).Select(issue => new GalleryItem(
            EvaluationFigures.TryLoad(loadImage, issue.Index),
            new[]
            {
                "label: " + result.ClassNames[issue.GivenLabel],
                "looks: " + result.ClassNames[issue.SuggestedLabel],
                string.Create(CultureInfo.InvariantCulture, $"p={issue.GivenProbability:0.00}/{issue.SuggestedProbability:0.00}"),
            },
            Color.Wrong,
            new[] { Color.Ink, Color.Wrong, Color.Gray })).ToList();
        var pngPath = Path.Combine(directory, "label-issues.png");
        var title = string.Create(CultureInfo.InvariantCulture, $"Suspected label issues: {result.Issues.Count} of {result.Labels.Count} images (top {items.Count})");
        AtomicFile.WriteAllBytes(pngPath, PngEncoder.Encode(ImageGallery.Render(items, 6, 96, title)));
        return new[] { csvPath, excludePath, pngPath };
    }

}
