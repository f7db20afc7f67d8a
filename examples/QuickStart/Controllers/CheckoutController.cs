using Instrumentation;
using Microsoft.AspNetCore.Mvc;
using QuickStart.Metrics;

namespace QuickStart.Controllers;

/// <summary>A controller whose metrics are injected by their definition type.</summary>
[ApiController]
[Route("checkout")]
public sealed class CheckoutController(ICounter<OrdersPlaced> placed, IHistogram<OrderValue> value) : ControllerBase
{
    /// <summary>Places an order through <paramref name="channel"/> ("web" when not given).</summary>
    [HttpPost]
    public IActionResult Post([FromQuery] string? channel, [FromQuery] double amount = 42)
    {
        placed.WithLabels(channel is "app" ? "app" : "web").Inc();
        value.Observe(amount);
        return Ok(new { accepted = true });
    }
}
