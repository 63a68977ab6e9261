using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SharpVision.Checkout;

/// <summary>
/// The staff password as a salted slow hash only: PBKDF2-HMAC-SHA512 with 210,000 iterations (OWASP's figure) and a
/// random 16-byte salt. The password itself is never kept. Verification compares in constant time.
/// </summary>
public sealed class StaffCredential
{
    /// <summary>PBKDF2 iterations for new hashes.</summary>
    public const int DefaultIterations = 210_000;

    /// <summary>The fewest iterations <see cref="Parse"/> accepts.</summary>
    public const int MinIterations = 100_000;

    /// <summary>The shortest password <see cref="FromPassword"/> accepts.</summary>
    public const int MinPasswordLength = 8;

    private const string Prefix = "pbkdf2-sha512";
    private readonly byte[] _salt;
    private readonly byte[] _hash;

    private StaffCredential(int iterations, byte[] salt, byte[] hash)
    {
        Iterations = iterations;
        _salt = salt;
        _hash = hash;
    }

    /// <summary>The PBKDF2 iteration count.</summary>
    public int Iterations { get; }

    /// <summary>Hashes a password with a fresh salt; throws <see cref="ArgumentException"/> for one shorter than <see cref="MinPasswordLength"/>.</summary>
    public static StaffCredential FromPassword(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (password.Length < MinPasswordLength)
            throw new ArgumentException($"the staff password must be at least {MinPasswordLength} characters", nameof(password));
        var salt = RandomNumberGenerator.GetBytes(16);
        return new StaffCredential(DefaultIterations, salt, Derive(password, salt, DefaultIterations));
    }

    /// <summary>Reads a hash written by <see cref="ToString"/> (<c>pbkdf2-sha512$iterations$salt$hash</c>, base64), so a password file may hold the hash instead of the password.</summary>
    public static StaffCredential Parse(string encoded)
    {
        var parts = encoded.Trim().Split('$');
        if (parts.Length != 4 || parts[0] != Prefix || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations))
            throw new FormatException($"a staff password hash must look like {Prefix}$ITERATIONS$SALT$HASH");
        if (iterations < MinIterations) throw new FormatException($"a staff password hash needs at least {MinIterations:N0} iterations, got {iterations:N0}");
        try
        {
            var salt = Convert.FromBase64String(parts[2]);
            var hash = Convert.FromBase64String(parts[3]);
            if (salt.Length < 16 || hash.Length != 64) throw new FormatException("a staff password hash needs a salt of 16+ bytes and a 64-byte hash");
            return new StaffCredential(iterations, salt, hash);
        }
        catch (FormatException e) when (e.Message.Contains("Base-64", StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException("a staff password hash has a salt or hash that is not base64");
        }
    }

    /// <summary>Whether this is a hash string (so a password file can hold either).</summary>
    public static bool LooksLikeHash(string text) => text.TrimStart().StartsWith(Prefix + "$", StringComparison.Ordinal);

    /// <summary>Whether <paramref name="password"/> is the staff password (constant-time comparison of the derived keys).</summary>
    public bool Verify(string? password) =>
        password is not null && CryptographicOperations.FixedTimeEquals(Derive(password, _salt, Iterations), _hash);

    /// <summary>The hash in the <see cref="Parse"/> format (never the password).</summary>
    public override string ToString() => $"{Prefix}${Iterations}${Convert.ToBase64String(_salt)}${Convert.ToBase64String(_hash)}";

    private static byte[] Derive(string password, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA512, 64);
}
