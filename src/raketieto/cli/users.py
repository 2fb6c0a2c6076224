"""`raketieto users` and `raketieto store`: accounts of the social reporting and its database."""

from __future__ import annotations

import secrets
from typing import Annotated

import typer
from rich.table import Table

from raketieto.catalogue import load_catalogue
from raketieto.cli.context import console, settings_from
from raketieto.errors import RaketietoError
from raketieto.regions import Level, load_division
from raketieto.settings import Settings
from raketieto.store import migrate
from raketieto.store.accounts import (
    MIN_PASSWORD_LENGTH,
    create_user_from_console,
    find_user,
    list_users,
    make_password_hasher,
    reset_password_from_console,
)
from raketieto.store.db import make_engine, make_session_factory, transaction
from raketieto.store.enums import Role
from raketieto.store.vocabulary import Vocabulary

users_app = typer.Typer(no_args_is_help=True)
store_app = typer.Typer(no_args_is_help=True)

DEMO_COUNTY = "Pohjois-Savo"
DEMO_ACCOUNTS = (
    ("demo-tyontekija", "Demo Työntekijä", Role.WORKER),
    ("demo-koordinaattori", "Demo Koordinaattori", Role.COORDINATOR),
)
ROLE_NAMES = ", ".join(r.value for r in Role if r is not Role.PUBLIC)


def mount(app: typer.Typer) -> None:
    """Add the `users` and `store` command groups to the main CLI."""
    app.add_typer(users_app, name="users", help="Raportoinnin käyttäjätilit.")
    app.add_typer(store_app, name="store", help="Raportoinnin tietokanta.")


def _vocabulary(settings: Settings) -> Vocabulary:
    catalogue = load_catalogue(settings.catalogue_dir)
    return Vocabulary.from_sources(catalogue, load_division(settings.division_year))


def _county_code(settings: Settings, county: str | None) -> str | None:
    """A county code from a code or a name ('HVA12' or 'Pohjois-Savo')."""
    if county is None:
        return None
    region = load_division(settings.division_year).lookup(county)
    if region.level is not Level.COUNTY:
        raise RaketietoError(
            f"Alue '{county}' on {region.level.label()}, ei hyvinvointialue; anna HVA-koodi "
            "tai hyvinvointialueen nimi."
        )
    return region.code


def _role(role: str) -> Role:
    try:
        chosen = Role(role.strip().lower())
    except ValueError:
        raise RaketietoError(f"Rooli '{role}' ei kelpaa; kelvolliset: {ROLE_NAMES}.") from None
    if chosen is Role.PUBLIC:
        raise RaketietoError(f"Julkiselle roolille ei luoda tiliä; kelvolliset: {ROLE_NAMES}.")
    return chosen


def _migrated(settings: Settings) -> str:
    url = settings.store_url
    migrate.upgrade(url)
    return url


@store_app.command("migrate")
def store_migrate() -> None:
    """Create or upgrade the tables of the reporting database (RAKETIETO_DATABASE_URL)."""
    settings = settings_from()
    url = _migrated(settings)
    console.print(f"Tietokanta on versiossa {migrate.current_revision(url)}.")


@users_app.command("add")
def add(
    username: Annotated[str, typer.Option("--username", help="Käyttäjätunnus.")],
    role: Annotated[str, typer.Option("--role", help=f"Rooli: {ROLE_NAMES}.")],
    county: Annotated[
        str | None,
        typer.Option("--county", help="Kotihyvinvointialue (HVA-koodi tai nimi)."),
    ] = None,
    display_name: Annotated[
        str | None, typer.Option("--display-name", help="Näytettävä nimi.")
    ] = None,
    oidc_subject: Annotated[
        str | None,
        typer.Option(
            "--oidc-subject", help="OpenID Connect -tunniste (sub); silloin ei salasanaa."
        ),
    ] = None,
) -> None:
    """Create an account; the password is asked twice (not with --oidc-subject)."""
    settings = settings_from()
    chosen = _role(role)
    home = _county_code(settings, county)
    password = None
    if oidc_subject is None:
        password = typer.prompt(
            f"Salasana (vähintään {MIN_PASSWORD_LENGTH} merkkiä)",
            hide_input=True,
            confirmation_prompt="Salasana uudelleen",
        )
    engine = make_engine(_migrated(settings))
    try:
        with transaction(make_session_factory(engine)) as session:
            user = create_user_from_console(
                session,
                username=username,
                display_name=display_name or username,
                role=chosen,
                county=home,
                password=password,
                hasher=make_password_hasher(),
                vocab=_vocabulary(settings),
                oidc_subject=oidc_subject,
            )
            console.print(
                f"Tili '{user.username}' luotu: {chosen.label()}"
                + (f", {home}" if home else "")
                + "."
            )
    finally:
        engine.dispose()


@users_app.command("list")
def list_accounts() -> None:
    """List every account with its role, county and state."""
    settings = settings_from()
    engine = make_engine(_migrated(settings))
    try:
        with transaction(make_session_factory(engine)) as session:
            table = Table("käyttäjätunnus", "nimi", "rooli", "alue", "kirjautuminen", "tila")
            for user in list_users(session):
                kind = "OIDC" if user.oidc_subject else "salasana"
                state = "käytössä" if user.active else "suljettu"
                if user.locked_until is not None:
                    state += ", lukittu hetkeksi"
                table.add_row(
                    user.username,
                    user.display_name,
                    user.role.label(),
                    user.county_code or "–",
                    kind,
                    state,
                )
            console.print(table)
    finally:
        engine.dispose()


@users_app.command("demo")
def demo() -> None:
    """Create a worker and a coordinator for Pohjois-Savo with random passwords, shown once."""
    settings = settings_from()
    county = _county_code(settings, DEMO_COUNTY)
    hasher = make_password_hasher()
    vocab = _vocabulary(settings)
    engine = make_engine(_migrated(settings))
    shown: list[tuple[str, str, str]] = []
    try:
        with transaction(make_session_factory(engine)) as session:
            for username, name, role in DEMO_ACCOUNTS:
                password = secrets.token_urlsafe(12)
                existing = find_user(session, username)
                if existing is None:
                    create_user_from_console(
                        session,
                        username=username,
                        display_name=name,
                        role=role,
                        county=county,
                        password=password,
                        hasher=hasher,
                        vocab=vocab,
                    )
                else:
                    # A rerun gives the demo accounts new passwords: the old ones were shown once.
                    reset_password_from_console(session, existing, password, hasher=hasher)
                shown.append((username, role.label(), password))
    finally:
        engine.dispose()
    table = Table("käyttäjätunnus", "rooli", "salasana")
    for row in shown:
        table.add_row(*row)
    console.print(f"Demotilit ({DEMO_COUNTY}, {county}); salasanat näytetään vain nyt:")
    console.print(table)
