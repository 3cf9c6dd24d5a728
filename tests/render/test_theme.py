"""Every theme reads on its own background: each colour at least 4.5:1, the projector's at least 7:1."""

from __future__ import annotations

import re

import pytest

from bootwalk.render.theme import PALETTES, ThemeName, build_theme, contrast, styles, terminal_theme
from bootwalk.trace import Service

HEX = re.compile(r"#[0-9a-f]{6}")


def test_the_contrast_ratio_is_wcags() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the classic just-fails grey
    assert contrast("#ffff00", "#ffffff") == pytest.approx(1.07, abs=0.01)  # keystone's old colour on the HTML page


@pytest.mark.parametrize("name", list(ThemeName))
def test_every_colour_of_a_theme_reads_on_its_background(name: ThemeName) -> None:
    palette = PALETTES[name]
    floor = 7.0 if name is ThemeName.PROJECTOR else 4.5
    colours = {style: HEX.findall(value) for style, value in styles(name).items()}
    assert all(len(found) <= 1 for found in colours.values())
    low = min((contrast(found[0], palette.background), style) for style, found in colours.items() if found)
    assert low[0] >= floor, low
    assert contrast(palette.foreground, palette.background) >= floor


@pytest.mark.parametrize("name", list(ThemeName))
def test_every_service_has_a_colour_and_nothing_is_dim(name: ThemeName) -> None:
    assert set(PALETTES[name].services) == set(Service)
    assert not any("dim" in value.split() for value in styles(name).values())
    assert build_theme(name).styles  # rich parses every style


@pytest.mark.parametrize("name", list(ThemeName))
def test_an_export_is_drawn_on_the_themes_own_background(name: ThemeName) -> None:
    page = terminal_theme(name)
    background = PALETTES[name].background
    assert "#{:02x}{:02x}{:02x}".format(*page.background_color) == background


def test_the_theme_option_and_its_environment_variable(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from bootwalk.cli import cli

    demo = ["boot", "--image", "cirros", "--flavor", "m1.tiny", "--nic", "net-name=private", "demo-vm"]
    pages = {}
    for name, extra, env in (("light", ["--theme", "light"], {}), ("projector", [], {"BOOTWALK_THEME": "projector"})):
        page = tmp_path / f"{name}.html"
        result = CliRunner().invoke(cli, [*demo, *extra, "--export-html", str(page)], env=env)
        assert result.exit_code == 0, result.output
        pages[name] = page.read_text(encoding="utf-8")
    assert "#ffffff" in pages["light"] and "#ffff00" not in pages["light"]  # keystone's old yellow on white
    assert PALETTES[ThemeName.LIGHT].services[Service.KEYSTONE] in pages["light"]
    assert PALETTES[ThemeName.PROJECTOR].services[Service.KEYSTONE] in pages["projector"]
    refused = CliRunner().invoke(cli, [*demo, "--theme", "neon"])
    assert refused.exit_code == 2 and "Invalid value for '--theme'" in refused.stderr


def test_a_slide_is_the_recap_alone_at_16_by_9(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from bootwalk.cli import cli
    from bootwalk.render.table import SLIDE_COLUMNS, SLIDE_ROWS

    slide = tmp_path / "slide.svg"
    demo = ["boot", "--image", "cirros", "--flavor", "m1.tiny", "--nic", "net-name=private", "demo-vm"]
    result = CliRunner().invoke(cli, [*demo, "--export-svg", str(slide), "--slide"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    svg = slide.read_text(encoding="utf-8")
    assert "Recap:" in svg and "Outcome:" in svg and "Step&#160;3/12" not in svg and "Step 3/12" not in svg
    assert pytest.approx(16 / 9, rel=0.02) == (SLIDE_COLUMNS * 1) / (SLIDE_ROWS * 2)  # a terminal cell is 1:2


def test_an_html_slide_is_the_recap_in_a_16_by_9_frame_in_large_type(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from bootwalk.cli import cli

    slide, page = tmp_path / "slide.html", tmp_path / "page.html"
    demo = ["boot", "--image", "cirros", "--flavor", "m1.tiny", "--nic", "net-name=private", "demo-vm"]
    result = CliRunner().invoke(cli, [*demo, "--export-html", str(slide), "--slide"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    html = slide.read_text(encoding="utf-8")
    assert "aspect-ratio: 16 / 9;" in html and "font-size: 1.5vw;" in html
    assert "Recap:" in html and "Outcome:" in html and "Step 3/12" not in html
    CliRunner().invoke(cli, [*demo, "--export-html", str(page)], env={"COLUMNS": "80"})
    assert "aspect-ratio" not in page.read_text(encoding="utf-8")  # a whole walk is a page, not a slide
