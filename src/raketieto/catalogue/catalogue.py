"""The whole catalogue: themes, phenomena and indicators by id, with look-ups across them."""

from __future__ import annotations

from collections.abc import Iterable

from raketieto.catalogue.checks import cross_check
from raketieto.catalogue.models import Indicator, Phenomenon, Theme
from raketieto.catalogue.problems import CatalogueError, Problem
from raketieto.errors import NotFoundError
from raketieto.text import fold


class Catalogue:
    """Themes, phenomena and indicators (dicts by id, in display order), checked together."""

    def __init__(
        self,
        themes: Iterable[Theme],
        phenomena: Iterable[Phenomenon],
        indicators: Iterable[Indicator],
    ) -> None:
        theme_list, phenomenon_list, indicator_list = (
            list(themes),
            list(phenomena),
            list(indicators),
        )
        found = cross_check(theme_list, phenomenon_list, indicator_list)
        if found:
            lists: dict[str, list[Theme] | list[Phenomenon] | list[Indicator]] = {
                "theme": theme_list,
                "phenomenon": phenomenon_list,
                "indicator": indicator_list,
            }
            raise CatalogueError(
                [
                    Problem(
                        f"<{p.kind} {lists[p.kind][p.index].id}>",
                        0,
                        ".".join(str(part) for part in p.path),
                        p.message,
                    )
                    for p in found
                ]
            )
        self.themes: dict[str, Theme] = {
            t.id: t for t in sorted(theme_list, key=lambda t: (t.order, t.id))
        }
        self.phenomena: dict[str, Phenomenon] = {
            p.id: p for p in sorted(phenomenon_list, key=lambda p: (p.order, p.id))
        }
        self.indicators: dict[str, Indicator] = {i.id: i for i in indicator_list}
        self._by_sotkanet = {
            i.source.sotkanet_id: i for i in indicator_list if i.source.sotkanet_id is not None
        }
        self._by_rule = {i.source.rule: i for i in indicator_list if i.source.rule is not None}
        self._grouped: dict[str, dict[str, list[Indicator]]] = {}

    def __repr__(self) -> str:
        return (
            f"Catalogue({len(self.themes)} themes, {len(self.phenomena)} phenomena, "
            f"{len(self.indicators)} indicators)"
        )

    def theme(self, theme_id: str) -> Theme:
        """The theme with this id, or NotFoundError naming the closest ids."""
        try:
            return self.themes[theme_id]
        except KeyError:
            raise NotFoundError("teema", theme_id, self.themes) from None

    def indicator(self, indicator_id: str) -> Indicator:
        """The indicator with this id, or NotFoundError naming the closest ids."""
        try:
            return self.indicators[indicator_id]
        except KeyError:
            raise NotFoundError("indikaattori", indicator_id, self.indicators) from None

    def phenomenon(self, id_or_name: str) -> Phenomenon:
        """The phenomenon with this id or name in any language (case and accents ignored)."""
        if id_or_name in self.phenomena:
            return self.phenomena[id_or_name]
        key = fold(id_or_name)
        for phenomenon in self.phenomena.values():
            names = [phenomenon.id, *(phenomenon.label.get(lang) for lang in ("fi", "sv", "en"))]
            if key in {fold(name) for name in names}:
                return phenomenon
        raise NotFoundError("ilmiö", id_or_name, self.phenomena)

    def indicators_for(self, phenomenon_id: str) -> dict[str, list[Indicator]]:
        """Every generic theme (in order) with the phenomenon's indicators, headline ones first."""
        phenomenon = self.phenomenon(phenomenon_id)
        # The catalogue does not change once loaded, and the grouping walks every indicator
        # (12 ms with 5,000 of them): group once per phenomenon, hand out copies.
        grouped = self._grouped.get(phenomenon.id)
        if grouped is None:
            grouped = self._grouped[phenomenon.id] = self._group(phenomenon)
        return {theme_id: list(members) for theme_id, members in grouped.items()}

    def _group(self, phenomenon: Phenomenon) -> dict[str, list[Indicator]]:
        headline = {i: n for n, i in enumerate(phenomenon.headline_indicators)}
        grouped: dict[str, list[Indicator]] = {theme_id: [] for theme_id in self.themes}
        for indicator in self.indicators.values():
            for theme_id in indicator.themes_in(phenomenon.id):
                grouped[theme_id].append(indicator)
        for members in grouped.values():
            members.sort(key=lambda i: (headline.get(i.id, len(headline)), i.id))
        return grouped

    def headline(self, phenomenon_id: str) -> list[Indicator]:
        """The phenomenon's headline indicators, in their given order."""
        phenomenon = self.phenomenon(phenomenon_id)
        return [self.indicators[i] for i in phenomenon.headline_indicators]

    def by_sotkanet_id(self, sotkanet_id: int) -> Indicator | None:
        """The indicator fed by this Sotkanet indicator id, if any."""
        return self._by_sotkanet.get(sotkanet_id)

    def by_rule(self, rule: str) -> Indicator | None:
        """The client-data indicator computed by this rule (e.g. 'support_need:housing'), if any."""
        return self._by_rule.get(rule)
