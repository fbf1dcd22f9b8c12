using FleetInfra.Hosting.Publishing;
using FleetInfra.Hosting.Publishing.Workloads;
using FleetInfra.Hosting.Publishing.Manifests;
using k8s.Models;

namespace FleetInfra.Hosting.Components.N8n;

/// <summary>n8n in the cluster: size, user and writable paths (its probes are declared in <see cref="N8nBuilderExtensions"/>).</summary>
internal static class N8nClusterProfile
{
    public static readonly ClusterWorkloadProfile Profile = new(Cpu: "250m", Memory: "512Mi", CpuLimit: "1", MemoryLimit: "1Gi", User: 1000, ReadOnlyRoot: false,
        WritablePaths: ["/home/node/.n8n", "/tmp"], ExtendPod: AddOwnerPasswordHash);

    /// <summary>
    /// The owner's password hash in the cluster: an ExternalSecret reads the password from Secrets Manager and its template
    /// hashes it (v2 templates carry sprig's bcrypt, which makes <c>$2a$</c> hashes: external-secrets docs/guides/templating.md),
    /// as for Weave GitOps' admin; the container reads the hash from that Secret.
    /// </summary>
    private static void AddOwnerPasswordHash(IResource resource, FluxBuildContext context, V1Container container, V1PodSpec pod)
    {
        if (resource is not N8nResource { Owner: { } owner } n8n)
        {
            return;
        }

        var remote = context.RemoteSecretName(owner.Password) ?? throw new FluxPublishException(
            $"'{n8n.Name}' (wave '{context.WaveOf(n8n)}') needs its owner password '{owner.Password.Name}' in the cluster, but no secret source provides it. " +
            $"Fix: seed it with {context.SecretSourceFix(owner.Password)}.");
        var name = $"{n8n.Name}-owner";
        context.Add(n8n, FluxBuildContext.FileOf(n8n), FluxBuildContext.ExternalSecret(context.NamespaceOf(n8n), name, context.Labels(n8n),
            [new ExternalSecretData("password", new ExternalSecretRemoteRef(remote))],
            new ExternalSecretTemplate(new Dictionary<string, string> { [N8nOwner.HashKey] = "{{ .password | bcrypt }}" })));
        container.Env.Add(ContainerSpecs.EnvFrom("N8N_INSTANCE_OWNER_PASSWORD_HASH", new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = name, Key = N8nOwner.HashKey } }));
    }
}
