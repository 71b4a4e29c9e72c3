"""Runs the Python examples (examples/python/*/__main__.py) as one Automation
API inline program, for test/e2e.python.test.ts. The stock Python language
host is a Go program that cannot be built here; an inline program serves its
own language runtime from this process, so the CLI needs no host.

    python driver.py '<json>'

The JSON names the operation ("up", "preview", "destroy", "forget"), the
stack's directories and config, and either the examples' program (default) or
a program directory ("programDir": adnet-import's output, run as `pulumi up`
there would); the caller sets the environment (PATH with the CLI
and the plugin launcher, PULUMI_HOME, PULUMI_BACKEND_URL, the passphrase).
The last line printed is the result as JSON: the change summary, or the
error's message (the CLI's stderr included). A preview given "stepsFile"
writes its steps there as `pulumi preview --json` does (`adnet-spend
--preview-json` reads them).

The program: two accounts through explicit providers, "brandA" (the three
examples) and "brandB" (the banner and the Interchange campaign again), their
settings from the secret stack config `test:accounts`; `test:budget` is the
banner's daily budget in brandA, and `test:bad` adds a campaign with an input
the provider refuses.
"""
import importlib.util
import json
import os
import re
import runpy
import sys

import pulumi
from pulumi import automation as auto

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
EXAMPLES = os.path.join(ROOT, "examples", "python")


def use_sdk(scratch):
    """The generated SDK (sdk/python) importable from the repository, as an editable install makes it:
    its directory on sys.path and its distribution's metadata (the SDK reads its own version from it)."""
    sdk = os.path.join(ROOT, "sdk", "python")
    with open(os.path.join(sdk, "pyproject.toml")) as f:
        version = re.search(r'^\s*version\s*=\s*"([^"]+)"', f.read(), re.M).group(1)
    meta = os.path.join(scratch, ".sdk-meta", f"pulumi_adnetworks-{version}.dist-info")
    os.makedirs(meta, exist_ok=True)
    with open(os.path.join(meta, "METADATA"), "w") as f:
        f.write(f"Metadata-Version: 2.1\nName: pulumi_adnetworks\nVersion: {version}\n")
    sys.path[:0] = [sdk, os.path.dirname(meta)]


use_sdk(json.loads(sys.argv[1])["workDir"])
import pulumi_adnetworks as adnetworks  # noqa: E402


def example(name):
    """An example's module, loaded from its __main__.py (its `if __name__ == "__main__"` part does not run)."""
    spec = importlib.util.spec_from_file_location(name.replace("-", "_"), os.path.join(EXAMPLES, name, "__main__.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


banner = example("exoclick-banner")
offer = example("affise-offer")
retail = example("interchange-campaign")


def program():
    cfg = pulumi.Config("test")
    accounts = cfg.require_secret_object("accounts")

    def provider(name):
        # An explicit provider per account: each network's settings ({"exoclick": ["apiToken", "baseUrl"], ...} names them),
        # their values from the secret config, as the SDK's settings classes (ExoclickSettingsArgs(api_token=..., base_url=...)).
        networks = json.loads(cfg.require("networks"))[name]
        snake = lambda k: re.sub(r"([A-Z])", r"_\1", k).lower()  # noqa: E731
        settings = {
            n: getattr(adnetworks, f"{n.capitalize()}SettingsArgs")(**{snake(k): accounts.apply(lambda a, n=n, k=k: a[name][n][k]) for k in keys})
            for n, keys in networks.items()
        }
        return adnetworks.Provider(name, **settings)

    brand_a = pulumi.ResourceOptions(provider=provider("brandA"))
    brand_b = pulumi.ResourceOptions(provider=provider("brandB"))
    outputs = {}
    outputs.update(banner.exoclick_banner(max_daily_budget=cfg.get_float("budget") or 20, opts=brand_a))
    outputs.update(offer.affise_offer(opts=brand_a))
    outputs.update(retail.interchange_campaign(opts=brand_a))
    for key, value in banner.exoclick_banner(prefix="brandB", opts=brand_b).items():
        outputs[f"brandB-{key}"] = value
    for key, value in retail.interchange_campaign(prefix="brandB", opts=brand_b).items():
        outputs[f"brandB-{key}"] = value
    bad = cfg.get_object("bad")
    if bad:
        pulumi.CustomResource(bad["type"], "bad-input", bad["inputs"], brand_a)
    for key, value in outputs.items():
        pulumi.export(key, value)


def program_in(directory):
    """A program directory's __main__.py (as `pulumi up` there runs it), its modules importable."""
    def run():
        sys.path.insert(0, directory)
        runpy.run_path(os.path.join(directory, "__main__.py"), run_name="__main__")
    return run


def main():
    req = json.loads(sys.argv[1])
    backend = os.environ["PULUMI_BACKEND_URL"]
    project = req.get("project", "adnet-python")
    # "programDir": a program written on disk (adnet-import's), run from its own directory and Pulumi.yaml.
    directory = req.get("programDir")
    stack = auto.create_or_select_stack(
        stack_name=req.get("stack", "dev"),
        project_name=project,  # inline either way; a programDir keeps its own Pulumi.yaml
        program=program_in(directory) if directory else program,
        opts=auto.LocalWorkspaceOptions(
            work_dir=directory or req["workDir"],
            pulumi_home=os.environ["PULUMI_HOME"],
            pulumi_command=auto.PulumiCommand(root=req["pulumiRoot"]),
            project_settings=None if directory else auto.ProjectSettings(name=project, runtime="python", backend=auto.ProjectBackend(url=backend)),
            secrets_provider="passphrase",
        ),
    )
    if req.get("config"):
        stack.set_all_config({k: auto.ConfigValue(value=v["value"], secret=v.get("secret", False)) for k, v in req["config"].items()}, path=bool(req.get("configPath")))
    for key in req.get("removeConfig", []):
        stack.remove_config(key)
    out = []
    on_output = out.append
    steps = []

    def state(m):
        return {"type": m.type, "urn": m.urn, "id": m.id, "inputs": m.inputs} if m else None

    def on_event(event):
        # Each step's old and new inputs, as `pulumi preview --json` lists them (what adnet-spend reads).
        pre = event.resource_pre_event
        if pre is not None:
            m = pre.metadata
            steps.append({"op": m.op.value, "urn": m.urn, "type": m.type, "old": state(m.old), "new": state(m.new)})
    op = req["op"]
    result = {"op": op}
    try:
        if op == "up":
            r = stack.up(on_output=on_output)
            result["summary"] = r.summary.resource_changes
        elif op == "preview":
            r = stack.preview(on_output=on_output, diff=True, expect_no_changes=req.get("expectNoChanges"), on_event=on_event if req.get("stepsFile") else None)
            result["summary"] = r.change_summary
            if req.get("stepsFile"):
                with open(req["stepsFile"], "w") as f:
                    json.dump({"steps": steps}, f)
        elif op == "destroy":
            r = stack.destroy(on_output=on_output)
            result["summary"] = r.summary.resource_changes
        elif op == "forget":
            # The stack's state only: its objects stay in the accounts (another stack manages them).
            stack.workspace.remove_stack(stack.name, force=True)
        else:
            raise ValueError(f"unknown operation {op}")
    except auto.CommandError as e:
        result["error"] = str(e)
    result["stdout"] = "\n".join(line.rstrip("\n") for line in out)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
