// The banner as a Pulumi program: `pulumi up` in examples/go/exoclick-banner.
package main

import (
	exoclickbanner "github.com/pulumi-adnetworks/pulumi-adnetworks/examples/go/exoclick-banner"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		ids, err := exoclickbanner.ExoclickBanner(ctx, exoclickbanner.Args{})
		if err != nil {
			return err
		}
		for k, v := range ids {
			ctx.Export(k, v)
		}
		return nil
	})
}
