"""Headers and words of the export files in Finnish, Swedish and English."""

from __future__ import annotations

Texts = dict[str, dict[str, str]]

#: Column headers of the tidy data sheet (keys are raketieto.reports.tidy.COLUMNS).
COLUMN_HEADERS: Texts = {
    "area_code": {"fi": "Aluekoodi", "sv": "Områdeskod", "en": "Area code"},
    "area_name": {"fi": "Alue", "sv": "Område", "en": "Area"},
    "level": {"fi": "Aluetaso", "sv": "Områdesnivå", "en": "Level"},
    "indicator_id": {"fi": "Indikaattorin tunniste", "sv": "Indikatorns id", "en": "Indicator id"},
    "indicator_label": {"fi": "Indikaattori", "sv": "Indikator", "en": "Indicator"},
    "unit": {"fi": "Yksikkö", "sv": "Enhet", "en": "Unit"},
    "year": {"fi": "Vuosi", "sv": "År", "en": "Year"},
    "sex": {"fi": "Sukupuoli", "sv": "Kön", "en": "Sex"},
    "age_group": {"fi": "Ikäryhmä", "sv": "Åldersgrupp", "en": "Age group"},
    "value": {"fi": "Arvo", "sv": "Värde", "en": "Value"},
    "ci_lower": {
        "fi": "Luottamusväli 95 %, alaraja",
        "sv": "Konfidensintervall 95 %, nedre gräns",
        "en": "95% confidence interval, lower",
    },
    "ci_upper": {
        "fi": "Luottamusväli 95 %, yläraja",
        "sv": "Konfidensintervall 95 %, övre gräns",
        "en": "95% confidence interval, upper",
    },
    "numerator": {"fi": "Osoittaja", "sv": "Täljare", "en": "Numerator"},
    "denominator": {"fi": "Nimittäjä", "sv": "Nämnare", "en": "Denominator"},
    "suppressed": {"fi": "Salattu", "sv": "Skyddad", "en": "Suppressed"},
    "suppression_reason": {
        "fi": "Salauksen syy",
        "sv": "Orsak till skydd",
        "en": "Reason for suppression",
    },
    "comparison": {
        "fi": "Vertailu koko maahan",
        "sv": "Jämförelse med hela landet",
        "en": "Compared with the whole country",
    },
    "source": {"fi": "Lähde", "sv": "Källa", "en": "Source"},
    "source_version": {"fi": "Lähteen versio", "sv": "Källans version", "en": "Source version"},
    "retrieved_at": {
        "fi": "Haettu (UTC)",
        "sv": "Hämtad (UTC)",
        "en": "Retrieved (UTC)",
    },
    "synthetic": {"fi": "Synteettinen", "sv": "Syntetisk", "en": "Synthetic"},
    "note": {"fi": "Huomautus", "sv": "Anmärkning", "en": "Note"},
}

DEFINITION_HEADERS: Texts = {
    "indicator_id": COLUMN_HEADERS["indicator_id"],
    "label": COLUMN_HEADERS["indicator_label"],
    "definition": {"fi": "Määritelmä", "sv": "Definition", "en": "Definition"},
    "numerator": COLUMN_HEADERS["numerator"],
    "denominator": COLUMN_HEADERS["denominator"],
    "unit": COLUMN_HEADERS["unit"],
    "unit_symbol": {"fi": "Yksikön merkki", "sv": "Enhetens tecken", "en": "Unit symbol"},
    "decimals": {"fi": "Desimaaleja", "sv": "Decimaler", "en": "Decimals"},
    "polarity": {"fi": "Suunta", "sv": "Riktning", "en": "Polarity"},
    "organisation": {"fi": "Tuottaja", "sv": "Producent", "en": "Producer"},
    "licence": {"fi": "Lisenssi", "sv": "Licens", "en": "Licence"},
    "attribution": {"fi": "Lähdeviite", "sv": "Källhänvisning", "en": "Attribution"},
    "url": {"fi": "Verkko-osoite", "sv": "Webbadress", "en": "URL"},
    "source_versions": {
        "fi": "Lähteen versiot",
        "sv": "Källans versioner",
        "en": "Source versions",
    },
    "updated": {"fi": "Päivitetty (UTC)", "sv": "Uppdaterad (UTC)", "en": "Updated (UTC)"},
    "caveats": {"fi": "Varaumat", "sv": "Förbehåll", "en": "Caveats"},
}

REGION_HEADERS: Texts = {
    "code": COLUMN_HEADERS["area_code"],
    "level": COLUMN_HEADERS["level"],
    "name": {"fi": "Nimi", "sv": "Namn", "en": "Name"},
    "name_fi": {"fi": "Nimi suomeksi", "sv": "Namn på finska", "en": "Name in Finnish"},
    "name_sv": {"fi": "Nimi ruotsiksi", "sv": "Namn på svenska", "en": "Name in Swedish"},
    "name_en": {"fi": "Nimi englanniksi", "sv": "Namn på engelska", "en": "Name in English"},
    "parent_code": {"fi": "Yläalueen koodi", "sv": "Överordnat område", "en": "Parent code"},
}

SHEETS: Texts = {
    "cover": {"fi": "Tietoja", "sv": "Om filen", "en": "About"},
    "data": {"fi": "Tiedot", "sv": "Data", "en": "Data"},
    "definitions": {"fi": "Määritelmät", "sv": "Definitioner", "en": "Definitions"},
    "regions": {"fi": "Alueet", "sv": "Områden", "en": "Regions"},
}

#: The attribution every file carries (CC BY 4.0 requires it).
ATTRIBUTIONS: dict[str, str] = {
    "fi": "Lähde: THL / Tilastokeskus, CC BY 4.0",
    "sv": "Källa: THL / Statistikcentralen, CC BY 4.0",
    "en": "Source: THL / Statistics Finland, CC BY 4.0",
}

COVER: Texts = {
    "extracted": {"fi": "Poimittu (UTC)", "sv": "Uttaget (UTC)", "en": "Extracted (UTC)"},
    "built": {"fi": "Kuutio rakennettu", "sv": "Kuben byggd", "en": "Cube built"},
    "division": {"fi": "Aluejako", "sv": "Områdesindelning", "en": "Regional division"},
    "rows": {"fi": "Rivejä", "sv": "Rader", "en": "Rows"},
    "service": {
        "fi": "raketieto – rakenteellisen sosiaalityön tietopohja",
        "sv": "raketieto – kunskapsunderlag för strukturellt socialt arbete",
        "en": "raketieto – knowledge base for structural social work",
    },
    "suppression": {
        "fi": "Salattuja soluja (pienet lukumäärät) ei näytetä, eikä niitä voi laskea "
        "summista; salattu solu ei ole nolla.",
        "sv": "Skyddade celler (små antal) visas inte och kan inte räknas fram ur "
        "summor; en skyddad cell är inte noll.",
        "en": "Suppressed cells (small counts) are not shown and cannot be recovered from "
        "totals; a suppressed cell is not zero.",
    },
    "synthetic": {
        "fi": "HUOM: osa luvuista on synteettisiä esittelytietoja, ei todellisia tilastoja.",
        "sv": "OBS: en del av talen är syntetiska demonstrationsdata, inte verklig statistik.",
        "en": "NOTE: some numbers are synthetic demonstration data, not real statistics.",
    },
    "split": {
        "fi": "Tiedot on jaettu {count} välilehdelle ({sheets}), koska Excelin välilehdelle "
        "mahtuu {rows} riviä otsikkorivin lisäksi.",
        "sv": "Data är uppdelade på {count} flikar ({sheets}), eftersom en flik i Excel "
        "rymmer {rows} rader utöver rubrikraden.",
        "en": "The data are split over {count} sheets ({sheets}), as an Excel sheet holds "
        "{rows} rows below its header.",
    },
    "sheets": {
        "fi": "Välilehdet: Tiedot (yksi rivi per alue × indikaattori × vuosi × sukupuoli × "
        "ikäryhmä), Määritelmät, Alueet.",
        "sv": "Flikar: Data (en rad per område × indikator × år × kön × åldersgrupp), "
        "Definitioner, Områden.",
        "en": "Sheets: Data (one row per area × indicator × year × sex × age group), "
        "Definitions, Regions.",
    },
}

#: Words for coded values in files meant for people (Excel and the Finnish CSV).
VALUE_LABELS: dict[str, Texts] = {
    "sex": {
        "total": {"fi": "yhteensä", "sv": "totalt", "en": "total"},
        "male": {"fi": "miehet", "sv": "män", "en": "men"},
        "female": {"fi": "naiset", "sv": "kvinnor", "en": "women"},
    },
    "age_group": {"total": {"fi": "kaikki", "sv": "alla", "en": "all"}},
    "level": {
        "country": {"fi": "koko maa", "sv": "hela landet", "en": "whole country"},
        "yta": {"fi": "yhteistyöalue", "sv": "samarbetsområde", "en": "collaborative area"},
        "hva": {"fi": "hyvinvointialue", "sv": "välfärdsområde", "en": "wellbeing services county"},
        "municipality": {"fi": "kunta", "sv": "kommun", "en": "municipality"},
    },
    "comparison": {
        "better": {"fi": "parempi", "sv": "bättre", "en": "better"},
        "similar": {"fi": "samaa tasoa", "sv": "likartad", "en": "similar"},
        "worse": {"fi": "heikompi", "sv": "sämre", "en": "worse"},
        "higher": {"fi": "korkeampi", "sv": "högre", "en": "higher"},
        "lower": {"fi": "matalampi", "sv": "lägre", "en": "lower"},
        "not_compared": {"fi": "ei vertailua", "sv": "ingen jämförelse", "en": "not compared"},
    },
}

YES_NO: dict[bool, dict[str, str]] = {
    True: {"fi": "kyllä", "sv": "ja", "en": "yes"},
    False: {"fi": "ei", "sv": "nej", "en": "no"},
}


def text(texts: Texts, key: str, lang: str) -> str:
    """The text of key in lang, falling back to Finnish."""
    entry = texts[key]
    return entry.get(lang) or entry["fi"]


def value_label(column: str, value: str, lang: str) -> str:
    """The word for a coded value in lang; an unknown code is shown as it is."""
    entry = VALUE_LABELS.get(column, {}).get(value)
    return value if entry is None else entry.get(lang) or entry["fi"]
