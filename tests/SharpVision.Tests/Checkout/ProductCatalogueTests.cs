using SharpVision.Checkout;
using SharpVision.Tests.Support;

namespace SharpVision.Tests.Checkout;

/// <summary>Catalogue loading (JSON, CSV) and its validation messages.</summary>
public sealed class ProductCatalogueTests
{
    [Fact]
    public void DefaultCatalogueIsTheCafesFivePastriesInForints()
    {
        var c = ProductCatalogue.Default;
        Assert.Equal(["cheesecake", "donuts", "ice_cream", "macarons", "pancakes"], c.Entries.Select(e => e.Class));
        Assert.Equal(["Cheesecake", "Donut", "Ice cream", "Macaron", "Pancake"], c.Entries.Select(e => e.Name));
        Assert.Equal("HUF", c.Currency);
        Assert.All(c.Entries, e => Assert.InRange(e.Price, 100m, 5000m));
    }

    [Fact]
    public void JsonWithTopLevelCurrencyAndCsvWithQuotesBothLoad()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("menu.json"), """
            { "currency": "EUR", "products": [
                { "class": "a", "name": "Apple tart", "price": 3.5 },
                { "class": "b", "name": "Brioche", "price": 2, "currency": "EUR" }, ] }
            """);
        var json = ProductCatalogue.Load(dir.File("menu.json"));
        Assert.Equal("EUR", json.Currency);
        Assert.True(json.TryGet("a", out var tart));
        Assert.Equal(3.5m, tart.Price);

        File.WriteAllText(dir.File("menu.csv"), "name,class,currency,price\r\n\"Tart, \"\"apple\"\"\",a,EUR,3.50\r\n\r\n");
        var csv = ProductCatalogue.Load(dir.File("menu.csv"));
        Assert.True(csv.TryGet("a", out var t2));
        Assert.Equal("Tart, \"apple\"", t2.Name);
        Assert.Equal(3.50m, t2.Price);
    }

    [Theory]
    [InlineData("menu.json", """[{"class":"a","name":"A","price":"cheap","currency":"HUF"}]""", "products[0].price is missing or not a number")]
    [InlineData("menu.json", """[{"class":"a","name":"A","price":1,"currency":"HUF"},{"class":"a","name":"B","price":1,"currency":"HUF"}]""", "class 'a' appears twice")]
    [InlineData("menu.json", """[{"class":"a","name":"A","price":1,"currency":"HUF"},{"class":"b","name":"B","price":1,"currency":"EUR"}]""", "mixes currencies (HUF, EUR)")]
    [InlineData("menu.json", """[{"class":"a","name":"A","price":-1,"currency":"HUF"}]""", "negative price")]
    [InlineData("menu.json", """{"items":[]}""", "expected an array of products")]
    [InlineData("menu.json", """[{"class":"a",""", "invalid JSON")]
    [InlineData("menu.csv", "class,name,price\na,A,1\n", "no 'currency' column")]
    [InlineData("menu.csv", "class,name,price,currency\na,A,one,HUF\n", "line 2: price 'one' is not a number")]
    [InlineData("menu.csv", "class,name,price,currency\na,A,1\n", "line 2 has 3 fields")]
    [InlineData("menu.txt", "x", "unknown extension '.txt'")]
    public void BadCatalogueFilesNameTheFileAndTheProblem(string fileName, string content, string expected)
    {
        using var dir = new TempDirectory();
        var path = dir.File(fileName);
        File.WriteAllText(path, content);
        var e = Assert.Throws<CatalogueFormatException>(() => ProductCatalogue.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void MissingFileIsReported()
    {
        var e = Assert.Throws<CatalogueFormatException>(() => ProductCatalogue.Load("/nonexistent/menu.json"));
        Assert.Contains("file not found", e.Message);
    }
}
