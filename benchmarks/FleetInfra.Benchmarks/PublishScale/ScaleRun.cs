using System.Diagnostics;
using System.Globalization;

namespace FleetInfra.Benchmarks.PublishScale;

/// <summary>
/// One pipeline run in this process (the parent spawns one process per sample): the real AppHost's model plus
/// <c>N</c> extra components (<see cref="ScaleModel"/>), in publish mode, running one pipeline step into a folder, as
/// <c>aspire do &lt;step&gt;</c> would. Prints <c>RESULT &lt;model ms&gt; &lt;step ms&gt; &lt;step CPU ms&gt; &lt;process CPU ms&gt;</c>: the wall
/// time of building the model and of running the step, and the CPU time of the step and of the whole process (on a
/// loaded machine CPU time varies less than wall time).
/// </summary>
internal static class ScaleRun
{
    public const string ResultPrefix = "RESULT ";

    /// <summary>Production's IAM roles are required parameters of publishing (any ARN-shaped value will do here).</summary>
    public static readonly string[] RoleArns =
    [
        "Parameters:aws-external-secrets-role-arn=arn:aws:iam::123456789012:role/bench-eso",
        "Parameters:aws-postgres-backup-role-arn=arn:aws:iam::123456789012:role/bench-pg",
    ];

    /// <summary><c>run N STEP OUTPUT [setting=value …]</c>.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var count = int.Parse(args[0], CultureInfo.InvariantCulture);
        var (step, output) = (args[1], args[2]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var clock = Stopwatch.StartNew();
        // Pipeline:ClearCache=true: Aspire's deployment state (~/.aspire/deployments) is neither read nor written.
        string[] appArgs = ["--operation", "publish", "--step", step, "--output-path", output, "Pipeline:ClearCache=true", .. RoleArns, .. args[3..]];
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FleetInfra_AppHost>(appArgs, timeout.Token);
        await using (builder)
        {
            ScaleModel.AddComponents(builder, count);
            await using var app = await builder.BuildAsync(timeout.Token);
            var model = clock.Elapsed.TotalMilliseconds;
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;
            clock.Restart();
            await app.RunAsync(timeout.Token);
            var stepMs = clock.Elapsed.TotalMilliseconds;
            var cpu = Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{ResultPrefix}{model:0} {stepMs:0} {cpu - cpuBefore:0} {cpu:0}"));
        }

        return Environment.ExitCode;
    }
}
