// One test collection at a time. The integration tests share one container engine and two cores with the model
// tests; in parallel, CI saw load-only failures (DCP's dependency check and 'docker info' timing out, a process test
// over its 10 s limit, a sample start that stalled) that none of those tests shows alone. Serial runs are slower but
// stay far inside CI's 90 minutes.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
