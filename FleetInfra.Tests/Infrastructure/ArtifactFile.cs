namespace FleetInfra.Tests.Infrastructure;

/// <summary>Writes test outputs (timings, reports) under the repository's artifacts/ folder (git-ignored).</summary>
internal static class ArtifactFile
{
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FleetInfra.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("FleetInfra.sln not found above the test output folder.");
    }

    public static string Write(string name, string contents)
    {
        var path = Path.Combine(RepositoryRoot(), "artifacts", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, contents);
        return path;
    }
}
