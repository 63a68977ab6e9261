namespace SharpVision.Reports.TensorBoard;

/// <summary>One decoded Summary.Value: its tag and whichever payload it carries.</summary>
/// <param name="Tag">The series name.</param>
/// <param name="SimpleValue">The scalar, for scalar summaries.</param>
/// <param name="Image">The image, for image summaries.</param>
/// <param name="Text">The text, for text-plugin summaries (string tensor).</param>
/// <param name="PluginName">The plugin named in the value's metadata, if any.</param>
public sealed record SummaryValue(string Tag, float? SimpleValue, SummaryImage? Image, string? Text, string? PluginName);
