using AnomalyNcd.Dashboard.Hosting;
using Microsoft.AspNetCore.Http;

namespace AnomalyNcd.Dashboard.Tests.Hosting;

public sealed class NotFoundEndpointTests
{
    [Theory]
    [InlineData("GET", "/no/such/page", true)]
    [InlineData("HEAD", "/lines/x/no-such-view", true)]
    [InlineData("GET", "/api/no-such-thing", false)]
    [InlineData("GET", "/API/lines/x/nothing", false)]
    [InlineData("POST", "/no/such/page", false)]
    [InlineData("GET", "/apiary", true)]
    public void OnlyPageRequestsOutsideTheApiGetThePage(string method, string path, bool page)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        Assert.Equal(page, NotFoundEndpoint.WantsPage(context.Request));
    }
}
