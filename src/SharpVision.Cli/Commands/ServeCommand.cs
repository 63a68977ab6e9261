using System.CommandLine;
using SharpVision.Checkout;
using SharpVision.Onnx;

namespace SharpVision.Cli.Commands;

/// <summary><c>sharpvision serve --model FILE</c>: the café self-checkout web till on Kestrel (loopback by default).</summary>
public static class ServeCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "A model file written by train (.safetensors) or exported (.onnx: ONNX Runtime, no libtorch)", Required = true };
        var catalog = new Option<string?>("--catalog") { Description = "Catalogue (JSON or CSV: class, product name, price, currency); default: the café's five pastries in HUF" };
        var port = new Option<int>("--port") { Description = "TCP port", DefaultValueFactory = _ => 5000 };
        var host = new Option<string>("--host") { Description = "Address to listen on (127.0.0.1 = this machine only)", DefaultValueFactory = _ => "127.0.0.1" };
        var db = new Option<string?>("--db") { Description = "SQLite database file for orders (default: checkout.db next to the app)" };
        var postgres = new Option<string?>("--postgres") { Description = "PostgreSQL connection string (instead of SQLite)" };
        var threshold = new Option<double>("--threshold") { Description = "Below this confidence the customer picks among the top 3", DefaultValueFactory = _ => 0.6 };
        var maxUpload = new Option<long>("--max-upload") { Description = "Largest accepted upload in bytes", DefaultValueFactory = _ => 10L * 1024 * 1024 };
        var cmd = new Command("serve", "Run the café self-checkout: photo in, item, price and bill out.");
        foreach (var o in new Option[] { model, catalog, port, host, db, postgres, threshold, maxUpload }) cmd.Options.Add(o);
        var inference = InferenceOptions.AddTo(cmd, withInput: true);
        cmd.SetAction(parse => CliErrors.Run(() =>
        {
            using var classifier = new ModelImageClassifier(ImagePredictors.Load(parse.GetValue(model)!, inference.Read(parse)));
            var options = new CheckoutOptions
            {
                CataloguePath = parse.GetValue(catalog),
                SqlitePath = parse.GetValue(db),
                PostgresConnectionString = parse.GetValue(postgres),
                Host = parse.GetValue(host)!,
                Port = parse.GetValue(port),
                ConfidenceThreshold = parse.GetValue(threshold),
                MaxUploadBytes = parse.GetValue(maxUpload),
            };
            try
            {
                var app = CheckoutApp.Build(options, classifier);
                Console.WriteLine($"Café checkout: model {classifier.Info.ModelName} ({string.Join(", ", classifier.Info.Classes)})");
                Console.WriteLine($"Till:  http://{options.Host}:{options.Port}/    staff: http://{options.Host}:{options.Port}/staff    Ctrl+C stops.");
                app.Run();
                return 0;
            }
            catch (CatalogueMismatchException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return CliErrors.BadInput;
            }
        }));
        return cmd;
    }
}
