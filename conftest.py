"""Suite-wide guard: no test module may leave committed rows behind.

On PostgreSQL the test database lives for the whole run, so a fixture that commits (a module
fixture with django_db_blocker, a transaction=True test, a live server) and does not clean up
breaks whichever module happens to run next. After every module that used the database this
checks, outside any transaction, that every table but Django's own bookkeeping is empty again;
otherwise it fails naming the module and the tables, and flushes the database so that the modules
after it run as they would have.

PostgreSQL also gets a planner that does not depend on test order: no autovacuum on the test
database, and the tables truncated (they are empty) after each module, see django_db_setup.

`pytest --module-order reverse` (or `shuffle:SEED`) runs the modules in another order.
"""

import random

import pytest

#: Filled by migrate's post_migrate signal (and again after a flush), not by tests.
BOOKKEEPING = {"django_migrations", "django_content_type", "auth_permission"}
DB_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback",
               "live_server"}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--module-order", default="", metavar="reverse|shuffle:SEED",
                     help="run the test modules in reverse or shuffled order (each module's own "
                          "tests keep theirs): a check that no module depends on another")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    order = config.getoption("--module-order")
    if not order:
        return
    modules: dict[str, list[pytest.Item]] = {}
    for item in items:
        modules.setdefault(item.nodeid.split("::")[0], []).append(item)
    groups = list(modules.values())
    if order == "reverse":
        groups.reverse()
    elif order.startswith("shuffle:") and order[8:].isdigit():
        random.Random(int(order[8:])).shuffle(groups)
    else:
        raise pytest.UsageError(f"--module-order={order}: reverse または shuffle:SEED を指定してください")
    items[:] = [item for group in groups for item in group]


def _uses_database(item: pytest.Item) -> bool:
    return (item.get_closest_marker("django_db") is not None
            or bool(DB_FIXTURES & set(getattr(item, "fixturenames", ()))))


def committed_tables() -> list[str]:
    """The tables holding rows (as the connection sees them: committed ones between tests)."""
    from django.db import connection

    with connection.cursor() as cursor:
        full = []
        for name in _user_tables(connection, cursor):
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(name)} LIMIT 1")
            if cursor.fetchone() is not None:
                full.append(name)
    return full


def _user_tables(connection, cursor) -> list[str]:
    return sorted(name for name in connection.introspection.table_names(cursor)
                  if name not in BOOKKEEPING)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """PostgreSQL: no autovacuum on the test database's tables.

    Tests write inside transactions that are rolled back, so autovacuum only ever sees empty
    tables: an ANALYZE between two tests records 0 rows, and the planner then joins a few
    thousand rows of the next test by nested loops over whole tables (minutes, not
    milliseconds). Never analysed, a table's size is estimated from its pages at plan time.
    """
    from django.db import connection

    if connection.vendor == "postgresql":
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            for table in _user_tables(connection, cursor):
                cursor.execute(f"ALTER TABLE {connection.ops.quote_name(table)} "
                               "SET (autovacuum_enabled = false, toast.autovacuum_enabled = false)")
        connection.close()
    return


def _reset_postgresql_tables(connection) -> None:
    """Truncate the (empty) tables: dead rows of rolled-back tests and any statistics an ANALYZE
    (demo-data runs one) left in pg_class are dropped, so the next module plans afresh."""
    with connection.cursor() as cursor:
        tables = [connection.ops.quote_name(t) for t in _user_tables(connection, cursor)]
        cursor.execute(f"TRUNCATE {', '.join(tables)}")


@pytest.fixture(scope="module", autouse=True)
def _no_rows_outlive_the_module(request, django_db_blocker):
    yield
    items = [item for item in request.session.items
             if getattr(item, "module", None) is request.module]
    if not any(_uses_database(item) for item in items):
        return
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.in_atomic_block:  # a module fixture's transaction still open: not ours
            return
        leaked = committed_tables()
        if leaked:  # empty it again, so only the culprit is reported, not every module after it
            from django.core.management import call_command

            call_command("flush", interactive=False, verbosity=0)
        elif connection.vendor == "postgresql":
            _reset_postgresql_tables(connection)
        # Playwright's event loop gives the main thread per-context connections (asgiref): one
        # opened here would outlive the run and keep the test database from being dropped.
        connection.close()
    if leaked:
        pytest.fail(f"{request.module.__name__} のテストがデータを残しました"
                    f"（後続のテストが影響を受けます）: {', '.join(leaked)}", pytrace=False)


@pytest.fixture(scope="session", autouse=True)
def _kyosai_home(tmp_path_factory):
    """KYOSAI_HOME in a temporary directory for the whole run: imports keep their files there
    (core.filestore), and nothing is written under the working tree's ./var."""
    from django.conf import settings

    previous = settings.KYOSAI_HOME
    settings.KYOSAI_HOME = tmp_path_factory.mktemp("kyosai-home")
    yield
    settings.KYOSAI_HOME = previous
