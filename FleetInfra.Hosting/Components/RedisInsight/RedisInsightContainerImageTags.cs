namespace FleetInfra.Hosting.Components.RedisInsight;

/// <summary>The RedisInsight image, pinned in one place.</summary>
/// <remarks>3.8.0, the newest release (git tag 3.8.0, 2026-07-16, redis/RedisInsight redisinsight/package.json). A
/// patch tag, not <c>major.minor</c>: .github/build/release-docker.sh pushes every release as <c>X.Y.Z</c>, <c>X.Y</c>
/// and <c>latest</c>, and only the first never moves (Aspire 13.6 pins the moving <c>3.4</c>).</remarks>
internal static class RedisInsightContainerImageTags
{
    public const string Registry = "docker.io";
    public const string Image = "redis/redisinsight";
    // renovate: datasource=docker depName=redis/redisinsight
    public const string Tag = "3.8.0";
}
