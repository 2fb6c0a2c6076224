"""The app's shared state: the cache, a swapped-in cube, merged catalogues, the contract."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from raketieto.settings import Settings
from raketieto.web import i18n
from raketieto.web.state import AppState


def test_app_keeps_its_state_for_other_parts(client: TestClient) -> None:
    state = client.app.state.raketieto  # type: ignore[attr-defined]
    assert isinstance(state, AppState)
    with state.cube() as reader:
        assert "social-assistance-recipients-pct" in reader.indicator_ids()
    assert state.templates.get_template("base.html") is not None


def test_cache_computes_once_and_forgets_a_replaced_cube(demo_settings: Settings) -> None:
    state = AppState.build(demo_settings)
    calls: list[int] = []
    barrier = threading.Barrier(4)

    def compute() -> int:
        calls.append(1)
        return len(calls)

    def ask() -> None:
        barrier.wait()
        assert state.cached("key", compute) == 1

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert calls == [1]
    stat = demo_settings.cube_path.stat()
    os.utime(demo_settings.cube_path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert state.cached("key", compute) == 2


def test_every_po_file_of_a_language_is_merged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for lang in i18n.LANGUAGES:
        (tmp_path / lang / "LC_MESSAGES").mkdir(parents=True)
    folder = tmp_path / "sv" / "LC_MESSAGES"
    (folder / "messages.po").write_text('msgid "Kieli"\nmsgstr "Språk"\n', encoding="utf-8")
    (folder / "reporting.po").write_text('msgid "Raportti"\nmsgstr "Rapport"\n', encoding="utf-8")
    monkeypatch.setattr(i18n.resources, "files", lambda _package: tmp_path)
    texts = i18n.load_translations()
    assert texts.gettext("sv", "Kieli") == "Språk"
    assert texts.gettext("sv", "Raportti") == "Rapport"
    assert texts.gettext("en", "Raportti") == "Raportti"
    assert texts.gettext_for("sv")("Kieli") == "Språk"


def test_health_says_ok_only_once_the_cube_is_in_memory(demo_settings: Settings) -> None:
    from raketieto.web.app import create_app

    app = create_app(demo_settings)
    state = app.state.raketieto
    plain = TestClient(app)  # no lifespan: nothing has been read yet
    answer = plain.get("/health")
    assert (answer.status_code, answer.json()["status"]) == (503, "starting")
    with TestClient(app) as started:  # the lifespan warms the state in a thread
        deadline = time.monotonic() + 60
        while state.readiness() != "ok" and time.monotonic() < deadline:
            time.sleep(0.05)
        answer = started.get("/health")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok", "cube_built_at": state.built_at()}


def test_health_without_a_cube(tmp_path: Path) -> None:
    from raketieto.web.app import create_app

    answer = TestClient(create_app(Settings(data_dir=tmp_path))).get("/health")
    assert (answer.status_code, answer.json()["status"]) == (503, "no_cube")


def test_a_replaced_cube_gets_a_new_fact_index(demo_settings: Settings) -> None:
    state = AppState.build(demo_settings)
    with state.cube() as reader:
        first = reader.index()
    with state.cube() as reader:
        assert reader.index() is first
    stat = demo_settings.cube_path.stat()
    os.utime(demo_settings.cube_path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    with state.cube() as reader:
        assert reader.index() is not first
        assert reader.index().indicator_ids == first.indicator_ids
