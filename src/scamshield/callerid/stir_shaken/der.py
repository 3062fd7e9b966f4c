"""The TNAuthList certificate extension (RFC 8226): which numbers or service providers a STIR/SHAKEN
certificate covers, read from (and, for test certificates, written as) DER."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

TNAUTHLIST_OID = "1.3.6.1.5.5.7.1.26"


@dataclass(frozen=True, slots=True)
class TNAuthList:
    spcs: tuple[str, ...] = ()
    tns: tuple[str, ...] = ()
    ranges: tuple[tuple[str, int], ...] = ()  # (start, count)

    def covers(self, tn: str) -> bool | None:
        """True/False when the list names numbers; None when it only names providers (SPC)."""
        if not self.tns and not self.ranges:
            return None
        if tn in self.tns:
            return True
        for start, count in self.ranges:
            if len(tn) == len(start) and tn.isdigit() and start.isdigit():
                if int(start) <= int(tn) < int(start) + count:
                    return True
        return False


def _der_read(data: bytes, pos: int) -> tuple[int, bytes, int]:
    """One DER TLV at ``pos``: (tag, value, next position). Raises ValueError when malformed."""
    if pos + 2 > len(data):
        raise ValueError("truncated")
    tag = data[pos]
    length = data[pos + 1]
    pos += 2
    if length & 0x80:
        n = length & 0x7F
        if n == 0 or n > 3 or pos + n > len(data):
            raise ValueError("bad length")
        length = int.from_bytes(data[pos : pos + n], "big")
        pos += n
    end = pos + length
    if end > len(data):
        raise ValueError("truncated value")
    return tag, data[pos:end], end


def _ia5(tag: int, value: bytes) -> str:
    if tag != 0x16:
        raise ValueError("expected IA5String")
    return value.decode("ascii")


def parse_tnauthlist(der: bytes) -> TNAuthList:
    """Parse TNAuthorizationList ::= SEQUENCE OF TNEntry (EXPLICIT tags):
    [0] ServiceProviderCode (IA5String) | [1] TelephoneNumberRange | [2] TelephoneNumber."""
    tag, body, end = _der_read(der, 0)
    if tag != 0x30 or end != len(der):
        raise ValueError("TNAuthList is not a single SEQUENCE")
    spcs: list[str] = []
    tns: list[str] = []
    ranges: list[tuple[str, int]] = []
    pos = 0
    while pos < len(body):
        etag, inner, pos = _der_read(body, pos)
        if etag == 0xA0:
            t, v, e = _der_read(inner, 0)
            spcs.append(_ia5(t, v))
        elif etag == 0xA2:
            t, v, e = _der_read(inner, 0)
            tns.append(_ia5(t, v))
        elif etag == 0xA1:
            t, v, e = _der_read(inner, 0)
            if t != 0x30:
                raise ValueError("range is not a SEQUENCE")
            st, sv, p = _der_read(v, 0)
            ct, cv, p = _der_read(v, p)
            if ct != 0x02:
                raise ValueError("range count is not an INTEGER")
            ranges.append((_ia5(st, sv), int.from_bytes(cv, "big")))
        else:
            raise ValueError(f"unexpected entry tag 0x{etag:02x}")
        if e != len(inner):
            raise ValueError("trailing bytes in entry")
    if not (spcs or tns or ranges):
        raise ValueError("empty TNAuthList")
    return TNAuthList(tuple(spcs), tuple(tns), tuple(ranges))


def encode_tnauthlist(spcs: Iterable[str] = (), tns: Iterable[str] = ()) -> bytes:
    """DER for a TNAuthList (used to issue test and demo certificates)."""

    def tlv(tag: int, value: bytes) -> bytes:
        n = len(value)
        if n < 0x80:
            return bytes([tag, n]) + value
        b = n.to_bytes((n.bit_length() + 7) // 8, "big")
        return bytes([tag, 0x80 | len(b)]) + b + value

    entries = b"".join(tlv(0xA0, tlv(0x16, s.encode("ascii"))) for s in spcs)
    entries += b"".join(tlv(0xA2, tlv(0x16, t.encode("ascii"))) for t in tns)
    return tlv(0x30, entries)
