using k8s.Models;

namespace FleetInfra.Hosting.Publishing.Lint;

/// <summary>
/// job-recovery: every wave waits for its Jobs (<c>wait: true</c>), and a Job whose backoff is used up is Failed for good:
/// kstatus reports it Failed (fluxcd/cli-utils pkg/kstatus/status/core.go, jobConditions), and kustomize-controller's force
/// annotation recreates an object only when its apply fails on an immutable field (fluxcd/pkg ssa/manager_apply.go), which
/// an unchanged Job never does. So one failed run keeps its wave, and every wave after it, failed until someone runs
/// <c>kubectl delete job</c>. A Job must be deleted after it finishes (<c>ttlSecondsAfterFinished</c>, so Flux applies it
/// again), which its component declares with <see cref="RerunnableJobExtensions.RerunsInCluster{T}"/>.
/// </summary>
internal sealed class JobRecoveryRule : IFluxLintRule
{
    public string Name => "job-recovery";

    public void Check(FluxLintContext context, FluxObject o)
    {
        if (o.Value is V1Job { Spec.TtlSecondsAfterFinished: null })
        {
            context.Report(o, $"wave '{o.Wave}' waits for the Job, and once its backoffLimit is used up it stays Failed: Flux neither deletes nor reruns it, so the wave and every wave after it stay failed until someone deletes the Job",
                "make the command idempotent and declare it with .RerunsInCluster() (ttlSecondsAfterFinished: Flux applies the Job again after it is deleted), or run the step as an init container of the workload that needs it");
        }
    }
}
