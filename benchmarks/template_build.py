"""Benchmark: an agency's import template built, against the bare file of the same cells.

The largest template a clerk downloads is the Form 01 marks of an agency (``general_marks``):
every person × every general sub-criterion, about nine rows a person — 55,000 rows for an agency
of 6,000 people. It is built in the background above ``KPI_TEMPLATE_INLINE_ROWS`` (the export
kit), and at a province's month-end the worker builds one per agency (issue 48). This prints,
for one agency's template:

* ``read``: the people, their criteria and stored marks (the builder's queries);
* ``template``: the whole file as the clerk gets it (``kind.build_template``): the rows styled,
  unlocked, validated, the lists, the instructions, the identity, the structure locked;
* the floor, in the same run: **XlsxWriter writing the same cells' values** in one sheet, no
  format, validation or other sheet — what the file alone costs with the library the kit uses;
* the peer: **openpyxl** writing the same cells in its streaming (write-only) mode, the other
  way the project writes a workbook (``cms.xlsx.stream_book``).

Runs on a kept province (``--reuse`` a database URL, with ``--agency`` its code and ``--period``
the period's code; the rehearsal's ``province_year.py`` database) or builds one on a throwaway
database (``score_batch.py``'s synthetic province, its largest agency, March 2026)::

    .venv/bin/python benchmarks/template_build.py --people 6000
    .venv/bin/python benchmarks/template_build.py --reuse postgres://…/kpi_bench_… \\
        --agency SKHCN --period 2026-10

Each figure is the best of ``--repeat`` runs, CPU of this process (the database server's time
is not in it) and wall; the file is then read back with python-calamine (the importer's reader)
and must hold one row per template row.
"""

import argparse
import io
import os
import random
import time

from score_batch import benchmark_database, build_province, province_arguments


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    province_arguments(parser, seed=48, people=6_000, lines=2, units=300)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--reuse", default="", help="a kept province's database URL")
    parser.add_argument("--agency", default="", help="with --reuse: the agency's code")
    parser.add_argument("--period", default="", help="with --reuse: the period's code")
    return parser.parse_args()


def best(func, repeat: int):
    """``(result, best wall, best CPU)`` of ``repeat`` runs, in seconds."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        result = func()
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
    return result, min(walls), min(cpus)


def floor(rows) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet("rows")
    for line, values in enumerate(rows):
        sheet.write_row(line, 0, values)
    book.close()
    return buffer.getvalue()


def peer(rows) -> bytes:
    from cms import xlsx

    book = xlsx.stream_book()
    sheet = book.create_sheet("rows")
    for values in rows:
        sheet.append(values)
    return xlsx.stream_bytes(book)


def main():
    args = parse_args()
    rng = random.Random(args.seed)
    with benchmark_database(args):
        from django.db.models import Count

        from importers.builders import general_marks
        from importers.exports.background import template_context
        from org.models import Agency
        from scoring.models import Period

        if args.reuse:
            agency = Agency.objects.get(code=args.agency)
            period = Period.objects.for_code(args.period)
        else:
            period, *_rest = build_province(args, rng)
            agency = (
                Agency.objects.filter(parent__kind="province")
                .annotate(people=Count("postings"))
                .order_by("-people")
                .first()
            )
        params = {"kind": "general_marks", "agency": agency.pk, "period": period.pk}
        params["period_code"] = period.code
        print(f"agency {agency.code} ({agency.name}), {period.label}")
        print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

        def read():
            _kind, context = template_context(params)
            members, criteria = general_marks.people_and_criteria(context)
            return sum(len(criteria.get(official) or []) for official in members)

        expected, read_wall, read_cpu = best(read, args.repeat)

        def template():
            kind, context = template_context(params)
            return kind.build_template(context)

        data, wall, cpu = best(template, args.repeat)
        # The floor and the peer write the very cells of the template's data sheet, read back.
        from python_calamine import CalamineWorkbook

        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("Tiêu chí chung")
        rows = [
            [None if value == "" else value for value in row]
            for row in sheet.to_python(skip_empty_area=False)[2:]  # title and header rows
        ]
        _bare, floor_wall, floor_cpu = best(lambda: floor(rows), args.repeat)
        _other, peer_wall, peer_cpu = best(lambda: peer(rows), args.repeat)
        width = len(rows[0]) if rows else 0
        print(f"  {len(rows):,} rows of {width} cells; file {len(data):,} B")
        print(f"read (people, criteria)             wall {read_wall:6.2f} s  CPU {read_cpu:6.2f} s")
        print(
            f"template (read and file)            wall {wall:6.2f} s  CPU {cpu:6.2f} s"
            f"  = {cpu / max(floor_cpu + read_cpu, 1e-9):.2f}× (read + floor)"
        )
        print(
            f"floor: XlsxWriter, the same cells    wall {floor_wall:6.2f} s  CPU {floor_cpu:6.2f} s"
        )
        print(
            f"peer: openpyxl write-only, the same  wall {peer_wall:6.2f} s  CPU {peer_cpu:6.2f} s"
        )
        print(
            f"check: the file read back holds {len(rows):,} rows, the builder listed "
            f"{expected:,}" + (" — equal" if len(rows) == expected else " — DIFFERENT")
        )
        print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        if len(rows) != expected:
            raise SystemExit(1)


if __name__ == "__main__":
    main()
