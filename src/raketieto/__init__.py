"""raketieto: information production and reporting for structural social work in Finland."""

__version__ = "0.1.0"

ATTRIBUTION = "Lähde: THL / Tilastokeskus, CC BY 4.0 (Source: THL / Statistics Finland)"
