"""install-deps.sh on a bare Debian machine and on one where everything is installed.

The script runs under PATH shims: `dpkg-query` answers from a list of installed packages,
`python3 -m venv` makes a venv whose python3 is a shim too, `pip show` answers from a list of
installed PyPI packages (exit 1 when one is missing, as pip does), and `apt-get` and `pip install`
only record their arguments. Nothing is installed for real.
"""
import os
import pathlib
import subprocess

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "install-deps.sh"

SHIM = r"""#!/bin/bash
# One shim for every command: what it does depends on the name it was called by.
log="$SHIM_STATE/calls"
case "$(basename "$0") $1 $2" in
  "dpkg-query "*)
    package="${@: -1}"
    grep -qxF "$package" "$SHIM_STATE/apt-installed" && printf 'install ok installed' && exit 0
    exit 1 ;;
  "apt-get "*) echo "apt-get $*" >> "$log"; exit 0 ;;
  "id "*) echo 0 ;;
  "python3 -m venv")
    mkdir -p "$3/bin" && cp "$0" "$3/bin/python3" && echo "venv $3" >> "$log" ;;
  "python3 -m pip")
    shift 2
    if [ "$1" = install ]; then echo "pip $*" >> "$log"; exit 0; fi
    status=0
    for name in "${@:2}"; do
      key=$(echo "$name" | tr 'A-Z_' 'a-z-')
      line=$(while read -r l; do [ "$(echo "${l%%==*}" | tr 'A-Z_' 'a-z-')" = "$key" ] && echo "$l"; done < "$SHIM_STATE/pip-installed")
      [ -n "$line" ] || { status=1; continue; }
      printf 'Name: %s\nVersion: %s\n---\n' "${line%%==*}" "${line##*==}"
    done
    exit $status ;;
  *) echo "unexpected call: $0 $*" >&2; exit 97 ;;
esac
"""


def package_lists():
    lines = subprocess.run([str(SCRIPT), "--list"], check=True, capture_output=True, text=True).stdout.splitlines()
    apt = [line.split(" ", 1)[1] for line in lines if line.startswith("apt ")]
    pip = [line.split(" ", 1)[1] for line in lines if line.startswith("pip ")]
    assert apt and pip
    return apt, pip


def run_script(tmp_path, apt_installed, pip_installed, venv_exists):
    shims, state, venv = tmp_path / "shims", tmp_path / "state", tmp_path / "venv"
    shims.mkdir()
    state.mkdir()
    for name in ["dpkg-query", "apt-get", "python3", "id"]:
        shim = shims / name
        shim.write_text(SHIM)
        shim.chmod(0o755)
    (state / "apt-installed").write_text("".join(f"{p}\n" for p in apt_installed))
    (state / "pip-installed").write_text("".join(f"{p}\n" for p in pip_installed))
    (state / "calls").write_text("")
    if venv_exists:
        (venv / "bin").mkdir(parents=True)
        (venv / "bin" / "python3").write_text(SHIM)
        (venv / "bin" / "python3").chmod(0o755)
    env = {"PATH": f"{shims}:/usr/bin:/bin", "SHIM_STATE": str(state), "QPRESS_VENV": str(venv), "HOME": str(tmp_path)}
    result = subprocess.run(["bash", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=60)
    return result, (state / "calls").read_text().splitlines()


def test_bare_machine_asks_for_every_package(tmp_path):
    apt, pip = package_lists()
    result, calls = run_script(tmp_path, apt_installed=[], pip_installed=[], venv_exists=False)
    assert result.returncode == 0, result.stderr
    installs = [c for c in calls if c.startswith("apt-get ") and " install " in c]
    assert len(installs) == 1
    assert set(apt) <= set(installs[0].split())
    assert any(c.startswith("apt-get update") for c in calls)
    assert f"venv {tmp_path / 'venv'}" in calls
    pip_installs = [c for c in calls if c.startswith("pip install")]
    assert len(pip_installs) == 1
    assert set(pip) <= set(pip_installs[0].split())


def test_installed_machine_asks_for_nothing(tmp_path):
    apt, pip = package_lists()
    # pip reports names in its own spelling; the script must still recognise them.
    spelled = [p.replace("-", "_").capitalize() if i % 2 else p for i, p in enumerate(pip)]
    result, calls = run_script(tmp_path, apt_installed=apt, pip_installed=spelled, venv_exists=True)
    assert result.returncode == 0, result.stderr
    assert calls == []
    assert result.stdout == ""


def test_one_wrong_version_is_reinstalled_alone(tmp_path):
    apt, pip = package_lists()
    name = pip[0].split("==")[0]
    installed = [f"{name}==0.0.1"] + pip[1:]
    result, calls = run_script(tmp_path, apt_installed=apt, pip_installed=installed, venv_exists=True)
    assert result.returncode == 0, result.stderr
    assert calls == [f"pip install -q --disable-pip-version-check {pip[0]}"]


def test_a_failing_step_names_the_command(tmp_path):
    shims = tmp_path / "failing"
    shims.mkdir()
    failing = shims / "apt-get"
    failing.write_text("#!/bin/sh\necho 'E: Could not get lock' >&2\nexit 100\n")
    failing.chmod(0o755)
    state = tmp_path / "state"
    # The shims of a bare machine, but apt-get fails: the failing one comes first on PATH.
    (tmp_path / "shims").mkdir()
    for name in ["dpkg-query", "python3", "id"]:
        (tmp_path / "shims" / name).write_text(SHIM)
        (tmp_path / "shims" / name).chmod(0o755)
    state.mkdir()
    (state / "apt-installed").write_text("")
    (state / "pip-installed").write_text("")
    env = {"PATH": f"{shims}:{tmp_path / 'shims'}:/usr/bin:/bin", "SHIM_STATE": str(state),
           "QPRESS_VENV": str(tmp_path / "venv"), "HOME": str(tmp_path)}
    result = subprocess.run(["bash", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 100
    assert "this step failed (exit 100): apt-get update -qq" in result.stderr
    assert "run it by hand" in result.stderr
