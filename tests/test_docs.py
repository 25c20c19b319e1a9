"""The documentation stays true: every command and setting is documented, the README's commands are the real ones."""

from __future__ import annotations

import re
from dataclasses import fields

import click
import pytest

from matcher.cli import COMMANDS, cli
from matcher.config import Settings
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def commands(group: click.Group, prefix: str = "matcher") -> list[tuple[str, click.Command]]:
    """Every command under ``group``, asked for as click asks (the root group imports a command when asked)."""
    ctx = click.Context(group)
    found = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, f"{prefix} {name} is listed but cannot be loaded"
        found.append((f"{prefix} {name}", command))
        if isinstance(command, click.Group):
            found.extend(commands(command, f"{prefix} {name}"))
    return found


@pytest.mark.parametrize(("name", "command"), commands(cli), ids=lambda x: x if isinstance(x, str) else "")
def test_every_command_has_help_and_is_in_docs_cli(name: str, command: click.Command) -> None:
    assert command.help and command.help.strip(), f"{name} has no help text"
    if not isinstance(command, click.Group):
        assert "Example:" in command.help, f"{name} has no Example: block"
    assert f"`{name}`" in (ROOT / "docs" / "cli.md").read_text(encoding="utf-8"), f"{name} missing from docs/cli.md"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_matcher_help_shows_each_commands_own_summary(name: str) -> None:
    """`matcher --help` lists the summaries of the command table without importing the commands: each must be the
    command's own first line, or the two would drift apart."""
    command = cli.get_command(click.Context(cli), name)
    assert command is not None and command.name == name
    assert command.get_short_help_str(limit=10_000) == COMMANDS[name].summary
    assert f"  {name} " in cli.get_help(click.Context(cli, info_name="matcher"))


def test_every_setting_is_in_docs_configuration() -> None:
    text = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    for f in fields(Settings):
        assert f"`MATCHER_{f.name.upper()}`" in text, f"MATCHER_{f.name.upper()} is not documented"


def test_readme_quick_start_is_two_commands_and_ci_runs_the_test_one() -> None:
    quick_start = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)\n```", quick_start, re.S)
    assert len(blocks) == 2 and all("\n" not in b.strip() for b in blocks)
    main_job, tests = blocks
    assert "matcher fetch --source ../shared/ctgov/studies" in main_job and "matcher match examples/" in main_job
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_command = tests.split("&&")[-1].strip()
    assert test_command in ci.splitlines(), f"{test_command!r} is not a line of .ci/run"
    example = re.search(r"matcher match (examples/\S+)", main_job)
    assert example and (ROOT / example.group(1)).is_file()


def test_documented_links_exist() -> None:
    for link in re.findall(r"\]\((docs/[^)]+)\)", README):
        assert (ROOT / link).is_file(), f"README links to missing {link}"
