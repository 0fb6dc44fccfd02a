"""Render the app icon from its one SVG into what each platform wants, at build time.

Output, under ``OUT`` (default ``build/icons``):

* ``hicolor/<n>x<n>/apps/assist-desktop.png`` for the freedesktop sizes, and
  ``hicolor/scalable/apps/assist-desktop.svg``;
* ``assist-desktop.ico`` (Windows; PNG-compressed entries 16-256 px);
* ``assist-desktop.icns`` (macOS; PNG entries 16-1024 px).

Why generated rather than committed: the SVG stays the only source, so no stale bitmap can
survive an edit, and Qt (QtSvg is part of PySide6-Essentials) is already needed to build.
The ICO and ICNS containers are packed here because Qt writes only one image per ICO and its
ICNS writer produced a file with a corrupt table of contents (PySide6 6.11); both formats are
a short header and a list of PNG blobs.

Usage: ``python packaging/render_icons.py [SVG] [OUT]``
"""

from __future__ import annotations

import os
import shutil
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

NAME = "assist-desktop"
ROOT = Path(__file__).resolve().parent.parent
HICOLOR_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
#: ICNS element types holding PNG data, by pixel size (Apple's ``icp4``..``ic10``).
ICNS_TYPES = {16: b"icp4", 32: b"icp5", 64: b"icp6", 128: b"ic07", 256: b"ic08", 512: b"ic09"}
ICNS_TYPES_RETINA = {1024: b"ic10"}


def render_png(renderer: QSvgRenderer, size: int) -> bytes:
    """The SVG drawn into a transparent ``size`` x ``size`` square, as PNG bytes."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise RuntimeError(f"could not encode the {size} px icon as PNG")
    return bytes(data.data())


def pack_ico(pngs: dict[int, bytes]) -> bytes:
    """A Windows ICO whose entries are PNG images (understood since Windows Vista)."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = len(header) + 16 * len(pngs)
    entries, blobs = b"", b""
    for size, png in sorted(pngs.items()):
        side = 0 if size >= 256 else size  # 0 means 256 in an ICO directory entry
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset)
        offset += len(png)
        blobs += png
    return header + entries + blobs


def pack_icns(pngs: dict[bytes, bytes]) -> bytes:
    """A macOS ICNS of PNG elements: ``icns`` + length, then type + length + data each."""
    body = b"".join(kind + struct.pack(">I", 8 + len(png)) + png for kind, png in pngs.items())
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def render_all(svg: Path, out: Path) -> list[Path]:
    """Write every icon file under ``out``; returns the paths written."""
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg} is not an SVG that Qt can render")
    sizes = sorted({*HICOLOR_SIZES, *ICO_SIZES, *ICNS_TYPES, *ICNS_TYPES_RETINA})
    pngs = {size: render_png(renderer, size) for size in sizes}
    written: list[Path] = []
    for size in HICOLOR_SIZES:
        path = out / "hicolor" / f"{size}x{size}" / "apps" / f"{NAME}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pngs[size])
        written.append(path)
    scalable = out / "hicolor" / "scalable" / "apps" / f"{NAME}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(svg, scalable)
    written.append(scalable)
    ico = out / f"{NAME}.ico"
    ico.write_bytes(pack_ico({size: pngs[size] for size in ICO_SIZES}))
    icns = out / f"{NAME}.icns"
    kinds = {**ICNS_TYPES, **ICNS_TYPES_RETINA}
    icns.write_bytes(pack_icns({kind: pngs[size] for size, kind in kinds.items()}))
    written += [ico, icns]
    return written


def main(argv: list[str]) -> int:
    svg = Path(argv[0]) if argv else ROOT / "resources" / "icons" / f"{NAME}.svg"
    out = Path(argv[1]) if len(argv) > 1 else ROOT / "build" / "icons"
    app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    written = render_all(svg, out)
    del app
    sys.stdout.write(f"rendered {len(written)} icon files into {out}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
