"""No byte of a connection string's secret part reaches a message, however malformed it is.

libpq's parser quotes the offending text (``invalid percent-encoded token: "Pass%ZZ..."``);
db_migrate.engine.conninfo parses first and describes problems by position instead.
"""

from __future__ import annotations

import pytest
from psycopg.conninfo import conninfo_to_dict

from db_migrate.engine import conninfo
from db_migrate.engine.connection import connect, describe_target, password_of
from db_migrate.engine.conninfo import InvalidConnectionString
from db_migrate.engine.errors import InvalidInput, Unavailable
from db_migrate.engine.options import RunOptions
from tests.fakepg import fake_server
from tests.secret_shapes import CANARY, MALFORMED, VALID_WITH_CANARY

OPTIONS = RunOptions(application_name="redaction-test", connect_timeout_s=3)


@pytest.mark.parametrize("shape", sorted(MALFORMED))
def test_malformed_string_is_refused_naming_its_origin_without_quoting_it(shape: str) -> None:
    with pytest.raises(InvalidConnectionString) as err:
        conninfo.parse(MALFORMED[shape], "Secret ns/db key url")
    message = str(err.value)
    assert message.startswith("Secret ns/db key url: ")
    assert CANARY not in message and "Pass" not in message
    assert isinstance(err.value, InvalidInput) and not err.value.transient


@pytest.mark.parametrize("shape", sorted(MALFORMED))
def test_connect_refuses_malformed_string_as_invalid_input_without_quoting_it(shape: str) -> None:
    with pytest.raises(InvalidConnectionString) as err:
        connect(MALFORMED[shape], OPTIONS, database="db")
    assert CANARY not in str(err.value)
    assert CANARY not in describe_target(MALFORMED[shape])
    assert password_of(MALFORMED[shape]) is None


def test_messages_say_what_is_wrong_and_where() -> None:
    def problem(text: str) -> str:
        with pytest.raises(InvalidConnectionString) as err:
            conninfo.parse(text, "--url")
        return str(err.value)

    assert problem(MALFORMED["no-scheme"]) == (
        "--url: is not a postgresql:// URL, nor a key=value connection string "
        "(the value is not shown)")
    assert problem("postgresql://es1:Pass%ZZ@h/db") == (
        "--url: has a bad percent-escape at position 22 (the value is not shown)")
    assert "has a space or control character (encode it as %XX) at position 22" in \
        problem("postgresql://es1:Pass word@h/db")
    assert "has a port that is not a number from 1 to 65535" in problem("postgresql://h:0/db")
    assert "has an unterminated quoted value" in problem("password='x")


@pytest.mark.parametrize("text", [
    "postgresql://u:p%40ss@h:5433/db?sslmode=require&application_name=x",
    "postgres://h",
    "postgresql:///db",
    "postgresql://u@h1:1,h2:2/db?target_session_attrs=read-write",
    "host=h port=5 password='a b\\'c' dbname=x",
    "postgres://u@h/db?password=secret",
])
def test_accepted_strings_mean_what_libpq_makes_of_them(text: str) -> None:
    params = conninfo.parse(text, "test")
    assert conninfo_to_dict(conninfo.to_conninfo(params)) == params
    libpq = {k: str(v) for k, v in conninfo_to_dict(text).items() if k != "port" or str(v).strip(",")}
    assert params == libpq


@pytest.mark.parametrize("shape", sorted(VALID_WITH_CANARY))
def test_connection_failure_does_not_show_the_password(shape: str) -> None:
    with pytest.raises(Unavailable) as err:
        connect(VALID_WITH_CANARY[shape], OPTIONS, database="db")
    assert "cannot connect to es1 on 127.0.0.1:1" in str(err.value)
    assert CANARY not in str(err.value)


def test_libpq_errors_that_echo_an_option_value_are_scrubbed() -> None:
    # libpq quotes sslrootcert in "root certificate file ... does not exist": reached only
    # once the server accepts TLS, hence the fake server answering 'S'.
    with fake_server(accept_ssl=True) as fake:
        url = (f"postgresql://es1:pw@127.0.0.1:{fake.port}/es1?sslmode=verify-full"
               f"&sslrootcert=/nonexistent/{CANARY}")
        with pytest.raises(Unavailable) as err:
            connect(url, OPTIONS, database="db")
    assert "root certificate file" in str(err.value)
    assert CANARY not in str(err.value)
