// Package affiseoffer is the Affise help center's "add offer" request as
// code: payouts, partner payouts, landings, caps, creatives, two targeting
// groups, plus a postback for affiliate 2 on that offer.
//
// `pulumi up` in this directory runs it (program/main.go, Pulumi's Go
// language host); test/e2e.go.test.ts runs the same function inline.
package affiseoffer

import (
	"github.com/pulumi-adnetworks/pulumi-adnetworks/sdk/go/adnetworks/affise"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Args: what changes from one offer to the next.
type Args struct {
	Title    string  // "NEW BIG OFFER"
	Revenue  float64 // the payout's revenue, in USD (30 = 30.00)
	Pid      int     // the affiliate that gets the postback (2)
	Creative string  // a creative image, relative to the program's directory
}

// AffiseOffer declares the offer and its postback; opts (e.g. an explicit
// provider) apply to both. It returns the objects' ids.
func AffiseOffer(ctx *pulumi.Context, args Args, opts ...pulumi.ResourceOption) (map[string]pulumi.IDOutput, error) {
	if args.Title == "" {
		args.Title = "NEW BIG OFFER"
	}
	if args.Revenue == 0 {
		args.Revenue = 30
	}
	if args.Pid == 0 {
		args.Pid = 2
	}
	if args.Creative == "" {
		args.Creative = "creative-300x250.png"
	}
	offer, err := affise.NewOffer(ctx, "big-offer", &affise.OfferArgs{
		Title:            pulumi.String(args.Title),
		Advertiser:       pulumi.String("5e39279bac611cda7e5765ab"),
		Url:              pulumi.String("https://track.gjane.com/hc/click?afclick={clickid}&afpid={pid}&afoffer={offer_id}"),
		CrossPostbackUrl: pulumi.String("https://cpa.gjane.com/hc/click?afclick={clickid}&afpid={pid}&afoffer={offer_id}"),
		MacroUrl:         pulumi.String("&sub1={IP}"),
		PreviewUrl:       pulumi.String("https://giane.com"),
		TrafficbackUrl:   pulumi.String("https://rocketcompant.g2afse.com/click?pid={pid}&offer_id=132009&sub1={offer_id}"),
		Descriptions:     pulumi.StringMap{"en": pulumi.String("English description")},
		// A relative path is read by the provider from the program's directory.
		Creatives: affise.OfferCreativesItemArray{
			affise.OfferCreativesItemArgs{File: pulumi.String(args.Creative)},
			affise.OfferCreativesItemArgs{Url: pulumi.String("https://google.drive")},
		},
		Status:  affise.OfferStatusActive,
		Privacy: affise.OfferPrivacyProtected,
		IsTop:   pulumi.Bool(false),
		IsCpi:   pulumi.Bool(true),
		Payments: affise.OfferPaymentsItemArray{affise.OfferPaymentsItemArgs{
			Countries: pulumi.StringArray{pulumi.String("RU")},
			Devices:   affise.OfferPaymentsItemDevicesItemArray{affise.OfferPaymentsItemDevicesItemDesktop},
			Goal:      pulumi.String("28"),
			Total:     pulumi.Float64(100),
			Revenue:   pulumi.Float64(args.Revenue),
			Currency:  pulumi.String("USD"),
			Type:      affise.OfferPaymentsItemTypeFixed,
			Sub1:      pulumi.String("abc"),
		}},
		PartnerPayments: affise.OfferPartnerPaymentsItemArray{affise.OfferPartnerPaymentsItemArgs{
			Partners:  pulumi.IntArray{pulumi.Int(2)},
			Countries: pulumi.StringArray{pulumi.String("RU")},
			Goal:      pulumi.String("14"),
			Total:     pulumi.Float64(80),
			Type:      affise.OfferPartnerPaymentsItemTypeFixed,
			Currency:  pulumi.String("USD"),
			Revenue:   pulumi.Float64(20),
		}},
		Landings: affise.OfferLandingsItemArray{affise.OfferLandingsItemArgs{
			Title: pulumi.String("landing"), Url: pulumi.String("https://giane.com"), PreviewUrl: pulumi.String("https://giane.com"), Type: affise.OfferLandingsItemTypeTransit,
		}},
		Caps: affise.OfferCapsItemArray{affise.OfferCapsItemArgs{
			Period: affise.OfferCapsItemPeriodDay, Type: affise.OfferCapsItemTypeConversions, Value: pulumi.Float64(150),
			GoalType: affise.OfferCapsItemGoalTypeAll, AffiliateType: affise.OfferCapsItemAffiliateTypeAll,
		}},
		CapsStatus:          affise.OfferCapsStatusItemArray{affise.OfferCapsStatusItemConfirmed, affise.OfferCapsStatusItemPending, affise.OfferCapsStatusItemHold},
		RedirectType:        affise.OfferRedirectTypeHttp302,
		StartAt:             pulumi.String("2020-03-10"),
		IsRedirectOvercap:   pulumi.Bool(false),
		ClickSession:        pulumi.String("1y2m"),
		MinimalClickSession: pulumi.String("5h7i"),
		SmartlinkCategories: pulumi.StringArray{pulumi.String("5a8d24b7948641003d282ec2")},
		Targeting: affise.OfferTargetingItemArray{
			// General group: whitelist on sub1.
			affise.OfferTargetingItemArgs{
				Countries:   affise.OfferTargetingItemCountriesArgs{Allow: pulumi.StringArray{pulumi.String("RU")}},
				DeviceTypes: affise.OfferTargetingItemDeviceTypesItemArray{affise.OfferTargetingItemDeviceTypesItemMobile},
				Connections: affise.OfferTargetingItemConnectionsItemArray{affise.OfferTargetingItemConnectionsItemCellular},
				SubAllow:    affise.OfferTargetingItemSubAllowArgs{Sub1: pulumi.StringArray{pulumi.String("qwerty")}},
			},
			// Personal group for affiliate 2: blacklist on sub2.
			affise.OfferTargetingItemArgs{
				Countries:    affise.OfferTargetingItemCountriesArgs{Allow: pulumi.StringArray{pulumi.String("US")}},
				DeviceTypes:  affise.OfferTargetingItemDeviceTypesItemArray{affise.OfferTargetingItemDeviceTypesItemDesktop},
				Connections:  affise.OfferTargetingItemConnectionsItemArray{affise.OfferTargetingItemConnectionsItemWiFi},
				AffiliateIds: pulumi.IntArray{pulumi.Int(2)},
				SubDeny:      affise.OfferTargetingItemSubDenyArgs{Sub2: pulumi.StringArray{pulumi.String("qwerty213")}},
			},
		},
	}, opts...)
	if err != nil {
		return nil, err
	}
	postback, err := affise.NewPostback(ctx, "big-offer-postback", &affise.PostbackArgs{
		Pid:               pulumi.Int(args.Pid),
		OfferId:           offer.ID().ToStringOutput(),
		Url:               pulumi.String("https://tracker.affiliate.example/postback?click={clickid}&payout={sum}&status={status}"),
		Status:            affise.PostbackStatusConfirmed,
		IntegrationMethod: affise.PostbackIntegrationMethodAll,
	}, opts...)
	if err != nil {
		return nil, err
	}
	return map[string]pulumi.IDOutput{"offerId": offer.ID(), "postbackId": postback.ID()}, nil
}
