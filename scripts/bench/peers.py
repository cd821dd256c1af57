"""Peers for `npm run bench`: scikit-learn, SciPy and pandas (Debian: python3-sklearn, python3-scipy,
python3-pandas) on the exact inputs the Node side wrote. One task per call; prints one JSON object.

  peers.py versions
  peers.py kmeans   '{"file": F, "n": N, "d": D, "k": K, "nInit": 10, "seed": 0}'   (F: float64, row-major)
  peers.py bgnbd    '{"file": F, "n": N}'                                          (F: float64 x | t_x | T)
  peers.py logistic '{"file": F, "labels": Y, "n": N, "p": P, "lambda": 1}'           (F: n×p float64, Y: n float64)
  peers.py pandas-import '{"csv": F, "db": SQLITE_FILE}'

Times cover the work only (not Python start-up or reading the binary inputs), like the Node side;
cpuSeconds (all threads) beside wall seconds, as the box may be shared.
"""
import json
import sys
import time


def versions():
    out = {}
    for name in ("numpy", "scipy", "sklearn", "pandas"):
        try:
            out[name] = __import__(name).__version__
        except ImportError:
            out[name] = None
    return out


def kmeans(a):
    import numpy as np
    from sklearn.cluster import KMeans

    X = np.fromfile(a["file"], dtype=np.float64).reshape(a["n"], a["d"])
    c0, t0 = time.process_time(), time.perf_counter()
    km = KMeans(n_clusters=a["k"], n_init=a["nInit"], init="k-means++", algorithm="lloyd", tol=1e-4, max_iter=300, random_state=a["seed"]).fit(X)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {"seconds": seconds, "cpuSeconds": cpu, "inertia": float(km.inertia_), "iterations": int(km.n_iter_), "sizes": sorted(np.bincount(km.labels_).tolist(), reverse=True)}


def bgnbd(a):
    # The BG/NBD likelihood (Fader, Hardie & Lee 2005) over every customer, vectorised in NumPy,
    # minimised by SciPy's L-BFGS-B on log-parameters from all-ones (as the `lifetimes` package does).
    import numpy as np
    from scipy.optimize import minimize
    from scipy.special import gammaln

    v = np.fromfile(a["file"], dtype=np.float64).reshape(3, a["n"])
    x, tx, T = v[0], v[1], v[2]
    rep = x > 0

    def nll(theta):
        r, alpha, aa, b = np.exp(theta)
        a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
        a2 = gammaln(aa + b) + gammaln(b + x) - gammaln(b) - gammaln(aa + b + x)
        a3 = -(r + x) * np.log(alpha + T)
        a4 = np.where(rep, np.log(aa) - np.log(b + np.maximum(x, 1) - 1) - (r + x) * np.log(tx + alpha), -np.inf)
        return -np.sum(a1 + a2 + np.logaddexp(a3, a4)) / len(x)

    c0, t0 = time.process_time(), time.perf_counter()
    res = minimize(nll, np.zeros(4), method="L-BFGS-B")
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    r, alpha, aa, b = np.exp(res.x)
    return {"seconds": seconds, "cpuSeconds": cpu, "r": r, "alpha": alpha, "a": aa, "b": b, "logLikelihood": -res.fun * len(x), "iterations": int(res.nit), "converged": bool(res.success)}


def logistic(a):
    # L2 logistic regression, C = 1/λ, intercept unpenalised: scikit-learn's default lbfgs solver.
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    X = np.fromfile(a["file"], dtype=np.float64).reshape(a["n"], a["p"])
    y = np.fromfile(a["labels"], dtype=np.float64)
    c0, t0 = time.process_time(), time.perf_counter()
    m = LogisticRegression(C=1.0 / a["lambda"], solver="lbfgs", max_iter=1000).fit(X, y)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    t = X @ m.coef_[0] + m.intercept_[0]
    loss = float(np.sum(np.logaddexp(0, t) - y * t))
    objective = loss + 0.5 * a["lambda"] * float(np.sum(m.coef_[0] ** 2))
    return {"seconds": seconds, "cpuSeconds": cpu, "objective": objective, "logLoss": loss / a["n"], "iterations": int(m.n_iter_[0])}


def pandas_import(a):
    import sqlite3
    import pandas as pd

    t0 = time.perf_counter()
    df = pd.read_csv(a["csv"])
    t1 = time.perf_counter()
    con = sqlite3.connect(a["db"])
    df.to_sql("orders", con, index=False, chunksize=100_000)
    con.commit()
    rows = con.execute("select count(*) from orders").fetchone()[0]
    con.close()
    t2 = time.perf_counter()
    return {"seconds": t2 - t0, "readSeconds": t1 - t0, "toSqlSeconds": t2 - t1, "rows": rows}


TASKS = {"versions": lambda a: versions(), "kmeans": kmeans, "bgnbd": bgnbd, "logistic": logistic, "pandas-import": pandas_import}

if __name__ == "__main__":
    task = sys.argv[1]
    args = json.loads(sys.argv[2]) if len(sys.argv) > 2 else {}
    print(json.dumps(TASKS[task](args)))
