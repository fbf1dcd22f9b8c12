namespace FleetInfra.Hosting.Passes;

/// <summary>
/// One step of <see cref="FleetInfraBuilder.Build"/>'s completion of the model (exclusion, wave edges, image overrides,
/// lifetime, host ports). The builder runs them in a fixed order; each changes the model or throws
/// <see cref="Configuration.FleetInfraConfigurationException"/> before anything starts.
/// </summary>
internal interface IModelPass
{
    /// <summary>Applies the pass to the model in <paramref name="context"/>.</summary>
    void Apply(ModelPassContext context);
}
