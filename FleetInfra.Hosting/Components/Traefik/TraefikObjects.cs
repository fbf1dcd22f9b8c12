namespace FleetInfra.Hosting.Components.Traefik;

// Traefik: traefik.io/v1alpha1 Middleware, mirroring the CRD's fields (strict schema tests keep it honest). basicAuth
// reads a Secret with exactly one key of htpasswd lines (bcrypt): traefik pkg/provider/kubernetes/crd/kubernetes.go,
// loadAuthCredentials; docs .../http/middlewares/basicauth.md.
internal sealed record MiddlewareSpec(BasicAuth BasicAuth);

internal sealed record BasicAuth(string Secret, bool RemoveHeader);
