namespace FleetInfra.Hosting.Publishing;

/// <summary>Credentials generated in the cluster, standing in for the model's local user name and password.</summary>
/// <param name="Secret">The Kubernetes Secret with <c>username</c> and <c>password</c>.</param>
/// <param name="Password">The model's password parameter they replace.</param>
/// <param name="UserNameExpression">The value expression of the model's local user name they replace.</param>
/// <param name="UserName">The user name the cluster creates, when it is fixed (clients that cannot read the Secret, e.g. a UI's server list).</param>
internal sealed record ClusterCredentials(string Secret, Func<ParameterResource?> Password, Func<string> UserNameExpression, string? UserName = null);
