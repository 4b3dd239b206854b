"""Makes the sample site's photos (Content/assets/images/): drawn, not photographed, but photo-like
(gradients, shapes, grain, captions in Chinese), each under 300 KB. Run from the repository root:
    python3 Tests/PressTestSupport/make_sample_photos.py
The files are committed; this script says how they were made."""
import random
from PIL import Image, ImageDraw, ImageFilter, ImageFont

OUT = "Content/assets/images/"
FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
random.seed(17)


def gradient(size, top, bottom):
    w, h = size
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    for y in range(h):
        t = y / (h - 1)
        draw.line([(0, y), (w, y)], fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom)))
    return image


def grain(image, amount=6):
    noise = Image.effect_noise(image.size, amount).convert("L")
    mode = image.mode
    base = image.convert("RGB") if mode != "L" else image
    layer = Image.merge("RGB", [noise] * 3) if mode != "L" else noise
    return Image.blend(base, layer, 0.06).convert(mode)


def gear(draw, cx, cy, r, teeth, fill):
    import math
    points = []
    for i in range(teeth * 2):
        a = math.pi * i / teeth
        rr = r if i % 2 == 0 else r * 0.86
        points.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
    draw.polygon(points, fill=fill)
    draw.ellipse([cx - r * 0.25, cy - r * 0.25, cx + r * 0.25, cy + r * 0.25], fill=(40, 44, 52))


def label(draw, xy, text, size, fill):
    draw.text(xy, text, font=ImageFont.truetype(FONT, size), fill=fill)


def workshop():
    image = gradient((1800, 1200), (70, 90, 120), (190, 180, 160))
    draw = ImageDraw.Draw(image)
    for x in range(0, 1800, 300):  # roof trusses
        draw.line([(x, 0), (x + 150, 260)], fill=(50, 60, 75), width=14)
    draw.rectangle([0, 820, 1800, 1200], fill=(95, 98, 100))
    for i, (x, r) in enumerate([(420, 260), (900, 190), (1350, 300)]):
        gear(draw, x, 640, r, 18 + 6 * i, (160 + 20 * i, 120, 60))
    label(draw, (60, 1080), "滚齿车间　2020", 64, (240, 240, 235))
    image.filter(ImageFilter.GaussianBlur(1.2)).save(OUT + "gear-workshop.jpg", quality=80, optimize=True)


def pump_bench():
    # Stored lying on its side with EXIF orientation 6, as a phone held upright writes it.
    image = gradient((1800, 1200), (30, 60, 90), (120, 150, 170))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle([300, 420, 1500, 900], radius=60, fill=(200, 120, 40))
    for x in range(380, 1450, 120):
        draw.rectangle([x, 360, x + 50, 420], fill=(90, 90, 95))
    draw.ellipse([1350, 250, 1650, 550], outline=(235, 235, 235), width=18)
    label(draw, (80, 1060), "液压泵可靠性试验台", 64, (250, 250, 250))
    stored = grain(image.filter(ImageFilter.GaussianBlur(1.0))).transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = 6
    stored.save(OUT + "pump-test-bench.jpg", quality=80, optimize=True, exif=exif.tobytes())


def bearing_archive():
    image = Image.new("L", (1800, 1350), 200)
    draw = ImageDraw.Draw(image)
    for y in range(1350):
        draw.line([(0, y), (1800, y)], fill=int(215 - 90 * y / 1350))
    for r in range(520, 120, -70):
        draw.ellipse([900 - r, 640 - r, 900 + r, 640 + r], outline=60 + r // 8, width=22)
    label(draw, (70, 1220), "1985年的轴承检验室（资料照片）", 60, 30)
    grain(image.filter(ImageFilter.GaussianBlur(1.5)), 10).save(OUT + "bearing-inspection.jpg", quality=78, optimize=True)


def reliability_chart():
    image = Image.new("RGBA", (1800, 1000), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.line([(150, 60), (150, 880), (1740, 880)], fill=(30, 30, 30, 255), width=6)
    values = [1200, 1650, 2100, 2700, 3400, 4100]
    for i, v in enumerate(values):
        x = 260 + i * 250
        draw.rectangle([x, 880 - v * 0.18, x + 140, 880], fill=(30, 110, 180, 255))
        label(draw, (x + 10, 900), f"{2015 + i}", 48, (30, 30, 30, 255))
    label(draw, (180, 30), "平均无故障工作时间（小时）", 54, (30, 30, 30, 255))
    image.save(OUT + "mtbf-chart.png", optimize=True)


def cover():
    image = gradient((2300, 3200), (20, 50, 95), (200, 120, 50))
    draw = ImageDraw.Draw(image)
    for i in range(7):
        gear(draw, 300 + i * 330, 2500 + (i % 2) * 260, 230 - (i % 3) * 40, 20, (60 + i * 15, 70, 90))
    draw.rectangle([0, 2900, 2300, 3200], fill=(35, 40, 50))
    grain(image.filter(ImageFilter.GaussianBlur(2.0))).save(OUT + "story-collection-cover.jpg", quality=72, optimize=True)


if __name__ == "__main__":
    workshop()
    pump_bench()
    bearing_archive()
    reliability_chart()
    cover()
