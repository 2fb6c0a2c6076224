"""Closed vocabularies of the store, with labels in Finnish, Swedish and English."""

from __future__ import annotations

from enum import StrEnum


class Labelled(StrEnum):
    """A StrEnum whose members have labels in fi, sv and en (see LABELS below)."""

    def label(self, lang: str = "fi") -> str:
        """The member's label in lang, falling back to Finnish."""
        labels = LABELS[self]
        return labels.get(lang) or labels["fi"]


class Role(Labelled):
    """What a user may do; see policy.py."""

    PUBLIC = "public"
    WORKER = "worker"
    COORDINATOR = "coordinator"
    NATIONAL_ADMIN = "national_admin"


class ServiceTask(Labelled):
    """The seven service tasks of social welfare (THL 2016) in which reports arise."""

    OLDER_PEOPLE = "older_people"
    FAMILIES_WITH_CHILDREN = "families_with_children"
    CHILD_WELFARE = "child_welfare"
    FAMILY_LAW = "family_law"
    SUBSTANCE_ABUSE = "substance_abuse"
    WORKING_AGE = "working_age"
    DISABILITY = "disability"


class SupportNeed(Labelled):
    """The support needs of the Social Welfare Act 1301/2014, section 11."""

    ESSENTIAL_CARE = "essential_care"
    HOUSING = "housing"
    FINANCIAL = "financial"
    SOCIAL_EXCLUSION = "social_exclusion"
    VIOLENCE = "violence"
    CRISIS = "crisis"
    CHILD_DEVELOPMENT = "child_development"
    SUBSTANCE_MENTAL_HEALTH = "substance_mental_health"
    FUNCTIONAL_CAPACITY = "functional_capacity"
    RELATIVE_SUPPORT = "relative_support"


class ObservationKind(Labelled):
    """What kind of observation a social report makes."""

    GRIEVANCE = "grievance"
    EMERGING_PHENOMENON = "emerging_phenomenon"
    SERVICE_GAP = "service_gap"
    GOOD_PRACTICE = "good_practice"


class ReportStatus(Labelled):
    """Where a social report is in its review."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes_requested"
    ACCEPTED = "accepted"
    MERGED = "merged"
    ARCHIVED = "archived"


class ReviewDecisionKind(Labelled):
    """A coordinator's decision on a submitted report."""

    ACCEPT = "accept"
    REQUEST_CHANGES = "request_changes"
    MERGE = "merge"
    ARCHIVE = "archive"


class RecipientKind(Labelled):
    """To whom an action proposal is addressed."""

    COUNTY_SECTORS = "county_sectors"
    MUNICIPALITIES = "municipalities"
    TOP_MANAGEMENT = "top_management"
    POLITICAL_DECISION_MAKERS = "political_decision_makers"
    NATIONAL_LEVEL = "national_level"


class ProposalStatus(Labelled):
    """Where an action proposal is: draft -> sent -> answered -> implemented / declined."""

    DRAFT = "draft"
    SENT = "sent"
    ANSWERED = "answered"
    IMPLEMENTED = "implemented"
    DECLINED = "declined"


class NotificationKind(Labelled):
    """Why a reporter was notified."""

    REPORT_ACCEPTED = "report_accepted"
    CHANGES_REQUESTED = "changes_requested"
    REPORT_MERGED = "report_merged"
    REPORT_ARCHIVED = "report_archived"
    PROPOSAL_UPDATED = "proposal_updated"


OTHER_PHENOMENON = "other"

LABELS: dict[StrEnum, dict[str, str]] = {
    Role.PUBLIC: {"fi": "julkinen", "sv": "allmänheten", "en": "public"},
    Role.WORKER: {"fi": "työntekijä", "sv": "arbetstagare", "en": "worker"},
    Role.COORDINATOR: {"fi": "koordinaattori", "sv": "koordinator", "en": "coordinator"},
    Role.NATIONAL_ADMIN: {
        "fi": "valtakunnallinen ylläpitäjä",
        "sv": "nationell administratör",
        "en": "national administrator",
    },
    ServiceTask.OLDER_PEOPLE: {
        "fi": "iäkkäiden palvelut",
        "sv": "tjänster för äldre",
        "en": "services for older people",
    },
    ServiceTask.FAMILIES_WITH_CHILDREN: {
        "fi": "lapsiperheiden palvelut",
        "sv": "tjänster för barnfamiljer",
        "en": "services for families with children",
    },
    ServiceTask.CHILD_WELFARE: {"fi": "lastensuojelu", "sv": "barnskydd", "en": "child welfare"},
    ServiceTask.FAMILY_LAW: {
        "fi": "perheoikeudelliset palvelut",
        "sv": "familjerättsliga tjänster",
        "en": "family law services",
    },
    ServiceTask.SUBSTANCE_ABUSE: {
        "fi": "päihdepalvelut",
        "sv": "missbrukarvård",
        "en": "substance abuse services",
    },
    ServiceTask.WORKING_AGE: {
        "fi": "työikäisten palvelut",
        "sv": "tjänster för personer i arbetsför ålder",
        "en": "services for working-age people",
    },
    ServiceTask.DISABILITY: {
        "fi": "vammaispalvelut",
        "sv": "funktionshinderservice",
        "en": "disability services",
    },
    SupportNeed.ESSENTIAL_CARE: {
        "fi": "välttämätön huolenpito ja toimeentulo",
        "sv": "nödvändig omsorg och försörjning",
        "en": "essential care and livelihood",
    },
    SupportNeed.HOUSING: {
        "fi": "asumiseen liittyvä tuen tarve",
        "sv": "stödbehov i anslutning till boende",
        "en": "housing-related support",
    },
    SupportNeed.FINANCIAL: {
        "fi": "taloudellinen tuen tarve",
        "sv": "ekonomiskt stödbehov",
        "en": "financial support",
    },
    SupportNeed.SOCIAL_EXCLUSION: {
        "fi": "sosiaalisen syrjäytymisen ehkäisy ja osallisuuden edistäminen",
        "sv": "förebyggande av social utslagning och främjande av delaktighet",
        "en": "preventing social exclusion and promoting inclusion",
    },
    SupportNeed.VIOLENCE: {
        "fi": "lähisuhde- ja perheväkivaltaan ja kaltoinkohteluun liittyvä tuen tarve",
        "sv": "stödbehov vid våld i nära relationer och familjen samt annan misshandel",
        "en": "support related to domestic violence and other abuse",
    },
    SupportNeed.CRISIS: {
        "fi": "äkillisiin kriisitilanteisiin liittyvä tuen tarve",
        "sv": "stödbehov vid akuta krissituationer",
        "en": "support in sudden crises",
    },
    SupportNeed.CHILD_DEVELOPMENT: {
        "fi": "lapsen tasapainoisen kehityksen ja hyvinvoinnin tukeminen",
        "sv": "stöd för barns balanserade utveckling och välbefinnande",
        "en": "supporting a child's balanced development and wellbeing",
    },
    SupportNeed.SUBSTANCE_MENTAL_HEALTH: {
        "fi": "päihteiden ongelmakäyttöön, mielenterveyteen tai muuhun syyhyn liittyvä tuen tarve",
        "sv": "stödbehov till följd av missbruk, psykisk ohälsa eller annan orsak",
        "en": "support due to substance misuse, mental health or other reasons",
    },
    SupportNeed.FUNCTIONAL_CAPACITY: {
        "fi": "toimintakykyyn, ikääntymiseen ja vammaisuuteen liittyvä tuen tarve",
        "sv": "stödbehov i anslutning till funktionsförmåga, åldrande och funktionsnedsättning",
        "en": "support related to functional capacity, ageing and disability",
    },
    SupportNeed.RELATIVE_SUPPORT: {
        "fi": "läheisen tuen tarve",
        "sv": "behov av stöd för en närstående",
        "en": "support needed because of a relative's situation",
    },
    ObservationKind.GRIEVANCE: {"fi": "epäkohta", "sv": "missförhållande", "en": "grievance"},
    ObservationKind.EMERGING_PHENOMENON: {
        "fi": "uusi ilmiö",
        "sv": "nytt fenomen",
        "en": "emerging phenomenon",
    },
    ObservationKind.SERVICE_GAP: {
        "fi": "palvelupuute",
        "sv": "brist i servicen",
        "en": "service gap",
    },
    ObservationKind.GOOD_PRACTICE: {
        "fi": "hyvä käytäntö",
        "sv": "god praxis",
        "en": "good practice",
    },
    ReportStatus.DRAFT: {"fi": "luonnos", "sv": "utkast", "en": "draft"},
    ReportStatus.SUBMITTED: {"fi": "lähetetty", "sv": "inskickad", "en": "submitted"},
    ReportStatus.CHANGES_REQUESTED: {
        "fi": "täydennettävä",
        "sv": "komplettering begärd",
        "en": "changes requested",
    },
    ReportStatus.ACCEPTED: {"fi": "hyväksytty", "sv": "godkänd", "en": "accepted"},
    ReportStatus.MERGED: {"fi": "yhdistetty", "sv": "sammanslagen", "en": "merged"},
    ReportStatus.ARCHIVED: {"fi": "arkistoitu", "sv": "arkiverad", "en": "archived"},
    ReviewDecisionKind.ACCEPT: {"fi": "hyväksy", "sv": "godkänn", "en": "accept"},
    ReviewDecisionKind.REQUEST_CHANGES: {
        "fi": "pyydä täydennystä",
        "sv": "begär komplettering",
        "en": "request changes",
    },
    ReviewDecisionKind.MERGE: {"fi": "yhdistä", "sv": "slå samman", "en": "merge"},
    ReviewDecisionKind.ARCHIVE: {"fi": "arkistoi", "sv": "arkivera", "en": "archive"},
    RecipientKind.COUNTY_SECTORS: {
        "fi": "hyvinvointialueen muut toimialat",
        "sv": "välfärdsområdets andra sektorer",
        "en": "other sectors of the county",
    },
    RecipientKind.MUNICIPALITIES: {
        "fi": "alueen kunnat",
        "sv": "områdets kommuner",
        "en": "the county's municipalities",
    },
    RecipientKind.TOP_MANAGEMENT: {
        "fi": "ylin johto",
        "sv": "högsta ledningen",
        "en": "top management",
    },
    RecipientKind.POLITICAL_DECISION_MAKERS: {
        "fi": "poliittiset päättäjät",
        "sv": "politiska beslutsfattare",
        "en": "political decision-makers",
    },
    RecipientKind.NATIONAL_LEVEL: {
        "fi": "valtakunnallinen taso (THL, ministeriö)",
        "sv": "nationell nivå (THL, ministeriet)",
        "en": "national level (THL, ministry)",
    },
    ProposalStatus.DRAFT: {"fi": "luonnos", "sv": "utkast", "en": "draft"},
    ProposalStatus.SENT: {"fi": "lähetetty", "sv": "skickad", "en": "sent"},
    ProposalStatus.ANSWERED: {"fi": "vastattu", "sv": "besvarad", "en": "answered"},
    ProposalStatus.IMPLEMENTED: {"fi": "toteutettu", "sv": "genomförd", "en": "implemented"},
    ProposalStatus.DECLINED: {"fi": "hylätty", "sv": "avslagen", "en": "declined"},
    NotificationKind.REPORT_ACCEPTED: {
        "fi": "raportti hyväksytty",
        "sv": "rapporten godkänd",
        "en": "report accepted",
    },
    NotificationKind.CHANGES_REQUESTED: {
        "fi": "raporttiin pyydetään täydennystä",
        "sv": "komplettering av rapporten begärd",
        "en": "changes requested to the report",
    },
    NotificationKind.REPORT_MERGED: {
        "fi": "raportti yhdistetty toiseen",
        "sv": "rapporten sammanslagen med en annan",
        "en": "report merged into another",
    },
    NotificationKind.REPORT_ARCHIVED: {
        "fi": "raportti arkistoitu",
        "sv": "rapporten arkiverad",
        "en": "report archived",
    },
    NotificationKind.PROPOSAL_UPDATED: {
        "fi": "toimenpide-ehdotuksen tilanne muuttui",
        "sv": "åtgärdsförslagets status ändrades",
        "en": "action proposal status changed",
    },
}
