#!/usr/bin/python3
# clv-reference.py: the reference values of tests/unit/clv/property_test.c,
# computed once in arbitrary precision with mpmath (Debian's python3-mpmath)
# and kept in tests/unit/clv/reference.csv:
#
#   /usr/bin/python3 scripts/clv-reference.py > tests/unit/clv/reference.csv
#
# (or for some of the models: scripts/clv-reference.py pareto).
# For the BG/NBD, MBG/NBD and Pareto/NBD, at each parameter set of
# sets() (every parameter from 1e-3 to 1e8: two ordinary sets, each with
# one parameter at a time moved to each value of GRID, the pairs that make
# the limits of the parameter space, and the 16 corners of 1e-3 and 1e8),
# and for each customer history of HISTORIES (from one seen only at the
# end of the period to a very heavy buyer), it writes P(alive), the
# purchases expected in HORIZON weeks and the log-likelihood of the
# history, each to 20 significant digits.  (The full grid of GRID^4 takes
# hours; these 54 sets take some 30 minutes a model.)
#
# Nothing is taken from the C code: the closed forms are evaluated at 40
# digits, and the two integrals are computed by mpmath's tanh-sinh
# quadrature, not by series or transformations of 2F1:
#
#   the beta mixture M = E[(1 - (1 + p u)^-k) / p], p ~ Beta(a, bb), of the
#   BG/NBD (Fader, Hardie & Lee 2005, eq. 10) and MBG/NBD expectations, as
#   an integral over eta = ln(p / (1 - p)) of g(p) times the Beta density;
#
#   the Pareto/NBD integral I = int over (t_x, T] of (alpha + tau)^-(r+x)
#   (beta + tau)^-(s+1) (Fader & Hardie's note 009, eqs. 18-20), over
#   y = ln(min(alpha, beta) + tau).
#
# Both integrands are log-concave, or nearly, in those variables; each is
# cut where its logarithm has fallen from its maximum by 2^-2, 2^-1, ...,
# 2^7, and, for the mixture, around where g turns from k u to 1 / p, so
# that every piece is smooth on its own scale, whatever the parameters.
# Each piece's error estimate is checked: a value that mpmath cannot vouch
# for to 1e-18 stops the script.
import sys

import mpmath as mp

mp.mp.dps = 25

GRID = ["1e-3", "1", "1e3", "1e8"]
# (x, t_x, T) in weeks
HISTORIES = [(0, "0", "0"), (0, "0", "52"), (1, "1", "52"), (4, "39", "52"),
             (20, "51.9", "52"), (200, "26", "52")]
HORIZON = "52"
DROPS = [mp.mpf(2) ** j for j in range(-2, 8)]
# The CDNOW BG/NBD estimates, and all ones.
ORDINARY = [("0.2426", "4.414", "0.7929", "2.426"), ("1", "1", "1", "1")]


def sets():
    """The parameter sets, each a tuple of four strings, without repeats."""
    out = list(ORDINARY)
    for base in ORDINARY:
        for i in range(4):
            for v in GRID:
                out.append(base[:i] + (v,) + base[i + 1:])
    base = ORDINARY[0]
    for i in (0, 2):  # (r, alpha) and (a, b) or (s, beta) together
        for v, w in (("1e3", "1e3"), ("1e3", "3e3"), ("1e8", "1e8"),
                     ("1e8", "3e8")):
            out.append(base[:i] + (v, w) + base[i + 2:])
    for k in range(16):
        out.append(tuple("1e8" if k >> j & 1 else "1e-3" for j in range(4)))
    seen, uniq = set(), []
    for s in out:
        if s not in seen:
            seen.add(s)
            uniq.append(s)
    return uniq


def fail(msg):
    sys.stderr.write("clv-reference: " + msg + "\n")
    sys.exit(1)


def level_points(phi, lo, hi, top):
    """The points of [lo, hi] where the concave phi falls from its value at
    top (its maximum there) by each of DROPS, on both sides."""
    pts = [top]
    ftop = phi(top)
    for end in (lo, hi):
        if end == top:
            continue
        fend = phi(end)
        for d in DROPS:
            if ftop - fend <= d:
                break
            a, b = top, end  # phi(a) - target > 0 >= phi(b) - target
            for _ in range(200):
                m = (a + b) / 2
                if phi(m) > ftop - d:
                    a = m
                else:
                    b = m
                if abs(b - a) <= mp.mpf(10) ** -22 * (1 + abs(m)):
                    break
            pts.append((a + b) / 2)
    return pts


def argmax(dphi, lo, hi):
    """The root of the decreasing dphi in [lo, hi], or the end it falls
    short of."""
    if dphi(lo) <= 0:
        return lo
    if dphi(hi) >= 0:
        return hi
    a, b = lo, hi
    for _ in range(400):
        m = (a + b) / 2
        if dphi(m) > 0:
            a = m
        else:
            b = m
        if abs(b - a) <= mp.mpf(10) ** -22 * (1 + abs(m)):
            break
    return (a + b) / 2


def quad(f, pts):
    pts = sorted(set(pts))
    total, err = mp.mpf(0), mp.mpf(0)
    for a, b in zip(pts, pts[1:]):
        v, e = mp.quad(f, [a, b], error=True, maxdegree=12)
        total += v
        err += e
    if not total > 0 or err > mp.mpf(10) ** -18 * total:
        fail("quadrature not vouched for: %s +- %s" % (total, err))
    return total


def mixture(k, a, bb, u):
    """E[(1 - (1 + p u)^-k) / p] over p ~ Beta(a, bb)."""
    if u == 0:
        return mp.mpf(0)
    lnb = mp.log(mp.beta(a, bb))

    def lf(eta):  # the log of the Beta density in eta
        return -a * mp.log1p(mp.exp(-eta)) - bb * mp.log1p(mp.exp(eta)) - lnb

    def dlf(eta):
        return a / (1 + mp.exp(eta)) - bb / (1 + mp.exp(-eta))

    def g(p):
        return -mp.expm1(-k * mp.log1p(p * u)) / p

    def lfull(eta):  # the log of the integrand
        p = 1 / (1 + mp.exp(-eta))
        return mp.log(g(p)) + lf(eta)

    eta0 = mp.log(a / bb)
    sd = mp.sqrt(1 / a + 1 / bb)
    # The Beta density reaches 2^-7 of its height within these bounds; the
    # tails beyond fall faster than e^(-a |eta|) and e^(-bb eta).
    lo = eta0 - 2 * (200 / a + 200 * sd + 50)
    hi = eta0 + 2 * (200 / bb + 200 * sd + 50)
    top = argmax(dlf, lo, hi)
    pts = level_points(lf, lo, hi, top)
    t = -mp.log(k * u)
    pts += [t + j for j in range(-8, 9)] + [lo, hi]
    # As e^(log integrand - its value at the mode) times e^that value, so
    # that mpmath's error estimate, which has an absolute floor, is one of
    # a number near 1.
    ltop = lfull(top)

    def f(eta):
        return mp.exp(lfull(eta) - ltop)

    inner = quad(f, [p for p in pts if lo <= p <= hi])
    tails = mp.quad(f, [-mp.inf, lo]) + mp.quad(f, [hi, mp.inf])
    return mp.exp(ltop) * (inner + tails)


def pareto_integral(r, alpha, s, beta, x, tx, T):
    """int over (t_x, T] of (alpha + tau)^-(r+x) (beta + tau)^-(s+1)."""
    if tx >= T:
        return mp.mpf(0)
    m = min(alpha, beta)
    A, B = r + x, s + 1

    def phi(y):
        tau = mp.exp(y) - m
        return y - A * mp.log(alpha + tau) - B * mp.log(beta + tau)

    def dphi(y):
        e = mp.exp(y)
        tau = e - m
        return 1 - A * e / (alpha + tau) - B * e / (beta + tau)

    y0, y1 = mp.log(m + tx), mp.log(m + T)
    top = argmax(dphi, y0, y1)
    pts = level_points(phi, y0, y1, top) + [y0, y1]
    # Integrated as e^(phi - max) times e^max, so that mpmath's error
    # estimate, which has an absolute floor, is one of a number near 1.
    ftop = phi(top)
    return mp.exp(ftop) * quad(lambda y: mp.exp(phi(y) - ftop), pts)


def betageo(r, alpha, a, b, x, tx, T, t, shift):
    """P(alive), expected purchases in t, ln L of BG/NBD (shift 0) or
    MBG/NBD (shift 1)."""
    xs = x + shift
    ratio = ((alpha + T) / (alpha + tx)) ** (r + x)
    if shift == 0:
        odds = a / (b + x - 1) * ratio if x > 0 else mp.mpf(0)
    else:
        odds = a / (b + x) * ratio
    pa = 1 / (1 + odds)
    ex = pa * mixture(r + x, a, b + xs, t / (alpha + T))
    a2 = (mp.loggamma(a + b) + mp.loggamma(b + xs) - mp.loggamma(b) -
          mp.loggamma(a + b + xs))
    ll = (mp.loggamma(r + x) - mp.loggamma(r) + r * mp.log(alpha) + a2 -
          (r + x) * mp.log(alpha + T) + mp.log1p(odds))
    return pa, ex, ll


def pareto(r, alpha, s, beta, x, tx, T, t):
    first = (alpha + T) ** -(r + x) * (beta + T) ** -s
    second = s * pareto_integral(r, alpha, s, beta, x, tx, T)
    pa = first / (first + second)
    if s == 1:
        life = mp.log((beta + T + t) / (beta + T))
    else:
        life = -mp.expm1((s - 1) * mp.log((beta + T) / (beta + T + t))) / (s - 1)
    ex = pa * (r + x) * (beta + T) / (alpha + T) * life
    ll = (mp.loggamma(r + x) - mp.loggamma(r) + r * mp.log(alpha) +
          s * mp.log(beta) + mp.log(first + second))
    return pa, ex, ll


def main(models):
    t = mp.mpf(HORIZON)
    print("model,p1,p2,p3,p4,x,t_x,T,t,p_alive,expected,loglik")
    for model in models or ("bgnbd", "mbgnbd", "pareto"):
        for p in sets():
            v = [mp.mpf(q) for q in p]
            for x, tx, T in HISTORIES:
                h = (x, mp.mpf(tx), mp.mpf(T), t)
                if model == "pareto":
                    pa, ex, ll = pareto(*v, *h)
                else:
                    pa, ex, ll = betageo(*v, *h, 0 if model == "bgnbd" else 1)
                print(",".join([model, *p, str(x), tx, T, HORIZON] +
                               [mp.nstr(q, 20) for q in (pa, ex, ll)]))
                sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1:])
