using System.Security.Cryptography;
using System.Text;

namespace SharpVision.Checkout;

/// <summary>Receipt codes: 20 characters of Crockford base32 from the OS's cryptographic RNG (100 bits), compared in constant time.</summary>
public static class ReceiptCodes
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>The length of a code.</summary>
    public const int Length = 20;

    /// <summary>A new random code.</summary>
    public static string New() => RandomNumberGenerator.GetString(Alphabet, Length);

    /// <summary>Whether <paramref name="presented"/> is <paramref name="expected"/>, in time that does not depend on where they differ.</summary>
    public static bool Matches(string expected, string? presented)
    {
        if (string.IsNullOrEmpty(expected) || presented is null) return false;
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(presented.Trim().ToUpperInvariant()));
    }
}
