// Package drive runs a Go program as an Automation API inline program for
// the Go end-to-end tests (test/e2e.go.test.ts): the examples' (test/go/driver)
// and adnet-import's generated Program (a small main the test writes beside it).
// Pulumi's Go language host cannot be built here; an inline program serves its
// own language runtime from this process, so the CLI needs no host.
//
//	<driver> '<json>'
//
// The JSON names the operation ("up", "preview", "destroy", "forget": the
// stack's state removed, the objects left), the stack's directory, project and
// config ("configPath": keys are paths, as `pulumi config set --path`); the
// caller sets the environment (PATH with the CLI and the plugin launcher,
// PULUMI_HOME, PULUMI_BACKEND_URL, the passphrase). The last line printed is
// the result as JSON: the change summary, or the error's message (the CLI's
// output included). A preview given "stepsFile" writes its steps there as
// `pulumi preview --json` does (`adnet-spend --preview-json` reads them).
package drive

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optremove"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

type request struct {
	Op              string                      `json:"op"`
	WorkDir         string                      `json:"workDir"`
	PulumiRoot      string                      `json:"pulumiRoot"`
	Stack           string                      `json:"stack"`
	Project         string                      `json:"project"`
	Config          map[string]auto.ConfigValue `json:"config"`
	RemoveConfig    []string                    `json:"removeConfig"`
	ConfigPath      bool                        `json:"configPath"`
	ExpectNoChanges bool                        `json:"expectNoChanges"`
	StepsFile       string                      `json:"stepsFile"`
}

type result struct {
	Op      string         `json:"op"`
	Summary map[string]int `json:"summary,omitempty"`
	Error   string         `json:"error,omitempty"`
	Stdout  string         `json:"stdout"`
}

func stateOf(m *apitype.StepEventStateMetadata) interface{} {
	if m == nil {
		return nil
	}
	return map[string]interface{}{"type": m.Type, "urn": m.URN, "id": m.ID, "inputs": m.Inputs}
}

func run(req request, program pulumi.RunFunc) (result, error) {
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
			Name:    tokens.PackageName(req.Project),
			Runtime: workspace.NewProjectRuntimeInfo("go", nil),
			Backend: &workspace.ProjectBackend{URL: os.Getenv("PULUMI_BACKEND_URL")},
		}),
	)
	if err != nil {
		return res, err
	}
	if len(req.Config) > 0 {
		if err := stack.SetAllConfigWithOptions(ctx, req.Config, &auto.ConfigOptions{Path: req.ConfigPath}); err != nil {
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
	case "forget":
		opErr = stack.Workspace().RemoveStack(ctx, req.Stack, optremove.Force())
	default:
		return res, fmt.Errorf("unknown operation %q", req.Op)
	}
	if opErr != nil {
		res.Error = opErr.Error()
	}
	res.Stdout = out.String()
	return res, nil
}

// Main runs the operation its one argument names on program, and exits.
func Main(program pulumi.RunFunc) {
	if len(os.Args) != 2 {
		fmt.Fprintf(os.Stderr, "usage: %s '<json request>'\n", filepath.Base(os.Args[0]))
		os.Exit(2)
	}
	var req request
	if err := json.Unmarshal([]byte(os.Args[1]), &req); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	res, err := run(req, program)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	text, _ := json.Marshal(res)
	fmt.Println(string(text))
}
