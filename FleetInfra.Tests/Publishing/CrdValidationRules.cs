using System.Text.Json.Nodes;
using Antlr4.Runtime;
using Antlr4.Runtime.Tree;
using Cel;
using CelGrammar = Cel.Internal.CelParser;

namespace FleetInfra.Tests.Publishing;

/// <summary>
/// The <c>x-kubernetes-validations</c> (CEL) rules of the CRDs, evaluated offline the way the API server does
/// (kubernetes/apiextensions-apiserver pkg/apis/apiextensions/types_jsonschema.go, <c>ValidationRule</c>): a rule
/// applies at the schema node that declares it, with <c>self</c> bound to that node's value after pruning of nulls and
/// defaulting, once per value (every array item, every map entry); a rule that errors fails like one that is false.
/// Transition rules (those using <c>oldSelf</c>) run on updates only and are skipped, counted. Rules the evaluator,
/// NuGet <c>Cel</c> 0.3.3 (telus-oss/cel-net), cannot run — a parse error, optional syntax, or a function or macro
/// it does not implement (Kubernetes' own libraries: <c>quantity</c>, <c>isURL</c>, <c>format</c>, …) — are found up
/// front by walking each rule's parse tree, and collected in <see cref="Unsupported"/> instead of passing silently.
/// </summary>
internal sealed class CrdValidationRules
{
    private readonly Dictionary<string, JsonNode> _schemas;
    private readonly Dictionary<JsonNode, List<Rule>> _rulesAt = new(ReferenceEqualityComparer.Instance);
    private readonly List<Rule> _all = [];
    private readonly Dictionary<string, bool> _known = [];
    private readonly CelEnvironment _environment = new(null, null);

    /// <summary>One rule as declared: where (CRD key and schema path), the expression and its message.</summary>
    public sealed record Rule(string Crd, string SchemaPath, string Expression, string? Message, string? FieldPath, string? Reason)
    {
        /// <summary>Uses <c>oldSelf</c>: evaluated on updates only.</summary>
        public bool IsTransition { get; init; }

        /// <summary>Why the evaluator cannot run it; null when it can.</summary>
        public string? UnsupportedReason { get; init; }

        internal CelProgramDelegate? Program { get; init; }

        /// <summary>The message the API server reports: the rule's message, else "failed rule: &lt;rule&gt;".</summary>
        public string EffectiveMessage => Message ?? $"failed rule: {Expression}";
    }

    /// <summary>A failed rule on one value of one object.</summary>
    public sealed record Violation(string Object, string InstancePath, Rule Rule, string Detail)
    {
        public override string ToString() =>
            $"{Object} at {InstancePath}{(Rule.FieldPath is null ? "" : Rule.FieldPath)}: rule `{Rule.Expression}` failed: {Detail} ({Rule.Crd} {Rule.SchemaPath})";
    }

    /// <summary>Reads the rules of every served CRD version.</summary>
    public CrdValidationRules(IReadOnlyDictionary<string, JsonNode> crdSchemas)
    {
        _schemas = crdSchemas.ToDictionary(s => s.Key, s => s.Value);
        foreach (var (crd, schema) in _schemas)
        {
            Collect(crd, schema, "");
        }
    }

    /// <summary>Every rule declared in the CRDs, transition and unsupported ones included.</summary>
    public IReadOnlyList<Rule> All => _all;

    /// <summary>Rules skipped because they compare with <c>oldSelf</c>.</summary>
    public IEnumerable<Rule> Transition => _all.Where(r => r.IsTransition);

    /// <summary>Rules the evaluator cannot run, with the reason.</summary>
    public IEnumerable<Rule> Unsupported => _all.Where(r => !r.IsTransition && r.UnsupportedReason is not null);

    /// <summary>Rules evaluated on every matching value.</summary>
    public IEnumerable<Rule> Evaluated => _all.Where(r => r.Program is not null);

    /// <summary>Whether the document is a custom object of one of the CRDs.</summary>
    public bool IsCustomObject(JsonNode document) => _schemas.ContainsKey(KeyOf(document));

    /// <summary>
    /// Evaluates every rule at every node of a custom object; <paramref name="evaluations"/> counts the rule
    /// evaluations made and <paramref name="applied"/>, when given, collects the rules that met a value. A document of
    /// no CRD yields nothing.
    /// </summary>
    public IReadOnlyList<Violation> Validate(JsonNode document, out int evaluations, ISet<Rule>? applied = null)
    {
        evaluations = 0;
        if (!_schemas.TryGetValue(KeyOf(document), out var schema))
        {
            return [];
        }

        var name = $"{document["kind"]} {document["metadata"]?["namespace"]?.GetValue<string>() ?? ""}/{document["metadata"]?["name"]?.GetValue<string>() ?? ""}".Replace(" /", " ", StringComparison.Ordinal);
        var violations = new List<Violation>();
        var value = Defaulted(document.DeepClone(), schema);
        Walk(name, value, schema, "", violations, applied, ref evaluations);
        return violations;
    }

    private static string KeyOf(JsonNode document) =>
        KubernetesSchemas.Key(document["apiVersion"]?.GetValue<string>() ?? "", document["kind"]?.GetValue<string>() ?? "");

    private void Collect(string crd, JsonNode? schema, string path)
    {
        if (schema is not JsonObject node)
        {
            return;
        }

        foreach (var declared in node["x-kubernetes-validations"]?.AsArray() ?? [])
        {
            var expression = declared!["rule"]!.GetValue<string>();
            var rule = new Rule(crd, path.Length == 0 ? "." : path, expression, declared["message"]?.GetValue<string>(), declared["fieldPath"]?.GetValue<string>(), declared["reason"]?.GetValue<string>());
            rule = Prepare(rule);
            _all.Add(rule);
            if (!_rulesAt.TryGetValue(node, out var list))
            {
                _rulesAt[node] = list = [];
            }

            list.Add(rule);
        }

        foreach (var (property, sub) in node["properties"]?.AsObject() ?? [])
        {
            Collect(crd, sub, $"{path}.{property}");
        }

        Collect(crd, node["items"], $"{path}[*]");
        Collect(crd, node["additionalProperties"], $"{path}[*]");
    }

    private Rule Prepare(Rule rule)
    {
        CelGrammar.StartContext tree;
        var syntaxErrors = new List<string>();
        try
        {
            var parser = new CelGrammar(new CommonTokenStream(new Cel.Internal.CelLexer(new AntlrInputStream(rule.Expression))));
            parser.RemoveErrorListeners();
            parser.AddErrorListener(new Collecting(syntaxErrors));
            tree = parser.start();
        }
        catch (Exception e) when (e is RecognitionException or CelException)
        {
            return rule with { UnsupportedReason = $"does not parse: {e.Message}" };
        }

        if (syntaxErrors.Count > 0)
        {
            return rule with { UnsupportedReason = $"does not parse: {string.Join("; ", syntaxErrors)}" };
        }

        var identifiers = new List<string>();
        var calls = new List<(string Name, bool Member, IReadOnlyList<string> Args)>();
        var optional = false;
        Scan(tree, identifiers, calls, ref optional);
        if (identifiers.Contains("oldSelf"))
        {
            return rule with { IsTransition = true };
        }

        if (optional)
        {
            return rule with { UnsupportedReason = "optional field selection (`.?`/`[?`) is not implemented by Cel 0.3.3" };
        }

        var missing = calls.Where(c => !Implements(c.Name, c.Member, c.Args)).Select(c => $"{(c.Member ? "." : "")}{c.Name}()").Distinct().ToList();
        if (missing.Count > 0)
        {
            return rule with { UnsupportedReason = $"Cel 0.3.3 does not implement {string.Join(", ", missing)}" };
        }

        try
        {
            return rule with { Program = _environment.Compile(tree) };
        }
        catch (CelException e)
        {
            return rule with { UnsupportedReason = $"does not compile: {e.Message}" };
        }
    }

    // Identifiers, calls (global and member, with their argument texts) and optional selections in a parse tree.
    private static void Scan(IParseTree node, List<string> identifiers, List<(string, bool, IReadOnlyList<string>)> calls, ref bool optional)
    {
        switch (node)
        {
            case CelGrammar.IdentOrGlobalCallContext ident:
                var name = Terminals(ident).FirstOrDefault(t => t.Symbol.Type == CelGrammar.IDENTIFIER)?.GetText() ?? "";
                identifiers.Add(name);
                if (Terminals(ident).Any(t => t.GetText() == "("))
                {
                    calls.Add((name, false, Arguments(ident)));
                }

                break;
            case CelGrammar.MemberCallContext call:
                calls.Add((Terminals(call).First(t => t.Symbol.Type == CelGrammar.IDENTIFIER).GetText(), true, Arguments(call)));
                break;
            case CelGrammar.SelectContext or CelGrammar.IndexContext when Terminals((ParserRuleContext)node).Any(t => t.GetText() == "?"):
                optional = true;
                break;
        }

        for (var i = 0; i < node.ChildCount; i++)
        {
            Scan(node.GetChild(i), identifiers, calls, ref optional);
        }
    }

    private static IEnumerable<ITerminalNode> Terminals(ParserRuleContext context) => context.children?.OfType<ITerminalNode>() ?? [];

    private static IReadOnlyList<string> Arguments(ParserRuleContext context) =>
        context.children?.OfType<CelGrammar.ExprListContext>().FirstOrDefault()?.children?.OfType<CelGrammar.ExprContext>().Select(e => e.GetText()).ToList() ?? [];

    // Whether Cel 0.3.3 has a function or macro of that name. Asked of the library itself with a probe call, since it
    // resolves names only while evaluating: an unknown global name is an undeclared reference, an unknown member name
    // "no function, variable or macro"; any other outcome (a value, a wrong-overload error) means it exists.
    private bool Implements(string name, bool member, IReadOnlyList<string> args)
    {
        if (!member && args.Count == 1 && name == "has")
        {
            return true;
        }

        var macroShape = member && args.Count is 2 or 3 && System.Text.RegularExpressions.Regex.IsMatch(args[0], "^[A-Za-z_][A-Za-z0-9_]*$");
        var probe = !member ? $"{name}()" : macroShape ? $"[].{name}(x, {string.Join(", ", Enumerable.Repeat("true", args.Count - 1))})" : $"''.{name}()";
        if (_known.TryGetValue(probe, out var known))
        {
            return known;
        }

        try
        {
            _environment.Compile(probe)(new Dictionary<string, object?>());
            known = true;
        }
        catch (CelUndeclaredReferenceException e) when (e.Message.Contains($"'{name}'", StringComparison.Ordinal))
        {
            known = false;
        }
        catch (CelUnboundFunctionException)
        {
            known = false;
        }
        catch (CelExpressionParserException e) when (e.Message.Contains("no function, variable or macro", StringComparison.Ordinal))
        {
            known = false;
        }
        catch (CelException)
        {
            known = true;
        }

        _known[probe] = known;
        return known;
    }

    private void Walk(string name, JsonNode? value, JsonNode schema, string path, List<Violation> violations, ISet<Rule>? applied, ref int evaluations)
    {
        if (value is null)
        {
            return;
        }

        foreach (var rule in _rulesAt.GetValueOrDefault(schema) ?? [])
        {
            if (rule.Program is null)
            {
                continue;
            }

            evaluations++;
            applied?.Add(rule);
            var detail = Evaluate(rule, value);
            if (detail is not null)
            {
                violations.Add(new Violation(name, path.Length == 0 ? "." : path, rule, detail));
            }
        }

        switch (value)
        {
            case JsonObject o when schema["properties"] is JsonObject properties:
                foreach (var (key, child) in o)
                {
                    if (properties[key] is { } sub)
                    {
                        Walk(name, child, sub, $"{path}.{key}", violations, applied, ref evaluations);
                    }
                }

                break;
            case JsonObject o when schema["additionalProperties"] is JsonObject additional:
                foreach (var (key, child) in o)
                {
                    Walk(name, child, additional, $"{path}[{key}]", violations, applied, ref evaluations);
                }

                break;
            case JsonArray a when schema["items"] is JsonObject items:
                for (var i = 0; i < a.Count; i++)
                {
                    Walk(name, a[i], items, $"{path}[{i}]", violations, applied, ref evaluations);
                }

                break;
        }
    }

    // null when the rule holds; otherwise what the API server would report: the message, or the evaluation error.
    private static string? Evaluate(Rule rule, JsonNode value)
    {
        object? result;
        try
        {
            result = rule.Program!(new Dictionary<string, object?> { ["self"] = ToCel(value) });
        }
        catch (CelException e)
        {
            return $"evaluation error: {e.Message}";
        }

        return result switch
        {
            true => null,
            false => rule.EffectiveMessage,
            _ => $"evaluation error: the rule returned {result?.GetType().Name ?? "null"}, not a bool",
        };
    }

    // JSON as CEL sees it: objects are maps (so has() and `in` work), integers int64, other numbers double.
    private static object? ToCel(JsonNode? node) => node switch
    {
        JsonObject o => o.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => ToCel(p.Value)),
        JsonArray a => a.Select(ToCel).ToList(),
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue v when v.TryGetValue<double>(out var d) => d,
        JsonValue v => v.GetValue<string>(),
        _ => null,
    };

    // The API server prunes nulls of non-nullable fields and applies schema defaults before it validates.
    private static JsonNode? Defaulted(JsonNode? value, JsonNode schema)
    {
        switch (value)
        {
            case JsonObject o when schema["properties"] is JsonObject properties:
                foreach (var (key, sub) in properties)
                {
                    if (o[key] is null && sub?["default"] is { } fallback && sub["nullable"]?.GetValue<bool>() != true)
                    {
                        o[key] = fallback.DeepClone();
                    }
                }

                foreach (var (key, child) in o.ToList())
                {
                    if (properties[key] is { } sub)
                    {
                        Defaulted(child, sub);
                    }
                }

                break;
            case JsonObject o when schema["additionalProperties"] is JsonObject additional:
                foreach (var (_, child) in o.ToList())
                {
                    Defaulted(child, additional);
                }

                break;
            case JsonArray a when schema["items"] is JsonObject items:
                foreach (var item in a)
                {
                    Defaulted(item, items);
                }

                break;
        }

        return value;
    }

    private sealed class Collecting(List<string> errors) : BaseErrorListener
    {
        public override void SyntaxError(TextWriter output, IRecognizer recognizer, IToken offendingSymbol, int line, int charPositionInLine, string msg, RecognitionException e) =>
            errors.Add($"{line}:{charPositionInLine} {msg}");
    }
}
