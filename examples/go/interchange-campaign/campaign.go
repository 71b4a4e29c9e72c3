// Package interchangecampaign is an Interchange (Scope3) buyer campaign
// driven to ACTIVE: advertiser, name, flight dates, budget, DECISIONED, the
// `mode` the buyer contract requires on create ("discovery"), a brief and
// US/CA targeting. Pulumi creates it DRAFT and runs `execute`; changing
// Status later pauses or reactivates it in place.
//
// `pulumi up` in this directory runs it (program/main.go, Pulumi's Go
// language host); test/e2e.go.test.ts runs the same function inline.
package interchangecampaign

import (
	"github.com/pulumi-adnetworks/pulumi-adnetworks/sdk/go/adnetworks/interchange"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Args: what changes from one campaign to the next.
type Args struct {
	Prefix       string  // resource and campaign names start with it ("retail")
	AdvertiserId int     // 12345
	BudgetTotal  float64 // in major units of the currency: 5000 = 5,000.00
	DailyCap     float64 // at most this a day: 250 = 250.00
	Status       interchange.CampaignStatus
}

// InterchangeCampaign declares the campaign; opts (e.g. an explicit
// provider) apply to it. It returns the campaign's id.
func InterchangeCampaign(ctx *pulumi.Context, args Args, opts ...pulumi.ResourceOption) (map[string]pulumi.IDOutput, error) {
	if args.Prefix == "" {
		args.Prefix = "retail"
	}
	if args.AdvertiserId == 0 {
		args.AdvertiserId = 12345
	}
	if args.BudgetTotal == 0 {
		args.BudgetTotal = 5000
	}
	if args.DailyCap == 0 {
		args.DailyCap = 250
	}
	if args.Status == "" {
		args.Status = interchange.CampaignStatusACTIVE
	}
	campaign, err := interchange.NewCampaign(ctx, args.Prefix+"-interchange-campaign", &interchange.CampaignArgs{
		AdvertiserId: pulumi.Int(args.AdvertiserId),
		Name:         pulumi.String(args.Prefix + " retail media Q1 2026"),
		FlightDates:  interchange.CampaignFlightDatesArgs{StartDate: pulumi.String("2026-01-15T00:00:00Z"), EndDate: pulumi.String("2026-03-31T23:59:59Z")},
		// Amounts in major units of the currency.
		Budget: interchange.CampaignBudgetArgs{
			Total: pulumi.Float64(args.BudgetTotal), Currency: pulumi.String("USD"), DailyCap: pulumi.Float64(args.DailyCap), Pacing: interchange.CampaignBudgetPacingEVEN,
		},
		CampaignType: interchange.CampaignCampaignTypeDECISIONED,
		Mode:         interchange.CampaignModeDiscovery,
		Status:       args.Status,
		Brief:        pulumi.String("Retail media: premium display and video next to product pages, shoppers in the US and Canada"),
		Constraints: interchange.CampaignConstraintsArgs{
			GeoCountries: pulumi.StringArray{pulumi.String("US"), pulumi.String("CA")},
			DeviceType:   interchange.CampaignConstraintsDeviceTypeItemArray{interchange.CampaignConstraintsDeviceTypeItemDesktop, interchange.CampaignConstraintsDeviceTypeItemMobile},
		},
	}, opts...)
	if err != nil {
		return nil, err
	}
	return map[string]pulumi.IDOutput{"interchangeCampaignId": campaign.ID()}, nil
}
