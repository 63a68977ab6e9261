using System.Collections.Frozen;

namespace SharpVision.Checkout;

/// <summary>
/// ISO 4217 minor-unit exponents (how many decimals a currency has: HUF 2, JPY 0, KWD 3) for the currencies a till is
/// likely to bill in. Amounts in the till are whole numbers of minor units; the catalogue refuses finer prices.
/// </summary>
public static class CurrencyExponents
{
    private static readonly FrozenDictionary<string, int> Table = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        // Zero decimals.
        ["BIF"] = 0, ["CLP"] = 0, ["DJF"] = 0, ["GNF"] = 0, ["ISK"] = 0, ["JPY"] = 0, ["KMF"] = 0, ["KRW"] = 0, ["PYG"] = 0,
        ["RWF"] = 0, ["UGX"] = 0, ["UYI"] = 0, ["VND"] = 0, ["VUV"] = 0, ["XAF"] = 0, ["XOF"] = 0, ["XPF"] = 0,
        // Three decimals.
        ["BHD"] = 3, ["IQD"] = 3, ["JOD"] = 3, ["KWD"] = 3, ["LYD"] = 3, ["OMR"] = 3, ["TND"] = 3,
        // Two decimals (ISO 4217 gives HUF two, although cash is rounded to 5 forints).
        ["AED"] = 2, ["ARS"] = 2, ["AUD"] = 2, ["BGN"] = 2, ["BRL"] = 2, ["CAD"] = 2, ["CHF"] = 2, ["CNY"] = 2, ["COP"] = 2,
        ["CZK"] = 2, ["DKK"] = 2, ["EGP"] = 2, ["EUR"] = 2, ["GBP"] = 2, ["HKD"] = 2, ["HUF"] = 2, ["IDR"] = 2, ["ILS"] = 2,
        ["INR"] = 2, ["MAD"] = 2, ["MXN"] = 2, ["MYR"] = 2, ["NOK"] = 2, ["NZD"] = 2, ["PEN"] = 2, ["PHP"] = 2, ["PKR"] = 2,
        ["PLN"] = 2, ["QAR"] = 2, ["RON"] = 2, ["RSD"] = 2, ["SAR"] = 2, ["SEK"] = 2, ["SGD"] = 2, ["THB"] = 2, ["TRY"] = 2,
        ["TWD"] = 2, ["UAH"] = 2, ["USD"] = 2, ["ZAR"] = 2,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The currency codes the till knows.</summary>
    public static IEnumerable<string> Known => Table.Keys.Order(StringComparer.Ordinal);

    /// <summary>The exponent of <paramref name="currency"/>, false for a code not in the table.</summary>
    public static bool TryGet(string currency, out int exponent) => Table.TryGetValue(currency, out exponent);

    /// <summary>The exponent of <paramref name="currency"/>; throws <see cref="ArgumentException"/> for an unknown code.</summary>
    public static int Of(string currency) =>
        TryGet(currency, out var e) ? e : throw new ArgumentException($"currency '{currency}' is not in the till's ISO 4217 table", nameof(currency));

    /// <summary>How many decimals <paramref name="amount"/> really has (trailing zeros ignored: 12.50 has 1).</summary>
    public static int Decimals(decimal amount)
    {
        var normalised = amount / 1.000000000000000000000000000000000m;
        return (decimal.GetBits(normalised)[3] >> 16) & 0xFF;
    }

    /// <summary>An amount as whole minor units (690 HUF → 69000); throws when it is finer than the currency allows.</summary>
    public static long ToMinor(decimal amount, string currency)
    {
        var exponent = Of(currency);
        if (Decimals(amount) > exponent)
            throw new ArgumentException($"{amount} {currency} has more than the {exponent} decimals {currency} allows", nameof(amount));
        return decimal.ToInt64(amount * Pow10(exponent));
    }

    /// <summary>Whole minor units back as an amount without trailing zeros (69000 HUF → 690).</summary>
    public static decimal ToMajor(long minor, string currency) =>
        minor / Pow10(TryGet(currency, out var e) ? e : 2) / 1.000000000000000000000000000000000m;

    private static decimal Pow10(int exponent) => exponent switch { 0 => 1m, 1 => 10m, 2 => 100m, 3 => 1000m, _ => (decimal)Math.Pow(10, exponent) };
}
