"""`sitegen completion bash|zsh|fish`: shell completion scripts, generated from the command line's
own parser, so that a new command or option completes without anyone editing a script."""

from __future__ import annotations

import argparse
import shlex
from collections.abc import Iterator
from dataclasses import dataclass

from .site import Commands, add_command

SHELLS = ("bash", "zsh", "fish")


@dataclass(frozen=True, slots=True)
class Level:
    """One command of the tree (the root is `()`): what may follow it."""

    path: tuple[str, ...]
    commands: tuple[tuple[str, str], ...]
    """(name, one-line help) of its subcommands."""
    options: tuple[tuple[str, str, bool], ...]
    """(flag, help, takes a value) of each of its option strings."""


def _levels(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> Iterator[Level]:
    commands: list[tuple[str, str]] = []
    options: list[tuple[str, str, bool]] = []
    children: list[tuple[str, argparse.ArgumentParser]] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help or "" for choice in action._choices_actions}
            for name, child in action.choices.items():
                commands.append((name, helps.get(name, "")))
                children.append((name, child))
        elif not action.option_strings and action.choices:  # a positional of a few words (a shell)
            commands += [(str(choice), "") for choice in action.choices]
        for flag in action.option_strings:
            options.append((flag, action.help or "", action.nargs != 0))
    yield Level(path, tuple(commands), tuple(options))
    for name, child in children:
        yield from _levels(child, (*path, name))


def bash_script(parser: argparse.ArgumentParser) -> str:
    """A bash completion function: a command's subcommands, its options after a "-", else file
    names (the site folder, an export, a file to write)."""
    cases = []
    for level in _levels(parser):
        words = shlex.quote(" ".join(name for name, _ in level.commands))
        flags = shlex.quote(" ".join(flag for flag, _, _ in level.options))
        cases.append(f"        {shlex.quote(' '.join(level.path))}) words={words} flags={flags} ;;")
    commands = sorted({name for level in _levels(parser) for name, _ in level.commands})
    return "\n".join([
        "# bash completion for sitegen (made by `sitegen completion bash`)",
        "_sitegen() {",
        '    local cur="${COMP_WORDS[COMP_CWORD]}" path="" word words flags i',
        f"    local known=\" {' '.join(commands)} \"",
        "    for ((i = 1; i < COMP_CWORD; i++)); do",
        '        word="${COMP_WORDS[i]}"',
        '        if [[ "$word" != -* && "$known" == *" $word "* ]]; then path="${path:+$path }$word"; fi',
        "    done",
        '    case "$path" in',
        *cases,
        "        *) words='' flags='' ;;",
        "    esac",
        '    if [[ "$cur" == -* ]]; then words="$flags"; fi',
        '    COMPREPLY=($(compgen -W "$words" -- "$cur"))',
        "}",
        "complete -o default -o bashdefault -F _sitegen sitegen",
        "",
    ])


def zsh_script(parser: argparse.ArgumentParser) -> str:
    """zsh runs the bash function through its own bashcompinit."""
    return "\n".join([
        "# zsh completion for sitegen (made by `sitegen completion zsh`): load it with",
        '#   eval "$(sitegen completion zsh)"   in ~/.zshrc',
        "autoload -U +X compinit && compinit",
        "autoload -U +X bashcompinit && bashcompinit",
        bash_script(parser),
    ])


def fish_script(parser: argparse.ArgumentParser) -> str:
    """fish completions: each subcommand with its help, each option under its command."""
    lines = ["# fish completion for sitegen (made by `sitegen completion fish`)", "complete -c sitegen -f"]
    levels = list(_levels(parser))
    for level in levels:
        if level.path:
            seen = " ".join(f"; and __fish_seen_subcommand_from {name}" for name in level.path)
            condition = seen.removeprefix("; and ")
        else:
            condition = "__fish_use_subcommand"
        siblings = " ".join(name for name, _ in level.commands)
        ask = condition + (f"; and not __fish_seen_subcommand_from {siblings}" if siblings and level.path else "")
        for name, help_text in level.commands:
            lines.append(f"complete -c sitegen -n {shlex.quote(ask)} -a {name} -d {shlex.quote(help_text)}")
        for flag, help_text, takes_value in level.options:
            kind = "-l " + flag[2:] if flag.startswith("--") else "-s " + flag[1:]
            value = " -r -F" if takes_value else ""
            lines.append(f"complete -c sitegen -n {shlex.quote(condition)} {kind}{value} -d {shlex.quote(help_text)}")
    return "\n".join([*lines, ""])


def add_completion_command(commands: Commands, root: argparse.ArgumentParser) -> None:
    """Add `completion` to the command line (it needs the whole parser, `root`)."""
    c = add_command(commands, "completion", "print a shell completion script for bash, zsh or fish", """
sitegen completion bash > ~/.local/share/bash-completion/completions/sitegen
sitegen completion fish > ~/.config/fish/completions/sitegen.fish
echo 'eval "$(sitegen completion zsh)"' >> ~/.zshrc
""")
    c.add_argument("shell", choices=SHELLS, help="the shell to complete in")
    c.set_defaults(func=lambda args: _print_script(root, args.shell))


def _print_script(root: argparse.ArgumentParser, shell: str) -> int:
    script = {"bash": bash_script, "zsh": zsh_script, "fish": fish_script}[shell](root)
    print(script, end="")
    return 0
