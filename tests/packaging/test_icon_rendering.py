"""The icons every platform needs are rendered from the one SVG, and Qt reads them back."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtGui import QImageReader
from PySide6.QtWidgets import QApplication

ROOT = Path(__file__).resolve().parents[2]
SVG = ROOT / "resources" / "icons" / "assist-desktop.svg"


def _load_render_icons() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "render_icons", ROOT / "packaging" / "render_icons.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("render_icons", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory, qapp: QApplication) -> Path:
    out = tmp_path_factory.mktemp("icons")
    _load_render_icons().render_all(SVG, out)
    return out


def _sizes(path: Path) -> list[int]:
    reader = QImageReader(str(path))
    sizes = []
    for index in range(reader.imageCount()):
        assert reader.jumpToImage(index)
        image = reader.read()
        assert not image.isNull(), reader.errorString()
        sizes.append(image.width())
    return sorted(sizes)


def test_hicolor_pngs_have_the_size_their_folder_names(rendered: Path) -> None:
    pngs = sorted((rendered / "hicolor").glob("*x*/apps/assist-desktop.png"))
    assert len(pngs) == 9
    for png in pngs:
        side = int(png.parent.parent.name.split("x")[0])
        reader = QImageReader(str(png))
        assert reader.size().width() == side
        assert reader.size().height() == side


def test_scalable_icon_is_the_svg_itself(rendered: Path) -> None:
    scalable = rendered / "hicolor" / "scalable" / "apps" / "assist-desktop.svg"
    assert scalable.read_bytes() == SVG.read_bytes()


def test_windows_ico_holds_every_size_up_to_256(rendered: Path) -> None:
    assert _sizes(rendered / "assist-desktop.ico") == [16, 24, 32, 48, 64, 128, 256]


def test_macos_icns_holds_every_size_up_to_1024(rendered: Path) -> None:
    assert _sizes(rendered / "assist-desktop.icns") == [16, 32, 64, 128, 256, 512, 1024]


def test_the_icon_is_not_blank(rendered: Path) -> None:
    image = QImageReader(str(rendered / "hicolor" / "64x64" / "apps" / "assist-desktop.png"))
    picture = image.read()
    opaque = sum(
        1 for x in range(0, 64, 4) for y in range(0, 64, 4) if picture.pixelColor(x, y).alpha()
    )
    assert opaque > 100  # of 256 samples: a filled bubble, not an empty square
