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
        builder.Services.AddHostedService<IdleMemoryTrimmer>();
        builder.Services.AddSingleton<PaymentGuard>();
        var allowedHosts = AllowedHostList.For(options);
        builder.Services.AddHostFiltering(h =>
        {
            h.AllowedHosts = allowedHosts.ToList();
            h.AllowEmptyHosts = false;
            h.IncludeFailureMessage = false;
        });
        StaffAuth.AddServices(builder.Services, options);
        builder.Services.AddOpenApi(o => o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = CheckoutInfo.Name;
            doc.Info.Description = "Recognise pastries from a photo, bill them, and report the day's orders.";
            return Task.CompletedTask;
        }).AddOperationTransformer(OpenApiRequestBodies.DescribeAsync));
        options.ConfigureBuilder?.Invoke(builder);

        var app = builder.Build();
        // A foreign Host header (DNS rebinding) is refused before anything else runs.
        app.UseHostFiltering();
        app.Use(SecurityHeaders.ApplyAsync);
        app.UseExceptionHandler(errors => errors.Run(WriteUnhandledErrorAsync));
        app.UseStatusCodePages(async status =>
        {
            var response = status.HttpContext.Response;
            if (response.HasStarted || response.ContentLength > 0 || response.ContentType is not null) return;
            var message = response.StatusCode == StatusCodes.Status401Unauthorized ? StaffAuth.SignInRequired
                : $"{response.StatusCode} {ReasonPhrase(response.StatusCode)}: {status.HttpContext.Request.Method} {status.HttpContext.Request.Path}";
            await response.WriteAsJsonAsync(new ApiError(message));
        });
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        MapEndpoints(app);
        LogStartUp(app, options, store, allowedHosts);
        return app;
    }

    private static void LogStartUp(WebApplication app, CheckoutOptions options, IOrderStore store, IReadOnlyList<string> allowedHosts)
    {
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("SharpVision.Checkout");
        log.LogInformation("orders: {Store}", store is SqliteOrderStore s ? $"SQLite {s.Path}" : "PostgreSQL");
        if (options.StaffCredential is null)
            log.LogWarning("staff area disabled: no staff password configured (serve --staff-password-file FILE or SHARPVISION_STAFF_PASSWORD); orders, reports and voids are unreachable");
        else
            log.LogInformation("staff area: sign in on /staff (password stored as a PBKDF2 hash, {Iterations:N0} iterations)", options.StaffCredential.Iterations);
        if (options.PaymentProvider is null && options.StaffCredential is null)
            log.LogWarning("payments: none possible (no card terminal, and no staff to confirm cash): orders can be placed but stay unpaid");
        else
            log.LogInformation("payments: {Payments}", options.PaymentProvider is { } p
                ? $"{p.Method} terminal" + (options.StaffCredential is null ? "" : ", or cash confirmed by staff")
                : "cash confirmed by staff");
        if (allowedHosts.Contains("*")) log.LogWarning("allowed hosts: any (host filtering off; DNS rebinding is possible)");
        else log.LogInformation("allowed hosts: {Hosts}", string.Join(", ", allowedHosts));
    }

    private static void MapEndpoints(WebApplication app)
    {
        app.MapGet("/", () => StaticAssets.Serve("index.html")).ExcludeFromDescription();
        app.MapGet("/staff", () => StaticAssets.Serve("staff.html")).RequireAuthorization(StaffAuth.Policy).ExcludeFromDescription();
        StaffAuth.MapEndpoints(app);
        app.MapGet("/assets/{file}", (string file) => StaticAssets.Serve(file)).ExcludeFromDescription();
        app.MapOpenApi("/openapi.json");
        app.MapOpenApi();

        var api = app.MapGroup("/api");
        api.MapPost("/classify", ClassifyEndpoint.HandleAsync)
            .WithSummary("Recognise the item in a photo (multipart field 'image', JPEG, PNG or WebP).")
            .Produces<ClassifyResponse>()
            .ProducesErrors(400, 413, 415, 422);
        api.MapPost("/orders", OrderEndpoints.CreateAsync)
            .WithSummary("Place an order (unpaid until a payment step); prices from the catalogue. The answer carries the receipt code.")
            .Produces<OrderDto>(StatusCodes.Status201Created)
            .ProducesErrors(400, 413, 415, 503);
        api.MapGet("/orders/{id:long}", OrderEndpoints.GetAsync)
            .WithSummary("One order (the receipt): needs its receipt code (?code= or X-Receipt-Code) or staff sign-in.")
            .Produces<OrderDto>()
            .ProducesErrors(401, 404);
        api.MapPost("/orders/{id:long}/pay", OrderEndpoints.PayByCardAsync)
            .WithSummary("Pay an order by card through the till's payment provider (receipt code required).")
            .Produces<OrderDto>()
            .ProducesErrors(402, 404, 409, 503);
        api.MapPost("/orders/{id:long}/confirm-cash", OrderEndpoints.ConfirmCashAsync)
            .RequireAuthorization(StaffAuth.Policy).AddEndpointFilter(StaffAuth.RequireAntiforgeryAsync)
            .WithSummary("Staff: the customer paid cash; marks the order paid.")
            .Produces<OrderDto>()
            .ProducesErrors(401, 403, 404, 409);
        api.MapPost("/orders/{id:long}/void", OrderEndpoints.VoidAsync)
            .RequireAuthorization(StaffAuth.Policy).AddEndpointFilter(StaffAuth.RequireAntiforgeryAsync)
            .WithSummary("Staff: void an order (JSON {\"reason\": \"...\"}); recorded with who voided it.")
            .Produces<OrderDto>()
            .ProducesErrors(400, 401, 403, 404, 409);
        api.MapGet("/orders", OrderEndpoints.ListAsync)
            .RequireAuthorization(StaffAuth.Policy)
            .WithSummary("Staff: one day's orders; takings count paid orders only, voids separately (date=yyyy-MM-dd, default today).")
            .Produces<DayReportDto>()
            .ProducesErrors(400, 401);
        api.MapGet("/orders/export.csv", OrderEndpoints.ExportCsvAsync)
            .RequireAuthorization(StaffAuth.Policy)
            .WithSummary("Staff: one day's paid order lines as CSV.")
            .Produces<string>(contentType: "text/csv")
            .ProducesErrors(400, 401);
        api.MapGet("/health", HealthAsync)
            .WithSummary("Liveness: model, database and batching counters.")
            .Produces<HealthDto>()
            .ProducesErrors(503);
        api.MapGet("/model", (IImageClassifier c, CheckoutOptions o, InferenceBatcher b) =>
                Results.Json(new ModelDto(c.Info.ModelName, c.Info.Classes, c.Info.InputHeight, c.Info.InputWidth, c.Info.Metrics, o.ConfidenceThreshold, b.TopK)))
            .WithSummary("The loaded model: name, classes, input size, metrics.")
            .Produces<ModelDto>();
        api.MapGet("/catalogue", (ProductCatalogue c, CheckoutOptions o) =>
                Results.Json(new CatalogueDto(c.Currency, c.Entries.Select(ProductDto.From).ToList(), c.Settings.BusinessName, o.PaymentProvider is not null)))
            .WithSummary("The products and prices.")
            .Produces<CatalogueDto>();
    }

    private static async Task<IResult> HealthAsync(IOrderStore store, IImageClassifier classifier, InferenceBatcher batcher, ILoggerFactory logs,
        CancellationToken ct)
    {
        try
        {
            await store.PingAsync(ct);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
        {
            // The database's own message (paths, hosts) is for the log, not for whoever asks /api/health.
            logs.CreateLogger("SharpVision.Checkout").LogError(e, "health check: the {Kind} database is unavailable", store.Kind);
            return Api.Error(StatusCodes.Status503ServiceUnavailable, $"database ({store.Kind}) unavailable");
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
