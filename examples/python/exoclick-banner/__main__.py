"""The ExoClick 300x250 banner flow as code: a landing page URL, a banner
image, a campaign and a variation that links them. Pulumi orders the creates
from the outputs each resource takes (the variation waits for the other three).

`pulumi up` in this directory runs it (Pulumi's Python language host);
test/e2e.python.test.ts runs the same function inline.
"""
import pulumi


def exoclick_banner(prefix="demo", max_daily_budget=20.0, image="banner-300x250.png", opts=None):
    """Declares the banner's four resources; `opts` (e.g. an explicit provider) applies to each."""
    landing = pulumi.CustomResource("adnetworks:exoclick:LibraryUrl", f"{prefix}-landing", {
        "url": "https://your-landing-page.com",
    }, opts)
    # A relative path is read by the provider from the program's directory.
    banner = pulumi.CustomResource("adnetworks:exoclick:LibraryFile", f"{prefix}-banner", {
        "path": image,
        "type": "image",
        "size": "300x250",
    }, opts)
    campaign = pulumi.CustomResource("adnetworks:exoclick:Campaign", f"{prefix}-campaign", {
        "name": "Banner 300x250 Production",
        "status": 0,
        "advertiserAdType": 0,
        "mediaStorageTemplate": "img_banner",
        "size": "300x250",
        "categories": {"type": "targeted", "elements": [97, 98, 99]},
        "countries": {"type": "targeted", "elements": [{"country": "USA", "regions": [0]}]},
        "pricing": {"model": 4, "price": 3},  # 3.00 per thousand impressions, in the account's currency
        "startDate": "2026-03-02",
        "dailyLimitType": 1,
        "maxDailyBudget": max_daily_budget,  # 20.00 a day
        "budgetDeliveryMode": 1,
        "runOnResponsiveZones": 1,
    }, opts)
    variation = pulumi.CustomResource("adnetworks:exoclick:Variation", f"{prefix}-variation", {
        "campaignId": campaign.id,
        "libraryUrlId": landing.id,
        "libraryFileId": banner.id,
        "active": True,
    }, opts)
    return {
        "libraryUrlId": landing.id,
        "libraryFileId": banner.id,
        "campaignId": campaign.id,
        "variationId": variation.id,
    }


if __name__ == "__main__":
    for key, value in exoclick_banner().items():
        pulumi.export(key, value)
