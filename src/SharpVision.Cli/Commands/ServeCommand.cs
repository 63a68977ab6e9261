using System.CommandLine;
using SharpVision.Checkout;
using SharpVision.Onnx;

namespace SharpVision.Cli.Commands;

/// <summary><c>sharpvision serve --model FILE</c>: the café self-checkout web till on Kestrel (loopback by default).</summary>
public static class ServeCommand
{
    /// <summary>The environment variable that may hold the staff password (when no --staff-password-file is given).</summary>
    public const string StaffPasswordVariable = "SHARPVISION_STAFF_PASSWORD";

    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "A model file written by train (.safetensors) or exported (.onnx: ONNX Runtime, no libtorch)", Required = true };
        var catalog = new Option<string?>("--catalog") { Description = "Catalogue (JSON or CSV: class, product name, price, currency); default: the café's five pastries in HUF" };
        var port = new Option<int>("--port") { Description = "TCP port", DefaultValueFactory = _ => 5000 };
        var host = new Option<string>("--host") { Description = "Address to listen on (127.0.0.1 = this machine only)", DefaultValueFactory = _ => "127.0.0.1" };
        var db = new Option<string?>("--db") { Description = $"SQLite database file for orders (default: {CheckoutOptions.DefaultDatabasePath})" };
        var postgres = new Option<string?>("--postgres") { Description = "PostgreSQL connection string (instead of SQLite)" };
        var threshold = new Option<double>("--threshold") { Description = "Below this confidence the customer picks among the top 3", DefaultValueFactory = _ => 0.6 };
        var maxUpload = new Option<long>("--max-upload") { Description = "Largest accepted upload in bytes", DefaultValueFactory = _ => 10L * 1024 * 1024 };
        var staffPassword = new Option<string?>("--staff-password-file")
        {
            Description = $"File whose first line is the staff password (or its pbkdf2-sha512$ hash); else ${StaffPasswordVariable}; neither = staff area disabled",
        };
        var allowedHosts = new Option<string[]>("--allowed-hosts")
        {
            Description = "Host names the till answers besides loopback and the bound address (e.g. till.local,192.168.1.20); others get 400",
            AllowMultipleArgumentsPerToken = true,
        };
        var maxDecodes = new Option<int>("--max-decodes") { Description = "Most photos decoded at once (bounds memory); default: one per CPU core", DefaultValueFactory = _ => Environment.ProcessorCount };
        var cmd = new Command("serve", "Run the café self-checkout: photo in, item, price and bill out.");
        foreach (var o in new Option[] { model, catalog, port, host, db, postgres, threshold, maxUpload, staffPassword, allowedHosts, maxDecodes }) cmd.Options.Add(o);
        var inference = InferenceOptions.AddTo(cmd, withInput: true, withDevice: true);
        cmd.SetAction(parse => CliErrors.Run(() =>
        {
            if (parse.GetValue(maxDecodes) < 1) throw new ArgumentException($"--max-decodes must be at least 1, got {parse.GetValue(maxDecodes)}");
            var options = new CheckoutOptions
            {
                CataloguePath = parse.GetValue(catalog),
                SqlitePath = parse.GetValue(db),
                PostgresConnectionString = parse.GetValue(postgres),
                Host = parse.GetValue(host)!,
                Port = parse.GetValue(port),
                ConfidenceThreshold = parse.GetValue(threshold),
                MaxUploadBytes = parse.GetValue(maxUpload),
                StaffCredential = ReadStaffCredential(parse.GetValue(staffPassword)),
                AllowedHosts = (parse.GetValue(allowedHosts) ?? []).SelectMany(h => h.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList(),
            };
            using var classifier = new ModelImageClassifier(ImagePredictors.Load(parse.GetValue(model)!, inference.Read(parse)), maxDecodes: parse.GetValue(maxDecodes));
            try
            {
                var app = CheckoutApp.Build(options, classifier);
                Console.WriteLine($"Café checkout: model {classifier.Info.ModelName} ({string.Join(", ", classifier.Info.Classes)}), at most {classifier.MaxDecodes} decodes at once");
                Console.WriteLine($"Till:  http://{options.Host}:{options.Port}/    staff: http://{options.Host}:{options.Port}/staff    Ctrl+C stops.");
                app.Run();
                return 0;
            }
            catch (CatalogueMismatchException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return CliErrors.BadInput;
            }
            catch (CatalogueFormatException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return CliErrors.BadInput;
            }
        }));
        return cmd;
    }

    /// <summary>The staff password from the file's first line or the environment, hashed at once; null when neither is set.</summary>
    private static StaffCredential? ReadStaffCredential(string? file)
    {
        string? secret;
        string where;
        if (file is not null)
        {
            if (!File.Exists(file)) throw new ArgumentException($"--staff-password-file {file}: file not found");
            secret = File.ReadLines(file).FirstOrDefault()?.TrimEnd('\r', '\n');
            where = $"--staff-password-file {file}";
        }
        else
        {
            secret = Environment.GetEnvironmentVariable(StaffPasswordVariable);
            where = StaffPasswordVariable;
        }
        if (string.IsNullOrEmpty(secret)) return file is null ? null : throw new ArgumentException($"{where}: the first line is empty");
        try
        {
            return StaffCredential.LooksLikeHash(secret) ? StaffCredential.Parse(secret) : StaffCredential.FromPassword(secret);
        }
        catch (FormatException e)
        {
            throw new ArgumentException($"{where}: {e.Message}");
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{where}: {e.Message.Split(" (Parameter")[0]}");
        }
    }
}
