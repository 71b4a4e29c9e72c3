// Command driver runs the Go examples (examples/go/*) as one Automation API
// inline program, for test/e2e.go.test.ts. Pulumi's Go language host cannot
// be built here; an inline program serves its own language runtime from this
// process, so the CLI needs no host.
//
//	driver '<json>'
//
// The request and the result are package drive's (test/go/drive).
//
// The program: two accounts through explicit providers
// (adnetworks.NewProvider), "brandA" (the three examples) and "brandB" (the
// banner and the Interchange campaign again), their settings from the secret
// stack config `test:accounts`; `test:budget` is the banner's daily budget in
// brandA, and `test:bad` adds a campaign with an input the provider refuses.
package main

import (
	"encoding/json"
	"fmt"

	affiseoffer "github.com/pulumi-adnetworks/pulumi-adnetworks/examples/go/affise-offer"
	exoclickbanner "github.com/pulumi-adnetworks/pulumi-adnetworks/examples/go/exoclick-banner"
	interchangecampaign "github.com/pulumi-adnetworks/pulumi-adnetworks/examples/go/interchange-campaign"
	"github.com/pulumi-adnetworks/pulumi-adnetworks/sdk/go/adnetworks"
	"github.com/pulumi-adnetworks/pulumi-adnetworks/test/go/drive"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

// settings is one network's settings of one account, from the secret
// `test:accounts` ({"brandA": {"exoclick": {"apiToken": ..., "baseUrl": ...}}}),
// as the SDK's settings type T (its output stays secret).
func settings[T any](accounts pulumi.StringOutput, account, network string) pulumi.Output {
	return accounts.ApplyT(func(text string) (T, error) {
		var all map[string]map[string]json.RawMessage
		var out T
		if err := json.Unmarshal([]byte(text), &all); err != nil {
			return out, err
		}
		raw, ok := all[account][network]
		if !ok {
			return out, fmt.Errorf("test:accounts has no %s settings for %s", network, account)
		}
		return out, json.Unmarshal(raw, &out)
	})
}

// provider is an explicit provider for one account with the networks it uses.
func provider(ctx *pulumi.Context, accounts pulumi.StringOutput, account string, networks []string) (*adnetworks.Provider, error) {
	args := &adnetworks.ProviderArgs{}
	for _, n := range networks {
		switch n {
		case "exoclick":
			args.Exoclick = settings[adnetworks.ExoclickSettings](accounts, account, n).(adnetworks.ExoclickSettingsOutput).ToExoclickSettingsPtrOutput()
		case "affise":
			args.Affise = settings[adnetworks.AffiseSettings](accounts, account, n).(adnetworks.AffiseSettingsOutput).ToAffiseSettingsPtrOutput()
		case "interchange":
			args.Interchange = settings[adnetworks.InterchangeSettings](accounts, account, n).(adnetworks.InterchangeSettingsOutput).ToInterchangeSettingsPtrOutput()
		default:
			return nil, fmt.Errorf("no settings type for %s", n)
		}
	}
	return adnetworks.NewProvider(ctx, account, args)
}

// rawResource is a resource of any type token, for the deliberately bad input.
type rawResource struct {
	pulumi.CustomResourceState
}

func program(ctx *pulumi.Context) error {
	cfg := config.New(ctx, "test")
	accounts := cfg.RequireSecret("accounts")
	var networks map[string][]string
	cfg.RequireObject("networks", &networks)
	brandA, err := provider(ctx, accounts, "brandA", networks["brandA"])
	if err != nil {
		return err
	}
	brandB, err := provider(ctx, accounts, "brandB", networks["brandB"])
	if err != nil {
		return err
	}
	outputs := map[string]pulumi.IDOutput{}
	add := func(prefix string) func(map[string]pulumi.IDOutput, error) error {
		return func(ids map[string]pulumi.IDOutput, err error) error {
			for k, v := range ids {
				outputs[prefix+k] = v
			}
			return err
		}
	}
	onA := pulumi.Provider(brandA)
	onB := pulumi.Provider(brandB)
	if err := add("")(exoclickbanner.ExoclickBanner(ctx, exoclickbanner.Args{MaxDailyBudget: cfg.GetInt("budget")}, onA)); err != nil {
		return err
	}
	if err := add("")(affiseoffer.AffiseOffer(ctx, affiseoffer.Args{}, onA)); err != nil {
		return err
	}
	if err := add("")(interchangecampaign.InterchangeCampaign(ctx, interchangecampaign.Args{}, onA)); err != nil {
		return err
	}
	if err := add("brandB-")(exoclickbanner.ExoclickBanner(ctx, exoclickbanner.Args{Prefix: "brandB"}, onB)); err != nil {
		return err
	}
	if err := add("brandB-")(interchangecampaign.InterchangeCampaign(ctx, interchangecampaign.Args{Prefix: "brandB"}, onB)); err != nil {
		return err
	}
	var bad struct {
		Type   string                 `json:"type"`
		Inputs map[string]interface{} `json:"inputs"`
	}
	if cfg.Get("bad") != "" {
		cfg.RequireObject("bad", &bad)
		var res rawResource
		if err := ctx.RegisterResource(bad.Type, "bad-input", pulumi.ToMap(bad.Inputs), &res, onA); err != nil {
			return err
		}
	}
	for k, v := range outputs {
		ctx.Export(k, v)
	}
	return nil
}

func main() {
	drive.Main(program)
}
