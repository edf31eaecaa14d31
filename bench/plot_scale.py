"""Plot seconds and peak memory of signing + clustering against corpus size.

usage: plot_scale.py out/scale.json docs/scale.png
"""
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
rows.sort(key=lambda r: r["articles"])
n = [r["articles"] for r in rows]

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.2))
ax1.plot(n, [r["sign_seconds"] for r in rows], "o-", label="sign (2 cores)")
ax1.plot(n, [r["cluster_seconds"] for r in rows], "s-", label="cluster")
ax1.plot(n, [r["total_seconds"] for r in rows], "^-", label="total")
ax1.axhline(120, color="grey", ls="--", lw=1, label="120 s target")
ax1.set(xscale="log", yscale="log", xlabel="articles", ylabel="seconds", title="Time")
ax1.legend()
ax2.plot(n, [r["peak_rss_mb"] for r in rows], "o-", color="tab:red", label="peak RSS")
ax2.axhline(4096, color="grey", ls="--", lw=1, label="4 GiB target")
ax2.set(xscale="log", yscale="log", xlabel="articles", ylabel="MiB", title="Peak memory (whole process)")
ax2.legend()
for ax in (ax1, ax2):
    ax.grid(True, which="both", alpha=0.3)
fig.suptitle("newsdedup: sign + cluster synthetic news, 30-day window, 2-core machine")
fig.tight_layout()
fig.savefig(sys.argv[2], dpi=110)
print("wrote", sys.argv[2])
