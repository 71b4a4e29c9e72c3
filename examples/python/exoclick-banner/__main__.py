"""The ExoClick 300x250 banner flow as code: a landing page URL, a banner
image, a campaign and a variation that links them. Pulumi orders the creates
from the outputs each resource takes (the variation waits for the other three).

`pulumi up` in this directory runs it (Pulumi's Python language host);
test/e2e.python.test.ts runs the same function inline.
"""
import pulumi
from pulumi_adnetworks import exoclick


def exoclick_banner(prefix="demo", max_daily_budget=20.0, image="banner-300x250.png", opts=None):
    """Declares the banner's four resources; `opts` (e.g. an explicit provider) applies to each."""
    landing = exoclick.LibraryUrl(f"{prefix}-landing", url="https://your-landing-page.com", opts=opts)
    # A relative path is read by the provider from the program's directory.
    banner = exoclick.LibraryFile(f"{prefix}-banner", path=image, type="image", size="300x250", opts=opts)
    campaign = exoclick.Campaign(
        f"{prefix}-campaign",
        name="Banner 300x250 Production",
        status=0,  # paused
        advertiser_ad_type=0,
        media_storage_template="img_banner",
        size="300x250",
        categories={"type": "targeted", "elements": [97, 98, 99]},
        countries={"type": "targeted", "elements": [{"country": "USA", "regions": [0]}]},
        pricing={"model": 4, "price": 3},  # 3.00 per thousand impressions, in the account's currency
        start_date="2026-03-02",
        daily_limit_type=1,
        max_daily_budget=max_daily_budget,  # 20.00 a day
        budget_delivery_mode=1,
        run_on_responsive_zones=1,
        opts=opts,
    )
    variation = exoclick.Variation(
        f"{prefix}-variation",
        campaign_id=campaign.id,
        library_url_id=landing.id,
        library_file_id=banner.id,
        active=True,
        opts=opts,
    )
    return {
        "libraryUrlId": landing.id,
        "libraryFileId": banner.id,
        "campaignId": campaign.id,
        "variationId": variation.id,
    }


if __name__ == "__main__":
    for key, value in exoclick_banner().items():
        pulumi.export(key, value)
