"""People and the agency tree: users, agencies, job positions, civil servants, postings, grants."""

import datetime
from dataclasses import dataclass

import factory

from django.contrib.auth import get_user_model

from org.access import AGENCY_ADMIN_GROUP, CIVIL_SERVANT_GROUP
from org.models import (
    Agency,
    AgencyAccess,
    AgencyKind,
    CivilServant,
    Competency,
    CompetencyKind,
    CompetencyLevel,
    JobDescription,
    JobDescriptionCompetency,
    JobDescriptionTask,
    JobPosition,
    LeadershipRole,
    PositionGroup,
    PositionLevel,
    Posting,
)

START_2026 = datetime.date(2026, 1, 1)

__all__ = [
    "START_2026",
    "AgencyAccessFactory",
    "AgencyFactory",
    "CivilServantFactory",
    "CommuneFactory",
    "CompetencyFactory",
    "JobDescriptionFactory",
    "JobPositionFactory",
    "PostingFactory",
    "ProvinceFactory",
    "TwoAgencies",
    "UnitFactory",
    "UserFactory",
    "agency_admin",
    "job_description",
    "post",
    "two_agencies",
    "with_user",
]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Faker("name", locale="vi_VN")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.vn")
    password = factory.PostGenerationMethodCall("set_password", "matkhau-123")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            from django.contrib.auth.models import Group

            for name in extracted:
                self.groups.add(Group.objects.get_or_create(name=name)[0])
        if create:
            self.save()


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"AG{n:03d}")
    name = factory.Sequence(lambda n: f"Sở thử nghiệm {n}")
    kind = AgencyKind.DEPARTMENT
    parent = factory.LazyFunction(lambda: ProvinceFactory())


class ProvinceFactory(AgencyFactory):
    code = "TINH"
    name = "Ủy ban nhân dân tỉnh Thử Nghiệm"
    kind = AgencyKind.PROVINCE
    parent = None


class CommuneFactory(AgencyFactory):
    name = factory.Sequence(lambda n: f"Ủy ban nhân dân xã Thử Nghiệm {n}")
    kind = AgencyKind.COMMUNE


class PartyCommitteeFactory(AgencyFactory):
    """The provincial Party Committee (Tỉnh ủy), root of the Party tree."""

    code = "TU"
    name = "Tỉnh ủy Thử Nghiệm"
    kind = AgencyKind.PARTY
    parent = None


class FrontFactory(AgencyFactory):
    """The provincial Fatherland Front Committee, root of the Front tree."""

    code = "MTTQ"
    name = "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Thử Nghiệm"
    kind = AgencyKind.FRONT
    parent = None


class PublicServiceUnitFactory(AgencyFactory):
    name = factory.Sequence(lambda n: f"Trung tâm sự nghiệp {n}")
    kind = AgencyKind.PUBLIC_SERVICE


class UnitFactory(AgencyFactory):
    name = factory.Sequence(lambda n: f"Phòng thử nghiệm {n}")
    kind = AgencyKind.UNIT
    parent = factory.SubFactory(AgencyFactory)


class JobPositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobPosition
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"VT{n:03d}")
    name = factory.Sequence(lambda n: f"Chuyên viên nghiệp vụ {n}")
    group = PositionGroup.PROFESSIONAL
    level = PositionLevel.PROVINCE


class CompetencyFactory(factory.django.DjangoModelFactory):
    """A competency of the dictionary with a descriptor for each of its levels."""

    class Meta:
        model = Competency
        django_get_or_create = ("code",)
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"NL{n:03d}")
    name = factory.Sequence(lambda n: f"Năng lực thử nghiệm {n}")
    kind = CompetencyKind.PROFESSIONAL

    @factory.post_generation
    def levels(self, create, extracted, **kwargs):
        if create:
            for level in range(1, self.level_count + 1):
                CompetencyLevel.objects.get_or_create(
                    competency=self, level=level, defaults={"descriptor": f"Biểu hiện cấp {level}"}
                )


class JobDescriptionFactory(factory.django.DjangoModelFactory):
    """A draft version (use :func:`job_description` for one with tasks and competencies)."""

    class Meta:
        model = JobDescription

    job_position = factory.SubFactory(JobPositionFactory)
    purpose = "Tham mưu thử nghiệm"


def job_description(
    position=None,
    *,
    tasks=("Nhiệm vụ 1", "Nhiệm vụ 2"),
    competencies=None,
    approved_on=None,
    agency=None,
    by=None,
):
    """A version of ``position``'s description (by ``agency``; None: the province's common one)
    with its rows; submitted, appraised and approved (in force from ``approved_on``) by ``by``
    (default: a superuser) when a date is given, else a draft."""
    from org import job_descriptions

    version = JobDescriptionFactory(job_position=position or JobPositionFactory(), agency=agency)
    for order, name in enumerate(tasks):
        JobDescriptionTask.objects.create(description=version, name=name, sort_order=order)
    for order, (competency, level) in enumerate(competencies or [(CompetencyFactory(), 3)]):
        JobDescriptionCompetency.objects.create(
            description=version, competency=competency, required_level=level, sort_order=order
        )
    if approved_on is not None:
        by = by or UserFactory(username="factory-superuser", is_superuser=True)
        version = job_descriptions.submit(version, by)
        version = job_descriptions.appraise(version, by)
        version = job_descriptions.approve(
            version,
            job_descriptions.Decision(
                number=f"{version.pk}/QĐ-SNV",
                date=approved_on,
                signer="Giám đốc Sở Nội vụ",
                effective_from=approved_on,
            ),
            by,
        )
    return version


def approve_description(version, decision, by=None):
    """Take a draft ``version`` through submit, appraise and approve (by a superuser unless
    ``by`` is given)."""
    from org import job_descriptions

    by = by or UserFactory(username="factory-superuser", is_superuser=True)
    version = job_descriptions.submit(version, by)
    version = job_descriptions.appraise(version, by)
    return job_descriptions.approve(version, decision, by)


class CivilServantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CivilServant

    official_id = factory.Sequence(lambda n: f"CC{n:06d}")
    full_name = factory.Faker("name", locale="vi_VN")


class PostingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Posting

    civil_servant = factory.SubFactory(CivilServantFactory)
    agency = factory.SubFactory(UnitFactory)
    job_position = factory.SubFactory(JobPositionFactory)
    role = LeadershipRole.STAFF
    start_date = START_2026
    end_date = None


class AgencyAccessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgencyAccess

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = "agency_admin"


def post(
    agency,
    role=LeadershipRole.STAFF,
    start=START_2026,
    end=None,
    person=None,
    full_name=None,
    **kwargs,
):
    """Shortcut: a person posted to ``agency`` with ``role`` (a new person unless given)."""
    if person is None:
        person = CivilServantFactory(**({"full_name": full_name} if full_name else {}))
    return PostingFactory(
        civil_servant=person,
        agency=agency,
        role=role,
        start_date=start,
        end_date=end,
        **kwargs,
    ).civil_servant


def with_user(person, username, groups=(CIVIL_SERVANT_GROUP,)):
    """Give ``person`` a sign-in ``username`` in ``groups`` (default: civil servants)."""
    user = UserFactory(username=username, full_name=person.full_name, groups=list(groups))
    person.user = user
    person.save(update_fields=["user"])
    return user


def agency_admin(agency, **kwargs):
    """A sign-in in the agency admins' group, granted ``agency``."""
    user = UserFactory(groups=[AGENCY_ADMIN_GROUP], **kwargs)
    AgencyAccessFactory(user=user, agency=agency)
    return user


@dataclass(frozen=True)
class TwoAgencies:
    own: Agency
    other: Agency
    own_unit: Agency
    other_unit: Agency


def two_agencies() -> TwoAgencies:
    """A province with "Sở Tư pháp" (the own agency) and "Sở Y tế", each with one unit: the
    usual world of a row-scope test."""
    province = ProvinceFactory()
    own = AgencyFactory(parent=province, name="Sở Tư pháp")
    other = AgencyFactory(parent=province, name="Sở Y tế")
    return TwoAgencies(own, other, UnitFactory(parent=own), UnitFactory(parent=other))


@dataclass
class AcrossTrees:
    """A commune and its Party committee and Front committee in three trees, the Front's
    counterparts set ("cùng cấp, cùng địa bàn"): where an authority rule points across trees."""

    province: Agency
    commune: Agency
    commune_party: Agency
    front: Agency
    commune_front: Agency


def across_trees() -> AcrossTrees:
    province = ProvinceFactory()
    commune = CommuneFactory(parent=province, code="X-AN", name="UBND xã An Hòa")
    party = PartyCommitteeFactory()
    commune_party = AgencyFactory(
        parent=party, code="DU-AN", name="Đảng ủy xã An Hòa", kind=AgencyKind.PARTY
    )
    front = FrontFactory()
    commune_front = AgencyFactory(
        parent=front, code="MT-AN", name="Ủy ban MTTQ xã An Hòa", kind=AgencyKind.FRONT
    )
    commune_front.counterparts.set([commune_party, commune])
    return AcrossTrees(province, commune, commune_party, front, commune_front)


@dataclass
class AcrossTreesPeople:
    """:func:`across_trees` with its heads, the Front chairman's rule across trees saved, and
    people whose authority is easy to get wrong: a case's posting and day as the resolvers of
    many cases must read them (``tests/ratings``)."""

    trees: AcrossTrees
    #: the commune Front's chairman (rated across trees by the commune Party secretary)
    chairman: object
    #: a commune official, posted all year
    official: object
    #: left at the end of June: the case's day moves back to the last day posted
    left: object
    #: moved in July to the commune Front (the governing posting: the year's last day)
    moved: object
    #: posted only in another year
    elsewhere: object
    #: a deputy of the province Front: a post no active rule covers
    unruled: object


def across_trees_people() -> AcrossTreesPeople:
    from org.models import AuthorityRule

    trees = across_trees()
    post(trees.commune_party, LeadershipRole.HEAD, full_name="Bí thư")
    post(trees.front, LeadershipRole.HEAD, full_name="Chủ tịch MTTQ tỉnh")
    post(trees.commune, LeadershipRole.HEAD, full_name="Chủ tịch UBND xã")
    chairman = post(trees.commune_front, LeadershipRole.HEAD, full_name="Chủ tịch MTTQ xã")
    front_chairman_across_trees().save()
    official = post(trees.commune, full_name="Công chức xã")
    left = post(trees.commune, full_name="Đã nghỉ", end=datetime.date(2026, 6, 30))
    moved = post(trees.commune, full_name="Chuyển công tác", end=datetime.date(2026, 6, 30))
    post(trees.commune_front, person=moved, start=datetime.date(2026, 7, 1))
    elsewhere = post(
        trees.commune,
        full_name="Năm khác",
        start=datetime.date(2024, 1, 1),
        end=datetime.date(2024, 12, 31),
    )
    unruled = post(trees.front, LeadershipRole.DEPUTY, full_name="Phó Chủ tịch MTTQ tỉnh")
    AuthorityRule.objects.filter(
        subject_agency_kind=AgencyKind.FRONT, subject_role=LeadershipRole.DEPUTY
    ).update(is_active=False)
    return AcrossTreesPeople(trees, chairman, official, left, moved, elsewhere, unruled)


def front_chairman_across_trees():
    """The province's rule (an example) that the commune Party secretary evaluates and rates
    the commune Front's chairman (``Relation.COUNTERPART``), unsaved, the default rule for
    that post set inactive."""
    from org.models import AuthorityRule, Relation

    AuthorityRule.objects.filter(
        subject_agency_kind=AgencyKind.FRONT,
        subject_parent_kind=AgencyKind.FRONT,
        subject_role=LeadershipRole.HEAD,
    ).update(is_active=False)
    return AuthorityRule(
        name="Chủ tịch Ủy ban MTTQ xã do Bí thư Đảng ủy xã đánh giá",
        subject_agency_kind=AgencyKind.FRONT,
        subject_parent_kind=AgencyKind.FRONT,
        subject_role=LeadershipRole.HEAD,
        evaluator_relation=Relation.COUNTERPART,
        evaluator_kind=AgencyKind.PARTY,
        rater_relation=Relation.COUNTERPART,
        rater_kind=AgencyKind.PARTY,
        citation="Quy định của tỉnh (ví dụ)",
    )
