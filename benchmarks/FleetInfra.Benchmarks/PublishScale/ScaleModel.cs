using FleetInfra.Hosting;
using FleetInfra.Hosting.Components.RedisInsight;
using FleetInfra.Hosting.Components.Traefik;
using FleetInfra.Hosting.Waves;

namespace FleetInfra.Benchmarks.PublishScale;

/// <summary>
/// The real AppHost's model grown by <c>N</c> RedisInsight-like components in <c>database-ui</c>, each with a Traefik
/// route (behind basic authentication where the cluster serves TLS) and a Redis reference - what a fleet's model looks
/// like when teams add their UIs and services. Declared here, never in Program.cs.
/// </summary>
internal static class ScaleModel
{
    /// <summary>The name of the <paramref name="index"/>th extra component.</summary>
    public static string Name(int index) => $"scale-ui-{index}";

    /// <summary>Adds <paramref name="count"/> extra components to the model of <paramref name="builder"/>.</summary>
    public static void AddComponents(IDistributedApplicationTestingBuilder builder, int count)
    {
        var redis = builder.CreateResourceBuilder(builder.Resources.OfType<RedisResource>().Single(r => r.Name == "redis"));
        var traefik = builder.CreateResourceBuilder(builder.Resources.OfType<TraefikResource>().Single());
        var wave = builder.CreateResourceBuilder(builder.Resources.OfType<WaveResource>().Single(w => w.Name == "database-ui"));
        for (var i = 0; i < count; i++)
        {
            builder.AddRedisInsight(Name(i)).WithDatabase(redis).WithTraefikRoute(traefik, requireLogin: true).InWave(wave);
        }
    }
}
