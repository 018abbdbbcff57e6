"""Where a feed may lead: a public feed never reaches a private address, by redirect, DNS answer or proxy.

Everything runs on loopback. A second test server listens on 127.0.0.2, and
one narrow patch makes ingest's address classification see 127.0.0.2 (and
only it) as public, so a "public" feed can redirect to the private server on
127.0.0.1 and be refused, while the private server logs that it was never asked.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from ipaddress import ip_address
from pathlib import Path
from typing import Any

import pytest

import test_ingest
from broadsheet.cli import main
from broadsheet.ingest import addresses
from test_ingest import ATOM, FeedServer, Route, make_site, run, stored_files

server = test_ingest.server  # the loopback server fixture of test_ingest, on 127.0.0.1: the "private" one

PUBLIC_HOST = "127.0.0.2"
WHY = "a feed at a public address may lead only to public addresses"


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("93.184.215.14", ""),
        ("8.8.8.8", ""),
        ("127.0.0.1", "loopback"),
        ("127.255.255.254", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"),
        ("100.64.0.1", "carrier-grade NAT"),
        ("0.0.0.0", "unspecified"),
        ("224.0.0.251", "multicast"),
        ("240.0.0.1", "private"),  # Python counts 240.0.0.0/4 as private (and reserved)
        ("255.255.255.255", "private"),
        ("192.0.2.1", "private"),  # documentation
        ("2606:4700:4700::1111", ""),
        ("::1", "loopback"),
        ("::", "unspecified"),
        ("fe80::1", "link-local"),
        ("fd00::1", "private"),  # unique-local
        ("fc00::1", "private"),
        ("fec0::1", "site-local"),
        ("ff02::1", "multicast"),
        ("2001:db8::1", "private"),  # documentation
        ("::ffff:8.8.8.8", ""),  # IPv4-mapped: judged by the IPv4 address it reaches
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:169.254.169.254", "link-local"),
        ("::ffff:10.0.0.1", "private"),
        ("2002:7f00:1::", "loopback"),  # 6to4 around 127.0.0.1
        ("2002:808:808::1", ""),  # 6to4 around 8.8.8.8
        ("64:ff9b::a9fe:a9fe", "link-local"),  # NAT64 around 169.254.169.254
        ("64:ff9b::808:808", ""),  # NAT64 around 8.8.8.8 (an IPv6-only network's way to a public feed)
    ],
)
def test_addresses_are_public_or_named_for_what_they_are(address: str, kind: str) -> None:
    assert addresses.non_public(ip_address(address)) == kind


@pytest.mark.parametrize("host", ["localhost", "127.1", "2130706433", "0x7f.0.0.1", "0177.0.0.1", "::ffff:127.0.0.1"])
def test_host_names_and_numeric_forms_are_resolved_as_a_connection_would_be(host: str) -> None:
    found = addresses.resolve(host, 80)
    assert found and all(addresses.non_public(address) == "loopback" for address in found)


@pytest.fixture
def public(server: FeedServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[FeedServer]:
    """A server on 127.0.0.2 that ingest takes for a public address: the one patch of these tests."""
    outside = FeedServer(host=PUBLIC_HOST)
    try:
        outside.start()
    except OSError:
        pytest.skip(f"cannot listen on {PUBLIC_HOST} (only some systems route all of 127.0.0.0/8 to loopback)")
    seen_as_public = ip_address(PUBLIC_HOST)
    classify = addresses.non_public
    monkeypatch.setattr(addresses, "non_public", lambda address: "" if address == seen_as_public else classify(address))
    yield outside
    outside.stop()


def _port(feed_server: FeedServer) -> int:
    return int(feed_server.httpd.server_address[1])


def test_a_feed_at_a_public_address_is_not_redirected_to_a_private_one(
    public: FeedServer, server: FeedServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    public.serve("/rss", "rss20.xml")
    public.routes["/moved"] = Route(location=public.url("/rss"))
    server.serve("/internal", "atom.xml", content_type=ATOM)
    port = _port(server)
    inward = {
        "Loopback": (server.url("/internal"), "127.0.0.1 (loopback)"),
        "Named": (f"http://localhost:{port}/internal", "localhost at 127.0.0.1 (loopback)"),
        "Mapped": (f"http://[::ffff:127.0.0.1]:{port}/internal", "::ffff:127.0.0.1 (loopback)"),
    }
    for name, (target, _) in inward.items():
        public.routes[f"/{name}"] = Route(location=target)
    feeds = [{"name": "Moved", "url": public.url("/moved")}]
    feeds += [{"name": name, "url": public.url(f"/{name}")} for name in inward]
    site = make_site(tmp_path, feeds)

    status = main(["ingest", "--site", str(site), "--timeout", "5"])

    out, err = capsys.readouterr()
    assert status == 1
    assert out.splitlines()[-1].startswith("feeds: 1 new, 0 unchanged, 3 failed; entries: 3 added")
    assert err.splitlines() == [
        f"error: feed '{name}' ({public.url('/' + name)}): refused to connect to {shown}: {WHY}"
        for name, (_, shown) in inward.items()
    ]
    assert server.hits == []  # the private server was never asked
    assert len(stored_files(site)) == 3


def test_a_feed_at_a_private_address_may_lead_to_private_ones(server: FeedServer, tmp_path: Path) -> None:
    """An intranet feed, or a test server on loopback, keeps working: the rule is about leaving the public side."""
    server.serve("/rss", "rss20.xml")
    server.routes["/moved"] = Route(location=server.url("/rss"))
    site = make_site(tmp_path, [{"name": "Intranet", "url": f"http://localhost:{_port(server)}/moved"}])

    result = run(site)

    assert [r.status for r in result.reports] == ["new"]
    assert [hit.path for hit in server.hits] == ["/moved", "/rss"]


def _resolver(monkeypatch: pytest.MonkeyPatch, name: str, answers: list[str | list[str]]) -> list[str]:
    """Make ``name`` resolve to each of ``answers`` in turn (the last one from then on); returns the questions asked.

    An answer is an address, or a list of them (a name with several records).
    """
    asked: list[str] = []
    resolve: Callable[[str, int], list[addresses.IPAddress]] = addresses.resolve

    def answer(host: str, port: int) -> list[addresses.IPAddress]:
        if host != name:
            return resolve(host, port)
        asked.append(host)
        given = answers[min(len(asked), len(answers)) - 1]
        return [ip_address(one) for one in ([given] if isinstance(given, str) else given)]

    monkeypatch.setattr(addresses, "resolve", answer)
    return asked


def test_the_address_checked_is_the_address_connected_to(
    public: FeedServer, server: FeedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A name that turns private between the check and the connection (DNS rebinding) is refused; else it connects there."""
    public.serve("/rss", "rss20.xml")
    server.serve("/rss", "atom.xml", content_type=ATOM)
    asked = _resolver(monkeypatch, "feeds.example.test", [PUBLIC_HOST, "127.0.0.1"])
    site = make_site(tmp_path, [{"name": "Rebound", "url": f"http://feeds.example.test:{_port(server)}/rss"}])

    result = run(site)

    assert [r.status for r in result.reports] == ["failed"]
    assert f"refused to connect to feeds.example.test at 127.0.0.1 (loopback): {WHY}" in str(result.diagnostics.errors)
    assert server.hits == [] and len(asked) == 2

    asked = _resolver(monkeypatch, "feeds.example.test", [PUBLIC_HOST])
    site = make_site(tmp_path / "again", [{"name": "Steady", "url": f"http://feeds.example.test:{_port(public)}/rss"}])
    assert [r.status for r in run(site).reports] == ["new"]  # the name never reaches real DNS: only the answer here
    assert [hit.path for hit in public.hits] == ["/rss"] and public.hits[0].headers["host"].startswith("feeds.example.")


def test_through_a_proxy_the_target_is_checked_and_the_proxy_is_not(
    public: FeedServer, server: FeedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A proxy on a private address is the user's own choice; where it is sent from a public feed is checked."""
    proxy = server  # a plain HTTP proxy is asked for the whole URL: the loopback server answers by it
    proxy.routes[public.url("/rss")] = Route(body=(test_ingest.FIXTURES / "rss20.xml").read_bytes())
    proxy.routes[public.url("/inward")] = Route(location="http://127.0.0.1:9/secret")
    monkeypatch.setenv("http_proxy", f"http://127.0.0.1:{_port(proxy)}")
    for name in ("no_proxy", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
    feeds = [{"name": "Proxied", "url": public.url("/rss")}, {"name": "Inward", "url": public.url("/inward")}]
    site = make_site(tmp_path, feeds)

    result = run(site)

    assert [r.status for r in result.reports] == ["new", "failed"]
    assert f"refused to connect to 127.0.0.1 (loopback): {WHY}" in str(result.diagnostics.errors[0])
    assert [hit.path for hit in proxy.hits] == [public.url("/rss"), public.url("/inward")]
    assert public.hits == []


def test_one_public_address_among_a_feeds_answers_makes_it_a_public_feed(
    public: FeedServer, server: FeedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A private record added beside the public one does not let the feed lead anywhere (nor connect inward)."""
    public.serve("/rss", "rss20.xml")
    public.routes["/inward"] = Route(location=server.url("/internal"))
    server.serve("/internal", "atom.xml", content_type=ATOM)
    _resolver(monkeypatch, "feeds.example.test", [[PUBLIC_HOST, "127.0.0.1"]])
    site = make_site(tmp_path, [{"name": "Mixed", "url": f"http://feeds.example.test:{_port(public)}/inward"}])

    result = run(site)

    assert [r.status for r in result.reports] == ["failed"]
    assert f"refused to connect to feeds.example.test at 127.0.0.1 (loopback): {WHY}" in str(result.diagnostics.errors)
    assert server.hits == []


def test_a_feed_let_go_anywhere_is_reached_where_its_name_first_led(
    server: FeedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DNS rebinding the other way: private first (so the feed may lead anywhere), then the attacker's public server.

    Every look-up of the name goes through ``getaddrinfo``: a connection that
    resolved the name again would go to the second answer, where nothing listens.
    """
    server.serve("/rss", "rss20.xml")
    name, lookups = "feeds.example.test", []
    getaddrinfo = socket.getaddrinfo

    def rebinding(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host != name:
            return getaddrinfo(host, port, *args, **kwargs)
        lookups.append(host)
        return getaddrinfo("127.0.0.1" if len(lookups) == 1 else "127.0.0.3", port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    site = make_site(tmp_path, [{"name": "Rebinding", "url": f"http://{name}:{_port(server)}/rss"}])

    result = run(site)

    assert [r.status for r in result.reports] == ["new"]
    assert [hit.path for hit in server.hits] == ["/rss"] and lookups == [name]
