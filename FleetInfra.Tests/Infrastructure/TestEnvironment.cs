using System.Runtime.CompilerServices;

namespace FleetInfra.Tests.Infrastructure;

internal static class TestEnvironment
{
    // Each AppHost built in a test would otherwise watch its appsettings files; hundreds of model tests
    // exhaust the machine's inotify instances (128 by default).
    [ModuleInitializer]
    internal static void DisableConfigurationReload() =>
        Environment.SetEnvironmentVariable("DOTNET_hostBuilder__reloadConfigOnChange", "false");
}
