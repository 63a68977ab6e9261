namespace SharpVision.Distributed;

/// <summary>The network a <see cref="DataParallelSelfTest"/> trains.</summary>
public enum SelfTestModel
{
    /// <summary>Two small convolutions, global average pooling and a linear layer (a few thousand parameters), plus a frozen input scale.</summary>
    Tiny = 0,
    /// <summary>A café-CNN-shaped network for 64 px images: three conv-ReLU-maxpool stages (32, 64, 128 channels), dense 256, dense classes (~2.2 M parameters).</summary>
    ConvNet = 1,
}
