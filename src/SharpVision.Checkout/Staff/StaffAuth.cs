using System.Security.Claims;
using System.Text.Json;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SharpVision.Checkout;

/// <summary>
/// Staff sign-in with ASP.NET Core authentication: a cookie session for the staff page (anti-forgery token on every
/// change), a bearer token for scripts, one "staff" policy on every staff endpoint, and rate-limited sign-in attempts.
/// 401 and 403 come back as JSON errors on the API; the staff page redirects to its sign-in page.
/// </summary>
internal static class StaffAuth
{
    public const string Scheme = "staff";
    public const string CookieScheme = "staff-cookie";
    public const string BearerScheme = "staff-bearer";
    public const string Policy = "staff";
    public const string Role = "staff";
    public const string SignInLimit = "staff-sign-in";
    public const string CsrfHeader = "X-CSRF-TOKEN";
    public const string SignInPage = "/staff/sign-in";
    private const int MaxSignInBodyBytes = 4096;

    public const string SignInRequired = "staff sign-in required: sign in on /staff, or send 'Authorization: Bearer TOKEN' from POST /api/staff/token";
    public const string Disabled = "the staff area is disabled: no staff password is configured (serve --staff-password-file FILE)";

    public static void AddServices(IServiceCollection services, CheckoutOptions options)
    {
        // Keys live in memory: a restart signs staff out, and no key file is left on the till.
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "Staff (cookie or bearer)", o => o.ForwardDefaultSelector = ctx => IsBearer(ctx.Request) ? BearerScheme : CookieScheme)
            .AddCookie(CookieScheme, o =>
            {
                o.Cookie.Name = "sv-staff";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = options.StaffSessionLifetime;
                o.SlidingExpiration = true;
                o.LoginPath = SignInPage;
                o.Events.OnRedirectToLogin = ctx => Deny(ctx, StatusCodes.Status401Unauthorized, SignInRequired);
                o.Events.OnRedirectToAccessDenied = ctx => Deny(ctx, StatusCodes.Status403Forbidden, "signed in, but not as staff");
            })
            .AddBearerToken(BearerScheme, o => o.BearerTokenExpiration = options.StaffSessionLifetime);
        services.AddAuthorizationBuilder().AddPolicy(Policy, p => p.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser().RequireRole(Role));
        services.AddAntiforgery(o =>
        {
            o.HeaderName = CsrfHeader;
            o.Cookie.Name = "sv-csrf";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.SuppressXFrameOptionsHeader = true; // SecurityHeaders sends DENY for every response
        });
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (ctx, ct) =>
            {
                ctx.HttpContext.Response.Headers.RetryAfter = "60";
                await ctx.HttpContext.Response.WriteAsJsonAsync(new ApiError("too many sign-in attempts from this address; wait a minute and try again"), ct);
            };
            o.AddPolicy(SignInLimit, http => RateLimitPartition.GetFixedWindowLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = options.StaffSignInAttemptsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });
    }

    public static void MapEndpoints(WebApplication app)
    {
        app.MapGet(SignInPage, () => StaticAssets.Serve("sign-in.html")).ExcludeFromDescription();
        var staff = app.MapGroup("/api/staff");
        staff.MapPost("/sign-in", (HttpContext c, CheckoutOptions o, ILoggerFactory l) => SignInAsync(c, o, l, bearer: false))
            .RequireRateLimiting(SignInLimit)
            .WithSummary("Staff: sign in for the staff page (JSON {name, password}); sets the session cookie.")
            .Produces<StaffSessionDto>().Produces<ApiError>(400).Produces<ApiError>(401).Produces<ApiError>(403).Produces<ApiError>(429);
        staff.MapPost("/token", (HttpContext c, CheckoutOptions o, ILoggerFactory l) => SignInAsync(c, o, l, bearer: true))
            .RequireRateLimiting(SignInLimit)
            .WithSummary("Staff: a bearer token for scripts (JSON {name, password}) → {accessToken, expiresIn}.")
            .Produces<ApiError>(400).Produces<ApiError>(401).Produces<ApiError>(403).Produces<ApiError>(429);
        staff.MapGet("/session", (HttpContext c, IAntiforgery antiforgery) =>
                Results.Json(new StaffSessionDto(StaffName(c.User), antiforgery.GetAndStoreTokens(c).RequestToken)))
            .RequireAuthorization(Policy)
            .WithSummary("Staff: who is signed in, and the anti-forgery token to send as X-CSRF-TOKEN.")
            .Produces<StaffSessionDto>().Produces<ApiError>(401);
        staff.MapPost("/sign-out", async (HttpContext c) =>
            {
                await c.SignOutAsync(CookieScheme);
                return Results.NoContent();
            })
            .RequireAuthorization(Policy).AddEndpointFilter(RequireAntiforgeryAsync)
            .WithSummary("Staff: end the cookie session.");
    }

    /// <summary>The signed-in staff member's name ("who" on voids and cash payments).</summary>
    public static string StaffName(ClaimsPrincipal user) => user.Identity?.Name ?? "staff";

    /// <summary>Whether the request is from a signed-in staff member (cookie or bearer).</summary>
    public static bool IsStaff(ClaimsPrincipal user) => user.Identity?.IsAuthenticated == true && user.IsInRole(Role);

    /// <summary>
    /// An endpoint filter for staff changes: a cookie session must send the anti-forgery token (a cross-site page
    /// cannot read it); a bearer token is not sent by browsers on their own, so it needs none.
    /// </summary>
    public static async ValueTask<object?> RequireAntiforgeryAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!IsBearer(http.Request) && !await http.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(http))
            return Api.Error(StatusCodes.Status403Forbidden, $"missing or invalid anti-forgery token ({CsrfHeader}); reload the staff page");
        return await next(context);
    }

    private static bool IsBearer(HttpRequest request) =>
        request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);

    private static Task Deny(RedirectContext<CookieAuthenticationOptions> ctx, int status, string message)
    {
        if (!ctx.Request.Path.StartsWithSegments("/api"))
        {
            // Pages go to the sign-in page; it always returns to /staff (no caller-chosen redirect target).
            ctx.Response.Redirect(SignInPage);
            return Task.CompletedTask;
        }
        ctx.Response.StatusCode = status;
        return ctx.Response.WriteAsJsonAsync(new ApiError(message));
    }

    private static async Task<IResult> SignInAsync(HttpContext context, CheckoutOptions options, ILoggerFactory logs, bool bearer)
    {
        if (options.StaffCredential is not { } credential) return Api.Error(StatusCodes.Status403Forbidden, Disabled);
        byte[]? body;
        try
        {
            body = await Api.ReadBodyAsync(context.Request, MaxSignInBodyBytes, context.RequestAborted);
        }
        catch (BadHttpRequestException)
        {
            return Api.Error(StatusCodes.Status400BadRequest, "the sign-in request was cut off");
        }
        if (body is null) return Api.Error(StatusCodes.Status413PayloadTooLarge, "sign-in body is too large");
        if (!TryParse(body, out var name, out var password, out var problem)) return Api.Error(StatusCodes.Status400BadRequest, problem);

        var log = logs.CreateLogger("SharpVision.Checkout.Staff");
        if (!credential.Verify(password))
        {
            log.LogWarning("failed staff sign-in as {Name} from {Address}", name, context.Connection.RemoteIpAddress);
            return Api.Error(StatusCodes.Status401Unauthorized, "wrong staff password");
        }
        log.LogInformation("staff {Name} signed in ({Kind}) from {Address}", name, bearer ? "bearer token" : "cookie", context.Connection.RemoteIpAddress);
        var principal = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.NameIdentifier, name), new Claim(ClaimTypes.Role, Role)],
            bearer ? BearerScheme : CookieScheme));
        if (bearer) return Results.SignIn(principal, authenticationScheme: BearerScheme);
        await context.SignInAsync(CookieScheme, principal);
        return Results.Json(new StaffSessionDto(name, null));
    }

    /// <summary>Reads <c>{"name": "...", "password": "..."}</c>; the name (who voids, who took cash) is 1–40 printable characters.</summary>
    private static bool TryParse(byte[] body, out string name, out string password, out string problem)
    {
        name = password = problem = "";
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) { problem = "body must be {\"name\": \"...\", \"password\": \"...\"}"; return false; }
            name = root.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()!.Trim() : "";
            password = root.TryGetProperty("password", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString()! : "";
        }
        catch (JsonException)
        {
            problem = "body is not valid JSON; expected {\"name\": \"...\", \"password\": \"...\"}";
            return false;
        }
        if (name.Length is 0 or > 40 || name.Any(char.IsControl)) { problem = "'name' must be 1 to 40 printable characters (who is signing in)"; return false; }
        if (password.Length == 0) { problem = "'password' is missing"; return false; }
        return true;
    }
}
