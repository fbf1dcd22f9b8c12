using FleetInfra.Hosting.Configuration;

namespace FleetInfra.Hosting.Passes;

/// <summary>What every <see cref="IModelPass"/> works on: the Aspire builder, the parsed settings and the exclusion log.</summary>
internal sealed class ModelPassContext(IDistributedApplicationBuilder app, FleetInfraSettings settings, List<string> exclusionLog)
{
    /// <summary>The Aspire builder whose model is completed.</summary>
    public IDistributedApplicationBuilder App { get; } = app;

    /// <summary>The parsed <c>FleetInfra:*</c> configuration.</summary>
    public FleetInfraSettings Settings { get; } = settings;

    /// <summary>What the exclusions removed or changed, one line each.</summary>
    public List<string> ExclusionLog { get; } = exclusionLog;

    /// <summary>True in a local run: exclusions and host ports are a local matter, publishing keeps the declared model.</summary>
    public bool IsRunMode => App.ExecutionContext.IsRunMode;
}
