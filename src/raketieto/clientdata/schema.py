"""The client-data extract format: one long table, one row per event (docs/clientdata.md)."""

from __future__ import annotations

from typing import Final

#: Columns every extract must have, in the documented order.
REQUIRED_COLUMNS: Final = (
    "person_key",
    "birth_year",
    "sex",
    "municipality",
    "event_date",
    "event_type",
    "service_task",
)
#: Columns that must exist but are filled only on some event types.
CONDITIONAL_COLUMNS: Final = (
    "notifier",
    "pending_date",
    "support_needs",
    "service_type",
    "assistance_type",
)
#: Columns that may be left out altogether.
OPTIONAL_COLUMNS: Final = ("synthetic",)
COLUMNS: Final = REQUIRED_COLUMNS + CONDITIONAL_COLUMNS + OPTIONAL_COLUMNS

#: Sex as Statistics Finland codes it.
SEX_CODES: Final = {1: "male", 2: "female"}

#: Event types, with the Finnish name of the client document or entry they come from.
EVENT_TYPES: Final = {
    "contact": "yhteydenotto tai ilmoitus (SHL 35 §)",
    "assessment_start": "palvelutarpeen arvioinnin aloitus",
    "assessment_end": "palvelutarpeen arvioinnin valmistuminen",
    "client_plan": "asiakassuunnitelma",
    "service_decision": "päätös sosiaalipalvelusta",
    "social_assistance_decision": "toimeentulotukipäätös",
    "relationship_end": "asiakkuuden päättyminen",
}

#: Service tasks (palvelutehtävät) of the structured client documents.
SERVICE_TASKS: Final = {
    "older_people": "ikääntyneiden palvelut",
    "families_with_children": "lapsiperheiden palvelut",
    "child_welfare": "lastensuojelu",
    "family_law": "perheoikeudelliset palvelut",
    "substance_abuse": "päihdepalvelut",
    "working_age": "työikäisten palvelut",
    "disability": "vammaispalvelut",
}

#: Who made the contact or the notification (SHL 35 § lists the authorities bound to notify).
NOTIFIERS: Final = {
    "client": "asiakas itse",
    "relative": "omainen tai läheinen",
    "health_care": "terveydenhuolto",
    "education": "varhaiskasvatus, koulu tai oppilaitos",
    "police": "poliisi",
    "rescue_emergency": "pelastustoimi tai hätäkeskus",
    "employment_services": "työllisyyspalvelut",
    "kela": "Kansaneläkelaitos",
    "criminal_sanctions": "Rikosseuraamuslaitos",
    "social_services": "sosiaalihuolto",
    "other_authority": "muu viranomainen",
    "other": "muu",
}

#: Support needs of SHL 11 §, in the order of the section.
SUPPORT_NEEDS: Final = {
    "daily_living": "jokapäiväisestä elämästä suoriutuminen",
    "housing": "asuminen",
    "financial": "taloudellinen tuki",
    "social_inclusion": "sosiaalisen syrjäytymisen ehkäisy ja osallisuus",
    "violence": "väkivalta tai muu kaltoinkohtelu",
    "crisis": "äkillinen kriisitilanne",
    "child_development": "lapsen tasapainoinen kehitys ja hyvinvointi",
    "substance_use": "päihteiden ongelmakäyttö",
    "other_addiction": "muu riippuvuus",
    "mental_health": "mielenterveysongelma",
    "other_psychosocial": "muu sosiaalinen tai psyykkinen syy",
    "functional_capacity": "sairauden, vamman tai ikääntymisen heikentämä toimintakyky",
    "relative_support": "läheisen tuen tarve",
}

#: Social welfare services of a service decision (SHL 14 §), and "other".
SERVICE_TYPES: Final = {
    "social_work": "sosiaalityö",
    "social_guidance": "sosiaaliohjaus",
    "social_rehabilitation": "sosiaalinen kuntoutus",
    "family_work": "perhetyö",
    "home_services": "kotipalvelu",
    "home_care": "kotihoito",
    "supported_housing": "tuettu asuminen",
    "assisted_housing": "yhteisöllinen asuminen",
    "round_the_clock_care": "ympärivuorokautinen palveluasuminen",
    "institutional_care": "laitospalvelu",
    "mobility_support": "liikkumista tukevat palvelut",
    "substance_abuse_work": "päihdetyö",
    "mental_health_work": "mielenterveystyö",
    "family_counselling": "kasvatus- ja perheneuvonta",
    "supervised_meetings": "valvotut tapaamiset",
    "family_care": "perhehoito",
    "child_welfare_support": "lastensuojelun avohuollon tukitoimi",
    "other": "muu palvelu",
}

#: Municipal social assistance (Kela has granted basic social assistance since 2017).
ASSISTANCE_TYPES: Final = {
    "supplementary": "täydentävä toimeentulotuki",
    "preventive": "ehkäisevä toimeentulotuki",
}

#: Which conditional column each event type must fill; every other conditional stays empty.
FILLED_BY_EVENT: Final = {
    "contact": ("notifier",),
    "assessment_start": ("pending_date",),
    "assessment_end": ("pending_date", "support_needs"),
    "client_plan": (),
    "service_decision": ("service_type",),
    "social_assistance_decision": ("assistance_type",),
    "relationship_end": (),
}
#: support_needs may be empty on an assessment that found no need; the others may not.
MAY_BE_EMPTY: Final = frozenset({"support_needs"})
NEEDS_SEPARATOR: Final = ";"

#: Birth years older than this many years before the event are taken as errors.
MAX_AGE: Final = 120
FIRST_YEAR: Final = 2000

#: Column names that say a column holds direct identifiers (folded tokens of the name).
IDENTIFYING_COLUMN_WORDS: Final = frozenset(
    {
        "nimi", "name", "etunimi", "sukunimi", "firstname", "lastname", "surname", "fullname",
        "namn", "fornamn", "efternamn", "osoite", "address", "katuosoite", "lahiosoite", "adress",
        "hetu", "henkilotunnus", "sotu", "ssn", "personbeteckning", "puhelin", "puhelinnumero",
        "phone", "telefon", "email", "mail", "sahkoposti", "epost",
    }
)  # fmt: skip


def need_column(need: str) -> str:
    """The boolean column of the staged table that says an assessment found need."""
    return f"need_{need}"


#: Columns of the staged (validated) table, which is what the indicators read.
STAGED_COLUMNS: Final = (
    "row_no",
    "person_key",
    "birth_year",
    "sex",
    "municipality",
    "event_date",
    "event_type",
    "service_task",
    "notifier",
    "pending_date",
    "service_type",
    "assistance_type",
    *(need_column(n) for n in SUPPORT_NEEDS),
    "synthetic",
)

#: Parquet key-value metadata that marks a file synthetic.
SYNTHETIC_METADATA_KEY: Final = "raketieto.synthetic"
