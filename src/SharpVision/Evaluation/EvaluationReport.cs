using System.Globalization;
using System.Net;
using System.Text;
using SharpVision.Engine.IO;
using SharpVision.Imaging;
using SharpVision.Reports;
using SharpVision.Reports.Charts;

namespace SharpVision.Evaluation;

/// <summary>
/// Writes an evaluation as a folder a person can read: report.html (self-contained — images inlined as data: URIs,
/// inline CSS, no scripts or external resources), metrics.json and the figures as PNG files.
/// </summary>
public static class EvaluationReport
{
    /// <summary>The section ids of report.html in page order (optional ones appear only when their data is given).</summary>
    public static IReadOnlyList<string> SectionIds { get; } =
        ["summary", "per-class", "confusion-matrix", "most-confused", "confidence", "calibration", "top-losses", "tta", "learning-curves", "comparison", "unknown"];

    /// <summary>Writes report.html, metrics.json and the PNGs into <paramref name="directory"/> (created if needed).</summary>
    public static EvaluationReportFiles Write(string directory, EvaluationResult result, EvaluationReportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(result);
        options ??= new EvaluationReportOptions();
        if (result.Count == 0 || result.ClassNames.Count == 0) throw new ArgumentException("the evaluation result is empty (no items or classes)", nameof(result));
        if (options.GalleryCount < 0 || options.TableRows < 0) throw new ArgumentException("GalleryCount and TableRows must be ≥ 0");
        if (options.Tta is { } t && t.Predicted.Length != result.Count)
            throw new ArgumentException($"TTA result covers {t.Predicted.Length} items, the evaluation {result.Count}", nameof(options));
        Directory.CreateDirectory(directory);

        var images = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        void Figure(string name, RgbImage image) => images[name] = PngEncoder.Encode(image);

        Figure("confusion_matrix.png", ConfusionMatrixChart.Render(result.Confusion));
        Figure("per_class_accuracy.png", EvaluationFigures.PerClassAccuracy(result));
        Figure("reliability.png", ReliabilityDiagram.Render(result.Calibration));
        Figure("confidence_histogram.png", EvaluationFigures.ConfidenceHistogram(result));
        if (options.LoadImage is { } load && options.GalleryCount > 0)
        {
            foreach (var q in result.Confidence.Quadrants)
                Figure($"gallery_{q.Name}.png", EvaluationFigures.Gallery(result, q.Indices.Take(options.GalleryCount).ToList(), load,
                    $"{QuadrantTitle(q)} ({q.Count})", options.ThumbnailSize));
            Figure("top_losses.png", EvaluationFigures.Gallery(result, result.TopLosses.Take(options.GalleryCount).Select(x => x.Index).ToList(), load,
                "Top losses", options.ThumbnailSize));
            Figure("least_confident_correct.png", EvaluationFigures.Gallery(result, result.LeastConfidentCorrect.Take(options.GalleryCount).Select(x => x.Index).ToList(), load,
                "Least confident correct predictions", options.ThumbnailSize));
        }
        if (options.Tta is { } tta) Figure("tta_spread.png", EvaluationFigures.TtaSpread(tta));
        if (options.History is { Count: > 0 } history) Figure("learning_curves.png", LearningCurves.Render(history));
        if (options.LearningRateFinder is { } finder) Figure("lr_find.png", finder.Render());
        if (options.Unknown is { } unknown)
            foreach (var stats in unknown.Scores) Figure(UnknownReport.FigureName(stats.Kind), UnknownReport.Histogram(stats, stats.Kind == unknown.Chosen));

        foreach (var (name, bytes) in images) AtomicFile.WriteAllBytes(Path.Combine(directory, name), bytes);
        var metricsPath = Path.Combine(directory, "metrics.json");
        MetricsJson.Save(new MetricsDocument { Title = options.Title, Evaluation = result, Tta = options.Tta?.Summary, Comparison = options.Comparison }, metricsPath);
        if (options.Unknown is { } unknownItems) AtomicFile.WriteAllText(Path.Combine(directory, "unknown.json"), UnknownReport.ToJson(unknownItems));
        var htmlPath = Path.Combine(directory, "report.html");
        AtomicFile.WriteAllText(htmlPath, Html(result, options, images));
        return new EvaluationReportFiles(directory, htmlPath, metricsPath, images.Keys.ToList());
    }

    private static string Html(EvaluationResult r, EvaluationReportOptions o, IReadOnlyDictionary<string, byte[]> images)
    {
        var h = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        string Pct(double v) => (v * 100).ToString("0.00", inv) + "%";
        string Num(double v, string f = "0.0000") => v.ToString(f, inv);
        void Img(string name, string alt, string caption = "")
        {
            if (!images.TryGetValue(name, out var png)) return;
            h.Append("<figure><img alt=\"").Append(E(alt)).Append("\" src=\"data:image/png;base64,").Append(Convert.ToBase64String(png)).Append("\">");
            if (caption.Length > 0) h.Append("<figcaption>").Append(E(caption)).Append("</figcaption>");
            h.Append("</figure>\n");
        }

        var sections = new List<(string Id, string Title)>
        {
            ("summary", "Summary"), ("per-class", "Per class"), ("confusion-matrix", "Confusion matrix"), ("most-confused", "Most confused"),
            ("confidence", "Confidence"), ("calibration", "Calibration"), ("top-losses", "Top losses"),
        };
        if (o.Tta is not null) sections.Add(("tta", "Test-time augmentation"));
        if (o.History is { Count: > 0 }) sections.Add(("learning-curves", "Learning curves"));
        if (o.TrainingHealth is not null || o.LearningRateFinder is not null) sections.Add(("training-health", "Training health"));
        if (o.Comparison is not null) sections.Add(("comparison", "Model comparison"));
        if (o.Unknown is not null) sections.Add(("unknown", "Unknown items"));

        h.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        h.Append("<title>").Append(E(o.Title)).Append("</title><style>").Append(ReportStyle.Css).Append("</style></head><body>\n");
        h.Append("<header><h1>").Append(E(o.Title)).Append("</h1><p>")
            .Append(inv, $"{r.Count} items · {r.ClassNames.Count} classes · accuracy {Pct(r.Accuracy)}").Append("</p></header>\n<nav>");
        foreach (var (id, title) in sections) h.Append("<a href=\"#").Append(id).Append("\">").Append(E(title)).Append("</a>");
        h.Append("</nav>\n<main>\n");

        // Summary
        h.Append("<section id=\"summary\"><h2>Summary</h2><div class=\"cards\">");
        void Card(string k, string v) => h.Append("<div class=\"card\"><div class=\"v\">").Append(E(v)).Append("</div><div class=\"k\">").Append(E(k)).Append("</div></div>");
        Card("accuracy (top-1)", Pct(r.Accuracy));
        Card($"top-{r.TopK} accuracy", Pct(r.TopKAccuracy));
        Card("macro F1", Num(r.MacroAverage.F1));
        Card("loss (mean NLL)", Num(r.Loss));
        Card("calibration error (ECE)", Num(r.Calibration.ExpectedCalibrationError));
        Card("items", r.Count.ToString(inv));
        h.Append("</div>");
        if (o.Details is { Count: > 0 } details)
        {
            h.Append("<dl class=\"details\">");
            foreach (var (k, v) in details) h.Append("<dt>").Append(E(k)).Append("</dt><dd>").Append(E(v)).Append("</dd>");
            h.Append("</dl>");
        }
        h.Append("<p class=\"muted\">Accuracy is the share of items whose most probable class is the true one; top-")
            .Append(r.TopK).Append(" counts the true class anywhere among the ").Append(r.TopK)
            .Append(" most probable. Loss is the mean negative log-probability of the true class. The calibration error says how far confidence is from accuracy (0 = a model that says 80% is right 80% of the time).</p></section>\n");

        // Per class
        h.Append("<section id=\"per-class\"><h2>Per class</h2><table><thead><tr><th class=\"l\">class</th><th>support</th><th>predicted</th><th>correct</th>")
            .Append("<th class=\"l\">accuracy (recall)</th><th>precision</th><th>F1</th></tr></thead><tbody>");
        var worst = r.Classes.Where(c => c.Support > 0).OrderBy(c => c.Accuracy).FirstOrDefault()?.Index ?? -1;
        foreach (var c in r.Classes)
        {
            h.Append("<tr><td class=\"l\">").Append(E(c.Name)).Append(c.Index == worst && r.Classes.Length > 1 ? " <span class=\"bad\">(weakest)</span>" : "").Append("</td>")
                .Append(inv, $"<td>{c.Support}</td><td>{c.PredictedCount}</td><td>{c.Correct}</td>");
            if (c.Support == 0)
            {
                // No images of this class here: recall and F1 are undefined (and left out of the macro average).
                h.Append(inv, $"<td class=\"l\">n/a</td><td>{Num(c.Precision, "0.000")}</td><td>n/a</td></tr>");
                continue;
            }
            h.Append(inv, $"<td class=\"l\"><span class=\"bar\" style=\"width:{Math.Round(c.Accuracy * 120)}px\"></span>{Pct(c.Accuracy)}</td>")
                .Append(inv, $"<td>{Num(c.Precision, "0.000")}</td><td>{Num(c.F1, "0.000")}</td></tr>");
        }
        h.Append(inv, $"<tr class=\"avg\"><td class=\"l\">macro average</td><td>{r.Count}</td><td></td><td></td><td class=\"l\">{Pct(r.MacroAverage.Recall)}</td><td>{Num(r.MacroAverage.Precision, "0.000")}</td><td>{Num(r.MacroAverage.F1, "0.000")}</td></tr>");
        h.Append(inv, $"<tr class=\"avg\"><td class=\"l\">weighted average</td><td>{r.Count}</td><td></td><td></td><td class=\"l\">{Pct(r.WeightedAverage.Recall)}</td><td>{Num(r.WeightedAverage.Precision, "0.000")}</td><td>{Num(r.WeightedAverage.F1, "0.000")}</td></tr>");
        h.Append("</tbody></table>");
        Img("per_class_accuracy.png", "per-class accuracy bar chart");
        h.Append("</section>\n");

        // Confusion matrix
        h.Append("<section id=\"confusion-matrix\"><h2>Confusion matrix</h2><p class=\"muted\">Rows are the true class, columns the prediction. Cells show counts; colour is the share of the row, so the diagonal is each class's accuracy.</p>");
        Img("confusion_matrix.png", "confusion matrix");
        h.Append("</section>\n");

        // Most confused
        h.Append("<section id=\"most-confused\"><h2>Most confused</h2>");
        if (r.MostConfused.Length == 0) h.Append("<p>No item was confused with another class.</p>");
        else
        {
            h.Append("<table><thead><tr><th class=\"l\">actual</th><th class=\"l\">predicted as</th><th>count</th><th>share of actual class</th></tr></thead><tbody>");
            foreach (var p in r.MostConfused.Take(o.TableRows))
            {
                var support = r.Classes[p.ActualIndex].Support;
                h.Append("<tr><td class=\"l\">").Append(E(p.Actual)).Append("</td><td class=\"l\">").Append(E(p.Predicted)).Append("</td>")
                    .Append(inv, $"<td>{p.Count}</td><td>{Pct(support == 0 ? 0 : (double)p.Count / support)}</td></tr>");
            }
            h.Append("</tbody></table>");
            if (r.MostConfused.Length > o.TableRows) h.Append(inv, $"<p class=\"muted\">{r.MostConfused.Length - o.TableRows} more pairs in metrics.json.</p>");
        }
        h.Append("</section>\n");

        // Confidence
        var conf = r.Confidence;
        h.Append("<section id=\"confidence\"><h2>Confidence</h2><p>")
            .Append(inv, $"Mean confidence: <b>{Num(conf.MeanConfidence, "0.000")}</b> overall, ")
            .Append("<b class=\"good\">").Append(conf.MeanConfidenceCorrect is { } mc ? Num(mc, "0.000") : "–").Append("</b> when right, ")
            .Append("<b class=\"bad\">").Append(conf.MeanConfidenceWrong is { } mw ? Num(mw, "0.000") : "–").Append("</b> when wrong. ")
            .Append(inv, $"Confident means a top-class probability ≥ {Num(conf.Threshold, "0.00")}.</p>");
        h.Append("<div class=\"quad\"><div class=\"h\"></div><div class=\"h\">confident</div><div class=\"h\">unsure</div>");
        foreach (var correct in new[] { true, false })
        {
            h.Append("<div class=\"h ").Append(correct ? "good" : "bad").Append("\">").Append(correct ? "correct" : "wrong").Append("</div>");
            foreach (var confident in new[] { true, false })
            {
                var q = conf.Quadrant(correct, confident);
                h.Append(inv, $"<div><b>{q.Count}</b> <span class=\"muted\">({Pct(q.Fraction)})</span></div>");
            }
        }
        h.Append("</div>");
        Img("confidence_histogram.png", "confidence histogram");
        foreach (var q in conf.Quadrants)
            Img($"gallery_{q.Name}.png", QuadrantTitle(q), $"{QuadrantTitle(q)}: " + (q.Count > o.GalleryCount ? $"first {o.GalleryCount} of {q.Count}, most confident first" : "most confident first"));
        h.Append("</section>\n");

        // Calibration
        var cal = r.Calibration;
        h.Append("<section id=\"calibration\"><h2>Calibration</h2><p>")
            .Append(inv, $"Expected calibration error <b>{Num(cal.ExpectedCalibrationError)}</b>, maximum calibration error {Num(cal.MaxCalibrationError)} over {cal.Bins.Length} confidence bins. ")
            .Append("Bars below the diagonal mean the model is over-confident in that range.</p>");
        Img("reliability.png", "reliability diagram");
        h.Append("<details><summary>bins</summary><table><thead><tr><th>confidence</th><th>items</th><th>mean confidence</th><th>accuracy</th><th>gap</th></tr></thead><tbody>");
        foreach (var b in cal.Bins.Where(b => b.Count > 0))
            h.Append(inv, $"<tr><td>{Num(b.Lower, "0.00")}–{Num(b.Upper, "0.00")}</td><td>{b.Count}</td><td>{Num(b.MeanConfidence, "0.000")}</td><td>{Num(b.Accuracy, "0.000")}</td><td>{Num(b.Gap, "+0.000;-0.000;0.000")}</td></tr>");
        h.Append("</tbody></table></details></section>\n");

        // Top losses
        h.Append("<section id=\"top-losses\"><h2>Top losses</h2><p class=\"muted\">The items the model got most wrong (highest loss = lowest probability on the true class).</p>");
        ItemTable(h, r.TopLosses.Take(o.TableRows));
        Img("top_losses.png", "top losses");
        if (r.LeastConfidentCorrect.Length > 0)
        {
            h.Append("<h3>Least confident correct predictions</h3>");
            ItemTable(h, r.LeastConfidentCorrect.Take(Math.Min(o.TableRows, 10)));
            Img("least_confident_correct.png", "least confident correct predictions");
        }
        h.Append("</section>\n");

        if (o.Tta is { } tta)
        {
            var s = tta.Summary;
            h.Append("<section id=\"tta\"><h2>Test-time augmentation</h2><p>")
                .Append(inv, $"{s.Passes} augmented passes per item, probabilities averaged. ");
            if (s.Accuracy is { } acc)
                h.Append(inv, $"Accuracy of the averaged prediction <b>{Pct(acc)}</b> (single passes: mean {Pct(s.MeanPassAccuracy ?? 0)}). ");
            h.Append("</p><div class=\"cards\">");
            Card("mean confidence spread (std)", Num(s.MeanConfidenceStd));
            Card("median spread", Num(s.MedianConfidenceStd));
            Card("90th percentile spread", Num(s.P90ConfidenceStd));
            Card("mean agreement of passes", Pct(s.MeanAgreement));
            Card("items all passes agree on", Pct(s.FullAgreementFraction));
            h.Append("</div>");
            Img("tta_spread.png", "TTA spread histogram", "How much the predicted class's probability moves between augmented views of the same image: small = certain.");
            h.Append("</section>\n");
        }
        if (o.History is { Count: > 0 })
        {
            h.Append("<section id=\"learning-curves\"><h2>Learning curves</h2><p class=\"muted\">Training (solid) against validation (dashed) per epoch: a widening gap is over-fitting.</p>");
            Img("learning_curves.png", "learning curves");
            h.Append("</section>\n");
        }
        if (o.TrainingHealth is not null || o.LearningRateFinder is not null) TrainingHealthSection(h, o, Img);
        if (o.Comparison is { } cmp)
        {
            var k = cmp.Rows.FirstOrDefault()?.TopK ?? r.TopK;
            h.Append("<section id=\"comparison\"><h2>Model comparison</h2><table><thead><tr><th class=\"l\">model</th><th>accuracy</th>")
                .Append(inv, $"<th>top-{k}</th><th>macro F1</th><th>ECE</th><th>loss</th>");
            foreach (var c in cmp.ClassNames) h.Append("<th>").Append(E(c)).Append("</th>");
            h.Append("<th>vs first (+/−)</th><th>McNemar p</th></tr></thead><tbody>");
            var best = cmp.Rows.Length == 0 ? 0 : cmp.Rows.Max(x => x.Accuracy);
            foreach (var row in cmp.Rows)
            {
                h.Append("<tr><td class=\"l\">").Append(E(row.Name)).Append("</td>")
                    .Append(row.Accuracy == best ? "<td><b>" + Pct(row.Accuracy) + "</b></td>" : "<td>" + Pct(row.Accuracy) + "</td>")
                    .Append(inv, $"<td>{Pct(row.TopKAccuracy)}</td><td>{Num(row.MacroF1)}</td><td>{Num(row.Ece)}</td><td>{Num(row.Loss)}</td>");
                foreach (var a in row.PerClassAccuracy) h.Append("<td>").Append(Pct(a)).Append("</td>");
                h.Append(row.VersusFirst is { } v
                    ? string.Create(inv, $"<td>+{v.OnlyThisRight}/−{v.OnlyFirstRight}</td><td>{ModelComparison.FormatP(v.PValue)}</td>")
                    : "<td>—</td><td>—</td>");
                h.Append("</tr>");
            }
            h.Append("</tbody></table><p class=\"muted\">+/−: images only this model / only the first model gets right; McNemar's exact test on them asks whether the difference is more than chance.</p></section>\n");
        }
        if (o.Unknown is { } unknownItems) h.Append(UnknownReport.ToHtml(unknownItems, images));
        h.Append("<p class=\"muted\">All numbers are in metrics.json beside this page.</p></main></body></html>\n");
        return h.ToString();
    }

    private static void ItemTable(StringBuilder h, IEnumerable<ItemPrediction> items)
    {
        var inv = CultureInfo.InvariantCulture;
        h.Append("<table><thead><tr><th>#</th><th class=\"l\">item</th><th class=\"l\">actual</th><th class=\"l\">predicted</th><th>confidence</th><th>p(actual)</th><th>loss</th></tr></thead><tbody>");
        foreach (var it in items)
            h.Append(inv, $"<tr><td>{it.Index}</td><td class=\"l\" title=\"{E(it.Name)}\"><code>{E(ShortName(it.Name))}</code></td>")
                .Append("<td class=\"l\">").Append(E(it.LabelName)).Append("</td><td class=\"l ").Append(it.Correct ? "good" : "bad").Append("\">").Append(E(it.PredictedName)).Append("</td>")
                .Append(inv, $"<td>{it.Confidence:0.000}</td><td>{it.TrueClassProbability:0.000}</td><td>{it.Loss:0.000}</td></tr>");
        h.Append("</tbody></table>");
    }

    private static string QuadrantTitle(ConfidenceQuadrant q) => (q.Confident ? "Confident" : "Unsure") + " and " + (q.Correct ? "correct" : "wrong");

    /// <summary>The last two path parts ("class/file.jpg") — enough to find the file, short enough for a table.</summary>
    private static string ShortName(string path)
    {
        var parts = path.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length <= 2 ? path : string.Join('/', parts[^2..]);
    }

    private static void TrainingHealthSection(StringBuilder h, EvaluationReportOptions o, Action<string, string, string> img)
    {
        h.Append("<section id=\"training-health\"><h2>Training health</h2>");
        if (o.TrainingHealth is { } findings)
        {
            if (findings.Count == 0) h.Append("<p>The health monitor found nothing wrong during training (stuck loss, NaN, dead ReLUs, exploding or vanishing gradients, over-fitting, plateau).</p>");
            else
            {
                h.Append("<p class=\"muted\">What the health monitor saw during training, and what to do about it.</p><table><thead><tr><th>epoch</th><th class=\"l\">check</th>")
                    .Append("<th class=\"l\">layer</th><th class=\"l\">evidence</th><th class=\"l\">advice</th></tr></thead><tbody>");
                foreach (var f in findings)
                    h.Append(CultureInfo.InvariantCulture, $"<tr><td>{f.Epoch}</td><td class=\"l\">{E(f.Check.ToString())}</td><td class=\"l\">{E(f.Layer ?? "—")}</td>")
                        .Append(CultureInfo.InvariantCulture, $"<td class=\"l\">{E(f.Evidence)}</td><td class=\"l\">{E(f.Advice)}</td></tr>");
                h.Append("</tbody></table>");
            }
        }
        if (o.LearningRateFinder is { } finder)
            img("lr_find.png", "learning-rate finder", finder.Describe());
        h.Append("</section>\n");
    }

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
