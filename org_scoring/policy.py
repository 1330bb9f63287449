"""What each built-in role may do with organisation scoring (Sở Nội vụ everything; an agency
admin enters the inputs of the agencies granted to them and sees their scores; unit leaders
and civil servants nothing), and how the rows reach the org tree: through their agency."""

from org.access import AGENCY_ADMIN_GROUP, HOME_AFFAIRS_GROUP, RowScope, model_permissions

INPUTS = ("organisationtask", "organisationgeneralmark", "organisationshortcoming")
READ_ONLY = ("organisationdisqualification", "organisationscore")

ROLE_PERMISSIONS = {
    HOME_AFFAIRS_GROUP: model_permissions(
        "org_scoring", ("add", "change", "delete", "view"), (*INPUTS, *READ_ONLY)
    ),
    AGENCY_ADMIN_GROUP: [
        *model_permissions("org_scoring", ("add", "change", "delete", "view"), INPUTS),
        *model_permissions("org_scoring", ("view",), READ_ONLY),
    ],
}

ROW_SCOPES = {f"org_scoring.{model}": RowScope(agency="agency") for model in (*INPUTS, *READ_ONLY)}
