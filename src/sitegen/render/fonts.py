"""The self-hosted text face, one switch in site.yaml (`font: source-serif`): Source Serif 4, its
files copied to output/fonts/ (only the scripts the site's language writes in) and the stylesheet
that names them. The files are made once by scripts/make-fonts; no request leaves the site."""

from __future__ import annotations

from pathlib import Path

from ..output.files import OutputFile
from ..source.config import SiteConfig

FONTS = Path(__file__).resolve().parent.parent / "fonts"
FAMILY = "Source Serif 4"
SELF_HOSTED = "source-serif"
"""site.yaml's `font:` value that turns it on (the default is "system")."""
STYLESHEET = "fonts/fonts.css"
PRELOADED = "fonts/source-serif-4-latin-normal.woff2"
"""The file nearly every page's text needs first: the page asks for it before its CSS."""

# Each file's characters (fontsource's ranges, trimmed to text); the browser fetches one only for
# a page holding one of them.
RANGES = {
    "latin": "U+0000-00FF,U+0131,U+0152-0153,U+02C6,U+02DA,U+02DC,U+2000-206F,U+20AC,U+2122,U+2212",
    "latin-ext": "U+0100-02BA,U+02BD-02C5,U+02C7-02CC,U+02CE-02D7,U+02DD-02FF,U+1E00-1E9F,U+1EF2-1EFF,U+2020,"
    "U+20A0-20AB,U+20AD-20C4,U+2113,U+2C60-2C7F,U+A720-A7FF",
    "cyrillic": "U+0301,U+0400-045F,U+0490-0491,U+04B0-04B1,U+2116",
    "greek": "U+0370-0377,U+037A-037F,U+0384-038A,U+038C,U+038E-03A1,U+03A3-03FF",
    "vietnamese": "U+0102-0103,U+0110-0111,U+0128-0129,U+0168-0169,U+01A0-01A1,U+01AF-01B0,U+0300-0301,"
    "U+0303-0304,U+0308-0309,U+0323,U+0329,U+1EA0-1EF9,U+20AB",
}
# Languages written with letters beyond latin's, by the file that has them.
WRITTEN_IN = {
    "latin-ext": {"cs", "pl", "hu", "ro", "tr", "hr", "sk", "sl", "lv", "lt", "et", "is", "mt", "cy", "az",
                  "sq", "sr", "bs", "eo", "ga", "kl", "fo", "se", "ku", "tk", "uz", "ca", "eu", "gl", "de"},
    "cyrillic": {"ru", "uk", "bg", "sr", "mk", "be", "kk", "ky", "mn", "tg"},
    "greek": {"el"},
    "vietnamese": {"vi"},
}
STACK = "var(--serif-system)"


def subsets_for(language: str) -> tuple[str, ...]:
    """The files a site in `language` needs: latin (names, quotes, code), and its own script's."""
    code = language.lower().split("-")[0]
    return ("latin", *(name for name, languages in WRITTEN_IN.items() if code in languages))


def font_css(subsets: tuple[str, ...], folder: str = "") -> str:
    """@font-face rules for `subsets` (files in `folder`, by default beside the stylesheet), and the
    theme's --serif set to the face, then the system's."""
    rules = []
    for name in subsets:
        for style in ("normal", "italic"):
            rules.append(
                "@font-face {\n"
                f'  font-family: "{FAMILY}";\n'
                f"  font-style: {style};\n"
                "  font-weight: 400 700;\n"
                "  font-display: swap;\n"
                f'  src: url("{folder}source-serif-4-{name}-{style}.woff2") format("woff2");\n'
                f"  unicode-range: {RANGES[name]};\n"
                "}\n"
            )
    rules.append(f':root {{ --serif: "{FAMILY}", {STACK}; }}\n')
    return "/* Source Serif 4, SIL Open Font License 1.1 (OFL.txt) */\n" + "".join(rules)


def font_files(config: SiteConfig) -> list[OutputFile]:
    """What output/fonts/ holds for `config` (nothing when the site uses the system's fonts)."""
    if config.font != SELF_HOSTED:
        return []
    subsets = subsets_for(config.language)
    files = [
        OutputFile(f"fonts/source-serif-4-{name}-{style}.woff2", source=FONTS / f"source-serif-4-{name}-{style}.woff2")
        for name in subsets
        for style in ("normal", "italic")
    ]
    files.append(OutputFile("fonts/OFL.txt", source=FONTS / "OFL.txt"))
    files.append(OutputFile(STYLESHEET, font_css(subsets).encode("utf-8")))
    return files
