namespace FleetInfra.Hosting.Publishing;

/// <summary>
/// In the cluster, components that reference this one connect with <paramref name="ConnectionString"/> instead of its
/// local connection string (Redis: plain TCP in the cluster, TLS with the development certificate locally). Its parts
/// are translated like any environment value: endpoints become service addresses, secret parameters
/// <c>secretKeyRef</c>s expanded with <c>$(VAR)</c>.
/// </summary>
/// <param name="ConnectionString">The connection string as the cluster serves it (built when publishing, so later builder calls count).</param>
public sealed record ClusterConnectionStringAnnotation(Func<ReferenceExpression> ConnectionString) : IResourceAnnotation;
