// Command driver runs the Go examples (examples/go/*) as one Automation API
// inline program, for test/e2e.go.test.ts. Pulumi's Go language host cannot
// be built here; an inline program serves its own language runtime from this
// process, so the CLI needs no host.
//
//	driver '<json>'
//
// The JSON names the operation ("up", "preview", "destroy"), the stack's
// directory and config; the caller sets the environment (PATH with the CLI
// and the plugin launcher, PULUMI_HOME, PULUMI_BACKEND_URL, the passphrase).
// The last line printed is the result as JSON: the change summary, or the
// error's message (the CLI's output included). A preview given "stepsFile"
// writes its steps there as `pulumi preview --json` does (`adnet-spend
// --preview-json` reads them).
//
// The program: two accounts through explicit providers
// (adnetworks.NewProvider), "brandA" (the three examples) and "brandB" (the
// banner and the Interchange campaign again), their settings from the secret
// stack config `test:accounts`; `test:budget` is the banner's daily budget in
// brandA, and `test:bad` adds a campaign with an input the provider refuses.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	affiseoffer "github.com/pulumi-adnetworks/pulumi-adnetworks/examples/go/affise-offer"
	exoclickbanner "github.com/pulumi-adnetworks/pulumi-adnetworks/examples/go/exoclick-banner"
	interchangecampaign "github.com/pulumi-adnetworks/pulumi-adnetworks/examples/go/interchange-campaign"
	"github.com/pulumi-adnetworks/pulumi-adnetworks/sdk/go/adnetworks"
	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

type request struct {
	Op              string                      `json:"op"`
	WorkDir         string                      `json:"workDir"`
	PulumiRoot      string                      `json:"pulumiRoot"`
	Stack           string                      `json:"stack"`
	Project         string                      `json:"project"`
	Config          map[string]auto.ConfigValue `json:"config"`
	RemoveConfig    []string                    `json:"removeConfig"`
	ExpectNoChanges bool                        `json:"expectNoChanges"`
	StepsFile       string                      `json:"stepsFile"`
}

type result struct {
	Op      string         `json:"op"`
	Summary map[string]int `json:"summary,omitempty"`
	Error   string         `json:"error,omitempty"`
	Stdout  string         `json:"stdout"`
}

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

func stateOf(m *apitype.StepEventStateMetadata) interface{} {
	if m == nil {
		return nil
	}
	return map[string]interface{}{"type": m.Type, "urn": m.URN, "id": m.ID, "inputs": m.Inputs}
}

func run(req request) (result, error) {
	ctx := context.Background()
	res := result{Op: req.Op}
	if req.Stack == "" {
		req.Stack = "dev"
	}
	if req.Project == "" {
		req.Project = "adnet-go"
	}
	cmd, err := auto.NewPulumiCommand(&auto.PulumiCommandOptions{Root: req.PulumiRoot, SkipVersionCheck: true})
	if err != nil {
		return res, err
	}
	stack, err := auto.UpsertStackInlineSource(ctx, req.Stack, req.Project, program,
		auto.WorkDir(req.WorkDir),
		auto.PulumiHome(os.Getenv("PULUMI_HOME")),
		auto.Pulumi(cmd),
		auto.SecretsProvider("passphrase"),
		auto.Project(workspace.Project{
			Name:    "adnet-go",
			Runtime: workspace.NewProjectRuntimeInfo("go", nil),
			Backend: &workspace.ProjectBackend{URL: os.Getenv("PULUMI_BACKEND_URL")},
		}),
	)
	if err != nil {
		return res, err
	}
	if len(req.Config) > 0 {
		if err := stack.SetAllConfig(ctx, req.Config); err != nil {
			return res, err
		}
	}
	for _, key := range req.RemoveConfig {
		if err := stack.RemoveConfig(ctx, key); err != nil {
			return res, err
		}
	}
	var out bytes.Buffer
	var opErr error
	switch req.Op {
	case "up":
		var r auto.UpResult
		r, opErr = stack.Up(ctx, optup.ProgressStreams(&out))
		if opErr == nil && r.Summary.ResourceChanges != nil {
			res.Summary = *r.Summary.ResourceChanges
		}
	case "preview":
		opts := []optpreview.Option{optpreview.ProgressStreams(&out), optpreview.Diff()}
		if req.ExpectNoChanges {
			opts = append(opts, optpreview.ExpectNoChanges())
		}
		var steps []interface{}
		done := make(chan struct{})
		if req.StepsFile != "" {
			// Each step's old and new inputs, as `pulumi preview --json` lists them (what adnet-spend reads).
			ch := make(chan events.EngineEvent)
			opts = append(opts, optpreview.EventStreams(ch))
			go func() {
				defer close(done)
				for e := range ch {
					if pre := e.ResourcePreEvent; pre != nil {
						m := pre.Metadata
						steps = append(steps, map[string]interface{}{"op": m.Op, "urn": m.URN, "type": m.Type, "old": stateOf(m.Old), "new": stateOf(m.New)})
					}
				}
			}()
		} else {
			close(done)
		}
		var r auto.PreviewResult
		r, opErr = stack.Preview(ctx, opts...)
		<-done
		if opErr == nil {
			res.Summary = map[string]int{}
			for k, v := range r.ChangeSummary {
				res.Summary[string(k)] = v
			}
			if req.StepsFile != "" {
				text, _ := json.Marshal(map[string]interface{}{"steps": steps})
				if err := os.WriteFile(req.StepsFile, text, 0o600); err != nil {
					return res, err
				}
			}
		}
	case "destroy":
		var r auto.DestroyResult
		r, opErr = stack.Destroy(ctx, optdestroy.ProgressStreams(&out))
		if opErr == nil && r.Summary.ResourceChanges != nil {
			res.Summary = *r.Summary.ResourceChanges
		}
	default:
		return res, fmt.Errorf("unknown operation %q", req.Op)
	}
	if opErr != nil {
		res.Error = opErr.Error()
	}
	res.Stdout = out.String()
	return res, nil
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintf(os.Stderr, "usage: %s '<json request>'\n", filepath.Base(os.Args[0]))
		os.Exit(2)
	}
	var req request
	if err := json.Unmarshal([]byte(os.Args[1]), &req); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	res, err := run(req)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	text, _ := json.Marshal(res)
	fmt.Println(string(text))
}
