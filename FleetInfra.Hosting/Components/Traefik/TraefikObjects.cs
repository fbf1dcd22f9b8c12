using FleetInfra.Hosting.Publishing.Manifests;

namespace FleetInfra.Hosting.Components.Traefik;

// Traefik: traefik.io/v1alpha1 IngressRoute.
internal sealed record IngressRouteSpec(IReadOnlyList<string> EntryPoints, IReadOnlyList<IngressRouteRule> Routes, IngressRouteTls? Tls = null);

internal sealed record IngressRouteRule(string Match, string Kind, IReadOnlyList<IngressRouteService> Services, IReadOnlyList<NamedRef>? Middlewares = null);

// `tls: {}`: Traefik's default certificate (its TLSStore `default`, written by TraefikDefaultCertificate where the cluster serves TLS).
internal sealed record IngressRouteTls;

internal sealed record IngressRouteService(string Name, int Port);

// Traefik: traefik.io/v1alpha1 Middleware, mirroring the CRD's fields (strict schema tests keep it honest). basicAuth
// reads a Secret with exactly one key of htpasswd lines (bcrypt): traefik pkg/provider/kubernetes/crd/kubernetes.go,
// loadAuthCredentials; docs .../http/middlewares/basicauth.md.
internal sealed record MiddlewareSpec(BasicAuth BasicAuth);

internal sealed record BasicAuth(string Secret, bool RemoveHeader);
