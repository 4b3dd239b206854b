#!/usr/bin/env python3
"""Fails when a folder under Tests/ holds Swift tests that no test target in Package.swift builds:
such tests would silently never run. Run by `make test` before the build."""
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


def main():
    built = built_test_folders()
    orphans = [str(f) for f in folders_with_tests() if not any(f == b or b in f.parents for b in built)]
    for folder in orphans:
        print(f"{folder}: holds Swift tests, but no test target in Package.swift builds it", file=sys.stderr)
    return 1 if orphans else 0


if __name__ == "__main__":
    sys.exit(main())
