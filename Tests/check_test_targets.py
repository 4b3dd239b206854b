#!/usr/bin/env python3
"""Fails when a folder under Tests/ holds Swift tests that no test target in Package.swift builds, or pytest
tests (test_*.py) that no `pytest` line of the Makefile's `test` target runs: such tests would silently
never run. Run by `make test` before the build."""
import json
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
TEST_MARK = re.compile(r"@Test\b|@Suite\b|XCTestCase")


def built_test_folders():
    package = json.loads(subprocess.run(["swift", "package", "dump-package"], cwd=ROOT, check=True,
                                        capture_output=True, text=True).stdout)
    return {pathlib.PurePath(t.get("path") or f"Tests/{t['name']}") for t in package["targets"] if t["type"] == "test"}


def folders_with_tests():
    for folder in sorted(p for p in (ROOT / "Tests").iterdir() if p.is_dir()):
        if any(TEST_MARK.search(f.read_text(errors="replace")) for f in folder.rglob("*.swift")):
            yield pathlib.PurePath(folder.relative_to(ROOT))


def pytest_folders_run():
    """The folders the Makefile's `test` recipe hands to pytest."""
    recipe = re.search(r"^test:.*?\n((?:\t.*\n)+)", (ROOT / "Makefile").read_text(), re.M)
    return {pathlib.PurePath(f) for f in re.findall(r"-m pytest (?:-\S+ )*(\S+)", recipe.group(1) if recipe else "")}


def folders_with_pytests():
    for folder in sorted(p for p in (ROOT / "Tests").iterdir() if p.is_dir()):
        if any(folder.rglob("test_*.py")):
            yield pathlib.PurePath(folder.relative_to(ROOT))


def main():
    built = built_test_folders()
    orphans = [str(f) for f in folders_with_tests() if not any(f == b or b in f.parents for b in built)]
    for folder in orphans:
        print(f"{folder}: holds Swift tests, but no test target in Package.swift builds it", file=sys.stderr)
    run = pytest_folders_run()
    unrun = [str(f) for f in folders_with_pytests() if not any(f == r or r in f.parents for r in run)]
    for folder in unrun:
        print(f"{folder}: holds pytest tests, but no pytest line of the Makefile's test target runs it", file=sys.stderr)
    return 1 if orphans or unrun else 0


if __name__ == "__main__":
    sys.exit(main())
