// sdkgen writes the adnetworks SDKs for Python and Go from the package schema
// with Pulumi's own code generators (pkg/v3/codegen/python and codegen/go of
// the CLI's Pulumi version). The schema comes from provider/plugin/schema.ts
// (`node dist/scripts/gen-sdk.js` writes it and runs this program).
//
//	sdkgen -schema schema.json -language python -out sdk/python
//	sdkgen -schema schema.json -language go -out sdk/go
//
// The output directory is replaced: files the generator no longer writes go.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"

	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	pygen "github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

func main() {
	schemaPath := flag.String("schema", "", "the package schema (JSON)")
	language := flag.String("language", "", "python or go")
	out := flag.String("out", "", "the directory to write (replaced)")
	flag.Parse()
	if *schemaPath == "" || *out == "" || (*language != "python" && *language != "go") {
		fmt.Fprintln(os.Stderr, "usage: sdkgen -schema <schema.json> -language python|go -out <dir>")
		os.Exit(2)
	}
	if err := run(*schemaPath, *language, *out); err != nil {
		fmt.Fprintf(os.Stderr, "sdkgen: %v\n", err)
		os.Exit(1)
	}
}

func run(schemaPath, language, out string) error {
	raw, err := os.ReadFile(schemaPath)
	if err != nil {
		return err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(raw, &spec); err != nil {
		return fmt.Errorf("%s: %w", schemaPath, err)
	}
	// The schema refers to no other package (only pulumi.json#/Any), so the
	// loader never loads a plugin.
	loader := schema.NewPluginLoader(nil)
	pkg, diags, err := schema.BindSpec(spec, loader, schema.ValidationOptions{})
	if err != nil {
		return err
	}
	if diags.HasErrors() {
		return fmt.Errorf("the schema does not bind: %v", diags)
	}
	var files map[string][]byte
	switch language {
	case "python":
		files, err = pygen.GeneratePackage("pulumi-adnetworks-sdkgen", pkg, nil, loader)
		if err == nil {
			err = addPythonReadme(files)
		}
	case "go":
		files, err = gogen.GeneratePackage("pulumi-adnetworks-sdkgen", pkg, nil)
		if err == nil {
			err = addGoMod(pkg, files)
		}
	}
	if err != nil {
		return err
	}
	if err := os.RemoveAll(out); err != nil {
		return err
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		path := filepath.Join(out, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, files[name], 0o644); err != nil {
			return err
		}
	}
	fmt.Printf("sdkgen: wrote %d files into %s\n", len(names), out)
	return nil
}

// addGoMod makes the Go SDK its own module, named by the schema's
// language.go.importBasePath (github.com/<owner>/pulumi-adnetworks/sdk/go/adnetworks),
// requiring the Pulumi Go SDK this generator was built with.
func addGoMod(pkg *schema.Package, files map[string][]byte) error {
	info, _ := pkg.Language["go"].(gogen.GoPackageInfo)
	if info.ImportBasePath == "" {
		return fmt.Errorf("the schema has no language.go.importBasePath")
	}
	version := ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range bi.Deps {
			if dep.Path == "github.com/pulumi/pulumi/sdk/v3" {
				version = dep.Version
			}
		}
	}
	if version == "" {
		return fmt.Errorf("cannot tell which github.com/pulumi/pulumi/sdk/v3 this generator was built with")
	}
	dir := filepath.Base(info.ImportBasePath)
	files[dir+"/go.mod"] = []byte(fmt.Sprintf("module %s\n\ngo 1.25\n\nrequire github.com/pulumi/pulumi/sdk/v3 %s\n", info.ImportBasePath, version))
	return nil
}

// addPythonReadme puts the package's README beside pyproject.toml, which
// names it (`readme = "README.md"`), so `pip install sdk/python` finds it.
func addPythonReadme(files map[string][]byte) error {
	for name, text := range files {
		if filepath.Base(name) == "README.md" && filepath.Dir(name) != "." {
			files["README.md"] = text
			return nil
		}
	}
	return fmt.Errorf("the Python generator wrote no package README")
}
