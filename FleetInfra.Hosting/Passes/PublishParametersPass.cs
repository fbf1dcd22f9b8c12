using FleetInfra.Hosting.Configuration;

namespace FleetInfra.Hosting.Passes;

/// <summary>
/// Publishing: every missing required publish value is named at once (<see cref="PublishParameters.Check"/> throws), and
/// every value reused from Aspire's deployment state is named in the log.
/// </summary>
internal sealed class PublishParametersPass : IModelPass
{
    public void Apply(ModelPassContext context)
    {
        var app = context.App;
        foreach (var reused in PublishParameters.Check(app.Configuration, app.Environment.EnvironmentName, app.ExecutionContext, app.Resources))
        {
            Console.Out.WriteLine($"info: FleetInfra: {reused}");
        }
    }
}
