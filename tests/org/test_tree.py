import pytest

from django.core.exceptions import ValidationError

from org.models import Agency, AgencyKind
from tests.factories import AgencyFactory, CommuneFactory, ProvinceFactory, UnitFactory

pytestmark = pytest.mark.django_db


def test_paths_and_depths_follow_the_tree():
    province = ProvinceFactory()
    department = AgencyFactory(parent=province)
    unit = UnitFactory(parent=department)
    sub_unit = UnitFactory(parent=unit)
    assert province.path == f"/{province.pk}/" and province.depth == 0
    assert unit.path == f"/{province.pk}/{department.pk}/{unit.pk}/"
    assert sub_unit.depth == 3
    assert list(sub_unit.ancestors()) == [province, department, unit]
    assert set(department.descendants()) == {unit, sub_unit}
    assert set(department.descendants(include_self=True)) == {department, unit, sub_unit}


def test_moving_a_subtree_rewrites_every_descendant_path():
    province = ProvinceFactory()
    old_parent = AgencyFactory(parent=province)
    new_parent = AgencyFactory(parent=province)
    unit = UnitFactory(parent=old_parent)
    leaf = UnitFactory(parent=unit)

    unit.parent = new_parent
    unit.save()
    leaf.refresh_from_db()

    assert leaf.path == f"/{province.pk}/{new_parent.pk}/{unit.pk}/{leaf.pk}/"
    assert leaf.depth == 3
    assert list(old_parent.descendants()) == []
    assert set(new_parent.descendants()) == {unit, leaf}


def test_subtree_query_covers_several_roots():
    province = ProvinceFactory()
    a, b, c = (AgencyFactory(parent=province) for _ in range(3))
    ua, ub = UnitFactory(parent=a), UnitFactory(parent=b)
    UnitFactory(parent=c)
    assert set(Agency.objects.within([a, b])) == {a, b, ua, ub}
    assert list(Agency.objects.within([])) == []


def test_within_takes_one_root_or_paths_and_filters_other_models_by_their_agency():
    """The one subtree filter: an agency, a path or several; ``within_q`` on another model's
    agency field; no root reaches no row, even OR-ed with another condition."""
    from org.models import Posting, within_q
    from tests.factories import CivilServantFactory, PostingFactory

    province = ProvinceFactory()
    a, b = AgencyFactory(parent=province), AgencyFactory(parent=province)
    ua = UnitFactory(parent=a)
    assert set(Agency.objects.within(a)) == {a, ua}
    assert set(Agency.objects.within(ua.path)) == {ua}
    assert set(Agency.objects.within([a.path, b])) == {a, ua, b}
    here = PostingFactory(civil_servant=CivilServantFactory(), agency=ua)
    PostingFactory(civil_servant=CivilServantFactory(), agency=b)
    assert list(Posting.objects.filter(within_q(a, "agency"))) == [here]
    assert list(Posting.objects.filter(within_q([], "agency") | within_q([], "agency"))) == []


def test_nearest_of_kind_and_owning_agency():
    province = ProvinceFactory()
    commune = CommuneFactory(parent=province)
    unit = UnitFactory(parent=commune)
    nested = UnitFactory(parent=unit)
    assert nested.nearest_of_kind(AgencyKind.COMMUNE) == commune
    assert nested.nearest_of_kind(AgencyKind.UNIT) == nested
    assert nested.nearest_of_kind(AgencyKind.UNIT, include_self=False) == unit
    assert nested.owning_agency == commune
    assert commune.owning_agency == commune
    assert nested.breadcrumb().endswith(nested.name)


def test_owning_agencies_of_many_units_in_one_query(django_assert_num_queries):
    """``Agency.owning_agencies`` (the Form 01 import's owners, issue 48) equals the property
    for every node, in one query however many units."""
    province = ProvinceFactory()
    commune = CommuneFactory(parent=province)
    department = AgencyFactory(parent=province)
    units = [UnitFactory(parent=commune), UnitFactory(parent=department)]
    units.append(UnitFactory(parent=units[0]))
    everything = list(Agency.objects.all())
    with django_assert_num_queries(1):
        found = Agency.owning_agencies(everything)
    assert found == {agency.pk: agency.owning_agency for agency in everything}
    assert found[units[2].pk] == commune and found[units[1].pk] == department


@pytest.mark.parametrize(
    ("kind", "parent_kind", "ok"),
    [
        (AgencyKind.DEPARTMENT, AgencyKind.PROVINCE, True),
        (AgencyKind.COMMUNE, AgencyKind.PROVINCE, True),
        (AgencyKind.UNIT, AgencyKind.DEPARTMENT, True),
        (AgencyKind.UNIT, AgencyKind.COMMUNE, True),
        (AgencyKind.UNIT, AgencyKind.UNIT, True),
        (AgencyKind.DEPARTMENT, AgencyKind.COMMUNE, False),
        (AgencyKind.UNIT, AgencyKind.PROVINCE, False),
        (AgencyKind.DEPARTMENT, None, False),
    ],
)
def test_kind_and_parent_rules(kind, parent_kind, ok):
    province = ProvinceFactory()
    parents = {
        AgencyKind.PROVINCE: province,
        AgencyKind.DEPARTMENT: AgencyFactory(parent=province),
        AgencyKind.COMMUNE: CommuneFactory(parent=province),
    }
    parents[AgencyKind.UNIT] = UnitFactory(parent=parents[AgencyKind.DEPARTMENT])
    agency = Agency(code="NEW", name="Mới", kind=kind, parent=parents.get(parent_kind))
    if ok:
        agency.full_clean()
    else:
        with pytest.raises(ValidationError) as excinfo:
            agency.full_clean()
        assert "parent" in excinfo.value.message_dict


def test_cannot_make_a_unit_its_own_descendant():
    unit = UnitFactory()
    child = UnitFactory(parent=unit)
    unit.parent = child
    with pytest.raises(ValidationError) as excinfo:
        unit.full_clean()
    assert "cấp dưới" in excinfo.value.message_dict["parent"][0]


def test_only_one_province():
    ProvinceFactory()
    with pytest.raises(ValidationError):
        Agency(code="TINH2", name="Tỉnh khác", kind=AgencyKind.PROVINCE).full_clean()
