package cluster

import (
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
)

// The day table must answer exactly what a binary search answers.
func TestDayIndexMatchesSearch(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := 0; trial < 500; trial++ {
		n := rng.IntN(80)
		days := make([]int32, n)
		spread := int32(1 + rng.IntN(400)) // sometimes too sparse for a table
		for k := range days {
			days[k] = 19000 + rng.Int32N(spread)
		}
		slices.Sort(days)
		di := newDayIndex(n, func(k int) int32 { return days[k] })
		for d := int32(18990); d < 19000+spread+10; d++ {
			want := sort.Search(n, func(k int) bool { return days[k] >= d })
			if got := di.first(d, n, func(k int) bool { return days[k] >= d }); got != want {
				t.Fatalf("days %v: first(%d) = %d, want %d", days, d, got, want)
			}
		}
	}
}
