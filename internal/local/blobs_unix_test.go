//go:build unix

package local

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// A FIFO in the input folder must neither be listed nor block Get: opening
// one for reading waits for a writer.
func TestFolderSkipsFIFO(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "a.txt"), "a")
	if err := syscall.Mkfifo(filepath.Join(root, "pipe"), 0o644); err != nil {
		t.Fatal(err)
	}
	f := NewFolder(root)
	if got := walkKeys(t, f); !slices.Equal(got, []string{"a.txt"}) {
		t.Errorf("Walk = %q, want only a.txt", got)
	}
	// O_RDONLY on a FIFO blocks until a writer appears, so Get must not
	// plain-open it; if it does, this test hangs and the -timeout fails it.
	rc, err := f.Get(context.Background(), "pipe")
	if err == nil {
		rc.Close()
		t.Fatal("Get of a FIFO succeeded")
	}
	if !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("Get of a FIFO: %v", err)
	}
}
