using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using SharpVision.Imaging;
using SharpVision.Models;
using SharpVision.Reports;
using SharpVision.Reports.Charts;

namespace SharpVision.Evaluation;

/// <summary>The "Unknown items" part of an evaluation: a text summary, the score histograms and the HTML section.</summary>
public static class UnknownReport
{
    /// <summary>The figure file of <paramref name="kind"/>'s histogram.</summary>
    public static string FigureName(UnknownScoreKind kind) => $"unknown_{UnknownScoreNames.Name(kind).Replace('-', '_')}.png";

    /// <summary>Known and unknown scores of one score over shared bins, with the threshold as a dashed line.</summary>
    public static RgbImage Histogram(UnknownScoreStats stats, bool chosen)
    {
        ArgumentNullException.ThrowIfNull(stats);
        var all = stats.KnownScores.Concat(stats.UnknownScores).Append(stats.Threshold).Where(double.IsFinite).ToList();
        var min = all.Count == 0 ? 0 : all.Min();
        var max = all.Count == 0 ? 1 : all.Max();
        if (!(max > min)) max = min + 1;
        var pad = (max - min) * 0.02;
        var name = UnknownScoreNames.Name(stats.Kind);
        return Reports.Charts.Histogram.Render(
            [new HistogramSeries("known (classes of the model)", stats.KnownScores, Color.Correct), new HistogramSeries("unknown (none of the classes)", stats.UnknownScores, Color.Wrong)],
            30, min - pad, max + pad,
            new ChartOptions { Width = 620, Height = 360, Title = $"{name} score{(chosen ? " (used by the model)" : "")}", XLabel = $"{name} score (higher = less like any class)", YLabel = "images" },
            [(stats.Threshold, string.Create(CultureInfo.InvariantCulture, $"threshold {stats.Threshold:0.###}"))]);
    }

    /// <summary>A plain-text table of every score: AUROC, false accepts, known and correct items accepted.</summary>
    public static string ToText(UnknownEvaluation e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(inv, $"Unknown items: {e.KnownCount} known, {e.UnknownCount} unknown; thresholds keep {e.TargetAcceptance:P0} of correct validation predictions\n");
        sb.Append("  score         AUROC   false accepts   known accepted   correct accepted   threshold\n");
        foreach (var s in e.Scores)
            sb.Append(inv, $"  {UnknownScoreNames.Name(s.Kind),-12}  {Fmt(s.Auroc, "0.000"),5}   {Pct(s.FalseAcceptRate),13}   {Pct(s.KnownAcceptance),14}   {Pct(s.CorrectAcceptance),16}   {s.Threshold:0.###}{(s.Kind == e.Chosen ? "  ← used" : "")}\n");
        return sb.ToString();
    }

    /// <summary>The figures as JSON (unknown.json beside the report): every score's threshold, AUROC, acceptance shares and raw scores.</summary>
    public static string ToJson(UnknownEvaluation e)
    {
        ArgumentNullException.ThrowIfNull(e);
        static double? Finite(double v) => double.IsFinite(v) ? v : null;
        return JsonSerializer.Serialize(new
        {
            chosen = UnknownScoreNames.Name(e.Chosen),
            target_acceptance = e.TargetAcceptance,
            known_items = e.KnownCount,
            unknown_items = e.UnknownCount,
            scores = e.Scores.Select(s => new
            {
                score = UnknownScoreNames.Name(s.Kind),
                threshold = s.Threshold,
                auroc = Finite(s.Auroc),
                false_accept_rate = Finite(s.FalseAcceptRate),
                known_accepted = s.KnownAcceptance,
                correct_accepted = Finite(s.CorrectAcceptance),
                known_scores = s.KnownScores,
                unknown_scores = s.UnknownScores,
            }),
        }, new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>The HTML section (id "unknown"); figures are inlined from <paramref name="images"/> by <see cref="FigureName"/>.</summary>
    public static string ToHtml(UnknownEvaluation e, IReadOnlyDictionary<string, byte[]> images)
    {
        ArgumentNullException.ThrowIfNull(e);
        var inv = CultureInfo.InvariantCulture;
        var h = new StringBuilder();
        var c = e.ChosenStats;
        h.Append("<section id=\"unknown\"><h2>Unknown items</h2><p>")
            .Append(inv, $"{e.KnownCount} images of the model's classes against {e.UnknownCount} images of none of them. ")
            .Append(inv, $"The model rejects with the <b>{UnknownScoreNames.Name(e.Chosen)}</b> score: above its threshold an image is answered \"unknown\". ")
            .Append(inv, $"Each threshold was chosen on validation data to keep {e.TargetAcceptance:P0} of the correctly classified images.</p><div class=\"cards\">");
        void Card(string k, string v) => h.Append("<div class=\"card\"><div class=\"v\">").Append(E(v)).Append("</div><div class=\"k\">").Append(E(k)).Append("</div></div>");
        Card("AUROC (known vs unknown)", Fmt(c.Auroc, "0.000"));
        Card("unknown items accepted (false accepts)", Pct(c.FalseAcceptRate));
        Card("known items accepted", Pct(c.KnownAcceptance));
        Card("correctly classified items accepted", Pct(c.CorrectAcceptance));
        h.Append("</div><table><thead><tr><th class=\"l\">score</th><th>AUROC</th><th>false accepts</th><th>known accepted</th><th>correct accepted</th><th>threshold</th></tr></thead><tbody>");
        foreach (var s in e.Scores)
            h.Append("<tr><td class=\"l\">").Append(E(UnknownScoreNames.Name(s.Kind))).Append(s.Kind == e.Chosen ? " <b>(used)</b>" : "").Append("</td>")
                .Append(inv, $"<td>{Fmt(s.Auroc, "0.000")}</td><td>{Pct(s.FalseAcceptRate)}</td><td>{Pct(s.KnownAcceptance)}</td><td>{Pct(s.CorrectAcceptance)}</td><td>{s.Threshold:0.###}</td></tr>");
        h.Append("</tbody></table><p class=\"muted\">AUROC is the probability that an unknown image scores above a known one (1 = perfect separation, 0.5 = chance). Every figure and score is in unknown.json.</p>");
        foreach (var s in e.Scores.OrderByDescending(s => s.Kind == e.Chosen))
        {
            if (!images.TryGetValue(FigureName(s.Kind), out var png)) continue;
            h.Append("<figure><img alt=\"").Append(E($"{UnknownScoreNames.Name(s.Kind)} score histogram")).Append("\" src=\"data:image/png;base64,")
                .Append(Convert.ToBase64String(png)).Append("\"></figure>\n");
        }
        h.Append("</section>\n");
        return h.ToString();
    }

    private static string Pct(double v) => double.IsNaN(v) ? "–" : (v * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static string Fmt(double v, string format) => double.IsNaN(v) ? "–" : v.ToString(format, CultureInfo.InvariantCulture);

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
