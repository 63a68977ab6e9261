using SharpVision.Engine;

namespace SharpVision.Layers;

/// <summary>An activation fused into a layer, Keras style (Dense(64, activation="relu")).</summary>
public enum Activation
{
    /// <summary>Identity.</summary>
    None,
    /// <summary>max(0, x).</summary>
    Relu,
    /// <summary>min(max(0, x), 6).</summary>
    Relu6,
    /// <summary>Leaky ReLU with slope 0.01.</summary>
    LeakyRelu,
    /// <summary>Exact GELU.</summary>
    Gelu,
    /// <summary>x·σ(x).</summary>
    Silu,
    /// <summary>tanh.</summary>
    Tanh,
    /// <summary>Logistic sigmoid.</summary>
    Sigmoid,
    /// <summary>Softmax over dimension 1.</summary>
    Softmax,
}

/// <summary>Applies <see cref="Activation"/> values.</summary>
public static class Activations
{
    /// <summary>Applies <paramref name="activation"/>; returns a new tensor (a fresh handle even for None).</summary>
    public static Tensor Apply(Activation activation, Tensor x) => activation switch
    {
        Activation.None => x.Alias(),
        Activation.Relu => Functional.Relu(x),
        Activation.Relu6 => Functional.Relu6(x),
        Activation.LeakyRelu => Functional.LeakyRelu(x),
        Activation.Gelu => Functional.Gelu(x),
        Activation.Silu => Functional.Silu(x),
        Activation.Tanh => Functional.Tanh(x),
        Activation.Sigmoid => Functional.Sigmoid(x),
        Activation.Softmax => Functional.Softmax(x, 1),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "unknown activation"),
    };

    /// <summary>A module computing <paramref name="activation"/> (<see cref="Identity"/> for None).</summary>
    public static Module CreateModule(Activation activation) => activation switch
    {
        Activation.None => new Identity(),
        Activation.Relu => new ReLU(),
        Activation.Relu6 => new ReLU6(),
        Activation.LeakyRelu => new LeakyReLU(),
        Activation.Gelu => new GELU(),
        Activation.Silu => new SiLU(),
        Activation.Tanh => new Tanh(),
        Activation.Sigmoid => new Sigmoid(),
        Activation.Softmax => new Softmax(1),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "unknown activation"),
    };

    /// <summary>Applies <paramref name="activation"/> to <paramref name="x"/> and disposes <paramref name="x"/> (for layer outputs).</summary>
    internal static Tensor ApplyAndDispose(Activation activation, Tensor x)
    {
        if (activation == Activation.None) return x;
        try { return Apply(activation, x); }
        finally { x.Dispose(); }
    }

    /// <summary>Parses "relu", "sigmoid", ... (Keras names; "linear" = None).</summary>
    public static Activation Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "" or "none" or "linear" => Activation.None,
        "relu" => Activation.Relu,
        "relu6" => Activation.Relu6,
        "leaky_relu" or "leakyrelu" => Activation.LeakyRelu,
        "gelu" => Activation.Gelu,
        "silu" or "swish" => Activation.Silu,
        "tanh" => Activation.Tanh,
        "sigmoid" => Activation.Sigmoid,
        "softmax" => Activation.Softmax,
        _ => throw new ArgumentException($"unknown activation \"{name}\" (valid: none, relu, relu6, leaky_relu, gelu, silu, tanh, sigmoid, softmax)", nameof(name)),
    };
}
