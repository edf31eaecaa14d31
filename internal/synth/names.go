package synth

import (
	"math/rand/v2"
	"strings"
)

// Synthesised proper names: two or three syllables from these tables give
// several million surnames, so two stories rarely share one, and none is a
// real person.
var (
	onsets = []string{"b", "br", "c", "ch", "d", "dr", "f", "g", "gr", "h", "j", "k", "kr", "l", "m", "n", "p",
		"pr", "r", "s", "sh", "st", "t", "tr", "v", "w", "z", "th", "bl", "v", "m", "l", "r", "n"}
	vowels = []string{"a", "e", "i", "o", "u", "a", "e", "o", "ai", "ea", "ou", "ei", "ia"}
	codas  = []string{"", "", "", "n", "r", "l", "s", "th", "m", "k", "nd", "rt", "sk", "v"}
)

func syllable(r *rand.Rand) string {
	return onsets[r.IntN(len(onsets))] + vowels[r.IntN(len(vowels))] + codas[r.IntN(len(codas))]
}

func synthName(r *rand.Rand, syllables int) string {
	var b strings.Builder
	for i := 0; i < syllables; i++ {
		b.WriteString(syllable(r))
	}
	w := b.String()
	return strings.ToUpper(w[:1]) + w[1:]
}

// entity is one person, place or organisation of a story.
type entity struct{ first, last string }

func newEntity(r *rand.Rand) entity {
	return entity{first: synthName(r, 2), last: synthName(r, 2+r.IntN(2))}
}

// outlet is a news source: its name, web host and the boilerplate line it
// appends to some of its articles.
type outlet struct {
	name, host, boiler string
}

var outlets = func() []outlet {
	names := []string{
		"The Daily Ledger", "Morning Courier", "Northern Gazette", "City Herald", "The Evening Standard Post",
		"Global Wire Service", "Capital Tribune", "Harbor Times", "Valley Sentinel", "The Continental",
		"Metro Dispatch", "Coastal Observer", "The Plains Register", "Union Chronicle", "Summit Review",
		"Lakeside Journal", "The Frontier Press", "National Monitor", "Riverside Bulletin", "The Atlantic Record",
		"Pacific Examiner", "Central Reporter", "The Weekly Beacon", "Eastern Star News", "Southern Clarion",
		"World Report Daily", "The Independent Voice", "Highland Mercury", "Public Radio Desk", "News Agency International",
	}
	boilers := []string{
		"Copyright %s. All rights reserved. This material may not be published, broadcast, rewritten or redistributed.",
		"Sign up for the %s newsletter to get the latest headlines delivered to your inbox every morning.",
		"Reporting by staff of %s; editing by the news desk. Contact the newsroom with corrections or tips.",
		"%s is supported by readers like you. Become a member today to keep independent journalism free for everyone.",
	}
	out := make([]outlet, len(names))
	for i, n := range names {
		host := strings.ToLower(strings.ReplaceAll(strings.TrimPrefix(n, "The "), " ", "")) + ".example"
		out[i] = outlet{name: n, host: host, boiler: strings.Replace(boilers[i%len(boilers)], "%s", n, 1)}
	}
	return out
}()

// wireLines end a syndicated copy, naming where it came from.
var wireLines = []string{
	"This story was originally published by %s and is republished here with permission.",
	"Additional reporting was contributed by %s correspondents.",
	"This article first appeared on the website of %s.",
}
