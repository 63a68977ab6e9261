namespace SharpVision.Distributed;

/// <summary>One rank's host as <see cref="PeerDirectory"/> records it.</summary>
/// <param name="Rank">Global rank.</param>
/// <param name="Address">IPv4 address it reaches the master from.</param>
/// <param name="MachineName">Its machine name (equal for network namespaces of one machine).</param>
public sealed record PeerHost(int Rank, string Address, string MachineName);
