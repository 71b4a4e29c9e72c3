// The example as a Pulumi program: `pulumi up` in examples/go/affise-offer.
package main

import (
	affiseoffer "github.com/pulumi-adnetworks/pulumi-adnetworks/examples/go/affise-offer"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		ids, err := affiseoffer.AffiseOffer(ctx, affiseoffer.Args{})
		if err != nil {
			return err
		}
		for k, v := range ids {
			ctx.Export(k, v)
		}
		return nil
	})
}
