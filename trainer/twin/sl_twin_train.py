#!/usr/bin/env python3
"""sl_twin_train.py — a PyTorch trainer of the spikeline network with the C trainer's recipe.

The reference that `spikeline train` is measured against: the same network (docs/trainer.md:
one-step lag, spike decided from V before this step's input, reset to zero, beta = L/4096,
payload * in_scale inputs, summed-softmax cross-entropy, decision = argmax of the summed
readout membrane), the same recipe (Kaiming-uniform init times init_gain, inverted dropout on
hidden spikes with one mask per sample and neuron, Adam, one-cycle learning rate for the
weights, cosine for the positions, DCLS with a truncated normalised Gaussian and the annealed
sigma, positions clamped) and the same data (a front-end feature cache `.slf`, its train /
validation / test splits, quantised to payloads as the front end does).

The equations are those of trainer/twin/sl_twin.py (its surrogate spike is imported and its
delay loop is the self-test's reference); what changes is speed: the batch is one tensor,
the delays are one conv1d per projection with a dense kernel [post, pre, taps] (left
padding gives the lag), float32.

Every evaluation (validation, test) uses integer delays (sigma 0, positions rounded half up
and clamped) and no dropout. Per epoch it writes a row of metrics.csv; at the end, the test
accuracy of the epoch with the best validation accuracy (first best) and of the last epoch.

    python3 trainer/twin/sl_twin_train.py --features hd.slf --delays dcls --epochs 25 --out run/
    python3 trainer/twin/sl_twin_train.py --selftest
    python3 trainer/twin/sl_twin_train.py --check-dump twin-int.txt twin-dcls.txt
"""
import argparse
import math
import os
import struct
import sys
import time
import zlib

try:
    import numpy as np
    import torch
    import torch.nn.functional as F
except ImportError as e:
    print(f"sl_twin_train.py: {e} (Debian: apt install python3-torch python3-numpy)")
    sys.exit(77)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sl_twin  # noqa: E402  (its import sets float64 as the default dtype; reset below)

torch.set_default_dtype(torch.float32)
Spike = sl_twin.Spike

SPLIT_TRAIN, SPLIT_TEST, SPLIT_VALID = 1, 2, 4


# ------------------------------------------------------------------ data


def load_slf(path, fmax=1.584):
    """Feature cache (docs/formats-features.md) -> payloads uint8 [n, T, bands], labels, splits."""
    with open(path, "rb") as f:
        raw = f.read()
    if len(raw) < 64 or raw[:4] != b"SLFC":
        sys.exit(f"{path}: not a feature cache (re-run spikeline features)")
    major, minor, n, T, C = struct.unpack_from("<HHIHH", raw, 4)
    crc, name_len, size = struct.unpack_from("<IIQ", raw, 32)
    if major != 1:
        sys.exit(f"{path}: feature cache version {major}, this reader knows 1")
    if name_len != 64 or size != 64 + n * (4 * T * C + 69) or len(raw) != size:
        sys.exit(f"{path}: size mismatch (re-run spikeline features)")
    if zlib.crc32(memoryview(raw)[64:]) != crc:
        sys.exit(f"{path}: CRC mismatch (re-run spikeline features)")
    off = 64
    feat = np.frombuffer(raw, dtype="<f4", count=n * T * C, offset=off).reshape(n, T, C)
    off += 4 * n * T * C
    labels = np.frombuffer(raw, dtype="<u2", count=n, offset=off).astype(np.int64)
    off += 2 * n
    off += 2 * n  # speakers
    splits = np.frombuffer(raw, dtype=np.uint8, count=n, offset=off).copy()
    # payload = round(f * 255 / fmax) clamped to 0..255, 0 for f <= 0 or NaN (sl_fe_quantise)
    f64 = feat.astype(np.float64)
    q = np.floor(f64 * 255.0 / float(np.float32(fmax)) + 0.5)
    q = np.where(f64 > 0, q, 0)
    q = np.nan_to_num(q, nan=0.0)
    pay = np.clip(q, 0, 255).astype(np.uint8)
    return pay, labels, splits


# ------------------------------------------------------------------ schedules (sl_model.c)


def sigma_at(a, epoch):
    if a.delays != "dcls":
        return 0.0
    s0 = a.sigma_start if a.sigma_start > 0 else float(a.taps // 2)
    s1 = a.sigma_end
    e_a = max(1.0, a.sigma_frac * a.epochs)
    s = s1 if epoch >= e_a else s0 * (s1 / s0) ** (epoch / e_a)
    return s + a.sigma_add


def lr_w_at(a, step, spe):
    total = a.epochs * spe
    peak = a.lr_w
    init = peak / a.lr_w_div
    fin = init / a.lr_w_final_div
    up = a.lr_w_pct * total
    if total <= 0:
        return init
    if step < up:
        return init + (peak - init) * 0.5 * (1 - math.cos(math.pi * step / up))
    f = min(1.0, (step - up) / max(total - up, 1))
    return fin + (peak - fin) * 0.5 * (1 + math.cos(math.pi * f))


def lr_pos_at(a, epoch):
    if a.epochs <= 0:
        return 0.0
    f = min(1.0, epoch / a.epochs)
    return a.lr_pos * 0.5 * (1 + math.cos(math.pi * f))


# ------------------------------------------------------------------ network


def gauss_rows(centre, taps, sigma, radius):
    """n_d(centre) for d = 0..taps-1: the Gaussian of width sigma truncated to the taps within
    radius * sigma of the (detached) centre, at least the nearest one, normalised over them."""
    d = torch.arange(taps, dtype=centre.dtype)
    c = centre.detach().unsqueeze(-1)
    R = radius * sigma
    # integer d: d >= ceil(c - R) <=> d >= c - R, d <= floor(c + R) <=> d <= c + R
    win = (d >= c - R) & (d <= c + R)
    empty = ~win.any(dim=-1, keepdim=True)
    if bool(empty.any()):  # cannot happen for sigma > 1/6; the C code's fallback tap
        win = win | (empty & (d == torch.clamp(torch.floor(c + 0.5), 0, taps - 1)))
    g = torch.exp(-((d - centre.unsqueeze(-1)) ** 2) / (2 * sigma * sigma)) * win
    return g / g.sum(dim=-1, keepdim=True)


def dense_kernel(w, pos, taps, sigma, radius, interp=False):
    """K[post, pre, d] = w * n_d(pos) (sl_twin.kernel, for a dense projection): one-hot at
    round-half-up(pos) for sigma 0; else the truncated normalised Gaussian at pos (gauss) or,
    interp, (1 - f) n(c0) + f n(c1) with c0 <= pos <= c1 the neighbouring centres
    (sl_twin.interp_segment: every delay up to sigma 2, every ceil(sigma / 2)-th above)."""
    if sigma <= 0:
        d = torch.arange(taps, dtype=w.dtype)
        dd = torch.clamp(torch.floor(pos.detach() + 0.5), 0, taps - 1)
        n = (d == dd.unsqueeze(-1)).to(w.dtype)
    elif interp:
        c0, c1, f = sl_twin.interp_segment(pos, taps, sigma)
        f = f.unsqueeze(-1)
        n = (1 - f) * gauss_rows(c0, taps, sigma, radius) + f * gauss_rows(c1, taps, sigma, radius)
    else:
        n = gauss_rows(pos, taps, sigma, radius)
    return w.unsqueeze(-1) * n


def delayed(K, x):
    """I[b, post, t] = sum_pre sum_d K[post, pre, d] x[b, pre, t - 1 - d] (one-step lag):
    a conv1d (cross-correlation) with the flipped kernel over x[:, :, :T-1] padded left by taps."""
    T, taps = x.shape[2], K.shape[2]
    xp = F.pad(x[:, :, : T - 1], (taps, 0))
    return F.conv1d(xp, K.flip(2))


def lif(I, mask, beta, alpha):
    """s_t = H(V_{t-1} - 1) from V before this step's input; V_t = (1 - s_t)(beta V_{t-1} + I_t),
    the reset not differentiated; output s_t * mask (sl_twin.check's loop)."""
    B, H, T = I.shape
    v = I.new_zeros(B, H)
    out = []
    # time-major slices: unbind's backward is one stack, not T zero-filled [B, H, T] buffers
    for It in I.permute(2, 0, 1).contiguous().unbind(0):
        s = Spike.apply(v - 1, alpha)
        v = (1 - s.detach()) * (beta * v + It)
        out.append(s)
    s = torch.stack(out, dim=2)
    return s * mask.unsqueeze(2), s.detach()


class one_thread:
    """Run the step loops on one thread: a [B, H] operation is too small to gain from two, and
    on a shared machine the threads' synchronisation of every small operation costs more than
    the operation itself."""

    def __enter__(self):
        self.n = torch.get_num_threads()
        if self.n != 1:
            torch.set_num_threads(1)

    def __exit__(self, *exc):
        if self.n != 1:
            torch.set_num_threads(self.n)


class LIF(torch.autograd.Function):
    """The same layer as lif() with a hand-written backward (the C trainer's sl_lif_backward):
    g_t = dL/dV_t; gI_t = g_t (1 - s_t); g_{t-1} = gI_t beta + gh_t mask sg(V_{t-1} - 1).
    Also returns the number of spikes (before dropout). Two tensor operations per step instead of an autograd graph of T steps; --selftest checks
    it against lif()."""

    @staticmethod
    def forward(ctx, I, mask, beta, alpha):
        B, H, T = I.shape
        It = I.permute(2, 0, 1).contiguous()  # [T, B, H]
        V = torch.empty_like(It)
        S = torch.empty_like(It)
        v = I.new_zeros(B, H)
        with one_thread():
            for t in range(T):
                s = (v >= 1).to(I.dtype)  # from V before this step's input
                v = (beta * v + It[t]) * (1 - s)  # reset to zero
                S[t] = s
                V[t] = v
        ctx.save_for_backward(V, S, mask)
        ctx.beta, ctx.alpha = beta, alpha
        n = S.sum()
        ctx.mark_non_differentiable(n)
        return S.permute(1, 2, 0) * mask.unsqueeze(2), n

    @staticmethod
    def backward(ctx, gh, _gn):
        V, S, mask = ctx.saved_tensors
        beta, a = ctx.beta, ctx.alpha
        T = V.shape[0]
        Vprev = torch.cat([torch.zeros_like(V[:1]), V[:-1]])
        A = gh.permute(2, 0, 1) * mask * ((a / 2) / (1 + (math.pi / 2 * a * (Vprev - 1)) ** 2))
        keep = 1 - S
        gI = torch.empty_like(V)
        g = torch.zeros_like(V[0])
        with one_thread():
            for t in range(T - 1, -1, -1):
                gI[t] = g * keep[t]
                g = gI[t] * beta + A[t]
        return gI.permute(1, 2, 0), None, None, None


def leaky_matrix(beta, T, dtype):
    """Lm[s, t] = beta^(t - s) for t >= s: M = J @ Lm is M_t = beta M_{t-1} + J_t."""
    i = torch.arange(T, dtype=torch.float64)
    e = i.unsqueeze(0) - i.unsqueeze(1)
    return torch.where(e >= 0, beta ** e.clamp(min=0), torch.zeros(())).to(dtype)


class Net:
    def __init__(self, a, n_in, gen):
        self.a = a
        self.beta = round((1 - 1 / a.tau) * 4096) / 4096
        self.beta_o = round((1 - 1 / a.tau_out) * 4096) / 4096
        self.Lm = leaky_matrix(self.beta_o, a.steps, torch.float32)
        sizes = [n_in] + [a.hidden] * a.layers + [a.classes]
        self.w, self.pos = [], []
        for p in range(len(sizes) - 1):
            n_pre, n_post = sizes[p], sizes[p + 1]
            bound = a.init_gain / math.sqrt(n_pre)  # Kaiming-uniform over the presynaptic fan-in
            w = (2 * torch.rand(n_post, n_pre, generator=gen, dtype=torch.float64) - 1) * bound
            u = torch.rand(n_post, n_pre, generator=gen, dtype=torch.float64)
            if a.delays == "dcls":
                pos = u * (a.taps - 1)
            elif a.delays == "fixed":
                pos = torch.floor(u * a.taps)
            else:
                pos = torch.zeros(n_post, n_pre, dtype=torch.float64)
            self.w.append(w.float().requires_grad_())
            self.pos.append(pos.float().requires_grad_(a.delays == "dcls"))
        # --batchnorm: the seed's BN on each hidden layer's synaptic current (conv -> BN -> LIF),
        # per neuron over batch and steps. Not in the hardware (its shift is a bias current the
        # core lacks); here only to measure what leaving it out costs. Its init draws no random
        # numbers, so init, epoch order and dropout masks are those of the run without it.
        self.bn = [torch.nn.BatchNorm1d(a.hidden) for _ in range(a.layers)] if getattr(a, "batchnorm", False) else []

    def params_w(self):
        """The parameters on the weights' one-cycle schedule: weights, then BN scale and shift."""
        return self.w + [p for bn in self.bn for p in bn.parameters()]

    def train_mode(self, on):
        """BN uses batch statistics in training, its running statistics in every evaluation."""
        for bn in self.bn:
            bn.train(on)

    def forward(self, x, sigma, masks):
        """x [B, C, T] feature values -> readout membranes M [B, R, T], hidden spike count."""
        a = self.a
        h, spikes = x, 0.0
        for l in range(a.layers + 1):
            K = dense_kernel(self.w[l], self.pos[l], a.taps, sigma, a.kernel_radius, a.dcls_kernel == "interp")
            I = delayed(K, h)
            if l == a.layers:
                return I @ self.Lm, spikes
            if self.bn:
                I = self.bn[l](I)  # [B, H, T]: BatchNorm1d normalises each H over B and T
            h, n = LIF.apply(I, masks[l], self.beta, a.surr_alpha)
            spikes += float(n)


def loss_and_pred(M, y, membrane=0.0):
    P = torch.softmax(M, dim=1).sum(dim=2)  # summed softmax over time
    loss = F.cross_entropy(P, y)
    if membrane > 0:  # the C trainer's --membrane: CE of the time-averaged membrane (hardware rule)
        loss = loss + membrane * F.cross_entropy(M.mean(dim=2), y)
    pred = M.sum(dim=2).argmax(dim=1)  # hardware rule; argmax returns the first (lowest) maximum
    return loss, pred


def evaluate(net, X, Y, idx, batch):
    """-> loss, accuracy by the hardware rule, accuracy by the seed's rule (argmax of the
    summed softmax: reported beside, to tell a weaker network from a weaker decision rule)."""
    correct, correct_sm, loss_sum = 0, 0, 0.0
    ones = [torch.ones(1, net.a.hidden)] * net.a.layers
    net.train_mode(False)
    with torch.no_grad():
        for b0 in range(0, len(idx), batch):
            j = idx[b0 : b0 + batch]
            M, _ = net.forward(X[j], 0.0, [o.expand(len(j), -1) for o in ones])
            loss, pred = loss_and_pred(M, Y[j])
            loss_sum += float(loss) * len(j)
            correct += int((pred == Y[j]).sum())
            correct_sm += int((torch.softmax(M, dim=1).sum(dim=2).argmax(dim=1) == Y[j]).sum())
    net.train_mode(True)
    n = max(len(idx), 1)
    return loss_sum / n, correct / n, correct_sm / n


def fmt_time(s):
    s = max(0, int(s))
    return f"{s // 3600}h{s // 60 % 60:02d}m" if s >= 3600 else f"{s // 60}m{s % 60:02d}s"


# ------------------------------------------------------------------ training


def train(a):
    torch.set_num_threads(a.threads)
    pay, labels, splits = load_slf(a.features, a.fmax)
    n, T, C = pay.shape
    a.steps = T
    in_scale = float(np.float32(a.fmax / 255.0)) if a.in_scale <= 0 else a.in_scale
    X = torch.from_numpy(pay).float().mul_(in_scale).transpose(1, 2).contiguous()  # [n, C, T]
    Y = torch.from_numpy(labels)
    if int(Y.max()) >= a.classes:
        sys.exit(f"data has labels up to {int(Y.max())}, the network {a.classes} readouts")
    tr = np.nonzero((splits & SPLIT_TEST == 0) & (splits & SPLIT_VALID == 0))[0]
    va = np.nonzero((splits & SPLIT_TEST == 0) & (splits & SPLIT_VALID != 0))[0]
    te = np.nonzero(splits & SPLIT_TEST)[0]
    print(f"{a.features}: {n} utterances, {T} steps x {C} bands; train {len(tr)}, validation {len(va)}, "
          f"test {len(te)}; delays {a.delays}, {a.hidden} hidden x {a.layers}{', batch norm' if a.batchnorm else ''}, "
          f"{a.epochs} epochs, "
          f"batch {a.batch}, seed {a.seed}, {a.threads} threads", file=sys.stderr)
    gen = torch.Generator().manual_seed(a.seed)
    net = Net(a, C, gen)
    groups = [{"params": net.params_w(), "lr": 0.0}]
    if a.delays == "dcls":
        groups.append({"params": net.pos, "lr": 0.0})
    opt = torch.optim.Adam(groups, lr=0.0, betas=(0.9, 0.999), eps=1e-8)
    spe = (len(tr) + a.batch - 1) // a.batch
    os.makedirs(a.out, exist_ok=True)
    csv_path = os.path.join(a.out, "metrics.csv")
    with open(csv_path, "w") as f:
        f.write("epoch,sigma,lr_w,lr_pos,train_loss,train_acc,val_loss,val_acc,test_acc,spikes_per_neuron,"
                "seconds,eval_seconds,test_acc_softmax\n")
    show = a.progress or (a.progress is None and sys.stderr.isatty())
    step, best_val, best_epoch, best_test, best_test_sm = 0, -1.0, -1, 0.0, 0.0
    t_train, t_all = 0.0, time.time()
    rows = []
    for e in range(a.epochs):
        sigma = sigma_at(a, e)
        lr_pos = lr_pos_at(a, e)
        order = torch.from_numpy(tr)[torch.randperm(len(tr), generator=gen)]
        t0 = time.time()
        loss_sum, correct, seen, spikes = 0.0, 0, 0, 0.0
        lr_w = 0.0
        for bi in range(spe):
            j = order[bi * a.batch : (bi + 1) * a.batch]
            B = len(j)
            keep = 1.0 / (1.0 - a.dropout)
            masks = [(torch.rand(B, a.hidden, generator=gen) >= a.dropout).float() * keep for _ in range(a.layers)]
            M, sp = net.forward(X[j], sigma, masks)
            loss, pred = loss_and_pred(M, Y[j], a.membrane)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            lr_w = lr_w_at(a, step, spe)
            opt.param_groups[0]["lr"] = lr_w
            if a.delays == "dcls":
                opt.param_groups[1]["lr"] = lr_pos
            opt.step()
            step += 1
            with torch.no_grad():
                for p in net.pos:
                    p.clamp_(0, a.taps - 1)
            loss_sum += float(loss) * B
            correct += int((pred == Y[j]).sum())
            seen += B
            spikes += sp
            if show:
                el = time.time() - t0
                frac = (bi + 1) / spe
                per_epoch = el / frac + (rows[-1]["eval_seconds"] if rows else 0)
                eta = per_epoch * (1 - frac) + per_epoch * (a.epochs - e - 1)
                bar = "#" * int(frac * 30) + "." * (30 - int(frac * 30))
                sys.stderr.write(f"\repoch {e + 1:3d}/{a.epochs} [{bar}] {100 * frac:3.0f}% loss "
                                 f"{loss_sum / seen:.4f} acc {100 * correct / seen:5.1f}% ETA {fmt_time(eta)}   ")
                sys.stderr.flush()
        dt = time.time() - t0
        t_train += dt
        t1 = time.time()
        vloss, vacc, _ = evaluate(net, X, Y, va, a.eval_batch)
        _, tacc, tacc_sm = evaluate(net, X, Y, te, a.eval_batch)
        dte = time.time() - t1
        improved = vacc > best_val
        if improved:
            best_val, best_epoch, best_test, best_test_sm = vacc, e, tacc, tacc_sm
        r = dict(epoch=e + 1, sigma=sigma, lr_w=lr_w, lr_pos=lr_pos if a.delays == "dcls" else 0.0,
                 train_loss=loss_sum / seen, train_acc=correct / seen, val_loss=vloss, val_acc=vacc,
                 test_acc=tacc, spikes=spikes / (a.hidden * a.layers) / seen, seconds=dt, eval_seconds=dte,
                 test_acc_softmax=tacc_sm)
        rows.append(r)
        with open(csv_path, "a") as f:
            f.write("{epoch},{sigma:.4f},{lr_w:.6g},{lr_pos:.6g},{train_loss:.5f},{train_acc:.4f},{val_loss:.5f},"
                    "{val_acc:.4f},{test_acc:.4f},{spikes:.3f},{seconds:.3f},{eval_seconds:.3f},{test_acc_softmax:.4f}\n".format(**r))
        if show:
            sys.stderr.write("\n")
        print(f"epoch {e + 1:3d}/{a.epochs} loss {r['train_loss']:.4f} acc {100 * r['train_acc']:5.1f}% | val "
              f"{100 * vacc:5.1f}% test {100 * tacc:5.1f}% | sigma {sigma:.2f} spikes {r['spikes']:.2f} "
              f"{'* ' if improved else '  '}{dt:.1f}s (+{dte:.1f}s eval)", file=sys.stderr)
    sec = t_train / max(a.epochs, 1)
    final = rows[-1]["test_acc"] if rows else 0.0
    final_sm = rows[-1]["test_acc_softmax"] if rows else 0.0
    # the median is robust to an epoch stretched by other work on a shared machine
    med = float(np.median([r["seconds"] for r in rows])) if rows else 0.0
    summary = (f"summary: delays {a.delays}, batchnorm {int(a.batchnorm)}, epochs {a.epochs}, threads {a.threads}, "
               f"{sec:.2f} s per epoch (training), best validation {100 * best_val:.2f}% at epoch {best_epoch + 1}: "
               f"test {100 * best_test:.2f}% (validation-selected), final epoch test {100 * final:.2f}%, "
               f"by the summed-softmax rule {100 * best_test_sm:.2f}% and {100 * final_sm:.2f}%, "
               f"total {fmt_time(time.time() - t_all)}")
    print(summary)
    with open(os.path.join(a.out, "summary.txt"), "w") as f:
        f.write(f"best_epoch = {best_epoch + 1}\nval_acc = {best_val:.4f}\ntest_acc_val_selected = {best_test:.4f}\n"
                f"test_acc_final = {final:.4f}\ntest_acc_softmax_val_selected = {best_test_sm:.4f}\n"
                f"test_acc_softmax_final = {final_sm:.4f}\nepoch_seconds = {sec:.3f}\n"
                f"epoch_seconds_median = {med:.3f}\nthreads = {a.threads}\n"
                f"test_samples = {len(te)}\n")
        for k, v in sorted(vars(a).items()):
            f.write(f"{k} = {v}\n")
        f.write(summary + "\n")
    with open(csv_path, "a") as f:
        f.write(f"# {summary}\n")
    return 0


# ------------------------------------------------------------------ self-test


def selftest():
    """The conv1d delay, the dense DCLS kernel and the matrix readout against sl_twin's
    per-synapse kernel, per-tap delay loop and recursive readout (float64)."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(3)
    B, Cn, Hn, T, taps = 3, 5, 7, 30, 9
    bad = 0
    cases = [(sg, False) for sg in (0.0, 0.4, 1.3, 4.0)]
    if "interp" in sl_twin.kernel.__code__.co_varnames:
        cases += [(sg, True) for sg in (0.5, 1.3, 4.0, 6.0)]
    for sigma, interp in cases:
        w = torch.randn(Hn, Cn, generator=g, dtype=torch.float64, requires_grad=True)
        pos = (torch.rand(Hn, Cn, generator=g, dtype=torch.float64) * (taps - 1)).requires_grad_()
        x = torch.rand(B, Cn, T, generator=g, dtype=torch.float64)
        radius = 2.0 if interp else 3.0
        I = delayed(dense_kernel(w, pos, taps, sigma, radius, interp), x)
        gy = torch.randn(I.shape, generator=g, dtype=torch.float64)
        gw, gp = torch.autograd.grad((I * gy).sum(), (w, pos), allow_unused=True)
        # reference: sl_twin's synapse-list kernel (pre-major, as the C trainer) and delay loop
        w2 = w.detach().t().reshape(-1).clone().requires_grad_()
        p2 = pos.detach().t().reshape(-1).clone().requires_grad_()
        syn = {"w_t": w2, "pos_t": p2, "active": [1] * (Cn * Hn),
               "pre": [i for i in range(Cn) for _ in range(Hn)], "post": [j for _ in range(Cn) for j in range(Hn)]}
        kw = {"interp": True} if interp else {}
        I2 = sl_twin.delayed(sl_twin.kernel(syn, taps, sigma, radius, Cn, Hn, **kw), x, T)
        (I2 * gy).sum().backward()
        errs = [float((I - I2).abs().max()), float((gw.t().reshape(-1) - w2.grad).abs().max())]
        if sigma > 0:
            errs.append(float((gp.t().reshape(-1) - p2.grad).abs().max()))
        ok = max(errs) < 1e-10
        bad += not ok
        print(f"  delay {'interp' if interp else 'gauss '} sigma {sigma}: max errors {' '.join(f'{v:.1e}' for v in errs)} {'ok' if ok else 'MISMATCH'}")
    I = (torch.rand(B, Hn, T, generator=g) * 0.6).requires_grad_()
    mask = (torch.rand(B, Hn, generator=g) < 0.6) / 0.6
    beta = 3688 / 4096
    out1, _ = lif(I, mask, beta, 5.0)
    gy = torch.randn(out1.shape, generator=g)
    (g1,) = torch.autograd.grad((out1 * gy).sum(), I)
    out2, _ = LIF.apply(I, mask, beta, 5.0)
    (g2,) = torch.autograd.grad((out2 * gy).sum(), I)
    errs = (float((out1 - out2).abs().max()), float((g1 - g2).abs().max()))
    nsp = int((out1 != 0).sum())
    ok = max(errs) < 1e-12 and nsp > 0
    bad += not ok
    print(f"  LIF ({nsp} spikes): max errors {errs[0]:.1e} {errs[1]:.1e} {'ok' if ok else 'MISMATCH'}")
    J = torch.randn(B, 4, T, generator=g)
    beta = 3688 / 4096
    m, Ms = torch.zeros(B, 4), []
    for t in range(T):
        m = beta * m + J[:, :, t]
        Ms.append(m)
    err = float((J @ leaky_matrix(beta, T, torch.float64) - torch.stack(Ms, 2)).abs().max())
    bad += err > 1e-10
    print(f"  readout: max error {err:.1e} {'ok' if err <= 1e-10 else 'MISMATCH'}")
    return 1 if bad else 0


def check_dump(path):
    """The whole vectorised network against the C trainer: load a dump of trainer/twin/
    sl_twin_dump.c (dense, one synapse per pair) and compare readout membranes, loss and the
    gradients of every weight and position with the C results (float64)."""
    torch.set_default_dtype(torch.float64)
    cfg, real, proj, samples = sl_twin.parse(path)
    B, T, C = cfg["batch"], cfg["steps"], cfg["n_in"]
    a = argparse.Namespace(steps=T, taps=cfg["taps"], hidden=cfg["n_hid"], layers=cfg["n_layers"],
                           classes=cfg["n_out"], tau=1 / (1 - real["beta"]), tau_out=1 / (1 - real["beta_out"]),
                           surr_alpha=real["alpha"], kernel_radius=real["radius"], init_gain=1.0,
                           delays="dcls" if real["sigma"] > 0 else "fixed",
                           dcls_kernel="interp" if cfg.get("interp", 0) == 1 else "gauss")
    net = Net(a, C, torch.Generator().manual_seed(0))
    net.beta, net.beta_o = real["beta"], real["beta_out"]
    net.Lm = leaky_matrix(net.beta_o, T, torch.float64)
    for l, p in enumerate(proj):
        n_post, n_pre = net.w[l].shape
        if len(p["w"]) != n_pre * n_post or not all(p["active"]):
            print(f"{path}: projection {l} is not dense - not supported here")
            return 1
        idx = (torch.tensor(p["post"]), torch.tensor(p["pre"]))
        w = torch.zeros(n_post, n_pre)
        w[idx] = torch.tensor(p["w"])
        pos = torch.zeros(n_post, n_pre)
        pos[idx] = torch.tensor(p["pos"])
        net.w[l] = w.requires_grad_()
        net.pos[l] = pos.requires_grad_()
        p["idx"] = idx
    x = torch.tensor([s["payload"] for s in samples], dtype=torch.float64).view(B, T, C).transpose(1, 2)
    x = x * real["in_scale"]
    y = torch.tensor([s["label"] for s in samples])
    masks = [torch.tensor([s["mask"][l] for s in samples]) for l in range(a.layers)]
    M, _ = net.forward(x, real["sigma"], masks)
    loss, _ = loss_and_pred(M, y)
    lam = real.get("membrane", 0.0)
    if lam > 0:  # the C fine-tuning term: cross-entropy of the time-averaged membrane
        loss = loss + lam * F.cross_entropy(M.mean(dim=2), y)
    loss.backward()
    res = [("M", M.detach().reshape(B, -1), torch.tensor([s["M"] for s in samples])),
           ("loss", loss.detach(), torch.tensor(real["loss"]))]
    for l, p in enumerate(proj):
        res.append((f"grad_w[{l}]", net.w[l].grad[p["idx"]], torch.tensor(p["grad_w"])))
        if real["sigma"] > 0:
            res.append((f"grad_pos[{l}]", net.pos[l].grad[p["idx"]], torch.tensor(p["grad_pos"])))
    bad = 0
    print(f"{path}: sigma {real['sigma']:.3g} ({a.dcls_kernel}), membrane term {real.get('membrane', 0.0):g}, "
          f"{a.layers} hidden layer(s), batch {B}")
    for name, u, v in res:
        scale = max(float(u.abs().max()), float(v.abs().max()), 1e-30)
        err = float((u.flatten() - v.flatten()).abs().max()) / scale
        ok = err <= 1e-9 and scale > 1e-12
        bad += not ok
        print(f"  {name:<12} {u.numel():5d} values  max error / max |x| {err:.2e}  {'ok' if ok else 'MISMATCH'}")
    torch.set_default_dtype(torch.float32)
    return bad


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--features", help="front-end feature cache (.slf)")
    ap.add_argument("--out", default="twin-run", help="output directory (metrics.csv, summary.txt)")
    ap.add_argument("--delays", choices=("none", "fixed", "dcls"), default="dcls")
    ap.add_argument("--epochs", type=int, default=150)
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--eval-batch", type=int, default=512)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--hidden", type=int, default=256)
    ap.add_argument("--layers", type=int, default=1)
    ap.add_argument("--classes", type=int, default=20)
    ap.add_argument("--taps", type=int, default=25)
    ap.add_argument("--tau", type=float, default=10.05)
    ap.add_argument("--tau-out", type=float, default=10.05)
    ap.add_argument("--surr-alpha", type=float, default=5.0)
    ap.add_argument("--dropout", type=float, default=0.4)
    ap.add_argument("--batchnorm", action="store_true",
                    help="BatchNorm1d on each hidden layer's synaptic current before the LIF (not deployable)")
    ap.add_argument("--fmax", type=float, default=1.584, help="feature value of payload 255")
    ap.add_argument("--in-scale", type=float, default=0, help="feature value of payload 1 (0 = fmax/255)")
    ap.add_argument("--init-gain", type=float, default=1.0)
    ap.add_argument("--sigma-start", type=float, default=0, help="0 = taps/2")
    ap.add_argument("--sigma-end", type=float, default=0.23)
    ap.add_argument("--sigma-add", type=float, default=0.27)
    ap.add_argument("--sigma-frac", type=float, default=0.25)
    ap.add_argument("--kernel-radius", type=float, default=3.0)
    ap.add_argument("--dcls-kernel", choices=("gauss", "interp"), default="gauss",
                    help="DCLS kernel: gauss (the truncated Gaussian at the position) or interp (two Gaussians)")
    ap.add_argument("--lr-w", type=float, default=5e-3)
    ap.add_argument("--lr-w-div", type=float, default=5.0)
    ap.add_argument("--lr-w-final-div", type=float, default=1e3)
    ap.add_argument("--lr-w-pct", type=float, default=0.3)
    ap.add_argument("--lr-pos", type=float, default=0.1)
    ap.add_argument("--membrane", type=float, default=0.0,
                    help="weight of the CE of the time-averaged readout membrane (the hardware rule) in the loss")
    ap.add_argument("--progress", dest="progress", action="store_true", default=None)
    ap.add_argument("--no-progress", dest="progress", action="store_false")
    ap.add_argument("--selftest", action="store_true", help="check the vectorised layers against sl_twin.py")
    ap.add_argument("--check-dump", nargs="+", metavar="DUMP", help="compare with C trainer dumps (sl_twin_dump)")
    a = ap.parse_args()
    if a.selftest:
        return selftest()
    if a.check_dump:
        return 1 if sum(check_dump(p) for p in a.check_dump) else 0
    if not a.features:
        ap.error("--features is required")
    return train(a)


if __name__ == "__main__":
    sys.exit(main())
