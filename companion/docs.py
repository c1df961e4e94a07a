"""Documentation generated from the code, so the README cannot drift from it."""
from .settings import SETTINGS


def settings_table():
    """The README's settings table, in Markdown, from the one SETTINGS declaration."""
    lines = ["| setting | default | kind | what it does |", "|---|---|---|---|"]
    for setting in SETTINGS:
        default = "platform data folder" if setting.name == "data_dir" else setting.default
        if isinstance(default, bool):
            default = str(default).lower()
        elif default in ("", []):
            default = "(empty)"
        name = f"`{setting.name}`" + (f" (`{setting.env}`)" if setting.env else "")
        lines.append(f"| {name} | {default} | {setting.kind} | {setting.help} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(settings_table())
