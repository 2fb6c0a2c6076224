"""The API's rendered documentation: one plain HTML page built from the OpenAPI document.

Rendered on the server so that it works without JavaScript and without loading anything from
a content delivery network.
"""

from __future__ import annotations

from html import escape
from typing import Any


def _type(schema: dict[str, Any]) -> str:
    if "anyOf" in schema:
        return " | ".join(_type(s) for s in schema["anyOf"])
    if "enum" in schema:
        return " | ".join(str(v) for v in schema["enum"])
    if schema.get("type") == "array":
        return f"{_type(schema.get('items', {}))}[]"
    text = str(schema.get("type", "object"))
    if "pattern" in schema:
        text += f" ({schema['pattern']})"
    if "minimum" in schema or "maximum" in schema:
        text += f" {schema.get('minimum', '')}–{schema.get('maximum', '')}"
    return text


def docs_html(document: dict[str, Any]) -> str:
    """The HTML page documenting every operation of document."""
    info = document.get("info", {})
    parts = [
        "<!doctype html>",
        '<html lang="fi"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(info.get('title', 'API'))}</title>",
        "<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:auto;padding:1rem;"
        "line-height:1.5}table{border-collapse:collapse}th,td{border:1px solid #888;"
        "padding:.25rem .5rem;text-align:left;vertical-align:top}code{background:#eee}</style>",
        "</head><body><main>",
        f"<h1>{escape(info.get('title', 'API'))} {escape(info.get('version', ''))}</h1>",
        f"<p>{escape(info.get('description', ''))}</p>",
        '<p>OpenAPI: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a></p>',
        "<h2>Osoitteet</h2><ul>",
    ]
    operations = [
        (path, method, op)
        for path, methods in document.get("paths", {}).items()
        for method, op in methods.items()
    ]
    for path, method, op in operations:
        anchor = op.get("operationId", path)
        parts.append(
            f'<li><a href="#{escape(anchor)}"><code>{method.upper()} {escape(path)}</code></a> '
            f"– {escape(op.get('summary', ''))}</li>"
        )
    parts.append("</ul>")
    for path, method, op in operations:
        anchor = op.get("operationId", path)
        parts.append(f'<section id="{escape(anchor)}">')
        parts.append(f"<h2><code>{method.upper()} {escape(path)}</code></h2>")
        parts.append(f"<p>{escape(op.get('summary', ''))}</p>")
        if op.get("description"):
            parts.append(f"<p>{escape(op['description'])}</p>")
        parameters = op.get("parameters", [])
        if parameters:
            parts.append(
                "<table><caption>Parametrit</caption><thead><tr><th scope='col'>nimi</th>"
                "<th scope='col'>missä</th><th scope='col'>tyyppi</th>"
                "<th scope='col'>oletus</th><th scope='col'>kuvaus</th></tr></thead><tbody>"
            )
            for parameter in parameters:
                schema = parameter.get("schema", {})
                parts.append(
                    "<tr>"
                    f"<td><code>{escape(parameter['name'])}</code>"
                    f"{' (pakollinen)' if parameter.get('required') else ''}</td>"
                    f"<td>{escape(parameter.get('in', ''))}</td>"
                    f"<td>{escape(_type(schema))}</td>"
                    f"<td>{escape(str(schema.get('default', '')))}</td>"
                    f"<td>{escape(parameter.get('description', ''))}</td>"
                    "</tr>"
                )
            parts.append("</tbody></table>")
        responses = op.get("responses", {})
        parts.append("<p>Vastaukset: ")
        parts.append(
            ", ".join(
                f"<strong>{escape(code)}</strong> {escape(r.get('description', ''))}"
                for code, r in responses.items()
            )
        )
        parts.append("</p></section>")
    parts.append("</main></body></html>")
    return "\n".join(parts)
