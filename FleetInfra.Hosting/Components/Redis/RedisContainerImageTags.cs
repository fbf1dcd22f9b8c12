namespace FleetInfra.Hosting.Components.Redis;

/// <summary>The Redis image, pinned in one place.</summary>
/// <remarks>7.4.11: the newest patch of the 7.4 line (docker-library/official-images library/redis, "Redis security
/// release 2026-08-18", #22078; 7.4.7 onwards are security releases). Staying on 7.4: the line Aspire 13.6's
/// <c>AddRedis</c> command line and the CI image (Debian's 7.0) share.</remarks>
internal static class RedisContainerImageTags
{
    public const string Registry = "docker.io";
    public const string Image = "library/redis";
    // renovate: datasource=docker depName=library/redis
    public const string Tag = "7.4.11";
}
