namespace FleetInfra.Hosting.Publishing;

/// <summary>
/// An IAM role a component's service account assumes in a cluster overlay on AWS (IRSA), declared by the component
/// (<see cref="FluxEnvironmentExtensions.WithClusterIamRole{T}(IResourceBuilder{T}, ClusterIamRole)"/>, or by its chart).
/// Its ARN is the parameter <paramref name="Parameter"/>, which publishing requires and a local run never asks for.
/// </summary>
/// <param name="Parameter">The name of the parameter with the role's ARN.</param>
/// <param name="Who">Who assumes the role, as the published README lists it ("the backup agents").</param>
/// <param name="What">The service account, as an error names it after "the IAM role ARN of" ("the backup agents' service account").</param>
public sealed record ClusterIamRole(string Parameter, string Who, string What);

/// <summary>The component's service account assumes <paramref name="Role"/>; its ARN is <paramref name="RoleArn"/>.</summary>
/// <param name="RoleArn">The parameter with the role's ARN (resolved per overlay, see <see cref="FluxClusterDefinition.IamRoles"/>).</param>
/// <param name="Role">The declaration.</param>
public sealed record ClusterIamRoleAnnotation(ParameterResource RoleArn, ClusterIamRole Role) : IResourceAnnotation;
