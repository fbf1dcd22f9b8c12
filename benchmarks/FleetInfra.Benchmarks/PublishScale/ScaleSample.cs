namespace FleetInfra.Benchmarks.PublishScale;

/// <summary>One run of a pipeline step (<see cref="ScaleRun"/>), in milliseconds, with the objects of the published tree.</summary>
/// <param name="Wall">The process, from spawn to exit.</param>
/// <param name="Model">Building the model (Program.cs, the extra components, the app).</param>
/// <param name="Step">Running the pipeline step.</param>
/// <param name="StepCpu">CPU time of the process while the step ran.</param>
/// <param name="Cpu">CPU time of the whole process.</param>
/// <param name="Objects">The objects of the tree the clusters apply (<see cref="TreeCount"/>).</param>
internal sealed record ScaleSample(double Wall, double Model, double Step, double StepCpu, double Cpu, int Objects);
