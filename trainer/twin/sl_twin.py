#!/usr/bin/env python3
"""sl_twin.py — the PyTorch twin of the spikeline trainer (llm.c's test_gpt2 idea).

Reads a dump of the C trainer (trainer/twin/sl_twin_dump.c): configuration, synapses,
weights, positions, one batch with its dropout masks, and the C results. Rebuilds the same
network in PyTorch from the equations alone (dense delay kernels, a Python time loop,
autograd with a custom surrogate spike), then compares the readout membranes, the loss and
every gradient (weights and delay positions of every projection) with the C trainer's.

Exit 0 when all agree, 1 on a mismatch, 77 (ctest SKIP_RETURN_CODE) when torch is absent.
Never needed by the product itself.
"""
import math
import sys

try:
    import torch
except ImportError:
    print("sl_twin.py: PyTorch not available (Debian: apt install python3-torch) - skipped")
    sys.exit(77)

torch.set_default_dtype(torch.float64)


def parse(path):
    cfg, real, proj, samples = {}, {}, [], []
    cur = None
    for line in open(path):
        f = line.split()
        if f[0] == "cfg":
            cfg = {f[i]: int(f[i + 1]) for i in range(1, len(f), 2)}
        elif f[0] == "real":
            real.update({f[i]: float(f[i + 1]) for i in range(1, len(f), 2)})
        else:
            name, vals = f[0], f[2:]
            if name in ("pre", "post", "active"):
                if name == "pre":
                    proj.append({})
                proj[-1][name] = [int(v) for v in vals]
            elif name in ("w", "pos", "grad_w", "grad_pos"):
                proj[-1][name] = [float(v) for v in vals]
            elif name == "payload":
                samples.append({"payload": [int(v) for v in vals], "mask": []})
            elif name == "label":
                samples[-1]["label"] = int(vals[0])
            elif name == "mask":
                samples[-1]["mask"].append([float(v) for v in vals])
            elif name == "M":
                samples[-1]["M"] = [float(v) for v in vals]
    return cfg, real, proj, samples


class Spike(torch.autograd.Function):
    """H(v - 1) forward; arctan surrogate (alpha/2) / (1 + (pi/2 alpha x)^2) backward."""

    @staticmethod
    def forward(ctx, x, alpha):
        ctx.save_for_backward(x)
        ctx.alpha = alpha
        return (x >= 0).to(x.dtype)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        a = ctx.alpha
        return g * (a / 2) / (1 + (math.pi / 2 * a * x) ** 2), None


def gauss(centre, taps, sigma, radius):
    """Rows n_d(centre): the Gaussian of width sigma at each centre, truncated to the taps
    within radius * sigma of it (at least the nearest tap) and normalised over them."""
    d = torch.arange(taps, dtype=torch.float64).unsqueeze(0)  # [1, taps]
    R = radius * sigma
    lo = torch.clamp(torch.ceil(centre.detach() - R), min=0)
    hi = torch.clamp(torch.floor(centre.detach() + R), max=taps - 1)
    win = ((d >= lo.unsqueeze(1)) & (d <= hi.unsqueeze(1))).to(torch.float64)
    g = torch.exp(-(d - centre.unsqueeze(1)) ** 2 / (2 * sigma * sigma)) * win
    return g / g.sum(dim=1, keepdim=True)


def interp_segment(pos, taps, sigma):
    """The two centres around each position and the blend: centres every g = max(1,
    ceil(sigma / 2)) delays from 0, plus the last delay; c0 = the centre at or below pos (at
    most the second last), f = (pos - c0) / (c1 - c0)."""
    g = max(1, math.ceil(sigma / 2))
    cen = list(range(0, taps - 1, g)) + [taps - 1]
    cen_t = torch.tensor(cen, dtype=pos.dtype)
    k = torch.clamp(torch.floor(pos.detach() / g), 0, max(len(cen) - 2, 0)).long()
    c0, c1 = cen_t[k], cen_t[torch.clamp(k + 1, max=len(cen) - 1)]
    return c0, c1, (pos - c0) / (c1 - c0)


def kernel(p, taps, sigma, radius, n_pre, n_post, interp=False):
    """Dense kernel K[post, pre, d] = sum over active synapses of w * n_d(pos). interp: n(pos)
    = (1 - f) n(c0) + f n(c1), c0 <= pos <= c1 the neighbouring centres (interp_segment),
    n(c) the truncated Gaussian at the centre c."""
    w, pos = p["w_t"], p["pos_t"]
    act = torch.tensor(p["active"], dtype=torch.bool)
    d = torch.arange(taps, dtype=torch.float64).unsqueeze(0)  # [1, taps]
    if sigma > 0 and interp:
        c0, c1, f = interp_segment(pos, taps, sigma)
        f = f.unsqueeze(1)
        n = (1 - f) * gauss(c0, taps, sigma, radius) + f * gauss(c1, taps, sigma, radius)
    elif sigma <= 0:
        dd = torch.clamp(torch.floor(pos.detach() + 0.5), 0, taps - 1)
        n = (d == dd.unsqueeze(1)).to(torch.float64)
    else:
        n = gauss(pos, taps, sigma, radius)
    contrib = (w * act).unsqueeze(1) * n  # [n_syn, taps]
    K = torch.zeros(n_post, n_pre, taps)
    pre = torch.tensor(p["pre"])
    post = torch.tensor(p["post"])
    K = K.index_put((post, pre), contrib, accumulate=True)
    return K


def delayed(K, x, T):
    """I[b, post, t] = sum_pre sum_d K[post, pre, d] x[b, pre, t - 1 - d] (one-step lag)."""
    B = x.shape[0]
    I = torch.zeros(B, K.shape[0], T)
    for d in range(K.shape[2]):
        if 1 + d < T:
            I[:, :, 1 + d:] = I[:, :, 1 + d:] + torch.einsum("op,bpt->bot", K[:, :, d], x[:, :, : T - 1 - d])
    return I


def main():
    if len(sys.argv) < 2:
        print("usage: sl_twin.py DUMP.txt [DUMP2.txt ...]")
        return 2
    bad = 0
    for path in sys.argv[1:]:
        bad += check(path)
    return 1 if bad else 0


def check(path):
    cfg, real, proj, samples = parse(path)
    T, taps, B = cfg["steps"], cfg["taps"], cfg["batch"]
    C, H, L, R = cfg["n_in"], cfg["n_hid"], cfg["n_layers"], cfg["n_out"]
    beta, beta_o, alpha = real["beta"], real["beta_out"], real["alpha"]
    sigma, radius = real["sigma"], real["radius"]
    interp = cfg.get("interp", 0) == 1
    for p in proj:
        p["w_t"] = torch.tensor(p["w"], requires_grad=True)
        p["pos_t"] = torch.tensor(p["pos"], requires_grad=True)
    x = torch.tensor([s["payload"] for s in samples], dtype=torch.float64).view(B, T, C).transpose(1, 2)
    x = x * real["in_scale"]
    y = torch.tensor([s["label"] for s in samples])
    h = x
    for l in range(L):
        K = kernel(proj[l], taps, sigma, radius, proj[l]["pre"][-1] + 1 if l else C, H, interp)
        I = delayed(K, h, T)
        mask = torch.tensor([s["mask"][l] for s in samples])
        v = torch.zeros(B, H)
        out = []
        for t in range(T):
            s = Spike.apply(v - 1, alpha)               # from V before this step's input
            v = (1 - s.detach()) * (beta * v + I[:, :, t])  # reset to zero, not differentiated
            out.append(s * mask)
        h = torch.stack(out, dim=2)
    K = kernel(proj[L], taps, sigma, radius, H, R, interp)
    J = delayed(K, h, T)
    m = torch.zeros(B, R)
    Ms = []
    for t in range(T):
        m = beta_o * m + J[:, :, t]
        Ms.append(m)
    M = torch.stack(Ms, dim=2)  # [B, R, T]
    P = torch.softmax(M, dim=1).sum(dim=2)
    loss = torch.nn.functional.cross_entropy(P, y)
    lam = real.get("membrane", 0.0)
    if lam > 0:  # fine-tuning term: CE of the time-averaged membrane (the hardware rule's argmax)
        loss = loss + lam * torch.nn.functional.cross_entropy(M.mean(dim=2), y)
    loss.backward()

    fails = 0

    # a double build agrees to ~1e-12; a float build (the vectorised kernels) to float
    # rounding accumulated over the steps
    tol_run = 1e-9 if cfg.get("bits", 64) == 64 else 1e-4

    def cmp(name, a, b, tol=tol_run):
        nonlocal fails
        a = torch.as_tensor(a, dtype=torch.float64).flatten()
        b = torch.as_tensor(b, dtype=torch.float64).flatten()
        scale = max(float(a.abs().max()), float(b.abs().max()), 1e-30)
        err = float((a - b).abs().max()) / scale
        ok = err <= tol and scale > 1e-12
        print(f"  {name:<12} {a.numel():5d} values  max |x| {scale:.3e}  max error / max |x| {err:.2e}  {'ok' if ok else 'MISMATCH'}")
        if not ok:
            fails += 1
            i = int((a - b).abs().argmax())
            print(f"    first worst index {i}: torch {float(a[i]):.12g}  C {float(b[i]):.12g}")

    print(f"{path}: sigma {sigma}{' (interp kernel)' if interp else ''}, {L} hidden layer(s), batch {B}, "
          f"{T} steps, {cfg.get('bits', 64)}-bit C build")
    cmp("M", M.detach(), [s["M"] for s in samples])
    cmp("loss", loss.detach(), real["loss"])
    for l, p in enumerate(proj):
        cmp(f"grad_w[{l}]", p["w_t"].grad, p["grad_w"])
        if sigma > 0:
            cmp(f"grad_pos[{l}]", p["pos_t"].grad, p["grad_pos"])
    return fails


if __name__ == "__main__":
    sys.exit(main())
