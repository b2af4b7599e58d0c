#!/usr/bin/env python3
"""Analyses the per-image cache `facematch eval-embed` wrote for LFW (scripts/lfw-eval.sh runs
both). Prints a Markdown report: accuracy at the boundary, the standard 10-fold protocol, TAR at
FAR 1e-2 / 1e-3, per-fold spread, per descriptor option and its cost; the score calibration
window and FAR/FRR per score threshold; quality measures against errors; several templates.
Writes the DET plot (PNG) given by --plot."""
import argparse
import glob
import json
import math
import os
import sys

import numpy as np

BOUNDARY = 0.6
CURRENT_K = 6.5
SCORE_THRESHOLDS = [30, 40, 50, 60, 70, 80, 90]


def load_cache(pattern):
    records = {}
    for path in sorted(glob.glob(pattern)):
        with open(path) as f:
            for line in f:
                if line.endswith("}\n") or line.endswith("}"):
                    r = json.loads(line)
                    records[r["file"]] = r
    return records


def read_pairs(lfw):
    lines = open(os.path.join(lfw, "pairs.txt")).read().split("\n")
    rows = [l.split() for l in lines[1:] if l.strip()]
    name = lambda p, n: f"{p}/{p}_{int(n):04d}.jpg"
    pairs = []
    for i, r in enumerate(rows):
        if len(r) == 3:
            pairs.append((name(r[0], r[1]), name(r[0], r[2]), True, i // 600))
        else:
            pairs.append((name(r[0], r[1]), name(r[2], r[3]), False, i // 600))
    return pairs


def vec(r, key):
    v = r.get(key)
    return None if v is None else np.asarray(v, dtype=np.float64)


def mean_of(*vs):
    return np.mean(np.stack(vs), axis=0)


# Descriptor options: (name, network passes per face, descriptor from a record or None).
def options():
    def has(r):
        return "single" in r
    return [
        ("single (today)", 1, lambda r: vec(r, "single") if has(r) else None),
        ("mirror-averaged", 2, lambda r: mean_of(vec(r, "single"), vec(r, "mirror")) if has(r) else None),
        ("2 jittered chips", 2, lambda r: mean_of(vec(r, "single"), vec(r, "jitter")[0]) if has(r) else None),
        ("3 jittered chips", 3, lambda r: mean_of(vec(r, "single"), *vec(r, "jitter")[:2]) if has(r) else None),
        ("5 jittered chips", 5, lambda r: mean_of(vec(r, "single"), *vec(r, "jitter")[:4]) if has(r) else None),
        ("mirror + 4 jitters", 6, lambda r: mean_of(vec(r, "single"), vec(r, "mirror"), *vec(r, "jitter")[:4]) if has(r) else None),
        # Unit-length descriptors: another distance scale (d = 0.6 means nothing there).
        ("single, unit length", 1, lambda r: unit(vec(r, "single")) if has(r) else None),
        ("mirror-averaged, unit length", 2, lambda r: unit(mean_of(vec(r, "single"), vec(r, "mirror"))) if has(r) else None),
    ]


def unit(v):
    return v / np.linalg.norm(v)


def distances(pairs, records, describe):
    cache = {}

    def get(f):
        if f not in cache:
            r = records.get(f)
            cache[f] = None if r is None or "error" in r else describe(r)
        return cache[f]

    d = np.empty(len(pairs))
    for i, (a, b, _, _) in enumerate(pairs):
        va, vb = get(a), get(b)
        # A side without a face cannot match: it counts as the largest distance.
        d[i] = np.inf if va is None or vb is None else float(np.linalg.norm(va - vb))
    return d


def best_threshold(d, same):
    """The threshold (accept d < t) with the highest accuracy on (d, same)."""
    order = np.argsort(d, kind="stable")
    ds, ss = d[order], same[order]
    # Accepting the first i pairs: correct = same among them + different among the rest.
    same_cum = np.concatenate([[0], np.cumsum(ss)])
    diff_rest = np.concatenate([[0], np.cumsum(~ss[::-1])])[::-1]
    correct = same_cum + diff_rest
    finite = np.isfinite(ds)
    # Only cut between distinct values.
    valid = np.ones(len(ds) + 1, dtype=bool)
    valid[1:-1] = ds[1:] > ds[:-1]
    valid[1:] &= finite | np.concatenate([[True], finite[:-1]])
    i = int(np.argmax(np.where(valid, correct, -1)))
    if i == 0:
        return ds[0] - 1e-6
    if i == len(ds) or not np.isfinite(ds[i]):
        return ds[i - 1] + 1e-6
    return (ds[i - 1] + ds[i]) / 2


def ten_fold(d, same, fold):
    accs, thresholds = [], []
    for k in range(10):
        train, test = fold != k, fold == k
        t = best_threshold(d[train], same[train])
        thresholds.append(t)
        accs.append(np.mean((d[test] < t) == same[test]))
    return np.array(accs), np.array(thresholds)


def tar_at_far(d, same, far):
    imp = np.sort(d[~same])
    k = int(math.floor(far * len(imp)))
    t = imp[k]
    return float(np.mean(d[same] < t)), float(t)


def metrics(d, same, fold, boundary=BOUNDARY):
    accs, ts = ten_fold(d, same, fold)
    tar2, t2 = tar_at_far(d, same, 1e-2)
    tar3, t3 = tar_at_far(d, same, 1e-3)
    return {
        "acc_boundary": float(np.mean((d < boundary) == same)),
        "errors_boundary": int(np.sum((d < boundary) != same)),
        "tenfold": float(np.mean(accs)), "tenfold_std": float(np.std(accs)),
        "tenfold_min": float(np.min(accs)), "tenfold_max": float(np.max(accs)),
        "fold_accs": accs, "fold_thresholds": ts,
        "tar2": tar2, "t2": t2, "tar3": tar3, "t3": t3,
    }


def score(d, k, centre=BOUNDARY):
    return 100 * (np.tanh((centre - d) * k) + 1) / 2


def distance_for_score(s, k, centre=BOUNDARY):
    return centre - math.atanh(2 * s / 100 - 1) / k


def pct(x, digits=2):
    return f"{100 * x:.{digits}f}%"


def report_options(pairs, records, same, fold, cost):
    print("## Descriptor options\n")
    print("| option | passes | embed ms/face | at d = 0.6 | errors | 10-fold (± sd, min–max) | TAR @ FAR 1e-2 | TAR @ FAR 1e-3 |")
    print("| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: |")
    results = {}
    for name, passes, describe in options():
        d = distances(pairs, records, describe)
        m = metrics(d, same, fold)
        results[name] = (d, m)
        ms = cost.get(name, float("nan"))
        print(f"| {name} | {passes} | {ms:.1f} | {pct(m['acc_boundary'])} | {m['errors_boundary']} | "
              f"{pct(m['tenfold'])} (± {pct(m['tenfold_std'])}, {pct(m['tenfold_min'], 1)}–{pct(m['tenfold_max'], 1)}) | "
              f"{pct(m['tar2'], 1)} (d < {m['t2']:.3f}) | {pct(m['tar3'], 1)} (d < {m['t3']:.3f}) |")
    print()
    return results


def costs(records):
    """Median milliseconds per face of each step, and per option."""
    steps = {}
    for r in records.values():
        for k, v in r.get("ms", {}).items():
            if "single" in r or k in ("decode", "detect"):
                steps.setdefault(k, []).append(v)
    med = {k: float(np.median(v)) for k, v in steps.items()}
    e, m, j = med.get("embed", float("nan")), med.get("mirror", float("nan")), med.get("jitter_each", float("nan"))
    per_option = {
        "single (today)": e, "mirror-averaged": e + m, "2 jittered chips": e + j, "3 jittered chips": e + 2 * j,
        "5 jittered chips": e + 4 * j, "mirror + 4 jitters": e + m + 4 * j,
        "single, unit length": e, "mirror-averaged, unit length": e + m,
    }
    return med, per_option


def report_folds(m):
    print("Per fold (accuracy, threshold chosen on the other nine):\n")
    print("| fold | " + " | ".join(str(i + 1) for i in range(10)) + " |")
    print("| --- |" + " ---: |" * 10)
    print("| accuracy | " + " | ".join(f"{100 * a:.2f}" for a in m["fold_accs"]) + " |")
    print("| threshold | " + " | ".join(f"{t:.3f}" for t in m["fold_thresholds"]) + " |")
    print()


def lfw_window(d, same, label):
    """The window method with constraints LFW can meet (see docs/score-calibration.md)."""
    gen, imp = d[same], d[~same]
    gen_f = gen[np.isfinite(gen)]
    i05, g90 = float(np.percentile(imp, 5)), float(np.percentile(gen_f, 90))
    t3 = tar_at_far(d, same, 1e-3)[1]
    bounds_low = [("95% of different-person pairs score ≤ 25", math.atanh(0.5) / (i05 - BOUNDARY)),
                  ("at most 10% of same-person pairs miss approval (score < 70)", math.atanh(0.4) / (BOUNDARY - g90))]
    bounds_high = [("approval (score ≥ 70) keeps FAR ≤ 1e-3", math.atanh(0.4) / (BOUNDARY - t3)),
                   ("d = 0.3 scores below 99", math.atanh(0.98) / 0.3),
                   ("the In Review band (50–70) stays ≥ 0.05 wide", math.atanh(0.4) / 0.05)]
    print(f"### LFW window ({label})\n")
    print(f"5th percentile of different-person distances {i05:.3f}; 90th percentile of same-person distances {g90:.3f}; "
          f"FAR 1e-3 distance {t3:.3f}.\n")
    for text, k in bounds_low:
        print(f"- {text}: k ≥ {k:.2f}")
    for text, k in bounds_high:
        print(f"- {text}: k ≤ {k:.2f}")
    lo, hi = max(k for _, k in bounds_low), min(k for _, k in bounds_high)
    k = math.sqrt(lo * hi) if lo <= hi else None
    print(f"- window {lo:.2f} ≤ k ≤ {hi:.2f}" + (f": geometric middle {k:.2f}\n" if k else " is empty\n"))
    return k


def report_calibration(d, same, label):
    gen, imp = d[same], d[~same]
    gen_f = gen[np.isfinite(gen)]
    g95 = float(np.percentile(gen_f, 95))
    i05 = float(np.percentile(imp, 5))
    low_same = math.atanh(0.7) / (BOUNDARY - g95) if g95 < BOUNDARY else float("inf")
    low_diff = math.atanh(0.8) / (i05 - BOUNDARY) if i05 > BOUNDARY else float("inf")
    high_top = math.atanh(0.98) / 0.3
    high_band = math.atanh(0.4) / 0.05
    lo, hi = max(low_same, low_diff), min(high_top, high_band)
    print(f"## Score calibration ({label})\n")
    print(f"- 95th percentile of same-person distances: {g95:.3f} (95% of same-person pairs score ≥ 85 needs k ≥ {low_same:.2f})")
    print(f"- 5th percentile of different-person distances: {i05:.3f} (95% of different-person pairs score ≤ 10 needs k ≥ {low_diff:.2f})")
    print(f"- d = 0.3 below 99: k ≤ {high_top:.2f}; In Review band ≥ 0.05 wide: k ≤ {high_band:.2f}")
    if lo <= hi:
        k = math.sqrt(lo * hi)
        print(f"- window {lo:.2f} ≤ k ≤ {hi:.2f}; geometric middle k = {k:.2f}\n")
    else:
        k = None
        print(f"- window empty ({lo:.2f} > {hi:.2f})\n")
    return k, g95, i05


def report_far_frr(d, same, ks):
    print("| score ≥ | " + " | ".join(f"{label}: d ≤ | FAR | FRR" for label, _ in ks) + " |")
    print("| ---: |" + " ---: | ---: | ---: |" * len(ks))
    for s in SCORE_THRESHOLDS:
        cells = []
        for _, k in ks:
            t = distance_for_score(s, k)
            far = np.mean(d[~same] <= t)
            frr = np.mean(~(d[same] <= t))
            cells += [f"{t:.3f}", pct(far, 2), pct(frr, 2)]
        print(f"| {s} | " + " | ".join(cells) + " |")
    print()


def report_direction_mapping(raw_d, unit_d, same, raw_k):
    """The service's dlib mapping: mirror-averaged descriptors compared by direction
    (d = sqrt(2 - 2 cos)), with the centre and k that make every score threshold accept as many
    different-person pairs as the raw-L2 mapping (centre 0.6, k raw_k) did."""
    from lfw_analyse_model2 import fit_mapping
    targets = {s: int(np.sum(raw_d[~same] <= distance_for_score(s, raw_k))) for s in SCORE_THRESHOLDS}
    centre, k, _ = fit_mapping(unit_d, same, targets, centres=np.arange(0.1, 1.0, 0.0005))
    print("## The service's mapping: mirror-averaged, compared by direction\n")
    print(f"Fitted so each threshold keeps the raw-L2 mapping's false accepts: centre {centre:.4f}, k {k:.2f} "
          "(ScoreCalibration.dlib).\n")
    print(f"| score ≥ | raw L2 (0.6, k {raw_k}): d ≤ | FAR | FRR | direction ({centre:.4f}, k {k:.2f}): d ≤ | FAR | FRR |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for s in SCORE_THRESHOLDS:
        cells = []
        for d, t in ((raw_d, distance_for_score(s, raw_k)), (unit_d, distance_for_score(s, k, centre))):
            cells += [f"{t:.3f}", pct(np.mean(d[~same] <= t), 2), pct(np.mean(~(d[same] <= t)), 2)]
        print(f"| {s} | " + " | ".join(cells) + " |")
    print()


def quality_table(records):
    keys = ["eye_distance", "sharpness", "brightness", "dark", "bright", "yaw", "roll", "outside"]
    print("## Quality measures over the evaluated images\n")
    print("| measure | 0.5% | 1% | 5% | 50% | 95% | 99% | 99.5% |")
    print("| --- |" + " ---: |" * 7)
    for k in keys:
        v = np.array([r["quality"][k] for r in records.values() if "quality" in r])
        if k in ("yaw", "roll"):
            v = np.abs(v)
        q = np.percentile(v, [0.5, 1, 5, 50, 95, 99, 99.5])
        print(f"| {k} | " + " | ".join(f"{x:.3g}" for x in q) + " |")
    print()


FLAGS = {
    "blur: sharpness < {}": ("sharpness", lambda v, t: v < t, [10, 15, 20, 30, 40]),
    "dark: brightness < {}": ("brightness", lambda v, t: v < t, [30, 40, 50, 60]),
    "bright: brightness > {}": ("brightness", lambda v, t: v > t, [180, 200, 220]),
    "clipped dark > {}": ("dark", lambda v, t: v > t, [0.1, 0.25]),
    "clipped bright > {}": ("bright", lambda v, t: v > t, [0.1, 0.25]),
    "|yaw| > {}°": ("yaw", lambda v, t: abs(v) > t, [20, 25, 30, 35, 40]),
    "|roll| > {}°": ("roll", lambda v, t: abs(v) > t, [15, 20, 25, 30]),
    "outside > {}": ("outside", lambda v, t: v > t, [0.02, 0.05, 0.1, 0.2]),
    "eye distance < {} px": ("eye_distance", lambda v, t: v < t, [30, 35, 40]),
}


def report_quality_flags(pairs, records, d, same, threshold, label):
    wrong = (d < threshold) != same
    n_err, n_ok = int(wrong.sum()), int((~wrong).sum())
    print(f"## Quality flags against errors ({label}, {n_err} errors at d < {threshold:.3f})\n")
    print("A pair is flagged when either image is. Error rate unflagged vs flagged.\n")
    print("| flag | images flagged | errors flagged | correct pairs flagged | same-person pairs flagged | error rate flagged |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for fmt, (key, test, ts) in FLAGS.items():
        for t in ts:
            def flagged(f):
                r = records.get(f)
                return r is not None and "quality" in r and test(r["quality"][key], t)
            img = sum(1 for r in records.values() if "quality" in r and test(r["quality"][key], t))
            fl = np.array([flagged(a) or flagged(b) for a, b, _, _ in pairs])
            rate = wrong[fl].mean() if fl.any() else float("nan")
            print(f"| {fmt.format(t)} | {img} | {int((wrong & fl).sum())} of {n_err} | {int((~wrong & fl).sum())} of {n_ok} | "
                  f"{int((same & fl).sum())} of {int(same.sum())} | {pct(rate, 1) if fl.any() else '-'} |")
    print()


# QualityLimits.default in Sources/MatchRPC/Policy/QualityLimits.swift.
CHOSEN = {
    "FACE_TOO_SMALL (eye distance < 32 px)": lambda q: q["eye_distance"] < 32,
    "LOW_QUALITY: blurred (sharpness < 10)": lambda q: q["sharpness"] < 10,
    "LOW_QUALITY: under-exposed (brightness < 60 or > 25% black)": lambda q: q["brightness"] < 60 or q["dark"] > 0.25,
    "LOW_QUALITY: over-exposed (brightness > 220 or > 25% white)": lambda q: q["brightness"] > 220 or q["bright"] > 0.25,
    "LOW_QUALITY: |yaw| > 30°": lambda q: abs(q["yaw"]) > 30,
    "LOW_QUALITY: |roll| > 20°": lambda q: abs(q["roll"]) > 20,
    "LOW_QUALITY: cut by the border (> 5% outside)": lambda q: q["outside"] > 0.05,
}


def report_chosen_limits(pairs, records, d, same, label):
    wrong = (d < BOUNDARY) != same
    n_err = int(wrong.sum())
    print(f"## The default limits on LFW ({label}; {n_err} errors of 6000 at d = 0.6, {pct(wrong.mean())})\n")
    print("| warning | images | errors flagged | correct pairs flagged | error rate flagged / unflagged |")
    print("| --- | ---: | ---: | ---: | ---: |")
    rules = list(CHOSEN.items())
    low = [(n, t) for n, t in rules if n.startswith("LOW_QUALITY")]
    rules.append(("LOW_QUALITY (any reason)", lambda q: any(t(q) for _, t in low)))
    for name, test in rules:
        def flagged(f):
            r = records.get(f)
            return r is not None and "quality" in r and test(r["quality"])
        img = sum(1 for r in records.values() if "quality" in r and test(r["quality"]))
        fl = np.array([flagged(a) or flagged(b) for a, b, _, _ in pairs])
        rate = pct(wrong[fl].mean(), 1) if fl.any() else "-"
        print(f"| {name} | {img} | {int((wrong & fl).sum())} | {int((~wrong & fl).sum())} | {rate} / {pct(wrong[~fl].mean(), 1)} |")
    print()


def report_templates(pairs, records, describe, lfw):
    """Verify against 3 templates: the pair's second image plus two more of that person."""
    counts = {p: len(os.listdir(os.path.join(lfw, "images_deepfunneled", p))) for p in os.listdir(os.path.join(lfw, "images_deepfunneled"))}
    name = lambda p, n: f"{p}/{p}_{n:04d}.jpg"
    rows = []
    for a, b, s, _ in pairs:
        person = b.split("/")[0]
        others = [name(person, k) for k in range(1, counts[person] + 1) if name(person, k) not in (a, b)][:2]
        if len(others) < 2:
            continue
        va = describe(records[a]) if a in records and "single" in records[a] else None
        vs = [describe(records[f]) if f in records and "single" in records[f] else None for f in [b] + others]
        if va is None or any(v is None for v in vs):
            rows.append((s, np.inf, np.inf, np.inf, np.inf))
            continue
        ds = [float(np.linalg.norm(va - v)) for v in vs]
        rows.append((s, ds[0], min(ds), float(np.mean(ds)), float(np.linalg.norm(va - np.mean(np.stack(vs), axis=0)))))
    arr = np.array([r[1:] for r in rows])
    same = np.array([r[0] for r in rows])
    print(f"## Verify against several templates ({len(rows)} pairs: {int(same.sum())} same, {int((~same).sum())} different)\n")
    print("| rule | at d = 0.6 | best-threshold accuracy | threshold | TAR @ FAR 1e-2 |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for i, label in enumerate(["one template (the pair's image)", "best of 3 (today)", "mean distance to 3", "distance to the mean of 3"]):
        d = arr[:, i]
        t = best_threshold(d, same)
        tar = tar_at_far(d, same, 1e-2)[0] if (~same).sum() >= 100 else float("nan")
        print(f"| {label} | {pct(np.mean((d < BOUNDARY) == same))} | {pct(np.mean((d < t) == same))} | {t:.3f} | {pct(tar, 1)} |")
    print()


def report_scaled(pairs, records_scaled, label):
    """Fold-1 pairs with the images shrunk: accuracy against eye distance."""
    fold_pairs = [p for p in pairs if p[3] == 0 and p[0] in records_scaled and p[1] in records_scaled]
    if not fold_pairs:
        return
    d = distances(fold_pairs, records_scaled, lambda r: vec(r, "single") if "single" in r else None)
    same = np.array([p[2] for p in fold_pairs])
    eyes = [r["quality"]["eye_distance"] for r in records_scaled.values() if "quality" in r]
    print(f"| {label} | {np.median(eyes):.1f} | {len(fold_pairs)} | {pct(np.mean((d < BOUNDARY) == same))} | "
          f"{pct(np.mean((d < best_threshold(d, same)) == same))} |")


def det_plot(curves, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, (roc, det) = plt.subplots(1, 2, figsize=(11, 4.5))
    for name, d, same in curves:
        ts = np.unique(np.concatenate([d[np.isfinite(d)], [np.inf]]))
        imp, gen = np.sort(d[~same]), np.sort(d[same])
        far = np.searchsorted(imp, ts, side="left") / len(imp)
        tar = np.searchsorted(gen, ts, side="left") / len(gen)
        roc.plot(np.maximum(far, 1e-4), tar, label=name)
        det.plot(np.maximum(far, 1e-4), np.maximum(1 - tar, 1e-4), label=name)
    roc.set_xscale("log"); roc.set_xlim(1e-4, 1); roc.set_ylim(0.85, 1.0)
    roc.set_xlabel("false accept rate (different people accepted)"); roc.set_ylabel("true accept rate")
    roc.set_title("ROC on LFW (6,000 pairs)"); roc.grid(True, which="both", alpha=0.3); roc.legend(loc="lower right")
    det.set_xscale("log"); det.set_yscale("log"); det.set_xlim(1e-4, 1); det.set_ylim(1e-3, 1)
    det.set_xlabel("false accept rate"); det.set_ylabel("false reject rate")
    det.set_title("DET on LFW (6,000 pairs)"); det.grid(True, which="both", alpha=0.3); det.legend(loc="upper right")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--lfw", required=True)
    ap.add_argument("--cache", required=True, help="folder with embed-*.jsonl (and scaled-*.jsonl)")
    ap.add_argument("--adopt", default="mirror-averaged", help="option to calibrate and validate quality on")
    ap.add_argument("--plot", help="PNG path for the ROC/DET plot")
    ap.add_argument("--k", type=float, default=7.5, help="the steepness ScoreCalibration.dlib uses")
    args = ap.parse_args()

    pairs = read_pairs(args.lfw)
    records = load_cache(os.path.join(args.cache, "embed-*.jsonl"))
    missing = [f for a, b, _, _ in pairs for f in (a, b) if f not in records]
    if missing:
        sys.exit(f"lfw_analyse: {len(set(missing))} pair images are not in the cache yet (first: {missing[0]})")
    same = np.array([p[2] for p in pairs])
    fold = np.array([p[3] for p in pairs])
    pair_files = {f for a, b, _, _ in pairs for f in (a, b)}
    pair_records = {f: records[f] for f in pair_files}

    no_face = sorted(f for f, r in pair_records.items() if not r.get("faces"))
    errors = sorted(f for f, r in pair_records.items() if "error" in r)
    several = sum(1 for r in pair_records.values() if len(r.get("faces", [])) > 1)
    off_centre = sum(1 for r in pair_records.values() if r.get("central", 0) != 0)
    print("# LFW evaluation\n")
    print(f"{len(pairs)} pairs, {len(pair_files)} images: {len(no_face)} without a face ({', '.join(no_face) or '-'}), "
          f"{len(errors)} unreadable, {several} with several faces, {off_centre} whose largest face is not the most central one.\n")

    med, cost = costs(pair_records)
    print("Median milliseconds per image: " + ", ".join(f"{k} {v:.1f}" for k, v in sorted(med.items())) + "\n")
    results = report_options(pairs, pair_records, same, fold, cost)

    largest = distances(pairs, pair_records, lambda r: vec(r, "largest_single") if "largest_single" in r else vec(r, "single"))
    ml = metrics(largest, same, fold)
    print("Every option describes the face nearest the image centre (LFW's subject). With the largest face "
          f"instead (the service's rule; single pass): {pct(ml['acc_boundary'])} at d = 0.6, "
          f"10-fold {pct(ml['tenfold'])}, TAR {pct(ml['tar3'], 1)} at FAR 1e-3.\n")

    base_d, base_m = results["single (today)"]
    adopt_d, adopt_m = results[args.adopt]
    print("## 10-fold detail: single (today)\n")
    report_folds(base_m)
    print(f"## 10-fold detail: {args.adopt}\n")
    report_folds(adopt_m)

    k_base, _, _ = report_calibration(base_d, same, "single (today)")
    k_adopt, _, _ = report_calibration(adopt_d, same, args.adopt)
    lfw_window(base_d, same, "single (today)")
    k_lfw = lfw_window(adopt_d, same, args.adopt)
    print("## FAR / FRR per score threshold\n")
    print("Score ≥ threshold accepts; FRR counts pairs with a side without a face as rejected.\n")
    print("Single descriptor (before):\n")
    report_far_frr(base_d, same, [("k 6.5", CURRENT_K)])
    print(f"{args.adopt}, before and after the refit (k = {args.k}):\n")
    report_far_frr(adopt_d, same, [("k 6.5", CURRENT_K), (f"k {args.k}", args.k)])

    direction = "mirror-averaged, unit length"
    report_direction_mapping(adopt_d, results[direction][0], same, args.k)

    quality_table(pair_records)
    report_quality_flags(pairs, pair_records, adopt_d, same, BOUNDARY, args.adopt)
    report_chosen_limits(pairs, pair_records, adopt_d, same, args.adopt)

    describe = dict((n, f) for n, _, f in options())
    print("Templates use each option's descriptor.\n")
    for name in ("single (today)", args.adopt):
        print(f"### {name}\n")
        report_templates(pairs, records, describe[name], args.lfw)

    scaled = sorted(glob.glob(os.path.join(args.cache, "scaled-*.jsonl")))
    if scaled:
        print("## Smaller faces (fold 1, images shrunk after detection, single pass)\n")
        print("| scale | median eye distance px | pairs | at d = 0.6 | best-threshold accuracy |")
        print("| --- | ---: | ---: | ---: | ---: |")
        fold1 = {f for a, b, _, fo in pairs if fo == 0 for f in (a, b)}
        report_scaled(pairs, {f: records[f] for f in fold1}, "1")
        scales = sorted({os.path.basename(p).split("-")[1] for p in scaled}, key=float, reverse=True)
        for scale in scales:
            report_scaled(pairs, load_cache(os.path.join(args.cache, f"scaled-{scale}-*.jsonl")), scale)
        print()

    if args.plot:
        det_plot([(n, results[n][0], same) for n in ("single (today)", args.adopt, direction)], args.plot)
        print(f"Plot: {args.plot}\n")


if __name__ == "__main__":
    main()
