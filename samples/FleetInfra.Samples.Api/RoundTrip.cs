namespace FleetInfra.Samples.Api;

/// <summary>What <c>POST /roundtrip</c> wrote and what it read back from PostgreSQL and Redis.</summary>
/// <param name="Id">The row's id (also the Redis key's suffix).</param>
/// <param name="Written">The value written to both.</param>
/// <param name="FromDatabase">The value read back from appdb.</param>
/// <param name="FromCache">The value read back from Redis.</param>
public sealed record RoundTrip(Guid Id, string Written, string? FromDatabase, string? FromCache)
{
    /// <summary>True when both stores returned what was written.</summary>
    public bool Succeeded => FromDatabase == Written && FromCache == Written;
}
