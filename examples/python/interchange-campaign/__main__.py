"""An Interchange (Scope3) buyer campaign driven to ACTIVE: advertiser, name,
flight dates, budget, DECISIONED, the `mode` the buyer contract requires on
create ("discovery"), a brief and US/CA targeting. Pulumi creates it DRAFT
and runs `execute`; changing `status` later pauses or reactivates it in place.

`pulumi up` in this directory runs it (Pulumi's Python language host);
test/e2e.python.test.ts runs the same function inline.
"""
import pulumi
from pulumi_adnetworks import interchange


def interchange_campaign(prefix="retail", advertiser_id=12345, budget_total=5000, daily_cap=250, status="ACTIVE", opts=None):
    """Declares the campaign; `opts` (e.g. an explicit provider) applies to it."""
    campaign = interchange.Campaign(
        f"{prefix}-interchange-campaign",
        advertiser_id=advertiser_id,
        name=f"{prefix} retail media Q1 2026",
        flight_dates={"start_date": "2026-01-15T00:00:00Z", "end_date": "2026-03-31T23:59:59Z"},
        # Amounts in major units of the currency: 5,000.00 in total, at most 250.00 a day.
        budget={"total": budget_total, "currency": "USD", "daily_cap": daily_cap, "pacing": "EVEN"},
        campaign_type="DECISIONED",
        mode="discovery",
        status=status,
        brief="Retail media: premium display and video next to product pages, shoppers in the US and Canada",
        constraints={"geo_countries": ["US", "CA"], "device_type": ["desktop", "mobile"]},
        opts=opts,
    )
    return {"interchangeCampaignId": campaign.id}


if __name__ == "__main__":
    for key, value in interchange_campaign().items():
        pulumi.export(key, value)
