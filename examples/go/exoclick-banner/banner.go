// Package exoclickbanner is the ExoClick 300x250 banner flow as code: a
// landing page URL, a banner image, a campaign and a variation that links
// them. Pulumi orders the creates from the outputs each resource takes (the
// variation waits for the other three).
//
// `pulumi up` in this directory runs it (program/main.go, Pulumi's Go
// language host); test/e2e.go.test.ts runs the same function inline.
package exoclickbanner

import (
	"github.com/pulumi-adnetworks/pulumi-adnetworks/sdk/go/adnetworks/exoclick"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Args: what changes from one banner to the next.
type Args struct {
	Prefix         string // resource names start with it ("demo")
	MaxDailyBudget int    // a day's budget, in the account's currency (20 = 20.00)
	Image          string // the banner image, relative to the program's directory
}

// ExoclickBanner declares the banner's four resources; opts (e.g. an
// explicit provider) apply to each. It returns the objects' ids.
func ExoclickBanner(ctx *pulumi.Context, args Args, opts ...pulumi.ResourceOption) (map[string]pulumi.IDOutput, error) {
	if args.Prefix == "" {
		args.Prefix = "demo"
	}
	if args.MaxDailyBudget == 0 {
		args.MaxDailyBudget = 20
	}
	if args.Image == "" {
		args.Image = "banner-300x250.png"
	}
	landing, err := exoclick.NewLibraryUrl(ctx, args.Prefix+"-landing", &exoclick.LibraryUrlArgs{
		Url: pulumi.String("https://your-landing-page.com"),
	}, opts...)
	if err != nil {
		return nil, err
	}
	// A relative path is read by the provider from the program's directory.
	banner, err := exoclick.NewLibraryFile(ctx, args.Prefix+"-banner", &exoclick.LibraryFileArgs{
		Path: pulumi.String(args.Image),
		Type: exoclick.LibraryFileTypeImage,
		Size: pulumi.String("300x250"),
	}, opts...)
	if err != nil {
		return nil, err
	}
	campaign, err := exoclick.NewCampaign(ctx, args.Prefix+"-campaign", &exoclick.CampaignArgs{
		Name:                 pulumi.String("Banner 300x250 Production"),
		Status:               exoclick.CampaignStatusPaused,
		AdvertiserAdType:     exoclick.CampaignAdvertiserAdTypeBanner,
		MediaStorageTemplate: exoclick.CampaignMediaStorageTemplateImgBanner,
		Size:                 pulumi.String("300x250"),
		Categories: exoclick.CampaignCategoriesArgs{
			Type:     exoclick.CampaignCategoriesTypeTargeted,
			Elements: pulumi.IntArray{pulumi.Int(97), pulumi.Int(98), pulumi.Int(99)},
		},
		Countries: exoclick.CampaignCountriesArgs{
			Type: exoclick.CampaignCountriesTypeTargeted,
			Elements: exoclick.CampaignCountriesElementsItemArray{
				exoclick.CampaignCountriesElementsItemArgs{Country: pulumi.String("USA"), Regions: pulumi.IntArray{pulumi.Int(0)}},
			},
		},
		// 3.00 per thousand impressions (smart CPM), in the account's currency.
		Pricing:              exoclick.CampaignPricingArgs{Model: exoclick.CampaignPricingModelSmartCPM, Price: pulumi.Float64(3)},
		StartDate:            pulumi.String("2026-03-02"),
		DailyLimitType:       exoclick.CampaignDailyLimitTypeEnforceMaxDailyBudget,
		MaxDailyBudget:       pulumi.Int(args.MaxDailyBudget),
		BudgetDeliveryMode:   exoclick.CampaignBudgetDeliveryModeEvenlyThroughTheDay,
		RunOnResponsiveZones: exoclick.CampaignRunOnResponsiveZonesValue1,
	}, opts...)
	if err != nil {
		return nil, err
	}
	variation, err := exoclick.NewVariation(ctx, args.Prefix+"-variation", &exoclick.VariationArgs{
		CampaignId:    campaign.ID().ToStringOutput(),
		LibraryUrlId:  landing.ID().ToStringOutput(),
		LibraryFileId: banner.ID().ToStringOutput(),
		Active:        pulumi.Bool(true),
	}, opts...)
	if err != nil {
		return nil, err
	}
	return map[string]pulumi.IDOutput{
		"libraryUrlId":  landing.ID(),
		"libraryFileId": banner.ID(),
		"campaignId":    campaign.ID(),
		"variationId":   variation.ID(),
	}, nil
}
