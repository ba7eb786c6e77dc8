"""Every source string shows in Chinese: nothing marked for translation is missing from the catalogue.

The Python sources are read through their syntax tree, which also sees gettext calls inside
f-strings, where `makemessages` (xgettext) does not: such a string silently reverts to English.
"""

import ast
import re
from pathlib import Path

import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy"}
TEMPLATE_TRANSLATE = re.compile(r"""{%\s*translate\s+(["'])(.+?)\1""")


def python_strings():
    for path in sorted([*ROOT.glob("reports/**/*.py"), *ROOT.glob("drafting/**/*.py")]):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in GETTEXT_NAMES
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                yield f"{path.relative_to(ROOT)}:{node.lineno}", node.args[0].value


def template_strings():
    for path in sorted(ROOT.glob("templates/**/*.html")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for match in TEMPLATE_TRANSLATE.finditer(line):
                yield f"{path.relative_to(ROOT)}:{number}", match.group(2)


def untranslated(strings):
    with translation.override("zh-hans"):
        return [
            (where, text)
            for where, text in strings
            # Strings without Latin letters (e.g. "—") need no translation.
            if re.search("[A-Za-z]", text) and translation.gettext(text) == text
        ]


@pytest.mark.parametrize("source", [python_strings, template_strings], ids=["python", "templates"])
def test_every_marked_string_has_a_chinese_translation(source):
    strings = list(source())
    assert len(strings) > 50
    assert untranslated(strings) == []
