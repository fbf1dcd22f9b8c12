using FleetInfra.Hosting.Components.LocalStack;
using FleetInfra.Hosting.Configuration;
using FleetInfra.Tests.Infrastructure;

namespace FleetInfra.Tests.Model;

/// <summary>
/// LocalStack stays at 4.14.0, the last tag without an auth token; a token is passed through as a secret when set, and a
/// later image without one stops the AppHost before anything starts, naming the key and the token.
/// </summary>
public sealed class LocalStackTokenTests
{
    [Theory]
    [InlineData("localstack/localstack:4.15.0")]
    [InlineData("localstack/localstack:2026.3.0")] // CalVer, as LocalStack tags after 4.14
    [InlineData("localstack/localstack:latest")]
    [InlineData("localstack/localstack:stable")]
    [InlineData("localstack/localstack@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public async Task A_later_image_without_a_token_stops_before_anything_starts(string image)
    {
        var error = await Assert.ThrowsAsync<FleetInfraConfigurationException>(() => FleetModel.CreateAsync($"FleetInfra:Images:localstack={image}"));

        Assert.Equal("FleetInfra:Images:localstack", error.Key);
        Assert.Contains(LocalStackAuthToken.EnvironmentVariable, error.Message, StringComparison.Ordinal);
        Assert.Contains("4.14.0", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("localstack/localstack:4.14.0")]
    [InlineData("localstack/localstack:4.13")]
    [InlineData("registry.example.com/mirror/localstack:3.8.1")]
    public async Task A_tag_up_to_4_14_0_needs_no_token(string image)
    {
        await using var builder = await FleetModel.CreateAsync($"FleetInfra:Images:localstack={image}");

        Assert.DoesNotContain(builder.Resources.OfType<ParameterResource>(), p => p.Name == LocalStackAuthToken.ParameterName);
    }

    [Fact]
    public async Task A_later_image_with_a_token_starts_and_gets_the_token_as_a_secret()
    {
        await using var builder = await FleetModel.CreateAsync("FleetInfra:Images:localstack=localstack/localstack:latest", $"{LocalStackAuthToken.EnvironmentVariable}=ls-token-123");
        var localStack = builder.Get<LocalStackResource>("localstack");
#pragma warning disable CS0618 // the manifest-expression view shows which parameter the variable is bound to
        var env = await localStack.GetEnvironmentVariableValuesAsync(DistributedApplicationOperation.Publish);
#pragma warning restore CS0618

        var token = builder.Get<ParameterResource>(LocalStackAuthToken.ParameterName);
        Assert.True(token.Secret);
        Assert.Equal("ls-token-123", await token.GetValueAsync(TestContext.Timeout));
        Assert.Equal($"{{{LocalStackAuthToken.ParameterName}.value}}", env[LocalStackAuthToken.EnvironmentVariable]);
    }

    [Fact]
    public async Task The_pinned_image_is_the_last_one_without_a_token()
    {
        await using var builder = await FleetModel.CreateAsync();

        Assert.Equal("4.14.0", builder.Image("localstack").Tag);
        Assert.False(LocalStackAuthToken.Needed(builder.Image("localstack")));
    }
}
