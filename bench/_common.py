"""Helpers shared by the benchmark scripts: where the shared data is, what machine ran, peak memory, JSON output.

Not a benchmark itself. The shared folder is ``$MATCHER_SHARED_DIR`` if set, else ``../shared`` next to the
repository root (the layout every developer and CI have); every script also takes ``--shared DIR``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]


def default_shared_dir() -> Path:
    env = os.environ.get("MATCHER_SHARED_DIR")
    return Path(env).expanduser() if env else (REPO_ROOT.parent / "shared")


def add_common_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--shared",
        type=Path,
        default=None,
        help="the shared data folder (default: $MATCHER_SHARED_DIR, else ../shared next to the repository)",
    )
    parser.add_argument("--json", type=Path, default=None, metavar="FILE", help="also write the results as JSON")


def shared_dir(args: argparse.Namespace) -> Path:
    path = args.shared or default_shared_dir()
    if not path.is_dir():
        sys.exit(f"shared data folder not found: {path} (set MATCHER_SHARED_DIR or pass --shared)")
    return path


def command_environment() -> dict[str, str]:
    """The environment a timed `matcher` command runs in: this one without PYTHONDONTWRITEBYTECODE, so that a first,
    untimed run writes the byte code an installed package has (a shell that sets it, as this machine's does, would
    otherwise time recompiling every module on every run), and without the user's configuration file."""
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**environment, "MATCHER_CONFIG": os.devnull}


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_model() -> str:
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=True, timeout=10).stdout
        for line in out.splitlines():
            if line.lower().startswith("model name:"):
                return line.split(":", 1)[1].strip()
    except (OSError, subprocess.SubprocessError):
        pass
    return platform.processor() or "unknown"


def _ram_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def machine() -> dict[str, Any]:
    """What ran the benchmark: CPU model, cores (and how many this process may use), RAM, versions, date."""
    try:
        spacy_version = metadata.version("spacy")  # without importing spaCy (parse_speed times that import)
    except metadata.PackageNotFoundError:  # pragma: no cover - spaCy is a dependency
        spacy_version = "not installed"
    allowed = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "cpu_model": _cpu_model(),
        "cpu_count": os.cpu_count(),
        "cpus_allowed": allowed,
        "ram_gib": _ram_gib(),
        "python": platform.python_version(),
        "spacy": spacy_version,
        "platform": platform.platform(),
        "date_utc": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def print_machine(info: dict[str, Any]) -> None:
    print(
        f"machine: {info['cpu_model']}, {info['cpu_count']} cores ({info['cpus_allowed']} allowed to this process), "
        f"{info['ram_gib']} GiB RAM; Python {info['python']}, spaCy {info['spacy']}; {info['date_utc']}"
    )


def write_json(path: Path | None, results: dict[str, Any]) -> None:
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    print(f"\nJSON written to {path}")


def pct(part: float, whole: float) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "    -"


# --- the real eligibility texts in the shared folder ---------------------------------------------------------


@dataclass(frozen=True)
class Trial:
    id: str
    text: str


def load_hint(shared: Path) -> list[Trial]:
    csv.field_size_limit(sys.maxsize)
    path = shared / "ctgov" / "hint" / "oncology_all.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return [Trial(row["nctid"], row["criteria"]) for row in csv.DictReader(handle)]


def load_studies(shared: Path, all_studies: bool = False) -> list[Trial]:
    ctgov = shared / "ctgov"
    with (ctgov / "raw" / "legacy_xml" / "index.csv").open(encoding="utf-8", newline="") as handle:
        thyroid = {row["nct_id"] for row in csv.DictReader(handle) if row["set"] == "thyroid"}
    trials = []
    for path in sorted((ctgov / "studies").glob("NCT*.json")):
        if not all_studies and path.stem not in thyroid:
            continue
        study = json.loads(path.read_text(encoding="utf-8"))
        module = study["protocolSection"].get("eligibilityModule", {})
        trials.append(Trial(path.stem, module.get("eligibilityCriteria", "")))
    return trials


def load_trec(shared: Path) -> list[Trial]:
    folder = shared / "bench" / "trec2021_topic11_thyroid" / "trials"
    trials = []
    for path in sorted(folder.glob("NCT*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        trials.append(Trial(data.get("nctid", path.stem), data.get("raw_criteria") or ""))
    return trials
