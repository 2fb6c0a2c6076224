"""Why a cell has no value: one code per true reason, each with its text in fi, sv and en."""

from __future__ import annotations

from raketieto.catalogue.models import Indicator

#: Reason code -> text by language. The codes are distinct so that no page gives the wrong one.
MISSING_REASONS: dict[str, dict[str, str]] = {
    "not_fetched": {
        "fi": "lähteen tietoja tälle alueelle ei ole haettu kuutioon",
        "sv": "källans uppgifter för området har inte hämtats till kuben",
        "en": "the source's data for this area have not been fetched into the cube",
    },
    "rate_only": {
        "fi": "julkaistu vain kunnittain osuutena ilman nimittäjää; ylempää tasoa ei voi laskea",
        "sv": "publiceras endast kommunvis som andel utan nämnare; högre nivåer kan inte beräknas",
        "en": "published only as a municipal rate without a denominator; higher levels cannot be "
        "computed",
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
        "fi": "lähde ei julkaissut arvoa tälle alueelle",
        "sv": "källan publicerade inget värde för området",
        "en": "the source published no value for this area",
    },
}


def missing_reason_code(
    indicator: Indicator, level: str, *, has_any_data: bool, suppressed: bool = False
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
    return "not_for_area"


def missing_reason(
    indicator: Indicator,
    level: str,
    *,
    has_any_data: bool,
    lang: str = "fi",
    suppressed: bool = False,
) -> str:
    """The text of the true reason in lang (fi, sv or en; Finnish otherwise)."""
    code = missing_reason_code(indicator, level, has_any_data=has_any_data, suppressed=suppressed)
    texts = MISSING_REASONS[code]
    return texts.get(lang, texts["fi"])
