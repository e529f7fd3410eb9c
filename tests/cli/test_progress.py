"""Progress: plain log lines off a terminal, a rich bar with counts and rate on one."""

import io

from app.cli.progress import track


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_plain_lines_carry_counts_and_rate_when_not_a_terminal() -> None:
    out = io.StringIO()
    with track(description="import calls", total=3, stream=out, interval=0.0) as progress:
        progress.advance(2, created=2)
        progress.advance(1, unchanged=1)
    lines = out.getvalue().splitlines()
    assert len(lines) == 3  # one per advance (interval 0) and the final line
    assert "import calls: 3/3 records (created 2, unchanged 1)" in lines[-1]
    assert lines[-1].endswith("records/s")


def test_plain_lines_are_throttled_to_the_interval() -> None:
    out = io.StringIO()
    with track(description="sync", stream=out, interval=3600) as progress:
        for _ in range(100):
            progress.advance()
    assert out.getvalue().count("\n") == 1
    assert "sync: 100 records" in out.getvalue()


def test_terminal_gets_a_bar_with_counts() -> None:
    out = _Terminal()
    with track(description="import leads", total=10, unit="leads", stream=out) as progress:
        progress.advance(10, created=7, rejected=3)
    text = out.getvalue()
    assert "import leads" in text
    assert "10/10" in text
    assert "created 7, rejected 3" in text
    assert "leads/s" in text
