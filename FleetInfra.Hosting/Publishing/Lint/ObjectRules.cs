using System.Text.RegularExpressions;

namespace FleetInfra.Hosting.Publishing.Lint;

/// <summary>dns-1123: names the API server accepts (a label for namespaces and services, a subdomain otherwise).</summary>
internal sealed partial class Dns1123Rule : IFluxLintRule
{
    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Dns1123Subdomain();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1123Label();

    public string Name => "dns-1123";

    public void Check(FluxLintContext context, FluxObject o)
    {
        var name = o.Value.Metadata.Name;
        var labelOnly = o.Value.Kind is "Namespace" or "Service";
        if (name is null || name.Length > (labelOnly ? 63 : 253) || !(labelOnly ? Dns1123Label() : Dns1123Subdomain()).IsMatch(name))
        {
            context.Report(o, $"name '{name}' is not a DNS-1123 {(labelOnly ? "label" : "subdomain")}", "use lowercase letters, digits and '-' (rename the resource in the model)");
        }
    }
}

/// <summary>no-secret-objects: secret values never go into Git.</summary>
internal sealed class NoSecretObjectsRule : IFluxLintRule
{
    public string Name => "no-secret-objects";

    public void Check(FluxLintContext context, FluxObject o)
    {
        if (o.Value.Kind == "Secret")
        {
            context.Report(o, "a Secret object would put secret values into Git",
                "produce it with an ExternalSecret (seed the value in Secrets Manager through the model's secret source) or use credentials the cluster generates");
        }
    }
}
