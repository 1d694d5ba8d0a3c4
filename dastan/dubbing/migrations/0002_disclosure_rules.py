"""The disclosure rules a node starts with; operators edit them afterwards."""

from typing import Any

from django.db import migrations

RULES = [
    ("CN", 3.0, "prominent", True, "AI-generated · 人工智能生成", "GB 45438-2025 (labelling of AI-generated content)"),
    ("EU", 0.0, "unobtrusive", True, "", "EU AI Act, Article 50 (transparency of synthetic audio and video)"),
    ("IN", 3.0, "prominent", True, "AI-generated", "IT Rules amendment on synthetically generated information"),
    ("*", 0.0, "unobtrusive", True, "", "Dastan's own policy: every machine contribution is disclosed"),
]


def seed(apps: Any, schema_editor: Any) -> None:
    rule = apps.get_model("dubbing", "DisclosureRule")
    for territory, seconds, notice, marking, text, basis in RULES:
        rule.objects.get_or_create(territory=territory, defaults={
            "visible_label_s": seconds, "notice": notice, "machine_readable": marking, "label_text": text,
            "legal_basis": basis})


class Migration(migrations.Migration):
    dependencies = [("dubbing", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
