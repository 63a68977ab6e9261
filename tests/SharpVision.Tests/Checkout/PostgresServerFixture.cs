using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using SharpVision.Tests.Support;

namespace SharpVision.Tests.Checkout;

/// <summary>
/// A real, throw-away PostgreSQL server for the order tests: Debian's postgresql binaries, a temp data directory, a free
/// loopback port, trust auth, stopped and deleted on dispose. initdb refuses to run as root, so when the tests run as
/// root the server runs as the <c>postgres</c> system user via <c>runuser</c>. Started lazily by the first test that
/// asks. Without the binaries <see cref="Available"/> is false locally; in CI (CI=true) the tests run anyway and fail.
/// </summary>
public sealed class PostgresServerFixture : IDisposable
{
    private readonly object _gate = new();
    private string? _dir;
    private int _port;
    private string? _serverUser;

    /// <summary>The bin folder of the newest installed PostgreSQL, or null.</summary>
    public static string? BinDir { get; } = FindBinDir();

    /// <summary>True when PostgreSQL tests can run here (or must, under CI).</summary>
    public static bool Available => BinDir is not null || TestPaths.InCi;

    /// <summary>Creates a new empty database on the server (starting it if needed) and returns its connection string.</summary>
    public string CreateDatabase()
    {
        var admin = AdminConnectionString();
        var name = "checkout_" + Guid.NewGuid().ToString("N")[..12];
        using (var conn = new NpgsqlConnection(admin))
        {
            conn.Open();
            using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", conn); // name is ours: [a-z0-9_] only
            cmd.ExecuteNonQuery();
        }
        return new NpgsqlConnectionStringBuilder(admin) { Database = name }.ToString();
    }

    private string AdminConnectionString()
    {
        lock (_gate)
        {
            if (_dir is null) Start();
            return $"Host=127.0.0.1;Port={_port};Username=postgres;Database=postgres;Timeout=15";
        }
    }

    private void Start()
    {
        var bin = BinDir ?? throw new InvalidOperationException("PostgreSQL binaries not found under /usr/lib/postgresql/*/bin (apt-get install postgresql)");
        var dir = Path.Combine(Path.GetTempPath(), "sv-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        _serverUser = Environment.UserName == "root" || Environment.GetEnvironmentVariable("USER") == "root" ? "postgres" : null;
        if (_serverUser is not null) Run("chown", ["-R", $"{_serverUser}:{_serverUser}", dir], asServer: false);
        _port = FreePort();
        var data = Path.Combine(dir, "data");
        Run(Path.Combine(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync"], asServer: true);
        Run(Path.Combine(bin, "pg_ctl"), ["-D", data, "-l", Path.Combine(dir, "server.log"), "-w", "-t", "60",
            "-o", $"-c listen_addresses=127.0.0.1 -p {_port} -c unix_socket_directories={dir} -c max_connections=50", "start"], asServer: true);
        _dir = dir;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            if (_dir is null) return;
            try { Run(Path.Combine(BinDir!, "pg_ctl"), ["-D", Path.Combine(_dir, "data"), "-m", "immediate", "-w", "stop"], asServer: true); }
            catch (InvalidOperationException) { }
            NpgsqlConnection.ClearAllPools();
            try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            _dir = null;
        }
    }

    private void Run(string file, string[] args, bool asServer)
    {
        var psi = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (asServer && _serverUser is not null)
        {
            psi.FileName = "runuser";
            foreach (var a in (string[])["-u", _serverUser, "--", file]) psi.ArgumentList.Add(a);
        }
        else psi.FileName = file;
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(90_000)) { p.Kill(true); throw new InvalidOperationException($"{file} timed out"); }
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', args)} failed ({p.ExitCode}): {stderr.Result}{stdout.Result}");
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private static string? FindBinDir()
    {
        const string root = "/usr/lib/postgresql";
        if (!Directory.Exists(root)) return null;
        return Directory.GetDirectories(root)
            .Select(d => (Dir: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
            .Where(x => File.Exists(Path.Combine(x.Dir, "initdb")) && File.Exists(Path.Combine(x.Dir, "pg_ctl")))
            .OrderByDescending(x => x.Version).Select(x => x.Dir).FirstOrDefault();
    }
}
