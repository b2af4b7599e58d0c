#!/usr/bin/env python3
"""Analyses the cache `facematch eval-embed --model face-reidentification-retail-0095` wrote for
LFW (scripts/lfw-eval.sh --model runs both). Prints a Markdown report: images without a face,
accuracy at the score-50 boundary, 10-fold accuracy, TAR at FAR 1e-2 / 1e-3 for the single and
the mirror-averaged embedding; the score mapping fitted so that every score threshold accepts the
same share of different-person pairs as dlib's mapping does; FAR and FRR per threshold for both
models; 250 against 200 px images (the working size 800 against 640). Writes the ROC/DET plot.

Distance: the L2 distance of unit-length embeddings, d = sqrt(2 - 2 cos), so the score keeps
dlib's form, score = 100 * (tanh((centre - d) * k) + 1) / 2, with the model's own centre and k."""
import argparse
import math
import os
import sys

import numpy as np

from lfw_analyse import (SCORE_THRESHOLDS, best_threshold, det_plot, distance_for_score, distances, load_cache,
                         metrics, pct, read_pairs, report_folds)

DLIB_K = 7.5
DLIB_CENTRE = 0.6
# dlib's mirror-averaged descriptors with k = 7.5 on the 3,000 different / 3,000 same pairs:
# pairs accepted / rejected at each score threshold (docs/score-calibration.md's table).
DLIB_FALSE_ACCEPTS = {30: 103, 40: 47, 50: 23, 60: 10, 70: 3, 80: 1, 90: 1}
DLIB_FALSE_REJECTS = {30: 10, 40: 14, 50: 31, 60: 70, 70: 152, 80: 361, 90: 937}


def unit(v):
    return v / np.linalg.norm(v)


def vec(r, key):
    return np.asarray(r[key], dtype=np.float64)


def single(r):
    return unit(vec(r, "single")) if "single" in r else None


def mirror_averaged(r):
    return unit(unit(vec(r, "single")) + unit(vec(r, "mirror"))) if "single" in r else None


def largest(r):
    return unit(vec(r, "largest_single")) if "largest_single" in r else single(r)


OPTIONS = [("single", 1, single), ("mirror-averaged", 2, mirror_averaged)]


def dlib_counts(dlib_cache, pairs, same):
    """dlib's false accepts and rejects per threshold, from its cache or the published table."""
    if not dlib_cache:
        return DLIB_FALSE_ACCEPTS, DLIB_FALSE_REJECTS, "docs/score-calibration.md's table"
    records = load_cache(os.path.join(dlib_cache, "embed-*.jsonl"))
    describe = lambda r: np.mean(np.stack([vec(r, "single"), vec(r, "mirror")]), axis=0) if "single" in r else None
    d = distances(pairs, records, describe)
    fa, fr = {}, {}
    for s in SCORE_THRESHOLDS:
        t = distance_for_score(s, DLIB_K, DLIB_CENTRE)
        fa[s], fr[s] = int(np.sum(d[~same] <= t)), int(np.sum(~(d[same] <= t)))
    return fa, fr, dlib_cache


def fit_mapping(d, same, false_accepts, centres=np.arange(0.5, 1.5, 0.0005)):
    """Centre and k such that score >= s accepts as many different-person pairs as dlib's mapping
    does, threshold by threshold: the grid point minimising the sum over thresholds of
    log((n + 0.5) / (n_dlib + 0.5))^2 (n: different-person pairs with d <= centre - atanh(2 s / 100 - 1) / k),
    so every threshold counts alike in relative terms; the median of the tied minimisers.
    Also returns, per threshold, the distance halfway between dlib's n-th and (n+1)-th closest pair."""
    imp = np.sort(d[~same])
    scores = sorted(false_accepts)
    x = np.array([math.atanh(2 * s / 100 - 1) for s in scores])
    target = np.array([false_accepts[s] for s in scores], dtype=np.float64)
    ks = np.arange(2, 20, 0.02)
    error = np.empty((len(centres), len(ks)))
    for i, c in enumerate(centres):
        n = np.searchsorted(imp, c - x[None, :] / ks[:, None], side="right")
        error[i] = np.sum(np.log((n + 0.5) / (target + 0.5)) ** 2, axis=1)
    best = np.argwhere(error == error.min())
    centre, k = float(np.median(centres[best[:, 0]])), float(np.median(ks[best[:, 1]]))
    halfway = [(imp[n - 1] + imp[n]) / 2 if n > 0 else imp[0] for n in target.astype(int)]
    return centre, k, halfway


def report_option(name, passes, d, same, fold, centre, ms):
    m = metrics(d, same, fold, boundary=centre)
    print(f"| {name} | {passes} | {ms:.1f} | {pct(m['acc_boundary'])} ({m['errors_boundary']} errors) | "
          f"{pct(m['tenfold'])} (± {pct(m['tenfold_std'])}, {pct(m['tenfold_min'], 1)}–{pct(m['tenfold_max'], 1)}) | "
          f"{pct(m['tar2'], 1)} | {pct(m['tar3'], 1)} (d < {m['t3']:.3f}) |")
    return m


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--lfw", required=True)
    ap.add_argument("--cache", required=True, help="folder with embed-*.jsonl (and working-200-*.jsonl)")
    ap.add_argument("--model", default="face-reidentification-retail-0095")
    ap.add_argument("--dlib-cache", help="dlib's cache folder (default: its published FAR/FRR counts)")
    ap.add_argument("--adopt", default="single", choices=[o[0] for o in OPTIONS])
    ap.add_argument("--plot", help="PNG path for the ROC/DET plot")
    args = ap.parse_args()

    pairs = read_pairs(args.lfw)
    records = load_cache(os.path.join(args.cache, "embed-*.jsonl"))
    pair_files = {f for a, b, _, _ in pairs for f in (a, b)}
    missing = sorted(pair_files - records.keys())
    if missing:
        sys.exit(f"lfw_analyse_model2: {len(missing)} pair images are not in the cache yet (first: {missing[0]})")
    same = np.array([p[2] for p in pairs])
    fold = np.array([p[3] for p in pairs])
    no_face = sorted(f for f in pair_files if not records[f].get("faces"))
    unread = sorted(f for f in pair_files if "error" in records[f])
    several = sum(1 for f in pair_files if len(records[f].get("faces", [])) > 1)
    off_centre = sum(1 for f in pair_files if "largest_single" in records[f])
    print(f"# LFW evaluation: {args.model}\n")
    print(f"{len(pairs)} pairs, {len(pair_files)} images: {len(no_face)} without a face ({', '.join(no_face) or '-'}), "
          f"{len(unread)} unreadable, {several} with several faces, {off_centre} whose largest face is not the most central one.\n")
    steps = {}
    for f in pair_files:
        for k, v in records[f].get("ms", {}).items():
            steps.setdefault(k, []).append(v)
    med = {k: float(np.median(v)) for k, v in steps.items()}
    print("Median milliseconds per image (one thread): " + ", ".join(f"{k} {v:.1f}" for k, v in med.items()) + "\n")

    fa_dlib, fr_dlib, source = dlib_counts(args.dlib_cache, pairs, same)
    fits, results = {}, {}
    print("Distance d = L2 of unit-length embeddings = sqrt(2 - 2 cos). The boundary is each option's "
          "fitted centre (score 50).\n")
    print("| option | passes | embed ms/face | at the boundary | 10-fold (± sd, min–max) | TAR @ FAR 1e-2 | TAR @ FAR 1e-3 |")
    print("| --- | ---: | ---: | ---: | --- | ---: | ---: |")
    for name, passes, describe in OPTIONS:
        d = distances(pairs, records, describe)
        fits[name] = fit_mapping(d, same, fa_dlib)
        ms = med.get("embed", math.nan) + (med.get("mirror", math.nan) if passes == 2 else 0)
        results[name] = (d, report_option(name, passes, d, same, fold, fits[name][0], ms))
    print()
    dl = distances(pairs, records, largest)
    ml = metrics(dl, same, fold, boundary=fits["single"][0])
    print(f"With the largest face instead of the central one (the service's rule; single): 10-fold {pct(ml['tenfold'])}, "
          f"TAR {pct(ml['tar3'], 1)} at FAR 1e-3.\n")

    d, m = results[args.adopt]
    print(f"## 10-fold detail: {args.adopt}\n")
    report_folds(m)

    centre, k, targets = fits[args.adopt]
    centre, k = round(centre, 3), round(k, 2)
    print(f"## Score mapping ({args.adopt}), fitted to dlib's false accepts per threshold ({source})\n")
    print(f"**centre = {centre}, k = {k}**: score = 100 * (tanh(({centre} - d) * {k}) + 1) / 2, "
          f"d = sqrt(2 - 2 cos); score 50 at cos = {1 - centre * centre / 2:.4f}.\n")
    print("| score ≥ | dlib: d ≤ | FAR | FRR | 0095: halfway d | d ≤ | cos ≥ | FAR | FRR |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for s, target in zip(SCORE_THRESHOLDS, targets):
        t = distance_for_score(s, k, centre)
        far, frr = int(np.sum(d[~same] <= t)), int(np.sum(~(d[same] <= t)))
        print(f"| {s} | {distance_for_score(s, DLIB_K, DLIB_CENTRE):.3f} | {pct(fa_dlib[s] / 3000)} | {pct(fr_dlib[s] / 3000)} | "
              f"{target:.4f} | {t:.4f} | {1 - t * t / 2:.4f} | {pct(far / 3000)} ({far}) | {pct(frr / 3000)} ({frr}) |")
    print()
    for name, (c, kk, _) in fits.items():
        print(f"- fit for {name}: centre {c:.4f}, k {kk:.3f}")
    # The same fit on the cosine itself (x = -cos as the "distance"), for a service that scores cosines.
    cos = 1 - d * d / 2
    c, kc, _ = fit_mapping(-cos, same, fa_dlib, centres=np.arange(-1, 0, 0.0005))
    c, kc = round(-c, 3), round(kc, 2)
    accepted = [int(np.sum(cos[~same] >= c + math.atanh(2 * s / 100 - 1) / kc)) for s in SCORE_THRESHOLDS]
    rejected = [int(np.sum(~(cos[same] >= c + math.atanh(2 * s / 100 - 1) / kc))) for s in SCORE_THRESHOLDS]
    print(f"- the same fit on the cosine ({args.adopt}): score = 100 * (tanh((cos - {c}) * {kc}) + 1) / 2; "
          f"different-person pairs accepted at 30...90: {accepted}, same-person pairs rejected: {rejected}")
    print()

    small = load_cache(os.path.join(args.cache, "working-200-*.jsonl"))
    if pair_files <= small.keys():
        faces_250 = sum(len(records[f].get("faces", [])) for f in pair_files)
        faces_200 = sum(len(small[f].get("faces", [])) for f in pair_files)
        lost = sorted(f for f in pair_files if records[f].get("faces") and not small[f].get("faces"))
        ds = distances(pairs, small, dict((n, f) for n, _, f in OPTIONS)[args.adopt])
        ms = metrics(ds, same, fold, boundary=centre)
        det = float(np.median([small[f]["ms"]["detect"] for f in pair_files]))
        print("## Working size: LFW at 250 px against 200 px (800 against 640 px photos)\n")
        print("| images | faces found | images without a face | 10-fold | TAR @ FAR 1e-3 | at the boundary | detect ms |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        print(f"| 250x250 | {faces_250} | {len(no_face)} | {pct(m['tenfold'])} | {pct(m['tar3'], 1)} | {pct(m['acc_boundary'])} | {med['detect']:.1f} |")
        print(f"| 200x200 | {faces_200} | {sum(1 for f in pair_files if not small[f].get('faces'))} | {pct(ms['tenfold'])} | "
              f"{pct(ms['tar3'], 1)} | {pct(ms['acc_boundary'])} | {det:.1f} |")
        print(f"\nFaces lost at 200 px: {', '.join(lost) or 'none'}\n")

    if args.plot:
        det_plot([(f"{args.model} {n}", results[n][0], same) for n, _, _ in OPTIONS], args.plot)
        print(f"Plot: {args.plot}\n")


if __name__ == "__main__":
    main()
