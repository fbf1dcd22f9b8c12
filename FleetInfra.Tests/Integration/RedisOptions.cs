using System.Net;
using System.Net.Security;
using StackExchange.Redis;

namespace FleetInfra.Tests.Integration;

internal static class RedisOptions
{
    /// <summary>
    /// Parses an Aspire Redis connection string. Aspire serves Redis over TLS with the local development
    /// certificate, which a test client on a fresh machine does not trust: accept it for loopback only.
    /// </summary>
    public static ConfigurationOptions Parse(string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        var loopbackOnly = options.EndPoints.All(IsLoopback);
        options.CertificateValidation += (_, _, _, errors) => errors == SslPolicyErrors.None || loopbackOnly;
        options.ConnectTimeout = 10_000;
        return options;
    }

    private static bool IsLoopback(EndPoint endpoint) => endpoint switch
    {
        DnsEndPoint dns => dns.Host == "localhost",
        IPEndPoint ip => IPAddress.IsLoopback(ip.Address),
        _ => false,
    };
}
