namespace FleetInfra.Hosting.Publishing.Lint;

/// <summary>references: the Secrets, ConfigMaps and ServiceAccounts an object needs exist by its wave.</summary>
internal sealed class ReferencesRule : IFluxLintRule
{
    public string Name => "references";

    public void Check(FluxLintContext context, FluxObject o)
    {
        foreach (var reference in References(o))
        {
            var producer = context.Producer(reference.Kind, reference.Namespace, reference.Name);
            if (producer is null)
            {
                context.Report(o, $"{reference.Field} references {reference.Kind} '{reference.Namespace}/{reference.Name}', which nothing creates",
                    reference.Kind == "Secret"
                        ? "add an ExternalSecret for it (seed the value in Secrets Manager through the model's secret source) or use credentials the cluster generates"
                        : $"add the {reference.Kind} to the component's wave or an upstream one");
            }
            else if (!context.WaveOf(o).SeesWave(producer.Object.Wave))
            {
                context.Report(o, $"{reference.Field} references {reference.Kind} '{reference.Namespace}/{reference.Name}', made in wave '{producer.Object.Wave}', which wave '{o.Wave}' does not depend on",
                    $"make '{o.Wave}' depend on '{producer.Object.Wave}' or create the {reference.Kind} upstream");
            }
        }
    }

    /// <summary>What the object declared it needs, then what its pod spec reads.</summary>
    private static IEnumerable<FluxReference> References(FluxObject o)
    {
        foreach (var reference in o.References)
        {
            yield return reference;
        }

        if (FluxLint.PodSpecOf(o.Value) is not { } pod)
        {
            yield break;
        }

        var ns = o.Value.Metadata.NamespaceProperty;
        if (pod.ServiceAccountName is { } account)
        {
            yield return new FluxReference("ServiceAccount", ns, account, "spec.template.spec.serviceAccountName");
        }

        foreach (var container in pod.Containers.Concat(pod.InitContainers ?? []))
        {
            foreach (var env in container.Env ?? [])
            {
                if (env.ValueFrom?.SecretKeyRef is { } secret)
                {
                    yield return new FluxReference("Secret", ns, secret.Name, $"env {env.Name} of container '{container.Name}'");
                }

                if (env.ValueFrom?.ConfigMapKeyRef is { } configMap)
                {
                    yield return new FluxReference("ConfigMap", ns, configMap.Name, $"env {env.Name} of container '{container.Name}'");
                }
            }

            foreach (var source in container.EnvFrom ?? [])
            {
                if (source.SecretRef is { } secret)
                {
                    yield return new FluxReference("Secret", ns, secret.Name, $"envFrom of container '{container.Name}'");
                }

                if (source.ConfigMapRef is { } configMap)
                {
                    yield return new FluxReference("ConfigMap", ns, configMap.Name, $"envFrom of container '{container.Name}'");
                }
            }
        }

        foreach (var volume in pod.Volumes ?? [])
        {
            if (volume.Secret is { } secret)
            {
                yield return new FluxReference("Secret", ns, secret.SecretName, $"volume '{volume.Name}'");
            }

            if (volume.ConfigMap is { } configMap)
            {
                yield return new FluxReference("ConfigMap", ns, configMap.Name, $"volume '{volume.Name}'");
            }
        }
    }
}
