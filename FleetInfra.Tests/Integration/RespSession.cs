using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using StackExchange.Redis;

namespace FleetInfra.Tests.Integration;

/// <summary>A minimal Redis protocol session (inline commands, one-line replies) over TCP or TLS.</summary>
internal sealed class RespSession : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly Stream _stream;
    private readonly StreamReader _reader;

    private RespSession(TcpClient tcp, Stream stream)
    {
        _tcp = tcp;
        _stream = stream;
        _reader = new StreamReader(stream, Encoding.ASCII);
    }

    public static async Task<RespSession> OpenAsync(ConfigurationOptions options, CancellationToken cancellationToken)
    {
        var (host, port) = options.EndPoints[0] switch
        {
            DnsEndPoint dns => (dns.Host, dns.Port),
            IPEndPoint ip => (ip.Address.ToString(), ip.Port),
            var other => throw new NotSupportedException(other.ToString()),
        };
        var tcp = new TcpClient();
        await tcp.ConnectAsync(host, port, cancellationToken);
        Stream stream = tcp.GetStream();
        if (options.Ssl)
        {
            var tls = new SslStream(stream, leaveInnerStreamOpen: false, (_, _, _, errors) => errors == SslPolicyErrors.None || host is "localhost" or "127.0.0.1");
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = host }, cancellationToken);
            stream = tls;
        }

        return new RespSession(tcp, stream);
    }

    public async Task<string> SendAsync(string inlineCommand)
    {
        await _stream.WriteAsync(Encoding.ASCII.GetBytes(inlineCommand + "\r\n"));
        await _stream.FlushAsync();
        return await _reader.ReadLineAsync() ?? throw new IOException("connection closed");
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }
}
