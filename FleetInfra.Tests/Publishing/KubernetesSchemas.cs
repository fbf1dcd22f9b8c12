using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using YamlDotNet.RepresentationModel;

namespace FleetInfra.Tests.Publishing;

/// <summary>
/// Strict offline validation against Kubernetes 1.32's OpenAPI v3 documents and the CRDs of k8s-schemas.lock (<see cref="SchemaStore"/>):
/// every schema that lists properties and does not preserve unknown fields gets <c>additionalProperties: false</c>,
/// so a misspelt or unknown field fails like it would on a server with field validation Strict.
/// </summary>
internal sealed class KubernetesSchemas
{
    private readonly Dictionary<string, (JsonObject Defs, string Name)> _builtIns = [];
    private readonly Dictionary<string, JsonNode> _crds = [];
    private readonly HashSet<string> _notServed = [];
    private readonly Dictionary<string, JsonSchema> _compiled = [];

    public KubernetesSchemas(string root)
    {
        Root = root;
        foreach (var file in Directory.GetFiles(Path.Combine(root, "k8s-openapi-v3", "1.32"), "*.json", SearchOption.AllDirectories))
        {
            var defs = JsonNode.Parse(File.ReadAllText(file))!["components"]!["schemas"]!.AsObject();
            foreach (var (name, schema) in defs)
            {
                foreach (var gvk in schema!["x-kubernetes-group-version-kind"]?.AsArray() ?? [])
                {
                    var group = gvk!["group"]!.GetValue<string>();
                    var key = Key(group.Length == 0 ? gvk["version"]!.GetValue<string>() : $"{group}/{gvk["version"]!.GetValue<string>()}", gvk["kind"]!.GetValue<string>());
                    _builtIns.TryAdd(key, (defs, name));
                }
            }
        }

        foreach (var file in Directory.GetFiles(Path.Combine(root, "crds"), "*.yaml"))
        {
            var crd = YamlToJson(File.ReadAllText(file)).Single()!;
            var spec = crd["spec"]!;
            foreach (var version in spec["versions"]!.AsArray())
            {
                var key = Key($"{spec["group"]!.GetValue<string>()}/{version!["name"]!.GetValue<string>()}", spec["names"]!["kind"]!.GetValue<string>());
                if (version["served"]?.GetValue<bool>() == true)
                {
                    _crds[key] = version["schema"]!["openAPIV3Schema"]!;
                }
                else
                {
                    _notServed.Add(key);
                }
            }
        }
    }

    public string Root { get; }

    /// <summary>
    /// The served versions' <c>openAPIV3Schema</c> of every CRD as published (with their <c>x-kubernetes-*</c> extensions),
    /// keyed by <see cref="Key"/>; <see cref="CrdValidationRules"/> reads the CEL rules from them.
    /// </summary>
    public IReadOnlyDictionary<string, JsonNode> CustomResourceSchemas => _crds;

    /// <summary>Where the schemas are: see <see cref="SchemaStore"/> (checked against k8s-schemas.lock, downloaded on first use if needed).</summary>
    public static string Locate() => SchemaStore.Locate();

    /// <summary>The lookup key of a kind: <c>apiVersion|kind</c>.</summary>
    public static string Key(string apiVersion, string kind) => $"{apiVersion}|{kind}";

    /// <summary>Problems of one document; empty when valid.</summary>
    public IReadOnlyList<string> Validate(JsonNode document)
    {
        var apiVersion = document["apiVersion"]?.GetValue<string>() ?? "";
        var kind = document["kind"]?.GetValue<string>() ?? "";
        var key = Key(apiVersion, kind);
        if (_notServed.Contains(key))
        {
            return [$"{apiVersion} {kind} is not served by the CRD"];
        }

        if (!_compiled.TryGetValue(key, out var schema))
        {
            JsonObject root;
            if (_builtIns.TryGetValue(key, out var builtIn))
            {
                var defs = new JsonObject();
                Collect(builtIn.Defs, builtIn.Name, defs);
                root = new JsonObject { ["$ref"] = $"#/$defs/{builtIn.Name}", ["$defs"] = defs };
            }
            else if (_crds.TryGetValue(key, out var crdSchema))
            {
                root = Strict(crdSchema.DeepClone()).AsObject();
            }
            else
            {
                return [$"no schema for {apiVersion} {kind}"];
            }

            schema = JsonSchema.FromText(root.ToJsonString(), new BuildOptions { SchemaRegistry = new SchemaRegistry() }, new Uri($"https://schemas.fleetinfra.test/{Uri.EscapeDataString(key)}"));
            _compiled[key] = schema;
        }

        var result = schema.Evaluate(JsonSerializer.SerializeToElement(document), new EvaluationOptions { OutputFormat = OutputFormat.List });
        return result.IsValid
            ? []
            : (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")).Distinct().Take(10).ToList();
    }

    // Copies the definition and everything it references, made strict, rewriting refs to #/$defs.
    private static void Collect(JsonObject all, string name, JsonObject into)
    {
        if (into.ContainsKey(name))
        {
            return;
        }

        into[name] = null;
        var schema = Strict(all[name]!.DeepClone());
        into[name] = schema;
        foreach (var reference in Refs(schema))
        {
            Collect(all, reference, into);
        }
    }

    private static IEnumerable<string> Refs(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o.ToList())
                {
                    if (key == "$ref" && value is JsonValue v && v.GetValue<string>() is { } text && text.StartsWith("#/components/schemas/", StringComparison.Ordinal))
                    {
                        var target = text["#/components/schemas/".Length..];
                        o["$ref"] = $"#/$defs/{target}";
                        yield return target;
                    }
                    else
                    {
                        foreach (var r in Refs(value))
                        {
                            yield return r;
                        }
                    }
                }

                break;
            case JsonArray a:
                foreach (var item in a.ToList())
                {
                    foreach (var r in Refs(item))
                    {
                        yield return r;
                    }
                }

                break;
        }
    }

    private static readonly string[] s_schemaMaps = ["properties", "patternProperties", "$defs", "definitions"];
    private static readonly string[] s_schemaValues = ["items", "additionalProperties", "not", "if", "then", "else"];
    private static readonly string[] s_schemaArrays = ["allOf", "anyOf", "oneOf", "prefixItems"];

    /// <summary>
    /// additionalProperties: false wherever properties are listed and unknown fields are not preserved; OpenAPI-only
    /// keywords (x-kubernetes-*, nullable, ...) are dropped, since JSON Schema 2020-12 does not know them.
    /// </summary>
    private static JsonNode Strict(JsonNode node)
    {
        if (node is not JsonObject o)
        {
            return node;
        }

        var preserve = o["x-kubernetes-preserve-unknown-fields"] is JsonValue p && p.GetValue<bool>();
        if (o.ContainsKey("properties") && !o.ContainsKey("additionalProperties") && !preserve)
        {
            o["additionalProperties"] = false;
        }

        foreach (var key in o.Select(k => k.Key).Where(k => k.StartsWith("x-", StringComparison.Ordinal) || k is "nullable" or "discriminator" or "externalDocs" or "example" or "xml").ToList())
        {
            o.Remove(key);
        }

        foreach (var (key, value) in o.ToList())
        {
            if (s_schemaMaps.Contains(key) && value is JsonObject map)
            {
                foreach (var (_, sub) in map.ToList())
                {
                    if (sub is not null)
                    {
                        Strict(sub);
                    }
                }
            }
            else if (s_schemaValues.Contains(key) && value is JsonObject sub)
            {
                Strict(sub);
            }
            else if (s_schemaArrays.Contains(key) && value is JsonArray list)
            {
                foreach (var item in list.OfType<JsonNode>())
                {
                    Strict(item);
                }
            }
        }

        return node;
    }

    /// <summary>Parses YAML documents into JSON the way Kubernetes does (plain scalars typed, quoted ones strings).</summary>
    public static List<JsonNode?> YamlToJson(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Where(d => d.RootNode is not YamlScalarNode { Value: null or "" }).Select(d => Convert(d.RootNode)).ToList();
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, Convert(c.Value)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(Convert).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => null,
    };

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        if (scalar.Style is not YamlDotNet.Core.ScalarStyle.Plain)
        {
            return JsonValue.Create(value);
        }

        return value switch
        {
            "" or "~" or "null" => null,
            "true" => JsonValue.Create(true),
            "false" => JsonValue.Create(false),
            _ when long.TryParse(value, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var l) => JsonValue.Create(l),
            _ when System.Text.RegularExpressions.Regex.IsMatch(value, @"^[-+]?(\d+\.\d*|\.\d+)([eE][-+]?\d+)?$") => JsonValue.Create(double.Parse(value, System.Globalization.CultureInfo.InvariantCulture)),
            _ => JsonValue.Create(value),
        };
    }
}
