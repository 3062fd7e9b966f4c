"""The `scamshield` command. `check` lives here; other subcommands come from feature modules that
define ``register(subparsers)`` (caller ID, calls, training/eval, server, reports).

Exit codes: 0 whatever the verdict; 1 when some lines of a batch were bad (the rest still processed);
2 for a usage or input error.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from pathlib import Path
from typing import TextIO

from .errors import InputError, ScamshieldError
from .models import Message, Verdict

PLUGINS = (
    "scamshield.callerid.cli",
    "scamshield.calls.cli",
    "scamshield.learn.cli",
    "scamshield.server.cli",
    "scamshield.reports.cli",
)
MAX_FILE_BYTES = 5_000_000  # a single --call transcript file

_COLOURS = {"scam": "\033[1;97;41m", "suspicious": "\033[1;30;43m", "spam": "\033[1;30;46m", "safe": "\033[1;30;42m"}
_RESET = "\033[0m"
_MARK = "\033[1;4;33m"


def _use_colour(stream: TextIO) -> bool:
    return stream.isatty() and "NO_COLOR" not in os.environ


def highlight(text: str, spans: list[tuple[int, int]], colour: bool) -> str:
    """Mark each evidence span in ``text``: underlined in a terminal, [[like this]] otherwise."""
    merged: list[list[int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    out, last = [], 0
    open_, close = (_MARK, _RESET) if colour else ("[[", "]]")
    for s, e in merged:
        out += [text[last:s], open_, text[s:e], close]
        last = e
    out.append(text[last:])
    return "".join(out)


def render(message: Message, verdict: Verdict, colour: bool = False) -> str:
    lines = []
    label = verdict.verdict.upper()
    head = f" {label} " if not colour else f"{_COLOURS[verdict.verdict]} {label} {_RESET}"
    kind = f" - {verdict.scam_type_label}" if verdict.scam_type_label else ""
    ident = f"[{message.id}] " if message.id else ""
    lines.append(f"{ident}{head} risk {verdict.risk:.0%}{kind}")
    by_turn: dict[int | None, list[tuple[int, int]]] = {}
    for flag in verdict.flags:
        if not flag.counts:  # only the words behind the verdict are marked in the message
            continue
        for ev in flag.evidence:
            by_turn.setdefault(ev.turn, []).append((ev.start, ev.end))
    if message.turns:
        for i, turn in enumerate(message.turns):
            lines.append(f"  {turn.speaker:>6}: {highlight(turn.text, by_turn.get(i, []), colour)}")
    else:
        lines.append("  " + highlight(message.text, by_turn.get(None, []), colour))
    sections = (
        ("Red flags:", "warning", "+"),
        ("Signs it is genuine:", "reassuring", "-"),
        ("Checked, but not enough to call it a scam:", "outweighed", "o"),
        ("Cancelled out:", "cancelled", "x"),
    )
    for title, status, sign in sections:
        flags = [f for f in verdict.flags if f.status == status]
        if not flags:
            continue
        lines.append("")
        lines.append(title)
        for flag in flags:
            words = ", ".join(f'"{e.text}"' for e in flag.evidence[:3])
            lines.append(f"  {sign} {flag.id}: {flag.description}")
            if flag.note:
                lines.append(f"      {flag.note}")
            if words:
                lines.append(f"      words: {words}")
            if flag.reason:
                lines.append(f"      why: {flag.reason}")
    if verdict.advice:
        lines.append("")
        lines.append("What to do:")
        for adv in verdict.advice:
            lines.append(f"  * {adv.text}")
            lines.append(f"    (source: {adv.source})")
    return "\n".join(lines)


def _read_bytes(path: str, limit: int = MAX_FILE_BYTES) -> bytes:
    if path == "-":
        data = sys.stdin.buffer.read(limit + 1)
    else:
        p = Path(path)
        if not p.is_file():
            raise InputError(f"{path}: no such file")
        data = p.read_bytes() if p.stat().st_size <= limit else b"x" * (limit + 1)
    if len(data) > limit:
        raise InputError(f"{path}: larger than {limit:,} bytes")
    return data


def _message(args: argparse.Namespace, **content) -> Message:
    """A message from the command line's text or plain transcript and its caller-ID options."""
    return Message(sender=args.sender, recipient=args.recipient, direction=args.direction or "incoming",
                   dialled=args.dialled, identity=args.identity, verstat=args.verstat, id=args.id, **content)


def _emit(message: Message, verdict: Verdict, as_json: bool, out: TextIO) -> None:
    if as_json:
        out.write(json.dumps(verdict.to_dict(), ensure_ascii=False) + "\n")
    else:
        out.write(render(message, verdict, _use_colour(out)) + "\n\n")


def cmd_check(args: argparse.Namespace) -> int:
    from .analyzer import Analyzer
    from .inputs import parse_json_message, read_jsonl, turns_from_text

    analyzer = Analyzer.default()
    out = sys.stdout
    if args.file:
        stream = sys.stdin.buffer if args.file == "-" else None
        if stream is None:
            p = Path(args.file)
            if not p.is_file():
                raise InputError(f"{args.file}: no such file")
            stream = p.open("rb")
        bad = 0
        with stream:
            for lineno, item in read_jsonl(stream):
                if isinstance(item, InputError):
                    bad += 1
                    print(f"error: {item}", file=sys.stderr)
                    if args.json:
                        out.write(json.dumps({"line": lineno, "error": str(item)}) + "\n")
                    continue
                try:
                    verdict = analyzer.analyze(item)
                except InputError as exc:
                    bad += 1
                    print(f"error: line {lineno}: {exc}", file=sys.stderr)
                    if args.json:
                        out.write(json.dumps({"line": lineno, "id": item.id, "error": str(exc)}) + "\n")
                    continue
                _emit(item, verdict, args.json, out)
        return 1 if bad else 0
    if args.call:
        raw = _read_bytes(args.call)
        if raw.lstrip()[:1] in (b"{", b"["):
            message = parse_json_message(raw, where=f"{args.call}: ")
            if message.channel != "call" or not message.turns:
                raise InputError(f"{args.call}: a call transcript needs a 'turns' list")
        else:  # a plain transcript: "caller: ..." lines, or unlabelled text as a recogniser writes it
            try:
                turns = turns_from_text(raw.decode("utf-8"))
            except UnicodeDecodeError as exc:
                raise InputError(f"{args.call}: not valid UTF-8 (byte {exc.start})") from None
            if not turns:
                raise InputError(f"{args.call}: the transcript is empty")
            message = _message(args, channel="call", turns=turns)
    else:
        text = args.text
        if text is None:
            raise InputError("give a message to check, or --call FILE, or --file FILE")
        if text == "-":
            try:
                text = _read_bytes("-").decode("utf-8")
            except UnicodeDecodeError:
                raise InputError("standard input is not valid UTF-8") from None
        if not text.strip():
            raise InputError("the message is empty")
        if args.channel == "call":  # a call given as text: its "caller:" / "callee:" lines are its turns
            message = _message(args, channel="call", turns=turns_from_text(text))
        else:
            message = _message(args, channel=args.channel, text=text)
    _emit(message, analyzer.analyze(message), args.json, out)
    return 0


def cmd_scan(args: argparse.Namespace) -> int:
    """Many messages (JSON Lines, CSV, Parquet) to verdicts on every core, or on a Ray cluster."""
    from . import scan

    fmt = scan.format_of(args.input, args.format)
    out_fmt = "parquet" if args.out and scan.format_of(args.out) == "parquet" else "jsonl"
    if args.workers is not None and args.workers < 1:
        raise InputError("--workers must be 1 or more")
    unit = "row" if fmt == "parquet" else "line"
    if args.ray:
        from .scan_ray import scan_on_ray

        summary = scan_on_ray(args.input, args.out, address=args.ray, fmt=fmt, explain=args.explain,
                              workers=args.workers, on_error=_print_error)
        print(summary.text(), file=sys.stderr)
        return 1 if summary.errors else 0
    writer = scan.Writer(args.out, out_fmt, args.explain)
    bar = _progress(args.input, fmt) if not args.quiet and sys.stderr.isatty() else None
    try:
        on_error = _print_error if bar is None else (lambda m: bar.write(f"error: {m}", file=sys.stderr))
        summary = scan.scan(scan.read_records(args.input, fmt), writer, workers=args.workers,
                            explain=args.explain, unit=unit, on_error=on_error,
                            on_progress=bar.update if bar is not None else None)
    finally:
        if bar is not None:
            bar.close()
    if not args.quiet:
        print(summary.text(), file=sys.stderr)
    return 1 if summary.errors else 0


def _print_error(message: str) -> None:
    print(f"error: {message}", file=sys.stderr)


def _progress(path: str, fmt: str):
    """A progress bar on the terminal (tqdm), sized by the input when that is cheap to know."""
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    total = None
    if fmt == "parquet":
        try:
            import pyarrow.parquet as pq

            total = pq.ParquetFile(path).metadata.num_rows
        except Exception:
            total = None
    return tqdm(total=total, unit=" msg", unit_scale=True, file=sys.stderr, smoothing=0.1)


def cmd_flags(args: argparse.Namespace) -> int:
    from . import rules
    from .flagdocs import markdown

    if args.markdown:
        sys.stdout.write(markdown())
        return 0
    for d in sorted(rules.flag_defs().values(), key=lambda d: (d.group, d.id)):
        print(f"{d.id:32} {d.group:14} {d.weight:+5.1f}  {d.description}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="scamshield",
        description="Explained scam verdicts for texts, call transcripts, call audio and caller ID. Offline.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    check = sub.add_parser("check", help="check a text message, a call transcript, or a batch of them")
    check.add_argument("text", nargs="?", help='the message text ("-" reads standard input)')
    src = check.add_mutually_exclusive_group()
    src.add_argument("--call", metavar="FILE", help="a call transcript: JSON with a 'turns' list, or plain text with 'caller:' / "
                     "'callee:' lines (unlabelled text is one turn, as a speech recogniser writes it)")
    src.add_argument("--file", metavar="FILE", help="JSON Lines, one message per line (- for stdin)")
    check.add_argument("--json", action="store_true", help="print the machine-readable verdict")
    check.add_argument("--sender", help="who sent it: a number or an alphanumeric sender ID")
    check.add_argument("--recipient", help="the number that was called or texted (SIP To)")
    check.add_argument("--identity", help="a SIP Identity header (STIR/SHAKEN PASSporT) that came with the call")
    check.add_argument("--verstat", help="the network's verification verdict, e.g. TN-Validation-Passed-A")
    check.add_argument("--channel", choices=["sms", "call"], default="sms")
    check.add_argument("--direction", choices=["incoming", "outgoing"], default="incoming")
    check.add_argument("--dialled", metavar="NUMBER",
                       help="the number the user rang (with --direction outgoing): an official one is reassuring")
    check.add_argument("--id", help="an id to echo back in the verdict")
    check.set_defaults(func=cmd_check)
    scan = sub.add_parser(
        "scan", help="scan many messages (JSON Lines, CSV, Parquet) on every core or a Ray cluster",
        description="Verdicts for every message in a file, in input order, on every core (or a Ray cluster). "
                    "Bad records are reported with their line (or row) number and kept in the output as "
                    "error records. Exit code 1 when any record was bad.")
    scan.add_argument("input", help="messages: .jsonl (one JSON message a line; - for stdin), .csv (a 'text' "
                      "column, optional id, channel, sender, ...) or .parquet")
    scan.add_argument("--out", metavar="FILE", help="where verdicts go: .jsonl (default: standard output) or "
                      ".parquet")
    scan.add_argument("--format", choices=["jsonl", "csv", "parquet"], help="input format (default: from the "
                      "file name)")
    scan.add_argument("--explain", action="store_true", help="whole explained verdicts (flags with their words, "
                      "advice), as check --json gives; default: the verdict, risk, scam type and flag ids only")
    scan.add_argument("--workers", type=int, metavar="N", help="processes (default: every core)")
    scan.add_argument("--ray", metavar="ADDRESS", help="run on a Ray cluster (e.g. ray://head:10001, auto, or "
                      "local); input and output must be on storage every node reads (docs/performance.md)")
    scan.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    scan.set_defaults(func=cmd_scan)
    flags = sub.add_parser("flags", help="list every red flag with its group, weight and description")
    flags.add_argument("--markdown", action="store_true", help="print the docs/red_flags.md table")
    flags.set_defaults(func=cmd_flags)
    for name in PLUGINS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name and name.startswith(exc.name):
                continue  # feature not present in this build
            raise
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except ScamshieldError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
