using System.Net;
using System.Net.Sockets;

namespace SharpVision.Distributed;

/// <summary>Picks a TCP port that is free on this machine, for a local rendezvous (MASTER_PORT).</summary>
public static class FreePort
{
    /// <summary>
    /// Asks the operating system for an unused port and releases it at once. Another process could take it before the
    /// store binds it; with the ephemeral range that is rare, and the rendezvous then fails with a clear error.
    /// </summary>
    public static int Find()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Any, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
