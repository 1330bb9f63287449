"""OpenAPI 3 schema, Swagger UI and Redoc (from local static files), and the API root."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.contrib.staticfiles import finders
from drf_spectacular.validation import validate_schema

from api.views import EXAMPLE_REQUEST, EXAMPLE_RESPONSE

ROOT = Path(__file__).resolve().parents[2]
EXTERNAL = re.compile(r"""(?:src|href)=["']?(?:https?:)?//""", re.IGNORECASE)


@pytest.fixture
def schema(client):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)  # drf-spectacular's bundled OpenAPI 3 JSON Schema


def test_schema_as_json(client):
    response = client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    assert json.loads(response.content)["openapi"].startswith("3.")


def test_schema_holds_only_the_public_api(schema):
    assert "/api/v1/score-preview/" in schema["paths"]
    assert "/api/v1/" in schema["paths"]
    assert all(path.startswith("/api/") for path in schema["paths"])
    assert not any("admin" in path for path in schema["paths"])


def test_score_preview_operation(schema):
    operation = schema["paths"]["/api/v1/score-preview/"]["post"]
    assert operation["operationId"] == "score_preview"
    assert "Nghị định 335/2025/NĐ-CP" in operation["description"]
    assert {"200", "400", "429"} <= set(operation["responses"])
    body = operation["requestBody"]["content"]["application/json"]
    assert body["schema"] == {"$ref": "#/components/schemas/ScorePreviewRequest"}
    assert list(operation["requestBody"]["content"]) == ["application/json"]
    examples = body["examples"]
    assert [example["value"] for example in examples.values()] == [EXAMPLE_REQUEST]
    ok = operation["responses"]["200"]["content"]["application/json"]
    assert [example["value"] for example in ok["examples"].values()] == [EXAMPLE_RESPONSE]
    error = operation["responses"]["400"]["content"]["application/json"]["schema"]
    assert error == {"$ref": "#/components/schemas/Error"}


def test_request_shape_is_documented_exactly(schema):
    components = schema["components"]["schemas"]
    request = components["ScorePreviewRequest"]
    assert set(request["required"]) == {"role", "general", "lines"}
    props = request["properties"]
    assert (props["general"]["minimum"], props["general"]["maximum"]) == (0, 30)
    assert props["general"]["type"] == "number"
    assert props["lines"]["maxItems"] == 5000
    assert props["leader"]["nullable"] is True
    assert components["RoleEnum"]["enum"] == ["staff", "head", "deputy"]
    line = components["Line"]
    assert set(line["required"]) == {"coefficient", "assigned", "completed"}
    for name in ("failed_reviews", "delays", "exempt_reviews", "exempt_delays"):
        assert line["properties"][name]["type"] == "integer"
        assert line["properties"][name]["minimum"] == 0
        assert line["properties"][name]["default"] == 0
    assert line["properties"]["coefficient"]["minimum"] == 0.0001
    assert components["LeaderLevelEnum"]["enum"] == [100, 50]
    assert set(components["Leader"]["required"]) == {"unit_results", "organising", "cohesion"}
    # Vietnamese descriptions on the fields
    assert "tiêu chí chung" in props["general"]["description"]
    assert "miễn trừ" in line["properties"]["exempt_reviews"]["description"]


def test_response_shape_is_documented(schema):
    components = schema["components"]["schemas"]
    response = components["ScorePreviewResponse"]
    for name in ("quantity", "quality", "timeliness", "task_points", "total"):
        assert response["properties"][name]["type"] == "string"
        assert response["properties"][name]["pattern"] == r"^\d+\.\d{2}$"
        assert response["properties"][name]["nullable"] is True
    assert components["RatingEnum"]["enum"] == ["excellent", "good", "completed", "not_completed"]
    assert set(components["Error"]["properties"]) == {"error"}
    assert {"code", "message", "fields"} <= set(components["ErrorDetail"]["required"])


def test_example_response_matches_the_documented_pattern(schema):
    pattern = re.compile(
        schema["components"]["schemas"]["ScorePreviewResponse"]["properties"]["total"]["pattern"]
    )
    assert pattern.match(EXAMPLE_RESPONSE["total"])


def test_spectacular_command_validates_without_warnings(tmp_path):
    out = tmp_path / "schema.yml"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.test"}
    result = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "manage.py",
            "spectacular",
            "--validate",
            "--fail-on-warn",
            "--file",
            str(out),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "/api/v1/score-preview/" in yaml.safe_load(out.read_text())["paths"]


@pytest.mark.parametrize(
    ("url", "asset"),
    [
        ("/api/v1/docs/", "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"),
        ("/api/v1/redoc/", "drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js"),
    ],
)
def test_documentation_pages_use_local_static_files(client, url, asset):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"/static/{asset}" in html
    assert "/api/v1/schema/" in html
    assert not EXTERNAL.search(html), EXTERNAL.search(html)
    for cdn in ("cdn.jsdelivr.net", "unpkg.com", "fonts.googleapis.com", "cdnjs"):
        assert cdn not in html
    assert finders.find(asset), f"{asset} is not among the static files"


def test_api_root_lists_the_endpoints(client):
    response = client.get("/api/v1/")
    assert response.status_code == 200
    body = response.json()
    assert body["version"] == "v1"
    urls = {endpoint["name"]: endpoint["url"] for endpoint in body["endpoints"]}
    assert urls == {
        "score-preview": "http://testserver/api/v1/score-preview/",
        "schema": "http://testserver/api/v1/schema/",
        "docs": "http://testserver/api/v1/docs/",
        "redoc": "http://testserver/api/v1/redoc/",
    }
    methods = {endpoint["name"]: endpoint["methods"] for endpoint in body["endpoints"]}
    assert methods["score-preview"] == ["POST"]
    assert all(endpoint["description"] for endpoint in body["endpoints"])


def test_api_index_redirects_to_v1(client):
    response = client.get("/api/")
    assert response.status_code == 302
    assert response["Location"] == "/api/v1/"
