// The example as a Pulumi program: `pulumi up` in examples/go/interchange-campaign.
package main

import (
	interchangecampaign "github.com/pulumi-adnetworks/pulumi-adnetworks/examples/go/interchange-campaign"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		ids, err := interchangecampaign.InterchangeCampaign(ctx, interchangecampaign.Args{})
		if err != nil {
			return err
		}
		for k, v := range ids {
			ctx.Export(k, v)
		}
		return nil
	})
}
