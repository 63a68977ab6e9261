namespace SharpVision.Tests.Architecture;

/// <summary>
/// The floors of docs/architecture.md, enforced: a type may use types of its own area and of the floors below it,
/// never of a floor above or of a sibling area on the same floor. Read from the built assemblies' metadata, so
/// method bodies count as much as signatures.
/// </summary>
public class LayeringTests
{
    /// <summary>Bottom to top. An area is the namespace segment after "SharpVision" ("" = the root namespace, the
    /// application floor); areas on one floor are siblings and must not use each other.</summary>
    public static readonly string[][] Floors =
    [
        ["Engine"],
        ["Imaging"],
        ["Augmentation"],
        ["Data"],
        ["Layers"],
        ["Models"],
        ["Reports"],
        ["Inference", "Distributed"],
        ["Training"],
        ["Transfer.Pretrained", "Transfer.Features"],
        ["Transfer"],
        ["Evaluation", "Explain"],
        [""],
        ["Onnx", "Checkout"],
        ["Cli"],
    ];

    private static readonly string[] Assemblies =
        ["SharpVision.Engine", "SharpVision", "SharpVision.Onnx", "SharpVision.Checkout", "SharpVision.Cli"];

    /// <summary>
    /// The area of a namespace, or null outside SharpVision: the longest area of <see cref="Floors"/> that the namespace
    /// is or lies in (a split area such as Transfer.Pretrained is its own floor), else its first segment.
    /// </summary>
    public static string? Area(string ns)
    {
        if (ns == "SharpVision") return "";
        if (!ns.StartsWith("SharpVision.", StringComparison.Ordinal)) return null;
        var rest = ns["SharpVision.".Length..];
        return Floors.SelectMany(f => f)
            .Where(a => a.Length > 0 && (rest == a || rest.StartsWith(a + ".", StringComparison.Ordinal)))
            .MaxBy(a => a.Length) ?? rest.Split('.')[0];
    }

    private static int Floor(string area) => Array.FindIndex(Floors, f => f.Contains(area));

    private static IEnumerable<TypeDependency> LibraryDependencies() =>
        Assemblies.SelectMany(a => TypeDependencyScanner.Scan(Path.Combine(AppContext.BaseDirectory, a + ".dll")));

    [Fact]
    public void EveryNamespaceIsOnAFloor()
    {
        var unplaced = LibraryDependencies()
            .SelectMany(d => new[] { d.FromNamespace, d.ToNamespace })
            .Where(ns => Area(ns) is { } a && Floor(a) < 0)
            .Distinct().Order().ToList();
        Assert.True(unplaced.Count == 0, "namespaces on no floor (add them to LayeringTests.Floors and docs/architecture.md): " + string.Join(", ", unplaced));
    }

    [Fact]
    public void NoDependencyPointsUpOrSideways()
    {
        var violations = LibraryDependencies()
            .Select(d => (Dep: d, From: Area(d.FromNamespace), To: Area(d.ToNamespace)))
            .Where(x => x.From is not null && x.To is not null && x.From != x.To && Floor(x.To!) >= Floor(x.From!))
            .GroupBy(x => (From: x.From!, To: x.To!))
            .OrderBy(g => g.Key.From).ThenBy(g => g.Key.To)
            .Select(g => $"{Name(g.Key.From)} -> {Name(g.Key.To)} ({(Floor(g.Key.To) == Floor(g.Key.From) ? "sideways" : "up")}, {g.Count()}): "
                + string.Join(", ", g.Select(x => $"{Short(x.Dep.FromType)} uses {Short(x.Dep.ToType)}").Order().Take(6))
                + (g.Count() > 6 ? ", …" : ""))
            .ToList();
        Assert.True(violations.Count == 0, $"{violations.Count} dependencies against the floors:\n" + string.Join("\n", violations));
    }

    /// <summary>A split area (Transfer.Pretrained) is its own floor below its parent; other sub-namespaces belong to their area.</summary>
    [Fact]
    public void SplitAreasAreTheirOwnFloors()
    {
        Assert.Equal("Transfer.Pretrained", Area("SharpVision.Transfer.Pretrained"));
        Assert.Equal("Transfer.Features", Area("SharpVision.Transfer.Features"));
        Assert.Equal("Transfer", Area("SharpVision.Transfer"));
        Assert.Equal("Engine", Area("SharpVision.Engine.IO.Pickle"));
        Assert.Equal("", Area("SharpVision"));
        Assert.Null(Area("System.Linq"));
        Assert.True(Floor("Transfer.Pretrained") < Floor("Transfer") && Floor("Transfer.Features") == Floor("Transfer.Pretrained"));
    }

    /// <summary>
    /// The scanner sees types that only method bodies mention: this class names DType and DatasetSplit nowhere but
    /// in typeof expressions inside lambdas (compiler-generated nested types, which count for their outer type).
    /// </summary>
    [Fact]
    public void ScannerSeesTypesUsedOnlyInsideMethodBodies()
    {
        var deps = TypeDependencyScanner.Scan(typeof(LayeringTests).Assembly.Location);
        var self = typeof(LayeringTests).FullName;
        Assert.Contains(deps, d => d.FromType == self && d.ToType == typeof(global::SharpVision.Engine.DType).FullName);
        Assert.Contains(deps, d => d.FromType == self && d.ToType == typeof(global::SharpVision.Data.DatasetSplit).FullName);
        Assert.DoesNotContain(deps, d => d.FromType == self && d.ToType == "SharpVision.Training.Trainer"); // named only in this string
    }

    private static string Name(string area) => area == "" ? "SharpVision (application)" : area;

    private static string Short(string type) => type.StartsWith("SharpVision.", StringComparison.Ordinal) ? type["SharpVision.".Length..] : type;
}
