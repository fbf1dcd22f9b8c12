using k8s;
using k8s.Models;

namespace FleetInfra.Hosting.Publishing.Manifests;

/// <summary>
/// A custom resource with a typed spec. Property names follow the CRD (serialized camelCase), so the
/// YAML is built from typed objects and strict schema validation catches every misspelt field.
/// </summary>
/// <typeparam name="TSpec">The spec record.</typeparam>
internal sealed class CustomObject<TSpec> : IKubernetesObject<V1ObjectMeta>
    where TSpec : class
{
    /// <summary>The API version, e.g. <c>helm.toolkit.fluxcd.io/v2</c>.</summary>
    public required string ApiVersion { get; set; }

    /// <summary>The kind, e.g. <c>HelmRelease</c>.</summary>
    public required string Kind { get; set; }

    /// <summary>Name, namespace, labels.</summary>
    public required V1ObjectMeta Metadata { get; set; }

    /// <summary>The spec.</summary>
    public required TSpec Spec { get; set; }
}

/// <summary>Constructors for the custom resources FleetInfra publishes.</summary>
internal static class Crd
{
    /// <summary>A custom object of <paramref name="apiVersion"/>/<paramref name="kind"/>.</summary>
    public static CustomObject<TSpec> Create<TSpec>(string apiVersion, string kind, V1ObjectMeta metadata, TSpec spec)
        where TSpec : class =>
        new() { ApiVersion = apiVersion, Kind = kind, Metadata = metadata, Spec = spec };
}

// The records mirror CRD fields one to one (the CRDs document them); strict schema tests keep them honest.
internal sealed record NamedRef(string Name, string? Namespace = null);

internal sealed record KindRef(string Kind, string Name, string? Namespace = null);

internal sealed record SecretKeyRef(string Name, string Key);

// Flux: kustomize.toolkit.fluxcd.io/v1 Kustomization.
internal sealed record FluxKustomizationSpec(
    string Interval,
    string RetryInterval,
    string Timeout,
    string Path,
    bool Prune,
    bool Wait,
    KindRef SourceRef,
    IReadOnlyList<NamedRef>? DependsOn = null,
    IReadOnlyList<string>? Components = null,
    IReadOnlyList<HealthCheckExpression>? HealthCheckExprs = null);

// kustomize-controller >= v1.5.0 (Flux 2.5): CEL health checks for custom resources kstatus cannot judge; kind is required
// up to v1.8 (fluxcd/kustomize-controller docs/spec/v1/kustomizations.md, "Health check expressions").
internal sealed record HealthCheckExpression(string ApiVersion, string Kind, string Current, string? Failed = null, string? InProgress = null);

// Flux: source.toolkit.fluxcd.io/v1 GitRepository and HelmRepository.
internal sealed record GitRepositorySpec(string Interval, string Url, GitRepositoryRef Ref);

internal sealed record GitRepositoryRef(string Branch);

internal sealed record HelmRepositorySpec(string Interval, string Url, string? Type = null);

// Flux: helm.toolkit.fluxcd.io/v2 HelmRelease.
internal sealed record HelmReleaseSpec(
    string Interval,
    string ReleaseName,
    HelmReleaseChart Chart,
    HelmReleaseInstall Install,
    HelmReleaseUpgrade Upgrade,
    string Timeout,
    IDictionary<string, object> Values,
    HelmReleaseUninstall? Uninstall = null,
    HelmReleaseRollback? Rollback = null);

internal sealed record HelmReleaseChart(HelmChartTemplateSpec Spec);

internal sealed record HelmChartTemplateSpec(string Chart, string Version, KindRef SourceRef, string Interval);

internal sealed record HelmReleaseInstall(string Crds, HelmRemediation Remediation);

internal sealed record HelmReleaseUpgrade(string Crds, HelmRemediation Remediation);

internal sealed record HelmRemediation(int Retries);

// The remediations' own waits (helm-controller v1.4.3 internal/action/uninstall.go and rollback.go): each waits up to its
// timeout, spec.timeout when unset, unless disableWait.
internal sealed record HelmReleaseUninstall(string? Timeout = null, bool? DisableWait = null);

internal sealed record HelmReleaseRollback(string? Timeout = null, bool? DisableWait = null);

// External Secrets: external-secrets.io/v1 ExternalSecret and ClusterSecretStore; generators.external-secrets.io/v1alpha1 Password.
internal sealed record ExternalSecretSpec(
    string RefreshInterval,
    ExternalSecretTarget Target,
    KindRef? SecretStoreRef = null,
    IReadOnlyList<ExternalSecretData>? Data = null,
    IReadOnlyList<ExternalSecretDataFrom>? DataFrom = null,
    string? RefreshPolicy = null);

internal sealed record ExternalSecretTarget(string Name, string CreationPolicy, ExternalSecretTemplate? Template = null);

internal sealed record ExternalSecretTemplate(IDictionary<string, string> Data, string EngineVersion = "v2", string? Type = null);

internal sealed record ExternalSecretData(string SecretKey, ExternalSecretRemoteRef RemoteRef);

internal sealed record ExternalSecretRemoteRef(string Key);

internal sealed record ExternalSecretDataFrom(ExternalSecretSourceRef SourceRef);

internal sealed record ExternalSecretSourceRef(GeneratorRef GeneratorRef);

internal sealed record GeneratorRef(string ApiVersion, string Kind, string Name);

internal sealed record PasswordGeneratorSpec(int Length, int Digits, int Symbols, bool NoUpper, bool AllowRepeat);

internal sealed record ClusterSecretStoreSpec(SecretStoreProvider Provider);

internal sealed record SecretStoreProvider(AwsProvider Aws);

internal sealed record AwsProvider(string Service, string Region, AwsAuth? Auth = null);

internal sealed record AwsAuth(AwsSecretRef? SecretRef = null, AwsJwtAuth? Jwt = null);

// IRSA: the provider exchanges the service account's token for the role in its eks.amazonaws.com/role-arn annotation
// (external-secrets docs/snippets/provider-aws-access.md at helm-chart-0.20.4, "EKS Service Account credentials").
internal sealed record AwsJwtAuth(NamespacedRef ServiceAccountRef);

internal sealed record NamespacedRef(string Name, string Namespace);

internal sealed record AwsSecretRef(NamespacedSecretKeyRef AccessKeyIDSecretRef, NamespacedSecretKeyRef SecretAccessKeySecretRef);

internal sealed record NamespacedSecretKeyRef(string Name, string Key, string Namespace);

// kustomize: kustomization.yaml files (kustomize.config.k8s.io).
internal sealed record KustomizeFile(
    string ApiVersion,
    string Kind,
    IReadOnlyList<string>? Resources = null,
    IReadOnlyList<string>? Components = null,
    IReadOnlyList<KustomizePatch>? Patches = null);

internal sealed record KustomizePatch(string Patch, KustomizePatchTarget Target);

internal sealed record KustomizePatchTarget(string Group, string Version, string Kind, string? Name = null, string? LabelSelector = null);
