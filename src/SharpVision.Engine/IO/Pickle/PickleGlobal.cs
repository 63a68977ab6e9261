namespace SharpVision.Engine.IO.Pickle;

/// <summary>An allowed Python global (module and name) on the unpickler's stack; it is never called, only matched.</summary>
internal sealed record PickleGlobal(string Module, string Name)
{
    public string FullName => Module + "." + Name;
}
