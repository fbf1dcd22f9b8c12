using k8s;
using k8s.Models;

namespace FleetInfra.Hosting.Publishing;

/// <summary>The objects published for one component in one cluster overlay.</summary>
public sealed class FluxComponentManifests
{
    internal FluxComponentManifests(IResource component, string cluster, List<IKubernetesObject<V1ObjectMeta>> objects)
    {
        Component = component;
        Cluster = cluster;
        Objects = objects;
    }

    /// <summary>The component.</summary>
    public IResource Component { get; }

    /// <summary>The cluster overlay being built (<c>development</c>, <c>production</c>).</summary>
    public string Cluster { get; }

    /// <summary>The objects, editable.</summary>
    public List<IKubernetesObject<V1ObjectMeta>> Objects { get; }

    /// <summary>The first object of type <typeparamref name="T"/>, or null.</summary>
    public T? Get<T>() where T : class, IKubernetesObject<V1ObjectMeta> => Objects.OfType<T>().FirstOrDefault();
}
