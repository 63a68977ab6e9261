namespace SharpVision.Evaluation;

/// <summary>
/// The data holds classes the model does not know (matched by name), so it cannot be evaluated on it. The message
/// lists the classes only in the data and those only in the model.
/// </summary>
public sealed class ClassMismatchException : Exception
{
    /// <summary>Creates the exception for the given differences.</summary>
    public ClassMismatchException(string model, string data, IReadOnlyList<string> onlyInData, IReadOnlyList<string> onlyInModel)
        : base(Describe(model, data, onlyInData, onlyInModel))
    {
        OnlyInData = onlyInData;
        OnlyInModel = onlyInModel;
    }

    /// <summary>Classes of the data the model has no output for.</summary>
    public IReadOnlyList<string> OnlyInData { get; }

    /// <summary>Classes of the model with no images in the data.</summary>
    public IReadOnlyList<string> OnlyInModel { get; }

    private static string Describe(string model, string data, IReadOnlyList<string> onlyInData, IReadOnlyList<string> onlyInModel)
    {
        var text = $"the classes of {data} do not match the model {model}: only in the data: [{List(onlyInData)}]";
        return text + $"; only in the model: [{List(onlyInModel)}] (classes are matched by name)";
    }

    // An ImageNet model has 1000 classes: name the first ones and count the rest.
    private static string List(IReadOnlyList<string> names) =>
        names.Count <= 20 ? string.Join(", ", names) : string.Join(", ", names.Take(20)) + $", … ({names.Count - 20} more)";
}
