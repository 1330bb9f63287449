"""A stand-in for the national database's receiver, run as its own process by the tests.

    python -m tests.api.national_receiver --port 0 --token SECRET

Prints ``READY <port>`` once listening. ``POST /records`` takes a batch as documented in
docs/national-export.md (§2 the document, §6 the HTTP exchange) and checks it: the bearer token,
the format and its version, the count, and each record's required fields for its kind. A
record whose ``record_id`` it already holds is acknowledged again but not stored twice. It
answers the receipt ``{"receipt", "accepted", "rejected"}``; a malformed document gets 400 with
the problems. ``GET /received`` returns what it holds: ``{"records": [...], "duplicates": n,
"batches": [...]}``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FORMAT = "kpi-congvu/national-db-results"
VERSIONS = (2,)
KINDS = ("period_result", "annual_rating", "correction", "cancellation")

STATE = {"records": {}, "order": [], "duplicates": 0, "batches": []}
LOCK = threading.Lock()


def _date(value) -> bool:
    try:
        datetime.date.fromisoformat(value)
        return True
    except (TypeError, ValueError):
        return False


def record_problems(record) -> list[str]:
    problems = []
    if not isinstance(record, dict):
        return ["not an object"]
    if not isinstance(record.get("record_id"), int):
        problems.append("record_id must be an integer")
    kind = record.get("kind")
    if kind not in KINDS:
        problems.append(f"unknown kind {kind!r}")
    for name in ("result_date", "due_date"):
        if not _date(record.get(name)):
            problems.append(f"{name} must be yyyy-mm-dd")
    person = record.get("civil_servant") or {}
    if not person.get("official_id"):
        problems.append("civil_servant.official_id missing")
    if not (record.get("agency") or {}).get("code"):
        problems.append("agency.code missing")
    if kind in ("correction", "cancellation"):
        if not isinstance(record.get("corrects_record_id"), int):
            problems.append("corrects_record_id must be the original record_id")
        if not record.get("reason"):
            problems.append("reason missing")
    elif record.get("corrects_record_id") is not None:
        problems.append("corrects_record_id only on corrections and cancellations")
    if kind == "cancellation" and record.get("result") is not None:
        problems.append("a cancellation has result null")
    if kind in ("period_result", "annual_rating", "correction"):
        result = record.get("result")
        if not isinstance(result, dict) or not result.get("rating"):
            problems.append("result.rating missing")
    if kind == "period_result" and not (record.get("period") or {}).get("code"):
        problems.append("period.code missing")
    if kind == "annual_rating" and not isinstance(record.get("year"), int):
        problems.append("year missing")
    return problems


class Handler(BaseHTTPRequestHandler):
    token = ""

    def log_message(self, *args):  # quiet
        pass

    def _answer(self, status: int, body: dict) -> None:
        data = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path != "/received":
            return self._answer(404, {"error": "not found"})
        with LOCK:
            records = [STATE["records"][pk] for pk in STATE["order"]]
            return self._answer(
                200,
                {
                    "records": records,
                    "duplicates": STATE["duplicates"],
                    "batches": STATE["batches"],
                },
            )

    def do_POST(self):
        if self.path != "/records":
            return self._answer(404, {"error": "not found"})
        if self.headers.get("Authorization") != f"Bearer {self.token}":
            return self._answer(401, {"error": "bad token"})
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            doc = json.loads(body)
        except ValueError:
            return self._answer(400, {"error": "not JSON"})
        problems = []
        if doc.get("format") != FORMAT:
            problems.append("format")
        if doc.get("format_version") not in VERSIONS:
            problems.append("format_version")
        records = doc.get("records")
        if not isinstance(records, list) or doc.get("count") != len(records):
            problems.append("count")
        if not doc.get("batch") or doc.get("batch") != self.headers.get("Idempotency-Key"):
            problems.append("batch / Idempotency-Key")
        if problems:
            return self._answer(400, {"error": "malformed batch", "problems": problems})
        accepted, rejected = [], []
        with LOCK:
            STATE["batches"].append(doc["batch"])
            for record in records:
                found = record_problems(record)
                if found:
                    rejected.append(
                        {"record_id": record.get("record_id"), "reason": "; ".join(found)}
                    )
                    continue
                pk = record["record_id"]
                if pk in STATE["records"]:
                    STATE["duplicates"] += 1
                else:
                    STATE["records"][pk] = record
                    STATE["order"].append(pk)
                accepted.append(pk)
            receipt = f"RCPT-{len(STATE['batches'])}"
        return self._answer(200, {"receipt": receipt, "accepted": accepted, "rejected": rejected})


def main(argv=None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--token", required=True)
    options = parser.parse_args(argv)
    Handler.token = options.token
    server = ThreadingHTTPServer(("127.0.0.1", options.port), Handler)
    print(f"READY {server.server_address[1]}", flush=True)
    sys.stdout.flush()
    server.serve_forever()


if __name__ == "__main__":
    main()
