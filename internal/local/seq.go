package local

// SeqLess reports whether sequencer a is older than b.
//
// S3 event sequencers are hex strings whose length varies between events for
// the same key, so plain string comparison is wrong ("9" > "0A"). They are
// compared as numbers: the shorter one is left-padded with '0' to the longer
// one's length, then the bytes are compared. Local sequencers (zero-padded
// decimal counters) follow the same rule. Letters must be in one case
// throughout, as S3 sends them (upper case): the comparison is bytewise.
// Strings that differ only in leading zeros are equal, so neither is less.
func SeqLess(a, b string) bool {
	n := max(len(a), len(b))
	padA, padB := n-len(a), n-len(b)
	for i := range n {
		ca, cb := byte('0'), byte('0')
		if i >= padA {
			ca = a[i-padA]
		}
		if i >= padB {
			cb = b[i-padB]
		}
		if ca != cb {
			return ca < cb
		}
	}
	return false
}
