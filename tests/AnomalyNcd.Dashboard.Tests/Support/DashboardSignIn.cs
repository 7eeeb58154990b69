using System.Net;
using System.Text.RegularExpressions;

namespace AnomalyNcd.Dashboard.Tests.Support;

internal static class DashboardSignIn
{
    /// <summary>Posts the login form as a browser would: antiforgery token from the page, cookies kept by the handler. Does not follow the redirect.</summary>
    public static async Task<HttpResponseMessage> PostLoginAsync(HttpClient client, string user, string password)
    {
        var form = await client.GetStringAsync("/account/login");
        var token = Regex.Match(form, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"");
        Assert.True(token.Success, "the login page has no antiforgery token");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
                ["user"] = user,
                ["password"] = password,
                ["returnUrl"] = "/",
            }),
        };
        return await client.SendAsync(request);
    }
}
