#!/usr/bin/env python3
"""Writes bookworm-amd64.json: the Debian packages and files of the ffmpeg the processor's image carries.

Run on Debian 12 (amd64) with the ffmpeg package installed (apt-get install ffmpeg): it records the installed
ffmpeg, ffprobe, every shared library they load (as ldd resolves them, alternatives included) and the loader, each
with the package that holds it and that package's download address and SHA-256. The deployment downloads exactly
these packages, checks them and lays the files out under ffmpeg/ in the image. Run it again after a Debian
security update of ffmpeg or a library, and commit the result.
"""
import datetime
import json
import os
import re
import subprocess
import sys

TOOLS = ["/usr/bin/ffmpeg", "/usr/bin/ffprobe"]


def run(*args):
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def owner(path):
    """The package holding path, and path as the package records it (usrmerge: /lib and /usr/lib are one)."""
    candidates = [path]
    if path.startswith("/usr/"):
        candidates.append(path[4:])
    else:
        candidates.append("/usr" + path)
    for candidate in candidates:
        result = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True)
        if result.returncode == 0:
            package = result.stdout.split(":", 1)[0].strip()
            if package.startswith("diversion by"):
                continue
            return package.split(",")[0].strip(), candidate
    sys.exit(f"No package holds {path}.")


def main():
    files = {}  # name in the bundle -> (package, path in package)
    loader = None
    for tool in TOOLS:
        files[f"bin/{os.path.basename(tool)}"] = owner(tool)
        for line in run("ldd", tool).splitlines():
            match = re.match(r"\s*(\S+) => (\S+) \(", line)
            if match:
                files[f"lib/{match.group(1)}"] = owner(os.path.realpath(match.group(2)))
            elif "ld-linux" in line:
                loader = line.split()[0]
    files["lib/ld-linux-x86-64.so.2"] = owner(os.path.realpath(loader))

    packages = {}
    for package, _ in files.values():
        if package in packages:
            continue
        # The mirror's current version (a security update may be newer than the one installed); same files.
        version = re.search(r"Candidate: (\S+)", run("apt-cache", "policy", package)).group(1)
        uri = run("apt-get", "download", "--print-uris", f"{package}={version}").split()
        if len(uri) < 4:
            sys.exit(f"apt cannot say where {package} {version} is (is it the mirror's current version?).")
        url = uri[0].strip("'")
        archive, path = re.match(r"https?://[^/]+/([^/]+)/(pool/.+)$", url).groups()
        packages[package] = {
            "name": package.split(":")[0],
            "version": version,
            "archive": archive,
            "path": path,
            "size": int(uri[2]),
            "sha256": uri[3].removeprefix("SHA256:"),
        }

    manifest = {
        "comment": "Written by update-manifest.py on Debian 12; the deployment downloads these packages into the processor's image, "
                   "from deb.debian.org or, once Debian has replaced a version, from snapshot.debian.org at the time below.",
        "ffmpeg": packages[files["bin/ffmpeg"][0]]["version"],
        "snapshot": datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ"),
        "packages": sorted(packages.values(), key=lambda p: p["name"]),
        "files": [
            {"name": name, "package": package.split(":")[0], "path": path.lstrip("/")}
            for name, (package, path) in sorted(files.items())
        ],
    }
    target = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bookworm-amd64.json")
    with open(target, "w", encoding="utf-8") as out:
        json.dump(manifest, out, indent=2)
        out.write("\n")
    print(f"{len(manifest['files'])} files from {len(packages)} packages, {sum(p['size'] for p in packages.values()) // 1048576} MiB to download.")


main()
