"""The helpers the benchmarks in bench/ read pages and plans with: they must keep finding the last
page in the pagination the lists render, or the scale check measures the wrong page."""

import re

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.template.loader import render_to_string

from bench.measure import (
    DatabaseCpu,
    indexes_in_plan,
    last_page_url,
    next_page_url,
    percentile,
    percentile_of,
    shown_page_number,
    total_pages,
    verdict,
)


def pagination(number: int, pages: int, query: str = "") -> str:
    """The lists' own pagination (templates/federation/_pagination.html) for page `number` of a
    numbered list. The page carries what a Django Page offers and the links a keyset-paged list's
    page names (first / previous / next / last query), so the test reads the template as it is."""
    page = Paginator(range(pages * 50), 50).page(number)
    page.num_pages = pages
    page.first_query = "page=1" if number > 1 else ""
    page.previous_query = f"page={number - 1}" if number > 1 else ""
    page.next_query = f"page={number + 1}" if number < pages else ""
    page.last_query = f"page={pages}" if number < pages else ""
    return render_to_string("federation/_pagination.html", {"page": page, "query": query})


def test_last_page_is_found_from_the_first_page_of_a_list():
    html = pagination(1, 4689)

    assert total_pages(html) == 4689
    assert last_page_url("/members/", html) == "/members/?page=4689"


def test_last_page_keeps_the_search_of_the_list():
    html = pagination(1, 12, query="q=%E5%BC%A0")

    assert last_page_url("/members/?q=%E5%BC%A0", html) == "/members/?q=%E5%BC%A0&page=12"
    assert next_page_url("/members/?q=%E5%BC%A0", html) == "/members/?q=%E5%BC%A0&page=2"


def test_a_list_of_one_page_has_no_last_page_to_measure():
    assert last_page_url("/members/", pagination(1, 1)) is None


def test_a_last_link_is_followed_as_it_is_when_the_paging_offers_one():
    html = (
        '<nav class="pagination"><a href="?after=91">下一页</a>'
        '<a rel="last" href="?before=end&amp;q=x">末页</a></nav>'
    )

    assert last_page_url("/members/?q=x", html) == "/members/?before=end&q=x"
    assert total_pages(html) is None


def test_the_page_shown_is_read_from_the_pagination():
    assert shown_page_number(pagination(1000, 4689)) == 1000


def test_indexes_are_read_from_every_kind_of_index_scan_in_a_plan():
    plan = """Nested Loop
  ->  Index Only Scan Backward using members_member_pkey on members_member m
  ->  Bitmap Heap Scan on members_membershipchange
        ->  Bitmap Index Scan on members_membershipchange_member_id_9c76b8bc
  ->  Index Scan using "federation_federation_path_6d8c30af" on federation_federation
  ->  Index Scan using members_member_pkey on members_member m2
  ->  Seq Scan on unions_grassrootsunion"""

    assert indexes_in_plan(plan) == [
        "members_member_pkey",
        "members_membershipchange_member_id_9c76b8bc",
        "federation_federation_path_6d8c30af",
    ]


def test_verdict_holds_p95_to_the_target_and_fails_a_page_that_did_not_answer():
    assert verdict(150.0, 150, 200) == "PASS"
    assert verdict(151.0, 150, 200) == "FAIL"
    assert verdict(10.0, 150, 302) == "FAIL"
    assert verdict(10.0, None, 200) == "—"


def test_percentiles_are_nearest_rank():
    assert percentile([float(n) for n in range(1, 21)], 0.95) == 19.0
    assert percentile([5.0, 1.0, 3.0], 0.95) == 5.0
    # locust's histogram: 90 requests at 100 ms, 9 at 2 s, 1 at 9 s.
    histogram = {"100": 90, "2000": 9, "9000": 1}
    assert percentile_of(histogram, 0.5) == 100.0
    assert percentile_of(histogram, 0.95) == 2000.0
    assert percentile_of(histogram, 0.99) == 2000.0
    assert percentile_of(histogram, 1.0) == 9000.0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's parallel workers")
@pytest.mark.django_db
def test_database_cpu_counts_the_parallel_workers_of_a_query():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
        cursor.execute("CREATE TABLE bench_rows AS SELECT g AS n FROM generate_series(1, 600000) g")
        for setting in ("parallel_setup_cost", "parallel_tuple_cost", "min_parallel_table_scan_size"):
            cursor.execute(f"SET LOCAL {setting} = 0")
        cursor.execute("SET LOCAL max_parallel_workers_per_gather = 2")
        with DatabaseCpu(pid) as db:
            cursor.execute("EXPLAIN ANALYZE SELECT count(*) FROM bench_rows WHERE md5(n::text) LIKE '0%%'")
            plan = "\n".join(row[0] for row in cursor.fetchall())
    launched = int(re.search(r"Workers Launched: (\d+)", plan).group(1))
    if launched == 0:
        pytest.skip("PostgreSQL started no parallel worker (all busy)")

    assert len(db.workers) == launched
    assert db.seconds > 0
