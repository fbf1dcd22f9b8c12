using FleetInfra.Hosting.Publishing.Workloads;
using FleetInfra.Hosting.Waves;
using k8s;
using k8s.Models;

namespace FleetInfra.Hosting.Publishing;

/// <summary>Builds the Flux tree from the model: per cluster overlay, every component's objects, then lints them.</summary>
internal static class FluxPublisher
{
    /// <summary>The components the tree deploys (<see cref="FleetComponents.Of"/>).</summary>
    public static IEnumerable<IResource> Components(DistributedApplicationModel model) => FleetComponents.Of(model.Resources);

    public static IReadOnlyList<FluxWave> Waves(DistributedApplicationModel model)
    {
        var waves = model.Resources.OfType<WaveResource>().ToList();
        return waves.Select((w, i) => new FluxWave(w, i, Upstream(w))).ToList();

        static HashSet<string> Upstream(WaveResource wave)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var stack = new Stack<WaveResource>(wave.DependsOn.Select(d => d.Wave));
            while (stack.TryPop(out var next))
            {
                if (seen.Add(next.Name))
                {
                    foreach (var up in next.DependsOn)
                    {
                        stack.Push(up.Wave);
                    }
                }
            }

            return seen;
        }
    }

    /// <summary>Builds every cluster overlay and lints it; throws <see cref="FluxLintException"/> on problems.</summary>
    public static async Task<FluxTree> BuildAsync(DistributedApplicationModel model, FluxEnvironmentResource environment,
        DistributedApplicationExecutionContext executionContext, CancellationToken cancellationToken)
    {
        if (UnplacedComponents.Of(model.Resources) is { Count: > 0 } unplaced)
        {
            throw new FluxPublishException(string.Join(" ", unplaced.Select(UnplacedComponents.Describe)));
        }

        var waves = Waves(model);
        var byName = waves.ToDictionary(w => w.Name, StringComparer.Ordinal);
        var builds = new List<FluxBuild>();
        var charts = HelmReleaseWriter.Charts(Components(model));
        foreach (var definition in environment.Clusters)
        {
            var cluster = await ResolveAsync(definition, model, cancellationToken).ConfigureAwait(false);
            var context = new FluxBuildContext(model, environment, cluster, executionContext, byName, cancellationToken);
            await BuildClusterAsync(context).ConfigureAwait(false);
            var build = new FluxBuild(cluster, charts);
            build.Objects.AddRange(context.Objects);
            builds.Add(build);
        }

        var problems = builds.SelectMany(b => FluxLint.Check(b, byName, FluxLint.ContributedRules(model))).Distinct().ToList();
        if (problems.Count > 0)
        {
            throw new FluxLintException(problems);
        }

        return new FluxTree(environment, waves, builds, Graph.DependencyGraphDocument.From(model.Resources), charts);
    }

    private static async Task<FluxCluster> ResolveAsync(FluxClusterDefinition definition, DistributedApplicationModel model, CancellationToken cancellationToken)
    {
        if (definition.EmulatesAws)
        {
            // Region and endpoints are the in-cluster emulator's.
            var emulator = model.Resources.Select(r => r.Annotations.OfType<ClusterAwsEmulatorAnnotation>().LastOrDefault()).OfType<ClusterAwsEmulatorAnnotation>().FirstOrDefault() ?? throw new FluxPublishException(
                $"Cluster overlay '{definition.Name}' emulates AWS, but the model has no AWS emulator. Fix: add a component that emulates AWS in the cluster (ClusterAwsEmulatorAnnotation) to a wave.");
            var endpoint = emulator.Endpoint();
            return new FluxCluster(definition.Name, definition.Branch, definition.Interval, true, emulator.Region, endpoint, endpoint, definition.Strict, definition.Domain);
        }

        async Task<string> Value(ParameterResource? parameter, string what)
        {
            if (parameter is null)
            {
                throw new FluxPublishException($"Cluster overlay '{definition.Name}' needs {what}. Fix: give the overlay a parameter for it.");
            }

            string? value;
            try
            {
                value = await parameter.GetValueAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                value = null; // Aspire's "missing parameter value": reported below with the overlay and what it is for
            }

            return string.IsNullOrWhiteSpace(value)
                ? throw new FluxPublishException($"Cluster overlay '{definition.Name}': parameter '{parameter.Name}' ({what}) has no value. Fix: set Parameters:{parameter.Name} (user secrets or the environment variable Parameters__{parameter.Name}).")
                : value;
        }

        var region = await Value(definition.AwsRegion, "an AWS region").ConfigureAwait(false);
        var s3 = await Value(definition.S3Endpoint, "an S3 endpoint").ConfigureAwait(false);
        var secretsManager = await Value(definition.SecretsManagerEndpoint, "a Secrets Manager endpoint").ConfigureAwait(false);
        // Every role a component declares (PublishParameters.Check has named every missing one before publishing started).
        var roles = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var declared in definition.IamRoles ? Components(model).Select(c => c.Annotations.OfType<ClusterIamRoleAnnotation>().LastOrDefault()).OfType<ClusterIamRoleAnnotation>() : [])
        {
            if (!roles.ContainsKey(declared.RoleArn.Name))
            {
                roles[declared.RoleArn.Name] = await Value(declared.RoleArn, $"the IAM role ARN of {declared.Role.What}").ConfigureAwait(false);
            }
        }

        return new FluxCluster(definition.Name, definition.Branch, definition.Interval, false, region, s3, secretsManager,
            definition.Strict, definition.Domain, roles, definition.Tls);
    }

    private static async Task BuildClusterAsync(FluxBuildContext context)
    {
        var components = Components(context.Model).ToList();
        foreach (var component in components)
        {
            await WriteComponentAsync(component, context).ConfigureAwait(false);
        }

        WriteRoutes(context, components);
        context.WriteExternalSecrets();
        var namespaces = WriteNamespaces(context, components);
        WriteServiceAccounts(context, namespaces);
        NetworkPolicyWriter.Write(context, namespaces, await ClusterReferences.CollectAsync(context).ConfigureAwait(false));
        if (context.Cluster.EmulatesAws)
        {
            KeepFirstSecretValues(context);
        }

        ApplyCustomizations(context, components);
    }

    /// <summary>
    /// The AWS emulator keeps its state in an emptyDir and seeds Secrets Manager with new random values on every start; an
    /// ExternalSecret that followed them would rotate encryption keys and UI passwords under running workloads.
    /// <c>refreshPolicy: CreatedOnce</c> (External Secrets >= v0.16.0, external-secrets PR #4594) keeps the first value.
    /// </summary>
    private static void KeepFirstSecretValues(FluxBuildContext context)
    {
        foreach (var externalSecret in context.Objects.Select(o => o.Value).OfType<Manifests.CustomObject<Manifests.ExternalSecretSpec>>())
        {
            externalSecret.Spec = externalSecret.Spec with { RefreshPolicy = "CreatedOnce" };
        }
    }

    /// <summary>
    /// The component's own cluster form (<see cref="FluxPublishAnnotation"/>: its <c>PublishAs…</c> call, a chart, the
    /// cluster configuration), else the generic workload of a container or .NET project, else a clear error.
    /// </summary>
    private static async Task WriteComponentAsync(IResource component, FluxBuildContext context)
    {
        if (component.Annotations.OfType<FluxPublishAnnotation>().LastOrDefault() is { } own)
        {
            await own.WriteAsync(component, context).ConfigureAwait(false);
        }
        else if (component is ContainerResource or ProjectResource)
        {
            await WorkloadWriter.WriteAsync(component, context).ConfigureAwait(false);
        }
        else
        {
            throw new FluxPublishException(
                $"Cluster-only component '{component.Name}' (wave '{context.WaveOf(component)}') has nothing to publish. " +
                "Fix: give it a chart with .WithHelmChart(…) or make it the cluster configuration with .AsClusterConfiguration().");
        }
    }

    /// <summary>The routes of the components, written by the cluster's ingress (<see cref="ClusterIngressAnnotation"/>).</summary>
    private static void WriteRoutes(FluxBuildContext context, IReadOnlyList<IResource> components)
    {
        foreach (var (_, ingress) in context.Ingresses)
        {
            ingress.WriteRoutes(context, components);
        }
    }

    /// <summary>
    /// Namespaces: the cluster configuration creates those of the waves after it (the seed's "namespaces" in
    /// infrastructure-config); a component before it creates its own. Placements by <c>InNamespace</c> create nothing.
    /// </summary>
    private static List<NetworkPolicyWriter.CreatedNamespace> WriteNamespaces(FluxBuildContext context, IReadOnlyList<IResource> components)
    {
        var config = components.FirstOrDefault(c => c.HasAnnotationOfType<ClusterConfigurationAnnotation>());
        var emitted = context.Objects.Select(o => o.Component).ToHashSet(StringComparer.Ordinal);
        var created = new List<NetworkPolicyWriter.CreatedNamespace>();
        foreach (var component in components.Where(c => emitted.Contains(c.Name)))
        {
            var ns = context.DefaultNamespace(component);
            if (FluxBuildContext.PreexistingNamespaces.Contains(ns) || created.Any(c => c.Name == ns))
            {
                continue;
            }

            var byConfig = config is not null && context.AfterConfig(component);
            var creator = byConfig ? config! : component;
            var item = new NetworkPolicyWriter.CreatedNamespace(ns, creator, context.WaveOf(creator),
                byConfig ? ClusterConfigWriter.NamespacesFile : FluxBuildContext.FileOf(creator),
                ByChart: component.HasAnnotationOfType<HelmChartAnnotation>());
            created.Add(item);

            var podSecurity = ns == context.Environment.WorkloadNamespace ? "restricted"
                : components.Where(c => context.DefaultNamespace(c) == ns)
                    .Select(c => c.Annotations.OfType<HelmChartAnnotation>().LastOrDefault()?.Part?.PodSecurity)
                    .FirstOrDefault(level => level is not null) ?? "baseline"; // a chart part that needs more (host access)
            var namespaceObject = new V1Namespace
            {
                ApiVersion = "v1",
                Kind = "Namespace",
                Metadata = new V1ObjectMeta
                {
                    Name = ns,
                    Labels = new Dictionary<string, string>(FluxBuildContext.Labels(ns, item.Wave)) { ["pod-security.kubernetes.io/enforce"] = podSecurity },
                },
            };
            // Namespaces go first in their file: kustomize orders them first anyway, readers expect it.
            context.Objects.Insert(0, new FluxObject(item.Wave, creator.Name, item.File, namespaceObject));
            if (byConfig)
            {
                context.Add(config!, "quotas.yaml", ClusterConfigWriter.LimitRange(context, config!, ns));
            }
        }

        return created;
    }

    /// <summary>A service account per workload, created with the namespace (by the cluster configuration when it made it).</summary>
    private static void WriteServiceAccounts(FluxBuildContext context, IReadOnlyList<NetworkPolicyWriter.CreatedNamespace> namespaces)
    {
        var accounts = context.Objects
            .Select(o => (Object: o, Pod: FluxLint.PodSpecOf(o.Value)))
            .Where(p => p.Pod?.ServiceAccountName is not null)
            .Select(p => (Namespace: p.Object.Value.Metadata.NamespaceProperty, Name: p.Pod!.ServiceAccountName, p.Object))
            .ToList();
        foreach (var (ns, name, owner) in accounts)
        {
            var created = namespaces.FirstOrDefault(n => n.Name == ns);
            var (wave, component, file) = created is not null && created.File == ClusterConfigWriter.NamespacesFile
                ? (created.Wave, created.Creator.Name, ClusterConfigWriter.ServiceAccountsFile)
                : (owner.Wave, owner.Component, owner.File);
            context.Objects.Add(new FluxObject(wave, component, file, new V1ServiceAccount
            {
                ApiVersion = "v1",
                Kind = "ServiceAccount",
                Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = FluxBuildContext.Labels(name, owner.Wave) },
                AutomountServiceAccountToken = false,
            }));
        }
    }

    private static void ApplyCustomizations(FluxBuildContext context, IReadOnlyList<IResource> components)
    {
        foreach (var component in components)
        {
            var customizations = component.Annotations.OfType<FluxManifestsAnnotation>().ToList();
            if (customizations.Count == 0)
            {
                continue;
            }

            var mine = context.Objects.Where(o => o.Component == component.Name).ToList();
            var manifests = new FluxComponentManifests(component, context.Cluster.Name, mine.Select(o => o.Value).ToList());
            foreach (var customization in customizations)
            {
                customization.Customize(manifests);
            }

            context.Objects.RemoveAll(o => o.Component == component.Name && !manifests.Objects.Contains(o.Value));
            foreach (var added in manifests.Objects.Where(v => mine.All(o => o.Value != v)))
            {
                context.Add(component, FluxBuildContext.FileOf(component), added);
            }
        }
    }
}
