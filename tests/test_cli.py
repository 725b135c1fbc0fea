"""The conventions of the command line: help, -q/-v, --version, which site a command works on,
--config, and shell completion (in real bash, zsh and fish: ./scripts/test installs them)."""

from __future__ import annotations

import argparse
import platform
import subprocess
from collections.abc import Callable, Iterator
from importlib import metadata
from pathlib import Path

import pytest
from conftest import SITE_YAML, Run, Site

import sitegen
from sitegen.cli.main import _parser

Parser = argparse.ArgumentParser


def _leaves(parser: Parser, path: tuple[str, ...] = ()) -> Iterator[tuple[str, Parser]]:
    """Every command that runs something (`theme eject`, not `theme`), with its parser."""
    subparsers = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subparsers:
        yield " ".join(path), parser
    for action in subparsers:
        for name, child in action.choices.items():
            yield from _leaves(child, (*path, name))


COMMANDS = dict(_leaves(_parser()))


def test_every_command_is_there() -> None:
    assert sorted(COMMANDS) == [
        "build", "check", "clean", "completion", "email", "import linkedin", "init", "new", "serve", "theme eject"
    ]


def test_bare_sitegen_prints_the_help_and_succeeds(run_cli: Callable[..., Run], tmp_path: Path) -> None:
    result = run_cli(tmp_path)
    assert result.status == 0
    assert result.out.startswith("usage: sitegen [-h] [--version] COMMAND ...\n")
    assert "  sitegen init my-letters" in result.out and "    build " in result.out


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_each_command_has_a_description_and_examples(
    command: str, run_cli: Callable[..., Run], tmp_path: Path
) -> None:
    with pytest.raises(SystemExit) as ended:
        run_cli(tmp_path, *command.split(), "--help")
    assert ended.value.code == 0
    text = COMMANDS[command].format_help()
    description = text.split("\n\n")[1]
    assert description[0].isupper() and description.endswith(".") and "\n" not in description.strip()
    examples = text.split("examples:\n")[1].splitlines()
    assert any(line.startswith(f"  sitegen {command}") for line in examples), examples


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_quiet_and_verbose_mean_the_same_everywhere(command: str) -> None:
    parser = COMMANDS[command]
    flags = {flag: action.help for action in parser._actions for flag in action.option_strings}
    assert flags["-q"] == flags["--quiet"] == "print only errors, warnings and results"
    assert flags["-v"] == flags["--verbose"] == "say more, and show a traceback with an error"


@pytest.mark.parametrize("command", sorted(set(COMMANDS) - {"init", "completion"}))
def test_the_positional_site_means_the_site_folder_everywhere(command: str) -> None:
    parser = COMMANDS[command]
    site = next(a for a in parser._actions if a.dest == "path")
    assert (site.metavar, site.option_strings, site.nargs) == ("SITE", [], "?")
    assert any("--config" in a.option_strings for a in parser._actions)


def test_version_names_python_and_the_libraries(capsys: pytest.CaptureFixture[str]) -> None:
    from sitegen.cli.main import main

    with pytest.raises(SystemExit) as ended:
        main(["--version"])
    assert ended.value.code == 0
    line = capsys.readouterr().out
    where = Path(sitegen.__file__).resolve().parent
    libraries = ", ".join(f"{name} {metadata.version(name)}" for name in ("markdown-it-py", "Jinja2", "feedgen"))
    assert line == (
        f"sitegen {sitegen.__version__} (sitegen-newsletter) from {where} "
        f"(Python {platform.python_version()}; {libraries})\n"
    )


def test_quiet_prints_results_only(make_site: Callable[..., Site], run_cli: Callable[..., Run]) -> None:
    site = make_site()
    loud = run_cli(site.root, "new", "A fresh letter")
    quiet = run_cli(site.root, "new", "Another letter", "-q")
    assert (loud.out, quiet.out) == ("content/posts/a-fresh-letter.md\n", "content/posts/another-letter.md\n")
    assert run_cli(site.root, "build", "-q").out == ""
    checked = run_cli(site.root, "check", "-q")
    assert (checked.status, checked.out) == (0, "")


# --- which site ------------------------------------------------------------------------------


def test_a_command_run_inside_the_site_finds_its_site_yaml(
    make_site: Callable[..., Site], run_cli: Callable[..., Run]
) -> None:
    site = make_site()
    inside = site.root / "content" / "posts"
    result = run_cli(inside, "build")
    assert result.status == 0, result.err
    assert result.out.splitlines()[-2].endswith("→ ../../output")
    assert (site.root / "output/index.html").is_file() and not (inside / "output").exists()
    assert run_cli(inside, "check").status == 0
    made = run_cli(inside, "new", "From deep inside")
    assert made.out == "../../content/posts/from-deep-inside.md\n"


def test_outside_any_site_it_says_where_it_looked(run_cli: Callable[..., Run], tmp_path: Path) -> None:
    result = run_cli(tmp_path, "build")
    assert (result.status, result.err) == (1, (
        f"error: no site.yaml in {tmp_path} or any folder above it: is this a sitegen site? "
        "(give its folder, or make one with sitegen init DIR)\n"
    ))
    given = run_cli(tmp_path, "build", "nowhere")
    assert given.err == "error: no folder nowhere: give the site's folder (the one holding site.yaml)\n"


def test_config_reads_the_settings_from_another_file(
    make_site: Callable[..., Site], run_cli: Callable[..., Run], tmp_path: Path
) -> None:
    site = make_site()
    (site.root / "preview.yaml").write_text(SITE_YAML.replace("Letters & Notes", "Preview of Letters"))
    result = run_cli(site.root, "build", "--config", "preview.yaml", "-o", str(tmp_path / "preview"))
    assert result.status == 0, result.err
    assert "<title>Preview of Letters</title>" in (tmp_path / "preview/index.html").read_text()
    elsewhere = tmp_path / "settings" / "letters.yaml"
    elsewhere.parent.mkdir()
    elsewhere.write_text(SITE_YAML.replace("Letters & Notes", "Settings Elsewhere"))
    result = run_cli(tmp_path, "build", str(site.root), "--config", str(elsewhere))
    assert result.status == 0, result.err
    assert "<title>Settings Elsewhere</title>" in (site.root / "output/index.html").read_text()
    missing = run_cli(site.root, "build", "--config", "nope.yaml")
    assert missing.err == "error: no settings file nope.yaml (given with --config)\n"


def test_config_errors_are_located_in_that_file(make_site: Callable[..., Site], run_cli: Callable[..., Run]) -> None:
    site = make_site()
    (site.root / "preview.yaml").write_text("title: T\nurl: https://example.org/\ntitel: typo\n")
    result = run_cli(site.root, "build", "--config", "preview.yaml")
    assert (result.status, result.err) == (
        1, "preview.yaml:3:1: unknown key 'titel' (did you mean 'title'?)\n"
    )


def test_check_takes_the_site_and_output_takes_the_built_folder(
    make_site: Callable[..., Site], run_cli: Callable[..., Run], tmp_path: Path
) -> None:
    site = make_site()
    assert run_cli(site.root, "build", "-q", "-o", str(tmp_path / "elsewhere")).status == 0
    by_site = run_cli(tmp_path, "check", str(site.root), "--output", str(tmp_path / "elsewhere"))
    assert by_site.status == 0, by_site.out + by_site.err
    assert by_site.out.startswith("checked 13 pages and 3 email editions at https://example.org/letters/: ")
    missing = run_cli(tmp_path, "check", str(site.root))
    assert missing.err == f"error: no folder {site.root / 'output'}: build the site first (sitegen build)\n"


def test_check_of_a_built_folder_as_0_1_took_it_still_works_with_a_note(
    make_site: Callable[..., Site], run_cli: Callable[..., Run]
) -> None:
    site = make_site()
    site.build()
    result = run_cli(site.root, "check", "output")
    assert result.status == 0
    assert result.err == (
        "note: sitegen check output checks the site in output now: say --output output for a built site\n"
    )
    assert result.out.startswith("checked 13 pages")


# --- shell completion ------------------------------------------------------------------------


def _script(run_cli: Callable[..., Run], tmp_path: Path, shell: str) -> Path:
    result = run_cli(tmp_path, "completion", shell)
    assert result.status == 0
    path = tmp_path / f"sitegen.{shell}"
    path.write_text(result.out)
    return path


def _bash_complete(script: Path, words: list[str], shell: str = "bash") -> list[str]:
    array = " ".join(f"'{w}'" for w in words)
    program = (
        f"source {script}; {'setopt ksharrays; ' if shell == 'zsh' else ''}"
        f"COMP_WORDS=({array}); COMP_CWORD={len(words) - 1}; _sitegen; printf '%s\\n' \"${{COMPREPLY[@]}}\""
    )
    done = subprocess.run([shell, "-c", program], capture_output=True, text=True, check=True, timeout=30)
    return done.stdout.split()


def test_bash_completes_commands_options_and_choices(run_cli: Callable[..., Run], tmp_path: Path) -> None:
    script = _script(run_cli, tmp_path, "bash")
    assert _bash_complete(script, ["sitegen", "bu"]) == ["build"]
    assert _bash_complete(script, ["sitegen", "theme", ""]) == ["eject"]
    assert _bash_complete(script, ["sitegen", "build", "--o"]) == ["--output"]
    assert _bash_complete(script, ["sitegen", "import", "linkedin", "--down"]) == ["--download-images"]
    assert _bash_complete(script, ["sitegen", "completion", ""]) == ["bash", "zsh", "fish"]
    assert _bash_complete(script, ["sitegen", "build", ""]) == []  # then bash completes a folder's name


def test_zsh_loads_the_completion_and_gets_the_same_words(run_cli: Callable[..., Run], tmp_path: Path) -> None:
    script = _script(run_cli, tmp_path, "zsh")
    registered = subprocess.run(
        ["zsh", "-c", f"source {script}; print -r -- ${{_comps[sitegen]}}"], capture_output=True, text=True, check=True
    )
    assert registered.stdout.strip() == "_bash_complete -o default -o bashdefault -F _sitegen"
    # zsh filters the words by what is typed itself: these are all the words of that place
    assert "eject" in _bash_complete(script, ["sitegen", "theme", ""], "zsh")
    assert "--output" in _bash_complete(script, ["sitegen", "build", "-"], "zsh")


def test_fish_completes_commands_with_their_help(run_cli: Callable[..., Run], tmp_path: Path) -> None:
    script = _script(run_cli, tmp_path, "fish")

    def complete(line: str) -> list[str]:
        done = subprocess.run(
            ["fish", "--no-config", "-c", f"source {script}; complete -C '{line}'"],
            capture_output=True, text=True, check=True, timeout=30,
        )
        return done.stdout.splitlines()

    assert complete("sitegen bu") == ["build\tbuild the site into output/"]
    assert complete("sitegen theme ") == ["eject\tcopy the default theme into themes/default/ to edit it"]
    assert complete("sitegen build --ou") == ["--output\twrite here instead of SITE/output/"]
    assert "linkedin" not in "".join(complete("sitegen build "))
