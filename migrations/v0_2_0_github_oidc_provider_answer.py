"""0.2.0 renamed the answer `create_github_oidc_provider` (yes/no) to `github_oidc_provider`
(`create` or `import`). Runs in the project before `copier update` replays its answers."""

import re
import sys
from pathlib import Path

ANSWERS = Path(".copier-answers.yml")
OLD = re.compile(r"^create_github_oidc_provider:\s*(\S+)\s*$", re.MULTILINE)


def main() -> None:
    if not ANSWERS.exists():
        sys.exit(f"{ANSWERS} not found in {Path.cwd()}: run copier update from the project root")
    text = ANSWERS.read_text()
    match = OLD.search(text)
    if match is None:
        return
    choice = "create" if match.group(1).lower() in {"true", "yes", "on"} else "import"
    ANSWERS.write_text(OLD.sub(f"github_oidc_provider: {choice}", text))
    print(
        f"Migrated answer create_github_oidc_provider={match.group(1)} to github_oidc_provider={choice}"
    )


if __name__ == "__main__":
    main()
