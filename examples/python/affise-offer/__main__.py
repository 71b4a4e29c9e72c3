"""The Affise help center's "add offer" request as code: every group of it
(payouts, partner payouts, landings, caps, creatives, two targeting groups),
plus a postback for affiliate 2 on that offer.

`pulumi up` in this directory runs it (Pulumi's Python language host);
test/e2e.python.test.ts runs the same function inline.
"""
import pulumi
from pulumi_adnetworks import affise


def affise_offer(title="NEW BIG OFFER", revenue=30, pid=2, creative="creative-300x250.png", opts=None):
    """Declares the offer and its postback; `opts` (e.g. an explicit provider) applies to both."""
    offer = affise.Offer(
        "big-offer",
        title=title,
        advertiser="5e39279bac611cda7e5765ab",
        url="https://track.gjane.com/hc/click?afclick={clickid}&afpid={pid}&afoffer={offer_id}",
        cross_postback_url="https://cpa.gjane.com/hc/click?afclick={clickid}&afpid={pid}&afoffer={offer_id}",
        macro_url="&sub1={IP}",
        preview_url="https://giane.com",
        trafficback_url="https://rocketcompant.g2afse.com/click?pid={pid}&offer_id=132009&sub1={offer_id}",
        descriptions={"en": "English description"},
        # A relative path is read by the provider from the program's directory.
        creatives=[{"file": creative}, {"url": "https://google.drive"}],
        status="active",
        privacy="protected",
        is_top=False,
        is_cpi=True,
        payments=[{
            "countries": ["RU"], "devices": ["desktop"], "goal": "28", "total": 100, "revenue": revenue,
            "currency": "USD", "type": "fixed", "sub1": "abc",
        }],
        partner_payments=[{"partners": [2], "countries": ["RU"], "goal": "14", "total": 80, "type": "fixed", "currency": "USD", "revenue": 20}],
        landings=[{"title": "landing", "url": "https://giane.com", "preview_url": "https://giane.com", "type": "transit"}],
        caps=[{"period": "day", "type": "conversions", "value": 150, "goal_type": "all", "affiliate_type": "all"}],
        caps_status=["confirmed", "pending", "hold"],
        redirect_type="http302",
        start_at="2020-03-10",
        is_redirect_overcap=False,
        click_session="1y2m",
        minimal_click_session="5h7i",
        smartlink_categories=["5a8d24b7948641003d282ec2"],
        targeting=[
            # General group: whitelist on sub1.
            {"countries": {"allow": ["RU"]}, "device_types": ["mobile"], "connections": ["cellular"], "sub_allow": {"sub1": ["qwerty"]}},
            # Personal group for affiliate 2: blacklist on sub2.
            {"countries": {"allow": ["US"]}, "device_types": ["desktop"], "connections": ["wi-fi"], "affiliate_ids": [2], "sub_deny": {"sub2": ["qwerty213"]}},
        ],
        opts=opts,
    )
    postback = affise.Postback(
        "big-offer-postback",
        pid=pid,
        offer_id=offer.id,
        url="https://tracker.affiliate.example/postback?click={clickid}&payout={sum}&status={status}",
        status="confirmed",
        integration_method="all",
        opts=opts,
    )
    return {"offerId": offer.id, "postbackId": postback.id}


if __name__ == "__main__":
    for key, value in affise_offer().items():
        pulumi.export(key, value)
