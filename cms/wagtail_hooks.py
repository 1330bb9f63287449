"""Admin chrome of the whole system: no Wagtail branding left in the menus."""

from wagtail import hooks
from wagtail.admin.menu import SubmenuMenuItem


@hooks.register("construct_main_menu")
def settings_menu_without_wagtail_version(request, menu_items):
    """Wagtail's "Cài đặt" submenu prints "Wagtail v7.4.4" at its foot; the same submenu
    without that footer (a plain ``SubmenuMenuItem`` renders none)."""
    for index, item in enumerate(menu_items):
        if item.name == "settings" and isinstance(item, SubmenuMenuItem):
            menu_items[index] = SubmenuMenuItem(
                item.label,
                item.menu,
                name=item.name,
                icon_name=item.icon_name,
                classname=item.classname,
                order=item.order,
                attrs=item.attrs,
            )
