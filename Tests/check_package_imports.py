#!/usr/bin/env python3
"""Fails when Package.swift is not true: a target imports a module it does not declare as a direct dependency,
or declares a dependency it never imports. `swift build --explicit-target-dependency-import-check error` (also
in `make test`) accepts a module reached through another dependency; this check does not. Run by `make test`."""
import json
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
SYSTEM = {"Foundation", "FoundationNetworking", "Dispatch", "Glibc", "Musl", "Darwin", "Testing", "XCTest", "Synchronization"}
IMPORT = re.compile(r"^(?:@\w+\s+)*(?:public |package |internal |private |fileprivate )?import (?:(?:struct|class|enum|func|protocol|typealias) )?(\w+)", re.M)
# Modules that cannot be declared, each with why.
UNDECLARABLE = {
    ("PressLoader", "CYaml"): "Yams's libyaml module, which Yams offers as no product; YAMLShape reads its events",
}
# Dependencies that are used without a Swift import, each with why.
USED_WITHOUT_IMPORT = {
    ("CVips", "CVipsSystem"): "a C target: it includes <vips/vips.h> through the system library",
}


def targets():
    package = json.loads(subprocess.run(["swift", "package", "dump-package"], cwd=ROOT, check=True,
                                        capture_output=True, text=True).stdout)
    for target in package["targets"]:
        if target["type"] == "system":
            continue
        folder = target.get("path") or ("Tests/" if target["type"] == "test" else "Sources/") + target["name"]
        declared = set()
        for dependency in target["dependencies"]:
            for kind in ("byName", "target", "product"):
                if kind in dependency:
                    declared.add(dependency[kind][0])
        yield target["name"], ROOT / folder, declared


def main():
    problems = []
    for name, folder, declared in targets():
        imported = set()
        for file in folder.rglob("*.swift"):
            imported |= set(IMPORT.findall(file.read_text()))
        imported -= SYSTEM | {name}
        for module in sorted(imported - declared):
            if (name, module) not in UNDECLARABLE:
                problems.append(f"Package.swift: target '{name}' imports '{module}' without declaring it")
        for module in sorted(declared - imported):
            if (name, module) not in USED_WITHOUT_IMPORT:
                problems.append(f"Package.swift: target '{name}' declares '{module}' and never imports it")
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
