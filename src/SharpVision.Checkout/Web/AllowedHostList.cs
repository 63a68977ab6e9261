using System.Net;
using System.Net.NetworkInformation;

namespace SharpVision.Checkout;

/// <summary>
/// The Host header values the till answers (ASP.NET Core host filtering): the loopback names, the bound address, this
/// machine's own IP addresses when bound to all interfaces, and <see cref="CheckoutOptions.AllowedHosts"/>. A
/// DNS-rebinding page reaches the till under the attacker's host name, which is not on the list, and gets 400.
/// </summary>
internal static class AllowedHostList
{
    public static IReadOnlyList<string> For(CheckoutOptions options)
    {
        var hosts = new List<string> { "localhost", "127.0.0.1", "[::1]" };
        if (IPAddress.TryParse(options.Host, out var bound))
        {
            if (bound.Equals(IPAddress.Any) || bound.Equals(IPAddress.IPv6Any)) hosts.AddRange(LocalAddresses());
            else hosts.Add(Literal(bound));
        }
        hosts.AddRange(options.AllowedHosts.Select(h => h.Trim()));
        return hosts.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    private static IEnumerable<string> LocalAddresses()
    {
        try
        {
            return NetworkInterface.GetAllNetworkInterfaces()
                .Where(n => n.OperationalStatus == OperationalStatus.Up)
                .SelectMany(n => n.GetIPProperties().UnicastAddresses)
                .Select(a => a.Address)
                .Where(a => !a.IsIPv6LinkLocal)
                .Select(Literal)
                .ToList();
        }
        catch (NetworkInformationException)
        {
            return [];
        }
    }

    private static string Literal(IPAddress ip) => ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{ip}]" : ip.ToString();
}
