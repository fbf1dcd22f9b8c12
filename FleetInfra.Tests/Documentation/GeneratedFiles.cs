using FleetInfra.Hosting.Documentation;
using FleetInfra.Tests.Infrastructure;

namespace FleetInfra.Tests.Documentation;

/// <summary>
/// Runs the real <c>generate-docs</c> pipeline step (Aspire's manifest step included) once, in-process, into a
/// temporary folder, with a recognisable value for every secret parameter, so the tests can compare each
/// derived file with the committed one and look for leaked secrets.
/// </summary>
public sealed partial class GeneratedFiles : IAsyncLifetime
{
    /// <summary>Where the step wrote its files.</summary>
    public string OutputRoot { get; } = Directory.CreateTempSubdirectory("fleetinfra-docs-").FullName;

    /// <summary>The repository root, holding the committed files.</summary>
    public string RepositoryRoot { get; private set; } = "";

    /// <summary>Secret parameter name → the value the run was given.</summary>
    public IReadOnlyDictionary<string, string> SecretValues { get; private set; } = new Dictionary<string, string>();

    /// <summary>
    /// A generated file. Aspire writes a project's path relative to the manifest's folder - here a temporary one - so
    /// the manifest's project paths are made relative to the repository's aspire-manifest/ folder, as generate-docs writes them.
    /// </summary>
    public string Generated(string relativePath)
    {
        var text = File.ReadAllText(Path.Combine(OutputRoot, relativePath));
        return !relativePath.EndsWith("aspire-manifest.json", StringComparison.Ordinal) ? text : ProjectPath().Replace(text, m =>
        {
            var absolute = Path.GetFullPath(Path.Combine(OutputRoot, "aspire-manifest", m.Groups["path"].Value));
            return $"\"path\": \"{Path.GetRelativePath(Path.Combine(RepositoryRoot, "aspire-manifest"), absolute).Replace('\\', '/')}\"";
        });
    }

    [System.Text.RegularExpressions.GeneratedRegex("\"path\": \"(?<path>[^\"]+\\.csproj)\"")]
    private static partial System.Text.RegularExpressions.Regex ProjectPath();

    public string? Committed(string relativePath) =>
        File.Exists(Path.Combine(RepositoryRoot, relativePath)) ? File.ReadAllText(Path.Combine(RepositoryRoot, relativePath)) : null;

    public async Task InitializeAsync()
    {
        string[] secretArgs;
        await using (var model = await FleetModel.CreatePublishAsync())
        {
            RepositoryRoot = Path.GetFullPath(Path.Combine(model.AppHostDirectory, ".."));
            SecretValues = SecretParameters(model.Resources).ToDictionary(p => p.Name, p => $"leak-probe-{p.Name}-{Guid.NewGuid():N}");
            secretArgs = [.. SecretValues.Select(s => $"Parameters:{s.Key}={s.Value}")];
        }

        // The step rewrites README.md's generated region in place, so it needs the committed README to work on.
        if (Committed("README.md") is { } readme)
        {
            await File.WriteAllTextAsync(Path.Combine(OutputRoot, "README.md"), readme);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FleetInfra_AppHost>(
            ["--operation", "publish", "--step", DocumentationStep.Name, "--output-path", OutputRoot, FleetModel.NoDeploymentState, .. secretArgs], timeout.Token);
        await using var app = await builder.BuildAsync(timeout.Token);
        // The probe only proves something if the parameters really hold the probe values.
        foreach (var parameter in SecretParameters(builder.Resources))
        {
            Assert.Equal(SecretValues[parameter.Name], await parameter.GetValueAsync(timeout.Token));
        }

        // In publish mode the app runs the pipeline and stops; a failing step makes RunAsync throw.
        await app.RunAsync(timeout.Token);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(OutputRoot, recursive: true);
        return Task.CompletedTask;
    }

    // Every secret parameter a resource holds, also those kept off the resource list (AddPostgres's password).
    private static IEnumerable<ParameterResource> SecretParameters(IEnumerable<IResource> resources) =>
        resources.SelectMany(r => r.GetType().GetProperties()
                .Where(p => p.PropertyType == typeof(ParameterResource) && p.GetIndexParameters().Length == 0)
                .Select(p => p.GetValue(r) as ParameterResource)
                .Append(r as ParameterResource))
            .OfType<ParameterResource>()
            .Where(p => p.Secret)
            .DistinctBy(p => p.Name);
}
