using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace FleetInfra.Hosting.Runtime;

/// <summary>
/// This stack's own persistent containers, as the container runtime sees them: asked only for a proxy-less endpoint
/// of a persistent container whose fixed host port is taken (see <see cref="Configuration.HostPorts.FindClashes"/>).
/// </summary>
internal static class PersistentContainers
{
    /// <summary>
    /// The name Aspire gives a persistent container: its <see cref="ContainerNameAnnotation"/>, else
    /// <c>&lt;resource&gt;-&lt;first 8 characters of AppHost:Sha256, lowercase&gt;</c> - stable per AppHost, so the next run
    /// finds it again (Aspire 13.6 <c>DcpNameGenerator.GetContainerName</c>/<c>GetProjectHashSuffix</c>,
    /// github.com/dotnet/aspire src/Aspire.Hosting/Dcp/DcpNameGenerator.cs).
    /// </summary>
    public static string NameOf(IResource resource, IConfiguration configuration)
    {
        if (resource.TryGetLastAnnotation<ContainerNameAnnotation>(out var name))
        {
            return name.Name;
        }

        var hash = configuration["AppHost:Sha256"];
        return hash is { Length: >= 8 } ? $"{resource.Name}-{hash[..8].ToLowerInvariant()}" : resource.Name;
    }

    /// <summary>
    /// Whether the running container <paramref name="containerName"/> publishes host port <paramref name="port"/>. False
    /// when the runtime does not answer within a few seconds: then the port counts as taken by another program.
    /// </summary>
    public static bool Publishes(string runtime, string containerName, int port)
    {
        // `docker ps --format '{{.Ports}}'` lists the published ports as "127.0.0.1:5432->5432/tcp, …" (Docker and Podman).
        var start = new ProcessStartInfo(runtime, ["ps", "--filter", $"name=^{containerName}$", "--format", "{{.Ports}}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        try
        {
            using var process = Process.Start(start);
            if (process is null)
            {
                return false;
            }

            var output = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(5)))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }

            var published = $":{port.ToString(CultureInfo.InvariantCulture)}->";
            return process.ExitCode == 0 && output.Result.Contains(published, StringComparison.Ordinal);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // no runtime on PATH
        }
    }
}
