using System.Net.Http.Headers;
using SharpVision.Checkout;

// Host the café till inside your own ASP.NET Core app, next to your own endpoints:
//   dotnet run -- MODEL.safetensors CATALOGUE.csv ORDERS.db PORT [--self-test PHOTO]
using var classifier = ModelImageClassifier.Load(args[0]);
var options = new CheckoutOptions { CataloguePath = args[1], SqlitePath = args[2], Port = int.Parse(args[3]) };
var app = CheckoutApp.Build(options, classifier);
app.MapGet("/my-shop/hello", () => "Hello from my own app, with the SharpVision till at /");

if (args.Length < 6 || args[4] != "--self-test")
{
    app.Run();
    return 0;
}

// --self-test: start, call our endpoint and the till's classifier once, stop.
await app.StartAsync();
using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{options.Port}") };
Console.WriteLine(await http.GetStringAsync("/my-shop/hello"));
using var form = new MultipartFormDataContent();
var photo = new ByteArrayContent(File.ReadAllBytes(args[5]));
photo.Headers.ContentType = new MediaTypeHeaderValue("image/png");
form.Add(photo, "image", Path.GetFileName(args[5]));
var answer = await http.PostAsync("/api/classify", form);
Console.WriteLine($"classify: {(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
await app.StopAsync();
return answer.IsSuccessStatusCode ? 0 : 1;
