namespace FleetInfra.Hosting.Configuration;

/// <summary>
/// Marks a parameter that publishing needs a real value for and that has no default (an IAM role ARN, an image a team
/// builds). <see cref="PublishParameters.Check"/> names every such parameter without a value at once, before anything
/// runs, and names each one whose value comes from Aspire's deployment state.
/// </summary>
/// <param name="What">What the value is, as the error names it ("the IAM role ARN of External Secrets' service account").</param>
public sealed record RequiredPublishParameterAnnotation(string What) : IResourceAnnotation;
