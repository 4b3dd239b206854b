#!/usr/bin/env python3
"""Test photos made on the spot with Pillow (a dependency of WeasyPrint, so in the project venv):
python3 make_image.py KIND PATH. Used by the Swift tests (ImageFixtures) and the browser tests."""
import io, os, subprocess, sys
from PIL import Image, ImageDraw
kind, path = sys.argv[1], sys.argv[2]
def photo(w, h):
    img = Image.new("RGB", (w, h))
    d = ImageDraw.Draw(img)
    for x in range(0, w, 40):
        d.rectangle([x, 0, x + 40, h], fill=(x * 255 // w, 120, 255 - x * 255 // w))
    d.ellipse([w // 4, h // 4, w // 2, h // 2], fill=(250, 250, 40))
    return img
if kind == "phone":       # 3000×2000 stored sideways: EXIF orientation 6 means "rotate 90° clockwise"
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x8825] = {1: "N", 2: (39.0, 54.0, 0.0), 3: "E", 4: (116.0, 23.0, 0.0)}
    xmp = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
           b'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="39,54.0N" exif:GPSLongitude="116,23.0E"/>'
           b'</rdf:RDF></x:xmpmeta>')
    photo(3000, 2000).save(path, "JPEG", quality=90, exif=exif.tobytes(), xmp=xmp)
elif kind == "chart":     # transparent PNG, 800 wide
    img = Image.new("RGBA", (800, 500), (0, 0, 0, 0))
    ImageDraw.Draw(img).rectangle([100, 100, 400, 400], fill=(200, 30, 30, 255))
    img.save(path, "PNG")
elif kind == "small":     # saved from the web: narrower than every variant width
    photo(300, 200).save(path, "JPEG")
elif kind == "grey16":
    Image.new("I;16", (1200, 800), 40000).save(path, "PNG")
elif kind == "scan":      # greyscale record
    Image.new("L", (1000, 1400), 200).save(path, "JPEG")
elif kind == "bomb":      # 40000×40000 claimed in a few hundred bytes of zeros
    import struct, zlib
    def chunk(tag, body):
        return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body))
    ihdr = struct.pack(">IIBBBBB", 40000, 40000, 8, 2, 0, 0, 0)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 200000, 9)) + chunk(b"IEND", b"")
    open(path, "wb").write(data)
elif kind == "cmyk":      # a designer's CMYK JPEG without a profile
    photo(1000, 700).convert("CMYK").save(path, "JPEG")
elif kind == "animated":  # a two-frame GIF, 1800 wide: the book prints its first frame
    frames = [photo(1800, 1000).convert("P"), Image.new("RGB", (1800, 1000), (20, 200, 20)).convert("P")]
    frames[0].save(path, "GIF", save_all=True, append_images=frames[1:], duration=200, loop=0)
elif kind == "wide":      # 3200 px across: finer than the press needs at a text block's width
    photo(3200, 2000).save(path, "JPEG", quality=85)
elif kind == "cmyk-profiled":  # a CMYK JPEG carrying its own profile (Ghostscript's ps_cmyk.icc)
    profile = open("/usr/share/color/icc/ghostscript/ps_cmyk.icc", "rb").read()
    photo(1000, 700).convert("CMYK").save(path, "JPEG", icc_profile=profile)
elif kind == "adobe-rgb":  # a camera's Adobe RGB (1998) JPEG, its profile embedded
    profile = open("/usr/share/color/icc/ghostscript/a98.icc", "rb").read()
    photo(1000, 700).save(path, "JPEG", quality=95, icc_profile=profile)
elif kind == "heic":      # an iPhone photo: HEIC (HEVC), 1200×800, made by libvips' own saver (libheif + x265)
    photo(1200, 800).save(path + ".jpg", "JPEG", quality=90)
    subprocess.run(["vips", "copy", path + ".jpg", path + "[compression=hevc]"], check=True)
    os.remove(path + ".jpg")
elif kind == "portrait":  # 1800×3000 standing: the EPUB limits its width, not its long side
    photo(1800, 3000).save(path, "JPEG", quality=85)
