#!/usr/bin/env python3
"""Side-by-side benchmark of newsdedup against datasketch and rensa on one
synthetic corpus, in one run (see bench/README.md).

Measures, on the same articles:
  (a) signatures per second on one core: newsdedup (cmd/benchsig, GOMAXPROCS=1),
      datasketch MinHash and rensa RMinHash (num_perm=128, word 5-shingles);
  (b) LSH candidate generation (datasketch MinHashLSH, rensa RMinHashLSH):
      seconds and peak RSS, each in its own process;
  (c) newsdedup clustering (cmd/benchcluster): seconds and peak RSS, with
      story / copy quality against the planted truth;
  (d) Jaccard-estimate error against exact Jaccard over a few thousand pairs.
Prints a table and writes out/bench.json.

Run it through scripts/bench-compare.sh, which makes the venv.
"""

import argparse
import gc
import json
import os
import pickle
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata

# One core for the library code: set before numpy / rensa start thread pools.
for var in ("RAYON_NUM_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

NUM_PERM = 128
SHINGLE = 5
MIN_OWN_SHINGLES = 16  # internal/signature: below this, quotes are included
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


# ---------------------------------------------------------------- tokenising

def _is_word_char(c):
    if c < "\x80":
        return c.isalnum()
    cat = unicodedata.category(c)
    return cat[0] == "L" or cat == "Nd" or cat == "Mn"


def _stem(w):
    """internal/signature stem(), on UTF-8 bytes like the Go code."""
    b = w.encode()
    n = len(b)
    if n > 4 and b.endswith(b"ies"):
        return (b[: n - 3] + b"y").decode()
    if n > 3 and b[-1:] == b"s" and b[n - 2 : n - 1] not in (b"s", b"a", b"i", b"o", b"u", b"'"):
        return b[: n - 1].decode()
    return w


def go_tokens(text):
    """A port of internal/signature's tokenizer, as far as the MinHash sees it:
    (stemmed lower-case word, inside quotation marks). Letters, digits and
    non-spacing marks form words; a possessive 's is cut, any other
    apostrophe followed by a word character is dropped inside a word; '"'
    toggles quoted speech and a line break closes it."""
    toks = []
    quoted = False
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c < "\x80":
            if not c.isalnum():
                if c == '"':
                    quoted = not quoted
                elif c == "\n":
                    quoted = False
                i += 1
                continue
        elif not _is_word_char(c):
            i += 1
            continue
        at = i
        buf = []
        while i < n:
            c = text[i]
            if c < "\x80":
                if c.isalnum():
                    buf.append(c.lower())
                    i += 1
                    continue
                if c == "'" and i > at and i + 1 < n and (text[i + 1] >= "\x80" or text[i + 1].isalnum()):
                    # a possessive 's ends the word and is dropped
                    if text[i + 1] in "sS" and (i + 2 >= n or not (text[i + 2] >= "\x80" or text[i + 2].isalnum())):
                        i += 2
                        break
                    i += 1
                    continue
                break
            if not _is_word_char(c):
                break
            buf.append(c.lower())
            i += 1
        toks.append((_stem("".join(buf)), quoted))
    return toks


def _shingles(toks, own_only):
    out, win, run = [], [], 0
    for w, q in toks:
        if own_only and q:
            win, run = [], 0
            continue
        win.append(w)
        run += 1
        if len(win) > SHINGLE:
            win.pop(0)
        if run >= SHINGLE:
            out.append(" ".join(win))
    return out


def newsdedup_shingles(text):
    """The shingles newsdedup's MinHash covers (a list, repeats included):
    5-word shingles outside quotes, or of all words when fewer than 16
    distinct ones are outside."""
    toks = go_tokens(text)
    sh = _shingles(toks, True)
    if len(set(sh)) < MIN_OWN_SHINGLES:
        sh = _shingles(toks, False)
    return sh


_WORD = re.compile(r"\w+")


def fast_shingles(text):
    """What a datasketch or rensa user typically writes: lower-cased \\w+
    words, 5-word shingles. No quote exclusion, no stemming; apostrophes split
    words."""
    w = _WORD.findall(text.lower())
    return [" ".join(w[i : i + SHINGLE]) for i in range(len(w) - SHINGLE + 1)]


# ---------------------------------------------------------------- helpers

def log(*a):
    print(*a, file=sys.stderr, flush=True)


def run_child(cmd, one_core=False, env=None):
    """Runs cmd, returns (stdout, wall seconds). Peak memory is measured by
    the children themselves (VmHWM): a child's ru_maxrss on Linux includes
    this parent's size at fork, whatever it uses after exec."""
    def pin():
        if one_core:
            os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    with tempfile.TemporaryFile() as out:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=out, preexec_fn=pin, env=env)
        _, status, _ = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode()
    if p.returncode != 0:
        raise SystemExit(f"command failed ({p.returncode}): {' '.join(cmd)}\n{text}")
    return text, wall


def load_corpus(d):
    keys, texts = [], []
    for sub in sorted(os.listdir(d)):
        sp = os.path.join(d, sub)
        if not os.path.isdir(sp):
            continue
        for f in sorted(os.listdir(sp)):
            if f.endswith(".json"):
                with open(os.path.join(sp, f), encoding="utf-8") as fh:
                    texts.append(json.load(fh)["text"])
                keys.append(f"{sub}/{f}")
    return keys, texts


def read_csv_pairs(path):
    out = {}
    with open(path, encoding="utf-8") as f:
        next(f)
        for line in f:
            a, b = line.rstrip("\n").split(",")[:2]
            out[a] = b
    return out


def timed(fn, items):
    """Calls fn on every item; returns (wall s, CPU s, results)."""
    gc.collect()
    c0, w0 = time.process_time(), time.perf_counter()
    res = [fn(x) for x in items]
    return time.perf_counter() - w0, time.process_time() - c0, res


def vm(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024.0
    return 0.0


# ---------------------------------------------------------------- LSH children

def lsh_child(args):
    """Runs in its own process: loads pickled signatures, then times building
    the LSH index and querying every signature. Peak RSS of the LSH phase is
    VmHWM after resetting it (clear_refs 5) once the signatures are in
    memory as the library's objects."""
    with open(args.input, "rb") as f:
        data = pickle.load(f)
    if args.lsh_child == "datasketch":
        from datasketch import LeanMinHash, MinHashLSH
        mhs = [LeanMinHash(seed=data["seed"], hashvalues=h, scheme=data["scheme"]) for h in data["hashvalues"]]
    else:
        from rensa import RMinHashLSH
        mhs = data["minhashes"]
    del data["hashvalues" if "hashvalues" in data else "minhashes"]
    gc.collect()
    base = vm("VmRSS")
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass
    pairs = set()
    t0 = time.perf_counter()
    if args.lsh_child == "datasketch":
        params = tuple(data["params"]) if data.get("params") else None
        lsh = MinHashLSH(threshold=data["threshold"], num_perm=NUM_PERM, params=params)
        with lsh.insertion_session() as s:
            for i, m in enumerate(mhs):
                s.insert(i, m)
        for i, m in enumerate(mhs):
            for j in lsh.query(m):
                if j != i:
                    pairs.add((min(i, j), max(i, j)))
        bands = lsh.b
    else:
        lsh = RMinHashLSH(threshold=data["threshold"], num_perm=NUM_PERM, num_bands=data["bands"])
        lsh.insert_many(mhs)
        for i, c in enumerate(lsh.query_all(mhs)):
            for j in c:
                if j != i:
                    pairs.add((min(i, j), max(i, j)))
        bands = lsh.get_num_bands()
    secs = time.perf_counter() - t0
    res = {"seconds": secs, "candidate_pairs": len(pairs), "bands": bands,
           "rss_before_mb": base, "peak_rss_mb": vm("VmHWM")}
    with open(args.result, "w") as f:
        json.dump({"result": res, "pairs": sorted(pairs)}, f)


def run_lsh(kind, payload, tmp):
    inp = os.path.join(tmp, f"lsh-{kind}.pkl")
    outp = os.path.join(tmp, f"lsh-{kind}.json")
    with open(inp, "wb") as f:
        pickle.dump(payload, f)
    run_child([sys.executable, os.path.abspath(__file__), "--lsh-child", kind,
               "--input", inp, "--result", outp], one_core=True)
    with open(outp) as f:
        d = json.load(f)
    return d["result"], {tuple(p) for p in d["pairs"]}


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", "--articles", type=int, default=int(os.environ.get("N", 20000)))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--work", default=os.path.join(ROOT, "out", "bench-work"), help="corpus and scratch folder")
    ap.add_argument("--out", default=os.path.join(ROOT, "out", "bench.json"))
    ap.add_argument("--pairs", type=int, default=3000, help="pairs for the accuracy check")
    ap.add_argument("--scale", default="", help="comma-separated extra sizes for clustering only (e.g. 100000)")
    ap.add_argument("--slow-sample", type=int, default=300,
                    help="articles for datasketch's per-shingle update() path")
    ap.add_argument("--no-rensa", action="store_true")
    ap.add_argument("--reuse", action="store_true", help="reuse the corpus of an earlier run (same -n and --seed)")
    ap.add_argument("--bin", default=os.path.join(ROOT, "out", "bin"))
    ap.add_argument("--lsh-child", help=argparse.SUPPRESS)
    ap.add_argument("--input", help=argparse.SUPPRESS)
    ap.add_argument("--result", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.lsh_child:
        return lsh_child(args)

    import numpy as np
    import datasketch
    from datasketch import MinHash
    try:
        import rensa
        from rensa import RMinHash
    except Exception as e:  # noqa: BLE001
        rensa = None
        log("!" * 72 + f"\n!!! rensa is NOT available ({e}); continuing without it\n" + "!" * 72)
    if args.no_rensa:
        rensa = None

    os.makedirs(args.work, exist_ok=True)
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    n = args.articles
    corpus = os.path.join(args.work, f"corpus-{n}-s{args.seed}")
    bins = {b: os.path.join(args.bin, b) for b in ("gencorpus", "benchsig", "benchcluster")}
    for b, path in bins.items():
        if not os.path.exists(path):
            raise SystemExit(f"missing {path}: build with go build -o {args.bin}/ ./cmd/{b} (scripts/bench-compare.sh does)")

    # ---- corpus
    if not (args.reuse and os.path.exists(corpus + ".labels.csv")):
        log(f"generating {n} articles into {corpus}")
        shutil.rmtree(corpus, ignore_errors=True)
        subprocess.run([bins["gencorpus"], "-n", str(n), "-seed", str(args.seed), "-out", corpus, "-q"], check=True)
    keys, texts = load_corpus(corpus)
    if len(keys) != n:
        raise SystemExit(f"{corpus} holds {len(keys)} articles, want {n}: delete it and rerun")
    nbytes = sum(len(t.encode()) for t in texts)
    words = sum(len(t.split()) for t in texts) / n
    log(f"corpus: {n} articles, {nbytes/1e6:.1f} MB, {words:.0f} words on average")
    results = {"articles": n, "seed": args.seed, "mean_words": words, "corpus_mb": nbytes / 1e6,
               "machine": {"cpus": os.cpu_count(), "loadavg_start": os.getloadavg()}}

    # ---- (a) newsdedup signing, one core
    tmp = tempfile.mkdtemp(prefix="tmp-", dir=args.work)
    mh_path, sigs_path = os.path.join(tmp, "minhash.bin"), os.path.join(tmp, "sigs.bin")
    log("newsdedup: signing on one core (benchsig, GOMAXPROCS=1, best of 3)")
    out, _ = run_child([bins["benchsig"], "-dir", corpus, "-procs", "1", "-rounds", "3",
                           "-minhash", mh_path, "-sigs", sigs_path], one_core=True)
    nd = json.loads(out)
    results["newsdedup"] = nd

    # ---- tokenising in Python, same corpus
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    log("python: tokenising (port of the Go tokenizer, and a \\w+ regex)")
    w_port, c_port, port_sh = timed(newsdedup_shingles, texts)
    w_fast, c_fast, fast_sh = timed(fast_shingles, texts)
    results["python_tokenise"] = {
        "go_port_docs_per_s": n / w_port, "regex_docs_per_s": n / w_fast,
        "go_port_docs_per_s_cpu": n / c_port, "regex_docs_per_s_cpu": n / c_fast}

    # consistency of the port with newsdedup's own shingle counts
    with open(mh_path + ".json") as f:
        meta = json.load(f)
    if meta["keys"] != keys:
        raise SystemExit("benchsig and compare.py read the articles in different orders")
    go_mh = np.fromfile(mh_path, dtype="<u4").reshape(n, NUM_PERM)
    mismatch = sum(1 for i in range(n) if len(set(port_sh[i])) != meta["shingles"][i])
    results["port_shingle_count_mismatches"] = mismatch
    if mismatch:
        log("!" * 72 + f"\n!!! the Python port of the tokenizer disagrees with newsdedup on {mismatch} of {n}"
            " articles: accuracy figures compare slightly different sets\n" + "!" * 72)
    port_sets_bytes = [[s.encode() for s in set(sh)] for sh in port_sh]
    fast_bytes = [[s.encode() for s in sh] for sh in fast_sh]

    # ---- (a) datasketch
    ds_seed = 1

    def ds_batch(sh):
        m = MinHash(num_perm=NUM_PERM, seed=ds_seed)
        m.update_batch(sh)
        return m

    def ds_e2e(text):
        m = MinHash(num_perm=NUM_PERM, seed=ds_seed)
        m.update_batch([s.encode() for s in fast_shingles(text)])
        return m

    def ds_per_shingle(text):
        m = MinHash(num_perm=NUM_PERM, seed=ds_seed)
        for s in fast_shingles(text):
            m.update(s.encode())
        return m

    log("datasketch: MinHash(num_perm=128).update_batch, end to end from text")
    w_ds, c_ds, _ = timed(ds_e2e, texts)
    log("datasketch: hashing only, from the newsdedup shingle sets")
    w_dsh, c_dsh, ds_port = timed(ds_batch, port_sets_bytes)
    sample = texts[: args.slow_sample]
    log(f"datasketch: per-shingle update() on {len(sample)} articles")
    w_dss, c_dss, _ = timed(ds_per_shingle, sample)
    results["datasketch"] = {
        "version": datasketch.__version__ if hasattr(datasketch, "__version__") else "",
        "scheme": "affine32 (datasketch 2.x default), sha1 token hash",
        "sig_per_s": n / w_ds, "sig_per_s_cpu": n / c_ds,
        "hash_only_sig_per_s": n / w_dsh, "hash_only_sig_per_s_cpu": n / c_dsh,
        "per_shingle_update_sig_per_s": len(sample) / w_dss,
        "per_shingle_update_sig_per_s_cpu": len(sample) / c_dss}

    # ---- (a) rensa
    rs_port = None
    if rensa is not None:
        def rs_e2e(text):
            m = RMinHash(num_perm=NUM_PERM, seed=42)
            m.update(fast_shingles(text))
            return m

        def rs_hash(sh):
            m = RMinHash(num_perm=NUM_PERM, seed=42)
            m.update(sh)
            return m

        port_sets_str = [list(set(sh)) for sh in port_sh]
        log("rensa: RMinHash(num_perm=128).update, end to end from text")
        w_rs, c_rs, _ = timed(rs_e2e, texts)
        log("rensa: hashing only, from the newsdedup shingle sets")
        w_rsh, c_rsh, rs_port = timed(rs_hash, port_sets_str)
        gc.collect()
        c0, w0 = time.process_time(), time.perf_counter()
        RMinHash.digest_matrix_from_token_sets(fast_sh, NUM_PERM, 42)
        w_rsm, c_rsm = time.perf_counter() - w0, time.process_time() - c0
        results["rensa"] = {
            "version": getattr(rensa, "__version__", "0.5.x"),
            "sig_per_s": n / w_rs, "sig_per_s_cpu": n / c_rs,
            "hash_only_sig_per_s": n / w_rsh, "hash_only_sig_per_s_cpu": n / c_rsh,
            "batch_matrix_hash_only_sig_per_s": n / w_rsm}
        try:
            from importlib.metadata import version
            results["rensa"]["version"] = version("rensa")
        except Exception:  # noqa: BLE001
            pass
    try:
        from importlib.metadata import version
        results["datasketch"]["version"] = version("datasketch")
    except Exception:  # noqa: BLE001
        pass
    os.sched_setaffinity(0, set(range(os.cpu_count())))

    # ---- (d) accuracy
    log("accuracy: exact Jaccard vs estimates")
    rng = random.Random(args.seed)
    idx = {k: i for i, k in enumerate(keys)}
    copies = read_csv_pairs(corpus + ".copies.csv")
    story = read_csv_pairs(corpus + ".labels.csv")
    by_story = {}
    for k, s in story.items():
        by_story.setdefault(s, []).append(idx[k])
    third = args.pairs // 3
    cp = [(idx[a], idx[b]) for a, b in copies.items()]
    rng.shuffle(cp)
    pairs = [("copy", p) for p in cp[:third]]
    multi = [v for v in by_story.values() if len(v) > 1]
    for _ in range(third):
        v = rng.choice(multi)
        a, b = rng.sample(v, 2)
        pairs.append(("same-story", (a, b)))
    for _ in range(args.pairs - len(pairs)):
        a, b = rng.sample(range(n), 2)
        pairs.append(("random", (a, b)))
    sets = {}

    def sset(i):
        if i not in sets:
            sets[i] = set(port_sh[i])
        return sets[i]

    def go_est(i, j):
        if meta["flags"][i] & 2 or meta["flags"][j] & 2:
            return 0.0
        return float(np.count_nonzero(go_mh[i] == go_mh[j])) / NUM_PERM

    errs = {"newsdedup": [], "datasketch": [], "rensa": []}
    strata = {}
    for kind, (i, j) in pairs:
        a, b = sset(i), sset(j)
        u = len(a | b)
        exact = len(a & b) / u if u else 0.0
        ests = {"newsdedup": go_est(i, j), "datasketch": ds_port[i].jaccard(ds_port[j])}
        if rs_port is not None:
            ests["rensa"] = rs_port[i].jaccard(rs_port[j])
        band = "J>=0.5" if exact >= 0.5 else "0.1<=J<0.5" if exact >= 0.1 else "J<0.1"
        for tool, e in ests.items():
            errs[tool].append(abs(e - exact))
            strata.setdefault((tool, band), []).append(abs(e - exact))
        strata.setdefault(("count", band), []).append(exact)
    acc = {}
    for tool, e in errs.items():
        if not e:
            continue
        acc[tool] = {"mae": sum(e) / len(e), "max_error": max(e)}
        for band in ("J>=0.5", "0.1<=J<0.5", "J<0.1"):
            v = strata.get((tool, band), [])
            if v:
                acc[tool]["mae_" + band] = sum(v) / len(v)
    acc["pairs"] = len(pairs)
    acc["pairs_by_band"] = {b: len(strata.get(("count", b), [])) for b in ("J>=0.5", "0.1<=J<0.5", "J<0.1")}
    acc["expected_mae_sd_at_J0.5"] = (0.25 / NUM_PERM) ** 0.5 * 0.8
    results["accuracy"] = acc

    # ---- (b) LSH
    log("LSH: datasketch MinHashLSH(threshold=0.5) and rensa RMinHashLSH, each in its own process")
    ds_fast = [ds_batch(b) for b in fast_bytes]
    hv = np.stack([m.hashvalues for m in ds_fast])
    lsh = {}
    true_pairs = {(min(idx[a], idx[b]), max(idx[a], idx[b])) for a, b in copies.items()}
    for label, params in (("datasketch", None), ("datasketch_32x4", (32, 4))):
        r, cands = run_lsh("datasketch", {"hashvalues": hv, "seed": ds_seed, "scheme": "affine32",
                                          "threshold": 0.5, "params": params}, tmp)
        r["copy_pair_recall"] = len(true_pairs & cands) / max(1, len(true_pairs))
        lsh[label] = r
    if rensa is not None:
        rs_fast = [RMinHash(num_perm=NUM_PERM, seed=42) for _ in fast_sh]
        for m, sh in zip(rs_fast, fast_sh):
            m.update(sh)
        r, cands = run_lsh("rensa", {"minhashes": rs_fast, "threshold": 0.5, "bands": 32}, tmp)
        r["copy_pair_recall"] = len(true_pairs & cands) / max(1, len(true_pairs))
        lsh["rensa_32x4"] = r
        del rs_fast
    results["lsh"] = lsh
    del ds_fast, hv, ds_port, rs_port, port_sets_bytes, fast_bytes, port_sh, fast_sh
    gc.collect()

    # ---- (c) clustering
    log(f"newsdedup: clustering {n} signatures (benchcluster, all cores)")
    out, _ = run_child([bins["benchcluster"], "-sigs", sigs_path, "-labels", corpus + ".labels.csv",
                        "-copies", corpus + ".copies.csv"])
    cl = json.loads(out)
    clusters = {str(n): cl}
    for extra in [int(x) for x in args.scale.split(",") if x.strip()]:
        path = os.path.join(args.work, f"sigs-{extra}-s{args.seed}.bin")
        log(f"newsdedup: generating and signing {extra} articles for clustering (benchcluster -synth)")
        run_child([bins["benchcluster"], "-synth", str(extra), "-seed", str(args.seed), "-write", path])
        log(f"newsdedup: clustering {extra} signatures")
        out, _ = run_child([bins["benchcluster"], "-sigs", path, "-truth", path + ".truth.csv"])
        c = json.loads(out)
        clusters[str(extra)] = c
        os.remove(path)
        os.remove(path + ".truth.csv")
    results["cluster"] = clusters
    shutil.rmtree(tmp, ignore_errors=True)
    results["machine"]["loadavg_end"] = os.getloadavg()

    # ---- summary keys
    results["newsdedup_sig_per_s"] = nd["sig_per_s"]
    results["datasketch_sig_per_s"] = results["datasketch"]["sig_per_s"]
    results["rensa_sig_per_s"] = results["rensa"]["sig_per_s"] if "rensa" in results else None
    results["cluster_seconds"] = cl["cluster_seconds"]
    results["cluster_peak_rss_mb"] = cl["cluster_peak_rss_mb"]
    with open(args.out, "w") as f:
        json.dump(results, f, indent=2)
    print_table(results)
    log(f"wrote {args.out}")


def print_table(r):
    n = r["articles"]
    nd, ds = r["newsdedup"], r["datasketch"]
    rs = r.get("rensa")
    print(f"\nnewsdedup vs datasketch vs rensa — {n} synthetic articles, {r['mean_words']:.0f} words each on average, "
          f"K=128, word 5-shingles, one core")
    print(f"load average at start {r['machine']['loadavg_start'][0]:.1f}, end {r['machine']['loadavg_end'][0]:.1f} "
          f"on {r['machine']['cpus']} CPUs (CPU-time rates are less sensitive to other load)\n")
    rows = [("newsdedup Compute (MinHash + sentence fps + terms)", nd["sig_per_s"], nd["sig_per_s_cpu"])]
    rows.append(("datasketch MinHash.update_batch, from text", ds["sig_per_s"], ds["sig_per_s_cpu"]))
    rows.append(("datasketch, hashing only (same shingle sets)", ds["hash_only_sig_per_s"], ds["hash_only_sig_per_s_cpu"]))
    rows.append(("datasketch MinHash.update per shingle, from text", ds["per_shingle_update_sig_per_s"],
                 ds["per_shingle_update_sig_per_s_cpu"]))
    if rs:
        rows.append(("rensa RMinHash.update, from text", rs["sig_per_s"], rs["sig_per_s_cpu"]))
        rows.append(("rensa, hashing only (same shingle sets)", rs["hash_only_sig_per_s"], rs["hash_only_sig_per_s_cpu"]))
        rows.append(("rensa digest_matrix_from_token_sets, hashing only", rs["batch_matrix_hash_only_sig_per_s"], None))
    tk = r["python_tokenise"]
    rows.append(("(python tokenising alone: \\w+ regex + shingles)", tk["regex_docs_per_s"], tk["regex_docs_per_s_cpu"]))
    print(f"{'signatures per second, one core':58s} {'wall':>10s} {'CPU':>10s} {'vs newsdedup':>13s}")
    for name, w, c in rows:
        cs = f"{c:10.0f}" if c else f"{'':10s}"
        print(f"{name:58s} {w:10.0f} {cs} {nd['sig_per_s']/w:12.1f}x")
    a = r["accuracy"]
    print(f"\nJaccard estimate error over {a['pairs']} pairs {a['pairs_by_band']} (mean absolute error)")
    print(f"{'':12s} {'all':>8s} {'J>=0.5':>8s} {'0.1-0.5':>8s} {'J<0.1':>8s} {'max':>8s}")
    for tool in ("newsdedup", "datasketch", "rensa"):
        if tool in a:
            t = a[tool]
            print(f"{tool:12s} {t['mae']:8.4f} {t.get('mae_J>=0.5', float('nan')):8.4f} "
                  f"{t.get('mae_0.1<=J<0.5', float('nan')):8.4f} {t.get('mae_J<0.1', float('nan')):8.4f} {t['max_error']:8.4f}")
    print(f"\nLSH candidate generation over {n} signatures (threshold 0.5, index + query all)")
    print(f"{'':18s} {'bands':>6s} {'seconds':>8s} {'pairs':>9s} {'copy recall':>12s} {'RSS before':>11s} {'peak RSS':>9s}")
    for k, v in r["lsh"].items():
        print(f"{k:18s} {v['bands']:6d} {v['seconds']:8.2f} {v['candidate_pairs']:9d} {v['copy_pair_recall']:12.3f} "
              f"{v['rss_before_mb']:9.0f}MB {v['peak_rss_mb']:7.0f}MB")
    print("\nnewsdedup clustering (cluster.Run, all cores; includes its own LSH, candidate scoring, linkage, copy checks)")
    print(f"{'articles':>9s} {'seconds':>8s} {'CPU s':>7s} {'RSS before':>11s} {'peak RSS':>9s} {'story ARI':>10s} "
          f"{'copy P':>7s} {'copy R':>7s}")
    for k, v in r["cluster"].items():
        print(f"{int(k):9d} {v['cluster_seconds']:8.2f} {v['cluster_cpu_seconds']:7.2f} {v['rss_before_mb']:9.0f}MB "
              f"{v['cluster_peak_rss_mb']:7.0f}MB {v.get('story_ari', 0):10.3f} {v.get('copy_pair_precision', 0):7.3f} "
              f"{v.get('copy_pair_recall', 0):7.3f}")


if __name__ == "__main__":
    main()
