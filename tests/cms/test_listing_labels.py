"""A listing's column labels stay what they were, however often the listing is opened.

Its own module, without the demo province: the listing shows 100 agencies a page in tree order
(``path``, made of primary keys), so beside the demo's 102 agencies a new one lands on the
first or the second page depending on the key the database hands it (CI of stop 52).
"""


def test_a_listing_opened_again_and_again_costs_the_same(admin_client):
    """A listing's column headers are put in sentence case on a copy of the viewset's columns:
    the viewset's own ``Column`` objects live as long as the server process, and wrapping their
    label again on every request made each header a chain of one lazy ``capfirst`` per request
    served — pages grew slower with the server's uptime (the whole suite ran several times
    slower than its files one by one)."""
    from org.models import Agency
    from tests.factories.org import AgencyFactory

    AgencyFactory(name="Sở Thử nghiệm")
    column = Agency.snippet_viewset.list_display[0]
    label = column.label
    for _ in range(3):
        response = admin_client.get("/admin/snippets/org/agency/")
        assert response.status_code == 200
        assert ">Tên<" in response.content.decode().replace("\n", "").replace(" ", "")
        assert "Sở Thử nghiệm" in response.content.decode()
    assert column.label is label
