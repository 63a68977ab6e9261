using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SharpVision.Checkout;

/// <summary>
/// The products the till sells, keyed by model class. Loaded from JSON or CSV; all entries share one currency so that
/// an order total is a single amount.
/// </summary>
public sealed class ProductCatalogue
{
    private readonly Dictionary<string, CatalogueEntry> _byClass;

    /// <summary>
    /// Creates a catalogue; throws <see cref="CatalogueFormatException"/> for duplicates, blanks, bad prices (negative,
    /// or finer than the currency's minor unit), unknown or mixed currencies.
    /// </summary>
    public ProductCatalogue(IEnumerable<CatalogueEntry> entries, string source = "in-memory", CatalogueSettings? settings = null)
    {
        Source = source;
        Settings = settings ?? CatalogueSettings.Default;
        if (string.IsNullOrWhiteSpace(Settings.BusinessName)) throw new CatalogueFormatException(source, "settings.businessName is empty");
        if (Settings.VatRatePercent is < 0 or > 100)
            throw new CatalogueFormatException(source, $"settings.vatRatePercent must be 0..100, got {Settings.VatRatePercent}");
        Entries = entries.ToList();
        if (Entries.Count == 0) throw new CatalogueFormatException(source, "has no products");
        _byClass = new Dictionary<string, CatalogueEntry>(StringComparer.Ordinal);
        foreach (var e in Entries)
        {
            if (string.IsNullOrWhiteSpace(e.Class)) throw new CatalogueFormatException(source, "an entry has an empty class");
            if (string.IsNullOrWhiteSpace(e.Name)) throw new CatalogueFormatException(source, $"class '{e.Class}' has an empty product name");
            if (e.Price < 0) throw new CatalogueFormatException(source, $"class '{e.Class}' has a negative price {e.Price}");
            if (e.Currency.Length != 3 || !e.Currency.All(char.IsAsciiLetterUpper))
                throw new CatalogueFormatException(source, $"class '{e.Class}' has currency '{e.Currency}', expected a 3-letter ISO code such as HUF");
            if (!CurrencyExponents.TryGet(e.Currency, out var exponent))
                throw new CatalogueFormatException(source, $"class '{e.Class}' has currency '{e.Currency}', which is not in the till's ISO 4217 table ({string.Join(" ", CurrencyExponents.Known)})");
            if (CurrencyExponents.Decimals(e.Price) > exponent)
                throw new CatalogueFormatException(source, $"class '{e.Class}' price {e.Price} has more decimals than {e.Currency} allows ({exponent})");
            if (!_byClass.TryAdd(e.Class, e)) throw new CatalogueFormatException(source, $"class '{e.Class}' appears twice");
        }
        var currencies = Entries.Select(e => e.Currency).Distinct().ToList();
        if (currencies.Count > 1) throw new CatalogueFormatException(source, $"mixes currencies ({string.Join(", ", currencies)}); one till bills in one currency");
        Currency = currencies[0];
    }

    /// <summary>Where the catalogue came from (a file path or "built-in").</summary>
    public string Source { get; }

    /// <summary>The business details for receipts (the JSON catalogue's <c>settings</c>; defaults otherwise).</summary>
    public CatalogueSettings Settings { get; }

    /// <summary>The products, in file order.</summary>
    public IReadOnlyList<CatalogueEntry> Entries { get; }

    /// <summary>The single currency of every price.</summary>
    public string Currency { get; }

    /// <summary>The café's default: the five Food-101 pastry classes, priced in forints.</summary>
    public static ProductCatalogue Default { get; } = new(
    [
        new("cheesecake", "Cheesecake", 1490m, "HUF"),
        new("donuts", "Donut", 690m, "HUF"),
        new("ice_cream", "Ice cream", 890m, "HUF"),
        new("macarons", "Macaron", 450m, "HUF"),
        new("pancakes", "Pancake", 1190m, "HUF"),
    ], "built-in");

    /// <summary>Finds the product for a model class.</summary>
    public bool TryGet(string modelClass, out CatalogueEntry entry) => _byClass.TryGetValue(modelClass, out entry!);

    /// <summary>Throws <see cref="CatalogueMismatchException"/> unless the model's classes and the catalogue's are the same set.</summary>
    public void EnsureMatches(ClassifierInfo model)
    {
        var modelClasses = new HashSet<string>(model.Classes, StringComparer.Ordinal);
        var missing = model.Classes.Where(c => !_byClass.ContainsKey(c)).Distinct().ToList();
        var extra = Entries.Select(e => e.Class).Where(c => !modelClasses.Contains(c)).ToList();
        if (missing.Count > 0 || extra.Count > 0) throw new CatalogueMismatchException(model.ModelName, Source, missing, extra);
    }

    /// <summary>Loads a catalogue from a <c>.json</c> or <c>.csv</c> file (decided by the extension).</summary>
    public static ProductCatalogue Load(string path)
    {
        if (!File.Exists(path)) throw new CatalogueFormatException(path, "file not found");
        var text = File.ReadAllText(path, Encoding.UTF8);
        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".json" => ParseJson(text, path),
            ".csv" => ParseCsv(text, path),
            var ext => throw new CatalogueFormatException(path, $"unknown extension '{ext}', expected .json or .csv"),
        };
    }

    /// <summary>
    /// Parses JSON: either an array of <c>{"class","name","price","currency"}</c> objects or an object
    /// <c>{"currency": "HUF", "settings": {...}, "products": [...]}</c> whose currency is the default for entries
    /// without one and whose settings (<c>businessName</c>, <c>address</c>, <c>taxId</c>, <c>vatRatePercent</c>) go on
    /// the receipts. A price finer than its currency's minor unit is refused with its line number.
    /// </summary>
    public static ProductCatalogue ParseJson(string json, string source = "json")
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip }); }
        catch (JsonException e) { throw new CatalogueFormatException(source, $"invalid JSON: {e.Message}", e); }
        using (doc)
        {
            var root = doc.RootElement;
            string? defaultCurrency = null;
            CatalogueSettings? settings = null;
            JsonElement products;
            if (root.ValueKind == JsonValueKind.Array) products = root;
            else if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("products", out products) && products.ValueKind == JsonValueKind.Array)
            {
                if (root.TryGetProperty("currency", out var c)) defaultCurrency = c.GetString();
                if (root.TryGetProperty("settings", out var st)) settings = ParseSettings(st, source);
            }
            else throw new CatalogueFormatException(source, "expected an array of products or an object with a 'products' array");

            var entries = new List<CatalogueEntry>();
            var i = 0;
            foreach (var p in products.EnumerateArray())
            {
                var where = $"products[{i++}]";
                if (p.ValueKind != JsonValueKind.Object) throw new CatalogueFormatException(source, $"{where} is not an object");
                string Str(string name, string? fallback)
                {
                    if (p.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String) return v.GetString()!;
                    return fallback ?? throw new CatalogueFormatException(source, $"{where}.{name} is missing or not a string");
                }
                if (!p.TryGetProperty("price", out var priceEl) || priceEl.ValueKind != JsonValueKind.Number || !priceEl.TryGetDecimal(out var price))
                    throw new CatalogueFormatException(source, $"{where}.price is missing or not a number");
                var currency = Str("currency", defaultCurrency);
                CheckMinorUnits(source, $"line {JsonLine(json, i - 1, "price")}, field {where}.price", price, currency);
                entries.Add(new CatalogueEntry(Str("class", null), Str("name", null), price, currency));
            }
            return new ProductCatalogue(entries, source, settings);
        }
    }

    /// <summary>Parses CSV with the header <c>class,name,price,currency</c> (any column order; RFC 4180 quoting).</summary>
    public static ProductCatalogue ParseCsv(string csv, string source = "csv")
    {
        var rows = CsvReader.Parse(csv);
        if (rows.Count == 0) throw new CatalogueFormatException(source, "is empty");
        var header = rows[0].Select(h => h.Trim().ToLowerInvariant()).ToList();
        int Col(string name) => header.IndexOf(name) is var ix and >= 0 ? ix
            : throw new CatalogueFormatException(source, $"header has no '{name}' column (expected class,name,price,currency)");
        int cClass = Col("class"), cName = Col("name"), cPrice = Col("price"), cCurrency = Col("currency");
        var entries = new List<CatalogueEntry>();
        for (var r = 1; r < rows.Count; r++)
        {
            var row = rows[r];
            if (row.Count == 1 && row[0].Length == 0) continue; // blank line
            if (row.Count != header.Count) throw new CatalogueFormatException(source, $"line {r + 1} has {row.Count} fields, the header has {header.Count}");
            if (!decimal.TryParse(row[cPrice].Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var price))
                throw new CatalogueFormatException(source, $"line {r + 1}: price '{row[cPrice]}' is not a number");
            CheckMinorUnits(source, $"line {r + 1}, field 'price'", price, row[cCurrency].Trim());
            entries.Add(new CatalogueEntry(row[cClass].Trim(), row[cName].Trim(), price, row[cCurrency].Trim()));
        }
        return new ProductCatalogue(entries, source);
    }

    private static void CheckMinorUnits(string source, string where, decimal price, string currency)
    {
        // Unknown currencies are reported by the constructor, which names the class.
        if (CurrencyExponents.TryGet(currency, out var exponent) && CurrencyExponents.Decimals(price) > exponent)
            throw new CatalogueFormatException(source, $"{where}: price {price} has more decimals than {currency} allows ({exponent})");
    }

    private static CatalogueSettings ParseSettings(JsonElement settings, string source)
    {
        if (settings.ValueKind != JsonValueKind.Object) throw new CatalogueFormatException(source, "settings must be an object");
        string? Text(string name) => settings.TryGetProperty(name, out var v)
            ? v.ValueKind == JsonValueKind.String ? v.GetString() : throw new CatalogueFormatException(source, $"settings.{name} must be a string")
            : null;
        decimal? vat = null;
        if (settings.TryGetProperty("vatRatePercent", out var rate))
            vat = rate.ValueKind == JsonValueKind.Number && rate.TryGetDecimal(out var r) ? r
                : throw new CatalogueFormatException(source, "settings.vatRatePercent must be a number");
        return new CatalogueSettings(Text("businessName") ?? CatalogueSettings.Default.BusinessName, Text("address"), Text("taxId"), vat);
    }

    /// <summary>The 1-based line of <c>products[index].property</c> in the JSON text (JsonDocument keeps no positions).</summary>
    private static int JsonLine(string json, int index, string property)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        int productDepth = -1, seen = -1;
        while (reader.Read())
        {
            if (productDepth < 0)
            {
                // The products array is either the root or the root object's "products" property.
                if (reader.TokenType == JsonTokenType.StartArray && (reader.CurrentDepth == 0 || reader.CurrentDepth == 1)) productDepth = reader.CurrentDepth + 1;
                else if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && !reader.ValueTextEquals("products")) reader.Skip();
                continue;
            }
            if (reader.TokenType == JsonTokenType.StartObject && reader.CurrentDepth == productDepth) seen++;
            else if (seen == index && reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == productDepth + 1 && reader.ValueTextEquals(property))
                return bytes.AsSpan(0, (int)reader.TokenStartIndex).Count((byte)'\n') + 1;
        }
        return 1;
    }
}
