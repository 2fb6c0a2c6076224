"""Why a cell has no value: one code per true reason, each with its text in fi, sv and en."""

from __future__ import annotations

import functools

from raketieto.catalogue.models import Indicator
from raketieto.regions.remap import TABLE_START_YEAR, code_map

#: Source kinds whose figures reach the cube only as loaded files (ARA's municipal survey is not
#: loaded; only the figures quoted on public pages are), so an absent area was not fetched.
_LOADED_PIECEMEAL = frozenset({"ara"})

#: Reason code -> text by language. The codes are distinct so that no page gives the wrong one.
MISSING_REASONS: dict[str, dict[str, str]] = {
    "not_fetched": {
        "fi": "lähteen tietoja tälle alueelle ei ole haettu kuutioon",
        "sv": "källans uppgifter för området har inte hämtats till kuben",
        "en": "the source's data for this area have not been fetched into the cube",
    },
    "rate_only": {
        "fi": "julkaistu vain kunnan osuutena ilman nimittäjää; yhdistetyn kunnan tai ylemmän "
        "tason arvoa ei voi laskea",
        "sv": "publiceras endast som kommunens andel utan nämnare; värdet för en sammanslagen "
        "kommun eller en högre nivå kan inte beräknas",
        "en": "published only as a municipal rate without a denominator; a merged municipality "
        "or a higher level cannot be computed",
    },
    "suppressed": {
        "fi": "salattu tietosuojan vuoksi (pieni solu)",
        "sv": "skyddad av dataskyddsskäl (liten cell)",
        "en": "suppressed for confidentiality (small cell)",
    },
    "outside_levels": {
        "fi": "lähde ei julkaise tätä aluetasoa",
        "sv": "källan publicerar inte denna områdesnivå",
        "en": "the source does not publish this level of area",
    },
    "not_for_area": {
        "fi": "lähteen aineistossa ei ole arvoa tälle alueelle",
        "sv": "källans material har inget värde för området",
        "en": "the source's data have no value for this area",
    },
}


@functools.lru_cache(maxsize=1)
def _merged_municipalities() -> frozenset[str]:
    """KU codes of municipalities that absorbed or were absorbed by another since 2013."""
    mapping = code_map(TABLE_START_YEAR, 2100)
    return frozenset("KU" + code for pair in mapping.items() for code in pair)


def missing_reason_code(
    indicator: Indicator,
    level: str,
    *,
    has_any_data: bool,
    suppressed: bool = False,
    region_code: str | None = None,
) -> str:
    """The code of the true reason why indicator has no value on level for one area."""
    if suppressed:
        return "suppressed"
    if level not in {lv.value for lv in indicator.levels}:
        return "outside_levels"
    if not has_any_data:
        return "not_fetched"
    if level != "municipality":
        # Above municipalities a summable indicator lacks a value only because some of its
        # municipal counts were not fetched; a rate without counts cannot be summed at all.
        return "not_fetched" if indicator.aggregable else "rate_only"
    if indicator.source.kind in _LOADED_PIECEMEAL:
        return "not_fetched"
    if not indicator.aggregable and region_code in _merged_municipalities():
        # A merged municipality's rate cannot be formed from its parts' rates without counts.
        return "rate_only"
    return "not_for_area"


def missing_reason(
    indicator: Indicator,
    level: str,
    *,
    has_any_data: bool,
    lang: str = "fi",
    suppressed: bool = False,
    region_code: str | None = None,
) -> str:
    """The text of the true reason in lang (fi, sv or en; Finnish otherwise)."""
    code = missing_reason_code(
        indicator,
        level,
        has_any_data=has_any_data,
        suppressed=suppressed,
        region_code=region_code,
    )
    texts = MISSING_REASONS[code]
    return texts.get(lang, texts["fi"])
