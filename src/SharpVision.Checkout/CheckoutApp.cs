using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SharpVision.Checkout;

/// <summary>
/// Builds the café self-checkout web app around a classifier. The result is an ordinary <see cref="WebApplication"/>:
/// the CLI runs it on Kestrel, tests host it on a TestServer (via <see cref="CheckoutOptions.ConfigureBuilder"/>) or a
/// real loopback port.
/// </summary>
public static class CheckoutApp
{
    /// <summary>
    /// Validates the options, checks that the classifier's classes match the catalogue (throwing
    /// <see cref="CatalogueMismatchException"/> otherwise), opens and migrates the order database, and wires the
    /// pages and the API. The classifier stays owned by the caller; the app warms it up when it starts.
    /// </summary>
    public static WebApplication Build(CheckoutOptions options, IImageClassifier classifier)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(classifier);
        options.Validate();
        var info = classifier.Info ?? throw new ArgumentException("classifier.Info is null", nameof(classifier));
        if (info.Classes is not { Count: > 0 }) throw new ArgumentException($"model '{info.ModelName}' has no classes", nameof(classifier));
        if (info.InputHeight <= 0 || info.InputWidth <= 0)
            throw new ArgumentException($"model '{info.ModelName}' has an invalid input size {info.InputHeight}×{info.InputWidth}", nameof(classifier));

        var catalogue = options.Catalogue ?? (options.CataloguePath is { } path ? ProductCatalogue.Load(path) : ProductCatalogue.Default);
        catalogue.EnsureMatches(info);

        var store = OpenStore(options);
        try
        {
            return BuildApp(options, classifier, catalogue, store);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>The store the options select, with its schema created.</summary>
    internal static IOrderStore OpenStore(CheckoutOptions options)
    {
        IOrderStore store = string.IsNullOrWhiteSpace(options.PostgresConnectionString)
            ? new SqliteOrderStore(options.SqlitePath ?? CheckoutOptions.DefaultDatabasePath)
            : new PostgresOrderStore(options.PostgresConnectionString);
        try
        {
            store.InitializeAsync().GetAwaiter().GetResult();
            return store;
        }
        catch (Exception e)
        {
            store.Dispose();
            var where = store is SqliteOrderStore s ? $"SQLite file {s.Path}" : "PostgreSQL";
            throw new InvalidOperationException($"cannot open the order database ({where}): {e.Message}", e);
        }
    }

    private static WebApplication BuildApp(CheckoutOptions options, IImageClassifier classifier, ProductCatalogue catalogue, IOrderStore store)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(CheckoutApp).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxUploadBytes + ClassifyEndpoint.MultipartOverhead;
            if (options.Host is "localhost") kestrel.ListenLocalhost(options.Port);
            else if (IPAddress.TryParse(options.Host, out var ip)) kestrel.Listen(ip, options.Port);
            else throw new ArgumentException($"Host must be an IP address or 'localhost', got '{options.Host}'", nameof(options));
        });
        builder.Services.Configure<FormOptions>(form =>
        {
            form.MultipartBodyLengthLimit = options.MaxUploadBytes + ClassifyEndpoint.MultipartOverhead;
            form.ValueCountLimit = 16;
            form.MemoryBufferThreshold = 1024 * 1024;
        });
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(catalogue);
        builder.Services.AddSingleton(classifier);
        builder.Services.AddSingleton(_ => store); // factory registration: the container disposes it with the app
        builder.Services.AddSingleton<InferenceBatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<InferenceBatcher>());
        builder.Services.AddOpenApi(o => o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = CheckoutInfo.Name;
            doc.Info.Description = "Recognise pastries from a photo, bill them, and report the day's orders.";
            return Task.CompletedTask;
        }).AddOperationTransformer(OpenApiRequestBodies.DescribeAsync));
        options.ConfigureBuilder?.Invoke(builder);

        var app = builder.Build();
        app.UseExceptionHandler(errors => errors.Run(WriteUnhandledErrorAsync));
        app.UseStatusCodePages(async status =>
        {
            var response = status.HttpContext.Response;
            if (response.HasStarted || response.ContentLength > 0 || response.ContentType is not null) return;
            await response.WriteAsJsonAsync(new ApiError($"{response.StatusCode} {ReasonPhrase(response.StatusCode)}: {status.HttpContext.Request.Method} {status.HttpContext.Request.Path}"));
        });
        MapEndpoints(app);
        return app;
    }

    private static void MapEndpoints(WebApplication app)
    {
        app.MapGet("/", () => StaticAssets.Serve("index.html")).ExcludeFromDescription();
        app.MapGet("/staff", () => StaticAssets.Serve("staff.html")).ExcludeFromDescription();
        app.MapGet("/assets/{file}", (string file) => StaticAssets.Serve(file)).ExcludeFromDescription();
        app.MapOpenApi("/openapi.json");
        app.MapOpenApi();

        var api = app.MapGroup("/api");
        api.MapPost("/classify", ClassifyEndpoint.HandleAsync)
            .WithSummary("Recognise the item in a photo (multipart field 'image', JPEG or PNG).")
            .Produces<ClassifyResponse>()
            .ProducesErrors(400, 413, 415, 422);
        api.MapPost("/orders", OrderEndpoints.CreateAsync)
            .WithSummary("Pay: store an order; prices and totals are computed from the catalogue.")
            .Produces<OrderDto>(StatusCodes.Status201Created)
            .ProducesErrors(400, 413, 415, 503);
        api.MapGet("/orders/{id:long}", OrderEndpoints.GetAsync)
            .WithSummary("One order (the receipt).")
            .Produces<OrderDto>()
            .ProducesErrors(404);
        api.MapGet("/orders", OrderEndpoints.ListAsync)
            .WithSummary("Staff: the orders and totals of one day (date=yyyy-MM-dd, default today).")
            .Produces<DayReportDto>()
            .ProducesErrors(400);
        api.MapGet("/orders/export.csv", OrderEndpoints.ExportCsvAsync)
            .WithSummary("Staff: one day's order lines as CSV.")
            .Produces<string>(contentType: "text/csv")
            .ProducesErrors(400);
        api.MapGet("/health", HealthAsync)
            .WithSummary("Liveness: model, database and batching counters.")
            .Produces<HealthDto>()
            .ProducesErrors(503);
        api.MapGet("/model", (IImageClassifier c, CheckoutOptions o, InferenceBatcher b) =>
                Results.Json(new ModelDto(c.Info.ModelName, c.Info.Classes, c.Info.InputHeight, c.Info.InputWidth, c.Info.Metrics, o.ConfidenceThreshold, b.TopK)))
            .WithSummary("The loaded model: name, classes, input size, metrics.")
            .Produces<ModelDto>();
        api.MapGet("/catalogue", (ProductCatalogue c) => Results.Json(new CatalogueDto(c.Currency, c.Entries.Select(ProductDto.From).ToList())))
            .WithSummary("The products and prices.")
            .Produces<CatalogueDto>();
    }

    private static async Task<IResult> HealthAsync(IOrderStore store, IImageClassifier classifier, InferenceBatcher batcher, CancellationToken ct)
    {
        try
        {
            await store.PingAsync(ct);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
        {
            return Api.Error(StatusCodes.Status503ServiceUnavailable, $"database ({store.Kind}) unavailable: {e.Message}");
        }
        return Results.Json(new HealthDto("ok", classifier.Info.ModelName, store.Kind, batcher.Statistics));
    }

    private static async Task WriteUnhandledErrorAsync(HttpContext context)
    {
        var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        if (error is OperationCanceledException && context.RequestAborted.IsCancellationRequested) return; // the client left
        var (status, message) = error switch
        {
            BadHttpRequestException bad => (bad.StatusCode, $"bad request: {bad.Message}"),
            ClassifierFailedException => (StatusCodes.Status500InternalServerError, "the recogniser failed on this photo; please try again or call staff"),
            _ => (StatusCodes.Status500InternalServerError, "internal error; please call staff"),
        };
        context.Response.StatusCode = status;
        await context.Response.WriteAsJsonAsync(new ApiError(message));
    }

    private static RouteHandlerBuilder ProducesErrors(this RouteHandlerBuilder endpoint, params int[] statuses)
    {
        foreach (var s in statuses) endpoint.Produces<ApiError>(s);
        return endpoint;
    }

    private static string ReasonPhrase(int status) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);
}
