#!/usr/bin/python3
"""Xu et al. (arXiv 2310.02541) Figure 1 (right) in PyTorch on the CPU: a batched dual form.

The same experiment as sweeps/xor-fig1-right.yaml, written as a well-made PyTorch program would
be, to compare grokgrid's speed against (docs/performance-pytorch.md). Recipe (grokgrid's
XorClusters, Net, Loop, LogSchedule):

- data: n = 200 training and 200 test points in p = 40000 dimensions; clean label y~ uniform in
  {+1, -1}; x = +-r e1 + xi for y~ = +1, +-r e2 + xi for y~ = -1 (sign uniform), xi ~ N(0, I_p),
  r = 2.5 sqrt(p / n); the observed label flips y~ with probability 0.05 (training and test).
- net: f(x) = sum_j a_j ReLU(<w_j, x>), m = 1000, a_j uniform in {+-1/sqrt(m)} and fixed,
  w_j(0) ~ N(0, omega^2 I_p) with omega = 1e-15; only W is trained.
- full-batch GD on the mean logistic loss, step size alpha = 1e-16, 5000 steps, no weight decay.
- logged at grokgrid's 200 log-spaced steps (0..10, then geometric up to 5000): train accuracy
  on the observed labels, test accuracy on the clean and on the noisy test labels (a point counts
  as correct when y f > 0).

Dual form: W = W0 + C X (X the n x p training inputs) is never formed. With P = W X^T (m x n),
K = X X^T and g_i = alpha dL/df_i = -(alpha / n) y_i sigmoid(-y_i f_i), a GD step is

    D = diag(a) (S o 1 g^T),  S = 1[P > 0]
    P <- P - D K,   C <- C - D

so a step costs one m x n by n x n product per run; all R runs are one [R, m, n] tensor and the
product is one batched matmul (torch.baddbmm). The test pre-activations C X X_test^T + W0 X_test^T
are formed only at logged steps, with W0 X_test^T computed once at set-up. Set-up per run: the
data, W0 drawn in column chunks (never whole), P0 = W0 X^T and W0 X_test^T as one GEMM per chunk
against [X; X_test], K and X X_test^T. Everything is float32, as grokgrid's dual-mask form.

Randomness: grokgrid's Java streams (SplittableRandom) cannot be reproduced here. Run i draws its
data from torch.Generator seeded (seed, i, 0) and its initialization from (seed, i, 1), both
mixed into one 63-bit integer below; the same --seed gives the same numbers for a given torch
version and thread count. So this is the same experiment in distribution, on other seeds.

Usage: /usr/bin/python3 scripts/pytorch/fig1_right.py --runs 8 --threads 1 [--steps 5000]
       [--out curves.csv] [--seed 7]
Prints one JSON line: wall, set-up and training seconds, runs, threads, torch version, and the
medians over runs (first logged step with median train accuracy 1.0 and with median clean test
accuracy >= 0.95).
"""

import argparse
import json
import math
import os
import platform
import sys
import time

import torch


def log_schedule(steps, log_points):
    """grokgrid's LogSchedule.of: steps 0..10 and the last, then geometric grids over them."""
    out = set(range(0, min(10, steps) + 1))
    out.add(steps)
    target = min(max(log_points, len(out)), steps + 1)
    if steps > 10:
        base = set(out)
        r = 1
        while len(out) < target and r <= 4 * target:
            trial = set(base)
            for i in range(1, r):
                # Java's Math.round: floor(x + 0.5), not Python's round-half-even
                trial.add(int(math.floor(10.0 * (steps / 10.0) ** (i / r) + 0.5)))
            if len(trial) > target:
                break
            out = trial
            r += 1
    return sorted(out)


def blas_in_use():
    """The BLAS library torch's process mapped, and OpenBLAS's kernel choice if it is OpenBLAS."""
    path = None
    with open("/proc/self/maps") as fh:
        for line in fh:
            if "libblas" in line or "libopenblas" in line:
                path = os.path.realpath(line.split()[-1])
                if "openblas" in path:
                    break
    core = None
    if path and "openblas" in path:
        import ctypes
        lib = ctypes.CDLL(path)
        lib.openblas_get_corename.restype = ctypes.c_char_p
        core = lib.openblas_get_corename().decode()
    return path, core


def mix(*xs):
    """A 63-bit seed from integers (splitmix64 finalizer over each in turn)."""
    h = 0x9E3779B97F4A7C15
    for x in xs:
        h = (h ^ (x & 0xFFFFFFFFFFFFFFFF)) * 0xBF58476D1CE4E5B9 & 0xFFFFFFFFFFFFFFFF
        h = (h ^ (h >> 31)) * 0x94D049BB133111EB & 0xFFFFFFFFFFFFFFFF
        h ^= h >> 29
    return h & 0x7FFFFFFFFFFFFFFF


def xor_part(gen, n, p, signal, noise_rate):
    """n XOR-cluster points: inputs (n x p), clean and observed labels (n)."""
    clean = torch.randint(0, 2, (n,), generator=gen).float() * 2 - 1
    sign = torch.randint(0, 2, (n,), generator=gen).float() * 2 - 1
    flip = torch.rand(n, generator=gen) < noise_rate
    noisy = torch.where(flip, -clean, clean)
    x = torch.randn(n, p, generator=gen)
    rows = torch.arange(n)
    # +1 examples sit on the e1 axis, -1 examples on the e2 axis
    x[rows, (clean < 0).long()] += sign * signal
    return x, clean, noisy


def setup_run(seed, i, a_cfg):
    """One run's data and initialization, reduced to what the dual form needs."""
    n, nt, p, m = a_cfg["n"], a_cfg["nt"], a_cfg["p"], a_cfg["m"]
    gd = torch.Generator().manual_seed(mix(seed, i, 0))
    x, _, y = xor_part(gd, n, p, a_cfg["signal"], a_cfg["noise_rate"])
    xt, yt_clean, yt_noisy = xor_part(gd, nt, p, a_cfg["signal"], a_cfg["noise_rate"])
    gi = torch.Generator().manual_seed(mix(seed, i, 1))
    a = (torch.randint(0, 2, (m,), generator=gi).float() * 2 - 1) / math.sqrt(m)
    xall = torch.cat([x, xt])  # (n + nt) x p
    pq0 = torch.zeros(m, n + nt)
    chunk = a_cfg["chunk"]
    w0c = torch.empty(m, chunk)
    for c0 in range(0, p, chunk):
        c1 = min(p, c0 + chunk)
        w = w0c[:, : c1 - c0]
        torch.randn(w.shape, generator=gi, out=w)
        # W0 = omega * randn: scale the m x (n + nt) product, not the m x chunk draw
        pq0.addmm_(w, xall[:, c0:c1].t())
    pq0.mul_(a_cfg["init_scale"])
    k_all = x @ xall.t()  # [K | X X_test^T], n x (n + nt)
    return {
        "p0": pq0[:, :n], "q0": pq0[:, n:], "k": k_all[:, :n], "ktt": k_all[:, n:],
        "a": a, "y": y, "yt_clean": yt_clean, "yt_noisy": yt_noisy,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=8)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--steps", type=int, default=5000)
    ap.add_argument("--log-points", type=int, default=200)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", help="CSV of curves: run,step,train_acc,test_acc,test_acc_noisy,train_loss")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    torch.set_grad_enabled(False)
    p, n = 40000, 200
    cfg = {"n": n, "nt": 200, "p": p, "m": 1000, "signal": 2.5 * math.sqrt(p / n),
           "noise_rate": 0.05, "init_scale": 1e-15, "chunk": 4096}
    alpha = 1e-16
    R, m, nt, steps = args.runs, cfg["m"], cfg["nt"], args.steps
    logs = log_schedule(steps, args.log_points)

    t0 = time.perf_counter()
    parts = [setup_run(args.seed, i, cfg) for i in range(R)]
    st = {key: torch.stack([pt[key] for pt in parts]).contiguous() for key in parts[0]}
    del parts
    t_setup = time.perf_counter() - t0

    P = st["p0"].clone()               # R x m x n
    C = torch.zeros(R, m, n)           # R x m x n
    K, KTT, Q0 = st["k"], st["ktt"], st["q0"]
    a_col = st["a"].unsqueeze(2)       # R x m x 1
    a_row = st["a"].unsqueeze(1)       # R x 1 x m
    y, yt_clean, yt_noisy = st["y"], st["yt_clean"], st["yt_noisy"]
    relu = torch.empty(R, m, n)
    D = torch.empty(R, m, n)
    S = torch.empty(R, m, n)
    f = torch.empty(R, 1, n)
    curves = []  # (step, train_acc R, test_acc R, test_acc_noisy R, train_loss R)

    t1 = time.perf_counter()
    li = 0
    for t in range(steps + 1):
        torch.clamp(P, min=0.0, out=relu)
        torch.bmm(a_row, relu, out=f)
        fr = f.squeeze(1)                                           # R x n
        if li < len(logs) and t == logs[li]:
            ft = torch.bmm(a_row, torch.baddbmm(Q0, C, KTT).clamp_(min=0.0)).squeeze(1)
            curves.append((t, ((y * fr) > 0).float().mean(1), ((yt_clean * ft) > 0).float().mean(1),
                           ((yt_noisy * ft) > 0).float().mean(1),
                           torch.nn.functional.softplus(-y * fr).mean(1)))
            li += 1
        if t == steps:
            break
        g = (-alpha / n) * y * torch.sigmoid(-y * fr)                # R x n
        # D = diag(a) (S o 1 g^T): the mask as a float 0/1 tensor, two multiplications (in
        # torch 1.13 masked_fill_ and where with a bool mask take 40-60x longer than this)
        torch.gt(P, 0.0, out=S)
        torch.mul(a_col, g.unsqueeze(1), out=D)
        D.mul_(S)
        C.sub_(D)
        P.baddbmm_(D, K, alpha=-1.0)
    t_train = time.perf_counter() - t1

    steps_logged = [c[0] for c in curves]
    tr = torch.stack([c[1] for c in curves])      # L x R
    te = torch.stack([c[2] for c in curves])
    ten = torch.stack([c[3] for c in curves])
    loss = torch.stack([c[4] for c in curves])
    med_tr = tr.double().quantile(0.5, dim=1)
    med_te = te.double().quantile(0.5, dim=1)

    def first(mask):
        idx = [s for s, ok in zip(steps_logged, mask.tolist()) if ok]
        return idx[0] if idx else None

    if args.out:
        with open(args.out, "w") as fh:
            fh.write("run,step,train_acc,test_acc,test_acc_noisy,train_loss\n")
            for r in range(R):
                for li, s in enumerate(steps_logged):
                    fh.write("%d,%d,%.4f,%.4f,%.4f,%.9g\n" % (
                        r, s, tr[li, r], te[li, r], ten[li, r], loss[li, r]))

    def med_at(s, med):
        return round(float(med[steps_logged.index(s)]), 4) if s in steps_logged else None

    wall = time.perf_counter() - t0
    blas = blas_in_use()
    print(json.dumps({
        "case": "fig1-right-pytorch", "runs": R, "threads": args.threads, "steps": steps,
        "wall_s": round(wall, 3), "setup_s": round(t_setup, 3), "train_s": round(t_train, 3),
        "per_run_s": round(wall / R, 3),
        "projected_100_runs_s": round(wall / R * 100, 1),
        "ms_per_step_per_run": round(t_train / R / steps * 1e3, 4),
        "torch": torch.__version__, "python": platform.python_version(),
        "torch_threads": torch.get_num_threads(), "seed": args.seed,
        "blas": blas[0], "blas_core": blas[1],
        "first_step_median_train_acc_1": first(med_tr >= 1.0),
        "first_step_median_test_acc_ge_0.95": first(med_te >= 0.95),
        "median_test_acc@100": med_at(100, med_te),
        "median_test_acc@%d" % steps: med_at(steps, med_te),
    }))


if __name__ == "__main__":
    main()
