using System.Net;

namespace SharpVision.Tests.Transfer;

/// <summary>An HTTP server on 127.0.0.1 serving fixed byte arrays by path (never the network), counting requests.</summary>
internal sealed class LoopbackFileServer : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly Dictionary<string, byte[]> files;
    private readonly Task loop;

    public LoopbackFileServer(Dictionary<string, byte[]> files)
    {
        this.files = files;
        for (var attempt = 0; ; attempt++)
        {
            Port = SharpVision.Distributed.FreePort.Find();
            listener.Prefixes.Clear();
            listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            try
            {
                listener.Start();
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                // The port was taken between probing and binding: try another.
            }
        }
        loop = Task.Run(Serve);
    }

    public int Port { get; }

    public int Requests;

    public Uri Url(string path) => new($"http://127.0.0.1:{Port}{path}");

    private async Task Serve()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            Interlocked.Increment(ref Requests);
            using var response = context.Response;
            if (files.TryGetValue(context.Request.Url!.AbsolutePath, out var body))
            {
                response.StatusCode = 200;
                response.ContentLength64 = body.Length;
                await response.OutputStream.WriteAsync(body);
            }
            else response.StatusCode = 404;
        }
    }

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
        try { loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
    }
}
