using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.EventEmitters;
using YamlDotNet.Serialization.NamingConventions;
using YamlDotNet.Serialization.ObjectFactories;
using YamlDotNet.Serialization.ObjectGraphTraversalStrategies;
using YamlDotNet.Serialization.TypeInspectors;

namespace FleetInfra.Hosting.Publishing;

/// <summary>
/// Kubernetes objects as YAML, byte for byte as <see cref="KubernetesYaml.Serialize"/> writes them (camelCase keys,
/// the models' <see cref="JsonPropertyNameAttribute"/> names, IntOrString and quantities as scalars, nulls left out,
/// ambiguous strings quoted, floats with a decimal point), without its start-up cost.
/// </summary>
/// <remarks>
/// On first use <see cref="KubernetesYaml"/> builds two deserializers and a serializer, each reflecting over every
/// model type in KubernetesClient (thousands of types): about 0.6 s of a two-core machine, a third of a whole publish.
/// A publish serializes a few dozen types, so the property names are read per type, when a type is first written.
/// </remarks>
internal static class FluxYaml
{
    private static readonly IValueSerializer s_serializer = new SerializerBuilder()
        .DisableAliases()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .WithTypeConverter(new IntOrStringYamlConverter())
        .WithTypeConverter(new ByteArrayConverter())
        .WithTypeConverter(new ResourceQuantityYamlConverter())
        .WithEventEmitter(e => new StringQuotingEmitter(e))
        .WithEventEmitter(e => new FloatEmitter(e))
        .ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull)
        .WithTypeInspector(inner => new JsonNameTypeInspector(inner))
        // The default traversal (YamlDotNet SerializerBuilder's constructor), with an object factory that remembers which types are no dictionaries.
        .WithObjectGraphTraversalStrategyFactory((inspector, resolver, _, maxRecursion) =>
            new FullObjectGraphTraversalStrategy(inspector, resolver, maxRecursion, CamelCaseNamingConvention.Instance, new CachingObjectFactory()))
        .BuildValueSerializer();

    private static readonly Lock s_lock = new();

    /// <summary>One YAML document, as <see cref="KubernetesYaml.Serialize"/> would write it.</summary>
    public static string Serialize(object value)
    {
        var text = new StringBuilder();
        var emitter = new Emitter(new StringWriter(text, CultureInfo.InvariantCulture));
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart());
        lock (s_lock)
        {
            s_serializer.SerializeValue(emitter, value, value.GetType());
        }

        return text.ToString();
    }

    // The KubernetesClient models name their fields with JsonPropertyName; those names win over the naming
    // convention (KubernetesYaml does the same with an attribute override per property of every model).
    private sealed class JsonNameTypeInspector(ITypeInspector inner) : TypeInspectorSkeleton
    {
        private static readonly string[] s_leading = ["apiVersion", "kind", "metadata"];

        private readonly ConcurrentDictionary<Type, IPropertyDescriptor[]> _properties = new();

        // In KubernetesClient's models apiVersion, kind and metadata lead and the rest keep their declaration order
        // (KubernetesYaml's order); FleetInfra's own records keep theirs.
        public override IEnumerable<IPropertyDescriptor> GetProperties(Type type, object? container) =>
            _properties.GetOrAdd(type, t =>
            {
                var properties = inner.GetProperties(t, container).Select(Rename);
                return t.Assembly == typeof(V1ObjectMeta).Assembly
                    ? properties.OrderBy(p => Array.IndexOf(s_leading, p.Name) is var i and >= 0 ? i : s_leading.Length).ToArray()
                    : properties.ToArray();
            });

        public override string GetEnumName(Type enumType, string name) => inner.GetEnumName(enumType, name);

        public override string GetEnumValue(object enumValue) => inner.GetEnumValue(enumValue);

        public override bool HasParseMethod(Type type) => inner.HasParseMethod(type);

        public override object? Parse(string value, Type type) => inner.Parse(value, type);

        private static IPropertyDescriptor Rename(IPropertyDescriptor property) =>
            new CachedPropertyDescriptor(property, property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? property.Name);
    }

    // YamlDotNet asks every property of every object for its attributes and converter while it writes, and its reflection
    // descriptors read them from metadata each time: most of a large publish's serialization. Attributes never change,
    // so each descriptor (cached per type above) reads them once.
    private sealed class CachedPropertyDescriptor(IPropertyDescriptor inner, string name) : IPropertyDescriptor
    {
        private readonly ConcurrentDictionary<Type, Attribute?> _attributes = new();

        public string Name { get; } = name;

        public bool AllowNulls { get; } = inner.AllowNulls;

        public bool CanWrite => inner.CanWrite;

        public Type Type => inner.Type;

        public Type? TypeOverride { get => inner.TypeOverride; set => inner.TypeOverride = value; }

        public int Order { get => inner.Order; set => inner.Order = value; }

        public ScalarStyle ScalarStyle { get => inner.ScalarStyle; set => inner.ScalarStyle = value; }

        public bool Required { get; } = inner.Required;

        public Type? ConverterType { get; } = inner.ConverterType;

        public T? GetCustomAttribute<T>() where T : Attribute => (T?)_attributes.GetOrAdd(typeof(T), _ => inner.GetCustomAttribute<T>());

        public IObjectDescriptor Read(object target) => inner.Read(target);

        public void Write(object target, object? value) => inner.Write(target, value);
    }

    // YamlDotNet's traversal asks the object factory of every object it meets whether it is a dictionary, and the factory
    // answers by reflecting over the type's interfaces each time (ObjectFactoryBase.GetDictionary, v18.1.0). The answer
    // "no" (every model type) is remembered per type; dictionaries still get the factory's own adapter.
    private sealed class CachingObjectFactory : DefaultObjectFactory
    {
        private readonly ConcurrentDictionary<Type, bool> _notDictionaries = new();
        private readonly ConcurrentDictionary<Type, Type> _valueTypes = new();

        public override bool GetDictionary(IObjectDescriptor descriptor, out System.Collections.IDictionary? dictionary, out Type[]? genericArguments)
        {
            if (_notDictionaries.ContainsKey(descriptor.Type))
            {
                (dictionary, genericArguments) = (null, null);
                return false;
            }

            var found = base.GetDictionary(descriptor, out dictionary, out genericArguments);
            if (!found)
            {
                _notDictionaries.TryAdd(descriptor.Type, true);
            }

            return found;
        }

        public override Type GetValueType(Type type) => _valueTypes.GetOrAdd(type, base.GetValueType);
    }

    // Floating point numbers keep at least one decimal (1.0, not 1), as in KubernetesYaml.
    private sealed class FloatEmitter(IEventEmitter next) : ChainedEventEmitter(next)
    {
        public override void Emit(ScalarEventInfo eventInfo, IEmitter emitter)
        {
            var text = eventInfo.Source.Value switch
            {
                double d => d.ToString("0.0######################", CultureInfo.InvariantCulture),
                float f => f.ToString("0.0######################", CultureInfo.InvariantCulture),
                _ => null,
            };
            if (text is null)
            {
                base.Emit(eventInfo, emitter);
            }
            else
            {
                emitter.Emit(new Scalar(text));
            }
        }
    }

    // byte[] (Secret data) as its UTF-8 text, as in KubernetesYaml; the tree has no Secret objects, this keeps parity.
    private sealed class ByteArrayConverter : IYamlTypeConverter
    {
        public bool Accepts(Type type) => type == typeof(byte[]);

        public object? ReadYaml(IParser parser, Type type, ObjectDeserializer rootDeserializer) =>
            throw new NotSupportedException("FluxYaml only writes YAML.");

        public void WriteYaml(IEmitter emitter, object? value, Type type, ObjectSerializer serializer) =>
            emitter.Emit(new Scalar(Encoding.UTF8.GetString((byte[])value!)));
    }
}
