"""What a browser would post: the fields of a page's form, as the tests that post forms read
them (realistic bodies instead of hand-written dictionaries)."""

import re
from html import unescape


def form_data(html: str) -> dict:
    """The values a browser would post back from the page's main form, unchanged."""
    html = re.sub(r"<template.*?</template>", "", html, flags=re.S)  # blank inline-form copies
    forms_ = re.findall(r'<form[^>]*method="post"[^>]*>(.*?)</form>', html, re.S | re.I)
    form = max(forms_, key=len)
    data = {}
    for tag in re.findall(r"<input[^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        if not name:
            continue
        kind = (re.search(r'type="([^"]+)"', tag) or [None, "text"])[1]
        value = re.search(r'value="([^"]*)"', tag)
        if kind in ("checkbox", "radio"):
            if "checked" in tag:
                data[name.group(1)] = value.group(1) if value else "on"
            continue
        if kind in ("submit", "button", "file"):
            continue
        data[name.group(1)] = unescape(value.group(1)) if value else ""
    for tag, name, body in re.findall(
        r'(<select[^>]*name="([^"]+)"[^>]*>)(.*?)</select>', form, re.S
    ):
        chosen = re.findall(r'<option value="([^"]*)"[^>]*selected', body)
        if " multiple" in tag:
            data[name] = chosen  # nothing chosen: the browser sends nothing
        else:
            data[name] = chosen[0] if chosen else ""
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        data[name] = unescape(body).lstrip("\n")
    return data
