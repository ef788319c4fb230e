#!/usr/bin/env bash
# Prepares this machine's own services for Data Pusher: starts PostgreSQL and RabbitMQ if they
# are down, enables RabbitMQ's AMQP 1.0 plugin, creates the dev and test databases and a dev
# JWT key pair. Safe to run again; each step does nothing when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[prepare] %s\n' "$*"; }

if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  log "starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi

# RabbitMQ not installed here but 127.0.0.1:5672 answering is one run elsewhere (the hosted CI
# workflow's service container, .github/workflows/ci.yml, which enables the plugin itself): use
# it as it is, and skip the two local steps below.
external_rabbitmq=false
if ! command -v rabbitmq-server >/dev/null 2>&1 && (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null; then
  log "RabbitMQ is not installed here but 127.0.0.1:5672 answers: using that broker as it is"
  external_rabbitmq=true
fi

if ! $external_rabbitmq && ! rabbitmq-diagnostics -q ping >/dev/null 2>&1; then
  log "starting RabbitMQ"
  rabbitmq-server -detached
  for _ in $(seq 1 60); do rabbitmq-diagnostics -q ping >/dev/null 2>&1 && break; sleep 1; done
fi

if ! $external_rabbitmq && ! rabbitmq-plugins list -e -m 2>/dev/null | grep -qx rabbitmq_amqp1_0; then
  log "enabling RabbitMQ's AMQP 1.0 plugin"
  rabbitmq-plugins enable rabbitmq_amqp1_0 >/dev/null
fi

# DATAPUSHER_TEST_DB gives a run its own database (and queue), e.g. a second checkout.
for db in datapusher "${DATAPUSHER_TEST_DB:-datapusher_test}"; do
  if ! psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
    log "creating database $db"
    psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $db"
  fi
done

# Dev-only key pair; production mounts its own (see README, Configuration).
if [ ! -f .keys/private.pem ]; then
  log "making a dev JWT key pair in .keys/"
  mkdir -p .keys
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out .keys/private.pem 2>/dev/null
  openssl pkey -in .keys/private.pem -pubout -out .keys/public.pem
  chmod 600 .keys/private.pem
fi
log "ready: PostgreSQL 127.0.0.1:5432, RabbitMQ AMQP 1.0 127.0.0.1:5672"
