"""The JSON input format: exactly what the README documents, with clear errors naming the field."""

import io
import json

import pytest

from scamshield.errors import InputError
from scamshield.inputs import message_from_dict, parse_json_message, read_jsonl


def test_sms_with_optional_fields_and_unknown_fields_ignored():
    m = message_from_dict({"id": "a1", "channel": "sms", "sender": "HMRC", "text": "hi", "colour": "red"})
    assert (m.id, m.channel, m.sender, m.text, m.direction) == ("a1", "sms", "HMRC", "hi", "incoming")


def test_call_with_turns_and_times():
    m = message_from_dict({"channel": "call", "direction": "outgoing", "dialled": "03002003300",
                           "turns": [{"speaker": "caller", "text": "hello", "start": 0, "end": 2.1},
                                     {"speaker": "callee", "text": "hi"}]})
    assert m.turns[0].end == 2.1 and m.turns[1].start is None and m.dialled == "03002003300"


def test_numeric_id_becomes_string():
    assert message_from_dict({"id": 7, "text": "x"}).id == "7"


@pytest.mark.parametrize(
    "data,needle",
    [
        ({"channel": "sms"}, "missing required field 'text'"),
        ({"text": "   "}, "'text' is empty"),
        ({"text": 5}, "'text' must be a string"),
        ({"text": "x", "channel": "fax"}, "unknown channel 'fax'"),
        ({"text": "x", "direction": "sideways"}, "unknown direction"),
        ({"channel": "call", "turns": []}, "'turns' is empty"),
        ({"channel": "call", "turns": "hello"}, "must be a list"),
        ({"channel": "call", "turns": [{"speaker": "caller"}]}, "turn 0: missing required field 'text'"),
        ({"channel": "call", "turns": [{"speaker": "robot", "text": "x"}]}, "unknown speaker 'robot'"),
        ({"channel": "call", "turns": [{"speaker": "caller", "text": "x", "start": -1}]}, "non-negative"),
        ({"channel": "call", "turns": [{"speaker": "caller", "text": "x", "start": "soon"}]}, "'start'"),
        ([1, 2], "expected a JSON object"),
    ],
)
def test_bad_input_names_the_problem(data, needle):
    with pytest.raises(InputError, match=None) as exc:
        message_from_dict(data, where="line 3: ")
    assert needle in str(exc.value) and str(exc.value).startswith("line 3: ")


@pytest.mark.parametrize(
    "raw,needle",
    [(b"{not json", "invalid JSON"), (b"\xff\xfe{}", "not valid UTF-8"), (b"[" * 100000, "JSON")],
)
def test_raw_json_errors(raw, needle):
    with pytest.raises(InputError) as exc:
        parse_json_message(raw)
    assert needle in str(exc.value)


def test_jsonl_bad_lines_do_not_spoil_the_rest():
    lines = [
        json.dumps({"id": "1", "text": "ok"}).encode(),
        b"{broken",
        b"",
        json.dumps({"id": "3", "text": "x", "channel": "pager"}).encode(),
        b"\xc3\x28",
        json.dumps({"id": "5", "text": "also ok"}).encode(),
    ]
    out = list(read_jsonl(io.BytesIO(b"\n".join(lines) + b"\n")))
    kinds = [(n, type(x).__name__) for n, x in out]
    assert kinds == [(1, "Message"), (2, "InputError"), (4, "InputError"), (5, "InputError"), (6, "Message")]
    assert "line 4: unknown channel" in str(out[2][1])
