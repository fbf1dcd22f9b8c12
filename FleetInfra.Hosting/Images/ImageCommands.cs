using System.Diagnostics;
using FleetInfra.Hosting.Lifecycle;
using FleetInfra.Hosting.Waves;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FleetInfra.Hosting.Images;

/// <summary>
/// Fix in place: a dashboard command on every container of the local run that gives it another image, after which its
/// wave's <i>Reconcile</i> starts it without restarting the AppHost. Changing the model's image is not enough: DCP
/// receives each container's spec (image included) when the run starts, and a restart recreates the container from that
/// same spec (Aspire's start/restart commands go through ApplicationOrchestrator.StartResourceAsync to the existing DCP
/// object: dotnet/aspire src/Aspire.Hosting/Orchestrator/ApplicationOrchestrator.cs, src/Aspire.Hosting/Dcp/DcpExecutor.cs).
/// So the command makes the model's reference resolve locally instead: it pulls the given image if the runtime lacks it
/// and tags it under the model's reference (<c>docker tag</c>); with the default pull policy DCP then finds the image
/// and does not pull. The input is declared with <c>CommandOptions.Arguments</c> (Aspire.Hosting 13.6.5), so the command
/// runs the same from the dashboard, the CLI or <see cref="ResourceCommandService"/>.
/// </summary>
internal static class ImageCommands
{
    /// <summary>The command's name.</summary>
    public const string SetImage = "fleetinfra-set-image";

    /// <summary>The argument holding the image reference to use.</summary>
    public const string ImageArgument = "image";

    /// <summary>Adds the command to every container of <paramref name="model"/> (once).</summary>
    public static void Add(IDistributedApplicationBuilder builder, DistributedApplicationModel model)
    {
        foreach (var container in model.Resources.OfType<ContainerResource>().Where(c => !c.Annotations.OfType<ResourceCommandAnnotation>().Any(a => a.Name == SetImage)))
        {
            builder.CreateResourceBuilder(container).WithCommand(SetImage, "Set image", context => ExecuteAsync(container, context), new CommandOptions
            {
                Description = "Use another image for this container: pulled if missing, then tagged locally under the image this run was started with, " +
                    "so that 'Reconcile' on its wave starts it without a restart. Lasting fix: FleetInfra:Images:<resource>.",
                IconName = "ImageArrowCounterclockwise",
                Arguments =
                [
                    new InteractionInput
                    {
                        Name = ImageArgument,
                        Label = "Image",
                        InputType = InputType.Text,
                        Required = true,
                        Placeholder = "registry/name:tag",
                    },
                ],
                // Only where it helps: a container that does not run. A running one keeps its image until it is recreated.
                UpdateState = context => context.ResourceSnapshot.State?.Text == KnownResourceStates.Running ? ResourceCommandState.Hidden : ResourceCommandState.Enabled,
            });
        }
    }

    private static async Task<ExecuteCommandResult> ExecuteAsync(ContainerResource container, ExecuteCommandContext context)
    {
        var given = context.Arguments.GetString(ImageArgument)?.Trim();
        if (string.IsNullOrEmpty(given) || given.Any(char.IsWhiteSpace))
        {
            return CommandResults.Failure("Give an image reference such as 'localhost/fleetinfra/redis:7' (no spaces).");
        }

        if (!container.TryGetContainerImageName(out var target))
        {
            return CommandResults.Failure($"'{container.Name}' has no image.");
        }

        var fleet = context.Services.GetRequiredService<FleetInfraBuilder>();
        var runtime = Runtime.ContainerRuntimeCheck.RuntimeName(fleet.App.Configuration);
        var logger = context.Services.GetRequiredService<ResourceLoggerService>().GetLogger(container);
        var notifications = context.Services.GetRequiredService<ResourceNotificationService>();

        if (await RunAsync(runtime, ["image", "inspect", "--format", "{{.Id}}", given], context.CancellationToken).ConfigureAwait(false) is not (0, _)
            && await RunAsync(runtime, ["pull", given], context.CancellationToken).ConfigureAwait(false) is (not 0, var pullError))
        {
            return CommandResults.Failure($"'{given}' cannot be pulled: {FirstLine(pullError)}");
        }

        if (await RunAsync(runtime, ["tag", given, target], context.CancellationToken).ConfigureAwait(false) is (not 0, var tagError))
        {
            return CommandResults.Failure($"'{given}' could not be tagged as '{target}': {FirstLine(tagError)}");
        }

        logger.LogInformation("Image '{Given}' tagged as '{Target}' for this run (set FleetInfra:Images:{Resource}={Given} to keep it).", given, target, container.Name, given);
        if (fleet.ImageCheck is { } images)
        {
            await images.Recheck(container, target, context.CancellationToken).ConfigureAwait(false);
        }

        await MemberFailure.ClearAsync(notifications, container).ConfigureAwait(false);
        var wave = container.GetWave();
        return CommandResults.Success($"'{container.Name}' will use '{given}' (tagged as '{target}'). " +
            (wave is null ? "Start it again." : $"Run 'Reconcile' on wave '{wave.Name}'.") + $" To keep it: FleetInfra:Images:{container.Name}={given}.");
    }

    private static string FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "no reason given";

    private static async Task<(int ExitCode, string Stderr)> RunAsync(string runtime, string[] args, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(runtime, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"'{runtime}' did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        await stdout.ConfigureAwait(false);
        return (process.ExitCode, await stderr.ConfigureAwait(false));
    }
}
