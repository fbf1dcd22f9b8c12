using Aspire.Hosting.Pipelines;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace FleetInfra.Hosting.Configuration;

/// <summary>
/// Aspire's deployment state without secrets. Aspire's publish saves every resolved parameter under its configuration key
/// (<c>Parameters:&lt;name&gt;</c>, one section each: dotnet/aspire src/Aspire.Hosting/Orchestrator/ParameterProcessor.cs,
/// <c>SaveParametersToDeploymentStateAsync</c>), the secrets of Aspire's own integrations (<c>postgres-password</c>) and
/// the model's alike. This decorator of <see cref="IDeploymentStateManager"/> deletes such a section instead of saving
/// it, which also removes a value an earlier version left there; every other section (and every other step's state)
/// passes through. Registered for publish mode, so every publish-mode step (<c>publish</c>, an in-memory publish) benefits.
/// </summary>
internal sealed class SecretFreeDeploymentState(IDeploymentStateManager inner, DistributedApplicationModel model, DistributedApplicationExecutionContext context,
    ILogger<SecretFreeDeploymentState> logger) : IDeploymentStateManager
{
    private readonly Lazy<Task<HashSet<string>>> _secretSections = new(() => SecretSectionsAsync(model, context));

    /// <inheritdoc/>
    public string? StateFilePath => inner.StateFilePath;

    /// <inheritdoc/>
    public Task<DeploymentStateSection> AcquireSectionAsync(string sectionName, CancellationToken cancellationToken = default) =>
        inner.AcquireSectionAsync(sectionName, cancellationToken);

    /// <inheritdoc/>
    public async Task SaveSectionAsync(DeploymentStateSection section, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(section);
        if (!(await _secretSections.Value.ConfigureAwait(false)).Contains(section.SectionName))
        {
            await inner.SaveSectionAsync(section, cancellationToken).ConfigureAwait(false);
            return;
        }

        logger.LogDebug("Secret parameter {Section} is not saved to the deployment state.", section.SectionName);
        await inner.DeleteSectionAsync(section, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public Task DeleteSectionAsync(DeploymentStateSection section, CancellationToken cancellationToken = default) =>
        inner.DeleteSectionAsync(section, cancellationToken);

    /// <inheritdoc/>
    public Task ClearAllStateAsync(CancellationToken cancellationToken = default) => inner.ClearAllStateAsync(cancellationToken);

    /// <summary>
    /// The sections of every secret parameter Aspire saves: the model's own and those its resources reference (an
    /// integration's generated password is no resource of the model), found as ParameterProcessor finds them.
    /// </summary>
    private static async Task<HashSet<string>> SecretSectionsAsync(DistributedApplicationModel model, DistributedApplicationExecutionContext context)
    {
        var parameters = new List<ParameterResource>(model.Resources.OfType<ParameterResource>());
        foreach (var resource in model.Resources)
        {
            parameters.AddRange((await resource.GetResourceDependenciesAsync(context, ResourceDependencyDiscoveryMode.Recursive).ConfigureAwait(false)).OfType<ParameterResource>());
        }

        return parameters.Where(p => p.Secret).Select(p => $"Parameters:{p.Name}").ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Wraps the deployment-state manager Aspire registered (publish mode only; run mode keeps user secrets).</summary>
    public static void Register(IDistributedApplicationBuilder builder)
    {
        if (!builder.ExecutionContext.IsPublishMode
            || builder.Services.LastOrDefault(s => s.ServiceType == typeof(IDeploymentStateManager)) is not { ImplementationType: { } implementation })
        {
            return;
        }

        builder.Services.Replace(ServiceDescriptor.Singleton<IDeploymentStateManager>(services => new SecretFreeDeploymentState(
            (IDeploymentStateManager)ActivatorUtilities.CreateInstance(services, implementation),
            services.GetRequiredService<DistributedApplicationModel>(),
            services.GetRequiredService<DistributedApplicationExecutionContext>(),
            services.GetRequiredService<ILogger<SecretFreeDeploymentState>>())));
    }
}
