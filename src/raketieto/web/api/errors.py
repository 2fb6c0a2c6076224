"""The one JSON error shape of the API: {"error": {code, message, parameter, value, expected}}."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException
from starlette.requests import Request

from raketieto.cube.store import CubeMissingError
from raketieto.errors import (
    InvalidValueError,
    NotFoundError,
    RaketietoError,
    YearNotAvailableError,
)
from raketieto.regions import OutsideSystemError


class ErrorDetail(BaseModel):
    """What went wrong, which parameter and value caused it, and what was expected."""

    code: str = Field(
        description="not_found, invalid_parameter, validation_error, rate_limited, "
        "no_data or unavailable",
        examples=["not_found"],
    )
    message: str = Field(description="One sentence for a person, in Finnish.")
    parameter: str | None = Field(default=None, description="The parameter at fault.")
    value: str | None = Field(default=None, description="The value given.")
    expected: str | None = Field(default=None, description="What the parameter accepts.")


class ErrorBody(BaseModel):
    """Every error response of the API has this shape."""

    error: ErrorDetail


#: What each parameter accepts, named in errors.
EXPECTED: dict[str, str] = {
    "area": "alueen koodi: SSS, YTA1–YTA5, HVA01–HVA21, HVA90 tai KU + kolme numeroa",
    "code": "alueen koodi: SSS, YTA1–YTA5, HVA01–HVA21, HVA90 tai KU + kolme numeroa",
    "county": "hyvinvointialueen koodi: HVA01–HVA21 tai HVA90",
    "parent": "alueen koodi, jonka alta alueet haetaan",
    "level": "country, yta, hva tai municipality",
    "indicator": "indikaattorin tunniste (GET /api/v1/indicators)",
    "indicator_id": "indikaattorin tunniste (GET /api/v1/indicators)",
    "phenomenon": "ilmiön tunniste (GET /api/v1/phenomena)",
    "phenomenon_id": "ilmiön tunniste (GET /api/v1/phenomena)",
    "year": "vuosi, jolta kuutiossa on tietoja",
    "year_from": "vuosi 1900–2100, enintään year_to",
    "year_to": "vuosi 1900–2100, vähintään year_from",
    "sex": "total, male, female tai all",
    "age_group": "total, all tai ikäryhmä kuten 15-64 tai 65+",
    "limit": "kokonaisluku 1–10000",
    "offset": "kokonaisluku 0 tai suurempi",
    "lang": "fi, sv tai en",
    "format": "xlsx, csv, csv-fi, json tai jsonstat",
    "latest": "true tai false",
}

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "A parameter has a value that cannot be used."},
    404: {"model": ErrorBody, "description": "An area, indicator, phenomenon or year not found."},
    422: {"model": ErrorBody, "description": "A parameter has the wrong type or form."},
    429: {
        "model": ErrorBody,
        "description": "Too many requests from this client; wait Retry-After seconds.",
        "headers": {
            "Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}
        },
    },
    503: {"model": ErrorBody, "description": "The indicator cube is not available yet."},
}


def error_response(
    status: int,
    code: str,
    message: str,
    *,
    parameter: str | None = None,
    value: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """A JSON error response in the API's shape."""
    detail = ErrorDetail(
        code=code,
        message=message,
        parameter=parameter,
        value=value,
        expected=EXPECTED.get(parameter) if parameter else None,
    )
    return JSONResponse(
        ErrorBody(error=detail).model_dump(), status_code=status, headers=dict(headers or {})
    )


def _find_parameter(request: Request, value: str) -> str | None:
    """The path or query parameter that carried value (errors name what they reject)."""
    for name, given in request.path_params.items():
        if str(given) == value:
            return str(name)
    for name, given in request.query_params.multi_items():
        if given == value or value in given.split(","):
            return name
    return None


def from_exception(request: Request, error: Exception) -> JSONResponse | None:
    """The error response for an exception a route raised, or None when it is not ours."""
    if isinstance(error, RequestValidationError):
        first = error.errors()[0] if error.errors() else {}
        location = [str(part) for part in first.get("loc", ())]
        parameter = location[-1] if len(location) > 1 else None
        given = first.get("input")
        value = None if given is None or isinstance(given, dict) else str(given)
        message = f"Virheellinen parametri {parameter}: {first.get('msg', 'virheellinen arvo')}."
        return error_response(422, "validation_error", message, parameter=parameter, value=value)
    if isinstance(error, CubeMissingError):
        return error_response(503, "unavailable", error.full_message())
    if isinstance(error, NotFoundError):
        parameter = _find_parameter(request, error.value)
        return error_response(
            404, "not_found", error.full_message(), parameter=parameter, value=error.value
        )
    if isinstance(error, YearNotAvailableError):
        parameter = _find_parameter(request, str(error.year))
        return error_response(
            404, "no_data", error.full_message(), parameter=parameter, value=str(error.year)
        )
    if isinstance(error, OutsideSystemError):
        return error_response(404, "not_found", error.full_message())
    if isinstance(error, InvalidValueError):
        return error_response(
            400,
            "invalid_parameter",
            error.full_message(),
            parameter=error.parameter,
            value=error.value,
        )
    if isinstance(error, RaketietoError):
        return error_response(400, "invalid_parameter", error.full_message())
    if isinstance(error, HTTPException):
        code = "not_found" if error.status_code == 404 else "http_error"
        return error_response(error.status_code, code, str(error.detail))
    return None
