using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Desirable.Hosting.Aws.Templates;

/// <summary>
/// A synthesized CloudFormation template read the way CloudFormation reads it, for the emulators that have no
/// CloudFormation of their own: parameters with their defaults, conditions, resources in dependency order, and the
/// intrinsic functions CDK writes (Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select, Fn::Split, Fn::If, conditions).
/// </summary>
public sealed partial class CloudFormationTemplate
{
    private readonly JsonObject _template;

    private CloudFormationTemplate(JsonObject template) => _template = template;

    public static CloudFormationTemplate Parse(string json)
    {
        try
        {
            return new CloudFormationTemplate(JsonNode.Parse(json)?.AsObject() ?? throw new TemplateException("The template is empty."));
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new TemplateException($"The template is not JSON: {e.Message}");
        }
    }

    public static CloudFormationTemplate Load(string path) => Parse(File.ReadAllText(path));

    /// <summary>Logical id, type and raw definition of every resource, each after the resources it refers to.</summary>
    public IReadOnlyList<TemplateResource> ResourcesInDependencyOrder()
    {
        var resources = (_template["Resources"]?.AsObject() ?? throw new TemplateException("The template has no Resources."))
            .ToDictionary(r => r.Key, r => r.Value!.AsObject(), StringComparer.Ordinal);
        var ordered = new List<TemplateResource>();
        var state = new Dictionary<string, bool>(StringComparer.Ordinal);

        void Visit(string id)
        {
            if (state.TryGetValue(id, out var done))
            {
                if (!done)
                {
                    throw new TemplateException($"The template's resources refer to each other in a circle through {id}.");
                }

                return;
            }

            state[id] = false;
            var definition = resources[id];
            foreach (var dependency in References(definition).Where(resources.ContainsKey))
            {
                Visit(dependency);
            }

            state[id] = true;
            ordered.Add(new TemplateResource(id, definition["Type"]?.GetValue<string>() ?? "", definition));
        }

        foreach (var id in resources.Keys)
        {
            Visit(id);
        }

        return ordered;
    }

    /// <summary>Every parameter's default, with <paramref name="values"/> in their place.</summary>
    public Dictionary<string, string> ParameterValues(IReadOnlyDictionary<string, string>? values = null)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, definition) in _template["Parameters"]?.AsObject() ?? [])
        {
            if (values is not null && values.TryGetValue(name, out var given))
            {
                result[name] = given;
            }
            else if (definition?["Default"] is { } defaultValue)
            {
                result[name] = defaultValue.ToString();
            }
            else
            {
                throw new TemplateException($"The template's parameter {name} has no default and no value was given.");
            }
        }

        return result;
    }

    public IReadOnlyDictionary<string, JsonNode?> Outputs =>
        _template[nameof(Outputs)]?.AsObject().ToDictionary(o => o.Key, o => o.Value?["Value"], StringComparer.Ordinal) ?? [];

    /// <summary>Whether the template's condition holds.</summary>
    public bool Condition(string name, TemplateContext context)
    {
        var definition = _template["Conditions"]?[name] ?? throw new TemplateException($"The template has no condition {name}.");
        return Truth(Evaluate(definition, context));
    }

    /// <summary>Resolves every intrinsic function in <paramref name="node"/>; AWS::NoValue removes its property.</summary>
    public JsonNode? Evaluate(JsonNode? node, TemplateContext context)
    {
        switch (node)
        {
            case JsonObject obj when obj.Count == 1 && IsIntrinsic(obj.First().Key):
                return Intrinsic(obj.First().Key, obj.First().Value, context);
            case JsonObject obj:
                var copy = new JsonObject();
                foreach (var (key, value) in obj)
                {
                    if (Evaluate(value, context) is var evaluated && !IsNoValue(evaluated))
                    {
                        copy[key] = evaluated;
                    }
                }

                return copy;
            case JsonArray array:
                return new JsonArray([.. array.Select(item => Evaluate(item, context)).Where(item => !IsNoValue(item))]);
            default:
                return node?.DeepClone();
        }
    }

    /// <summary>Evaluates a node that must come out as text (a name, an ARN).</summary>
    public string EvaluateString(JsonNode? node, TemplateContext context) => Text(Evaluate(node, context));

    private JsonNode? Intrinsic(string function, JsonNode? argument, TemplateContext context)
    {
        switch (function)
        {
            case "Ref":
                var name = argument!.GetValue<string>();
                return name == "AWS::NoValue" ? NoValue() : JsonValue.Create(context.Ref(name));
            case "Fn::GetAtt":
                var parts = argument is JsonArray pair ? [.. pair.Select(p => p!.GetValue<string>())] : argument!.GetValue<string>().Split('.', 2);
                return JsonValue.Create(context.Attribute(parts[0], parts[1]));
            case "Fn::Join":
                var join = argument!.AsArray();
                var items = Evaluate(join[1], context)!.AsArray();
                return JsonValue.Create(string.Join(join[0]!.GetValue<string>(), items.Select(Text)));
            case "Fn::Select":
                var select = argument!.AsArray();
                var index = int.Parse(Text(Evaluate(select[0], context)), CultureInfo.InvariantCulture);
                var list = Evaluate(select[1], context)!.AsArray();
                return index < list.Count ? list[index]!.DeepClone() : throw new TemplateException($"Fn::Select index {index} is beyond a list of {list.Count}.");
            case "Fn::Split":
                var split = argument!.AsArray();
                return new JsonArray([.. Text(Evaluate(split[1], context)).Split(split[0]!.GetValue<string>()).Select(s => (JsonNode)JsonValue.Create(s))]);
            case "Fn::Sub":
                var (format, variables) = argument is JsonArray sub
                    ? (sub[0]!.GetValue<string>(), sub[1]!.AsObject().ToDictionary(v => v.Key, v => Text(Evaluate(v.Value, context)), StringComparer.Ordinal))
                    : (argument!.GetValue<string>(), new Dictionary<string, string>(StringComparer.Ordinal));
                return JsonValue.Create(SubstitutionPattern().Replace(format, m =>
                {
                    var key = m.Groups[1].Value;
                    return variables.TryGetValue(key, out var value) ? value
                        : key.Contains('.', StringComparison.Ordinal) && !key.StartsWith("AWS::", StringComparison.Ordinal) ? context.Attribute(key.Split('.', 2)[0], key.Split('.', 2)[1])
                        : context.Ref(key);
                }));
            case "Fn::If":
                var branches = argument!.AsArray();
                return Evaluate(Condition(branches[0]!.GetValue<string>(), context) ? branches[1] : branches[2], context);
            case "Fn::Equals":
                var equals = argument!.AsArray();
                return JsonValue.Create(Text(Evaluate(equals[0], context)) == Text(Evaluate(equals[1], context)));
            case "Fn::Not":
                return JsonValue.Create(!Truth(Evaluate(argument!.AsArray()[0], context)));
            case "Fn::And":
                return JsonValue.Create(argument!.AsArray().All(c => Truth(Evaluate(c, context))));
            case "Fn::Or":
                return JsonValue.Create(argument!.AsArray().Any(c => Truth(Evaluate(c, context))));
            case "Condition":
                return JsonValue.Create(Condition(argument!.GetValue<string>(), context));
            default:
                throw new TemplateException($"The emulators do not evaluate {function}.");
        }
    }

    /// <summary>The logical ids a definition refers to (Ref, Fn::GetAtt, Fn::Sub, DependsOn).</summary>
    private static IEnumerable<string> References(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    switch (key)
                    {
                        case "Ref" when value is JsonValue reference:
                            yield return reference.GetValue<string>();
                            break;
                        case "Fn::GetAtt":
                            yield return value is JsonArray pair ? pair[0]!.GetValue<string>() : value!.GetValue<string>().Split('.')[0];
                            break;
                        case "Fn::Sub":
                            var format = value is JsonArray sub ? sub[0]!.GetValue<string>() : value!.GetValue<string>();
                            foreach (Match m in SubstitutionPattern().Matches(format))
                            {
                                yield return m.Groups[1].Value.Split('.')[0];
                            }

                            break;
                        case "DependsOn":
                            foreach (var dependency in value is JsonArray list ? list.Select(d => d!.GetValue<string>()) : [value!.GetValue<string>()])
                            {
                                yield return dependency;
                            }

                            break;
                    }

                    foreach (var inner in References(value))
                    {
                        yield return inner;
                    }
                }

                break;
            case JsonArray array:
                foreach (var inner in array.SelectMany(References))
                {
                    yield return inner;
                }

                break;
        }
    }

    private static bool IsIntrinsic(string key) => key is "Ref" or "Condition" || key.StartsWith("Fn::", StringComparison.Ordinal);

    private static JsonObject NoValue() => new JsonObject { ["__NoValue"] = true };

    private static bool IsNoValue(JsonNode? node) => node is JsonObject { Count: 1 } obj && obj.ContainsKey("__NoValue");

    private static bool Truth(JsonNode? node) => node is JsonValue value && value.TryGetValue<bool>(out var b) ? b : throw new TemplateException("A condition did not evaluate to true or false.");

    private static string Text(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue<string>(out var s) => s,
        JsonValue value => value.ToJsonString(),
        null => "",
        _ => throw new TemplateException($"Expected text, found {node.ToJsonString()}."),
    };

    [GeneratedRegex(@"\$\{([^!}][^}]*)\}")]
    private static partial Regex SubstitutionPattern();
}

/// <summary>One resource of a template.</summary>
public sealed record TemplateResource(string LogicalId, string Type, JsonObject Definition)
{
    public JsonNode? Property(string name) => Definition["Properties"]?[name];

    public string? ConditionName => Definition["Condition"]?.GetValue<string>();
}

/// <summary>What intrinsic functions resolve against: pseudo parameters, parameters, and what applying resources produced.</summary>
public sealed class TemplateContext(string stackName, string region, string accountId, IReadOnlyDictionary<string, string> parameters)
{
    private readonly Dictionary<string, string> _refs = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, string), string> _attributes = [];

    public void SetRef(string logicalId, string value) => _refs[logicalId] = value;

    public void SetAttribute(string logicalId, string attribute, string value) => _attributes[(logicalId, attribute)] = value;

    public string Ref(string name) => name switch
    {
        "AWS::AccountId" => accountId,
        "AWS::Region" => region,
        "AWS::Partition" => "aws",
        "AWS::URLSuffix" => "amazonaws.com",
        "AWS::StackName" => stackName,
        "AWS::StackId" => $"arn:aws:cloudformation:{region}:{accountId}:stack/{stackName}/emulated",
        _ when parameters.TryGetValue(name, out var parameter) => parameter,
        _ when _refs.TryGetValue(name, out var resource) => resource,
        _ => throw new TemplateException($"Ref {name} names no parameter or resource that has been applied."),
    };

    public string Attribute(string logicalId, string attribute) =>
        _attributes.TryGetValue((logicalId, attribute), out var value) ? value
            : throw new TemplateException($"Fn::GetAtt {logicalId}.{attribute} is not available on the emulator.");
}

/// <summary>A template the emulators cannot apply, with the reason.</summary>
public sealed class TemplateException(string message) : Exception(message);
