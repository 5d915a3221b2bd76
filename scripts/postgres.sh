# Sourced by scripts/test: a throwaway PostgreSQL server for the store tests.
#
#   . scripts/postgres.sh
#   dyad_start_postgres && trap dyad_stop_postgres EXIT
#
# dyad_start_postgres initdb's a cluster into a fresh /tmp directory and
# starts it on 127.0.0.1 (port 54329, or the next free one; $DYAD_PG_PORT
# overrides) with its Unix socket in that directory. It needs no systemd and
# works as root (the server runs as the `postgres` user, via runuser) or as an
# ordinary user. It creates the role and database dyad_test (random password)
# and exports DYAD_TEST_POSTGRES_URL and DYAD_REQUIRE_POSTGRES=1, so the
# PostgreSQL store tests run and may not skip. dyad_stop_postgres stops the
# server and removes the directory. Needs the Debian package `postgresql`.

dyad_postgres_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

# Runs a command as the server's owner.
dyad_as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

dyad_start_postgres() {
  local bin
  bin=$(dyad_postgres_bin)
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "dyad: PostgreSQL server not found (apt-get install postgresql)" >&2
    return 1
  fi
  DYAD_PG_DIR=$(mktemp -d /tmp/dyad-pg.XXXXXX)
  chmod 700 "$DYAD_PG_DIR"
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$DYAD_PG_DIR"
  local port=${DYAD_PG_PORT:-54329}
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  local password
  password=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
  # Local (socket) connections are trusted: the socket lives in a 0700
  # directory only the server's owner can enter. TCP needs the password.
  if ! dyad_as_postgres "$bin/initdb" -D "$DYAD_PG_DIR/data" -U postgres -E UTF8 --locale=C \
      --auth-local=trust --auth-host=scram-sha-256 >"$DYAD_PG_DIR/initdb.log" 2>&1; then
    cat "$DYAD_PG_DIR/initdb.log" >&2
    echo "dyad: initdb failed" >&2
    return 1
  fi
  # A test server: durability off for speed.
  if ! dyad_as_postgres "$bin/pg_ctl" -D "$DYAD_PG_DIR/data" -l "$DYAD_PG_DIR/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $DYAD_PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start >/dev/null; then
    cat "$DYAD_PG_DIR/server.log" >&2
    echo "dyad: PostgreSQL did not start" >&2
    return 1
  fi
  if ! dyad_as_postgres "$bin/psql" -h "$DYAD_PG_DIR" -p "$port" -U postgres -d postgres -q \
      -v ON_ERROR_STOP=1 -c "CREATE ROLE dyad_test LOGIN PASSWORD '$password'" \
      -c "CREATE DATABASE dyad_test OWNER dyad_test" >/dev/null; then
    echo "dyad: could not create the dyad_test role and database" >&2
    return 1
  fi
  export DYAD_PG_DIR
  export DYAD_TEST_POSTGRES_URL="postgresql://dyad_test:$password@127.0.0.1:$port/dyad_test"
  export DYAD_REQUIRE_POSTGRES=1
  echo "dyad: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port for the store tests"
}

dyad_stop_postgres() {
  [ -n "${DYAD_PG_DIR:-}" ] && [ -d "$DYAD_PG_DIR" ] || return 0
  local bin
  bin=$(dyad_postgres_bin)
  if [ -d "$DYAD_PG_DIR/data" ]; then
    dyad_as_postgres "$bin/pg_ctl" -D "$DYAD_PG_DIR/data" -m fast -w -t 30 stop >/dev/null 2>&1 || true
  fi
  rm -rf "$DYAD_PG_DIR"
  unset DYAD_PG_DIR DYAD_TEST_POSTGRES_URL DYAD_REQUIRE_POSTGRES
}
