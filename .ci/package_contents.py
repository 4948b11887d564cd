"""What `cargo package` made is what we mean to publish. Usage: python3 .ci/package_contents.py target/package

- every published crate has its .crate, and none holds a file from outside its folder;
- finpass-contract carries the spec, byte for byte the repository's openapi/finpass.yaml;
- the quickstart the client's README advertises runs from the client's package alone, against the
  unpacked sibling packages (what crates.io would serve), with no workspace crate.
"""
import os, subprocess, sys, tarfile

PUBLISHED = ["finpass-contract", "finpass-mock", "finpass-client", "finpass-spec"]


def crate_file(folder, name):
    found = [f for f in os.listdir(folder) if f.endswith(".crate") and f.rsplit("-", 1)[0] == name]
    if len(found) != 1:
        sys.exit(f"expected one {name}-*.crate in {folder}, found {found}")
    return os.path.join(folder, found[0])


def main(folder):
    unpacked = {}
    for name in PUBLISHED:
        path = crate_file(folder, name)
        with tarfile.open(path) as tar:
            members = tar.getnames()
            top = members[0].split("/")[0]
            if any(not m.startswith(top + "/") or ".." in m.split("/") for m in members):
                sys.exit(f"{path} holds a file outside its folder")
            print(f"{os.path.basename(path)}: {len(members)} files, {os.path.getsize(path) // 1024} KiB")
            if name == "finpass-contract":
                spec = tar.extractfile(f"{top}/finpass.yaml").read()
                with open("openapi/finpass.yaml", "rb") as f:
                    if spec != f.read():
                        sys.exit("finpass-contract's packaged spec differs from openapi/finpass.yaml")
                print("  carries the spec (identical to openapi/finpass.yaml)")
        unpacked[name] = os.path.join(folder, top)
        if not os.path.isdir(unpacked[name]):
            sys.exit(f"{unpacked[name]} was not unpacked by the verification")

    # The client's quickstart from its package: its registry dependencies on the siblings resolved to
    # their unpacked packages, the rest from the (already fetched) registry.
    patches = []
    for name in ("finpass-contract", "finpass-mock"):
        patches += ["--config", f'patch.crates-io.{name}.path="{os.path.abspath(unpacked[name])}"']
    env = {k: v for k, v in os.environ.items() if not k.startswith("FINPASS_")}
    env["CARGO_TARGET_DIR"] = os.path.abspath("target")
    run = subprocess.run(
        ["cargo", "run", "--quiet", "--offline", "--example", "quickstart", *patches,
         "--manifest-path", os.path.join(unpacked["finpass-client"], "Cargo.toml")],
        env=env, capture_output=True, text=True, timeout=1800)
    print(run.stdout + run.stderr)
    if run.returncode != 0 or "client_id:" not in run.stdout:
        sys.exit("the quickstart does not run from the client's package")
    print("the client's quickstart runs from its package")


if __name__ == "__main__":
    main(sys.argv[1])
