"""What every command needs: settings built once per invocation, and the console."""

from __future__ import annotations

from rich.console import Console

from raketieto.settings import Settings

console = Console()
error_console = Console(stderr=True)


def settings_from(**overrides: object) -> Settings:
    """Settings from the environment with the command's options laid over them."""
    return Settings.from_env(overrides=overrides)
