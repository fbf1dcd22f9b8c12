using System.Net;
using System.Net.Sockets;

namespace FleetInfra.Tests.Publishing;

/// <summary>
/// The schema download path of <see cref="SchemaStore"/> against a file server on loopback: the locked files download,
/// are checked and cached; a file whose bytes differ from the lock fails with its name and leaves no cache behind.
/// </summary>
public sealed class SchemaStoreTests : IDisposable
{
    private readonly string _cacheRoot = Path.Combine(Path.GetTempPath(), $"fleetinfra-schema-cache-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_cacheRoot))
        {
            Directory.Delete(_cacheRoot, recursive: true);
        }
    }

    [Fact]
    public async Task The_locked_files_download_from_their_repositories_are_checked_and_cached()
    {
        var (entries, hash) = SchemaStore.ReadLock();
        var local = SchemaStore.Locate();
        // The server answers like the raw-file host: /<repository>/<commit>/<path>, from a verified local copy.
        var files = entries.ToDictionary(e => $"/{e.Repository}/{e.Commit}/{e.Path}", e => File.ReadAllBytes(Path.Combine(local, e.LocalPath)));
        using var server = new LoopbackFileServer(files);
        var store = new SchemaStore(entries, hash, _cacheRoot, server.Prefix + "{repository}/{commit}/{path}");

        var folder = await store.DownloadAsync(CancellationToken.None);

        Assert.Equal(store.CacheFolder, folder);
        Assert.Equal(entries.Count, server.Requests);
        Assert.Empty(store.Verify(folder));
        Assert.Equal(entries.Count, Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Length);
        // Cached: the next resolution, with neither a configured folder nor ../shared, downloads nothing.
        Assert.Equal(folder, store.Resolve(configured: null, shared: Path.Combine(_cacheRoot, "no-shared")));
        Assert.Equal(entries.Count, server.Requests);
        // And what was cached is usable: the validator loads it.
        Assert.NotEmpty(new KubernetesSchemas(folder).CustomResourceSchemas);
    }

    [Fact]
    public async Task A_file_whose_checksum_differs_from_the_lock_fails_naming_it_and_caches_nothing()
    {
        var good = "kind: Good\n"u8.ToArray();
        var entries = new List<SchemaStore.Entry>
        {
            new(Sha256(good), "crds/good.yaml", "example/repo", "crds/good.yaml", new string('a', 40)),
            new(Sha256("kind: Expected\n"u8.ToArray()), "crds/changed.yaml", "example/repo", "crds/changed.yaml", new string('a', 40)),
        };
        using var server = new LoopbackFileServer(new Dictionary<string, byte[]>
        {
            [$"/example/repo/{new string('a', 40)}/crds/good.yaml"] = good,
            [$"/example/repo/{new string('a', 40)}/crds/changed.yaml"] = "kind: Tampered\n"u8.ToArray(),
        });
        var store = new SchemaStore(entries, "test", _cacheRoot, server.Prefix + "{repository}/{commit}/{path}");

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => store.DownloadAsync(CancellationToken.None));

        Assert.StartsWith($"Checksum mismatch for the Kubernetes schema crds/changed.yaml downloaded from {server.Prefix}example/repo/", failure.Message);
        Assert.Contains($"SHA-256 {Sha256("kind: Tampered\n"u8.ToArray())}, expected {entries[1].Sha256}", failure.Message);
        Assert.Contains("Nothing was cached.", failure.Message);
        Assert.False(Directory.Exists(store.CacheFolder));
        Assert.Empty(Directory.GetFileSystemEntries(_cacheRoot));
    }

    [Fact]
    public void A_configured_folder_with_other_bytes_is_refused_naming_the_file()
    {
        var entries = new List<SchemaStore.Entry> { new(Sha256("kind: Expected\n"u8.ToArray()), "crds/a.yaml", "example/repo", "crds/a.yaml", new string('a', 40)) };
        var folder = Path.Combine(_cacheRoot, "configured");
        Directory.CreateDirectory(Path.Combine(folder, "crds"));
        File.WriteAllText(Path.Combine(folder, "crds", "a.yaml"), "kind: Newer\n");
        var store = new SchemaStore(entries, "test", Path.Combine(_cacheRoot, "cache"), "http://127.0.0.1:9/{path}");

        var failure = Assert.Throws<InvalidOperationException>(() => store.Resolve(configured: folder, shared: null));

        Assert.Contains($"FLEETINFRA_K8S_SCHEMAS={folder} does not hold the locked schema files: crds/a.yaml has SHA-256 ", failure.Message);
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));

    /// <summary>A minimal static file server on 127.0.0.1 (a free port), counting the requests it answers.</summary>
    private sealed class LoopbackFileServer : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Task _loop;
        private int _requests;

        public LoopbackFileServer(IReadOnlyDictionary<string, byte[]> files)
        {
            using (var probe = new TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                Prefix = $"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}/";
                probe.Stop();
            }

            _listener.Prefixes.Add(Prefix);
            _listener.Start();
            _loop = Task.Run(async () =>
            {
                while (_listener.IsListening)
                {
                    HttpListenerContext context;
                    try
                    {
                        context = await _listener.GetContextAsync();
                    }
                    catch (Exception) when (!_listener.IsListening)
                    {
                        return;
                    }

                    Interlocked.Increment(ref _requests);
                    if (files.TryGetValue(context.Request.Url!.AbsolutePath, out var body))
                    {
                        context.Response.ContentLength64 = body.Length;
                        await context.Response.OutputStream.WriteAsync(body);
                    }
                    else
                    {
                        context.Response.StatusCode = 404;
                    }

                    context.Response.Close();
                }
            });
        }

        public string Prefix { get; }

        public int Requests => Volatile.Read(ref _requests);

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
    }
}
