#!/usr/bin/env python3
"""Summaries for scripts/nanoclr-bench.sh, from the bench output it keeps (device/OneBit.Bench/Program.cs prints it).

  nanoclr-bench-summary.py summarize WORK      every WORK/run<i>.txt: prints the summary, writes WORK/stats.json
  nanoclr-bench-summary.py compare WORK ...    medians of each against the first's (from their stats.json)

Per embedded model: the device path's and the tuned whole frame's ms per frame, each also times the calibration rate
measured around the model (millions of interpreted loop iterations per frame: the figure that carries over to an
ESP32, as device/OneBit.Bench/README.md scales it), and the test-vector checks (class and logits CRC, 'yes' or 'NO').
When the run had the firmware's native kernels (its 'kernels: native and tuned' line), also their whole frame and
device path, and tuned/native: the ratio of the medians.
"""
import glob
import json
import os
import re
import statistics
import sys

MS = re.compile(r'(\d+(?:\.\d+)?) ms')
CALIBRATION = re.compile(r'^calibration: .* = (\d+) iterations/s')
# "model NAME (embedded blob 'BLOB NAME'): ..." or, when the model could not be run, "model NAME: FAILED: ..."; the
# synthetic networks ("model fast: 32x32x3, depth 8, ...") are not summarized
MODEL = re.compile(r"^model (\S+?)(?: \(embedded blob '([^']*)'\))?: (.*)$")


def parse(text):
    """Embedded model name -> {'blob', 'cal': calibration it/s just before and after its block, 'tuned': ms,
    'device': (label, ms), 'checks': lines with yes/NO, 'failed': FAILED lines}."""
    items = []              # ('cal', it/s) or ('model', name, blob, header rest, [block lines]) in output order
    for line in text.splitlines():
        c, m = CALIBRATION.match(line), MODEL.match(line)
        if c:
            items.append(('cal', int(c.group(1))))
        elif m:
            items.append(('model', m.group(1), m.group(2), m.group(3), []))
        elif line.startswith('  ') and items and items[-1][0] == 'model':
            items[-1][4].append(line.strip())
        elif line.startswith('embedded models: FAILED'):
            items.append(('model', '(all)', None, line, []))
    models = {}
    for k, item in enumerate(items):
        if item[0] != 'model':
            continue
        _, name, blob, rest, lines = item
        if blob is None and not rest.startswith('FAILED') and name != '(all)':
            continue
        cal = []
        for step in (-1, 1):
            j = k + step
            while 0 <= j < len(items) and items[j][0] == 'cal':
                cal.append(items[j][1])
                j += step
        m = {'blob': blob, 'cal': cal, 'tuned': None, 'device': None, 'native': None, 'native_device': None,
             'checks': [], 'failed': []}
        if 'FAILED' in rest:
            m['failed'].append(rest)
        for s in lines:
            if s.startswith('tuned:') and m['tuned'] is None:
                m['tuned'] = float(MS.search(s).group(1))
            elif s.startswith('native:') and m['native'] is None:
                m['native'] = float(MS.search(s).group(1))
            elif s.startswith('native device path'):
                value = MS.search(s.partition('):')[2])
                m['native_device'] = float(value.group(1)) if value else None
            elif s.startswith('device path'):
                label, _, after = s.partition('):')
                value = MS.search(after)
                m['device'] = (label + ')', float(value.group(1)) if value else None)
            if re.search(r'\b(yes|NO)\b', s):
                m['checks'].append(s)
            if 'FAILED' in s:
                m['failed'].append(s)
        models[name] = m
    return models


def stats(xs):
    xs = [x for x in xs if x is not None]
    return {'min': min(xs), 'median': statistics.median(xs), 'max': max(xs), 'n': len(xs)} if xs else None


def fmt(st, unit, digits=1):
    if not st:
        return 'n/a'
    return f"min {st['min']:.{digits}f} / median {st['median']:.{digits}f} / max {st['max']:.{digits}f} {unit}"


def per_run(values, digits=1):
    return ', '.join('-' if v is None else f'{v:.{digits}f}' for v in values)


def iterations(ms_values, runs):
    """ms per frame times that run's median calibration rate: millions of loop iterations per frame."""
    return [v * statistics.median(m['cal']) / 1e9 for v, m in zip(ms_values, runs) if v is not None and m and m['cal']]


def read(work, name, default='?'):
    try:
        with open(os.path.join(work, name)) as f:
            return f.read().strip()
    except OSError:
        return default


def summarize(work):
    files = sorted(glob.glob(os.path.join(work, 'run*.txt')), key=lambda f: int(re.search(r'run(\d+)\.txt$', f).group(1)))
    texts = [open(f, errors='replace').read() for f in files]
    parsed = [parse(t) for t in texts]
    source, commit, quick = read(work, 'source'), read(work, 'commit'), read(work, 'quick')
    clock = 'CPU' if read(work, 'cpu_clock') == '1' else 'wall'
    print(f"\nnanoCLR bench: {source} ({commit}), {len(files)} runs, QUICK={quick}, clock={clock}")
    print(f"raw output: {work}/run*.txt")
    print(f"runs that reached 'bench done': {sum('bench done' in t for t in texts)}/{len(files)}")
    kernels = sorted({line for t in texts for line in t.splitlines() if line.startswith('kernels: ')})
    for line in kernels:
        print(line)
    names = []
    for p in parsed:
        names += [n for n in p if n not in names]
    if not names:
        print("no embedded model in the output: see the raw output")
    out = {'source': source, 'commit': commit, 'runs': len(files), 'models': {}}
    failures = 0
    for name in names:
        runs = [p.get(name) for p in parsed]
        blob = next((m['blob'] for m in runs if m and m['blob']), None)
        print(f"\n{name}" + (f" ({blob})" if blob else "") + ":")
        rec = out['models'][name] = {}
        labels = [m['device'][0] for m in runs if m and m['device']]
        device = [m['device'][1] if m and m['device'] else None for m in runs]
        rec['device'] = {'label': labels[0] if labels else None, 'ms': stats(device), 'Miter': stats(iterations(device, runs))}
        print(f"  {labels[0] if labels else 'device path: NO LINE'}")
        print(f"      ms/frame: {fmt(rec['device']['ms'], 'ms')}   runs: {per_run(device)}")
        print(f"      x calibration rate = M loop iterations/frame: {fmt(rec['device']['Miter'], 'M', 2)}")
        tuned = [m['tuned'] if m else None for m in runs]
        rec['tuned'] = {'ms': stats(tuned), 'Miter': stats(iterations(tuned, runs))}
        print(f"  whole frame, tuned: {fmt(rec['tuned']['ms'], 'ms')}   runs: {per_run(tuned)}")
        print(f"      x calibration rate = M loop iterations/frame: {fmt(rec['tuned']['Miter'], 'M', 2)}")
        for key, label, tuned_key in (('native', 'whole frame, native', 'tuned'), ('native_device', 'device path, native', 'device')):
            values = [m[key] if m else None for m in runs]
            if all(v is None for v in values):
                continue
            rec[key] = {'ms': stats(values)}
            tuned_median = rec[tuned_key]['ms']['median'] if rec[tuned_key]['ms'] else None
            rec[key]['tuned_over_native'] = tuned_median / rec[key]['ms']['median'] if tuned_median and rec[key]['ms']['median'] else None
            print(f"  {label}: {fmt(rec[key]['ms'], 'ms', 2)}   runs: {per_run(values, 2)}"
                  + (f"   tuned/native (medians): {rec[key]['tuned_over_native']:.1f}" if rec[key]['tuned_over_native'] else ""))
        cal = [c / 1e6 for m in runs if m for c in m['cal']]
        rec['calibration'] = stats(cal)
        print(f"  calibration around the model: {fmt(rec['calibration'], 'M it/s')} ({len(cal)} values)")
        checks = [c for m in runs if m for c in m['checks']]
        bad = [c for c in checks if 'NO' in re.findall(r'\b(?:yes|NO)\b', c)] + [f for m in runs if m for f in m['failed']]
        failures += len(bad) + sum(m is None for m in runs)
        print(f"  checks (class and logits CRC of test vector 0, every test vector, whole frame and device path): "
              f"{len(checks) - len(bad)} of {len(checks)} lines all 'yes'" + (" -- FAILURES:" if bad else ""))
        for b in bad:
            print("      " + b)
    every = [c / 1e6 for p in parsed for m in p.values() for c in m['cal']]
    print(f"\ncalibration, all values: {fmt(stats(every), 'M it/s')}")
    out['failures'] = failures
    with open(os.path.join(work, 'stats.json'), 'w') as f:
        json.dump(out, f, indent=1)
    return failures


def compare(works):
    runs = [json.load(open(os.path.join(w, 'stats.json'))) for w in works]
    base = runs[0]

    def median(d, key):
        return ((d or {}).get(key) or {}).get('median')

    def ratio(x, y):
        return f"x{x / y:.2f}" if x and y else ''

    def cell(v, unit, digits):
        return f"{'-' if v is None else f'{v:.{digits}f}':>7} {unit}"

    print(f"\nmedians, ratio to {base['commit']}: ms per frame, and ms x calibration rate in M loop iterations")
    for r in runs:
        print(f"  {r['commit']}  ({r['source']}, {r['runs']} runs)")
        for name, m in r['models'].items():
            b = base['models'].get(name, {})
            for label, cur, ref in (('device path', m.get('device'), b.get('device')),
                                    ('whole frame, tuned', m.get('tuned'), b.get('tuned'))):
                ms, it = median(cur, 'ms'), median(cur, 'Miter')
                print(f"    {name:9s} {label:19s} {cell(ms, 'ms', 1)} {ratio(ms, median(ref, 'ms')):>6}"
                      f"   {cell(it, 'M', 2)} {ratio(it, median(ref, 'Miter')):>6}")


if __name__ == '__main__':
    if len(sys.argv) == 3 and sys.argv[1] == 'summarize':
        sys.exit(1 if summarize(sys.argv[2]) else 0)
    if len(sys.argv) >= 3 and sys.argv[1] == 'compare':
        compare(sys.argv[2:])
        sys.exit(0)
    sys.exit(__doc__)
