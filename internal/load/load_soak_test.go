//go:build load && soak

package load

// The soak: the full 20,000 events (make soak), against 2,000 in make load.
func init() { events = 20000 }
