using System.Net;
using SharpVision.Imaging;

namespace SharpVision.Reports.TensorBoard;

/// <summary>
/// Writes a TensorBoard event file (<c>events.out.tfevents.&lt;unix-seconds&gt;.&lt;hostname&gt;.&lt;pid&gt;.sharpvision</c>)
/// into a log directory: scalars, PNG images and text. Every record is framed in memory and written with one call,
/// then handed to the operating system, so a killed process leaves only whole records behind (at worst a cut tail
/// record, which TensorBoard ignores). <see cref="Flush"/> and <see cref="Dispose"/> also force the data to disk.
/// Thread-safe.
/// </summary>
public sealed class TensorBoardWriter : IDisposable
{
    /// <summary>The file_version string of the first record.</summary>
    public const string FileVersion = "brain.Event:2";

    private readonly object gate = new();
    private FileStream? stream;

    /// <summary>Creates <paramref name="logDir"/> if needed and starts a new event file in it.</summary>
    /// <exception cref="ArgumentException">The path is empty.</exception>
    /// <exception cref="IOException">The directory or file cannot be created.</exception>
    public TensorBoardWriter(string logDir)
    {
        if (string.IsNullOrWhiteSpace(logDir)) throw new ArgumentException("the TensorBoard log directory must not be empty", nameof(logDir));
        LogDirectory = Path.GetFullPath(logDir);
        Directory.CreateDirectory(LogDirectory);
        var now = DateTimeOffset.UtcNow;
        var stem = $"events.out.tfevents.{now.ToUnixTimeSeconds()}.{SafeHostName()}.{Environment.ProcessId}";
        // Two writers started by one process in the same second would collide: number the later ones.
        for (var attempt = 0; ; attempt++)
        {
            var path = Path.Combine(LogDirectory, attempt == 0 ? $"{stem}.sharpvision" : $"{stem}.{attempt}.sharpvision");
            try
            {
                stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete, bufferSize: 1);
                FilePath = path;
                break;
            }
            catch (IOException) when (File.Exists(path) && attempt < 1000)
            {
            }
        }
        WriteRecord(EventEncoding.FileVersionEvent(ToWallTime(now), FileVersion));
    }

    /// <summary>The log directory (absolute).</summary>
    public string LogDirectory { get; }

    /// <summary>The event file being written.</summary>
    public string FilePath { get; }

    /// <summary>Logs a scalar (stored as a 32-bit float, as TensorBoard does).</summary>
    /// <param name="tag">Series name, e.g. "loss/train".</param>
    /// <param name="value">The value (NaN and infinities are kept).</param>
    /// <param name="step">Global step (x axis).</param>
    /// <param name="wallTime">Seconds since the Unix epoch; now when null.</param>
    public void AddScalar(string tag, double value, long step, double? wallTime = null)
    {
        CheckTag(tag);
        WriteSummary(EventEncoding.ScalarValue(tag, (float)value), step, wallTime);
    }

    /// <summary>Logs an image, PNG-encoded (1 channel = grey, 3 = RGB, 4 = RGBA).</summary>
    public void AddImage(string tag, RgbImage image, long step, double? wallTime = null)
    {
        CheckTag(tag);
        ArgumentNullException.ThrowIfNull(image);
        var png = PngEncoder.Encode(image);
        WriteSummary(EventEncoding.ImageValue(tag, image.Height, image.Width, image.Channels, png), step, wallTime);
    }

    /// <summary>Logs a text (markdown) entry for TensorBoard's Text tab.</summary>
    public void AddText(string tag, string text, long step, double? wallTime = null)
    {
        CheckTag(tag);
        ArgumentNullException.ThrowIfNull(text);
        WriteSummary(EventEncoding.TextValue(tag, text), step, wallTime);
    }

    /// <summary>
    /// Records this run's hyper-parameters for TensorBoard's HParams tab (strings, numbers or booleans), as a session
    /// that starts now; the session's metrics are the scalars of this folder and its sub-runs (train/, validation/).
    /// </summary>
    public void AddHParams(IReadOnlyDictionary<string, object> hparams, double? wallTime = null)
    {
        ArgumentNullException.ThrowIfNull(hparams);
        var now = wallTime ?? ToWallTime(DateTimeOffset.UtcNow);
        WriteSummary(EventEncoding.HParamsSessionStartValue(hparams, now), 0, now);
    }

    /// <summary>Forces everything written so far to disk.</summary>
    public void Flush()
    {
        lock (gate) Stream.Flush(flushToDisk: true);
    }

    /// <summary>Flushes to disk and closes the file. Safe to call twice.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            if (stream is null) return;
            try { stream.Flush(flushToDisk: true); }
            finally
            {
                stream.Dispose();
                stream = null;
            }
        }
    }

    private FileStream Stream => stream ?? throw new ObjectDisposedException(nameof(TensorBoardWriter), $"the event file {FilePath} was closed");

    private void WriteSummary(byte[] value, long step, double? wallTime) =>
        WriteRecord(EventEncoding.SummaryEvent(wallTime ?? ToWallTime(DateTimeOffset.UtcNow), step, value));

    private void WriteRecord(byte[] eventBytes)
    {
        var record = TfRecordWriter.Frame(eventBytes);
        lock (gate)
        {
            var s = Stream;
            s.Write(record);
            s.Flush();
        }
    }

    private static void CheckTag(string tag)
    {
        if (string.IsNullOrWhiteSpace(tag)) throw new ArgumentException("a TensorBoard tag must not be empty", nameof(tag));
    }

    private static double ToWallTime(DateTimeOffset t) => t.ToUnixTimeMilliseconds() / 1000.0;

    // The host name becomes part of a file name: keep it to characters that are safe everywhere.
    private static string SafeHostName()
    {
        string host;
        try { host = Dns.GetHostName(); }
        catch (System.Net.Sockets.SocketException) { host = Environment.MachineName; }
        var chars = host.Select(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.' ? ch : '_').ToArray();
        return chars.Length == 0 ? "localhost" : new string(chars);
    }
}
