"""tools/gnuplot.py — render a gnuplot script to a PNG, with a font that has Chinese glyphs.

The report's charts and the timelines are gnuplot scripts (kept beside each PNG, so a
reader can re-render or restyle one). This module finds gnuplot, picks its best PNG
terminal (pngcairo: antialiased, and it draws any font fontconfig knows) and a font
that covers Chinese: without one a Chinese title is drawn as empty boxes. The font comes
from Debian's fonts-noto-cjk (tools/setup.sh installs it).
"""

import functools
import os
import shutil
import subprocess
from gettext import gettext as _

# Fonts with Chinese glyphs, best first (fontconfig family names).
CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans CJK TC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei",
             "Droid Sans Fallback", "AR PL UMing CN")


@functools.lru_cache(maxsize=None)
def executable():
    return shutil.which("gnuplot")


@functools.lru_cache(maxsize=None)
def terminal():
    """pngcairo when this gnuplot has it, else png (libgd)."""
    gnuplot = executable()
    if gnuplot is None:
        return "png"
    listing = subprocess.run([gnuplot, "-e", "set terminal"], capture_output=True, text=True,
                             stdin=subprocess.DEVNULL, check=False)
    return "pngcairo" if "pngcairo" in listing.stdout + listing.stderr else "png"


@functools.lru_cache(maxsize=None)
def chinese_font():
    """The family of an installed font with Chinese glyphs, or "" if there is none."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return ""
    result = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True,
                            stdin=subprocess.DEVNULL, check=False)
    families = {name.strip() for line in result.stdout.splitlines() for name in line.split(",")}
    return next((font for font in CJK_FONTS if font in families), "")


def terminal_line(width, height, font_size=10):
    """The `set terminal` line: PNG of width x height pixels, in a font that has Chinese
    glyphs when one is installed (the same font in both languages, so an English chart
    can still show a Chinese lesson title or thread name)."""
    font = chinese_font()
    font_part = f' font "{font},{font_size}"' if font and terminal() == "pngcairo" else ""
    return f"set terminal {terminal()} size {width},{height}{font_part}"


def quote(text):
    """`text` as a gnuplot double-quoted string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def render(script_path, timeout=120):
    """Runs gnuplot on a script, in the script's folder. Returns "" or a one-line error."""
    gnuplot = executable()
    if gnuplot is None:
        return _("gnuplot is not installed (tools/setup.sh installs gnuplot-nox): no charts")
    directory, name = os.path.split(os.path.abspath(script_path))
    try:
        result = subprocess.run([gnuplot, name], cwd=directory, capture_output=True, text=True,
                                stdin=subprocess.DEVNULL, check=False, timeout=timeout)
    except subprocess.TimeoutExpired:
        return _("gnuplot took more than %(seconds)d s on %(script)s") % {"seconds": timeout,
                                                                          "script": name}
    if result.returncode != 0:
        why = (result.stderr.strip().splitlines() or [_("no output")])[-1]
        return _("gnuplot failed on %(script)s: %(why)s") % {"script": name, "why": why}
    return ""


def font_warning():
    """A sentence when Chinese text would be drawn as boxes, else ""."""
    if chinese_font():
        return ""
    return _("no font with Chinese glyphs is installed (tools/setup.sh installs fonts-noto-cjk): "
             "Chinese text in the charts is drawn as boxes")
