"""Parse speed: criteria per second of the eligibility parser over all 1,443 HINT oncology trials, and peak memory.

What it measures, in one process:
  * the one-time setup: importing the parser (spaCy), building the tokenizer (`build_nlp()`) and the vocabulary's
    phrase matchers (`vocabulary()`), and a one-trial warm-up parse — reported separately, not counted in the rates;
  * --repeat full passes of `parse_texts(all texts)` (wall clock, `time.perf_counter`): criteria/s, trials/s and
    characters/s for the median and the best pass, and the CPU time of each pass (`time.process_time`), which
    other work on a shared machine disturbs less than the wall clock;
  * peak resident memory (`resource.getrusage(RUSAGE_SELF).ru_maxrss`) after setup and after the passes;
  * a breakdown pass (one more parse, done step by step like `parse_texts`): segmentation, spaCy tokenizer +
    phrase matchers (`find_mentions`), cues, scope and kinds (`read_criterion`); its total is close to, not exactly,
    a pass.
    Then the tokenizing alone over the same criteria (`WordTokens.doc`, a few hundred at a time as `find_mentions`
    does), to split spaCy's share.

Goal (the issue): >= 5,000 criteria/s on ONE core and peak memory well under 1 GB. Pin the process to one core:
    taskset -c 0 .venv/bin/python -m bench.parse_speed [--repeat 3] [--json out/speed.json]
(without taskset it runs wherever the scheduler puts it; spaCy's blank pipeline is single-threaded either way).
Run from the repository root; the shared folder is $MATCHER_SHARED_DIR, else ../shared (or --shared DIR).
Takes about (repeat + 1) x 15 s.
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any

from bench._common import add_common_args, load_hint, machine, peak_rss_mib, print_machine, shared_dir, write_json

GOAL_CRITERIA_PER_S = 5000
GOAL_MEMORY_MIB = 1024


def breakdown(texts: list[str]) -> dict[str, float]:
    """One parse done step by step, timing each step (mirrors matcher.eligibility.parser.parse_texts)."""
    from matcher.eligibility.parser import prepare, read_criterion
    from matcher.eligibility.pipeline import build_nlp, find_mentions, word_tokens
    from matcher.eligibility.segment import segment
    from matcher.eligibility.text import CriterionText
    from matcher.knowledge_base import load_knowledge

    build_nlp()
    kb = load_knowledge()
    started = time.perf_counter()
    prepared = [prepare(t) for t in texts]
    segmented = [segment(t) for t in prepared]
    flat = [" ".join(t[s.start : s.end].split()) for t, segs in zip(prepared, segmented, strict=True) for s in segs]
    sections = [s.section for segs in segmented for s in segs]
    segmented_at = time.perf_counter()
    extract_s = 0.0
    for line, mentions, section in zip(flat, find_mentions(flat), sections, strict=True):
        tick = time.perf_counter()
        read_criterion(CriterionText(line, mentions, section), kb)
        extract_s += time.perf_counter() - tick
    total = time.perf_counter() - started
    segment_s = segmented_at - started
    tick = time.perf_counter()
    words, lines = word_tokens(), [line for line in flat if line]
    for first in range(0, len(lines), 256):
        words.doc(lines[first : first + 256])
    tokenizer_s = time.perf_counter() - tick
    return {
        "segment_s": segment_s,
        "spacy_s": total - segment_s - extract_s,
        "read_criterion_s": extract_s,
        "total_s": total,
        "tokenizer_only_s": tokenizer_s,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_common_args(parser)
    parser.add_argument("--repeat", type=int, default=3, help="timed full passes (default 3)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N trials (for a quick try)")
    parser.add_argument("--no-breakdown", action="store_true", help="skip the step-by-step pass")
    args = parser.parse_args(argv)
    shared = shared_dir(args)
    info = machine()
    print("parse speed — matcher.eligibility.parse_texts over HINT oncology_all.csv")
    print_machine(info)
    trials = load_hint(shared)[: args.limit]
    texts = [t.text for t in trials]
    chars = sum(len(t) for t in texts)
    rss_before_import = peak_rss_mib()

    started = time.perf_counter()
    from matcher.eligibility import parser_version
    from matcher.eligibility.parser import parse_texts
    from matcher.eligibility.pipeline import build_nlp, vocabulary

    imported = time.perf_counter()
    build_nlp()
    vocabulary()
    built = time.perf_counter()
    parse_texts(texts[:1])
    warmed = time.perf_counter()
    setup = {
        "import_s": imported - started,
        "build_nlp_s": built - imported,
        "warm_up_parse_s": warmed - built,
        "peak_rss_mib_after_setup": peak_rss_mib(),
    }
    print(f"parser version {parser_version()}; {len(texts)} trials, {chars:,} characters of criteria text")
    print(
        f"one-time setup: import {setup['import_s']:.2f} s, tokenizer + matchers {setup['build_nlp_s']:.2f} s, "
        f"warm-up parse {setup['warm_up_parse_s']:.3f} s; peak RSS {setup['peak_rss_mib_after_setup']:.0f} MiB "
        f"(before importing the parser: {rss_before_import:.0f} MiB)"
    )

    passes: list[float] = []
    cpu_passes: list[float] = []
    criteria = 0
    for run in range(1, args.repeat + 1):
        tick, cpu_tick = time.perf_counter(), time.process_time()
        parsed = parse_texts(texts)
        seconds, cpu = time.perf_counter() - tick, time.process_time() - cpu_tick
        criteria = sum(len(p) for p in parsed)
        del parsed
        passes.append(seconds)
        cpu_passes.append(cpu)
        rate = f"{criteria / seconds:,.0f} criteria/s, {len(texts) / seconds:,.0f} trials/s"
        print(f"pass {run}: {seconds:.2f} s  ->  {rate}; CPU {cpu:.2f} s  ->  {criteria / cpu:,.0f} criteria/s")
    median, best = statistics.median(passes), min(passes)
    cpu_best = min(cpu_passes)
    peak = peak_rss_mib()
    results: dict[str, Any] = {
        "machine": info,
        "parser_version": parser_version(),
        "trials": len(texts),
        "criteria": criteria,
        "characters": chars,
        "setup": setup,
        "passes_s": passes,
        "median": {
            "seconds": median,
            "criteria_per_s": criteria / median,
            "trials_per_s": len(texts) / median,
            "chars_per_s": chars / median,
        },
        "best": {"seconds": best, "criteria_per_s": criteria / best, "trials_per_s": len(texts) / best},
        "cpu_passes_s": cpu_passes,
        "cpu_best": {"seconds": cpu_best, "criteria_per_s": criteria / cpu_best},
        "peak_rss_mib": peak,
        "goal": {
            "criteria_per_s": GOAL_CRITERIA_PER_S,
            "memory_mib": GOAL_MEMORY_MIB,
            "speed_met": criteria / median >= GOAL_CRITERIA_PER_S,
            "memory_met": peak < GOAL_MEMORY_MIB,
        },
    }
    print(
        f"\ncriteria {criteria:,} in {len(texts):,} trials; median pass {median:.2f} s (best {best:.2f} s)\n"
        f"  criteria/s  {criteria / median:>9,.0f}   (best {criteria / best:,.0f})\n"
        f"  trials/s    {len(texts) / median:>9,.1f}\n"
        f"  chars/s     {chars / median:>9,.0f}\n"
        f"  CPU time: best pass {cpu_best:.2f} s -> {criteria / cpu_best:,.0f} criteria/s\n"
        f"peak RSS {peak:.0f} MiB"
    )
    goal = results["goal"]
    print(
        f"goal >= {GOAL_CRITERIA_PER_S:,} criteria/s on one core: {'MET' if goal['speed_met'] else 'NOT MET'} "
        f"({info['cpus_allowed']} core(s) allowed to this process"
        f"{'' if info['cpus_allowed'] == 1 else '; run under taskset -c 0 for the one-core number'}); "
        f"memory well under {GOAL_MEMORY_MIB} MiB: {'MET' if goal['memory_met'] else 'NOT MET'}"
    )
    if not args.no_breakdown:
        steps = breakdown(texts)
        results["breakdown"] = steps
        total = steps["total_s"]
        print(f"\nbreakdown pass ({total:.2f} s):")
        for key, label in (("segment_s", "segmentation (+ prepare, whitespace)"),
                           ("spacy_s", "spaCy tokenizer + phrase matchers"),
                           ("read_criterion_s", "read_criterion (cues, scope, kinds)")):  # fmt: skip
            print(f"  {label:<42} {steps[key]:6.2f} s  {100 * steps[key] / total:5.1f}%")
        print(f"  (the tokenizer alone, timed separately:    {steps['tokenizer_only_s']:6.2f} s)")
    write_json(args.json, results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
