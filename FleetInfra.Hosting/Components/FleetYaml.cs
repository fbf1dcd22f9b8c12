using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace FleetInfra.Hosting.Components;

/// <summary>YAML for configuration files of third-party components, written from typed records.</summary>
internal static class FleetYaml
{
    private static readonly ISerializer s_camelCase = Create(CamelCaseNamingConvention.Instance);
    private static readonly ISerializer s_snakeCase = Create(UnderscoredNamingConvention.Instance);

    /// <summary>camelCase keys (Traefik, Grafana provisioning).</summary>
    public static string Serialize(object value) => s_camelCase.Serialize(value);

    /// <summary>snake_case keys (Prometheus).</summary>
    public static string SerializeSnakeCase(object value) => s_snakeCase.Serialize(value);

    private static ISerializer Create(INamingConvention naming) => new SerializerBuilder()
        .WithNamingConvention(naming)
        .ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull)
        .DisableAliases()
        .Build();
}
