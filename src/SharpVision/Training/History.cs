using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SharpVision.Training;

/// <summary>Every metric of every completed epoch (Keras' History): loss, accuracy, val_loss, val_accuracy, lr, ...</summary>
public sealed class History
{
    private readonly List<Dictionary<string, double>> epochs = new();

    /// <summary>Number of completed epochs.</summary>
    public int Count => epochs.Count;

    /// <summary>The metrics of epoch <paramref name="index"/> (0-based).</summary>
    public IReadOnlyDictionary<string, double> this[int index] => epochs[index];

    /// <summary>All epochs in order.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, double>> Epochs => epochs;

    /// <summary>Every metric name seen, in first-seen order.</summary>
    public IReadOnlyList<string> MetricNames => epochs.SelectMany(e => e.Keys).Distinct().ToList();

    /// <summary>Appends an epoch's metrics.</summary>
    public void Add(IReadOnlyDictionary<string, double> metrics) => epochs.Add(new Dictionary<string, double>(metrics));

    /// <summary>Sets (or adds) one metric of an already recorded epoch, e.g. a callback's annotation of it.</summary>
    public void Set(int epoch, string metric, double value) => epochs[epoch][metric] = value;

    /// <summary>One metric across epochs (NaN where an epoch lacks it).</summary>
    public double[] Series(string metric) => epochs.Select(e => e.TryGetValue(metric, out var v) ? v : double.NaN).ToArray();

    /// <summary>Every metric as a series, for charts.</summary>
    public Dictionary<string, double[]> AllSeries() => MetricNames.ToDictionary(m => m, Series);

    /// <summary>Drops epochs after <paramref name="count"/> (used when resuming).</summary>
    public void Truncate(int count)
    {
        if (count < epochs.Count) epochs.RemoveRange(count, epochs.Count - count);
    }

    /// <summary>The history as CSV: a header "epoch,metric1,..." and one row per epoch.</summary>
    public string ToCsv()
    {
        var names = MetricNames;
        var sb = new StringBuilder("epoch");
        foreach (var n in names) sb.Append(',').Append(n);
        sb.Append('\n');
        for (var i = 0; i < epochs.Count; i++)
        {
            sb.Append(i + 1);
            foreach (var n in names)
            {
                sb.Append(',');
                if (epochs[i].TryGetValue(n, out var v)) sb.Append(v.ToString("G9", CultureInfo.InvariantCulture));
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Parses CSV written by <see cref="ToCsv"/>.</summary>
    public static History FromCsv(string csv, string source = "history.csv")
    {
        var h = new History();
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length == 0) return h;
        var header = lines[0].Split(',');
        if (header[0] != "epoch") throw new InvalidDataException($"{source}: the first column must be 'epoch'");
        for (var r = 1; r < lines.Length; r++)
        {
            var cells = lines[r].Split(',');
            var d = new Dictionary<string, double>();
            for (var c = 1; c < header.Length && c < cells.Length; c++)
            {
                if (cells[c].Length == 0) continue;
                if (!double.TryParse(cells[c], NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
                    throw new InvalidDataException($"{source}: line {r + 1}, column '{header[c]}' is not a number: '{cells[c]}'");
                d[header[c]] = v;
            }
            h.Add(d);
        }
        return h;
    }

    /// <summary>JSON form (for checkpoints).</summary>
    public string ToJson() => JsonSerializer.Serialize(epochs.Select(e => e.ToDictionary(kv => kv.Key, kv => double.IsFinite(kv.Value) ? kv.Value : (double?)null)));

    /// <summary>Parses <see cref="ToJson"/>.</summary>
    public static History FromJson(string json)
    {
        var h = new History();
        var list = JsonSerializer.Deserialize<List<Dictionary<string, double?>>>(json) ?? new();
        foreach (var e in list) h.Add(e.ToDictionary(kv => kv.Key, kv => kv.Value ?? double.NaN));
        return h;
    }
}
