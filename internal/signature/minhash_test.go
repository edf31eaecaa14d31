package signature

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// pairWithJaccard builds two texts from shared and unique blocks of random
// words whose own-shingle Jaccard is roughly target, over about n words.
func pairWithJaccard(v *vocab, rng *rand.Rand, target float64, n int) (string, string) {
	shared := int(target * float64(n))
	uniq := (n - shared) / 2
	// Shared words in 1-3 blocks, placed in a different order in b.
	nb := 1 + rng.IntN(3)
	var sBlocks [][]string
	for k := 0; k < nb; k++ {
		sBlocks = append(sBlocks, v.seq(shared/nb))
	}
	build := func(order []int) string {
		var parts []string
		u := v.seq(uniq)
		per := len(u) / (nb + 1)
		for k, o := range order {
			parts = append(parts, strings.Join(u[k*per:(k+1)*per], " "))
			parts = append(parts, strings.Join(sBlocks[o], " "))
		}
		parts = append(parts, strings.Join(u[nb*per:], " "))
		return strings.Join(parts, " ")
	}
	order := rng.Perm(nb)
	ident := make([]int, nb)
	for k := range ident {
		ident[k] = k
	}
	return build(ident), build(order)
}

func TestMinHashJaccardAccuracy(t *testing.T) {
	v := newVocab(10, 20000)
	rng := rand.New(rand.NewPCG(11, 12))
	const pairs = 400
	var sumAbs, sumErr, maxAbs, sumSD float64
	for p := 0; p < pairs; p++ {
		target := rng.Float64()
		n := 300 + rng.IntN(1200)
		a, b := pairWithJaccard(v, rng, target, n)
		exact := exactJaccard(shingleSet(a, true), shingleSet(b, true))
		sa, sb := Compute(art("a", "", a)), Compute(art("b", "", b))
		if sa.Flags != 0 || sb.Flags != 0 {
			t.Fatalf("pair %d: flags %b %b", p, sa.Flags, sb.Flags)
		}
		est := Jaccard(sa, sb)
		e := est - exact
		sumErr += e
		sumAbs += math.Abs(e)
		maxAbs = max(maxAbs, math.Abs(e))
		sumSD += math.Sqrt(exact * (1 - exact) / K)
	}
	mae, bias := sumAbs/pairs, sumErr/pairs
	t.Logf("Jaccard over %d pairs: MAE %.4f, bias %+.4f, max |error| %.4f (theory for K=%d: mean sd %.4f, MAE ≈ %.4f)",
		pairs, mae, bias, maxAbs, K, sumSD/pairs, sumSD/pairs*math.Sqrt(2/math.Pi))
	if mae > 0.03 {
		t.Errorf("MAE %.4f > 0.03", mae)
	}
	if math.Abs(bias) > 0.01 {
		t.Errorf("bias %+.4f: the estimator should be unbiased", bias)
	}
	if maxAbs > 0.2 {
		t.Errorf("max |error| %.4f > 0.2 (4.5 sd)", maxAbs)
	}
}

// TestMinHashShortTexts: with fewer shingles than bins, densification must
// keep the estimate unbiased and usable.
func TestMinHashShortTexts(t *testing.T) {
	v := newVocab(13, 20000)
	rng := rand.New(rand.NewPCG(14, 15))
	const pairs = 300
	var sumAbs, sumErr float64
	for p := 0; p < pairs; p++ {
		target := rng.Float64()
		n := 40 + rng.IntN(80) // 20-120 shingles: most bins empty
		a, b := pairWithJaccard(v, rng, target, n)
		sa, sb := Compute(art("a", "", a)), Compute(art("b", "", b))
		if sa.Flags&FlagEmpty != 0 || sb.Flags&FlagEmpty != 0 {
			t.Fatalf("pair %d: empty signature for %d words", p, n)
		}
		e := Jaccard(sa, sb) - exactJaccard(shingleSet(a, false), shingleSet(b, false))
		sumErr += e
		sumAbs += math.Abs(e)
	}
	mae, bias := sumAbs/pairs, sumErr/pairs
	t.Logf("short texts (20-120 shingles), %d pairs: MAE %.4f, bias %+.4f", pairs, mae, bias)
	if mae > 0.05 || math.Abs(bias) > 0.015 {
		t.Errorf("short texts: MAE %.4f, bias %+.4f", mae, bias)
	}
}

func TestContainmentShortInLong(t *testing.T) {
	v := newVocab(16, 20000)
	tests := []struct{ short, long int }{
		{100, 400},
		{150, 600},
		{200, 1000},
		{300, 1500},
	}
	for _, tt := range tests {
		const trials = 100
		low, sum := 0, 0.0
		minC := 1.0
		for k := 0; k < trials; k++ {
			short := strings.Join(v.seq(tt.short), " ")
			pre := (tt.long - tt.short) / 3
			long := strings.Join(v.seq(pre), " ") + " " + short + " " + strings.Join(v.seq(tt.long-tt.short-pre), " ")
			ss, sl := Compute(art("s", "", short)), Compute(art("l", "", long))
			if exact := exactContainment(shingleSet(short, true), shingleSet(long, true)); exact != 1 {
				t.Fatalf("test construction: exact containment %v, want 1", exact)
			}
			c := Containment(ss, sl)
			if c != Containment(sl, ss) {
				t.Fatalf("Containment not symmetric: %v vs %v", c, Containment(sl, ss))
			}
			sum += c
			minC = min(minC, c)
			if c < 0.7 {
				low++
			}
			if j := Jaccard(ss, sl); j > 0.6 {
				t.Errorf("Jaccard %v of a %d-word text inside a %d-word one", j, tt.short, tt.long)
			}
		}
		t.Logf("%d words in %d: containment mean %.3f, min %.3f, below 0.7 in %d of %d", tt.short, tt.long, sum/trials, minC, low, trials)
		if sum/trials < 0.9 || low > trials/20 {
			t.Errorf("%d words in %d: containment mean %.3f, %d of %d below 0.7", tt.short, tt.long, sum/trials, low, trials)
		}
	}
}

// minhashWith returns a signature whose MinHash agrees with base on the
// first eq positions and differs elsewhere.
func minhashWith(base []uint32, eq, shingles int) *Signature {
	m := make([]uint32, K)
	for i := range m {
		if i < eq {
			m[i] = base[i]
		} else {
			m[i] = base[i] + 1
		}
	}
	return &Signature{MinHash: m, Shingles: shingles}
}

func TestJaccardAndContainmentFormulas(t *testing.T) {
	base := make([]uint32, K)
	for i := range base {
		base[i] = uint32(i * 7919)
	}
	ref := &Signature{MinHash: base, Shingles: 100}
	tests := []struct {
		name      string
		eq        int
		aS, bS    int
		flags     uint8
		wantJ     float64
		wantC     float64
		shortHash bool
	}{
		{"identical", K, 100, 100, 0, 1, 1, false},
		{"disjoint", 0, 100, 100, 0, 0, 0, false},
		{"half", 64, 100, 100, 0, 0.5, 0.5 * 200 / 1.5 / 100, false},
		{"quarter, unequal sizes", 32, 100, 300, 0, 0.25, 0.25 * 400 / 1.25 / 100, false},
		{"clipped at 1", 64, 100, 1000, 0, 0.5, 1, false},
		{"empty flag", K, 100, 100, FlagEmpty, 0, 0, false},
		{"no shingles", K, 100, 0, 0, 1, 0, false},
		{"wrong length", K, 100, 100, 0, 0, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := &Signature{MinHash: ref.MinHash, Shingles: tt.aS}
			b := minhashWith(base, tt.eq, tt.bS)
			b.Flags = tt.flags
			if tt.shortHash {
				b.MinHash = b.MinHash[:K-1]
			}
			if j := Jaccard(a, b); math.Abs(j-tt.wantJ) > 1e-12 || j != Jaccard(b, a) {
				t.Errorf("Jaccard = %v (reverse %v), want %v", j, Jaccard(b, a), tt.wantJ)
			}
			if c := Containment(a, b); math.Abs(c-tt.wantC) > 1e-12 || c != Containment(b, a) {
				t.Errorf("Containment = %v (reverse %v), want %v", c, Containment(b, a), tt.wantC)
			}
		})
	}
}

func TestDensify(t *testing.T) {
	mins := make([]uint32, K)
	for i := range mins {
		mins[i] = uint32(1000 + i)
	}
	filled := make([]bool, K)
	out := make([]uint32, K)

	// No bin filled: output is the empty marker everywhere.
	empty := make([]uint32, K)
	for i := range empty {
		empty[i] = math.MaxUint32
	}
	densify(empty, filled, out)
	for i, v := range out {
		if v != math.MaxUint32 {
			t.Fatalf("empty input: bin %d = %d", i, v)
		}
	}

	// All filled: a copy.
	for i := range filled {
		filled[i] = true
	}
	densify(mins, filled, out)
	for i := range out {
		if out[i] != mins[i] {
			t.Fatalf("full input: bin %d = %d, want %d", i, out[i], mins[i])
		}
	}

	// Some filled: empty bins borrow from filled ones, and the choice
	// depends only on the pattern, so two signatures with one pattern agree
	// exactly where their filled bins agree.
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 50; trial++ {
		for i := range filled {
			filled[i] = rng.IntN(4) == 0
		}
		filled[rng.IntN(K)] = true
		densify(mins, filled, out)
		borrowed := map[uint32]bool{}
		for i := range out {
			if filled[i] && out[i] != mins[i] {
				t.Fatalf("filled bin %d changed", i)
			}
			if !filled[i] {
				j := int(out[i]) - 1000
				if j < 0 || j >= K || !filled[j] {
					t.Fatalf("empty bin %d took %d, not a filled bin's value", i, out[i])
				}
				borrowed[out[i]] = true
			}
		}
		out2 := make([]uint32, K)
		densify(mins, filled, out2)
		for i := range out {
			if out[i] != out2[i] {
				t.Fatal("densify is not deterministic")
			}
		}
		if n := countTrue(filled); n > 4 && n < K-20 && len(borrowed) < 2 {
			t.Errorf("all empty bins borrowed one value (%d filled): densification is not spreading", n)
		}
	}
}

func countTrue(b []bool) int {
	n := 0
	for _, x := range b {
		if x {
			n++
		}
	}
	return n
}

// referenceMinHash is the one-permutation MinHash written the plain way:
// shingleHash over each window of word hashes (no rolling), the top 7 bits
// pick the bin, the low 32 bits compete, empty bins densified.
func referenceMinHash(text string) (mh []uint32, shingles int, flags uint8) {
	toks := tokenize(text)
	fill := func(ownOnly bool) ([]uint32, []bool, int) {
		seen := map[uint64]bool{}
		mins := make([]uint32, K)
		filled := make([]bool, K)
		n := 0
		var run []uint64
		for _, t := range toks {
			if ownOnly && t.flags&tQuoted != 0 {
				run = run[:0]
				continue
			}
			run = append(run, t.h)
			if len(run) < ShingleWords {
				continue
			}
			h := shingleHash(run[len(run)-ShingleWords:])
			if seen[h] {
				continue // Shingles counts the distinct set
			}
			seen[h] = true
			bin, v := h>>57, uint32(h)
			if !filled[bin] || v < mins[bin] {
				mins[bin], filled[bin] = v, true
			}
			n++
		}
		return mins, filled, n
	}
	mins, filled, n := fill(true)
	if n < minOwnShingles {
		flags |= FlagQuotesIncluded
		mins, filled, n = fill(false)
	}
	if n == 0 {
		flags |= FlagEmpty
		for i := range mins {
			mins[i] = math.MaxUint32
		}
	}
	mh = make([]uint32, K)
	densify(mins, filled, mh)
	return mh, n, flags
}

// TestMinHashMatchesReference: the rolling shingle hash gives exactly the
// MinHash of hashing every window from scratch.
func TestMinHashMatchesReference(t *testing.T) {
	v := newVocab(18, 3000)
	texts := []string{"", "one two three four", "one two three four five"}
	for _, p := range []string{"000", "001", "002", "003", "004"} {
		texts = append(texts, seed(t, p).Text)
	}
	for k := 0; k < 200; k++ {
		var b strings.Builder
		for s := 0; s < 1+v.rng.IntN(20); s++ {
			words := v.seq(1 + v.rng.IntN(30))
			if v.rng.IntN(3) == 0 {
				b.WriteString(`"` + strings.Join(words, " ") + `" `)
			} else {
				b.WriteString(strings.Join(words, " ") + ". ")
			}
			if v.rng.IntN(5) == 0 {
				b.WriteString("\n\n")
			}
		}
		texts = append(texts, b.String())
	}
	for _, text := range texts {
		s := Compute(art("k", "", text))
		mh, n, flags := referenceMinHash(text)
		if s.Shingles != n || s.Flags != flags {
			t.Errorf("%.60q: Shingles %d Flags %b, reference %d %b", text, s.Shingles, s.Flags, n, flags)
		}
		for i := range mh {
			if s.MinHash[i] != mh[i] {
				t.Errorf("%.60q: MinHash[%d] = %d, reference %d", text, i, s.MinHash[i], mh[i])
				break
			}
		}
	}
}
