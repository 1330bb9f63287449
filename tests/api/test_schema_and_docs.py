"""OpenAPI 3 schema, Swagger UI and Redoc (from local static files), and the API root."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from drf_spectacular.validation import validate_schema

from django.contrib.staticfiles import finders

from api.views.preview import EXAMPLE_REQUEST, EXAMPLE_RESPONSE

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
    # The Decree 335 default's limits; a request naming another framework is checked against
    # that framework's (issue 13 item 11).
    assert (props["general"]["minimum"], props["general"]["maximum"]) == (0, 30)
    assert {"framework", "framework_version", "agency", "marks"} <= set(props)
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
    assert urls["score-preview"] == "http://testserver/api/v1/score-preview/"
    assert urls["schema"] == "http://testserver/api/v1/schema/"
    assert urls["docs"] == "http://testserver/api/v1/docs/"
    assert urls["redoc"] == "http://testserver/api/v1/redoc/"
    assert urls["period-scores"] == "http://testserver/api/v1/period-scores/"
    assert urls["integration-lines-bulk"] == (
        "http://testserver/api/v1/integration/assignment-lines/bulk/"
    )
    assert urls["national-export"] == "http://testserver/api/v1/national-export/"
    assert urls["work-plans"] == "http://testserver/api/v1/work-plans/"
    methods = {endpoint["name"]: endpoint["methods"] for endpoint in body["endpoints"]}
    assert methods["score-preview"] == ["POST"]
    assert methods["integration-lines"] == ["POST"]
    assert methods["agencies"] == ["GET"]
    assert all(endpoint["description"] for endpoint in body["endpoints"])


def test_api_index_redirects_to_v1(client):
    response = client.get("/api/")
    assert response.status_code == 302
    assert response["Location"] == "/api/v1/"


# --------------------------------------------------------------------------- the open API

V1_PATHS = [
    "/api/v1/agencies/",
    "/api/v1/agencies/{code}/",
    "/api/v1/job-positions/",
    "/api/v1/job-positions/{code}/",
    "/api/v1/job-descriptions/",
    "/api/v1/job-descriptions/{id}/",
    "/api/v1/competencies/",
    "/api/v1/competencies/{code}/",
    "/api/v1/work-plans/",
    "/api/v1/work-plans/{id}/",
    "/api/v1/catalogs/",
    "/api/v1/catalogs/{code}/",
    "/api/v1/catalog-versions/",
    "/api/v1/catalog-versions/{id}/",
    "/api/v1/catalog-items/",
    "/api/v1/catalog-items/{id}/",
    "/api/v1/frameworks/",
    "/api/v1/frameworks/{id}/",
    "/api/v1/framework-versions/{id}/",
    "/api/v1/periods/",
    "/api/v1/periods/{id}/",
    "/api/v1/civil-servants/",
    "/api/v1/civil-servants/{official_id}/",
    "/api/v1/assignment-lines/",
    "/api/v1/assignment-lines/{id}/",
    "/api/v1/period-scores/",
    "/api/v1/period-scores/{id}/",
    "/api/v1/annual-scores/",
    "/api/v1/annual-scores/{id}/",
    "/api/v1/annual-ratings/",
    "/api/v1/annual-ratings/{id}/",
    "/api/v1/aggregates/agencies/",
    "/api/v1/aggregates/province/",
    "/api/v1/hr-history/",
    "/api/v1/half-year-scores/",
    "/api/v1/integration/assignment-lines/",
    "/api/v1/integration/assignment-lines/bulk/",
    "/api/v1/integration/me/",
    "/api/v1/national-export/",
    "/api/v1/national-export/acknowledgements/",
]
VIETNAMESE = re.compile(r"[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]")


def _operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield path, method, operation


def test_every_v1_endpoint_is_in_the_schema(schema):
    assert set(V1_PATHS) <= set(schema["paths"])


def test_every_operation_is_described_in_vietnamese(schema):
    for path, method, operation in _operations(schema):
        if path.startswith("/api/v1/schema"):
            continue
        assert VIETNAMESE.search(operation.get("summary", "")), (path, method)
        assert VIETNAMESE.search(operation.get("description", "")), (path, method)


def test_every_write_endpoint_has_request_and_response_examples(schema):
    for path, method, operation in _operations(schema):
        if method != "post":
            continue
        body = operation["requestBody"]["content"]["application/json"]
        assert body.get("examples"), path
        ok = next(code for code in ("200", "201") if code in operation["responses"])
        assert operation["responses"][ok]["content"]["application/json"].get("examples"), path


def test_write_endpoints_document_their_errors(schema):
    bulk = schema["paths"]["/api/v1/integration/assignment-lines/bulk/"]["post"]
    assert {"200", "400", "401", "403", "409", "413", "429"} <= set(bulk["responses"])
    example = bulk["responses"]["400"]["content"]["application/json"]["examples"]
    fields = next(iter(example.values()))["value"]["error"]["fields"]
    assert "items[12].product_code" in fields
    line = schema["components"]["schemas"]["IntegrationLine"]
    assert set(line["required"]) == {
        "external_id",
        "agency",
        "period",
        "official_id",
        "product_code",
        "assigned",
    }
    assert line["properties"]["external_id"]["maxLength"] == 80
    request = schema["components"]["schemas"]["IntegrationBulkRequest"]
    assert request["properties"]["items"]["maxItems"] == 5000


def test_token_authentication_is_documented(schema):
    scheme = schema["components"]["securitySchemes"]["integrationToken"]
    assert scheme == {**scheme, "type": "http", "scheme": "bearer"}
    security = schema["paths"]["/api/v1/period-scores/"]["get"]["security"]
    assert {"integrationToken": []} in security


def test_shared_enums_have_one_name(schema):
    components = schema["components"]["schemas"]
    assert components["RatingEnum"]["enum"] == ["excellent", "good", "completed", "not_completed"]
    assert components["PeriodStatusEnum"]["enum"] == ["open", "closed", "locked"]
    assert components["LineWriteStatusEnum"]["enum"] == ["created", "updated", "unchanged"]
    assert not [name for name in components if re.search(r"[0-9a-f]{3}Enum$", name)]


def test_the_links_of_issue_45_are_in_the_schema_with_their_descriptions(schema):
    """A catalog item's duties, a decided rating's related bodies' opinions, a work plan's
    fulfilment and each item's state: described for the systems that read them."""
    components = schema["components"]["schemas"]
    assert components["AnnualRating"]["description"] == (
        "Kết quả xếp loại chất lượng năm đã được cấp có thẩm quyền quyết định."
    )
    assert components["RelatedOpinion"]["description"] == (
        "Ý kiến của một cơ quan, tổ chức có liên quan về hồ sơ xếp loại (Mẫu 02, mục IV.1)."
    )
    assert "related_opinions" in components["AnnualRating"]["properties"]
    assert "duties" in components["CatalogItem"]["properties"]
    plan = components["WorkPlan"]["properties"]
    assert "Kết quả thực hiện kế hoạch vào ngày hỏi" in plan["fulfilment"]["description"]
    assert components["WorkPlanItemStateEnum"]["enum"] == [
        "unassigned",
        "ongoing",
        "done",
        "overdue",
    ]


def test_docs_mention_every_endpoint():
    text = (ROOT / "docs" / "api.md").read_text()
    for path in V1_PATHS:
        assert path.split("{")[0] in text, path
    assert "export_national_db" in text and "create_integration_token" in text


def test_every_operation_documents_the_transports_414_and_503(schema):
    """Reliability review §5: nginx's refusal of an over-long request line (414) and the
    database outage's 503 are answers of every operation, in the error shape."""
    error = {"$ref": "#/components/schemas/Error"}
    operations = [
        operation
        for path in schema["paths"].values()
        for method, operation in path.items()
        if method in {"get", "post", "put", "patch", "delete"}
    ]
    assert operations
    for operation in operations:
        for code in ("414", "503"):
            assert operation["responses"][code]["content"]["application/json"]["schema"] == error
    assert "nginx" in operations[0]["responses"]["414"]["description"]
