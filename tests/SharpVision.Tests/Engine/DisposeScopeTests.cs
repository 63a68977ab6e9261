using SharpVision.Engine;

namespace SharpVision.Tests.Engine;

/// <summary>Deterministic freeing of native tensors: scopes, nesting, moving out, detaching.</summary>
public class DisposeScopeTests
{
    [Fact]
    public void TensorsCreatedInAScopeAreFreedWithIt()
    {
        Tensor a, b;
        using (var scope = Torch.NewDisposeScope())
        {
            a = Tensor.Ones(new long[] { 2 });
            b = a * 2;
            Assert.Equal(2, scope.Count);
            Assert.Same(scope, DisposeScope.Current);
        }
        Assert.True(a.IsDisposed);
        Assert.True(b.IsDisposed);
    }

    [Fact]
    public void NestedScopesFreeInnerTensorsFirst()
    {
        using var outer = Torch.NewDisposeScope();
        var o = Tensor.Ones(new long[] { 1 });
        Tensor i;
        using (var inner = Torch.NewDisposeScope())
        {
            Assert.Same(outer, inner.Parent);
            i = o + 1;
        }
        Assert.True(i.IsDisposed);
        Assert.False(o.IsDisposed);
        Assert.Same(outer, DisposeScope.Current);
    }

    [Fact]
    public void MoveToOuterHandsTheTensorToTheEnclosingScope()
    {
        Tensor kept;
        using (var outer = Torch.NewDisposeScope())
        {
            using (Torch.NewDisposeScope())
            {
                kept = Tensor.Ones(new long[] { 1 }).MoveToOuterDisposeScope();
            }
            Assert.False(kept.IsDisposed);
            Assert.Equal(1, outer.Count);
        }
        Assert.True(kept.IsDisposed);
    }

    [Fact]
    public void MoveToOuterWithoutAnOuterScopeAndDetachLeaveOwnershipToTheCaller()
    {
        Tensor moved, detached;
        using (Torch.NewDisposeScope())
        {
            moved = Tensor.Ones(new long[] { 1 }).MoveToOuterDisposeScope();
            using (Torch.NewDisposeScope()) detached = Tensor.Ones(new long[] { 1 }).DetachFromDisposeScope();
        }
        Assert.False(moved.IsDisposed);
        Assert.False(detached.IsDisposed);
        moved.Dispose();
        detached.Dispose();
        Assert.True(moved.IsDisposed);
    }

    [Fact]
    public void ManualDisposeInsideAScopeIsNotRepeated()
    {
        var scope = Torch.NewDisposeScope();
        var t = Tensor.Ones(new long[] { 1 });
        t.Dispose();
        t.Dispose();
        Assert.Equal(0, scope.Count);
        scope.Dispose();
        scope.Dispose();
        Assert.Null(DisposeScope.Current);
    }

    [Fact]
    public void DisposingAnOuterScopeAlsoPopsAForgottenInnerScope()
    {
        var outer = Torch.NewDisposeScope();
        var inner = Torch.NewDisposeScope();
        var t = Tensor.Ones(new long[] { 1 });
        outer.Dispose();
        Assert.Null(DisposeScope.Current);
        inner.Dispose();
        Assert.True(t.IsDisposed);
    }

    [Fact]
    public void ScopesArePerThread()
    {
        using var scope = Torch.NewDisposeScope();
        Tensor? other = null;
        var thread = new Thread(() => other = Tensor.Ones(new long[] { 1 }));
        thread.Start();
        thread.Join();
        Assert.Equal(0, scope.Count);
        Assert.False(other!.IsDisposed);
        other.Dispose();
    }
}
