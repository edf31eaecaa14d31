package local

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/newsdedup/newsdedup/internal/dedup"
)

func readKey(t *testing.T, f *Folder, key string) []byte {
	t.Helper()
	rc, err := f.Get(context.Background(), key)
	if err != nil {
		t.Fatalf("Get(%q): %v", key, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func writeFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// listDir returns every name under dir, hidden or not, for checking that
// nothing was written where it should not be.
func listDir(t *testing.T, dir string) []string {
	t.Helper()
	var names []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		names = append(names, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return names
}

func TestFolderRejectsEscapingKeys(t *testing.T) {
	parent := t.TempDir()
	root := filepath.Join(parent, "root")
	f := NewFolder(root)
	writeFile(t, filepath.Join(parent, "secret.txt"), "outside")
	ctx := context.Background()
	bad := []string{
		"",
		".",
		"./",
		"..",
		"../secret.txt",
		"../root/../secret.txt",
		"a/../../secret.txt",
		"a/b/../../../secret.txt",
		"/etc/passwd",
		"/" + filepath.ToSlash(filepath.Join(parent, "secret.txt")),
		"a\x00b",
	}
	for _, key := range bad {
		if rc, err := f.Get(ctx, key); !errors.Is(err, ErrBadKey) {
			if rc != nil {
				rc.Close()
			}
			t.Errorf("Get(%q) err = %v, want ErrBadKey", key, err)
		}
		if err := f.Put(ctx, key, []byte("x"), "text/plain"); !errors.Is(err, ErrBadKey) {
			t.Errorf("Put(%q) err = %v, want ErrBadKey", key, err)
		}
	}
	if got := listDir(t, parent); !slices.Equal(got, []string{".", "secret.txt"}) {
		t.Errorf("rejected Puts left files: %q", got)
	}
	if b, _ := os.ReadFile(filepath.Join(parent, "secret.txt")); string(b) != "outside" {
		t.Errorf("file outside the root changed to %q", b)
	}
	// ".." that stays inside the root after cleaning is fine.
	if err := f.Put(ctx, "a/../inside.txt", []byte("in"), ""); err != nil {
		t.Fatal(err)
	}
	if got := readKey(t, f, "inside.txt"); string(got) != "in" {
		t.Errorf("inside.txt = %q", got)
	}
}

func TestFolderPutGet(t *testing.T) {
	root := t.TempDir()
	f := NewFolder(root)
	ctx := context.Background()
	cases := []struct{ key, body string }{
		{"top.txt", "top"},
		{"reports/2024/03/report.json", `{"stories":[]}`},
		{"with space/und ümlaut.html", "<p>hi</p>"},
		{"empty.txt", ""},
	}
	for _, tc := range cases {
		if err := f.Put(ctx, tc.key, []byte(tc.body), "application/octet-stream"); err != nil {
			t.Fatalf("Put(%q): %v", tc.key, err)
		}
	}
	for _, tc := range cases {
		if got := readKey(t, f, tc.key); string(got) != tc.body {
			t.Errorf("Get(%q) = %q, want %q", tc.key, got, tc.body)
		}
		info, err := os.Stat(filepath.Join(root, filepath.FromSlash(tc.key)))
		if err != nil {
			t.Fatal(err)
		}
		if perm := info.Mode().Perm(); perm != 0o644 {
			t.Errorf("%s: mode %v, want 0644", tc.key, perm)
		}
	}
	// Overwrite replaces the whole content (shorter body: no stale tail).
	if err := f.Put(ctx, "top.txt", []byte("T"), ""); err != nil {
		t.Fatal(err)
	}
	if got := readKey(t, f, "top.txt"); string(got) != "T" {
		t.Errorf("after overwrite Get = %q, want %q", got, "T")
	}
	for _, name := range listDir(t, root) {
		if strings.Contains(name, ".tmp-") {
			t.Errorf("temporary file left behind: %s", name)
		}
	}
}

func TestFolderGetNotFound(t *testing.T) {
	root := t.TempDir()
	f := NewFolder(root)
	writeFile(t, filepath.Join(root, "dir", "file.txt"), "x")
	for _, key := range []string{"missing.txt", "dir", "dir/", "dir/missing.txt", "dir/file.txt/child", "nodir/file.txt"} {
		rc, err := f.Get(context.Background(), key)
		if !errors.Is(err, dedup.ErrNotFound) {
			if rc != nil {
				rc.Close()
			}
			t.Errorf("Get(%q) err = %v, want ErrNotFound", key, err)
		}
	}
	// A missing root is not found either, not some other failure.
	if _, err := NewFolder(filepath.Join(root, "nope")).Get(context.Background(), "a.txt"); !errors.Is(err, dedup.ErrNotFound) {
		t.Errorf("Get under missing root: err = %v, want ErrNotFound", err)
	}
}

// TestFolderPutIsAtomic reads a key while it is rewritten: every read must
// be one whole version, never a mix or a truncation.
func TestFolderPutIsAtomic(t *testing.T) {
	f := NewFolder(t.TempDir())
	ctx := context.Background()
	versions := [][]byte{bytes.Repeat([]byte("a"), 1<<20), bytes.Repeat([]byte("b"), 1<<19)}
	if err := f.Put(ctx, "big.bin", versions[0], ""); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if err := f.Put(ctx, "big.bin", versions[i%2], ""); err != nil {
				t.Error(err)
				return
			}
		}
	})
	reads := 0
	for range 200 {
		rc, err := f.Get(ctx, "big.bin")
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b, versions[0]) && !bytes.Equal(b, versions[1]) {
			t.Fatalf("read %d bytes that are neither version", len(b))
		}
		reads++
	}
	close(stop)
	wg.Wait()
	if reads != 200 {
		t.Errorf("%d reads", reads)
	}
}

func TestFolderPutFailureLeavesNoTemp(t *testing.T) {
	root := t.TempDir()
	f := NewFolder(root)
	// A directory where the file should go makes the rename fail.
	writeFile(t, filepath.Join(root, "taken", "child.txt"), "keep")
	if err := f.Put(context.Background(), "taken", []byte("new"), ""); err == nil {
		t.Fatal("Put over a directory succeeded")
	}
	want := []string{".", "taken", "taken/child.txt"}
	if got := listDir(t, root); !slices.Equal(got, want) {
		t.Errorf("after failed Put: %q, want %q", got, want)
	}
	// A file where a parent directory should go makes MkdirAll fail.
	if err := f.Put(context.Background(), "taken/child.txt/x", []byte("new"), ""); err == nil {
		t.Fatal("Put under a file succeeded")
	}
}

func walkKeys(t *testing.T, f *Folder) []string {
	t.Helper()
	var keys []string
	err := f.Walk(context.Background(), func(key string, info fs.FileInfo) error {
		if !info.Mode().IsRegular() {
			t.Errorf("Walk gave %s with mode %v", key, info.Mode())
		}
		keys = append(keys, key)
		return nil
	})
	if err != nil {
		t.Fatalf("Walk: %v", err)
	}
	return keys
}

func TestFolderWalk(t *testing.T) {
	root := t.TempDir()
	for _, name := range []string{
		"b.txt", "a.txt", "a/z.json", "a/b/deep.html", "C.txt", "sp ace/ü.txt",
		".hidden.txt", ".git/config", "a/.DS_Store", "a/.cache/x.txt", "a/b/.tmp-put-123",
	} {
		writeFile(t, filepath.Join(root, filepath.FromSlash(name)), name)
	}
	if err := os.MkdirAll(filepath.Join(root, "emptydir"), 0o755); err != nil {
		t.Fatal(err)
	}
	symlinks := map[string]string{
		"loop":          ".",                            // would recurse forever if followed
		"a/b/up":        "..",                           // same, deeper
		"outside":       t.TempDir(),                    // a directory elsewhere: not followed
		"link-to-a.txt": "a.txt",                        // a file: reported
		"dangling.txt":  filepath.Join(root, "no-such"), // skipped
	}
	for name, target := range symlinks {
		if err := os.Symlink(target, filepath.Join(root, filepath.FromSlash(name))); err != nil {
			t.Fatal(err)
		}
	}
	f := NewFolder(root)
	want := []string{"C.txt", "a/b/deep.html", "a/z.json", "a.txt", "b.txt", "link-to-a.txt", "sp ace/ü.txt"}
	got := walkKeys(t, f)
	if !slices.Equal(got, want) {
		t.Errorf("Walk keys:\n got %q\nwant %q", got, want)
	}
	if again := walkKeys(t, f); !slices.Equal(again, got) {
		t.Errorf("second Walk gave a different order: %q", again)
	}
	// Every key Walk gives can be read back with Get.
	for _, key := range got {
		readKey(t, f, key)
	}
	// A root that is a symlink is walked through.
	link := filepath.Join(t.TempDir(), "input")
	if err := os.Symlink(root, link); err != nil {
		t.Fatal(err)
	}
	if viaLink := walkKeys(t, NewFolder(link)); !slices.Equal(viaLink, want) {
		t.Errorf("Walk via symlinked root: %q, want %q", viaLink, want)
	}
	// A hidden root is still walked: only names inside it are filtered.
	hidden := filepath.Join(t.TempDir(), ".state")
	writeFile(t, filepath.Join(hidden, "r.json"), "{}")
	if got := walkKeys(t, NewFolder(hidden)); !slices.Equal(got, []string{"r.json"}) {
		t.Errorf("Walk of hidden root: %q", got)
	}
}

func TestFolderWalkErrors(t *testing.T) {
	root := t.TempDir()
	for _, name := range []string{"a.txt", "b.txt", "c.txt"} {
		writeFile(t, filepath.Join(root, name), name)
	}
	f := NewFolder(root)
	stop := errors.New("stop")
	calls := 0
	if err := f.Walk(context.Background(), func(string, fs.FileInfo) error { calls++; return stop }); !errors.Is(err, stop) || calls != 1 {
		t.Errorf("Walk with failing fn = %v after %d calls; want stop after 1", err, calls)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := f.Walk(ctx, func(string, fs.FileInfo) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("Walk with cancelled ctx = %v", err)
	}
	if err := NewFolder(filepath.Join(root, "missing")).Walk(context.Background(), func(string, fs.FileInfo) error { return nil }); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Walk of missing root = %v, want fs.ErrNotExist", err)
	}
}
