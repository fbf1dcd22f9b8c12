namespace FleetInfra.Tests.Infrastructure;

/// <summary>A unique folder under the system temp directory, deleted on dispose (the publish output of a test).</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"fleetinfra-test-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
