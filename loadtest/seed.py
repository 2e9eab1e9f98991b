#!/usr/bin/env python3
"""Fills a HookGate database with N copies of the receipts, events and deliveries a real gateway stored, for timing
the console's pages on a big store (loadtest/console-pages.sh).

  seed.py sqlite <file> <events>
  seed.py postgres <url> <events>

The templates are the rows already in the database (a few webhooks the gateway ingested), so every copy has the
shape the gateway writes. Copy n gets fresh time-sortable ids spread over the last seven days, its own provider
event id and subject (replaced in the receipt body and the CloudEvent too), and one delivery whose status follows a
realistic mix: 98 % succeeded after one attempt, 1 % dead after three, 0.5 % pending a retry, the newest 0.5 %
pending their first attempt. Destinations alternate between the configured targets.
"""
import csv
import io
import json
import subprocess
import sqlite3
import sys
import time
from datetime import datetime, timezone

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
DAY_MS = 86_400_000


def base32(value, digits):
    return "".join(ALPHABET[(value >> (5 * (digits - 1 - i))) & 31] for i in range(digits))


def identifier(prefix, milliseconds, n):
    """A ULID-shaped id like Identifier.make: 10 digits of milliseconds, then 16 of (here) a counter."""
    return prefix + base32(milliseconds, 10) + base32(n, 16)


class Templates:
    """The rows a real ingest stored: one receipt, its event and that event's deliveries, per template."""

    def __init__(self, rows):
        self.rows = rows

    def copy(self, n, count, now_ms, destinations):
        receipt, event = self.rows[n % len(self.rows)]
        # Oldest first, so ids grow with n, as they do when a gateway writes them.
        at_ms = now_ms - 7 * DAY_MS + (7 * DAY_MS - 60_000) * n // count
        receipt_id, event_id, delivery_id = (identifier(p, at_ms, n) for p in ("rcp_", "evt_", "dlv_"))
        provider_id, subject = f"{receipt['dedupe_key']}_{n}", f"{event['subject']}_{n}" if event["subject"] else None
        replacements = [(receipt["dedupe_key"], provider_id), (event["id"], event_id), (receipt["id"], receipt_id)]
        if subject:
            replacements.append((event["subject"], subject))

        def rewrite(data):
            for old, new in replacements:
                data = data.replace(old.encode(), new.encode())
            return data

        destination = destinations[n % len(destinations)]
        newest = count - n <= count // 200
        mix = n % 200
        if newest:
            status, attempts, next_ms, last_status = "pending", 0, at_ms, None
        elif mix < 2:
            status, attempts, next_ms, last_status = "dead", 3, at_ms + 3_600_000, 503
        elif mix == 2:
            status, attempts, next_ms, last_status = "pending", 2, now_ms + 600_000, 500
        else:
            status, attempts, next_ms, last_status = "succeeded", 1, at_ms + 40, 200
        attempt_rows = [
            (delivery_id, number, at_ms + 20 + (number - 1) * 1_800_000, 35 if last_status == 200 else 5_000, last_status,
             None if last_status == 200 else "HTTP 503", '{"ok":true}' if last_status == 200 else "upstream unavailable")
            for number in range(1, attempts + 1)
        ]
        return (
            (receipt_id, receipt["source"], provider_id, receipt["status"], at_ms, receipt["headers"], rewrite(receipt["body"])),
            (event_id, receipt_id, event["seq"], event["source"], event["type"], subject, at_ms, rewrite(event["payload"])),
            (delivery_id, event_id, destination, status, attempts, next_ms, last_status, at_ms, next_ms if attempts else at_ms, 0),
            attempt_rows,
        )


def seed_sqlite(path, count):
    db = sqlite3.connect(path)
    receipts = db.execute("SELECT id, source, dedupe_key, status, headers, body FROM receipts").fetchall()
    templates = []
    for rid, source, dedupe_key, status, headers, body in receipts:
        for eid, seq, esource, etype, subject, payload in db.execute(
                "SELECT id, seq, source, type, subject, payload FROM events WHERE receipt_id = ?", (rid,)):
            templates.append(({"id": rid, "source": source, "dedupe_key": dedupe_key, "status": status, "headers": headers, "body": bytes(body)},
                              {"id": eid, "seq": seq, "source": esource, "type": etype, "subject": subject, "payload": bytes(payload)}))
    destinations = sorted({row[0] for row in db.execute("SELECT DISTINCT destination FROM deliveries")})
    plan = Templates(templates)
    now_ms = int(time.time() * 1000)
    micro = 1000
    for start in range(0, count, 20_000):
        batch = [plan.copy(n, count, now_ms, destinations) for n in range(start, min(count, start + 20_000))]
        with db:
            db.executemany("INSERT INTO receipts (id, source, dedupe_key, status, received_at, headers, body) VALUES (?,?,?,?,?,?,?)",
                           [(r[0], r[1], r[2], r[3], r[4] * micro, r[5], r[6]) for r, _, _, _ in batch])
            db.executemany("INSERT INTO events (id, receipt_id, seq, source, type, subject, time, payload) VALUES (?,?,?,?,?,?,?,?)",
                           [(e[0], e[1], e[2], e[3], e[4], e[5], e[6] * micro, e[7]) for _, e, _, _ in batch])
            db.executemany(
                "INSERT INTO deliveries (id, event_id, destination, status, attempts, next_attempt_at, last_status, created_at, updated_at, series_start)"
                " VALUES (?,?,?,?,?,?,?,?,?,?)",
                [(d[0], d[1], d[2], d[3], d[4], d[5] * micro, d[6], d[7] * micro, d[8] * micro, d[9]) for _, _, d, _ in batch])
            db.executemany(
                "INSERT INTO delivery_attempts (delivery_id, number, started_at, duration_ms, status_code, error, response_snippet) VALUES (?,?,?,?,?,?,?)",
                [(a[0], a[1], a[2] * micro, a[3], a[4], a[5], a[6]) for _, _, _, attempts in batch for a in attempts])
        progress(start + len(batch), count)
    db.executescript(REFILL_HEALTH)
    db.commit()
    db.execute("ANALYZE")
    db.close()


def stamp(milliseconds):
    return datetime.fromtimestamp(milliseconds / 1000, timezone.utc).isoformat()


def seed_postgres(url, count):
    def query(sql):
        return subprocess.run(["psql", url, "-qAt", "-c", sql], check=True, capture_output=True, text=True).stdout

    templates = []
    for line in query(
            "SELECT json_build_object('r', json_build_object('id', r.id, 'source', r.source, 'dedupe_key', r.dedupe_key, 'status', r.status,"
            " 'headers', r.headers, 'body', encode(r.body, 'hex')), 'e', json_build_object('id', e.id, 'seq', e.seq, 'source', e.source,"
            " 'type', e.type, 'subject', e.subject, 'payload', encode(e.payload, 'hex'))) FROM receipts r JOIN events e ON e.receipt_id = r.id"
    ).splitlines():
        row = json.loads(line)
        row["r"]["body"], row["e"]["payload"] = bytes.fromhex(row["r"]["body"]), bytes.fromhex(row["e"]["payload"])
        templates.append((row["r"], row["e"]))
    destinations = sorted(query("SELECT DISTINCT destination FROM deliveries").split())
    plan = Templates(templates)
    now_ms = int(time.time() * 1000)
    tables = {
        "receipts": "receipts (id, source, dedupe_key, status, received_at, headers, body)",
        "events": "events (id, receipt_id, seq, source, type, subject, time, payload)",
        "deliveries": "deliveries (id, event_id, destination, status, attempts, next_attempt_at, last_status, created_at, updated_at, series_start)",
        "attempts": "delivery_attempts (delivery_id, number, started_at, duration_ms, status_code, error, response_snippet)",
    }
    for start in range(0, count, 50_000):
        batch = [plan.copy(n, count, now_ms, destinations) for n in range(start, min(count, start + 50_000))]
        columns = {
            "receipts": [(r[0], r[1], r[2], r[3], stamp(r[4]), r[5], "\\x" + r[6].hex()) for r, _, _, _ in batch],
            "events": [(e[0], e[1], e[2], e[3], e[4], e[5], stamp(e[6]), "\\x" + e[7].hex()) for _, e, _, _ in batch],
            "deliveries": [(d[0], d[1], d[2], d[3], d[4], stamp(d[5]), d[6], stamp(d[7]), stamp(d[8]), d[9]) for _, _, d, _ in batch],
            "attempts": [(a[0], a[1], stamp(a[2]), a[3], a[4], a[5], a[6]) for _, _, _, attempts in batch for a in attempts],
        }
        # One psql, one transaction per batch: the four COPYs in order, so every reference exists when it is checked.
        script = io.StringIO()
        script.write("BEGIN;\n")
        for name, rows in columns.items():
            script.write(f"COPY {tables[name]} FROM STDIN WITH (FORMAT csv);\n")
            writer = csv.writer(script, lineterminator="\n")
            for row in rows:
                writer.writerow(["" if value is None else value for value in row])
            script.write("\\.\n")
        script.write("COMMIT;\n")
        subprocess.run(["psql", url, "-q", "-v", "ON_ERROR_STOP=1"], input=script.getvalue(), check=True, text=True, stdout=subprocess.DEVNULL)
        progress(start + len(batch), count)
    query(REFILL_HEALTH)
    query("VACUUM ANALYZE")


# The copies' attempts bypassed the gateway's outcome path, so each destination's last success and failure
# (migration 7's destination_health) is filled again from them, as the migration does from a history.
REFILL_HEALTH = """
DELETE FROM destination_health;
INSERT INTO destination_health (destination, last_success_at, last_failure_at)
SELECT d.destination, max(CASE WHEN a.status_code BETWEEN 200 AND 299 THEN a.started_at END),
  max(CASE WHEN a.status_code BETWEEN 200 AND 299 THEN NULL ELSE a.started_at END)
FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id GROUP BY d.destination
"""


def progress(done, count):
    if done % 100_000 == 0 or done == count:
        print(f"seeded {done:,} of {count:,} events", file=sys.stderr, flush=True)


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in ("sqlite", "postgres"):
        sys.exit(__doc__)
    backend, target, events = sys.argv[1], sys.argv[2], int(sys.argv[3])
    (seed_sqlite if backend == "sqlite" else seed_postgres)(target, events)
