"""Production seed of cms, called by migration 0002 and by ``demo.base_data``: replace
Wagtail's placeholder welcome page with our home page and point the default site at it.

Takes an app registry (a migration's historical ``apps`` or ``django.apps.apps``)."""


def create_homepage(apps, schema_editor=None):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("cms.HomePage")
    Locale = apps.get_model("wagtailcore.Locale")

    Page.objects.filter(depth=2, slug="home", content_type__model="page").delete()
    homepage_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="cms")
    locale = Locale.objects.first()
    if locale is None:
        locale = Locale.objects.create(language_code="vi")
    root = Page.objects.get(depth=1)
    homepage = HomePage.objects.create(
        title="KPI Công vụ",
        draft_title="KPI Công vụ",
        slug="home",
        content_type=homepage_type,
        path=f"{root.path}0001",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=locale,
        intro=(
            "<p>Hệ thống theo dõi, đánh giá, xếp loại chất lượng công chức và cơ quan hành chính "
            "nhà nước theo Nghị định số 335/2025/NĐ-CP.</p>"
        ),
    )
    root.numchild = 1
    root.save(update_fields=["numchild"])
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={
            "hostname": "localhost",
            "port": 80,
            "root_page": homepage,
            "site_name": "KPI Công vụ",
        },
    )
